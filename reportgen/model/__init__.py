"""The content model: the one typed, frozen description of a document that both renderers read.

An outline (YAML) becomes a :class:`Document` in :mod:`reportgen.read`; the brief and the deck
are planned from that document and nothing else. Nothing here imports reportlab or python-pptx.

Every class is a frozen :class:`reportgen.records.Record`, so the same classes validate the
outline (pydantic-core collecting every error with its key path) and carry the result. Get a
document with ``reportgen.read.load_outline(path)``; in code and tests,
``Document.validate(data)`` takes the same shapes an outline is written in.

Text that may carry inline markup (see :mod:`reportgen.model.inline`) is a :class:`Text`: a
tuple of :class:`Run` objects parsed once, here, when the outline is validated. Renderers never
see markup.
"""

from __future__ import annotations

import re
from datetime import date as Date
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, NamedTuple, Union

from pydantic_core import PydanticCustomError

from reportgen.model.inline import check_link, check_plain, parse_inline
from reportgen.model.paths import project_file, resolve_asset
from reportgen.records import Before, Field, OneOf, Record

OUTPUTS = ("pdf", "pptx")
"""The output formats, by the names ``--format`` and a section's ``skip:`` use."""


MAX_TEXT_CHARS = 100_000
"""Characters one text of an outline may hold (a paragraph, a title, a cell): some 15,000 words,
far above real use, and below what lays out in well under a minute (docs/limits.md)."""


def _scalar_text(value: Any) -> str:
    """The string an outline meant by a scalar: a number stands for its digits; else an error."""
    if isinstance(value, str):
        if len(value) > MAX_TEXT_CHARS:
            raise PydanticCustomError(
                "text_too_long", f"the text is {len(value):,} characters; a text may hold at most {MAX_TEXT_CHARS:,} "
                                 "(split it into paragraphs)")
        return value
    if isinstance(value, bool) or value is None:
        shown = "nothing" if value is None else str(value).lower()
        raise PydanticCustomError("text_type", f"expected text, got {shown} (put the text in quotes)")
    if isinstance(value, (int, float)):
        return str(value)
    raise PydanticCustomError("text_type", "expected text, got {kind}", {"kind": kind_of(value)})


def kind_of(value: Any) -> str:
    """How an error message names the kind of a YAML value."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "nothing"
    return "a number"


PlainText = Annotated[str, Before(lambda v: check_plain(_scalar_text(v)))]
"""Text shown as written, without inline markup: titles, names, captions of a timeline."""

Url = Annotated[str | None, Before(lambda v: check_link(_scalar_text(v)))]
"""A link: see :func:`reportgen.model.inline.check_link`. Optional where used, but never written as nothing."""


# --- inline text -------------------------------------------------------------------------


class Run(Record):
    """A stretch of text in one style; ``href`` makes it a link. Made by :class:`Text`."""

    text: str
    emphasis: bool = False
    strong: bool = False
    code: bool = False
    href: str | None = None


class Text(Record):
    """Text with inline markup, parsed into runs. An outline writes it as a plain string."""

    runs: tuple[Run, ...]

    @classmethod
    def _before(cls, value: Any) -> Any:
        if isinstance(value, Text) or (isinstance(value, dict) and set(value) == {"runs"}):
            return value
        return {"runs": parse_inline(_scalar_text(value))}

    @property
    def plain(self) -> str:
        """The text without styling, as a reader sees it."""
        return "".join(run.text for run in self.runs)

    def __str__(self) -> str:
        return self.plain


def _paragraphs(value: Any) -> Any:
    """Accept one string where a list of paragraphs is expected."""
    return [value] if isinstance(value, str) else value


Paragraphs = Annotated[tuple[Text, ...], Before(_paragraphs)]
"""One or more paragraphs; a single string is one paragraph."""


# --- images and credits --------------------------------------------------------------------


def _asset(value: Any, info: Any) -> Path:
    return resolve_asset(_scalar_text(value), (info.context or {}).get("root"))


class ImageRef(Record):
    """An image file in the project and what must be said about it: alt text and its credit.

    ``image`` is written relative to the project root and validated to stay inside it; the model
    holds the resolved absolute path. The file may be missing: renderers warn and go on.
    """

    image: Annotated[Path, Before(_asset, info=True)]
    """The image file (PNG, JPEG, GIF or WebP), relative to the project root."""
    alt: PlainText
    """What the image shows, for readers who cannot see it."""
    credit: PlainText | None = None
    """Who made the image (photographer, agency), as the licence asks it to be credited."""
    licence: PlainText | None = None
    """The image's licence as shown, e.g. "CC BY 4.0"."""
    licence_url: Url = None
    """The image licence's text online."""
    source_url: Url = None
    """Where the image was published."""


