"""DeckPlan → .pptx bytes, with python-pptx. Writes what the plan measured; measures nothing.

Every text box gets explicit sizes, insets, spacing and indents, and ``<a:noAutofit/>``, so what
PowerPoint and LibreOffice show is what :mod:`reportgen.plan.fit` measured, never their autofit.
Runs name the font "Calibri" (the plan measured with its metric twin, Carlito) and carry the
document's language. Pictures get the model's alt text. The file is byte-identical for identical
input: core properties come from the document, and the zip is written with fixed timestamps.

Text is written as DrawingML directly (:func:`_write`), on the elements python-pptx's public
``element`` properties give, exactly as its text setters would write it. With python-pptx
1.0.2, :mod:`reportgen._compat.pptx` makes the package's bookkeeping linear in the number of
slides, copies slides and serializes them as soon as they are done; with any other release the
same deck is made through python-pptx's public API.
"""

from __future__ import annotations

import copy
import datetime
import io
import math
import re
import zipfile
from collections.abc import Iterator
from typing import NamedTuple, assert_never

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE, PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.oxml.shapes.autoshape import CT_Shape
from pptx.util import Emu, Length, Pt

from reportgen._compat import pptx as pptx_patches
from reportgen.images import prepared
from reportgen.plan import fit
from reportgen.font_metrics import DECK_FONTS
from reportgen.plan.slides import (HEADING_ROLES, Box, ChartShape, DeckLook, DeckPlan, Footer, Frame, Line, Picture,
                                   Rect, Shape, Slide, TableShape)

BULLET = "•"

_ALIGN_XML = {"left": "l", "center": "ctr", "right": "r"}  # PP_ALIGN.LEFT, CENTER, RIGHT as python-pptx writes them
# DrawingML tags, in Clark notation, for the text written directly with lxml (see _write)
(_A_P, _A_PPR, _A_LNSPC, _A_SPCPCT, _A_SPCBEF, _A_SPCAFT, _A_SPCPTS, _A_BUCLR, _A_SRGBCLR, _A_BUFONT, _A_BUCHAR,
 _A_BUNONE, _A_BR, _A_R, _A_RPR, _A_SOLIDFILL, _A_LATIN, _A_HLINKCLICK, _A_T, _A_ENDPARARPR, _A_NOAUTOFIT) = (
    qn(f"a:{tag}") for tag in ("p", "pPr", "lnSpc", "spcPct", "spcBef", "spcAft", "spcPts", "buClr", "srgbClr",
                               "buFont", "buChar", "buNone", "br", "r", "rPr", "solidFill", "latin", "hlinkClick",
                               "t", "endParaRPr", "noAutofit"))
_A_FLD, _A_BODYPR = qn("a:fld"), qn("a:bodyPr")
_P_TXBODY, _A_TBL, _A_TR, _A_TC, _A_TCPR, _A_TXBODY = (qn(tag) for tag in ("p:txBody", "a:tbl", "a:tr", "a:tc", "a:tcPr", "a:txBody"))
_AUTOFITS = {qn("a:noAutofit"), qn("a:normAutofit"), qn("a:spAutoFit")}
_AUTOFIT_SUCCESSORS = {qn("a:scene3d"), qn("a:sp3d"), qn("a:flatTx"), qn("a:extLst")}
_R_ID = qn("r:id")
TITLE_ONLY = 5
"""The python-pptx default template's "Title Only" layout: a title placeholder, nothing else."""


class _Scheme(NamedTuple):
    """A colour of the template's own colour scheme (``tx1``, ``accent1``, ...), written as
    ``<a:schemeClr>``: with an institution template, drawn shapes take the template's colours."""

    name: str
    theme_color: MSO_THEME_COLOR


_SCHEME = {
    "primary": _Scheme("tx2", MSO_THEME_COLOR.TEXT_2), "accent": _Scheme("accent1", MSO_THEME_COLOR.ACCENT_1),
    "text": _Scheme("tx1", MSO_THEME_COLOR.TEXT_1), "muted": _Scheme("tx2", MSO_THEME_COLOR.TEXT_2),
    "tint": _Scheme("bg2", MSO_THEME_COLOR.BACKGROUND_2), "rule": _Scheme("bg2", MSO_THEME_COLOR.BACKGROUND_2),
    "link": _Scheme("hlink", MSO_THEME_COLOR.HYPERLINK), "background": _Scheme("bg1", MSO_THEME_COLOR.BACKGROUND_1),
    "on_primary": _Scheme("bg1", MSO_THEME_COLOR.BACKGROUND_1),
    "on_primary_muted": _Scheme("bg2", MSO_THEME_COLOR.BACKGROUND_2),
}

