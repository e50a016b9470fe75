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
- :func:`finish` (pikepdf) marks whatever was drawn outside any sequence as an artifact (the
  running head and foot, rules, backgrounds, leader dots, decorative shapes), finds each
  figure's bounding box in the page, and writes the ``StructTreeRoot`` with its ``ParentTree``,
  the annotations' ``StructParent`` and ``Contents``, each page's ``StructParents`` and
  ``/Tabs /S``, ``/MarkInfo``, and the XMP metadata with ``pdfuaid:part 1``.

A sequence is never nested in another with an MCID; elements nest in the tree only. The output
stays byte-identical: no clock, no random, the file identifier derived from the content.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

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

    def split(self, available_width: float, available_height: float):
        self._lend_canvas()
        return self._wrapped(self.inner.split(available_width, available_height), available_width, available_height)

    def splitOn(self, canv: Canvas, available_width: float, available_height: float):
        self.canv = canv
        return self._wrapped(self.inner.splitOn(canv, available_width, available_height), available_width, available_height)

    def _wrapped(self, parts: list, available_width: float, available_height: float) -> list:
        """The parts, each in this element; none when the first would not fit where it must go
        (a list split into its items, the first taller than what is left): then the whole moves
        on, as reportlab moves a flowable that cannot split, instead of failing the build."""
        if parts and not isinstance(parts[0], Tagged):
            first = parts[0]
            canv = self.__dict__.get("canv")
            height = (first.wrapOn(canv, available_width, available_height)[1] if canv is not None
                      else first.wrap(available_width, available_height)[1])
            # (the frame took this flowable's own space before out of the height already, or
            # none at the top of a frame: only a first part's larger space before is added)
            extra = max(0.0, first.getSpaceBefore() - self.inner.getSpaceBefore())
            if height + extra > available_height + 1e-6 and len(parts) > 1:
                return []
        return [Tagged(self.node, part, self.leaf) for part in parts]

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


_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n", "Do", "sh", "INLINE IMAGE"}
_PATH_START = {"m", "re"}


def finish(data: bytes, tags: Tagger, facts: Metadata) -> bytes:
    """The PDF ``data`` with its structure tree, artifacts and metadata written."""
    pdf = pikepdf.open(io.BytesIO(data))
    pages = list(pdf.pages)
    boxes: dict[tuple[int, int], list[float]] = dict(tags.drawn_boxes)
    for number, page in enumerate(pages, 1):
        _mark_artifacts(pdf, page, number, tags, boxes)
    root = pdf.Root
    tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    elements: dict[int, pikepdf.Object] = {}
    parent_tree: list = []
    next_key = len(pages)
    links: list[tuple[pikepdf.Object, _Link]] = []
    notes: list[pikepdf.Object] = []

    def make(node: Node, parent: pikepdf.Object) -> pikepdf.Object:
        made = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + node.role), P=parent))
        elements[id(node)] = made
        if ROLE_MAP.get(node.role, node.role) == "Note":  # PDF/UA-1: a Note has an ID unique in the file
            made.ID = pikepdf.String(f"note-{len(notes) + 1}")
            notes.append(made)
        page_of = node.page or next((k.page for k in node.kids if isinstance(k, _Link)), 0)
        if page_of:
            made.Pg = pages[page_of - 1].obj
        layout: dict[str, Any] = {}
        for key, value in node.attrs.items():
            if key.startswith("_"):
                continue
            if key == "Scope":
                made.A = Dictionary(O=Name.Table, Scope=Name("/" + value))
            elif key == "Placement":
                layout["Placement"] = Name("/" + value)
            else:
                setattr(made, key, pikepdf.String(value))
        kids = Array()
        for kid in node.kids:
            if isinstance(kid, Node):
                kids.append(make(kid, made))
            elif isinstance(kid, _Content):
                if node.role == "Figure" and (kid.page, kid.mcid) in boxes:
                    layout["BBox"] = Array(boxes[(kid.page, kid.mcid)])
                if kid.page == page_of:
                    kids.append(kid.mcid)
                else:
                    kids.append(Dictionary(Type=Name.MCR, Pg=pages[kid.page - 1].obj, MCID=kid.mcid))
            else:
                links.append((made, kid))
                kids.append(Dictionary(Type=Name.OBJR, Pg=pages[kid.page - 1].obj,
                                       Obj=pages[kid.page - 1].Annots[kid.at]))
        if layout:
            made.A = Dictionary(O=Name.Layout, **layout)
        made.K = kids[0] if len(kids) == 1 else kids  # (a lone kid bare: pdfua 0.1.3's heading rule crashes on an array)
        return made

    document = make(tags.root, tree)
    if tags.trailing:
        document.K = Array([*(document.K if isinstance(document.K, Array) else [document.K]),
                            *(make(trailing, document) for trailing in tags.trailing)])
    for number, page in enumerate(pages, 1):
        page.obj.Tabs = Name.S
        on_page = tags.mcids.get(number, [])
        if on_page:
            page.obj.StructParents = number - 1
            parent_tree += [number - 1, Array([elements[id(node)] for node in on_page])]
    for made, link in links:
        annotation = pages[link.page - 1].Annots[link.at]
        annotation.StructParent = next_key
        if link.contents:
            annotation.Contents = pikepdf.String(link.contents)
        parent_tree += [next_key, made]
        next_key += 1
    made_links = {(link.page, link.at) for _, link in links}
    for number, page in enumerate(pages, 1):
        for index, annotation in enumerate(page.obj.get("/Annots", [])):
            assert (number, index) in made_links, f"page {number}: annotation {index} is not in the structure tree"
    tree.K = document
    tree.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(parent_tree)))
    tree.ParentTreeNextKey = next_key
    tree.RoleMap = Dictionary({"/" + role: Name("/" + standard) for role, standard in ROLE_MAP.items()})
    root.StructTreeRoot = tree
    root.MarkInfo = Dictionary(Marked=True)
    root.Lang = pikepdf.String(facts.language)
    viewer = root.get("/ViewerPreferences", Dictionary())
    viewer.DisplayDocTitle = True
    root.ViewerPreferences = viewer
    # the dates of the document information (reportlab's invariant mode fixes them)
    metadata = pdf.make_stream(_xmp(facts, str(pdf.docinfo.get("/CreationDate", "D:20000101000000Z"))).encode())
    metadata.Type, metadata.Subtype = Name.Metadata, Name.XML
    root.Metadata = metadata
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, min_version="1.7", compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()


