"""The deck plan's data: every slide and shape, as plain values made by :mod:`reportgen.plan.deck`.

Nothing here holds a model object, so the deck's renderer, in a process of its own (see
:mod:`reportgen.build`), reads a plan without importing the model or pydantic. Lengths are
points; (0, 0) is the slide's top left corner.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from reportgen.plan import fit
from reportgen.plan.chart import ChartSpec

if TYPE_CHECKING:
    from reportgen.plan.template import Template

Role = Literal["title", "subtitle", "body", "quote", "caption", "footer", "number", "label", "divider", "date", "event"]
HEADING_ROLES = ("title", "divider", "number")
"""Roles set in the theme's heading font; the others are in its body font."""


class Box(NamedTuple):
    x: float
    y: float
    w: float
    h: float


class Frame(NamedTuple):
    """A text box: measured paragraphs at one size. ``role`` picks colour and weight in the emitter."""

    box: Box
    paras: tuple[fit.Para, ...]
    size: float
    spec: fit.BoxSpec
    role: Role
    align: Literal["left", "center", "right"] = "left"
    placeholder: int | None = None
    """With a template: the idx of the layout's placeholder this text fills (None: a text box)."""
    anchor: Literal["top", "bottom"] = "top"
    """Where the text sits in its box (it fits either way): dates on a timeline sit on its axis."""


class Picture(NamedTuple):
    path: Path
    box: Box
    alt: str
    placeholder: int | None = None
    """With a template: the idx of the layout's picture placeholder it fills."""


class Rect(NamedTuple):
    box: Box
    fill: Literal["primary", "accent", "tint", "rule"]
    ellipse: bool = False


class Line(NamedTuple):
    x1: float
    y1: float
    x2: float
    y2: float


class TableShape(NamedTuple):
    box: Box
    columns: tuple[float, ...]
    rows: tuple[tuple[tuple[fit.Para, ...], ...], ...]
    """Row 0 is the header; each cell is its paragraphs."""
    row_heights: tuple[float, ...]
    size: float


class ChartShape(NamedTuple):
    """A native chart (see :mod:`reportgen.plan.chart`): its data embedded as a workbook."""

    box: Box
    spec: ChartSpec
    size: float
    """The chart's text size: axes, legend, data labels."""
    value_labels: bool
    """Each value written on its bar, slice or point."""
    dated: date
    """The document's date: its embedded workbook's creation date (so that builds are byte-identical)."""


FooterType = Literal["dt", "ftr", "sldNum"]
"""The layout's placeholders for the date, the footer text and the slide number."""


class Footer(NamedTuple):
    """One of the footer placeholders of the slide's layout, filled: the date (``dt``), the
    footer text (``ftr``) or the slide number (``sldNum``). PowerPoint knows them as the slide's
    running furniture (its Header and Footer dialog), not as content; the deck copies each from
    the layout, as PowerPoint does when footers are switched on."""

    type: FooterType
    frame: Frame
    """Where it is and its text, measured. For ``sldNum``, the slide's number, which the deck
    writes as a slide-number field (PowerPoint renumbers it when slides move or are added); for
    ``dt``, the publication date as fixed text. With a template, ``frame.placeholder`` is the
    layout's idx and the template styles the text; without, the theme's colours and the plan's
    alignment, as on a text box. A layout without the placeholder gets a text box instead."""

    @property
    def box(self) -> Box:
        return self.frame.box


Shape = Frame | Picture | Rect | Line | TableShape | ChartShape | Footer

SlideKind = Literal["title", "agenda", "section", "bullets", "statement", "two_content", "quote", "figure",
                    "table", "timeline", "chart", "callout", "author", "credits", "closing"]
"""The slide's design: ``bullets`` (key points), ``statement`` (a single point, set large),
``two_content`` (key points beside a quote, figure or callout), one kind per block that has a
slide of its own, and the deck's frame (title, agenda, section divider, author, credits,
closing). :data:`reportgen.plan.deck.LAYOUT_OF` names the template layout each is made from."""


class Slide(NamedTuple):
    """One slide: its title frame first (reading order), then its shapes, then the notes."""

    kind: SlideKind
    title: Frame
    shapes: tuple[Shape, ...]
    notes: tuple[str, ...]
    dark: bool = False
    footer: bool = True
    layout: int | None = None
    """With a template: the index of the layout the slide is made from (see plan/template.py)."""


def in_reading_order(slide: Slide) -> Slide:
    """``slide`` with its shapes in the order a screen reader meets them, which is the order of
    the slide's shape tree: after the title, the decorations (rectangles, rules: marked
    decorative, and passed over) first, since they lie under the text; then the rest top to
    bottom, left to right; the footer placeholders last, left to right (where PowerPoint puts
    them when footers are switched on)."""
    decorations = [shape for shape in slide.shapes if isinstance(shape, Rect | Line)]
    footers = sorted((shape for shape in slide.shapes if isinstance(shape, Footer)), key=lambda shape: shape.box.x)
    content = [shape for shape in slide.shapes if not isinstance(shape, Rect | Line | Footer)]
    content.sort(key=lambda shape: (round(shape.box.y, 1), round(shape.box.x, 1)))
    return slide._replace(shapes=(*decorations, *content, *footers))


class DeckLook(NamedTuple):
    """What the emitter takes from the theme: its colours and the deck's fonts, as plain values.
    Made by the planner from :class:`reportgen.theme.Theme`."""

    colours: tuple[tuple[str, str], ...]
    """(name, ``#RRGGBB``) for every colour of the theme."""
    body_font: str
    heading_font: str
    mono_font: str
    body_measured_with: str
    heading_measured_with: str
    """The metrics the body and heading text were measured with (see
    :data:`reportgen.font_metrics.DECK_FONTS`): a template's own font is used where it
    measures the same."""
    image_dpi: int = 150
    """Pictures are embedded with this many pixels per inch of their placed size, at most (the
    theme's ``deck.image_dpi``)."""
    roles: tuple[tuple[str, str, str, bool], ...] = ()
    """(role, colour name on a light slide, on a dark slide, bold) for each text role: colours
    that read on their slide (:func:`reportgen.theme.deck_roles`)."""


class DeckPlan(NamedTuple):
    width: float
    height: float
    title: str
    author: str
    language: str
    keywords: tuple[str, ...]
    subject: str
    footer_text: str
    licence_mark: str
    look: DeckLook
    slides: tuple[Slide, ...] = ()
    template: Template | None = None
    """An institution's template the slides are made from; None: reportgen's own design."""
