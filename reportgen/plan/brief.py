"""Document + theme → :class:`BriefPlan`: everything the PDF brief holds, decided before drawing.

The plan is made of plain values and holds no model object: the page geometry, the resolved
look (faces, sizes, colours), the cover's lines, the running head and foot, the metadata, and
for the body one record per block with its structure role (:mod:`reportgen.plan.blocks` makes
them), with the decisions of layout that are not pagination: table column widths, image sizes
and resolution, which blocks are kept together, where a section may start, the contents
entries, the credit and licence sentences. Pagination is reportlab's job. The renderer
(:mod:`reportgen.render.pdf_brief`) only draws what the plan says. Nothing here imports
reportlab or reads a file but to measure an image, and nothing imports the model or the theme
but to plan: the brief's worker imports and unpickles the plan without them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from reportgen import __version__
from reportgen.plan import blocks
from reportgen.plan.blocks import BriefBlock
from reportgen.plan.language import local_date
from reportgen.plan.shared import (
    Spans, credit_spans, first_published, join_names, licence_mark, licence_notice, licence_statement, spans,
    suggested_citation, usable_image, used_credits,
)

if TYPE_CHECKING:  # (the renderer imports this module for the plan's records, without the model)
    from reportgen.model import Document
    from reportgen.theme import Theme

MM = 72 / 25.4
"""Points in a millimetre."""

PAGE_SIZES: dict[str, tuple[float, float]] = {
    "a4": (210 * MM, 297 * MM),
    "letter": (612.0, 792.0),
}
"""Page sizes in points, by the name ``--page-size`` takes."""

MAX_TAKEAWAYS = 12
"""The summary lists each section's first key point, for briefs of up to this many sections."""

SECTION_NEEDS_LINES = 8
"""A section starts on a new page unless this many body lines are left on the current one."""
END_MATTER_NEEDS_LINES = 12
"""The same for "About the author", which the credits follow."""
MOST_EMPTY = 0.25
"""No page before the last is left more than a quarter empty at its foot by the end matter kept
whole or by a figure moved on whole."""
FIGURE_LEAST = 0.6
"""The smallest a figure's image is set to fit a page (:attr:`BriefPlan.figure_least`)."""
HYPHEN_MIN = 3
"""Letters a hyphenation leaves on either side of the break."""
SHORTEST_LAST_LINE = 0.2
"""A paragraph's last line is at least a fifth of the measure."""
SUMMARY_GAP = 0.5
"""Space between the summary's paragraphs, in body leadings: a paragraph is told from the next
by the gap, as in the body."""


class Margins(NamedTuple):
    """Page margins in points."""

    top: float
    bottom: float
    left: float
    right: float


class BriefLook(NamedTuple):
    """The theme as the brief draws it: faces, sizes and colours, resolved."""

    body_face: str
    """The body face (prose, bullets, quotes): a key of the renderer's font set."""
    heading_face: str
    """Headings, labels, captions, tables, running heads."""
    mono_face: str
    """Inline code."""
    colours: tuple[tuple[str, str], ...]
    """(name, ``#RRGGBB``) of every colour of the theme."""
    label_colour: str
    """Labels sit on tinted boxes: the accent where it reads there, else the primary colour."""
    bullet_colour: str
    """Bullets in tinted boxes: the accent where it stands out there by 3:1 (a graphic, WCAG
    1.4.11), else the primary colour: an amber bullet on pale yellow all but vanishes."""
    body_size: float
    leading: float
    """The baseline grid of body text; spacing elsewhere is a multiple or half of it."""
    heading_size: float
    scale: float
    """Secondary text (labels, boxes, captions, tables, the cover) is sized with the body: a
    theme's larger body text makes all of it larger."""

    def colour(self, name: str) -> str:
        return dict(self.colours)[name]


class Heading(NamedTuple):
    """A heading of the body: a bookmark and a contents entry that links to it."""

    text: str
    key: str
    """The bookmark's name, unique in the brief."""
    level: int = 1
    role: str = "H1"


class KeyPoints(NamedTuple):
    """A section's key points, boxed after its prose as its recap."""

    points: tuple[Spans, ...]
    keep_with: Literal["tail", "block"]
    """Never alone at the top of a page: kept with the tail of the block before it (``tail``:
    the last lines of a paragraph or the last events of a timeline, which split there; or the
    heading of a section with no body), or with the whole block before it (``block``: a figure,
    a table, a quote, which move whole with the box)."""
    label: str = "KEY POINTS"
    role: str = "Aside"