Colour = RGBColor | _Scheme


class _Look:
    """The theme's colours and fonts, as the deck writes them. Made once a deck from ``plan.look``;
    with a ``template``, colours are the template's scheme colours and fonts the template's own
    where reportgen can measure them."""

    def __init__(self, look: DeckLook, template=None):
        if template is None:
            colour: dict[str, Colour] = {name: RGBColor.from_string(value[1:]) for name, value in look.colours}
            self.body_font, self.heading_font = look.body_font, look.heading_font
        else:
            colour = dict(_SCHEME)
            self.body_font = _measured(template.body_font, look.body_font, look.body_measured_with)
            self.heading_font = _measured(template.heading_font, look.heading_font, look.heading_measured_with)
        self.mono_font = look.mono_font
        self.image_dpi = look.image_dpi
        self.primary, self.accent, self.ink, self.muted = colour["primary"], colour["accent"], colour["text"], colour["muted"]
        self.tint, self.rule, self.link = colour["tint"], colour["rule"], colour["link"]
        self.background, self.on_primary, self.on_primary_muted = colour["background"], colour["on_primary"], colour["on_primary_muted"]
        self.fills = {"primary": self.primary, "accent": self.accent, "tint": self.tint, "rule": self.rule}
        # role → (colour on a light slide, colour on a dark slide, bold), as the plan chose them
        self.roles = {role: (colour[light], colour[dark], bold) for role, light, dark, bold in look.roles}

    def font(self, role: str) -> str:
        return self.heading_font if role in HEADING_ROLES else self.body_font


def _measured(template_font: str, font: str, measured_with: str) -> str:
    """The template's font when the plan's measure holds for it (it is the theme's ``font``, or
    has the same metrics), else the theme's font: what was measured is what is shown."""
    same = template_font == font or DECK_FONTS.get(template_font) == measured_with
    return template_font if same else font


def _colour_xml(parent, colour: Colour) -> None:
    """``colour`` as the child of ``parent`` (a fill or bullet colour element)."""
    if isinstance(colour, _Scheme):
        etree.SubElement(parent, qn("a:schemeClr"), val=colour.name)
    else:
        etree.SubElement(parent, _A_SRGBCLR, val=str(colour))


def _set_colour(colour_format, colour: Colour) -> None:
    """``colour`` on a python-pptx ColorFormat (a fill's or line's)."""
    if isinstance(colour, _Scheme):
        colour_format.theme_color = colour.theme_color
    else:
        colour_format.rgb = colour


class RenderedDeck(NamedTuple):
    data: bytes
    slides: int


_ready: list = []
"""A default presentation read ahead of its deck (see :func:`prepare`)."""


def prepare() -> None:
    """Read python-pptx's default presentation now, for the next deck: the deck's process does
    this while it waits for its plan."""
    if not _ready:
        _ready.append(Presentation())


def render_deck(plan: DeckPlan, date: datetime.date) -> RenderedDeck:
    """The deck as .pptx bytes. ``date`` stamps the file's created/modified properties."""
    if plan.template is not None:
        return _render_in_template(plan, date)
    prs = _ready.pop() if _ready else Presentation()
    _prepared.clear()
    pptx_patches.linear_bookkeeping(prs)
    prs.slide_width, prs.slide_height = Pt(plan.width), Pt(plan.height)
    layout = prs.slide_layouts[TITLE_ONLY]
    language = plan.language
    look = _Look(plan.look)
    _link_colour(prs, look.link)
    slides = _SlideMaker(prs, layout)
    made = [slides.new_slide() for _ in plan.slides]  # all first, so that a run can link to a later slide
    parts = [slide.part for slide in made]
    for slide, planned in zip(_handed_out(made), plan.slides):
        title = slides.title(slide)  # found before the background goes in ahead of the shapes
        background = slide.background.fill
        background.solid()
        background.fore_color.rgb = look.primary if planned.dark else look.background
        _place_element(title, planned.title.box)
        _write(title.txBody, slide.part, planned.title, planned.dark, language, look)
        for shape in planned.shapes:
            _draw(slide, shape, planned.dark, language, look, parts)
        _notes(slides.notes_body(slide), planned, language)
        _finish(slide)
    _properties(prs, plan, date)
    return RenderedDeck(_deterministic_zip(prs), len(plan.slides))


def _handed_out(made: list) -> Iterator:
    """The slides of ``made`` in order, each dropped from the list as it is handed out. A slide
    (python-pptx's proxy) holds its XML tree; once the slide is filled and serialized
    (:func:`_finish`), nothing else does, so the tree is freed then rather than when
    the whole deck is: a list holding every slide kept every filled tree alive."""
    made.reverse()
    while made:
        yield made.pop()


