"""The registry of block kinds: for each kind of the model's :data:`reportgen.model.Block`, what
the brief plans for it, what the deck makes of it, and what it says in the speaker notes.

Every dispatch here is a ``match`` over the model's block classes that ends in
:func:`typing.assert_never`, and the type checker (``make typecheck``, run by CI) checks that
it is exhaustive: a kind added to the model and forgotten by an output is an error there, never
a block silently dropped. (Each function imports the model where it runs: the brief's records
unpickle, and the brief's renderer imports, without it.) A new kind touches the model (its class, in ``Block``), this module
(its brief record and one case in each function) and one drawing function per output. See
docs/architecture.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, assert_never

from reportgen.images import image_size
from reportgen.plan import chart as charts
from reportgen.plan.chart import BriefChart as Chart  # a chart: its spec, every mark and label placed
from reportgen.plan.fit import Span
from reportgen.plan.shared import Spans, column_weights, joined, spans, usable_image

if TYPE_CHECKING:
    from reportgen import model
    from reportgen.plan.deck import _Planner
    from reportgen.plan.slides import Box, Shape

CELL_SIZE = 9.0
"""The brief's table cell text size (pt) at the default body size; it scales with the theme's."""
CELL_PADDING = 12.0
"""A table cell's padding, left and right together (pt), in both outputs."""
MIN_COLUMN_EMS = 2.5
"""The narrowest a table column may be, in ems of its text: a short number or word still fits.
A table with more columns than its page or slide then holds is refused (``build.check``)."""
FIGURE_MAX_HEIGHT = 300.0
"""Points: a figure is scaled to the column's width, but never taller than this."""


# --- what the brief plans for each kind: one record each, with its structure role ------------


class Prose(NamedTuple):
    """A paragraph of body text."""

    text: Spans
    role: str = "P"


class ListEntry(NamedTuple):
    text: Spans
    items: tuple[ListEntry, ...] = ()


class BulletList(NamedTuple):
    items: tuple[ListEntry, ...]
    ordered: bool
    role: str = "L"


class Quote(NamedTuple):
    text: Spans
    by: str | None
    pull: bool
    """Set large between rules, as a pull quote; else an indented block quotation."""
    role: str = "BlockQuote"


class Figure(NamedTuple):
    image: Path | None
    """None when the file is not there (a ``--draft`` build): a placeholder box is drawn instead."""
    alt: str
    caption: Spans
    credit: str | None
    """Who made it and its licence, printed after the caption."""
    width: float
    height: float
    """The placed size, in points: the column's width at most, :data:`FIGURE_MAX_HEIGHT` high at most
    (a placeholder: the column's width, a third of it high)."""
    role: str = "Figure"
    missing: str | None = None
    """The file name of an image that is not there, which its placeholder box names."""


class Table(NamedTuple):
    header: tuple[Spans, ...]
    rows: tuple[tuple[Spans, ...], ...]
    caption: Spans | None
    columns: tuple[float, ...]
    """Each column's share of the column width (see :func:`reportgen.plan.shared.column_weights`)."""
    role: str = "Table"


class Event(NamedTuple):
    when: str
    text: Spans


class Timeline(NamedTuple):
    title: str | None
    events: tuple[Event, ...]
    role: str = "L"


class Callout(NamedTuple):
    title: str | None
    paragraphs: tuple[Spans, ...]
    role: str = "Aside"


BriefBlock = Prose | BulletList | Quote | Figure | Table | Timeline | Callout | Chart
"""A block as the brief draws it."""


def chart_spec(block: model.Chart, language: str) -> charts.ChartSpec:
    """The spec both outputs draw a chart from, with its source line: "Source: <who>,
    <url>, <licence>." (the credits page words it as a figure's credit)."""
    pieces: list[Span] = []
    for text, href in ((block.source, None), (block.source_url, block.source_url), (block.licence, block.licence_url)):
        if text:
            pieces += [Span(", " if pieces else "Source: "), Span(text, href=href)]
    return charts.chart_spec(block, language, joined([*pieces, Span(".")]) if pieces else None)


