"""The decks screen readers read right (issue 18): for every shipped outline in both built-in
themes, openxml-audit finds no error, the title is the first shape of every slide, every shape
that carries no content is marked decorative, the outline's language is the only one the deck
names, the footer, date and slide number are the layout's placeholders, and docProps/app.xml
says what the deck is."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu

from reportgen.plan.deck import plan_deck
from reportgen.plan.slides import Footer
from reportgen.read.loader import load_outline
from tests.conftest import REPO, VALID, run

OUTLINES = sorted((REPO / "outlines").glob("*.yaml"))
DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="module", params=[(o, t) for o in OUTLINES for t in ("policy", "lecture")],
                ids=lambda p: f"{p[0].stem}-{p[1]}")
def case(request) -> tuple[Path, str]:
    """An outline and a theme."""
    return request.param


@pytest.fixture(scope="module")
def deck(case: tuple[Path, str], tmp_path_factory) -> Path:
    outline, theme = case
    out = tmp_path_factory.mktemp(f"{outline.stem}-{theme}")
    result = run("build", str(outline), "--format", "pptx", "--theme", theme, "--out", str(out), cwd=REPO)
    assert result.code == 0, result.err
    return out / f"{outline.stem}.pptx"


def test_openxml_audit_finds_no_error(deck: Path) -> None:
    audit = shutil.which("openxml-audit") or str(Path(__import__("sys").executable).parent / "openxml-audit")
    done = subprocess.run([audit, str(deck)], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and re.search(r"^Errors: 0$", done.stdout, re.M), done.stdout[-2000:]


def test_the_title_is_the_first_shape_of_every_slide(deck: Path) -> None:
    for number, slide in enumerate(Presentation(deck).slides, 1):
        first = slide.shapes[0]
        assert first.is_placeholder and first.placeholder_format.type in (PP_PLACEHOLDER.TITLE,
                                                                          PP_PLACEHOLDER.CENTER_TITLE), number


def test_every_shape_without_content_is_marked_decorative_and_no_other(deck: Path) -> None:
    with zipfile.ZipFile(deck) as package:
        slides = [name for name in package.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", name)]
        for name in slides:
            tree = etree.fromstring(package.read(name)).find(f"{P}cSld/{P}spTree")
            for shape in tree:
                if shape.tag not in (f"{P}sp", f"{P}cxnSp", f"{P}pic", f"{P}graphicFrame"):
                    continue
                text = "".join(shape.itertext()).strip()
                empty = shape.tag in (f"{P}sp", f"{P}cxnSp") and not text and shape.find(f".//{P}ph") is None
                marked = shape.find(f".//{DECORATIVE}") is not None
                assert marked == empty, (name, shape.find(f".//{P}cNvPr").get("name"), text[:40])


def test_the_deck_names_the_outlines_language_only(deck: Path) -> None:
    with zipfile.ZipFile(deck) as package:
        names = {value for name in package.namelist() if name.endswith(".xml")
                 for value in re.findall(rb'\blang="([^"]+)"', package.read(name))}
        language = etree.fromstring(package.read("docProps/core.xml")).findtext(
            "{http://purl.org/dc/elements/1.1/}language")
    assert names == {language.encode()}


def test_app_properties_say_what_the_deck_is_and_there_is_no_thumbnail(deck: Path) -> None:
    slides = len(Presentation(deck).slides)
    with zipfile.ZipFile(deck) as package:
        app = etree.fromstring(package.read("docProps/app.xml"))
        assert "docProps/thumbnail.jpeg" not in package.namelist()
    ns = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    assert app.findtext(f"{ns}Application") == "reportgen"
    assert app.findtext(f"{ns}Slides") == app.findtext(f"{ns}Notes") == str(slides)
    assert app.findtext(f"{ns}PresentationFormat") == "On-screen Show (16:9)"


FOOTERS = {"trilateral-alliance": ("Cracks in the trilateral · CC BY 4.0", "15 February 2025"),
           "example": ("Pedal power · CC BY 4.0", "1 June 2025")}
"""Each shipped outline's footer text (short title · licence mark) and publication date (en-GB)."""
FURNITURE = {PP_PLACEHOLDER.FOOTER: "ftr", PP_PLACEHOLDER.DATE: "dt", PP_PLACEHOLDER.SLIDE_NUMBER: "sldNum"}


def furniture(slide) -> dict[str, object]:
    """The slide's footer, date and slide-number placeholders, by type."""
    return {FURNITURE[p.placeholder_format.type]: p for p in slide.placeholders if p.placeholder_format.type in FURNITURE}


def test_footer_date_and_slide_number_are_the_layouts_placeholders(deck: Path) -> None:
    footer, dated = FOOTERS[deck.stem]
    slides = list(Presentation(deck).slides)
    for number, slide in enumerate(slides, 1):
        found = furniture(slide)
        if number in (1, len(slides)):  # the title and closing slides have no footer
            assert not found, number
            continue
        assert set(found) == {"ftr", "dt", "sldNum"}, number
        assert found["ftr"].text_frame.text == footer, number
        assert found["dt"].text_frame.text == dated and not found["dt"]._element.xpath(".//a:fld"), number  # fixed text
        fields = found["sldNum"]._element.xpath(".//a:fld")
        assert [(f.get("type"), f.findtext(f"{A}t")) for f in fields] == [("slidenum", str(number))], number
        assert found["sldNum"].text_frame.text == str(number), number  # the field alone, no " / N" after it
        for shape in slide.shapes:  # no text box left in the footer's row, none saying "n / N"
            if shape.has_text_frame and not shape.is_placeholder:
                assert Emu(shape.top).pt < Emu(found["ftr"].top).pt - 1, (number, shape.text_frame.text)
                assert not re.search(r"\d+ / \d+", shape.text_frame.text), number


def test_footer_placeholders_are_where_the_plan_put_them_and_come_last(case: tuple[Path, str], deck: Path) -> None:
    outline, theme = case
    loaded = load_outline(outline, theme=theme)
    plan = plan_deck(loaded.document, loaded.theme)
    for number, (slide, planned) in enumerate(zip(Presentation(deck).slides, plan.slides), 1):
        boxes = {s.type: s.box for s in planned.shapes if isinstance(s, Footer)}
        found = furniture(slide)
        assert set(found) == set(boxes), number
        for kind, box in boxes.items():
            shape = found[kind]
            assert [round(Emu(v).pt, 1) for v in (shape.left, shape.top, shape.width, shape.height)] == \
                   [round(v, 1) for v in box], (number, kind)
        if found:  # after the content, left to right: the footer text, the date, the number
            last = [FURNITURE.get(s.placeholder_format.type) if s.is_placeholder else None for s in slide.shapes][-3:]
            assert last == ["ftr", "dt", "sldNum"], number


@pytest.mark.parametrize("language, dated", [("en-GB", "15 February 2025"), ("en-US", "February 15, 2025"),
                                             ("de", "15. Februar 2025"), ("ja", "2025年2月15日"), ("tlh", "15 February 2025")])
def test_the_footers_date_is_written_as_the_outlines_language_writes_it(project: Path, language: str,
                                                                        dated: str) -> None:
    (project / "o.yaml").write_text(VALID.replace("date: 2025-02-15\n", f"date: 2025-02-15\nlanguage: {language}\n"),
                                    encoding="utf-8")
    result = run("build", "o.yaml", "--format", "pptx", "--out", "out", cwd=project)
    assert result.code == 0, result.err
    slides = list(Presentation(project / "out" / "o.pptx").slides)
    assert [furniture(slide)["dt"].text_frame.text for slide in slides[1:-1]] == [dated] * (len(slides) - 2)