def _render_in_template(plan: DeckPlan, date: datetime.date) -> RenderedDeck:
    """The deck made from an institution template: its sample slides and its thumbnail (a
    picture of its first sample slide) removed, each slide made from the layout the plan names,
    the measured text written into that layout's placeholders (the placeholders left empty
    removed), its footer placeholders (date, footer, slide number) copied from the layout and
    filled. open_template has removed the template's external links."""
    from reportgen.render.pptx_template import open_template

    assert plan.template is not None
    prs, _ = open_template(plan.template.path)
    _prepared.clear()
    _remove_slides(prs)
    pptx_patches.linear_bookkeeping(prs)
    layouts = [layout for master in prs.slide_masters for layout in master.slide_layouts]
    language, look = plan.language, _Look(plan.look, plan.template)
    numbers = [planned.layout for planned in plan.slides]
    assert None not in numbers, "a template deck's planner names every slide's layout"
    made = [prs.slides.add_slide(layouts[number or 0]) for number in numbers]  # all first: a run may link ahead
    parts = [slide.part for slide in made]
    for slide, planned, number in zip(_handed_out(made), plan.slides, numbers):
        layout = layouts[number or 0]
        cloned = {shape.placeholder_format.idx: shape.element for shape in slide.placeholders}
        filled: set[int] = set()
        for shape in (planned.title, *planned.shapes):
            if not isinstance(shape, Frame | Picture) or shape.placeholder is None:  # lines, rectangles, tables, text boxes
                _draw(slide, shape, False, language, look, parts)
                continue
            element = cloned[shape.placeholder]
            filled.add(shape.placeholder)
            if isinstance(shape, Picture):
                _fill_picture(slide, element, shape, look.image_dpi)
            else:
                _move_placeholder(slide, layout, element, shape)
                txBody = element.find(_P_TXBODY)
                for old in txBody.findall(_A_P):
                    txBody.remove(old)
                etree.SubElement(txBody, _A_P)
                _write(txBody, slide.part, shape, False, language, look, parts=parts)
        for idx, element in cloned.items():
            if idx not in filled:  # an empty placeholder would show "Click to add text" while editing
                element.getparent().remove(element)
        _notes(slide.notes_slide.notes_placeholder.element.find(_P_TXBODY), planned, language)
        _finish(slide)
    _properties(prs, plan, date)
    return RenderedDeck(_deterministic_zip(prs), len(plan.slides))


def _move_placeholder(slide, layout, element, frame: Frame) -> None:
    """A placeholder the plan placed elsewhere than its layout does (the key points of a
    two-content slide, in the left part of the content layout's body; a title slide's text
    beside its cover picture) moved there, as dragging it in PowerPoint does: the slide's
    placeholder gets a position of its own (python-pptx's ``left``, ``top``, ``width``, ``height``)."""
    idx = element.ph_idx
    source = next((shape for shape in layout.placeholders if shape.placeholder_format.idx == idx), None)
    box = frame.box
    if source is None or all(abs(Emu(value).pt - wanted) < 0.5 for value, wanted in
                             ((source.left, box.x), (source.top, box.y), (source.width, box.w), (source.height, box.h))):
        return
    placeholder = next(shape for shape in slide.placeholders if shape.element is element)
    placeholder.left, placeholder.top, placeholder.width, placeholder.height = Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h)


def _remove_slides(prs) -> None:
    """Remove the template's own slides, and what pointed at them (custom shows, sections), so
    that no relationship or slide id is left dangling."""
    presentation = prs.element
    slide_ids = presentation.get_or_add_sldIdLst()
    for slide_id in list(slide_ids):
        slide_ids.remove(slide_id)
        prs.part.drop_rel(slide_id.rId)
    for element in presentation.iter(qn("p:custShowLst"), "{http://schemas.microsoft.com/office/powerpoint/2010/main}sectionLst"):
        parent = element.getparent()
        parent.remove(element)
        if parent.tag == qn("p:ext") and not len(parent):
            parent.getparent().remove(parent)


def _remove_thumbnail(prs) -> None:
    """Drop the package's thumbnail (``docProps/thumbnail.jpeg``): it pictures the template's
    sample slide, not the deck, and it is the template's part least looked at."""
    package = prs.part.package
    try:
        thumbnail = package.part_related_by(RT.THUMBNAIL)
    except KeyError:  # none
        return
    package.drop_rel(package.relate_to(thumbnail, RT.THUMBNAIL))  # relate_to: the rId it has


