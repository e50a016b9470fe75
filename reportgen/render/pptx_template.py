"""Read an institution's .pptx template with python-pptx into a :class:`reportgen.plan.template.Template`:
its slide size, every layout of every master with its placeholders (type, index, name, where),
its theme fonts and how many sample slides it holds. ``reportgen templates inspect`` prints it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.exc import PackageNotFoundError
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu

from reportgen.errors import OutlineError, Problem, ReportgenError
from reportgen.plan.template import USED_FOR, Layout, LayoutError, Placeholder, Template, choose_layouts

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True)
"""A template is untrusted input: no entity in it is expanded (python-pptx parses the same way),
so one naming a file (``<!ENTITY x SYSTEM "file:///etc/passwd">``) reads nothing."""


def open_template(path: Path):
    """The template as a python-pptx Presentation, or a one-line error saying why it is not one."""
    if not zipfile.is_zipfile(path):
        raise ReportgenError(f"{path}: not a PowerPoint .pptx file (a .pptx is a zip archive; this is not one)")
    try:
        return Presentation(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as err:
        raise ReportgenError(f"{path}: not a PowerPoint .pptx file that can be read ({type(err).__name__}: {err})") from None


def read_template(path: Path) -> Template:
    prs = open_template(path)
    layouts = []
    index = 0
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            placeholders = []
            for shape in layout.placeholders:
                ph = shape.element.ph
                placeholders.append(Placeholder(
                    type=ph.get("type", "obj"), idx=int(ph.get("idx", "0")), name=shape.name,
                    x=_pt(shape.left), y=_pt(shape.top), w=_pt(shape.width), h=_pt(shape.height),
                    vertical=ph.get("orient") == "vert" or _vertical_text(shape),
                    caps=_capitals(shape, master),
                ))
            layouts.append(Layout(index, layout.name, tuple(placeholders)))
            index += 1
    try:
        heading, body = _theme_fonts(prs)
    except etree.XMLSyntaxError as err:
        raise ReportgenError(f"{path}: its theme is not XML reportgen reads ({err})") from None
    return Template(Path(path), _pt(prs.slide_width), _pt(prs.slide_height), tuple(layouts), heading, body,
                    len(prs.slides))


def _pt(length) -> float:
    return round(Emu(length or 0).pt, 2)


def _vertical_text(shape) -> bool:
    body = shape.element.find(f".//{{{_A}}}bodyPr")
    return body is not None and body.get("vert", "horz") not in ("horz",)


def _capitals(shape, master) -> bool:
    """Whether the placeholder's first-level text is in capitals: the first ``cap`` found in its
    layout's list style, its master placeholder's, then the master's title or body style."""
    title = shape.element.ph.get("type") in ("title", "ctrTitle")
    chain = [shape.element]
    for candidate in master.placeholders:
        if (candidate.element.ph.get("type") in ("title", "ctrTitle")) == title:
            chain.append(candidate.element)
            break
    for element in chain:
        found = element.find(f"./{{*}}txBody/{{{_A}}}lstStyle/{{{_A}}}lvl1pPr/{{{_A}}}defRPr")
        if found is not None and found.get("cap"):
            return found.get("cap") == "all"
    styles = master.element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}txStyles")
    if styles is not None:
        name = "titleStyle" if title else "bodyStyle"
        found = styles.find(f"{{*}}{name}/{{{_A}}}lvl1pPr/{{{_A}}}defRPr")
        if found is not None and found.get("cap"):
            return found.get("cap") == "all"
    return False


def _theme_fonts(prs) -> tuple[str, str]:
    """The theme's major and minor Latin typefaces (what ``+mj-lt`` and ``+mn-lt`` stand for)."""
    theme = etree.fromstring(prs.slide_master.part.part_related_by(RT.THEME).blob, SAFE_XML)
    found = []
    for which in ("majorFont", "minorFont"):
        latin = theme.find(f".//{{{_A}}}fontScheme/{{{_A}}}{which}/{{{_A}}}latin")
        found.append(latin.get("typeface", "") if latin is not None else "")
    return found[0], found[1]


def describe(template: Template) -> str:
    """What ``reportgen templates inspect`` prints: each layout and its placeholders, and which
    layout reportgen would use for each kind of slide."""
    lines = [f"{template.path}: {template.width:g} x {template.height:g} pt, "
             f"{len(template.layouts)} layout{'s' if len(template.layouts) != 1 else ''}, "
             f"{template.sample_slides} sample slide{'s' if template.sample_slides != 1 else ''} (removed when building)",
             f"theme fonts: headings {template.heading_font or '(none)'}, body {template.body_font or '(none)'}", ""]
    for layout in template.layouts:
        lines.append(f"layout {layout.number}: {layout.name!r}")
        for p in layout.placeholders:
            lines.append(f"    {p.type:<9} idx {p.idx:<3} {p.name!r:<32} at ({p.x:g}, {p.y:g}) pt, "
                         f"{p.w:g} x {p.h:g} pt{', vertical' if p.vertical else ''}")
        if not layout.placeholders:
            lines.append("    (no placeholders)")
    lines.append("")
    try:
        chosen = choose_layouts(template)
    except ValueError as err:
        lines.append(f"without a mapping: {err}")
    else:
        lines.append("used without a mapping (change with pptx_template.layouts in the outline):")
        lines += [f"    {kind + ':':<12} {layout.name!r:<28} for {USED_FOR[kind]}" for kind, layout in chosen.items()]
    return "\n".join(lines)


def template_layouts(loaded) -> tuple[Template, dict[str, Layout]] | None:
    """The deck's template (``loaded.template``) and the layout for each kind of slide, or None
    when the deck has no template. A wrong ``pptx_template.layouts`` entry is an OutlineError at
    its line, naming the template's layouts."""
    if loaded.template is None:
        return None
    template = read_template(loaded.template)
    document = loaded.document
    mapping = dict(document.pptx_template.layouts) if document.pptx_template else {}
    try:
        return template, choose_layouts(template, mapping)
    except LayoutError as err:
        key = ("pptx_template", "layouts", err.kind) if err.kind in mapping else ("pptx_template",)
        where = loaded.where(*key) if document.pptx_template else (str(loaded.template), None, None)
        raise OutlineError([Problem.at(where, ".".join(map(str, key)), str(err))]) from None
