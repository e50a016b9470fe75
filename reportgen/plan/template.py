"""An institution's .pptx template as the deck plan sees it: its layouts, their placeholders and
where they are, and which layout each kind of slide is made from.

:func:`reportgen.render.pptx_template.read_template` reads a :class:`Template` from the file
(with python-pptx); :func:`choose_layouts` picks a layout for each kind of slide: by the name
the outline's ``pptx_template.layouts`` gives, else by the usual name ("Title and Content"), else
by the placeholders a layout has. Lengths are points.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import NamedTuple

from reportgen.model import LAYOUT_KINDS

TITLES = ("title", "ctrTitle")
BODIES = ("body", "obj")
FURNITURE = ("dt", "ftr", "sldNum", "hdr")
"""Date, footer, slide number, header: kept from the layout, not content."""

USUAL_NAMES = {
    "title": "Title Slide",
    "section": "Section Header",
    "content": "Title and Content",
    "picture": "Picture with Caption",
    "title_only": "Title Only",
}
"""The names PowerPoint's default layouts have, for each kind of slide."""

USED_FOR = {
    "title": "the title slide",
    "section": "section dividers and the closing slide",
    "content": "agenda, key points, quotes, author and credits",
    "picture": "figures",
    "title_only": "tables and timelines",
}


class Placeholder(NamedTuple):
    type: str
    """As the file writes it: ``title``, ``ctrTitle``, ``subTitle``, ``body``, ``obj``, ``pic``,
    ``dt``, ``ftr``, ``sldNum``, ..."""
    idx: int
    name: str
    x: float
    y: float
    w: float
    h: float
    vertical: bool = False
    caps: bool = False
    """The layout or master sets its text in capitals (``cap="all"``): measured so."""


class Layout(NamedTuple):
    number: int
    """Its place among all the template's layouts, master after master."""
    name: str
    placeholders: tuple[Placeholder, ...]

    def first(self, *types: str) -> Placeholder | None:
        """The first placeholder of one of ``types`` (in the order given), or None."""
        for wanted in types:
            for placeholder in self.placeholders:
                if placeholder.type == wanted and not placeholder.vertical:
                    return placeholder
        return None

    def content(self) -> tuple[Placeholder, ...]:
        return tuple(p for p in self.placeholders if p.type not in FURNITURE)

    @property
    def title(self) -> Placeholder | None:
        return self.first(*TITLES)


class Template(NamedTuple):
    path: Path
    width: float
    height: float
    layouts: tuple[Layout, ...]
    heading_font: str
    """The theme's major (heading) Latin font."""
    body_font: str
    """The theme's minor (body) Latin font."""
    sample_slides: int
    """Slides in the template file: removed from the deck."""
    external: tuple[str, ...] = ()
    """The template's external relationships, removed from it: ``'target' (in part)`` each."""

    def names(self) -> str:
        return ", ".join(repr(layout.name) for layout in self.layouts)


class LayoutError(ValueError):
    """A kind of slide has no layout; ``kind`` is the key of ``pptx_template.layouts`` to blame."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def _signature(layout: Layout) -> tuple[int, list[str]] | None:
    """(how many title placeholders, the sorted types of the other content placeholders); None
    for a layout with vertical text, which no kind of slide here is made from."""
    content = layout.content()
    if any(p.vertical for p in content):
        return None
    types = [p.type for p in content]
    return sum(t in TITLES for t in types), sorted(t for t in types if t not in TITLES)


# For each kind, what the layout's placeholders must be, in order of preference.
_WANTED = {
    "title": [lambda titles, rest, ctr: ctr and rest in (["subTitle"], [])],
    "section": [lambda titles, rest, ctr: titles == 1 and not ctr and rest == ["body"]],
    "content": [lambda titles, rest, ctr: titles == 1 and not ctr and rest == ["obj"],
                lambda titles, rest, ctr: titles == 1 and not ctr and rest == ["body"]],
    "picture": [lambda titles, rest, ctr: titles == 1 and "pic" in rest and len(rest) <= 2],
    "title_only": [lambda titles, rest, ctr: titles == 1 and not ctr and rest == []],
}


def _by_placeholders(kind: str, layouts: tuple[Layout, ...]) -> Layout | None:
    for wanted in _WANTED[kind]:
        for layout in layouts:
            signature = _signature(layout)
            if signature is not None:
                titles, rest = signature
                if wanted(titles, rest, layout.first("ctrTitle") is not None):
                    return layout
    return None


def choose_layouts(template: Template, mapping: dict[str, str] | None = None) -> dict[str, Layout]:
    """A layout for every kind of slide (:data:`reportgen.model.LAYOUT_KINDS`).

    ``mapping`` (the outline's ``pptx_template.layouts``) names layouts for some kinds; a name
    that is not in the template, or a layout without a title placeholder, is a
    :class:`LayoutError` naming the template's layouts. The other kinds are matched by usual
    name, then by placeholders; a kind still unmatched borrows a layout (a section divider or a
    figure the content layout, a table the content layout with its body left out).
    """
    mapping = mapping or {}
    by_name: dict[str, Layout] = {}
    for layout in template.layouts:
        by_name.setdefault(layout.name, layout)
    chosen: dict[str, Layout] = {}
    for kind, name in mapping.items():
        named = by_name.get(name)
        if named is None:
            close = difflib.get_close_matches(name, list(by_name), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise LayoutError(kind, f"no layout {name!r} in {template.path.name}{hint}; its layouts are {template.names()}")
        if named.title is None:
            raise LayoutError(kind, f"layout {name!r} has no title placeholder, which {USED_FOR[kind]} need; "
                                    f"the template's layouts are {template.names()}")
        chosen[kind] = named
    for kind in LAYOUT_KINDS:
        if kind in chosen:
            continue
        usual = by_name.get(USUAL_NAMES[kind])
        if usual is not None and usual.title is not None:
            chosen[kind] = usual
            continue
        found = _by_placeholders(kind, template.layouts)
        if found is not None:
            chosen[kind] = found
    fallbacks = {"section": ("title_only", "content"), "picture": ("content", "title_only"),
                 "title_only": ("content",), "title": ("section", "title_only", "content"), "content": ()}
    for kind in ("content", "title_only", "section", "picture", "title"):
        if kind not in chosen:
            borrowed = next((chosen[other] for other in fallbacks[kind] if other in chosen), None)
            if borrowed is None:
                raise LayoutError(kind, f"no layout in {template.path.name} for {USED_FOR[kind]}: name one with "
                                        f"pptx_template.layouts.{kind}; the template's layouts are {template.names()}")
            chosen[kind] = borrowed
    return {kind: chosen[kind] for kind in LAYOUT_KINDS}