_FOOTER_TYPES = {"dt": PP_PLACEHOLDER.DATE, "ftr": PP_PLACEHOLDER.FOOTER, "sldNum": PP_PLACEHOLDER.SLIDE_NUMBER}
_SLIDENUM_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
"""The slide-number field's id where the layout's own field gives none (any fixed GUID will do)."""
_SHAPE_IDS = etree.XPath("//p:cNvPr/@id", namespaces={"p": "http://schemas.openxmlformats.org/presentationml/2006/main"})
_FIELD_IDS = etree.XPath(".//a:fld[@type='slidenum']/@id",
                         namespaces={"a": "http://schemas.openxmlformats.org/drawingml/2006/main"})


class _Prepared(NamedTuple):
    """A layout's footer placeholder as every slide's copy of it starts: placed, its text gone."""

    element: CT_Shape
    field_id: str
    """For a slide number: the id its field takes (the layout's own field's)."""


_prepared: dict[tuple, _Prepared | None] = {}
"""The footer placeholders of the deck being made, prepared once per layout, type and box
(emptied when a deck begins): each slide's footer is a copy."""


def _prepare_footer(layout, footer: Footer) -> _Prepared | None:
    """The layout's placeholder of ``footer.type`` (with a template, the one of idx
    ``footer.frame.placeholder``), copied, placed where the plan put it (without a template the
    default layouts sit on a 4:3 slide; with one, moved as :func:`_move_placeholder` moves one
    the plan placed elsewhere) and emptied; None when the layout has none."""
    frame = footer.frame
    source = next((shape for shape in layout.placeholders if shape.placeholder_format.type == _FOOTER_TYPES[footer.type]
                   and (frame.placeholder is None or shape.placeholder_format.idx == frame.placeholder)), None)
    if source is None or source.element.find(_P_TXBODY) is None:  # (a template's placeholder without text)
        return None
    element = copy.deepcopy(source.element)
    box = frame.box
    if frame.placeholder is None or not all(abs(Emu(value).pt - wanted) < 0.5 for value, wanted in (
            (source.left, box.x), (source.top, box.y), (source.width, box.w), (source.height, box.h))):
        _place_element(element, box)
    txBody = element.find(_P_TXBODY)
    for old in txBody.findall(_A_P):
        txBody.remove(old)
    etree.SubElement(txBody, _A_P)
    ids = _FIELD_IDS(source.element)
    return _Prepared(element, ids[0] if ids else _SLIDENUM_ID)


def _footer(slide, footer: Footer, dark: bool, language: str, look: _Look, parts: list) -> None:
    """A footer placeholder of the slide's layout copied onto the slide, as PowerPoint does when
    footers are switched on (python-pptx does not clone them onto a new slide), and filled with
    the planned text: without a template, styled as a text box of the plan's; with one, by the
    template. A slide number is a slide-number field (``<a:fld type="slidenum">``), which
    PowerPoint renumbers when slides move, set unwrapped: a number that grows past its box
    (slides added) extends to the left of it, never onto a second line. A layout without the
    placeholder gets a text box of the same text.

    The copy's shape id is one more than the slide's highest: footers are the last shapes drawn
    on a slide (:func:`reportgen.plan.slides.in_reading_order`), so no shape python-pptx
    numbers comes after it."""
    frame = footer.frame
    layout = slide.slide_layout
    key = (id(layout.part), footer.type, frame.placeholder, frame.box)
    if key not in _prepared:
        _prepared[key] = _prepare_footer(layout, footer)
    prepared = _prepared[key]
    if prepared is None:
        box = frame.box
        element = slide.shapes.add_textbox(Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h)).element
        frame = frame._replace(placeholder=None)
    else:
        element = copy.deepcopy(prepared.element)
        tree = slide.shapes.element
        element.nvSpPr.cNvPr.set("id", str(max(int(i) for i in _SHAPE_IDS(tree)) + 1))
        tree.append(element)
    txBody = element.find(_P_TXBODY)
    _write(txBody, slide.part, frame, dark, language, look, parts=parts)
    if footer.type == "sldNum":
        txBody.find(_A_BODYPR).set("wrap", "none")
        for run in txBody.iter(_A_R):  # the number's one run, made the field that shows it
            run.tag = _A_FLD
            run.set("id", prepared.field_id if prepared else _SLIDENUM_ID)
            run.set("type", "slidenum")


