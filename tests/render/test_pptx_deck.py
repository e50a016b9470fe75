"""The deck, tested by what a lecturer sees: titles, notes, alt text, links, and no text outside its box.

The overflow tests render the deck with LibreOffice and read every word's box back from the
PDF: a word must lie inside a text shape of its slide and inside the slide (2 pt tolerance).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation
from pptx.util import Emu

from reportgen.build import build
from reportgen.model import Paragraph
from reportgen.plan.deck import BODY_MIN, Frame, TableShape, plan_deck
from reportgen.read.loader import load_outline
from tests.conftest import REPO, VALID, need

TRILATERAL = REPO / "outlines" / "trilateral-alliance.yaml"
TOLERANCE = 2.0


def letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    (built,) = build(load_outline(TRILATERAL), "trilateral-alliance", ["pptx"], tmp_path_factory.mktemp("deck"))
    return built.path


def test_slide_titles_match_the_plan(deck: Path) -> None:
    loaded = load_outline(TRILATERAL)
    plan = plan_deck(loaded.document, loaded.theme)
    titles = [slide.shapes.title.text_frame.text for slide in Presentation(deck).slides]
    assert titles == ["".join(s.text for p in slide.title.paras for s in p.spans) for slide in plan.slides]
    assert titles[0] == "Cracks in the trilateral: Japan, South Korea and the US under Trump"
    assert titles[1] == "Agenda" and titles[-3:] == ["About the author", "Credits and licence", "Thank you"]


def test_every_slide_has_a_title_first_and_notes(deck: Path) -> None:
    for slide in Presentation(deck).slides:
        assert slide.shapes[0].is_placeholder and slide.shapes[0] == slide.shapes.title
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()


def test_every_body_paragraph_is_in_the_notes_in_order(deck: Path) -> None:
    document = load_outline(TRILATERAL).document
    notes = letters(" ".join(s.notes_slide.notes_text_frame.text for s in Presentation(deck).slides))
    at = 0
    for paragraph in (p for s in document.sections for p in s.body if isinstance(p, Paragraph)):
        found = notes.find(letters(paragraph.text.plain), at)
        assert found >= 0, paragraph.text.plain[:60]
        at = found


def test_the_seed_articles_paragraphs_are_in_the_notes(deck: Path, seed_text: str) -> None:
    from tests.read.test_seed_fidelity import HEADINGS

    lines = [line.strip() for line in seed_text.splitlines() if line.strip()]
    bio_at = next(i for i, line in enumerate(lines) if line.startswith("Camilla Cavarape holds"))
    notes = letters(" ".join(s.notes_slide.notes_text_frame.text for s in Presentation(deck).slides))
    for line in lines[1:bio_at + 1]:
        if line not in HEADINGS:
            assert letters(line) in notes, line[:60]


def test_the_credits_slide_links_the_licence(deck: Path) -> None:
    (credits,) = [s for s in Presentation(deck).slides if s.shapes.title.text_frame.text == "Credits and licence"]
    links = {run.hyperlink.address for shape in credits.shapes if shape.has_text_frame
             for p in shape.text_frame.paragraphs for run in p.runs if run.hyperlink.address}
    assert "https://creativecommons.org/licenses/by/4.0/" in links
    text = " ".join(shape.text_frame.text for shape in credits.shapes if shape.has_text_frame)
    assert "Originally published under Creative Commons by 360info™." in text


def test_text_sizes_are_explicit_never_under_the_floor_and_never_autofit(deck: Path) -> None:
    xml = "".join(slide._element.xml for slide in Presentation(deck).slides)
    assert "normAutofit" not in xml and "spAutoFit" not in xml
    loaded = load_outline(TRILATERAL)
    plan = plan_deck(loaded.document, loaded.theme)
    for slide in plan.slides:
        for shape in slide.shapes:
            if isinstance(shape, Frame) and shape.role in ("body", "quote", "event"):
                assert shape.size >= BODY_MIN


def test_runs_name_calibri_and_the_language(deck: Path) -> None:
    prs = Presentation(deck)
    runs = [r for s in prs.slides for sh in s.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs for r in p.runs]
    assert runs and all(r.font.name == "Calibri" and r.font.size is not None for r in runs)
    assert all(r._r.rPr.get("lang") == "en-GB" for r in runs)


def test_two_builds_are_byte_identical(deck: Path, tmp_path: Path) -> None:
    (again,) = build(load_outline(TRILATERAL), "trilateral-alliance", ["pptx"], tmp_path)
    assert again.path.read_bytes() == deck.read_bytes()


def test_pictures_carry_alt_text_not_a_path(project: Path) -> None:
    from PIL import Image

    Image.new("RGB", (1600, 900), (30, 60, 90)).save(project / "assets" / "photo.jpg")
    Image.new("RGB", (400, 900), (200, 60, 30)).save(project / "assets" / "tall.png")
    (project / "o.yaml").write_text(VALID.replace("      - A paragraph.\n", """\
      - A paragraph.
      - figure: {image: assets/tall.png, alt: A tall red chart., caption: Tall chart, credit: Me, licence: CC BY 4.0}
