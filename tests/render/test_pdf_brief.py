"""The PDF brief, tested by what a reader sees: text in order, bookmarks, links, fonts, pages."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from reportgen.build import build
from reportgen.model import Paragraph
from reportgen.plan.brief import plan_brief
from reportgen.read.loader import load_outline
from reportgen.render.fonts import fonts
from tests.conftest import REPO, VALID, need, run
from tests.render.pdf_structure import read as read_tags
from tests.read.test_seed_fidelity import HEADINGS

TRILATERAL = REPO / "outlines" / "trilateral-alliance.yaml"


def letters(text: str) -> str:
    """Only letters and digits, lower-cased: immune to hyphenation, justification and quotes."""
    return re.sub(r"[\W_]+", "", text).lower()


def body_text(path: Path, plan_margins=None) -> str:
    """The text of every page, header and footer cropped away."""
    with pdfplumber.open(path) as pdf:
        parts = []
        for page in pdf.pages:
            body = page.crop((0, 70, page.width, page.height - 62)) if page.page_number > 1 else page
            parts.append(body.extract_text() or "")
    return "\n".join(parts)


def in_order(haystack: str, needles: list[str]) -> list[str]:
    """The needles not found in ``haystack`` in the order given (an empty list when all are)."""
    missing, at = [], 0
    for needle in needles:
        found = haystack.find(letters(needle), at)
        if found < 0:
            missing.append(needle[:60])
        else:
            at = found + len(letters(needle))
    return missing


@pytest.fixture(scope="module")
def trilateral(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("brief")
    (built,) = build(load_outline(TRILATERAL), "trilateral-alliance", ["pdf"], out)
    return built.path


def test_every_paragraph_the_bio_and_the_credits_are_in_the_text_in_order(trilateral: Path) -> None:
    document = load_outline(TRILATERAL).document
    expected = [p.text.plain for s in document.sections for p in s.body if isinstance(p, Paragraph)]
    expected += [p.plain for p in document.authors[0].bio]
    expected.append(document.licence.attribution.plain)
    expected.append(document.licence.name)
    assert in_order(letters(body_text(trilateral)), expected) == []


def test_the_seed_articles_paragraphs_are_all_there(trilateral: Path, seed_text: str) -> None:
    lines = [line.strip() for line in seed_text.splitlines() if line.strip()]
    bio_at = next(i for i, line in enumerate(lines) if line.startswith("Camilla Cavarape holds"))
    article = [line for line in lines[1:bio_at + 2] if line not in HEADINGS]
    assert in_order(letters(body_text(trilateral)), article) == []


def test_bookmarks_are_the_section_headings_then_the_end_matter(trilateral: Path) -> None:
    outline = pypdf.PdfReader(trilateral).outline
    titles = [item.title for item in outline]
    assert titles == ["Introduction", *HEADINGS, "About the author", "Credits and licence"]


def test_no_key_points_box_starts_a_page_apart_from_its_prose(trilateral: Path, project: Path) -> None:
    long_section = "\n".join(f"      - Paragraph {n}. " + "Words that fill the page. " * 30 for n in range(1, 12))
    (project / "o.yaml").write_text(VALID.replace("      - A paragraph.", long_section).replace(
        "key_points: [One point]", "key_points: [One point, Two points, Three points, Four points]"))
    (pdf,) = build(load_outline(project / "o.yaml"), "o", ["pdf"], project / "out")
    for path in (trilateral, pdf.path):
        with pdfplumber.open(path) as document:
            for number, page in enumerate(document.pages[2:], 3):
                lines = [line for line in (page.extract_text() or "").splitlines() if line.strip()]
                assert lines[1] != "KEY POINTS", f"{path.name}: page {number} starts with a key-points box"


def test_each_bookmark_and_contents_link_opens_the_page_of_its_heading(trilateral: Path) -> None:
    reader = pypdf.PdfReader(trilateral)
    lines = [[line.strip() for line in (page.extract_text() or "").splitlines()] for page in reader.pages]
    pages = []
    for item in reader.outline:
        number = reader.get_destination_page_number(item)
        assert item.title in lines[number], f"{item.title!r} is not on page {number + 1}, where its bookmark goes"
        pages.append(number)
    assert pages == sorted(pages) and pages[0] > 1  # in reading order, after the cover and contents
    numbers = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    targets = []
    for annotation in reader.pages[1].get("/Annots") or []:
        link = annotation.get_object()
        destination = link.get("/Dest") or (link.get("/A") or {}).get("/D")
        if isinstance(destination, list):  # an explicit destination: [page, /Fit]
            targets.append(numbers[destination[0].idnum])
    assert targets and sorted(set(targets)) == sorted(set(pages))


def test_the_contents_print_the_page_each_heading_is_on(trilateral: Path) -> None:
    """The numbers are drawn after the last page (as forms): each is that of its heading's page."""
    with pdfplumber.open(trilateral) as pdf:  # lines as they sit on the page
        lines = (pdf.pages[1].extract_text() or "").splitlines()
    printed = {}
    for line in lines:
        match = re.fullmatch(r"(.+?)[ .]*\. ?(\d+)", line.strip())
        if match:
            printed[match.group(1).strip()] = int(match.group(2))
    reader = pypdf.PdfReader(trilateral)
    bookmarks = {item.title: reader.get_destination_page_number(item) + 1 for item in reader.outline}
    assert printed == bookmarks and len(printed) >= len(HEADINGS) + 2  # and the author and credits