def _fill_picture(slide, element, picture: Picture, dpi: int) -> None:
    """The picture in the layout's picture placeholder: uncropped, at the size the plan chose
    inside it (python-pptx crops a picture to fill the placeholder)."""
    placeholder = next(shape for shape in slide.placeholders if shape.element is element)
    pixels = prepared(picture.path, picture.box.w, picture.box.h, dpi)
    placed = placeholder.insert_picture(io.BytesIO(pixels.data))
    placed.crop_left = placed.crop_right = placed.crop_top = placed.crop_bottom = 0
    _place_element(placed.element, picture.box)
    placed.element.nvPicPr.cNvPr.set("descr", picture.alt)


def _link_colour(prs, colour: Colour) -> None:
    """Make the theme's colour for links ``colour``: PowerPoint and LibreOffice draw a link in
    the theme's link colour, whatever colour its run names."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
    for found in root.iterfind(".//a:clrScheme/a:hlink", {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}):
        for child in list(found):
            found.remove(child)
        etree.SubElement(found, _A_SRGBCLR, val=str(colour))
    part.blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _place_element(element, box: Box) -> None:
    """As ``shape.left``, ``.top``, ``.width``, ``.height`` set them (the proxy sets these)."""
    element.x, element.y, element.cx, element.cy = Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h)


def _draw(slide, shape: Shape, dark: bool, language: str, look: _Look, parts: list) -> None:
    """``shape`` on ``slide``; ``parts`` are the deck's slide parts, which a run may link to."""
    shapes = slide.shapes
    if isinstance(shape, Frame):
        box = shape.box
        textbox = shapes.add_textbox(Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))
        _write(textbox.element.find(_P_TXBODY), slide.part, shape, dark, language, look, parts=parts)
    elif isinstance(shape, Picture):
        box = shape.box
        pixels = prepared(shape.path, box.w, box.h, look.image_dpi)
        picture = shapes.add_picture(io.BytesIO(pixels.data), Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))
        picture.element.nvPicPr.cNvPr.set("descr", shape.alt)
        picture.element.nvPicPr.cNvPr.set("name", "Picture")
    elif isinstance(shape, Rect):
        box = shape.box
        drawn = shapes.add_shape(MSO_SHAPE.OVAL if shape.ellipse else MSO_SHAPE.RECTANGLE,
                                 Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))
        drawn.fill.solid()
        _set_colour(drawn.fill.fore_color, look.fills[shape.fill])
        if shape.ellipse:
            _set_colour(drawn.line.color, look.background)
            drawn.line.width = Pt(2)
        else:
            drawn.line.fill.background()
        drawn.shadow.inherit = False
        _decorative(drawn.element)
    elif isinstance(shape, Line):
        connector = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Pt(shape.x1), Pt(shape.y1), Pt(shape.x2), Pt(shape.y2))
        _set_colour(connector.line.color, look.rule)
        connector.line.width = Pt(2.5)
        _decorative(connector.element)
    elif isinstance(shape, TableShape):
        _table(slide, shape, dark, language, look, parts)
    elif isinstance(shape, Footer):
        _footer(slide, shape, dark, language, look, parts)
    elif isinstance(shape, ChartShape):
        from reportgen.render.pptx_chart import draw_chart  # (python-pptx's chart modules, only for a deck with a chart)

        draw_chart(slide, shape, look, _set_colour, language)
    else:  # a shape the plan may hold and this renderer forgot is a type error (make typecheck)
        assert_never(shape)


_ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"
_DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"


def _decorative(element) -> None:
    """Mark a shape that carries no content (an accent bar, a rule, a timeline's dot) decorative,
    as PowerPoint's "Mark as decorative" does: screen readers pass over it."""
    properties = element.find(f".//{qn('p:cNvPr')}")
    extensions = etree.SubElement(properties, qn("a:extLst"))
    extension = etree.SubElement(extensions, qn("a:ext"), uri=_DECORATIVE_EXT)
    etree.SubElement(extension, f"{{{_ADEC}}}decorative", nsmap={"adec": _ADEC}, val="1")