""") + "cover: {image: assets/photo.jpg, alt: A blue photo., caption: Blue, licence: CC BY 4.0}\n")
    (built,) = build(load_outline(project / "o.yaml"), "o", ["pptx"], project / "out")
    pictures = [sh for s in Presentation(built.path).slides for sh in s.shapes if sh.shape_type == 13]
    assert [p._element.nvPicPr.cNvPr.get("descr") for p in pictures] == ["A blue photo.", "A tall red chart."]
    tall = pictures[1]
    assert abs(tall.width / tall.height - 400 / 900) < 0.01  # fitted, not stretched


def test_a_slide_size_of_4_3(project: Path) -> None:
    (project / "o.yaml").write_text(VALID)
    (built,) = build(load_outline(project / "o.yaml"), "o", ["pptx"], project / "out", slide_size="4:3")
    prs = Presentation(built.path)
    assert (Emu(prs.slide_width).pt, Emu(prs.slide_height).pt) == (720, 540)


# --- rendered overflow ------------------------------------------------------------------------


STRESS_POINT = ("A key point written three times as long as a slide bullet should ever be, so that the deck has "
                "to shrink it or split it onto a continuation slide without losing a word of it")
FORTY_WORDS = " ".join(f"word{n}" if n % 3 else "heading" for n in range(1, 41))
STRESS = VALID.replace("  - heading: First\n", f"  - heading: {FORTY_WORDS}\n").replace(
    "key_points: [One point]",
    "key_points:\n" + "\n".join(f"      - \"{STRESS_POINT} ({n})\"" for n in range(1, 13))
    + "\n      - \"See https://example.org/" + "a" * 280 + "/index.html for the data\"",
)


def overflowing_words(pptx: Path, out: Path) -> list[str]:
    """Words LibreOffice drew outside every text shape of their slide, or outside the slide."""
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{out}/lo-profile", "--convert-to", "pdf",
                    "--outdir", str(out), str(pptx)], check=True, capture_output=True, timeout=180)
    pdf_path = out / (pptx.stem + ".pdf")
    prs = Presentation(pptx)
    problems = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, (slide, page) in enumerate(zip(prs.slides, pdf.pages), 1):
            boxes = [(Emu(s.left).pt, Emu(s.top).pt, Emu(s.left + s.width).pt, Emu(s.top + s.height).pt)
                     for s in slide.shapes if s.has_text_frame or s.has_table or s.has_chart]  # a chart's own labels
            for word in page.extract_words():
                inside_slide = (word["x0"] >= -TOLERANCE and word["top"] >= -TOLERANCE and
                                word["x1"] <= page.width + TOLERANCE and word["bottom"] <= page.height + TOLERANCE)
                inside_shape = any(word["x0"] >= x0 - TOLERANCE and word["x1"] <= x1 + TOLERANCE and
                                   word["top"] >= y0 - TOLERANCE and word["bottom"] <= y1 + TOLERANCE
                                   for x0, y0, x1, y1 in boxes)
                if not (inside_slide and inside_shape):
                    problems.append(f"slide {number}: {word['text']!r} at ({word['x0']:.0f}, {word['top']:.0f})")
    return problems


def test_no_word_of_the_trilateral_deck_leaves_its_box(deck: Path, tmp_path: Path, soffice: None) -> None:
    assert overflowing_words(deck, tmp_path) == []


def test_no_word_of_the_trilateral_deck_leaves_its_box_in_the_lecture_theme(tmp_path: Path, soffice: None) -> None:
    (built,) = build(load_outline(TRILATERAL, theme="lecture"), "lecture", ["pptx"], tmp_path)
    assert overflowing_words(built.path, tmp_path) == []


DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def test_no_word_leaves_its_box_in_a_font_measured_from_its_files(project: Path, soffice: None) -> None:
    """DejaVu Sans, far wider than Calibri, named in the deck and measured from its TrueType files
    (the theme's fonts.*.metrics): LibreOffice draws it (it is installed), and nothing overflows."""
    need((DEJAVU / "DejaVuSans.ttf").is_file() and (DEJAVU / "DejaVuSans-Bold.ttf").is_file(),
         "DejaVu Sans missing: apt-get install fonts-dejavu-core")
    (project / "assets" / "fonts").mkdir()
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        shutil.copy(DEJAVU / name, project / "assets" / "fonts" / name)
    role = "{pdf: sans, deck: DejaVu Sans, metrics: {regular: assets/fonts/DejaVuSans.ttf, bold: assets/fonts/DejaVuSans-Bold.ttf}}"
    (project / "wide.yaml").write_text(f"name: wide\nextends: policy\nfonts:\n  body: {role}\n  heading: {role}\n")
    shutil.copy(TRILATERAL, project / "t.yaml")
    loaded = load_outline(project / "t.yaml", theme="wide.yaml")
    (built,) = build(loaded, "t", ["pptx"], project / "out")
    assert {r.font.name for s in Presentation(built.path).slides for sh in s.shapes if sh.has_text_frame
            for p in sh.text_frame.paragraphs for r in p.runs} == {"DejaVu Sans"}
    trilateral = load_outline(TRILATERAL)
    default = plan_deck(trilateral.document, trilateral.theme)
    wide = plan_deck(loaded.document, loaded.theme)
    assert len(wide.slides) >= len(default.slides)  # wider text: smaller sizes or more slides
    assert overflowing_words(built.path, project / "out") == []


def test_no_word_of_inline_code_in_a_wide_mono_font_leaves_its_box(project: Path, soffice: None) -> None:
    """Key points full of inline code, set in DejaVu Sans Mono (measured from its files: far wider
    than Calibri) among Calibri text."""
    need((DEJAVU / "DejaVuSansMono.ttf").is_file(), "DejaVu Sans Mono missing: apt-get install fonts-dejavu-core")
    (project / "assets" / "fonts").mkdir()
    shutil.copy(DEJAVU / "DejaVuSansMono.ttf", project / "assets" / "fonts" / "DejaVuSansMono.ttf")
    (project / "code.yaml").write_text("name: code\nextends: policy\nfonts:\n  mono: {pdf: sans, deck: DejaVu Sans Mono, "
                                       "metrics: assets/fonts/DejaVuSansMono.ttf}\n")
    points = [f"Call `reportgen.plan.fit.best_size_{n}(paragraphs, box)` and then `render_deck_{n}()` for slide {n}"
              for n in range(1, 9)]
    (project / "o.yaml").write_text(VALID.replace("    key_points: [One point]\n", "    key_points:\n"
                                                  + "".join(f"      - \"{p}\"\n" for p in points)))
    loaded = load_outline(project / "o.yaml", theme="code.yaml")
    (built,) = build(loaded, "o", ["pptx"], project / "out")
    fonts = {r.font.name for s in Presentation(built.path).slides for sh in s.shapes if sh.has_text_frame
             for p in sh.text_frame.paragraphs for r in p.runs if "render_deck" in r.text}
    assert fonts == {"DejaVu Sans Mono"}
    assert overflowing_words(built.path, project / "out") == []


@pytest.mark.parametrize("theme", ["policy", "lecture"])
def test_no_word_of_a_stress_deck_leaves_its_box(project: Path, soffice: None, theme: str) -> None:
    assert len(FORTY_WORDS.split()) == 40 and len("a" * 280 + "https://example.org//index.html") >= 300
    (project / "o.yaml").write_text(STRESS)
    loaded = load_outline(project / "o.yaml", theme=theme)
    (built,) = build(loaded, "o", ["pptx"], project / "out")
    plan = plan_deck(loaded.document, loaded.theme)
    continued = [s for s in plan.slides if s.kind == "bullets"]
    assert len(continued) > 1 and all("(cont.)" in "".join(x.text for x in s.title.paras[0].spans) for s in continued[1:])
    assert overflowing_words(built.path, project / "out") == []
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in Presentation(built.path).slides)
    text = " ".join(sh.text_frame.text for s in Presentation(built.path).slides for sh in s.shapes if sh.has_text_frame)
    for n in range(1, 13):
        assert f"({n})" in text
    assert "A paragraph." in notes


