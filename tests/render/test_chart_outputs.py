"""A chart in both outputs (issue 21), built from the example outline: a vector chart in the
brief (no image, its labels text), a native chart in the deck (python-pptx reads its categories
and values back, the chart part caches them, the workbook is embedded, LibreOffice draws it),
the same bytes from two builds."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from reportgen import model
from reportgen.read.loader import load_outline
from tests.conftest import REPO, run

EXAMPLE = REPO / "outlines" / "example.yaml"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


@pytest.fixture(scope="module")
def the_chart() -> model.Chart:
    document = load_outline(EXAMPLE).document
    (found,) = [b for s in document.sections for b in s.body if isinstance(b, model.Chart)]
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example")
    result = run("build", str(EXAMPLE), "--out", str(out), cwd=REPO)
    assert result.code == 0, result.err
    return out


def _chart_page(pdf: Path, title: str, also: str) -> int:
    """The page that shows ``title`` with ``also`` (the credits page names the title too)."""
    reader = PdfReader(pdf)
    pages = [i for i, page in enumerate(reader.pages) if title in page.extract_text() and also in page.extract_text()]
    assert len(pages) == 1
    return pages[0]


def _images(xobjects) -> list[str]:
    """The image XObjects among a page's XObjects, inside its forms too."""
    found = []
    for name, ref in (xobjects or {}).items():
        item = ref.get_object()
        if item.get("/Subtype") == "/Image":
            found.append(name)
        elif item.get("/Subtype") == "/Form":
            found += _images(item.get("/Resources", {}).get("/XObject"))
    return found


