"""Institution templates: slides made from the template's own layouts, its placeholders filled,
its sample slides gone, its master, background, footers and slide numbers kept, no dangling
relationship, and no word outside its box. The template is made by the tests (institution.py)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.util import Emu

from reportgen.build import build
from reportgen.plan.deck import LAYOUT_OF, plan_deck
from reportgen.plan.template import choose_layouts
from reportgen.read.loader import load_outline
from reportgen.render.pptx_template import read_template, template_layouts
from tests.conftest import REPO, run
from tests.render.test_pptx_deck import overflowing_words
from tools.institution_template import BACKGROUND, NAMES, make_template

TRILATERAL = REPO / "outlines" / "trilateral-alliance.yaml"
MAPPING = """\
pptx_template:
  file: assets/institution.pptx
  layouts:
    content: Titel und Inhalt
    section: Abschnittsüberschrift
"""


@pytest.fixture(scope="module")
def institution(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the institution template and the trilateral outline naming it."""
    project = tmp_path_factory.mktemp("institution")
    (project / "assets").mkdir()
    make_template(project / "assets" / "institution.pptx")
    text = TRILATERAL.read_text(encoding="utf-8")
    (project / "trilateral.yaml").write_text(text.replace("\nsections:", "\n" + MAPPING + "sections:", 1), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def deck(institution: Path) -> Path:
    (built,) = build(load_outline(institution / "trilateral.yaml"), "trilateral", ["pptx"], institution / "out")
    return built.path


def test_layouts_are_matched_by_placeholders_when_their_names_are_not_the_usual_ones(institution: Path) -> None:
    chosen = choose_layouts(read_template(institution / "assets" / "institution.pptx"))
    assert {kind: layout.name for kind, layout in chosen.items()} == {
        "title": NAMES["Title Slide"], "section": NAMES["Section Header"], "content": NAMES["Title and Content"],
        "picture": NAMES["Picture with Caption"], "title_only": NAMES["Title Only"],
    }


def test_every_slide_is_made_from_the_templates_layout_for_its_kind(institution: Path, deck: Path) -> None:
    loaded = load_outline(institution / "trilateral.yaml")
    template, layouts = template_layouts(loaded)
    plan = plan_deck(loaded.document, loaded.theme, template=template, layouts=layouts)
    prs = Presentation(deck)
    assert len(prs.slides) == len(plan.slides) == 15  # 23 before the layout chooser: 8 dividers of one slide each
    for slide, planned in zip(prs.slides, plan.slides):
        assert slide.slide_layout.name == layouts[LAYOUT_OF[planned.kind]].name
    assert (prs.slide_width, prs.slide_height) == (9144000, 6858000)  # the template's 4:3, not reportgen's 16:9


def test_the_templates_sample_slides_are_gone(deck: Path) -> None:
    titles = [s.shapes.title.text_frame.text for s in Presentation(deck).slides]
    assert "Sample title slide" not in titles and "How to use this template" not in titles
    with zipfile.ZipFile(deck) as archive:
        notes = [archive.read(n).decode() for n in archive.namelist() if n.startswith("ppt/notesSlides/")]
    assert not any("sample notes" in n for n in notes)


def test_text_fills_the_placeholders_and_no_placeholder_is_left_empty(deck: Path) -> None:
    prs = Presentation(deck)
    for number, slide in enumerate(prs.slides, 1):
        assert slide.shapes.title.is_placeholder and slide.shapes.title.text_frame.text, number
        for shape in slide.placeholders:
            kind = shape.placeholder_format.type
            text = shape.text_frame.text if shape.has_text_frame else ""
            assert text or "SLIDE_NUMBER" in str(kind) or shape.shape_type is not None and "PICTURE" in str(kind), (number, shape.name)
    bullets = prs.slides[2]  # "Introduction": no divider before a section of one slide
    body = [s for s in bullets.placeholders if s.placeholder_format.idx == 1]
    assert body and body[0].text_frame.paragraphs[0].text.startswith("Cooperation between Japan")
    assert not [s for s in bullets.shapes if s.has_text_frame and not s.is_placeholder]  # no free text box on it


def test_the_master_background_footer_and_slide_numbers_are_kept(deck: Path) -> None:
    prs = Presentation(deck)
    assert any(s.name == "Institution bar" for s in prs.slide_master.shapes)
    assert str(prs.slide_master.background.fill.fore_color.rgb) == BACKGROUND
    for number, slide in enumerate(prs.slides, 1):
        assert slide._element.cSld.bg is None  # the master's background shows through
        types = {str(p.placeholder_format.type).split(".")[-1].split(" ")[0]: p for p in slide.placeholders}
        if number in (1, len(prs.slides)):  # the title and closing slides have no footer, as in PowerPoint's own decks
            continue
        assert types["FOOTER"].text_frame.text == "Cracks in the trilateral · CC BY 4.0"
        assert types["DATE"].text_frame.text == "15 February 2025"  # the publication date, fixed text
        assert not types["DATE"]._element.xpath(".//a:fld"), number
        fields = types["SLIDE_NUMBER"]._element.xpath(".//a:fld[@type='slidenum']")
        assert [field.findtext(qn("a:t")) for field in fields] == [str(number)], f"slide {number}: no slide number field"
        assert types["SLIDE_NUMBER"].text_frame.text == str(number)
        assert not [s for s in slide.shapes if s.has_text_frame and not s.is_placeholder
                    and Emu(s.top).pt >= Emu(types["FOOTER"].top).pt - 1]  # no footer text box besides


def test_a_layout_without_a_date_placeholder_goes_without_a_date(institution: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(institution, project, ignore=shutil.ignore_patterns("out"))
    template = project / "assets" / "institution.pptx"
    prs = Presentation(template)
    for layout in prs.slide_layouts:
        for placeholder in list(layout.placeholders):
            if placeholder.placeholder_format.type == PP_PLACEHOLDER.DATE:
                placeholder._element.getparent().remove(placeholder._element)
    prs.save(template)
    (built,) = build(load_outline(project / "trilateral.yaml"), "trilateral", ["pptx"], project / "out")
    slides = list(Presentation(built.path).slides)
    for number, slide in enumerate(slides[1:-1], 2):
        types = [p.placeholder_format.type for p in slide.placeholders]
        assert PP_PLACEHOLDER.DATE not in types and PP_PLACEHOLDER.FOOTER in types, number
        footer = next(p for p in slide.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.FOOTER)
        assert not [s for s in slide.shapes if s.has_text_frame and not s.is_placeholder
                    and Emu(s.top).pt >= Emu(footer.top).pt - 1], number  # nor a text box in its place


def test_no_relationship_dangles_and_every_part_is_declared(deck: Path) -> None:
    with zipfile.ZipFile(deck) as archive:
        names = set(archive.namelist())
        types = etree.fromstring(archive.read("[Content_Types].xml"))
        overrides = {o.get("PartName").lstrip("/") for o in types if o.get("PartName")}
        assert overrides <= names
        for name in names:
            if not name.endswith(".rels"):
                continue
            folder = PurePosixPath(name).parent.parent
            for rel in etree.fromstring(archive.read(name)):
                if rel.get("TargetMode") == "External":
                    continue
                target = rel.get("Target")
                resolved = PurePosixPath(target.lstrip("/")) if target.startswith("/") else folder / target
                parts = []
                for piece in resolved.parts:
                    if piece == "..":
                        parts.pop()
                    else:
                        parts.append(piece)
                assert "/".join(parts) in names, f"{name}: {target} is missing"
        presentation = archive.read("ppt/presentation.xml").decode()
        slide_rels = archive.read("ppt/_rels/presentation.xml.rels").decode()
    for rid in re.findall(r'<p:sldId [^>]*r:id="(rId\d+)"', presentation):
        assert f'Id="{rid}"' in slide_rels


def test_two_builds_are_byte_identical(institution: Path, deck: Path, tmp_path: Path) -> None:
    (again,) = build(load_outline(institution / "trilateral.yaml"), "trilateral", ["pptx"], tmp_path)
    assert again.path.read_bytes() == deck.read_bytes()


def test_no_word_leaves_its_box_and_libreoffice_opens_it(deck: Path, tmp_path: Path, soffice: None) -> None:
    assert overflowing_words(deck, tmp_path) == []


def test_the_lecture_theme_with_the_template_leaves_no_word_outside(institution: Path, tmp_path: Path,
                                                                    soffice: None) -> None:
    (built,) = build(load_outline(institution / "trilateral.yaml", theme="lecture"), "t", ["pptx"], tmp_path)
    assert overflowing_words(built.path, tmp_path) == []


def test_a_wrong_layout_name_is_one_line_with_the_layouts_and_exit_2(institution: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(institution, project, ignore=shutil.ignore_patterns("out"))
    outline = project / "trilateral.yaml"
    outline.write_text(outline.read_text().replace("content: Titel und Inhalt", "content: Titel und Inhalte"))
    line = next(n for n, text in enumerate(outline.read_text().splitlines(), 1) if "Titel und Inhalte" in text)
    for command in (["validate", "trilateral.yaml"], ["build", "trilateral.yaml", "--format", "pptx", "--out", "out"]):
        result = run(*command, cwd=project)
        errors = [e for e in result.err.splitlines() if "warning" not in e]
        assert result.code == 2 and len(errors) == 1, result.err
        assert errors[0].startswith(f"trilateral.yaml:{line}:14: pptx_template.layouts.content: no layout "
                                    "'Titel und Inhalte' in institution.pptx (did you mean 'Titel und Inhalt'?); "
                                    "its layouts are 'Titelfolie', 'Titel und Inhalt', ")
    assert not (project / "out").exists()


def test_an_unknown_kind_of_slide_in_the_mapping_is_refused(institution: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(institution, project, ignore=shutil.ignore_patterns("out"))
    outline = project / "trilateral.yaml"
    outline.write_text(outline.read_text().replace("    section: Abschnitts", "    sections: Abschnitts"))
    result = run("validate", "trilateral.yaml", cwd=project)
    assert result.code == 2 and "pptx_template.layouts.sections: " in result.err


def test_templates_inspect_lists_layouts_placeholders_and_the_choice(institution: Path) -> None:
    result = run("templates", "inspect", str(institution / "assets" / "institution.pptx"))
    assert result.code == 0, result.err
    assert "11 layouts, 2 sample slides (removed when building)" in result.out
    assert "layout 1: 'Titel und Inhalt'" in result.out
    assert re.search(r"obj +idx 1 +'Content Placeholder 2' +at \(36, 126\) pt, 648 x 356.38 pt", result.out)
    assert re.search(r"content: +'Titel und Inhalt' +for agenda", result.out)


def test_templates_inspect_refuses_a_file_that_is_not_a_deck(tmp_path: Path) -> None:
    (tmp_path / "x.pptx").write_text("not a zip")
    result = run("templates", "inspect", str(tmp_path / "x.pptx"))
    assert result.code == 2 and result.err.count("\n") == 1 and "not a PowerPoint .pptx file" in result.err
    with zipfile.ZipFile(tmp_path / "y.pptx", "w") as archive:  # a zip, but not a presentation
        archive.writestr("hello.txt", "hello")
    result = run("templates", "inspect", str(tmp_path / "y.pptx"))
    assert result.code == 2 and result.err.count("\n") == 1
    assert result.err.startswith(f"{tmp_path / 'y.pptx'}: not a PowerPoint .pptx file that can be read (")


def test_a_figure_fills_the_picture_placeholder_uncropped(institution: Path, tmp_path: Path, soffice: None) -> None:
    template = str(institution / "assets" / "institution.pptx")
    # without the Results section's key points its figure has a slide of its own (not beside them)
    text = (REPO / "outlines" / "example.yaml").read_text(encoding="utf-8")
    points = '    key_points:\n      - "Trips grew every year, even in 2020"\n      - "The biggest jump came with the protected lanes"\n'
    assert points in text
    shutil.copytree(REPO / "outlines", tmp_path / "outlines")
    shutil.copytree(REPO / "assets", tmp_path / "assets")
    (tmp_path / "outlines" / "example.yaml").write_text(text.replace(points, ""), encoding="utf-8")
    result = run("build", "outlines/example.yaml", "--format", "pptx", "--pptx-template", template,
                 "--out", str(tmp_path), cwd=tmp_path)
    assert result.code == 0, result.err
    prs = Presentation(tmp_path / "example.pptx")
    figures = [s for s in prs.slides if s.slide_layout.name == NAMES["Picture with Caption"]]
    assert figures
    for slide in figures:
        (picture,) = [p for p in slide.placeholders if "PICTURE" in str(p.placeholder_format.type)]
        assert picture._element.tag.endswith("}pic") and picture._element.nvPicPr.cNvPr.get("descr")
        assert (picture.crop_left, picture.crop_right, picture.crop_top, picture.crop_bottom) == (0, 0, 0, 0)
        caption = [p for p in slide.placeholders if p.placeholder_format.idx == 2]
        assert caption and caption[0].text_frame.text.startswith("Source")
    assert overflowing_words(tmp_path / "example.pptx", tmp_path) == []


def test_an_entity_in_a_template_reads_no_file(tmp_path: Path) -> None:
    """A template is untrusted: an XML entity naming a file (XXE) must not pull the file in."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    make_template(tmp_path / "plain.pptx")
    with zipfile.ZipFile(tmp_path / "plain.pptx") as source, zipfile.ZipFile(tmp_path / "xxe.pptx", "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "ppt/theme/theme1.xml":
                text = data.decode()
                declaration, rest = text.split("?>", 1)
                text = (declaration + f'?><!DOCTYPE a:theme [<!ENTITY x SYSTEM "file://{secret}">]>' + rest)
                text = re.sub(r'(<a:minorFont><a:latin typeface=")[^"]*', r"\1&x;", text, count=1)
                data = text.encode()
            target.writestr(item, data)
    result = run("templates", "inspect", str(tmp_path / "xxe.pptx"))
    assert "TOP-SECRET" not in result.out + result.err
    assert result.code == 2 and result.err.count("\n") == 1
    assert result.err.startswith(f"{tmp_path / 'xxe.pptx'}: its theme is not XML reportgen reads (")


def test_text_a_template_sets_in_capitals_is_measured_in_capitals(tmp_path: Path) -> None:
    """A content layout whose body placeholder sets cap="all": its bullets are measured (and
    written) in capitals, which take more room than the same words in lower case."""
    path = make_template(tmp_path / "caps.pptx")
    prs = Presentation(path)
    content = next(layout for layout in prs.slide_layouts if layout.name == NAMES["Title and Content"])
    body = next(p for p in content.placeholders if p.placeholder_format.idx == 1)
    lst = body._element.txBody.find("{http://schemas.openxmlformats.org/drawingml/2006/main}lstStyle")
    level = etree.SubElement(lst, "{http://schemas.openxmlformats.org/drawingml/2006/main}lvl1pPr")
    etree.SubElement(level, "{http://schemas.openxmlformats.org/drawingml/2006/main}defRPr", cap="all")
    prs.save(path)
    loaded = load_outline(TRILATERAL, pptx_template=str(path))
    template, layouts = template_layouts(loaded)
    assert layouts["content"].first("obj").caps
    plan = plan_deck(loaded.document, loaded.theme, template=template, layouts=layouts)
    bullets = [f for s in plan.slides if s.kind == "bullets" for f in s.shapes if getattr(f, "placeholder", None) == 1]
    assert bullets and all(p.text == p.text.upper() for f in bullets for p in f.paras)


def test_the_templates_deck_names_the_outlines_language_only(deck: Path) -> None:
    """Its slide numbers too, which were the layout's copied as they were (en-US) before they
    were written as fields."""
    with zipfile.ZipFile(deck) as package:
        names = {value for name in package.namelist() if name.endswith(".xml")
                 for value in re.findall(rb'\blang="([^"]+)"', package.read(name))}
    assert names == {b"en-GB"}
