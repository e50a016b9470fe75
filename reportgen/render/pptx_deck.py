"""DeckPlan → .pptx bytes, with python-pptx. Writes what the plan measured; measures nothing.

Every text box gets explicit sizes, insets, spacing and indents, and ``<a:noAutofit/>``, so what
PowerPoint and LibreOffice show is what :mod:`reportgen.plan.fit` measured, never their autofit.
Runs name the font "Calibri" (the plan measured with its metric twin, Carlito) and carry the
document's language. Pictures get the model's alt text. The file is byte-identical for identical
input: core properties come from the document, and the zip is rewritten with fixed timestamps.
"""

from __future__ import annotations

import datetime
import io
import math
import zipfile
from dataclasses import dataclass

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from reportgen.images import prepared
from reportgen.plan import fit
from reportgen.plan.deck import Box, DeckPlan, Frame, Line, Picture, Rect, Slide, TableShape

FONT = "Calibri"
DPI = 150
"""Pictures are embedded with this many pixels per inch of their placed size, at most."""
BULLET = "•"

PRIMARY = RGBColor(0x17, 0x32, 0x4D)
ACCENT = RGBColor(0xB5, 0x52, 0x3B)
INK = RGBColor(0x1F, 0x1F, 0x1F)
MUTED = RGBColor(0x5E, 0x6B, 0x78)
TINT = RGBColor(0xEE, 0xF2, 0xF6)
RULE = RGBColor(0xC5, 0xCE, 0xD8)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
PALE = RGBColor(0xA9, 0xC1, 0xD9)
LINK = RGBColor(0x1D, 0x5A, 0x8C)

_FILLS = {"primary": PRIMARY, "accent": ACCENT, "tint": TINT, "rule": RULE}
_ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}
# role → (colour on a light slide, colour on a dark slide, bold)
_ROLES = {
    "title": (PRIMARY, WHITE, True), "divider": (WHITE, WHITE, True), "number": (ACCENT, ACCENT, True),
    "subtitle": (INK, PALE, False), "body": (INK, WHITE, False), "quote": (PRIMARY, WHITE, False),
    "caption": (MUTED, PALE, False), "footer": (MUTED, PALE, False), "label": (ACCENT, PALE, False),
    "date": (PRIMARY, WHITE, True), "event": (INK, WHITE, False),
}
TITLE_ONLY = 5
"""The python-pptx default template's "Title Only" layout: a title placeholder, nothing else."""


@dataclass(frozen=True)
class RenderedDeck:
    data: bytes
    slides: int


