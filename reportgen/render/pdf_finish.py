"""The brief finished: the file that :mod:`reportgen.render.pdf_tags` marked while it was drawn,
with its structure tree written in with pikepdf (PDF/UA-1).

:func:`finish` marks whatever was drawn outside any marked-content sequence as an artifact (the
running head and foot, rules, backgrounds, leader dots, decorative shapes), finds each figure's
bounding box in the page, and writes the ``StructTreeRoot`` with its ``ParentTree``, the
annotations' ``StructParent`` and ``Contents``, each page's ``StructParents`` and ``/Tabs /S``,
``/MarkInfo``, and the XMP metadata with ``pdfuaid:part 1``.

A module of its own so that drawing does not import pikepdf: a build draws the brief in a
worker process and finishes it in the command's, which has imported pikepdf while it waited
(:mod:`reportgen.build`). No clock, no random: the file identifier is derived from the content.
"""

from __future__ import annotations

import io
from html import escape as _html_escape
from typing import Any, NamedTuple

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator

from reportgen.plan.brief import Metadata
from reportgen.render.pdf_tree import ROLE_MAP, DrawnPdf, Node, Tagger, _Content, _Link


class RenderedPdf(NamedTuple):
    """The brief's finished bytes, and its page count."""

    data: bytes
    pages: int


def finish_brief(drawn: DrawnPdf) -> RenderedPdf:
    """The drawn brief with its structure tree, artifacts and metadata written."""
    return RenderedPdf(finish(drawn.data, drawn.tags, drawn.metadata), drawn.pages)


_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n", "Do", "sh", "INLINE IMAGE"}
_PATH_START = {"m", "re"}
_TRACKED = {"BDC", "BMC", "EMC", "q", "Q", "cm", "Do"}
"""The operators :func:`_mark_artifacts` follows (marked content, the graphics state, images)."""


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
    del make  # it calls itself through its closure: a cycle that would keep the whole Pdf (every
    # qpdf object of the file) alive after this returns, until a full collection
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
    # (the XMP written above states no PDFVersion, so pikepdf need not parse it to update one,
    # which imports lxml)
    pdf.save(out, deterministic_id=True, min_version="1.7", compress_streams=True, fix_metadata_version=False,
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
        op = str(instruction.operator)
        if op not in _TRACKED:  # (most operators: text, colours, line widths)
            pass
        elif op in ("BDC", "BMC"):
            mcid = None
            if op == "BDC":
                properties = instruction.operands[1]
                if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                    mcid = int(properties.MCID)
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
            a, b, c, d, e, f = (float(v) for v in instruction.operands)
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


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as XML entities."""
    return _html_escape(text, quote=False)


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