class Cover(ImageRef):
    """The cover photo of the brief and the title slide of the deck."""

    caption: PlainText | None = None
    """What the photo shows, for its credit line."""


class Credit(Record):
    """One credit line of the "Credits and licence" page and slide. Made by :attr:`Document.credits`."""

    subject: str
    """What is credited, e.g. "Cover photo: Japan-South Korea summit meeting in 2024"."""
    credit: str | None
    licence: str | None
    licence_url: str | None
    source_url: str | None
    cover: bool = False
    """The cover photo's credit: printed only where the cover photo is."""


# --- blocks ----------------------------------------------------------------------------


def _unwrap(kind: str | None, shorthand_field: str | None = None, shorthand_types: tuple[type, ...] = (str, list)):
    """A before-validator: an outline writes a block as ``{kind: {...}}``, and a value of
    ``shorthand_types`` (``{kind: "text"}``) stands for ``{shorthand_field: value}``. The
    function keeps both for :mod:`reportgen.model.schema`, which says the same to editors."""

    def unwrap(cls, value: Any) -> Any:
        if kind and isinstance(value, dict) and set(value) == {kind}:
            value = value[kind]
        if shorthand_field and isinstance(value, shorthand_types):
            value = {shorthand_field: value}
        return value

    unwrap.shorthand = (shorthand_field, shorthand_types)  # type: ignore[attr-defined]
    return classmethod(unwrap)


class Paragraph(Record):
    """Body prose: a paragraph of the brief and of the deck's speaker notes. Written as a string."""

    text: Text
    """The paragraph, with inline markup (``*emphasis*``, ``**strong**``, ``[link](https://...)``)."""
    _before = _unwrap("paragraph", "text")


MAX_LIST_DEPTH = 3
"""Bullets nest at most this many levels deep (the brief draws three bullet shapes; docs/limits.md)."""


class ListItem(Record):
    """A bullet: a string, or ``{text: ..., items: [...]}`` for a nested list (3 levels at most)."""

    text: Text
    """The bullet's text, with inline markup."""
    items: tuple[ListItem, ...] = ()
    """Bullets nested under this one."""
    _before = _unwrap(None, "text", (str,))


class BulletList(Record):
    """A bulleted (or, with ``ordered: true``, numbered) list. ``bullets: [..]`` in an outline."""

    items: tuple[ListItem, ...] = Field(min_length=1)
    """The bullets: each a string, or ``{text: ..., items: [...]}``."""
    ordered: bool = False
    """Numbered instead of bulleted."""
    _before = _unwrap("bullets", "items")

    def _after(self) -> BulletList:
        def depth(items: tuple[ListItem, ...]) -> int:
            return 1 + max((depth(i.items) for i in items if i.items), default=0)

        if depth(self.items) > MAX_LIST_DEPTH:
            raise PydanticCustomError("list_depth", f"lists nest {MAX_LIST_DEPTH} levels deep at most")
        return self


class Quote(Record):
    """A quotation with its attribution; ``pull: true`` sets it large as a pull quote."""

    text: Text
    """The words quoted, without quotation marks (they are added)."""
    by: PlainText | None = None
    """Who said or wrote it."""
    pull: bool = False
    """Set it large, as a pull quote."""
    _before = _unwrap("quote", "text")


class Figure(ImageRef):
    """An image with caption, alt text and credit. ``figure: {...}`` in an outline."""

    caption: Text
    """What the figure shows, printed beneath it."""
    _before = _unwrap("figure")