def render_deck(plan: DeckPlan, date: datetime.date) -> RenderedDeck:
    """The deck as .pptx bytes. ``date`` stamps the file's created/modified properties."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Pt(plan.width), Pt(plan.height)
    layout = prs.slide_layouts[TITLE_ONLY]
    language = plan.language
    for planned in plan.slides:
        slide = prs.slides.add_slide(layout)
        if planned.dark:
            slide.background.fill.solid()
            slide.background.fill.fore_color.rgb = PRIMARY
        title = slide.shapes.title
        _place(title, planned.title.box)
        _write(title.text_frame, planned.title, planned.dark, language)
        for shape in planned.shapes:
            _draw(slide, shape, planned.dark, language)
        _notes(slide, planned)
    _properties(prs, plan, date)
    return RenderedDeck(_deterministic_zip(prs), len(plan.slides))


def _place(shape, box: Box) -> None:
    shape.left, shape.top, shape.width, shape.height = Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h)


def _draw(slide, shape, dark: bool, language: str) -> None:
    shapes = slide.shapes
    if isinstance(shape, Frame):
        box = shape.box
        textbox = shapes.add_textbox(Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))
        _write(textbox.text_frame, shape, dark, language)
    elif isinstance(shape, Picture):
        box = shape.box
        pixels = prepared(shape.path, box.w, box.h, DPI)
        picture = shapes.add_picture(io.BytesIO(pixels.data), Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))
        picture._element.nvPicPr.cNvPr.set("descr", shape.alt)
        picture._element.nvPicPr.cNvPr.set("name", "Picture")
    elif isinstance(shape, Rect):
        box = shape.box
        drawn = shapes.add_shape(MSO_SHAPE.OVAL if shape.ellipse else MSO_SHAPE.RECTANGLE,
                                 Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))
        drawn.fill.solid()
        drawn.fill.fore_color.rgb = _FILLS[shape.fill]
        if shape.ellipse:
            drawn.line.color.rgb = WHITE
            drawn.line.width = Pt(2)
        else:
            drawn.line.fill.background()
        drawn.shadow.inherit = False
    elif isinstance(shape, Line):
        connector = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Pt(shape.x1), Pt(shape.y1), Pt(shape.x2), Pt(shape.y2))
        connector.line.color.rgb = RULE
        connector.line.width = Pt(2.5)
    elif isinstance(shape, TableShape):
        _table(slide, shape, language)
    else:  # pragma: no cover - the plan's Shape union is closed
        raise TypeError(f"cannot draw {type(shape).__name__}")


def _table(slide, shape: TableShape, language: str) -> None:
    box = shape.box
    rows, columns = len(shape.rows), len(shape.columns)
    graphic = slide.shapes.add_table(rows, columns, Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))
    table = graphic.table
    table.first_row = True
    table.horz_banding = False
    for index, width in enumerate(shape.columns):
        table.columns[index].width = Pt(width)
    for r, (cells, height) in enumerate(zip(shape.rows, shape.row_heights)):
        table.rows[r].height = Pt(height)
        for c, paras in enumerate(cells):
            cell = table.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = PRIMARY if r == 0 else (TINT if r % 2 == 0 else WHITE)
            spec = fit.BoxSpec(shape.columns[c], height, inset_left=6, inset_right=6, inset_top=4, inset_bottom=4)
            frame = Frame(Box(0, 0, shape.columns[c], height), paras, shape.size, spec, "body")
            cell.margin_left, cell.margin_right = Pt(6), Pt(6)
            cell.margin_top, cell.margin_bottom = Pt(4), Pt(4)
            cell.vertical_anchor = MSO_ANCHOR.TOP
            _write(cell.text_frame, frame, r == 0, language, table_cell=True)


def _write(text_frame, frame: Frame, dark: bool, language: str, table_cell: bool = False) -> None:
    """Write a measured frame: explicit size, insets, spacing, indents; no autofit."""
    spec = frame.spec
    light_colour, dark_colour, role_bold = _ROLES[frame.role]
    colour = dark_colour if dark else light_colour
    if not table_cell:
        text_frame.word_wrap = True
        text_frame.auto_size = MSO_AUTO_SIZE.NONE
        text_frame.margin_left, text_frame.margin_right = Pt(spec.inset_left), Pt(spec.inset_right)
        text_frame.margin_top, text_frame.margin_bottom = Pt(spec.inset_top), Pt(spec.inset_bottom)
        text_frame.vertical_anchor = MSO_ANCHOR.TOP
    for index, planned in enumerate(frame.paras):
        paragraph = text_frame.paragraphs[0] if index == 0 else text_frame.add_paragraph()
        for run in list(paragraph.runs):
            run._r.getparent().remove(run._r)
        paragraph.alignment = _ALIGN[frame.align]
        paragraph.line_spacing = spec.line_spacing
        paragraph.space_before = Pt(math.floor(spec.space_before_em * frame.size * 100) / 100)
        paragraph.space_after = Pt(math.floor(spec.space_after_em * frame.size * 100) / 100)
        pPr = paragraph._p.get_or_add_pPr()
        pPr.set("marL", str(Pt(fit.margin_left(planned, spec))))
        hanging = planned.bullet or planned.continued
        pPr.set("indent", str(-Pt(spec.indent_per_level)) if hanging else "0")
        if planned.bullet and not planned.continued:
            colour_el = etree.SubElement(pPr, qn("a:buClr"))
            etree.SubElement(colour_el, qn("a:srgbClr")).set("val", str(ACCENT if not dark else PALE))
            etree.SubElement(pPr, qn("a:buFont")).set("typeface", FONT)
            etree.SubElement(pPr, qn("a:buChar")).set("char", BULLET)
        else:
            etree.SubElement(pPr, qn("a:buNone"))
        for span in planned.spans:
            pieces = span.text.replace("\v", "\n").replace("\u2028", "\n").split("\n")
            for number, piece in enumerate(pieces):
                if number:
                    paragraph.add_line_break()
                if piece:
                    _run(paragraph, piece, span, frame.size, colour, role_bold, language)
        end = paragraph._p.get_or_add_endParaRPr()
        end.set("lang", language)
        end.set("sz", str(round(frame.size * 100)))


def _run(paragraph, text: str, span: fit.Span, size: float, colour: RGBColor, role_bold: bool, language: str) -> None:
    run = paragraph.add_run()
    run.text = text
    font = run.font
    font.size = Pt(size)
    font.bold = span.bold or role_bold
    font.italic = span.italic
    font.name = FONT
    rPr = run._r.get_or_add_rPr()
    rPr.set("lang", language)
    if span.href:
        run.hyperlink.address = span.href
        font.color.rgb = LINK if colour in (INK, MUTED, PRIMARY) else colour
        font.underline = True
    else:
        font.color.rgb = colour


def _notes(slide, planned: Slide) -> None:
    frame = slide.notes_slide.notes_text_frame
    for index, text in enumerate(planned.notes):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = text


def _properties(prs, plan: DeckPlan, date: datetime.date) -> None:
    stamp = datetime.datetime(date.year, date.month, date.day)
    core = prs.core_properties
    core.title, core.author, core.subject = plan.title, plan.author, plan.subject
    core.keywords = ", ".join(plan.keywords)
    core.language = plan.language
    core.created = core.modified = core.last_printed = stamp
    core.revision = 1
    core.last_modified_by = plan.author
    core.comments = ""
    core.category = ""


def _deterministic_zip(prs) -> bytes:
    """Save, then rewrite the zip with fixed timestamps and permissions, keeping the part order."""
    buffer = io.BytesIO()
    prs.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
