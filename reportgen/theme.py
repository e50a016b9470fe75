"""The theme: how a brief and a deck look, shared by both renderers.

A theme is a YAML file (``reportgen/themes/policy.yaml`` and ``lecture.yaml`` are built in) read
into a frozen :class:`Theme` by :func:`reportgen.read.themes.load_theme`, with the same
``FILE:LINE:COL: key.path: message`` errors as an outline. A theme may ``extends:`` another and
change a few keys. The renderers take every colour, size and font name from here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

from pydantic_core import PydanticCustomError

from reportgen.model import PPTX, PPTX_EXPECTED, PlainText
from reportgen.font_metrics import DECK_FONTS, font_problem, ttf_key
from reportgen.images import unreadable_image
from reportgen.model.paths import project_file
from reportgen.records import Before, Field, Record

BUILT_IN_METRICS = tuple(DECK_FONTS.values())
FACE_KEYS = {"regular": "regular", "bold": "bold", "italic": "italic", "bold_italic": "bolditalic"}


def _hex(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"#[0-9A-Fa-f]{6}", value.strip()):
        raise PydanticCustomError("colour", "expected a colour as #RRGGBB, got {value}", {"value": repr(value)})
    return value.strip().upper()


Colour = Annotated[str, Before(_hex)]


def _font_name(value: Any) -> str:
    """A font's name as the deck writes it: one line of text."""
    if not isinstance(value, str) or not value.strip():
        raise PydanticCustomError("font", "expected a font name, got {value}", {"value": repr(value)})
    if bad := re.search(r"[\t\n\r]", value):
        raise PydanticCustomError("font", "a font name is one line; this one holds U+{code}",
                                  {"code": f"{ord(bad.group()):04X}"})
    return value