def _table(slide, shape: TableShape, dark: bool, language: str, look: _Look, parts: list) -> None:
    """A native table: its header row in the primary colour, or on a dark slide (whose
    background that is) in the accent colour with dark text."""
    box = shape.box
    rows, columns = len(shape.rows), len(shape.columns)
    graphic = slide.shapes.add_table(rows, columns, Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))
    table = graphic.table
    table.first_row = True
    table.horz_banding = False
    for index, width in enumerate(shape.columns):
        table.columns[index].width = Pt(width)
    part = graphic.part
    rows_xml = graphic.element.find(f".//{_A_TBL}").findall(_A_TR)
    for r, (tr, cells, height) in enumerate(zip(rows_xml, shape.rows, shape.row_heights)):
        table.rows[r].height = Pt(height)
        for c, (tc, paras) in enumerate(zip(tr.findall(_A_TC), cells)):
            # As cell.fill.solid(), .fill.fore_color.rgb, the four margins and vertical_anchor
            # would write them, on the new cell's empty <a:tcPr/>.
            tcPr = tc.find(_A_TCPR)
            if len(tcPr) or len(tcPr.attrib):  # pragma: no cover - python-pptx makes new cells so
                raise AssertionError(f"unexpected cell properties: {etree.tostring(tcPr)!r}")
            header = look.accent if dark else look.primary
            fill = header if r == 0 else (look.tint if r % 2 == 0 else look.background)
            _colour_xml(etree.SubElement(tcPr, _A_SOLIDFILL), fill)
            for name, points in (("marL", 6), ("marR", 6), ("marT", 4), ("marB", 4)):
                tcPr.set(name, str(Pt(points)))
            tcPr.set("anchor", "ctr")  # rows the plan made taller than their text: the text in the middle
            spec = fit.BoxSpec(shape.columns[c], height, inset_left=6, inset_right=6, inset_top=4, inset_bottom=4)
            frame = Frame(Box(0, 0, shape.columns[c], height), paras, shape.size, spec, "body")
            _write(tc.find(_A_TXBODY), part, frame, r == 0 and not dark, language, look, table_cell=True, parts=parts)


def _write(txBody, part, frame: Frame, dark: bool, language: str, look: _Look, table_cell: bool = False,
           parts: list | None = None) -> None:
    """Write a measured frame: explicit size, insets, spacing, indents; no autofit.

    The XML is built with lxml directly, element by element and attribute by attribute in the
    order python-pptx's setters produce (``text_frame.word_wrap``, ``paragraph.alignment``,
    ``run.font.size``, …): the same bytes, without the proxy objects and per-property XPath
    searches that made text the bulk of a deck's build time.
    """
    spec = frame.spec
    light_colour, dark_colour, role_bold = look.roles[frame.role]
    font = look.font(frame.role)
    in_placeholder = frame.placeholder is not None  # a template's: its colours and anchor are the template's
    colour = None if in_placeholder else dark_colour if dark else light_colour
    if not table_cell:
        _body_properties(txBody.find(_A_BODYPR), spec, anchor=None if in_placeholder else "b" if frame.anchor == "bottom" else "t")
    size = _centipoints(Pt(frame.size))
    space_before = _centipoints(Pt(math.floor(spec.space_before_em * frame.size * 100) / 100))
    space_after = _centipoints(Pt(math.floor(spec.space_after_em * frame.size * 100) / 100))
    line_spacing = _percent(spec.line_spacing)
    align = _ALIGN_XML[frame.align]
    end_size = str(round(frame.size * 100))
    for index, planned in enumerate(frame.paras):
        if index == 0:
            p = txBody.find(_A_P)
            for run in p.findall(_A_R):
                p.remove(run)
            if len(p):  # pragma: no cover - every text frame written here starts as a bare <a:p/>
                raise AssertionError(f"unexpected paragraph content: {etree.tostring(p)!r}")
        else:
            p = etree.SubElement(txBody, _A_P)
        pPr = etree.SubElement(p, _A_PPR, algn=align) if not in_placeholder else etree.SubElement(p, _A_PPR)
        etree.SubElement(etree.SubElement(pPr, _A_LNSPC), _A_SPCPCT, val=line_spacing)
        etree.SubElement(etree.SubElement(pPr, _A_SPCBEF), _A_SPCPTS, val=space_before)
        etree.SubElement(etree.SubElement(pPr, _A_SPCAFT), _A_SPCPTS, val=space_after)
        pPr.set("marL", str(Pt(fit.margin_left(planned, spec))))
        hanging = planned.bullet or planned.continued
        pPr.set("indent", str(-Pt(spec.indent_per_level)) if hanging else "0")
        if planned.bullet and not planned.continued:
            colour_el = etree.SubElement(pPr, _A_BUCLR)
            _colour_xml(colour_el, look.accent if not dark else look.on_primary_muted)
            etree.SubElement(pPr, _A_BUFONT, typeface=font)
            etree.SubElement(pPr, _A_BUCHAR, char=BULLET)
        else:
            etree.SubElement(pPr, _A_BUNONE)
        for span in planned.spans:
            pieces = span.text.replace("\v", "\n").replace("\u2028", "\n").split("\n")
            for number, piece in enumerate(pieces):
                if number:
                    etree.SubElement(p, _A_BR)
                if piece:
                    _run(p, part, piece, span, size, colour, role_bold, language, font, look, parts)
        etree.SubElement(p, _A_ENDPARARPR, lang=language, sz=end_size)