class SectionPlan(NamedTuple):
    heading: Heading
    blocks: tuple[BriefBlock, ...]
    key_points: KeyPoints | None
    needs_lines: int = SECTION_NEEDS_LINES


class AuthorPlan(NamedTuple):
    name: str
    affiliation: str | None
    bio: tuple[Spans, ...]


class Cover(NamedTuple):
    kicker: str
    """The small line above the title: series and publisher."""
    title: str
    subtitle: str | None
    byline: str
    date_line: str
    image: Path | None
    credit: Spans | None
    """The cover photo's credit, printed under it: "Photo: <caption>, available at …"."""
    logo: Path | None
    notice: str
    """The line at the foot of the cover: the licence mark, where it was first published."""
    image_alt: str = ""
    """The cover photo's alt text (its Figure element's /Alt)."""
    motif_at: tuple[float, float] = (0.5, 0.5)
    """Where the three rings (drawn when there is no photo) are centred, as fractions of the
    area between the band and the foot, across and up: on the page's centre line, as the title
    block above is aligned to the margins around it."""


class EndMatter(NamedTuple):
    about: Heading
    authors: tuple[AuthorPlan, ...]
    credits_heading: Heading
    attribution: Spans | None
    licence: Spans
    source: Spans | None
    credits: tuple[Spans, ...]
    citation: Spans = ()
    """The suggested citation, last on the credits page."""
    needs_lines: int = END_MATTER_NEEDS_LINES
    """When not :attr:`kept_together`: the lines left on a page that "About the author" needs."""
    kept_together: bool = True
    """"About the author" (heading, names, bios) is kept on one page, and so is "Credits and
    licence" (heading to citation): each moves whole to the next page rather than leave a few
    lines alone on one (split only when taller than a page), unless that leaves more than
    :attr:`most_empty` of a page empty at its foot. Then the two go in the other order, if that
    leaves no such page; else the one that does not fit splits between its paragraphs."""
    most_empty: float = MOST_EMPTY
    """The most of a page's text area the end matter may leave empty at a page's foot, but the last's."""


class Metadata(NamedTuple):
    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    language: str
    creator: str


class BriefPlan(NamedTuple):
    """Everything the PDF renderer draws. Made by :func:`plan_brief`."""

    page_size: tuple[float, float]
    margins: Margins
    look: BriefLook
    cover: Cover
    running_title: str
    date_line: str
    licence_mark: str
    licence_url: str | None
    summary: tuple[Spans, ...]
    summary_gap: float
    """Points between two summary paragraphs."""
    takeaways: tuple[Spans, ...]
    sections: tuple[SectionPlan, ...]
    end: EndMatter
    contents: tuple[Heading, ...]
    """The contents entries, in order: every section, then the end matter."""
    metadata: Metadata
    hyphenation: str | None
    """The language the body is hyphenated in (a tag, the outline's); None: no hyphenation. The
    renderer hyphenates with pyphen's dictionary for it, where pyphen has one
    (:func:`reportgen.render.hyphens.dictionary`)."""
    hyphen_min: int
    """A word is hyphenated only with at least this many letters before and after the break
    ("princi-|ples", never "a-|lone" nor "pol-|icy's" at two)."""
    shortest_last_line: float
    """A paragraph's last line is at least this fraction of the measure: a shorter one is
    re-broken (spaces a little tighter, else no hyphen) to take it up or lengthen it."""
    korean: bool
    """Korean text breaks between words, not between characters."""
    image_dpi: int
    """Images are embedded with at most this many pixels per inch of their placed size."""
    figure_least: float = FIGURE_LEAST
    """A figure's image may be set this much smaller (a fraction of its size) to fit the room
    left on a page, where moving it on would leave more than :attr:`most_empty` of it empty."""
    most_empty: float = MOST_EMPTY
    """The most of a body page's text area a figure moved on may leave empty at the page's foot."""