class Table(Record):
    """A table with a header row; long tables split across pages with the header repeated."""

    header: tuple[Text, ...] = Field(min_length=1)
    """The column headings."""
    rows: tuple[tuple[Text, ...], ...] = Field(min_length=1)
    """The rows, each a list of as many cells as the header has."""
    caption: Text | None = None
    """A line printed above the table (the slide's title in the deck)."""
    _before = _unwrap("table")

    def _after(self) -> Table:
        for number, row in enumerate(self.rows):
            if len(row) != len(self.header):
                raise PydanticCustomError(
                    "table_shape",
                    "row {n} has {got} cells; the header has {want}",
                    {"n": number + 1, "got": len(row), "want": len(self.header)},
                )
        return self


class Event(Record):
    """A dated event of a timeline. ``when`` is shown as written ("summer 2023", "15 Feb 2025")."""

    when: PlainText
    """When it happened, as it is shown: "2023", "summer 2023", "15 Feb 2025"."""
    text: Text
    """What happened."""


class Timeline(Record):
    """Dated events in order, drawn as a timeline. ``timeline: {events: [...]}`` or a list of events."""

    events: tuple[Event, ...] = Field(min_length=1)
    """The events, in order: each ``{when: ..., text: ...}``."""
    title: PlainText | None = None
    """A heading for the timeline (its slide's title)."""
    _before = _unwrap("timeline", "events")


class Callout(Record):
    """A boxed aside: a note, a definition, a recommendation."""

    text: Paragraphs = Field(min_length=1)
    """The callout's paragraphs (one string is one paragraph)."""
    title: PlainText | None = None
    """A heading for the box, e.g. "Recommendation"."""
    _before = _unwrap("callout", "text")


# --- charts ------------------------------------------------------------------------------


_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def number_of(text: str) -> float | None:
    """A number as an outline or a CSV file writes it (``12500.5``, ``-3``, ``1e6``), or None."""
    text = text.strip()
    return float(text) if _NUMBER.fullmatch(text) else None


def _number(value: Any) -> float:
    """A chart's value: a number as written (YAML scalars reach the model as their text)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        found: float | None = float(value)
    else:
        found = number_of(value) if isinstance(value, str) else None
    if found is None or found != found or abs(found) == float("inf"):
        shown = f"'{value}'" if isinstance(value, str) else kind_of(value)
        raise PydanticCustomError("chart_number", "expected a number, got {shown} (write numbers without units or "
                                  "thousands separators: 12500.5)", {"shown": shown})
    return found


Number = Annotated[float, Before(_number)]
"""A chart's value, as YAML writes a number: ``12500.5``, ``-3``."""

CHART_TYPES = ("column", "bar", "line", "stacked_column", "pie", "scatter")
ChartType = Literal["column", "bar", "line", "stacked_column", "pie", "scatter"]
"""Vertical bars, horizontal bars, lines, vertical bars stacked per category, a pie (one series),
points at numeric x and y (its categories are the x values)."""


class Series(Record):
    """One series of a chart: its name (the legend's) and one value a category."""

    name: PlainText
    """The series' name, shown in the legend."""
    values: tuple[Number, ...] = Field(min_length=1)
    """One number a category, in the categories' order (a scatter's: the y value at each x value)."""


def _csv(value: Any, info: Any) -> Path:
    return project_file(_scalar_text(value), (info.context or {}).get("root"), (".csv",), "a .csv file")


class ChartData(Record):
    """A chart's data from a CSV file in the project (a header row, then one row a category):
    the column of ``categories`` names the categories, each column of ``series`` is a series
    (every other column when left out). Read by :mod:`reportgen.read.charts`."""

    file: Annotated[Path, Before(_csv, info=True)]
    """The CSV file, relative to the project root: a header row, then one row a category."""
    categories: PlainText
    """The header of the column that names the categories."""
    series: tuple[PlainText, ...] = ()
    """The headers of the columns to draw, each a series (every other column when left out)."""
    _before = _unwrap(None, "file", (str,))