def _run(p, part, text: str, span: fit.Span, size: str, colour: Colour | None, role_bold: bool, language: str,
         font: str, look: _Look, parts: list | None = None) -> None:
    """One ``<a:r>``: as ``run.text``, ``font.size``, ``.bold``, ``.italic``, ``.name``, ``lang``,
    then ``run.hyperlink.address``, ``font.color.rgb`` and ``font.underline`` would write it.
    A ``colour`` of None leaves the colour to the placeholder's layout and master. A span that
    links to a slide of the deck (``span.slide``) gets the jump python-pptx's
    ``click_action.target_slide`` writes on a shape: ``<a:hlinkClick r:id=".."
    action="ppaction://hlinksldjump"/>``, its relationship to that slide's part."""
    r = etree.SubElement(p, _A_R)
    rPr = etree.SubElement(r, _A_RPR, sz=size, b="1" if span.bold or role_bold else "0",
                           i="1" if span.italic else "0", lang=language)
    fill = etree.SubElement(rPr, _A_SOLIDFILL) if colour is not None else None
    etree.SubElement(rPr, _A_LATIN, typeface=look.mono_font if span.code else font)
    if span.href:
        rId = part.relate_to(span.href, RT.HYPERLINK, is_external=True)
        etree.SubElement(rPr, _A_HLINKCLICK).set(_R_ID, rId)
        colour = look.link if colour in (look.ink, look.muted, look.primary) else colour
        rPr.set("u", "sng")
    elif span.slide is not None and parts is not None:
        link = etree.SubElement(rPr, _A_HLINKCLICK)
        link.set(_R_ID, part.relate_to(parts[span.slide], RT.SLIDE))
        link.set("action", "ppaction://hlinksldjump")
    if fill is not None and colour is not None:
        _colour_xml(fill, colour)
    etree.SubElement(r, _A_T).text = _escape_controls(text)


def _body_properties(bodyPr, spec: fit.BoxSpec, anchor: str | None = "t") -> None:
    """As ``word_wrap = True``, ``auto_size = NONE``, the four margins and ``vertical_anchor``
    (``t`` or ``b``; with None, a template placeholder's own anchor is kept: the text fits either way)."""
    bodyPr.set("wrap", "square")
    for child in bodyPr:
        if child.tag in _AUTOFITS:
            bodyPr.remove(child)
    successor = next((child for child in bodyPr if child.tag in _AUTOFIT_SUCCESSORS), None)
    if successor is None:
        etree.SubElement(bodyPr, _A_NOAUTOFIT)
    else:  # pragma: no cover - python-pptx's text boxes and placeholders have none
        successor.addprevious(etree.Element(_A_NOAUTOFIT))
    for name, points, default in (("lIns", spec.inset_left, 91440), ("rIns", spec.inset_right, 91440),
                                  ("tIns", spec.inset_top, 45720), ("bIns", spec.inset_bottom, 45720)):
        value = Pt(points)
        if value == default:  # python-pptx leaves a default inset out
            bodyPr.attrib.pop(name, None)
        else:
            bodyPr.set(name, str(int(value)))
    if anchor:
        bodyPr.set("anchor", anchor)


def _centipoints(length: int) -> str:
    """A length as python-pptx writes ``sz`` and ``spcPts/@val``: whole centipoints, rounded down."""
    return str(Emu(length).centipoints)


def _percent(lines: float) -> str:
    """``paragraph.line_spacing = lines`` as ``spcPct/@val``."""
    if not isinstance(lines, float | int) or isinstance(lines, Length):  # pragma: no cover
        raise TypeError(f"line spacing in lines expected, got {lines!r}")
    return str(int(round(lines * 100000.0)))


class _SlideMaker:
    """New slides and their notes slides: through python-pptx's public API, or copied from the
    first (:class:`reportgen._compat.pptx.SlideCopies`), which makes the same package."""

    def __init__(self, prs, layout):
        self.prs, self.layout = prs, layout
        self.copies = pptx_patches.SlideCopies.for_deck(prs, layout)

    def new_slide(self):
        """A new slide, its shapes in python-pptx's turbo-add mode (the next shape id counted on,
        not searched for in the whole slide each time: the same ids)."""
        slide = self.copies.new_slide() if self.copies else None
        if slide is None:
            slide = self.prs.slides.add_slide(self.layout)
            if self.copies:
                self.copies.first_slide(slide, slide.shapes.title.element)
        slide.shapes.turbo_add_enabled = True
        return slide

    def title(self, slide):
        """The slide's title placeholder's element (``p:sp``)."""
        found = self.copies.title(slide) if self.copies else None
        return found if found is not None else slide.shapes.title.element

    def notes_body(self, slide):
        """The ``p:txBody`` of the slide's (new) notes slide's notes placeholder."""
        body = self.copies.notes_body(slide) if self.copies else None
        if body is None:
            notes_slide = slide.notes_slide
            body = notes_slide.notes_placeholder.element.find(_P_TXBODY)
            if self.copies:
                self.copies.first_notes(notes_slide, body)
        return body