def test_a_long_table_continues_on_the_next_slide_with_its_header(project: Path) -> None:
    rows = "\n".join(f"          - [Row {n}, Value {n}]" for n in range(1, 41))
    (project / "o.yaml").write_text(VALID.replace("      - A paragraph.\n",
                                                  f"      - table:\n          header: [Name, Amount]\n          rows:\n{rows}\n"))
    loaded = load_outline(project / "o.yaml")
    plan = plan_deck(loaded.document, loaded.theme)
    tables = [shape for s in plan.slides for shape in s.shapes if isinstance(shape, TableShape)]
    assert len(tables) > 1
    assert all("".join(sp.text for sp in t.rows[0][0][0].spans) == "Name" for t in tables)
    assert sum(len(t.rows) - 1 for t in tables) == 40
    assert all(t.box.y + t.box.h <= plan.height - 44 for t in tables)


def test_the_overflow_check_catches_an_overflow(tmp_path: Path, soffice: None) -> None:
    from pptx.util import Pt

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(Pt(40), Pt(40), Pt(200), Pt(40))
    box.text_frame.word_wrap = True
    box.text_frame.text = "This text is far too long for a box forty points tall " * 6
    prs.save(tmp_path / "bad.pptx")
    assert overflowing_words(tmp_path / "bad.pptx", tmp_path)


