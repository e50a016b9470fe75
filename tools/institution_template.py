"""An institution's .pptx template, made from python-pptx's default template: every layout
renamed (as a German university's might be), a changed master (a cream background, a red title
colour, a bar across the top), and two sample slides that a deck must not keep.

    .venv/bin/python tools/institution_template.py [assets/university.pptx]

writes the sample template the README's examples use (committed; tests/test_readme.py checks
that this script still makes it, byte for byte). The tests make their own copies with
:func:`make_template`."""

from __future__ import annotations

import copy
import datetime
import io
import sys
import zipfile
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.util import Pt

NAMES = {
    "Title Slide": "Titelfolie",
    "Title and Content": "Titel und Inhalt",
    "Section Header": "Abschnittsüberschrift",
    "Two Content": "Zwei Inhalte",
    "Comparison": "Vergleich",
    "Title Only": "Nur Titel",
    "Blank": "Leer",
    "Content with Caption": "Inhalt mit Überschrift",
    "Picture with Caption": "Bild mit Überschrift",
    "Title and Vertical Text": "Titel und vertikaler Text",
    "Vertical Title and Text": "Vertikaler Titel und Text",
}
BACKGROUND = "FDF6E3"
TITLE_COLOUR = "8B0000"
BAR_COLOUR = "8B0000"


def make_template(path: Path) -> Path:
    prs = Presentation()
    for layout in prs.slide_layouts:
        layout.name = NAMES[layout.name]
    master = prs.slide_master
    master.background.fill.solid()
    master.background.fill.fore_color.rgb = RGBColor.from_string(BACKGROUND)
    title_style = master._element.find(qn("p:txStyles")).find(qn("p:titleStyle"))
    defaults = title_style.find(qn("a:lvl1pPr")).find(qn("a:defRPr"))
    for old in defaults.findall(qn("a:solidFill")):
        defaults.remove(old)
    fill = etree.Element(qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr"), val=TITLE_COLOUR)
    defaults.insert(0, fill)
    # a bar across the top of every slide, drawn on the master (made on a scratch slide, moved there)
    scratch = prs.slides.add_slide(prs.slide_layouts[6])
    bar = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, prs.slide_width, Pt(12))
    bar.fill.solid()
    bar.fill.fore_color.rgb = RGBColor.from_string(BAR_COLOUR)
    bar.line.fill.background()
    element = copy.deepcopy(bar._element)
    element.nvSpPr.cNvPr.set("id", "100")
    element.nvSpPr.cNvPr.set("name", "Institution bar")
    master.shapes._spTree.append(element)
    _drop_slide(prs, 0)
    # two sample slides, as templates often carry
    for text in ("Sample title slide", "How to use this template"):
        sample = prs.slides.add_slide(prs.slide_layouts[1])
        sample.shapes.title.text = text
        sample.notes_slide.notes_text_frame.text = "sample notes"
    core = prs.core_properties
    core.title, core.author, core.last_modified_by = "University template", "reportgen", "reportgen"
    core.created = core.modified = datetime.datetime(2025, 1, 1)
    core.revision = 1
    saved = io.BytesIO()
    prs.save(saved)
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():  # dated 1980-01-01: the bytes depend on the content only
            entry = zipfile.ZipInfo(member.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(entry, source.read(member))
    return path


def _drop_slide(prs, index: int) -> None:
    slide_ids = prs.slides._sldIdLst
    slide_id = slide_ids[index]
    slide_ids.remove(slide_id)
    prs.part.drop_rel(slide_id.rId)


if __name__ == "__main__":
    written = make_template(Path(sys.argv[1] if len(sys.argv) > 1 else "assets/university.pptx"))
    print(f"{written}: written")