def _finish(slide) -> None:
    """The slide and its notes slide are written: with python-pptx 1.0.2, serialized now."""
    slide_part = slide.part
    pptx_patches.serialize_now(slide_part.part_related_by(RT.NOTES_SLIDE))
    pptx_patches.serialize_now(slide_part)


_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f]")


def _escape_controls(text: str) -> str:
    """Control characters as python-pptx's ``run.text`` writes them (``_x0007_`` for BEL); tab
    and line feed as they are."""
    return _CONTROLS.sub(lambda match: "_x%04X_" % ord(match.group()), text)


def _notes(txBody, planned: Slide, language: str) -> None:
    """The notes' paragraphs, as ``paragraph.text = text`` writes them, each run in the
    document's language; a ``<a:br/>`` for each line break."""
    for index, text in enumerate(planned.notes):
        if index == 0:
            p = txBody.find(_A_P)
            for child in p.findall("*"):
                if child.tag in (_A_R, _A_BR, _A_FLD):
                    p.remove(child)
            if len(p):  # pragma: no cover - the notes placeholder's paragraph is a bare <a:p/>
                raise AssertionError(f"unexpected notes paragraph: {etree.tostring(p)!r}")
        else:
            p = etree.SubElement(txBody, _A_P)
        for number, piece in enumerate(re.split("\n|\v", text)):
            if number:
                etree.SubElement(p, _A_BR)
            if piece:
                run = etree.SubElement(p, _A_R)
                etree.SubElement(run, _A_RPR, lang=language)
                etree.SubElement(run, _A_T).text = _escape_controls(piece)


def _properties(prs, plan: DeckPlan, date: datetime.date) -> None:
    """The core properties from the document; the application's properties (``docProps/app.xml``)
    saying what the deck is; the document's language on the masters, layouts, notes master and
    default text style (python-pptx's default template says en-US); no thumbnail (python-pptx's
    pictures no slide of this deck)."""
    _app_properties(prs, plan)
    _remove_thumbnail(prs)
    for element in (prs.element, prs.notes_master.element,
                    *(part.element for master in prs.slide_masters for part in (master, *master.slide_layouts))):
        for found in _LANG(element):
            found.getparent().set("lang", plan.language)
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


_LANG = etree.XPath(".//a:*/@lang", namespaces={"a": "http://schemas.openxmlformats.org/drawingml/2006/main"})
_APP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def _app_properties(prs, plan: DeckPlan) -> None:
    """``docProps/app.xml`` as it should be for this deck: reportgen as the application, the
    slide format, and the slide and notes counts (python-pptx's default says PowerPoint, 4:3, 0)."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        part = prs.part.package.part_related_by(RT.EXTENDED_PROPERTIES)
    except KeyError:  # a template without one
        return
    root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
    ratio = plan.width / plan.height
    shape = "16:9" if abs(ratio - 16 / 9) < 0.01 else "4:3" if abs(ratio - 4 / 3) < 0.01 else "16:10" \
        if abs(ratio - 1.6) < 0.01 else None
    values = {"Application": "reportgen", "Slides": str(len(plan.slides)), "Notes": str(len(plan.slides)),
              "PresentationFormat": f"On-screen Show ({shape})" if shape else "Custom", "TotalTime": "0"}
    for name, value in values.items():
        element = root.find(f"{{{_APP}}}{name}")
        if element is not None:
            element.text = value
    for name in ("HeadingPairs", "TitlesOfParts", "AppVersion"):  # the template's fonts and titles; PowerPoint's version
        for element in root.findall(f"{{{_APP}}}{name}"):
            root.remove(element)
    part.blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _deterministic_zip(prs) -> bytes:
    """The package with each member dated 1980-01-01, mode 0644, so that the bytes depend on the
    content only: python-pptx's file, its members rewritten in the same order (or, with
    python-pptx 1.0.2, written so at once: :func:`reportgen._compat.pptx.zip_once`)."""
    once = pptx_patches.zip_once(prs)
    if once is not None:
        return once
    saved = io.BytesIO()
    prs.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(pptx_patches.fixed_date(member.filename), source.read(member))
    return out.getvalue()