def test_the_brief_chart_is_vector_with_its_labels_as_text(built: Path, the_chart: model.Chart) -> None:
    pdf = built / "example.pdf"
    index = _chart_page(pdf, the_chart.title, "US$ billion")
    page = PdfReader(pdf).pages[index]
    assert _images(page.get("/Resources", {}).get("/XObject")) == []
    figure_page = _chart_page(pdf, "Bicycle trips per day", "Daily bicycle trips by year")  # (the figure's page does have its image)
    assert figure_page != index and _images(PdfReader(pdf).pages[figure_page]["/Resources"].get("/XObject"))
    text = subprocess.run(["pdftotext", "-layout", "-f", str(index + 1), "-l", str(index + 1), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    for label in (*the_chart.categories, "997.0", "88.5", "38.0", "US$ billion", "1,000", "Source: SIPRI"):
        assert label in text, label
    lines = [line.strip() for line in text.splitlines()]
    assert any(re.fullmatch(r"United States\s+997\.0", line) for line in lines)  # the label by its bar


def test_python_pptx_reads_the_decks_chart_back_as_the_outline_wrote_it(built: Path, the_chart: model.Chart) -> None:
    deck = Presentation(str(built / "example.pptx"))
    charts = [(slide, shape) for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) == 1
    slide, shape = charts[0]
    plot = shape.chart.plots[0]
    assert tuple(plot.categories) == the_chart.categories
    assert [tuple(s.values) for s in plot.series] == [s.values for s in the_chart.series]
    assert [s.name for s in plot.series] == [s.name for s in the_chart.series]
    assert slide.shapes.title.text_frame.text == the_chart.title
    assert shape.element.find(".//{http://schemas.openxmlformats.org/presentationml/2006/main}cNvPr").get(
        "descr").startswith("Bar chart, Military expenditure in 2024, selected countries, US$ billion: United States 997.0;")
    notes = slide.notes_slide.notes_text_frame.text
    assert "United States: 997.0" in notes and "Poland: 38.0" in notes
    assert any("Source: SIPRI" in s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_the_chart_part_caches_the_values_and_embeds_its_workbook(built: Path, the_chart: model.Chart) -> None:
    with zipfile.ZipFile(built / "example.pptx") as package:
        parts = [n for n in package.namelist() if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)]
        assert len(parts) == 1
        xml = package.read(parts[0]).decode()
        embedded = [n for n in package.namelist() if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")]
        assert len(embedded) == 1
        workbook = zipfile.ZipFile(io.BytesIO(package.read(embedded[0])))
    cached = [float(v) for v in re.findall(r"<c:v>([^<]*)</c:v>", xml.split("<c:val>")[1].split("</c:val>")[0])]
    assert cached == list(the_chart.series[0].values)
    assert all(int(v) > 0 for v in re.findall(r'<c:(?:axId|crossAx) val="(-?\d+)"', xml))
    sheet = workbook.read("xl/worksheets/sheet1.xml").decode()
    assert "997" in sheet and "38" in sheet
    core = workbook.read("docProps/core.xml").decode()
    assert "2025-06-01T00:00:00Z" in core
    assert {info.date_time for info in workbook.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_two_builds_a_second_apart_are_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert run("build", str(EXAMPLE), "--out", str(first), cwd=REPO).code == 0
    time.sleep(1.1)  # the workbook would carry the time it was written, to the second
    assert run("build", str(EXAMPLE), "--out", str(second), cwd=REPO).code == 0
    for name in ("example.pdf", "example.pptx"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_libreoffice_draws_the_decks_chart(built: Path, the_chart: model.Chart, soffice, tmp_path: Path) -> None:
    shutil.copy(built / "example.pptx", tmp_path / "deck.pptx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(tmp_path / "deck.pptx")], capture_output=True, check=True,
                   timeout=300)
    reader = PdfReader(tmp_path / "deck.pdf")
    (text,) = [page.extract_text() for page in reader.pages if the_chart.title in page.extract_text()
               and "Source: SIPRI" in page.extract_text()]
    for label in (*the_chart.categories, "997.0", "38.0", "US$ billion", "1,000"):  # drawn from the chart part
        assert label in text, label


# --- a scatter (numeric x values) in both outputs ------------------------------------------------

SCATTER_OUTLINE = """\
title: Scatter
date: 2025-06-01
summary: S.
language: de-DE
authors: [{name: A}]
licence: {id: CC-BY-4.0}
sections:
  - heading: H
    body:
      - chart:
          type: scatter
          title: Spending against income
          unit: "% of GDP"
          x_unit: GDP per head, US$ thousand
          categories: [12.5, 48.3, 85.4, 33.1]
          series:
            - {name: "2023", values: [2.1, 1.5, 3.4, 1.9]}
            - {name: "2024", values: [2.3, 1.6, 3.5, 2.4]}
          source: Invented for this test
"""
XS, YS = (12.5, 48.3, 85.4, 33.1), ((2.1, 1.5, 3.4, 1.9), (2.3, 1.6, 3.5, 2.4))


def _build_scatter(folder: Path) -> Path:
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    (folder / "s.yaml").write_text(SCATTER_OUTLINE, encoding="utf-8")
    result = run("build", "s.yaml", "--out", "out", cwd=folder)
    assert result.code == 0, result.err
    return folder / "out"


@pytest.fixture(scope="module")
def scatter(tmp_path_factory) -> Path:
    return _build_scatter(tmp_path_factory.mktemp("scatter"))


def test_the_brief_scatter_is_vector_with_its_axes_as_text_written_for_the_language(scatter: Path) -> None:
    pdf = scatter / "s.pdf"
    index = _chart_page(pdf, "Spending against income", "GDP per head")
    assert _images(PdfReader(pdf).pages[index].get("/Resources", {}).get("/XObject")) == []
    text = subprocess.run(["pdftotext", "-layout", "-f", str(index + 1), "-l", str(index + 1), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    for label in ("% of GDP", "GDP per head, US$ thousand", "1,5", "3,5", "20", "100", "2023", "2024",
                  "Source: Invented for this test."):
        assert label in text, label


def test_the_deck_scatter_is_a_native_xy_chart_with_its_points_cached_and_embedded(scatter: Path) -> None:
    from pptx.enum.chart import XL_CHART_TYPE

    deck = Presentation(str(scatter / "s.pptx"))
    ((slide, shape),) = [(s, x) for s in deck.slides for x in s.shapes if x.has_chart]
    chart = shape.chart
    assert chart.chart_type == XL_CHART_TYPE.XY_SCATTER
    assert [tuple(s.values) for s in chart.plots[0].series] == list(YS)
    assert [s.name for s in chart.plots[0].series] == ["2023", "2024"]
    alt = shape.element.find(".//{http://schemas.openxmlformats.org/presentationml/2006/main}cNvPr").get("descr")
    assert alt.startswith("Scatter chart, Spending against income, y % of GDP, x GDP per head, US$ thousand: 2023: "
                          "(x 12,5, y 2,1), (x 48,3, y 1,5)")
    assert "2024: (x 12,5, y 2,3)" in slide.notes_slide.notes_text_frame.text
    with zipfile.ZipFile(scatter / "s.pptx") as package:
        (part,) = [n for n in package.namelist() if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)]
        xml = package.read(part).decode()
        (embedded,) = [n for n in package.namelist() if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")]
        workbook = zipfile.ZipFile(io.BytesIO(package.read(embedded)))

    def cached(tag: str) -> list[list[float]]:
        return [[float(v) for v in re.findall(r"<c:v>([^<]*)</c:v>", block)]
                for block in re.findall(rf"<c:{tag}>(.*?)</c:{tag}>", xml, re.S)]

    assert cached("xVal") == [list(XS)] * 2 and cached("yVal") == [list(y) for y in YS]
    assert all(int(v) > 0 for v in re.findall(r'<c:(?:axId|crossAx) val="(-?\d+)"', xml))
    assert {info.date_time for info in workbook.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert "85.4" in workbook.read("xl/worksheets/sheet1.xml").decode()


def test_openxml_audit_finds_no_error_in_the_scatter_deck(scatter: Path) -> None:
    audit = shutil.which("openxml-audit") or str(Path(__import__("sys").executable).parent / "openxml-audit")
    done = subprocess.run([audit, str(scatter / "s.pptx")], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and re.search(r"^Errors: 0$", done.stdout, re.M), done.stdout[-2000:]


def test_two_scatter_builds_a_second_apart_are_byte_identical(scatter: Path, tmp_path: Path) -> None:
    time.sleep(1.1)
    again = _build_scatter(tmp_path)
    for name in ("s.pdf", "s.pptx"):
        assert (scatter / name).read_bytes() == (again / name).read_bytes(), name


def test_a_scatter_of_years_shows_years_on_its_x_axis_in_both_outputs(tmp_path: Path) -> None:
    """Years are written 2010, never 2,010 (or 2.010 in German): on the brief's axis and in the
    deck's axis number format."""
    (tmp_path / "assets").mkdir()
    outline = SCATTER_OUTLINE.replace("categories: [12.5, 48.3, 85.4, 33.1]", "categories: [2008, 2012, 2016, 2024]")
    (tmp_path / "s.yaml").write_text(outline, encoding="utf-8")
    result = run("build", "s.yaml", "--out", "out", cwd=tmp_path)
    assert result.code == 0, result.err
    pdf = tmp_path / "out" / "s.pdf"
    index = _chart_page(pdf, "Spending against income", "GDP per head")
    text = subprocess.run(["pdftotext", "-layout", "-f", str(index + 1), "-l", str(index + 1), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert re.search(r"\b20(08|10|12)\b", text) and not re.search(r"\b2[.,]0\d\d\b", text), text
    with zipfile.ZipFile(tmp_path / "out" / "s.pptx") as package:
        (part,) = [n for n in package.namelist() if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)]
        xml = package.read(part).decode()
    axes = re.findall(r"<c:valAx>.*?</c:valAx>", xml, re.S)
    formats = [re.search(r'<c:numFmt formatCode="([^"]*)"', axis).group(1) for axis in axes]
    assert sorted(formats) == ["#,##0.0", "0"], formats  # (the y axis keeps its separators)