class Chart(Record):
    """A chart drawn from data: a vector chart in the brief, a native (editable) chart in the
    deck. ``chart: {...}`` in an outline; the data inline (``categories`` and ``series``) or
    from a CSV file (``data``). Checked against its categories by :func:`chart_problems`."""

    title: PlainText
    """The chart's title (its slide's title in the deck)."""
    type: ChartType = "column"
    """``column``, ``bar``, ``line``, ``stacked_column``, ``pie`` or ``scatter``."""
    categories: tuple[PlainText, ...] = ()
    """The categories (the x axis, or the slices of a pie), with the data inline; a scatter's are
    its x values, numbers, each series giving the y value at each."""
    series: tuple[Series, ...] = ()
    """The series, each ``{name, values}``, with the data inline."""
    data: ChartData | None = None
    """The data from a CSV file instead: ``{file, categories, series}``."""
    unit: PlainText | None = None
    """What the values count, e.g. "US$ billion": the value axis's title, and in the alt text."""
    x_unit: PlainText | None = None
    """What a scatter's x values count, e.g. "GDP per head, US$ thousand": its x axis's title, and
    in the alt text (from a CSV file, the x column's header when left out). A scatter's only."""
    decimals: int | None = Field(None, ge=0, le=6)
    """The number format: this many decimals on every value (default: as many as the data has, 3 at most)."""
    source: PlainText | None = None
    """Who published the data, as its licence asks it to be credited: the line beneath the chart."""
    licence: PlainText | None = None
    """The data's licence as shown, e.g. "CC BY 4.0"."""
    licence_url: Url = None
    """The data licence's text online."""
    source_url: Url = None
    """Where the data was published."""
    alt: PlainText | None = None
    """What the chart shows, for readers who cannot see it; generated from the data when left out."""
    _before = _unwrap("chart")

    def _after(self) -> Chart:
        inline = bool(self.categories or self.series)
        if self.data is not None and inline:
            raise PydanticCustomError("chart_data", "give the data inline (categories and series) or from a file "
                                                    "(data), not both")
        if self.data is None and not (self.categories and self.series):
            missing = "categories" if not self.categories else "series"
            raise PydanticCustomError("chart_data", "a chart needs categories and series (or data: a CSV file); "
                                                    "{missing} is missing", {"missing": missing})
        return self


def chart_problems(chart: Chart) -> list[tuple[tuple[str | int, ...], str]]:
    """What is wrong with a chart's numbers, each with the key path (under the chart) of the
    value it is about: a series whose length is not the categories', a negative value in a pie,
    more than one series in a pie, a scatter's x value that is not a number, an ``x_unit`` on a
    chart that is not a scatter. Empty: the chart can be drawn. The reader places each one."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    count = len(chart.categories)
    scatter = chart.type == "scatter"
    if scatter:
        for index, category in enumerate(chart.categories):
            if number_of(category) is None:
                problems.append((("categories", index), f"a scatter chart's x values are numbers: '{category}' is not "
                                                        "(write numbers without units or thousands separators: 12500.5)"))
    elif chart.x_unit is not None:
        problems.append((("x_unit",), f"x_unit titles a scatter chart's x axis; a {chart.type.replace('_', ' ')} chart "
                                      "has none"))
    for index, series in enumerate(chart.series):
        if len(series.values) != count:
            problems.append((("series", index, "values"),
                             f"series '{series.name}' has {len(series.values)} values; there are {count} "
                             f"{'x values' if scatter else 'categories'}"))
        if chart.type == "pie":
            for number, value in enumerate(series.values):
                if value < 0:
                    problems.append((("series", index, "values", number),
                                     f"a pie cannot show a negative value ({value:g}); use a bar or column chart"))
    if chart.type == "pie" and len(chart.series) > 1:
        problems.append((("series", 1), "a pie shows one series; this chart has " f"{len(chart.series)}"))
    return problems


BLOCK_KINDS = ("paragraph", "bullets", "quote", "figure", "table", "timeline", "callout", "chart")


def _block_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "paragraph"
    if isinstance(value, dict) and len(value) == 1:
        (key,) = value
        return key if key in BLOCK_KINDS else None
    if isinstance(value, Record):
        return {Paragraph: "paragraph", BulletList: "bullets", Quote: "quote", Figure: "figure",
                Table: "table", Timeline: "timeline", Callout: "callout", Chart: "chart"}.get(type(value))
    return None


Block = Annotated[
    Union[Paragraph, BulletList, Quote, Figure, Table, Timeline, Callout, Chart],
    OneOf(
        {"paragraph": Paragraph, "bullets": BulletList, "quote": Quote, "figure": Figure, "table": Table,
         "timeline": Timeline, "callout": Callout, "chart": Chart},
        _block_kind,
        "block_kind",
        "expected a paragraph (text) or a mapping with one key: " + ", ".join(BLOCK_KINDS[1:]),
    ),
]
"""A body block: a string is a paragraph; anything else is a one-key mapping naming its kind."""


# --- document ----------------------------------------------------------------------------


class Author(Record):
    """An author of the document: named on the cover and the title slide, with a bio at the end."""

    name: PlainText
    """The author's name as it is printed."""
    affiliation: PlainText | None = None
    """The author's institution or role."""
    bio: Paragraphs = ()
    """A short biography for the author box (one string is one paragraph)."""


