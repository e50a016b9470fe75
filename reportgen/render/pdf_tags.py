"""The brief's tags: a structure tree from the plan, marked content in the pages, and a post-pass
that writes the tree into the file (PDF/UA-1).

reportlab's open-source release writes no tags, but it draws every piece of the brief through
flowables and a canvas that reportgen owns. So:

- while drawing, each piece of content is a marked-content sequence (``/P <</MCID 3>> BDC … EMC``)
  that belongs to a structure element (:class:`Node`), made from the plan's structure roles:
  :class:`Tagged` wraps a flowable (a paragraph, a table cell, an image) and keeps its element
  across page splits; :func:`marked` and :func:`artifact` wrap what a flowable draws itself;
- :class:`TaggingCanvas` records each link annotation with the element it belongs to, and tags
  a list's bullet or number as the label (``Lbl``) of its item;
- :func:`reportgen.render.pdf_finish.finish` (pikepdf, after drawing) marks whatever was drawn outside any sequence as an artifact (the
  running head and foot, rules, backgrounds, leader dots, decorative shapes), finds each
  figure's bounding box in the page, and writes the ``StructTreeRoot`` with its ``ParentTree``,
  the annotations' ``StructParent`` and ``Contents``, each page's ``StructParents`` and
  ``/Tabs /S``, ``/MarkInfo``, and the XMP metadata with ``pdfuaid:part 1``.

A sequence is never nested in another with an MCID; elements nest in the tree only. The output
stays byte-identical: no clock, no random, the file identifier derived from the content.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import DDIndenter, Flowable

from reportgen.render.pdf_tree import Node, Tagger, _Content


def tagger(canvas: Canvas) -> Tagger | None:
    return getattr(canvas, "tagger", None)


@contextmanager
def marked(canvas: Canvas, node: Node) -> Iterator[None]:
    """What is drawn inside is the content of ``node``."""
    tags = tagger(canvas)
    if tags is None or tags.in_artifact or tags.leaf is not None:
        yield
        return
    tags.begin_content(canvas, node)
    try:
        yield
    finally:
        tags.end_content(canvas)


@contextmanager
def artifact(canvas: Canvas, kind: str = "Layout") -> Iterator[None]:
    """What is drawn inside is not content: a running head or foot (``Pagination``), a rule,
    a decoration (``Layout``)."""
    tags = tagger(canvas)
    if tags is None or tags.leaf is not None:
        yield
        return
    if not tags.in_artifact:
        canvas.addLiteral(f"/Artifact <</Type /{kind}>> BDC")
    tags.in_artifact += 1
    try:
        yield
    finally:
        tags.in_artifact -= 1
        if not tags.in_artifact:
            canvas.addLiteral("EMC")


@contextmanager
def element(canvas: Canvas, node: Node) -> Iterator[None]:
    """The elements and content drawn inside belong to ``node``."""
    tags = tagger(canvas)
    if tags is None or tags.in_artifact:
        yield
        return
    tags.open(node)
    try:
        yield
    finally:
        tags.close(node)


class TaggingCanvas(Canvas):
    """reportlab's canvas, which records each link with its element and tags a list's labels."""

    tagger: Tagger | None = None

    def linkURL(self, url, rect, relative=0, thickness=0, color=None, dashArray=None, kind="URI", **kw):
        super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)
        if self.tagger is not None:
            self.tagger.link(self, _link_words(url))

    def linkRect(self, contents, destinationname, Rect=None, addtopage=1, name=None, relative=1,
                 thickness=0, color=None, dashArray=None, **kw):
        super().linkRect(contents, destinationname, Rect, addtopage, name, relative, thickness, color, dashArray, **kw)
        if self.tagger is not None:
            self.tagger.link(self, self.tagger.destinations.get(destinationname, ""))

    def drawText(self, aTextObject):
        """A text object drawn directly under an element that makes one for each (the contents'
        entries: a ``TOCI`` holding a ``Link``) becomes the content of a new one."""
        tags = self.tagger
        auto = tags.stack[-1].attrs.get("_auto") if tags is not None and tags.leaf is None and not tags.in_artifact else None
        if auto is None:
            return super().drawText(aTextObject)
        item = Node(auto[0], tags.stack[-1])
        content = Node(auto[1], item) if len(auto) > 1 else item
        with marked(self, content):
            super().drawText(aTextObject)

    def drawString(self, x, y, text, mode=None, charSpace=0, direction=None, wordSpace=None, shaping=False):
        label = self.tagger.label(self) if self.tagger is not None else None
        if label is None:
            return super().drawString(x, y, text, mode, charSpace, direction, wordSpace, shaping)
        with marked(self, label):
            super().drawString(x, y, text, mode, charSpace, direction, wordSpace, shaping)


def _link_words(url: str) -> str:
    if url.startswith("mailto:"):
        return "Email " + url.removeprefix("mailto:")
    return "Link to " + url


class Tagged(Flowable):
    """A flowable whose drawing is the content of a structure element (``leaf``), or whose
    flowables' elements are inside it. Its pieces, when it splits across pages, keep the same
    element; drawn a second time (a table's header row repeated on the next page), it is an
    artifact."""

    def __init__(self, node: Node, inner: Flowable, leaf: bool = True):
        super().__init__()
        self.node, self.inner, self.leaf = node, inner, leaf
        self.drawn = False

    def __getattr__(self, name: str):
        if name in ("inner", "__setstate__") or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.inner, name)

    def _lend_canvas(self) -> None:
        canv = self.__dict__.get("canv")  # (platypus sets a flowable's canvas before wrap and split)
        if canv is not None:
            self.inner.canv = canv

    def wrap(self, available_width: float, available_height: float):
        self._lend_canvas()
        self.width, self.height = self.inner.wrap(available_width, available_height)
        return self.width, self.height

    def wrapOn(self, canv: Canvas, available_width: float, available_height: float):
        self.canv = canv
        self.width, self.height = self.inner.wrapOn(canv, available_width, available_height)
        return self.width, self.height

    frame_height = float("inf")
    """The height of the page's frame (the brief sets it on a list): a list item taller than that
    cannot be moved on whole to a page where it fits, so it splits where it is."""

    def split(self, available_width: float, available_height: float):
        self._lend_canvas()
        parts = self.inner.split(available_width, available_height)
        if not parts and isinstance(self.inner, DDIndenter) and self.height > self.frame_height:
            # A list item taller than a page, which reportlab's list would not split here because
            # its last line or two would stand alone on the next page: split it higher up, so
            # that it is printed at all (a page holds the rest, which is at least that long).
            for fraction in (0.9, 0.75, 0.5):
                parts = self.inner.split(available_width, available_height * fraction)
                if parts:
                    break
        return self._wrapped(parts, available_width, available_height)

    def splitOn(self, canv: Canvas, available_width: float, available_height: float):
        self.canv = canv
        return self._wrapped(self.inner.splitOn(canv, available_width, available_height), available_width, available_height)

    def _wrapped(self, parts: list, available_width: float, available_height: float) -> list:
        """The parts, each in this element; none when the first would not fit where it must go
        (a list split into its items, the first taller than what is left): then the whole moves
        on, as reportlab moves a flowable that cannot split, instead of failing the build.

        Unless moving on cannot help: a list of one item, or whose first item is taller than a
        page, splits that item here (reportlab places a bare list's items one by one, and splits
        the one that does not fit; a list in an element is placed as one flowable, whose first
        part must fit). A list item that cannot split here moves on with the rest."""
        if parts and not isinstance(parts[0], Tagged):
            first = parts[0]
            canv = self.__dict__.get("canv")
            height = (first.wrapOn(canv, available_width, available_height)[1] if canv is not None
                      else first.wrap(available_width, available_height)[1])
            # (the frame took this flowable's own space before out of the height already, or
            # none at the top of a frame: only a first part's larger space before is added)
            extra = max(0.0, first.getSpaceBefore() - self.inner.getSpaceBefore())
            if height + extra > available_height + 1e-6:
                if isinstance(first, DDIndenter) and (len(parts) == 1 or height > self.frame_height):
                    item = self._part(first)
                    item.width, item.height = first.width, height
                    if canv is not None:
                        item.canv = canv
                    head = item.split(available_width, available_height - extra)
                    return [*head, *(self._part(part) for part in parts[1:])] if head else []
                if len(parts) > 1:
                    return []
        return [self._part(part) for part in parts]

    def _part(self, part: Flowable) -> "Tagged":
        tagged = Tagged(self.node, part, self.leaf)
        tagged.frame_height = self.frame_height
        return tagged

    def getSpaceBefore(self) -> float:
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self.inner.getSpaceAfter()

    def getKeepWithNext(self):
        if "keepWithNext" in self.__dict__:  # (platypus turns it off here once it has kept the two together)
            return self.__dict__["keepWithNext"]
        return self.inner.getKeepWithNext()

    def identity(self, maxLen=None):
        return self.inner.identity(maxLen)

    def minWidth(self) -> float:
        return self.inner.minWidth()

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        tags = tagger(canvas)
        if tags is None:
            self.inner.drawOn(canvas, x, y, _sW)
            return
        if self.drawn and self.leaf:
            with artifact(canvas, "Pagination"):
                self.inner.drawOn(canvas, x, y, _sW)
            return
        self.drawn = True
        if self.leaf:
            with marked(canvas, self.node):
                if self.node.role == "Figure" and self.node.attrs.get("_drawn"):
                    content = self.node.kids[-1]
                    assert isinstance(content, _Content)
                    tags.drawn_boxes[(content.page, content.mcid)] = [
                        round(x, 2), round(y, 2), round(x + self.inner.width, 2), round(y + self.inner.height, 2)]
                self.inner.drawOn(canvas, x, y, _sW)
        else:
            with element(canvas, self.node):
                self.inner.drawOn(canvas, x, y, _sW)


def leaf(role: str, flowable: Flowable, parent: Node | None = None, **attrs: Any) -> Tagged:
    """``flowable``'s drawing as the content of a new element ``role``."""
    return Tagged(Node(role, parent, **attrs), flowable)


def group(node: Node | str, flowable: Flowable) -> Tagged:
    """The elements ``flowable`` draws, inside ``node`` (or a new element ``node``)."""
    return Tagged(node if isinstance(node, Node) else Node(node), flowable, leaf=False)


def list_node(items: int, parent: Node | None = None) -> tuple[Node, list[Node]]:
    """A list element and its ``items`` item elements (each takes its label when its bullet
    or number is drawn, then its body)."""
    node = Node("L", parent)
    entries = [Node("LI", node) for _ in range(items)]
    node.attrs["_items"] = entries
    return node, entries


# --- the post-pass ----------------------------------------------------------------------