def table_columns_that_fit(theme: Theme, page_size: str | None = None) -> int:
    """The most columns a table may have in the brief: each at least :data:`blocks.MIN_COLUMN_EMS`
    of the cell text's size wide, plus its padding, across the text column."""
    width, _ = PAGE_SIZES[page_size or theme.brief.page_size]
    column = width - MM * (theme.brief.margins.left + theme.brief.margins.right)
    cell_size = blocks.CELL_SIZE * theme.brief.body_size / 10.5
    return max(1, int(column // (blocks.CELL_PADDING + blocks.MIN_COLUMN_EMS * cell_size)))


def plan_brief(document: Document, theme: Theme, page_size: str | None = None) -> BriefPlan:
    """Plan the brief of ``document`` in ``theme`` on ``page_size`` (a key of
    :data:`PAGE_SIZES`; the theme's when None)."""
    width, height = PAGE_SIZES[page_size or theme.brief.page_size]
    margins = Margins(**{side: mm * MM for side, mm in theme.brief.margins})
    column = width - margins.left - margins.right
    credits = used_credits(document)
    cover_image = document.cover.image if document.cover and usable_image(document.cover.image) else None
    sections = tuple(s for s in document.sections if "pdf" not in s.skip)
    names = [a.name for a in document.authors]
    planned = tuple(
        SectionPlan(Heading(s.heading, f"s-{s.id}"), body := tuple(blocks.brief_block(b, column, document.language) for b in s.body),
                    _key_points(tuple(spans(p) for p in s.key_points), body))
        for s in sections
    )
    mark = licence_mark(document)
    end = EndMatter(
        about=Heading("About the author" if len(document.authors) == 1 else "About the authors", "about"),
        authors=tuple(AuthorPlan(a.name, a.affiliation, tuple(spans(p) for p in a.bio)) for a in document.authors),
        credits_heading=Heading("Credits and licence", "credits"),
        attribution=spans(document.licence.attribution) if document.licence.attribution else None,
        licence=licence_statement(document, "This brief"),
        source=first_published(document.source) if document.source else None,
        credits=tuple(credit_spans(c) for c in credits),
        citation=suggested_citation(document),
    )
    cover_credit = next((c for c in credits if c.cover), None) if cover_image else None
    return BriefPlan(
        page_size=(width, height),
        margins=margins,
        look=_look(theme),
        cover=Cover(
            kicker=" · ".join(x for x in (document.series, document.publisher) if x) or "Policy brief",
            title=document.title,
            subtitle=document.subtitle,
            byline=join_names(names),
            date_line=local_date(document.date, document.language),
            image=cover_image,
            credit=credit_spans(cover_credit.replace(subject=_caption(cover_credit.subject)), "Photo: ")
            if cover_credit else None,
            logo=theme.logo_on_primary,  # on the cover's band
            notice="  ·  ".join([licence_notice(document)]
                                + ([f"First published by {document.source.publication}"] if document.source else [])),
            image_alt=document.cover.alt if document.cover and cover_image else "",
        ),
        running_title=theme.footer or document.running_title,
        date_line=local_date(document.date, document.language),
        licence_mark=mark,
        licence_url=document.licence.url,
        summary=tuple(spans(p) for p in document.summary),
        summary_gap=theme.brief.leading * SUMMARY_GAP,
        takeaways=tuple(spans(s.key_points[0]) for s in sections if s.key_points) if len(sections) <= MAX_TAKEAWAYS else (),
        sections=planned,
        end=end,
        contents=(*(s.heading for s in planned), end.about, end.credits_heading),
        metadata=Metadata(
            title=document.title, author=", ".join(names), subject=document.subtitle or document.summary[0].plain,
            keywords=document.keywords, language=document.language, creator=f"reportgen {__version__}",
        ),
        hyphenation=document.language,
        hyphen_min=HYPHEN_MIN,
        shortest_last_line=SHORTEST_LAST_LINE,
        korean=document.language.lower().startswith("ko"),
        image_dpi=theme.brief.image_dpi,
    )


def _key_points(points: tuple[Spans, ...], body: tuple[BriefBlock, ...]) -> KeyPoints | None:
    if not points:
        return None
    last = body[-1] if body else None
    return KeyPoints(points, "tail" if last is None or isinstance(last, (blocks.Prose, blocks.Timeline)) else "block")


def _caption(subject: str) -> str:
    """A cover credit's subject ("Cover photo: <caption>") as printed under the photo."""
    return subject.removeprefix("Cover photo").removeprefix(": ") or "Cover photo"


def _look(theme: Theme) -> BriefLook:
    from reportgen.theme import brief_bullet, brief_label

    palette = theme.colours
    return BriefLook(
        body_face=theme.fonts.body.pdf, heading_face=theme.fonts.heading.pdf, mono_face=theme.fonts.mono.pdf,
        colours=tuple(palette), label_colour=dict(palette)[brief_label(palette)],
        bullet_colour=dict(palette)[brief_bullet(palette)],
        body_size=theme.brief.body_size, leading=theme.brief.leading, heading_size=theme.brief.heading_size,
        scale=theme.brief.body_size / 10.5,
    )