LicenceKind = Literal["creative-commons", "cc0", "public-domain", "us-government", "all-rights-reserved", "other"]
"""How a licence is worded (:func:`reportgen.plan.shared.licence_statement`): published under a
licence, dedicated to the public domain, in it, a U.S. Government work, or all rights reserved."""


class KnownLicence(NamedTuple):
    name: str
    url: str | None
    short: str
    """What footers, the cover and slides show: "CC BY 4.0", "Public domain"."""
    kind: LicenceKind


class Licence(Record):
    """The licence (or public-domain status) the document is published under, and the
    attribution it requires. A known id (:data:`KNOWN_LICENCES`, any case) needs nothing else;
    another licence needs its ``name`` (and should give its ``url``)."""

    id: PlainText
    """``CC-BY-4.0`` and the other Creative Commons 4.0 ids, ``CC0-1.0``, ``public-domain``,
    ``us-government-work``, ``all-rights-reserved``, or an id of your own with a ``name``."""
    name: PlainText | None = None
    """The licence's full name, e.g. "Open Government Licence v3.0"."""
    url: Url = None
    """The licence's text online (a known id's is filled in)."""
    short: PlainText | None = None
    """Its short name for footers and the cover; a known id's, else the name."""
    kind: LicenceKind = "other"
    """Filled in from a known id; how the licence sentence is worded."""
    holder: PlainText | None = None
    """Who holds the rights, for ``all-rights-reserved``: else the publisher, else the authors."""
    attribution: Text | None = None
    """How reusers must credit the document, printed on the credits page and slide."""

    @classmethod
    def _before(cls, value: Any) -> Any:
        """Fill in the name, URL, short name and kind of a known licence from its id."""
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            known = KNOWN_LICENCES.get(value["id"].strip().upper())
            if known:
                filled = {"name": known.name, "url": known.url, "short": known.short, "kind": known.kind}
                return {key: item for key, item in filled.items() if item is not None} | value
            if "name" not in value:
                raise PydanticCustomError(
                    "licence",
                    "licence '{id}' is not one reportgen knows ({known}): give its name (and url)",
                    {"id": value["id"], "known": ", ".join(KNOWN_LICENCES)},
                )
        return value


KNOWN_LICENCES = {
    f"CC-{code}-4.0": KnownLicence(f"Creative Commons {name} 4.0 International",
                                   f"https://creativecommons.org/licenses/{code.lower()}/4.0/",
                                   f"CC {code} 4.0", "creative-commons")
    for code, name in [
        ("BY", "Attribution"),
        ("BY-SA", "Attribution-ShareAlike"),
        ("BY-ND", "Attribution-NoDerivatives"),
        ("BY-NC", "Attribution-NonCommercial"),
        ("BY-NC-SA", "Attribution-NonCommercial-ShareAlike"),
        ("BY-NC-ND", "Attribution-NonCommercial-NoDerivatives"),
    ]
} | {
    "CC0-1.0": KnownLicence("CC0 1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/",
                            "CC0 1.0", "cc0"),
    "PUBLIC-DOMAIN": KnownLicence("Public Domain Mark 1.0", "https://creativecommons.org/publicdomain/mark/1.0/",
                                  "Public domain", "public-domain"),
    "US-GOVERNMENT-WORK": KnownLicence("A work of the United States Government", None,
                                       "Public domain", "us-government"),
    "ALL-RIGHTS-RESERVED": KnownLicence("All rights reserved", None, "All rights reserved",
                                        "all-rights-reserved"),
}
"""The licences reportgen words without being told more, by id in capitals."""


class Source(Record):
    """Where the document was first published, when it is a republication."""

    publication: PlainText
    """Who first published it, e.g. "360info"."""
    url: Url = None
    """Where it was first published (printed in the credit line)."""
    title: PlainText | None = None
    """Its title there, when it differs from this document's."""


