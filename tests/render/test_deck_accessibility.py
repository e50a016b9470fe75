"""The decks screen readers read right (issue 18): for every shipped outline in both built-in
themes, openxml-audit finds no error, the title is the first shape of every slide, every shape
that carries no content is marked decorative, the outline's language is the only one the deck
names, and docProps/app.xml says what the deck is."""

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

from tests.conftest import REPO, run

OUTLINES = sorted((REPO / "outlines").glob("*.yaml"))
DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="module", params=[(o, t) for o in OUTLINES for t in ("policy", "lecture")],
                ids=lambda p: f"{p[0].stem}-{p[1]}")
def deck(request, tmp_path_factory) -> Path:
    outline, theme = request.param
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