def contrast(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two ``#RRGGBB`` colours: 1 (none) to 21 (black on white)."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


NORMAL_TEXT = 4.5
"""WCAG 2.1 AA's contrast for text under 18 pt (under 14 pt bold)."""
LARGE_TEXT = 3.0
"""WCAG 2.1 AA's contrast for larger text."""


class TextColour(NamedTuple):
    """Text in one theme colour on another, as an output draws it: what the contrast test and a
    theme's warnings check (:func:`text_colours`)."""

    use: str
    colour: str
    """A colour's name (a field of :class:`Colours`)."""
    background: str
    large: bool
    """At least 18 pt, or 14 pt bold: 3:1 is enough."""

    @property
    def needs(self) -> float:
        return LARGE_TEXT if self.large else NORMAL_TEXT


def readable_name(colours: Colours, colour: str, background: str, ratio: float, *fallbacks: str) -> str:
    """The name of the first of ``colour`` and ``fallbacks`` that stands out on ``background`` by
    ``ratio`` (the last fallback, if none does: the theme's warning says so)."""
    values = dict(colours)
    for name in (colour, *fallbacks):
        if contrast(values[name], values[background]) >= ratio:
            return name
    return fallbacks[-1] if fallbacks else colour


DECK_ROLES: dict[str, tuple[str, str, bool, bool]] = {
    # role: (colour on a light slide, colour on a dark slide, bold, large text)
    "title": ("primary", "on_primary", True, True), "divider": ("on_primary", "on_primary", True, True),
    "number": ("accent", "accent", True, True), "subtitle": ("text", "on_primary_muted", False, True),
    "body": ("text", "on_primary", False, True), "quote": ("primary", "on_primary", False, True),
    "caption": ("muted", "on_primary_muted", False, False), "footer": ("muted", "on_primary_muted", False, False),
    "label": ("accent", "on_primary_muted", False, False), "date": ("primary", "on_primary", True, True),
    "event": ("text", "on_primary", False, True),
}
"""The deck's text roles as a theme colours them, before :func:`deck_roles` makes sure each one
reads: a light slide's background is ``background``, a dark slide's ``primary``."""


def deck_roles(colours: Colours) -> dict[str, tuple[str, str, bool]]:
    """Each deck text role → (colour name on a light slide, on a dark slide, bold): the theme's
    colour where it reads on that slide, else ``primary`` (then ``text``) on a light slide and
    ``on_primary_muted`` (then ``on_primary``) on a dark one: an amber accent made for dark
    slides is not used for a label on a white one, nor a terracotta one for a number on navy."""
    roles = {}
    for role, (light, dark, bold, large) in DECK_ROLES.items():
        ratio = LARGE_TEXT if large else NORMAL_TEXT
        roles[role] = (readable_name(colours, light, "background", ratio, "primary", "text"),
                       readable_name(colours, dark, "primary", ratio, "on_primary_muted", "on_primary"), bold)
    return roles


def brief_label(colours: Colours) -> str:
    """The brief's box labels (KEY POINTS, 8.5 pt capitals on ``tint``): the accent where it reads there."""
    return readable_name(colours, "accent", "tint", NORMAL_TEXT, "primary", "text")


def brief_bullet(colours: Colours) -> str:
    """The bullets of the brief's tinted boxes: the accent where it stands out on ``tint`` by 3:1
    (a graphic, WCAG 2.1 1.4.11), else the primary colour."""
    return readable_name(colours, "accent", "tint", LARGE_TEXT, "primary", "text")


def text_colours(colours: Colours) -> list[TextColour]:
    """Every pair of colours the brief and the deck draw text in, after the fallbacks above."""
    pairs = [
        TextColour("the brief's body text", "text", "background", False),
        TextColour("the brief's text in boxes and table rows", "text", "tint", False),
        TextColour("the brief's headings, pull quotes and timeline dates", "primary", "background", False),
        TextColour("the brief's headings in boxes", "primary", "tint", False),
        TextColour("the brief's captions, footers and small print", "muted", "background", False),
        TextColour("the brief's box labels", brief_label(colours), "tint", False),
        TextColour("the brief's bullets in boxes", brief_bullet(colours), "tint", True),
        TextColour("links", "link", "background", False),
        TextColour("the brief's cover title and table headers", "on_primary", "primary", False),
        TextColour("the brief's cover kicker and subtitle", "on_primary_muted", "primary", False),
    ]
    for role, (light, dark, _) in deck_roles(colours).items():
        large = DECK_ROLES[role][3]
        pairs.append(TextColour(f"the deck's {role} text on a light slide", light, "background", large))
        pairs.append(TextColour(f"the deck's {role} text on a dark slide", dark, "primary", large))
    return pairs


def contrast_warnings(colours: Colours) -> list[str]:
    """What in ``colours`` fails WCAG 2.1 AA: one line a pair of colours, naming both and what
    is drawn in them."""
    values = dict(colours)
    failing: dict[tuple[str, str], list[TextColour]] = {}
    for pair in text_colours(colours):
        if contrast(values[pair.colour], values[pair.background]) < pair.needs:
            failing.setdefault((pair.colour, pair.background), []).append(pair)
    warnings = []
    for (colour, background), pairs in failing.items():
        needs = max(pair.needs for pair in pairs)
        uses = pairs[0].use + (f" (and {len(pairs) - 1} more)" if len(pairs) > 1 else "")
        warnings.append(f"colours.{colour} ({values[colour]}) on colours.{background} ({values[background]}): "
                        f"contrast {contrast(values[colour], values[background]):.2f}:1, {uses} needs {needs:g}:1 "
                        "(WCAG 2.1 AA)")
    return warnings


class Colours(Record):
    primary: Colour
    """Headings, title slides, table headers."""
    accent: Colour
    """Rules, bullets, timeline dots, highlights."""
    text: Colour
    muted: Colour
    """Captions, footers, secondary text."""
    tint: Colour
    """Boxes and alternate table rows."""
    rule: Colour
    """Thin lines."""
    link: Colour
    background: Colour
    """Light slides (the brief is printed on white paper)."""
    on_primary: Colour
    """Text on the primary colour."""
    on_primary_muted: Colour


PDF_FACES = ("serif", "sans")
"""The brief's faces: Source Serif Pro and Source Sans Pro, from their PyPI wheels."""


def _font_files(value: Any, info: Any) -> str:
    """TrueType files in the project, written as a path (the regular face) or a mapping of
    ``regular``, ``bold``, ``italic``, ``bold_italic``: as one key (:func:`reportgen.font_metrics.ttf_key`)."""
    files = {"regular": value} if isinstance(value, str) else value
    if not isinstance(files, dict) or "regular" not in files:
        raise PydanticCustomError("font", "expected a TrueType file, or a mapping of regular, bold, italic, "
                                  "bold_italic files")
    unknown = set(files) - set(FACE_KEYS)
    if unknown:
        raise PydanticCustomError("font", "unknown face {face}: expected regular, bold, italic, bold_italic",
                                  {"face": repr(sorted(unknown)[0])})
    root = (info.context or {}).get("root")
    paths = {}
    for face, written in files.items():
        if not isinstance(written, str):
            raise PydanticCustomError("font", "{face}: expected a path to a TrueType file", {"face": face})
        path = project_file(written, root, (".ttf",), "a TrueType (.ttf) file", "no such font file")
        if root is not None and (problem := font_problem(path)) is not None:
            raise PydanticCustomError("font", "{v} is not a font reportgen can use: {why}", {"v": written, "why": problem})
        paths[FACE_KEYS[face]] = path
    return ttf_key(paths)


def _pdf_face(value: Any, info: Any) -> str:
    if value in PDF_FACES:
        return value
    if isinstance(value, str) and not value.lower().endswith(".ttf"):
        raise PydanticCustomError("font", "expected serif, sans, or a TrueType (.ttf) file, got {v}", {"v": repr(value)})
    return _font_files(value, info)


def _metrics(value: Any, info: Any) -> str | None:
    if value is None or (isinstance(value, str) and value in BUILT_IN_METRICS):
        return value
    return _font_files(value, info)


class FontRole(Record):
    """One kind of text (body, heading or code): its face in the brief, its font in the deck, and
    the metrics its deck text is measured with."""

    pdf: Annotated[str, Before(_pdf_face, info=True)]
    """The brief's face: ``serif`` (Source Serif Pro), ``sans`` (Source Sans Pro), or TrueType
    files in the project (embedded, subset)."""
    deck: Annotated[str, Before(_font_name)] = "Calibri"
    """The font name written into the deck."""
    metrics: Annotated[str | None, Before(_metrics, info=True)] = None
    """What measures the deck text: a built-in metric set (``carlito``, for Calibri), or the
    font's TrueType files in the project (a path to the regular face, or a mapping of
    ``regular``, ``bold``, ``italic``, ``bold_italic``). Left out for a font with built-in metrics."""

    def _after(self) -> FontRole:
        if self.metrics is None and self.deck not in DECK_FONTS:
            raise PydanticCustomError(
                "font", "no metrics for deck font {value}: give metrics: its TrueType file (or a metric-compatible "
                "font's, e.g. Liberation Sans for Arial); built in: {known}",
                {"value": repr(self.deck), "known": ", ".join(f"{k} ({v})" for k, v in DECK_FONTS.items())})
        return self

    @property
    def measured_with(self) -> str:
        """The :attr:`reportgen.plan.fit.BoxSpec.font` of this font."""
        return self.metrics or DECK_FONTS[self.deck]


class Fonts(Record):
    body: FontRole = FontRole(pdf="serif")
    """Prose, bullets, quotes."""
    heading: FontRole = FontRole(pdf="sans")
    """Headings, titles, labels, captions, tables, running heads."""
    mono: FontRole = FontRole(pdf="sans")
    """Inline code (```code```); by default set apart in the brief by the sans face."""


class PageMargins(Record):
    """The brief's page margins in millimetres; the running head and foot sit just outside them."""

    top: float = Field(27.5, ge=15, le=60)
    bottom: float = Field(25.4, ge=15, le=60)
    left: float = Field(30.5, ge=10, le=60)
    right: float = Field(30.5, ge=10, le=60)


class BriefStyle(Record):
    page_size: Literal["a4", "letter"] = "a4"
    margins: PageMargins = PageMargins()
    body_size: float = Field(10.5, ge=8, le=14)
    leading: float = Field(15.0, ge=9, le=22)
    heading_size: float = Field(17.0, ge=10, le=30)
    image_dpi: int = Field(200, ge=72, le=600)


class DeckStyle(Record):
    slide_size: Literal["16:9", "4:3"] = "16:9"
    title_size: float = Field(36.0, ge=20, le=60)
    body_size: float = Field(28.0, ge=18, le=44)
    """The largest body text; it shrinks to fit, never under ``body_min``."""
    body_min: float = Field(18.0, ge=18, le=44)
    """Body text never goes under 18 pt: below this, content continues on another slide."""
    dark_slides: Literal["dividers", "all"] = "dividers"
    """Which slides have the primary colour as background."""
    dividers: Literal["auto", "always", "never"] = "auto"
    """Where a section opens with a divider slide: ``auto``, before a section of two slides or
    more (a divider before a single slide only adds a click); ``always``, before every section;
    ``never``."""
    image_dpi: int = Field(150, ge=72, le=600)


def _template(value: Any, info: Any) -> Path:
    if not isinstance(value, str):
        raise PydanticCustomError("path", "expected a path to a .pptx file")
    return project_file(value, (info.context or {}).get("root"), PPTX, PPTX_EXPECTED)


def _logo(value: Any, info: Any) -> Path | None:
    if value is None:  # (a brand file's single logo clears its base theme's logo_dark)
        return None
    if not isinstance(value, str):
        raise PydanticCustomError("path", "expected a path to an image")
    root = (info.context or {}).get("root")
    path = project_file(value, root, (".png", ".jpg", ".jpeg"), "a PNG or JPEG logo", "no such image")
    if root is not None and (reason := unreadable_image(path)):  # checked like an outline's images, before any use
        raise PydanticCustomError("image", "{v} is not an image reportgen can use: {reason}", {"v": value, "reason": reason})
    return path


class Theme(Record):
    name: PlainText
    extends: str | None = None
    colours: Colours
    fonts: Fonts = Fonts()
    brief: BriefStyle = BriefStyle()
    deck: DeckStyle = DeckStyle()
    footer: PlainText | None = None
    """Footer text for slides and pages, instead of the document's short title."""
    logo: Annotated[Path | None, Before(_logo, info=True)] = None
    """An image in the project: on the cover, the title slide and small in the deck's footer."""
    logo_dark: Annotated[Path | None, Before(_logo, info=True)] = None
    """The logo where it is drawn on the primary colour (the cover's band, the title slide, the
    footer of a dark slide), when it needs another version there (a white one on navy); else
    ``logo`` is drawn there too."""

    @property
    def logo_on_primary(self) -> Path | None:
        """The logo drawn on the primary colour: ``logo_dark``, else ``logo``."""
        return self.logo_dark or self.logo
    pptx_template: Annotated[Path | None, Before(_template, info=True)] = None
    """An institution's .pptx template for decks in this theme; an outline's ``pptx_template:``
    and ``--pptx-template`` override it."""