# --- the layout chooser, on the shipped outlines (issue 20) -----------------------------------


def test_the_agenda_links_each_entry_to_its_sections_first_slide(deck: Path) -> None:
    slides = list(Presentation(deck).slides)
    parts = [slide.part for slide in slides]
    agenda = slides[1]
    (entries,) = [s for s in agenda.shapes if s.has_text_frame and "Introduction" in s.text_frame.text]
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    r_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    document = load_outline(TRILATERAL).document
    for paragraph, section in zip(entries.text_frame.paragraphs, document.sections, strict=True):
        assert paragraph.text == section.heading
        for run in paragraph.runs:
            link = run._r.find(f"{a}rPr/{a}hlinkClick")
            assert link is not None and link.get("action") == "ppaction://hlinksldjump"
            target = slides[parts.index(agenda.part.related_part(link.get(r_id)))]
            assert target.shapes.title.text_frame.text == section.heading


@pytest.mark.parametrize("theme", ["policy", "lecture", "template"])
def test_the_trilateral_deck_varies_its_layouts_and_keeps_dividers_few(theme: str) -> None:
    from reportgen.render.pptx_template import template_layouts
    from tests.plan.test_layout_chooser import lone_short_bullets

    if theme == "template":
        loaded = load_outline(TRILATERAL, pptx_template=str(REPO / "assets" / "university.pptx"))
        chosen, layouts = template_layouts(loaded)
        plan = plan_deck(loaded.document, loaded.theme, template=chosen, layouts=layouts)
    else:
        loaded = load_outline(TRILATERAL, theme=theme)
        plan = plan_deck(loaded.document, loaded.theme)
    kinds = [slide.kind for slide in plan.slides]
    assert kinds.count("section") <= len(kinds) / 4
    assert len(set(kinds)) >= 4 and "two_content" in kinds
    assert lone_short_bullets(plan) == []


@pytest.mark.parametrize("theme", ["policy", "lecture"])
def test_no_table_text_is_under_the_themes_floor(project: Path, theme: str) -> None:
    import shutil as copying

    copying.copytree(REPO / "outlines", project / "outlines", dirs_exist_ok=True)
    copying.copytree(REPO / "assets", project / "assets", dirs_exist_ok=True)
    loaded = load_outline(project / "outlines" / "example.yaml", theme=theme)
    (built,) = build(loaded, "example", ["pptx"], project / "out")
    sizes = [run.font.size.pt for slide in Presentation(built.path).slides for shape in slide.shapes if shape.has_table
             for row in shape.table.rows for cell in row.cells for p in cell.text_frame.paragraphs for run in p.runs]
    assert sizes and min(sizes) >= loaded.theme.deck.body_min