class DeckSlide(Record):
    """A slide written by hand for a section, replacing the ones made from its key points."""

    title: PlainText
    """The slide's title."""
    points: tuple[Text, ...] = Field(min_length=1)
    """The slide's bullets."""
    notes: Paragraphs = ()
    """Speaker notes for this slide (one string is one paragraph)."""


class DeckOverride(Record):
    """What a section looks like in the deck when that differs from the brief."""

    title: PlainText | None = None
    """A shorter heading for the section's slides."""
    slides: tuple[DeckSlide, ...] = ()
    """Slides written by hand, replacing those made from the key points."""
    prose_in_notes: bool = True
    """Whether the section's prose follows its written ``notes`` in the speaker notes."""


def _matching(pattern: str, error_type: str, expected: str):
    """A before-function: text that must match ``pattern`` (else the error ``error_type``)."""

    def check(value: Any) -> str:
        value = _scalar_text(value)
        if not re.fullmatch(pattern, value):
            raise PydanticCustomError(error_type, f"expected {expected}, got '{{v}}'", {"v": value})
        return value

    return check


Slug = Annotated[str, Before(_matching(r"[a-z0-9]+(?:-[a-z0-9]+)*", "slug", "a slug of a-z, 0-9 and single hyphens"))]
Doi = Annotated[str, Before(_matching(r"10\.[0-9]{4,9}/[^\s]+", "doi", "a DOI such as 10.1234/abc.5678 (without https://doi.org/)"))]
LanguageTag = Annotated[str, Before(_matching(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", "language",
                                              "a language tag such as 'en' or 'en-GB'"))]


class Section(Record):
    """A section: heading, key points (the deck's slides, the brief's takeaways) and body blocks."""

    id: Slug
    """A slug unique in the document (``[a-z0-9-]``); made from the heading when left out."""
    heading: PlainText
    """The section's heading (its slides' title)."""
    key_points: tuple[Text, ...] = ()
    """The section's takeaways: the brief's key-points box, the deck's bullets."""
    body: tuple[Block, ...] = ()
    """The section's blocks, in order: a string is a paragraph, anything else a one-key mapping
    naming its kind (``bullets``, ``quote``, ``figure``, ``table``, ``timeline``, ``callout``)."""
    notes: Paragraphs = ()
    """Speaker notes for the section's slides, before its prose (one string is one paragraph)."""
    deck: DeckOverride = DeckOverride()
    """How the section differs in the deck: a shorter title, slides written by hand."""
    skip: tuple[Literal["pdf", "pptx"], ...] = ()
    """Output formats this section is left out of."""
    _filled_in: ClassVar[tuple[str, ...]] = ("id",)
    """Fields an outline may leave out although the record needs them: ``_before`` fills them in."""

    @classmethod
    def _before(cls, value: Any) -> Any:
        if isinstance(value, dict) and "id" not in value:  # without a heading, that error is enough
            return value | {"id": slugify(value["heading"]) if isinstance(value.get("heading"), str) else "section"}
        return value

    def _after(self) -> Section:
        if not self.key_points and not self.body and not self.deck.slides:
            raise PydanticCustomError("empty_section", "section has no key_points, body or deck slides")
        return self

    def paragraphs(self) -> tuple[Paragraph, ...]:
        """The section's prose paragraphs, in order."""
        return tuple(b for b in self.body if isinstance(b, Paragraph))


def slugify(text: str) -> str:
    """``"China’s rising shadow"`` → ``"china-s-rising-shadow"``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


PPTX, PPTX_EXPECTED = (".pptx",), "a .pptx file (save a .potx as .pptx)"
"""What a template file must be (the outline's ``pptx_template`` and a theme's)."""

LAYOUT_KINDS = ("title", "section", "content", "picture", "title_only")
"""The kinds of slide a .pptx template's layouts are chosen for (see ``reportgen templates inspect``)."""


def _template_file(value: Any, info: Any) -> Path:
    return project_file(_scalar_text(value), (info.context or {}).get("root"), PPTX, PPTX_EXPECTED)