def _mark_artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page, number: int, tags: Tagger,
                    boxes: dict[tuple[int, int], list[float]]) -> None:
    """Wraps what the page draws outside any marked-content sequence as an artifact, and finds
    the bounding box of each figure's image."""
    operations = pikepdf.parse_content_stream(page)
    out: list = []
    depth = 0
    start: int | None = None
    in_text = False
    matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    saved: list[list[float]] = []
    open_mcids: list[int | None] = []
    for instruction in operations:
        operands, operator = instruction.operands, instruction.operator
        op = str(operator)
        if op in ("BDC", "BMC"):
            mcid = None
            if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                mcid = int(operands[1].MCID)
            open_mcids.append(mcid)
            depth += 1
        elif op == "EMC":
            open_mcids.pop()
            depth -= 1
        elif op == "q":
            saved.append(matrix)
        elif op == "Q":
            matrix = saved.pop() if saved else matrix
        elif op == "cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            m = matrix
            matrix = [a * m[0] + b * m[2], a * m[1] + b * m[3], c * m[0] + d * m[2], c * m[1] + d * m[3],
                      e * m[0] + f * m[2] + m[4], e * m[1] + f * m[3] + m[5]]
        elif op == "Do" and depth:
            mcid = next((m for m in reversed(open_mcids) if m is not None), None)
            if mcid is not None and (number, mcid) in tags.figures:
                xs = [matrix[4], matrix[4] + matrix[0], matrix[4] + matrix[2], matrix[4] + matrix[0] + matrix[2]]
                ys = [matrix[5], matrix[5] + matrix[1], matrix[5] + matrix[3], matrix[5] + matrix[1] + matrix[3]]
                box = [round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2)]
                old = boxes.get((number, mcid))
                boxes[(number, mcid)] = box if old is None else [min(old[0], box[0]), min(old[1], box[1]),
                                                                   max(old[2], box[2]), max(old[3], box[3])]
        if depth == 0 and start is None and op not in ("BDC", "BMC", "EMC") and (
                op == "BT" or op in _PATH_START or op in _PAINT):
            start = len(out)
            in_text = op == "BT"
        out.append(instruction)
        if start is not None and depth == 0 and ((in_text and op == "ET") or (not in_text and op in _PAINT)):
            out.insert(start, ([Name.Artifact], Operator("BMC")))
            out.append(([], Operator("EMC")))
            start = None
    assert depth == 0 and start is None, f"page {number}: unbalanced marked content"
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))


def _xmp(facts: Metadata, pdf_date: str) -> str:
    date = _xmp_date(pdf_date)
    keywords = ", ".join(facts.keywords)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(facts.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{escape(facts.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(facts.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{escape(facts.language)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{escape(keywords)}</pdf:Keywords>
   <pdf:Producer>ReportLab PDF Library - (opensource)</pdf:Producer>
   <xmp:CreatorTool>{escape(facts.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _xmp_date(pdf_date: str) -> str:
    """``D:20000101000000+00'00'`` → ``2000-01-01T00:00:00+00:00``."""
    d = pdf_date.removeprefix("D:")
    zone = d[14:].replace("'", "")
    zone = "Z" if zone in ("", "Z", "+0000", "+00") else f"{zone[:3]}:{zone[3:5]}"
    return f"{d[0:4]}-{d[4:6]}-{d[6:8]}T{d[8:10]}:{d[10:12]}:{d[12:14]}{zone if zone != 'Z' else '+00:00'}"