def test_metadata_names_title_author_subject_keywords_language(trilateral: Path) -> None:
    reader = pypdf.PdfReader(trilateral)
    meta = reader.metadata
    assert meta.title == "Cracks in the trilateral: Japan, South Korea and the US under Trump"
    assert meta.author == "Camilla Cavarape"
    assert meta.subject and meta.creator.startswith("reportgen")
    assert "Japan" in meta["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_every_font_is_embedded(trilateral: Path) -> None:
    reader = pypdf.PdfReader(trilateral)
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
            assert descriptor is not None and any(k in descriptor.get_object() for k in ("/FontFile2", "/FontFile")), font["/BaseFont"]
    assert not any("Helvetica" in n or "Times" in n for n in names)


def test_body_pages_carry_page_x_of_y_and_the_cover_does_not(trilateral: Path) -> None:
    with pdfplumber.open(trilateral) as pdf:
        total = len(pdf.pages)
        footers = [(page.crop((0, page.height - 62, page.width, page.height)).extract_text() or "") for page in pdf.pages]
    assert "Page" not in footers[0]
    for number, footer in enumerate(footers[1:], 2):
        assert f"Page {number} of {total}" in footer
        assert "CC BY 4.0" in footer


def test_the_licence_url_is_a_link(trilateral: Path) -> None:
    uris = set()
    for page in pypdf.PdfReader(trilateral).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                uris.add(action["/URI"])
    assert "https://creativecommons.org/licenses/by/4.0/" in uris


def test_contents_entries_link_to_their_sections(trilateral: Path) -> None:
    reader = pypdf.PdfReader(trilateral)
    contents_page = reader.pages[1]
    internal = [a.get_object() for a in contents_page.get("/Annots") or [] if "/Dest" in a.get_object() or
                ("/A" in a.get_object() and a.get_object()["/A"].get("/S") == "/GoTo")]
    assert len(internal) >= len(HEADINGS) + 1


def test_two_builds_are_byte_identical(trilateral: Path, tmp_path: Path) -> None:
    (again,) = build(load_outline(TRILATERAL), "trilateral-alliance", ["pdf"], tmp_path)
    assert again.path.read_bytes() == trilateral.read_bytes()


def test_japanese_and_korean_names_come_back_from_the_pdf(project: Path) -> None:
    need("IPAex" in fonts().coverage and "Nanum" in fonts().coverage,
         "CJK fonts missing: apt-get install fonts-ipaexfont-gothic fonts-nanum")
    (project / "o.yaml").write_text(VALID.replace("A paragraph.", "Prime Minister 石破茂 met President **윤석열**."))
    (built,) = build(load_outline(project / "o.yaml"), "o", ["pdf"], project / "out")
    text = body_text(built.path)
    assert "石破茂" in text and "윤석열" in text
    with pdfplumber.open(built.path) as pdf:
        fonts_used = {c["fontname"].split("+")[-1] for c in pdf.pages[2].chars}
    assert {"IPAexGothic", "NanumGothicBold"} <= fonts_used


def test_text_that_looks_like_markup_is_printed_literally(project: Path) -> None:
    (project / "o.yaml").write_text(VALID.replace("A paragraph.", "'AT&T <b>bold</b> <font size=40>x</font> &amp; &#0;'"))
    (built,) = build(load_outline(project / "o.yaml"), "o", ["pdf"], project / "out")
    assert "AT&T <b>bold</b> <font size=40>x</font> &amp; &#0;" in body_text(built.path)


def test_without_the_cover_image_the_build_warns_once_and_draws_a_cover(project: Path) -> None:
    (project / "o.yaml").write_text(VALID + "cover: {image: assets/photo.jpg, alt: A summit., caption: A summit, licence: CC BY 4.0}\n")
    result = run("build", "o.yaml", "--format", "pdf", cwd=project)
    assert result.code == 0, result.err
    assert result.err == "o.yaml:14:16: cover.image: warning: image not found: assets/photo.jpg; building without it\n"
    assert re.fullmatch(r"output/o\.pdf: \d+ pages, [\d,]+ KB, \d+\.\d\d s\n", result.out)
    with pdfplumber.open(project / "output" / "o.pdf") as pdf:
        assert pdf.pages[0].images == []
        assert "Photo:" not in (pdf.pages[0].extract_text() or "")
        assert "Cover photo" not in body_text(project / "output" / "o.pdf")


def test_with_the_cover_image_the_cover_shows_it_and_its_credit(project: Path) -> None:
    from PIL import Image

    Image.new("RGB", (1200, 800), (40, 90, 140)).save(project / "assets" / "photo.jpg")
    (project / "o.yaml").write_text(VALID + "cover: {image: assets/photo.jpg, alt: A summit., caption: A summit, "
                                    "licence: CC BY 4.0, source_url: 'https://example.org/photo'}\n")
    result = run("build", "o.yaml", "--format", "pdf", cwd=project)
    assert (result.code, result.err) == (0, "")
    with pdfplumber.open(project / "output" / "o.pdf") as pdf:
        cover = pdf.pages[0]
        (image,) = cover.images
        assert image["width"] > cover.width * 0.5
        assert "Photo: A summit, available at https://example.org/photo. Credits: CC BY 4.0." in cover.extract_text()
    text = body_text(project / "output" / "o.pdf")
    assert "Cover photo: A summit" in text and "https://example.org/photo" in text


def test_letter_paper_by_option(project: Path) -> None:
    (project / "o.yaml").write_text(VALID)
    assert run("build", "o.yaml", "--format", "pdf", "--page-size", "letter", cwd=project).code == 0
    box = pypdf.PdfReader(project / "output" / "o.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_a_failed_build_leaves_the_previous_file_and_no_temporary(project: Path, monkeypatch) -> None:
    (project / "o.yaml").write_text(VALID)
    assert run("build", "o.yaml", "--format", "pdf", cwd=project).code == 0
    before = (project / "output" / "o.pdf").read_bytes()

    def explode(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", explode)
    (project / "o.yaml").write_text(VALID.replace("A brief", "Another brief"))
    result = run("build", "o.yaml", "--format", "pdf", cwd=project)
    assert result.code == 2 and "No space left on device" in result.err
    assert (project / "output" / "o.pdf").read_bytes() == before
    assert sorted(p.name for p in (project / "output").iterdir()) == ["o.pdf"]


def test_the_plan_leaves_out_sections_that_skip_the_pdf(project: Path) -> None:
    (project / "o.yaml").write_text(VALID + "  - heading: Deck only\n    key_points: [x]\n    skip: [pdf]\n")
    loaded = load_outline(project / "o.yaml")
    plan = plan_brief(loaded.document, loaded.theme)
    assert [s.heading.text for s in plan.sections] == ["First"]


def test_pdftotext_reads_the_brief(trilateral: Path) -> None:
    need(shutil.which("pdftotext") is not None, "poppler-utils missing: apt-get install poppler-utils")
    text = subprocess.run(["pdftotext", str(trilateral), "-"], capture_output=True, text=True, check=True).stdout
    assert "Cracks in the trilateral" in text


def test_a_long_table_splits_across_pages_and_repeats_its_header(project: Path) -> None:
    rows = "\n".join(f"          - [Row {n}, Value {n}]" for n in range(1, 121))
    (project / "o.yaml").write_text(VALID.replace("      - A paragraph.\n",
                                                  f"      - table:\n          header: [Name, Amount]\n          rows:\n{rows}\n"))
    (built,) = build(load_outline(project / "o.yaml"), "o", ["pdf"], project / "out")
    with pdfplumber.open(built.path) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    with_rows = [text for text in pages if "Row " in text]
    assert len(with_rows) >= 2
    assert all("Name Amount" in text for text in with_rows)
    assert in_order(letters("\n".join(pages)), [f"Row {n} Value {n}" for n in range(1, 121)]) == []


def test_a_figure_shows_its_image_caption_credit_and_carries_its_alt_text(project: Path) -> None:
    from PIL import Image

    Image.new("RGB", (900, 500), (200, 80, 60)).save(project / "assets" / "chart.png")
    (project / "o.yaml").write_text(VALID.replace("      - A paragraph.\n", """\
      - A paragraph.
      - figure: {image: assets/chart.png, alt: Bars rising from 2019 to 2024., caption: Trips per day,
                 credit: City office, licence: CC BY 4.0}
"""))
    (built,) = build(load_outline(project / "o.yaml"), "o", ["pdf"], project / "out")
    with pdfplumber.open(built.path) as pdf:
        page = next(p for p in pdf.pages if p.images)
        text = page.extract_text()
        (image,) = page.images
    assert "Trips per day · City office · CC BY 4.0" in text
    # the alt text is the Figure element's, with the image's box (not text drawn over it)
    (figure,) = read_tags(built.path).root.find("Figure")
    assert str(figure.attrs["/Alt"]) == "Bars rising from 2019 to 2024."
    box = [float(v) for v in figure.attrs["/A"].BBox]
    assert box == pytest.approx([image["x0"], page.height - image["bottom"], image["x1"], page.height - image["top"]], abs=0.1)
    assert "Bars rising" not in text
    assert "Figure: Trips per day. Credits: City office, CC BY 4.0." in body_text(built.path)


def test_without_a_cjk_font_the_build_names_the_package_to_install() -> None:
    from reportgen.render.fonts import SERIF, FontSet, MissingGlyphs

    bare = FontSet(coverage={SERIF: frozenset(map(ord, "Prime Minister ")), "Vera": frozenset()},
                   fallbacks=["Vera"], missing_packages={"IPAex": "fonts-ipaexfont-gothic", "Nanum": "fonts-nanum"})
    assert bare.markup("Prime Minister", SERIF) == "Prime Minister"
    with pytest.raises(MissingGlyphs) as caught:
        bare.markup("Prime Minister 石破茂 and 윤석열", SERIF)
    assert str(caught.value) == (
        "the text holds characters no installed font can draw: 石 (U+77F3), 破 (U+7834), 茂 (U+8302), a (U+0061), "
        "d (U+0064), 윤 (U+C724), 석 (U+C11D), 열 (U+C5F4); install the Debian packages fonts-nanum and "
        "fonts-ipaexfont-gothic (apt-get install fonts-nanum fonts-ipaexfont-gothic)")