def brief_block(block: model.Block, column: float, language: str = "en") -> BriefBlock:
    """The brief's record of ``block``, in a text column ``column`` points wide, its numbers
    written for ``language``."""
    from reportgen import model

    match block:
        case model.Paragraph():
            return Prose(spans(block.text))
        case model.BulletList():
            return BulletList(_entries(block.items), block.ordered)
        case model.Quote():
            return Quote(spans(block.text), block.by, block.pull)
        case model.Figure():
            credit = " · ".join(x for x in (block.credit, block.licence) if x) or None
            if not usable_image(block.image):
                return Figure(None, block.alt, spans(block.caption), credit, column, column / 3,
                              missing=block.image.name)
            image_width, image_height = image_size(block.image)
            scale = min(column / image_width, FIGURE_MAX_HEIGHT / image_height)
            return Figure(block.image, block.alt, spans(block.caption), credit, image_width * scale,
                          image_height * scale)
        case model.Table():
            return Table(tuple(spans(h) for h in block.header), tuple(tuple(spans(c) for c in r) for r in block.rows),
                         spans(block.caption) if block.caption else None,
                         column_weights(block, (CELL_PADDING + MIN_COLUMN_EMS * CELL_SIZE) / column))
        case model.Timeline():
            return Timeline(block.title, tuple(Event(e.when, spans(e.text)) for e in block.events))
        case model.Callout():
            return Callout(block.title, tuple(spans(p) for p in block.text))
        case model.Chart():
            return charts.brief_chart(chart_spec(block, language), column)
        case _:
            assert_never(block)


def _entries(items: tuple[model.ListItem, ...]) -> tuple[ListEntry, ...]:
    return tuple(ListEntry(spans(item.text), _entries(item.items)) for item in items)


# --- what the deck makes of each kind -----------------------------------------------------------


def deck_slides(planner: _Planner, section: model.Section, block: model.Block) -> None:
    """The slides ``block`` adds to its section's when it is not placed beside key points (see
    :func:`beside`); prose and lists add none: they are spoken, in the notes."""
    from reportgen import model

    match block:
        case model.Paragraph() | model.BulletList():
            return
        case model.Quote():
            planner.quote(section, block)
        case model.Figure():
            planner.figure(section, block)
        case model.Table():
            planner.table(section, block)
        case model.Timeline():
            planner.timeline(section, block)
        case model.Callout():
            planner.callout(section, block)
        case model.Chart():
            planner.chart(section, block)
        case _:
            assert_never(block)


def may_sit_beside(block: model.Block) -> bool:
    """Whether ``block`` is of a kind that may share a two-content slide with key points (the
    chooser then asks :func:`beside` whether it fits)."""
    from reportgen import model

    match block:
        case model.Quote() | model.Figure() | model.Callout():
            return True
        case model.Paragraph() | model.BulletList() | model.Table() | model.Timeline() | model.Chart():
            return False  # spoken, or too wide to halve: a slide of its own
        case _:
            assert_never(block)


def beside(planner: _Planner, block: model.Block, box: Box) -> tuple[list[Shape | None], list[str]] | None:
    """What ``block`` draws in ``box``, the column beside a slide's key points, and its notes;
    None when it does not fit there at the theme's floor size (it then gets a slide of its own)."""
    from reportgen import model

    match block:
        case model.Quote():
            return planner.quote_beside(block, box)
        case model.Figure():
            return planner.figure_beside(block, box)
        case model.Callout():
            return planner.callout_beside(block, box)
        case model.Paragraph() | model.BulletList() | model.Table() | model.Timeline() | model.Chart():
            return None
        case _:
            assert_never(block)


# --- what each kind says in the speaker notes ---------------------------------------------------


def section_notes(section: model.Section) -> list[str]:
    """A section's speaker notes: what the outline wrote as its ``notes:`` first, then the lines
    its blocks add (its prose), unless ``deck: {prose_in_notes: false}``."""
    written = [paragraph.plain for paragraph in section.notes]
    if not section.deck.prose_in_notes:
        return written
    return written + [line for block in section.body for line in notes(block)]


def notes(block: model.Block) -> list[str]:
    """The lines ``block`` adds to its section's speaker notes (the blocks that make slides of
    their own speak on those slides instead)."""
    from reportgen import model

    match block:
        case model.Paragraph():
            return [block.text.plain]
        case model.BulletList():
            return _list_lines(block.items, 0, block.ordered)
        case model.Quote() | model.Figure() | model.Table() | model.Timeline() | model.Callout() | model.Chart():
            return []
        case _:
            assert_never(block)


def _list_lines(items: tuple[model.ListItem, ...], level: int, ordered: bool) -> list[str]:
    lines = []
    for number, item in enumerate(items, 1):
        lines.append("  " * level + (f"{number}. " if ordered else "• ") + item.text.plain)
        lines.extend(_list_lines(item.items, level + 1, False))
    return lines
