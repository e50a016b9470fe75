"""The brief's structure tree as it is made while drawing: elements (:class:`Node`), the marked
content of each page, and the links (:class:`Tagger`); and the drawn file that carries them
(:class:`DrawnPdf`).

Plain values, with neither reportlab nor pikepdf: :mod:`reportgen.render.pdf_tags` fills the
tree while reportlab draws, in the brief's worker process; :mod:`reportgen.render.pdf_finish`
writes it into the file with pikepdf, in the command's process, which needs only this module to
read what the worker sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from reportgen.plan.brief import Metadata

ROLE_MAP = {"Aside": "Note"}
"""Roles the plan uses that PDF 1.7 does not define, and the standard role each maps to (the
summary box and the key points are asides: ``Note`` is PDF 1.7's nearest)."""


class Node:
    """A structure element: its role, attributes and kids (elements, marked content, links).

    ``parent`` is set when the element's place is known before drawing (a table's rows and
    cells, a list's items); else it is attached to the innermost open element when first drawn."""

    __slots__ = ("role", "attrs", "kids", "parent", "attached", "items", "page")

    def __init__(self, role: str, parent: Node | None = None, **attrs: Any):
        self.role, self.parent, self.attrs = role, parent, attrs
        self.kids: list[Node | _Content | _Link] = []
        self.attached = False
        self.items = 0
        """Of a list: how many of its items have their label."""
        self.page = 0
        """The page of the element's first content."""


class _Content(NamedTuple):
    page: int
    mcid: int


class _Link(NamedTuple):
    page: int
    at: int
    """The annotation's place among its page's annotations."""
    contents: str


class Tagger:
    """The structure tree made while drawing, and the marked content of each page."""

    def __init__(self) -> None:
        self.root = Node("Document")
        self.root.attached = True
        self.stack: list[Node] = [self.root]
        self.mcids: dict[int, list[Node]] = {}
        """Page → the element of each MCID on it, by MCID."""
        self.annotations: dict[int, int] = {}
        """Page → the annotations made on it so far."""
        self.leaf: Node | None = None
        """The element whose marked content is open."""
        self.in_artifact = 0
        self.trailing: list[Node] = []
        """Links drawn inside artifacts (the running foot's licence): read after the content."""
        self.pending_links: list[_Link] = []
        """Links made inside an automatic container before the element they belong to."""
        self.figures: dict[tuple[int, int], Node] = {}
        self.drawn_boxes: dict[tuple[int, int], list[float]] = {}
        """The box of each Figure drawn as vector graphics (a chart), by (page, MCID): images'
        boxes are read from the page, where each is placed."""
        self.destinations: dict[str, str] = {}
        """A named destination (a section's bookmark) → what a link to it says (its /Contents)."""

    def attach(self, node: Node) -> None:
        if node.attached:
            return
        parent = node.parent
        if parent is None:
            parent = node.parent = self.stack[-1]
        self.attach(parent)
        parent.kids.append(node)
        node.attached = True

    def open(self, node: Node) -> None:
        self.attach(node)
        self.stack.append(node)

    def close(self, node: Node) -> None:
        assert self.stack[-1] is node, (self.stack[-1].role, node.role)
        self.stack.pop()

    def begin_content(self, canvas: Canvas, node: Node) -> None:
        self.attach(node)
        page = canvas.getPageNumber()
        on_page = self.mcids.setdefault(page, [])
        mcid = len(on_page)
        on_page.append(node)
        if not node.kids and not node.page:
            node.page = page
        node.kids.append(_Content(page, mcid))
        if node.role == "Figure":
            self.figures[(page, mcid)] = node
        canvas.addLiteral(f"/{_tag(node.role)} <</MCID {mcid}>> BDC")
        self.leaf = node
        for link in self.pending_links:
            node.kids.append(link)
        self.pending_links = []

    def end_content(self, canvas: Canvas) -> None:
        canvas.addLiteral("EMC")
        self.leaf = None

    def link(self, canvas: Canvas, contents: str) -> None:
        """A link annotation was just made on the current page."""
        page = canvas.getPageNumber()
        index = self.annotations.get(page, 0)
        self.annotations[page] = index + 1
        link = _Link(page, index, contents)
        if self.leaf is not None:
            self.leaf.kids.append(_wrap_link(link, self.leaf))
        elif self.in_artifact:
            node = Node("Link", self.root)
            node.kids.append(link)
            self.trailing.append(node)
        else:
            self.pending_links.append(link)

    def label(self, canvas: Canvas) -> Node | None:
        """The label element for a bullet or number drawn directly under a list, or None."""
        top = self.stack[-1]
        if self.leaf is not None or self.in_artifact or top.role != "L":
            return None
        items = [kid for kid in _items(top)]
        if top.items >= len(items):
            return None
        item = items[top.items]
        top.items += 1
        label = Node("Lbl", item)
        return label


def _items(list_node: Node) -> list[Node]:
    return list_node.attrs.get("_items", [])


def _wrap_link(link: _Link, leaf: Node) -> Node:
    node = Node("Link", leaf)
    node.attached = True
    node.kids.append(link)
    return node


def _tag(role: str) -> str:
    """The tag a marked-content sequence carries: the standard role (a reader that ignores the
    role map still reads it right)."""
    return ROLE_MAP.get(role, role)


class DrawnPdf(NamedTuple):
    """A brief drawn with its marked content (``reportgen.render.pdf_brief.draw_brief``), its
    structure tree not yet written into it: what :func:`reportgen.render.pdf_finish.finish_brief`
    finishes. Picklable, so that it can come back from the process that drew it."""

    data: bytes
    pages: int
    tags: Tagger
    metadata: Metadata