class PptxTemplate(Record):
    """An institution's .pptx template: the deck is made from its layouts, masters and footers.

    Written as ``pptx_template: assets/uni.pptx`` or as a mapping with ``layouts:``, which names
    the template's layout for a kind of slide when the template's names are not the usual ones.
    """

    file: Annotated[Path, Before(_template_file, info=True)]
    """The template, a .pptx file relative to the project root."""
    layouts: dict[Literal["title", "section", "content", "picture", "title_only"], PlainText] = {}
    """The template's layout (by name) for a kind of slide, where its names are not the usual ones."""
    _before = _unwrap(None, "file", (str,))


def _date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return Date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("date", "expected a date as YYYY-MM-DD, got '{v}'", {"v": value}) from None
    return value


class Document(Record):
    """A whole document: metadata, sections, and the credits gathered from its images.

    Made by ``reportgen.read.load_outline``; ``vars`` is consumed by templating and kept only so
    that the outline may hold it.
    """

    title: PlainText
    """The document's title."""
    subtitle: PlainText | None = None
    """One line under the title on the cover and the title slide."""
    short_title: PlainText | None = None
    """For running headers and slide footers; the title when left out."""
    date: Annotated[Date, Before(_date)]
    """The publication date, YYYY-MM-DD."""
    language: LanguageTag = "en"
    """The language of the text, a tag such as ``en`` or ``en-GB``: hyphenation, and what screen readers speak."""
    publisher: PlainText | None = None
    """The institute that publishes the brief."""
    series: PlainText | None = None
    """The series the brief belongs to, shown above the title."""
    doi: Doi | None = None
    """The brief's DOI (``10.1234/abc``): its suggested citation links to ``https://doi.org/`` it."""
    keywords: tuple[PlainText, ...] = ()
    """Keywords for the files' metadata."""
    summary: Paragraphs = Field(min_length=1)
    """The executive summary."""
    authors: tuple[Author, ...] = Field(min_length=1)
    """The authors, in the order they are named."""
    licence: Licence
    """The licence the document is published under: ``{id: CC-BY-4.0}`` and the like."""
    source: Source | None = None
    """Where the document was first published, when it is a republication."""
    cover: Cover | None = None
    """The cover photo (the brief's cover, the title slide's picture), with its credit."""
    sections: tuple[Section, ...] = Field(min_length=1)
    """The sections, in order."""
    theme: PlainText | None = None
    """A built-in theme (``policy``, ``lecture``) or a theme file relative to the project root;
    ``--theme`` overrides it. Read by :func:`reportgen.read.load_outline`."""
    pptx_template: PptxTemplate | None = None
    """An institution's .pptx template for the deck; ``--pptx-template`` overrides its file."""
    vars: dict[str, Any] = {}
    """Template variables, for ``{{ name }}`` anywhere in the outline (``--var`` and ``--vars`` override them)."""

    @property
    def running_title(self) -> str:
        return self.short_title or self.title

    @property
    def credits(self) -> tuple[Credit, ...]:
        """Every image credit, the cover's first, then each figure's and each sourced chart's in reading order."""
        found: list[Credit] = []
        seen: set[Path] = set()  # an image used twice is credited once
        if self.cover:
            subject = "Cover photo" + (f": {self.cover.caption}" if self.cover.caption else "")
            found.append(_credit(subject, self.cover).replace(cover=True))
            seen.add(self.cover.image)
        for block in (b for s in self.sections for b in s.body):
            if isinstance(block, Figure) and block.image not in seen:
                found.append(_credit(f"Figure: {block.caption.plain}", block))
                seen.add(block.image)
            elif isinstance(block, Chart) and (block.source or block.licence or block.source_url):
                found.append(Credit(subject=f"Chart: {block.title}", credit=block.source, licence=block.licence,
                                    licence_url=block.licence_url, source_url=block.source_url))
        return tuple(found)

    def figures(self) -> tuple[Figure, ...]:
        return tuple(b for s in self.sections for b in s.body if isinstance(b, Figure))

    def charts(self) -> tuple[Chart, ...]:
        return tuple(b for s in self.sections for b in s.body if isinstance(b, Chart))


def _credit(subject: str, image: ImageRef) -> Credit:
    return Credit(subject=subject, credit=image.credit, licence=image.licence,
                  licence_url=image.licence_url, source_url=image.source_url)
