"""Themes: built-in ones differ visibly, extends merges key by key, mistakes get precise lines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu

from reportgen.errors import OutlineError
from reportgen.read.themes import load_theme
from tests.conftest import REPO, VALID, run

TRILATERAL = REPO / "outlines" / "trilateral-alliance.yaml"


def test_the_built_in_themes_load_and_differ(project: Path) -> None:
    policy, lecture = load_theme("policy", project), load_theme("lecture", project)
    assert policy.colours.primary != lecture.colours.primary and policy.colours.accent != lecture.colours.accent
    assert lecture.deck.body_min > policy.deck.body_min and lecture.deck.dark_slides == "all"
    assert lecture.brief.body_size > policy.brief.body_size
    assert lecture.colours.background == policy.colours.background  # inherited through extends


def test_a_theme_file_extends_another_and_changes_one_key(project: Path) -> None:
    (project / "house.yaml").write_text('name: house\nextends: policy\ncolours:\n  accent: "#00AA55"\n')
    theme = load_theme("house.yaml", project)
    assert theme.colours.accent == "#00AA55"
    assert theme.colours.primary == load_theme("policy", project).colours.primary


def test_a_bad_theme_key_is_one_precise_line(project: Path) -> None:
    (project / "bad.yaml").write_text('name: bad\nextends: policy\ncolours:\n  acent: "#00AA55"\n  link: blue\n')
    with pytest.raises(OutlineError) as caught:
        load_theme("bad.yaml", project)
    assert [str(p) for p in caught.value.problems] == [
        f"{project / 'bad.yaml'}:4:3: colours.acent: unknown key 'acent' (did you mean 'accent'?)",
        f"{project / 'bad.yaml'}:5:9: colours.link: expected a colour as #RRGGBB, got 'blue'",
    ]


def test_an_unknown_theme_name_lists_the_built_in_ones(project: Path) -> None:
    with pytest.raises(OutlineError, match="no theme 'fancy': built-in themes are policy, lecture"):
        load_theme("fancy", project)


def test_themes_that_extend_each_other_in_a_circle_are_refused(project: Path) -> None:
    (project / "a.yaml").write_text("name: a\nextends: b.yaml\n")
    (project / "b.yaml").write_text("name: b\nextends: a.yaml\n")
    with pytest.raises(OutlineError, match="themes extend each other in a circle: a.yaml -> b.yaml -> a.yaml"):
        load_theme("a.yaml", project)


# --- the themes in the files -------------------------------------------------------------------

THEMES = ("policy", "lecture", "house.yaml")


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(round(int(colour[i:i + 2], 16) / 255, 3) for i in (1, 3, 5))


@pytest.fixture(scope="module")
def themed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[object, Path, Path]]:
    """The trilateral outline built in each built-in theme, and in a house theme (extends lecture)
    with a logo: theme → (the theme, the PDF, the deck)."""
    from PIL import Image, ImageDraw

    from reportgen.build import build
    from reportgen.read.loader import load_outline

    project = tmp_path_factory.mktemp("themed")
    (project / "assets").mkdir()
    shutil.copy(TRILATERAL, project / "trilateral.yaml")
    logo = Image.new("RGB", (300, 100), "#F2B134")
    ImageDraw.Draw(logo).ellipse((10, 10, 90, 90), fill="#0B1320")
    logo.save(project / "assets" / "logo.png")
    (project / "house.yaml").write_text("name: house\nextends: lecture\nlogo: assets/logo.png\nfooter: House style\n"
                                        "colours:\n  primary: '#3A0CA3'\nfonts:\n  heading: {pdf: serif}\n")
    out = {}
    for name in THEMES:
        loaded = load_outline(project / "trilateral.yaml", theme=name)
        pdf, pptx = build(loaded, name.removesuffix(".yaml"), ["pdf", "pptx"], project / "out")
        out[name] = (loaded.theme, pdf.path, pptx.path)
    return out


@pytest.mark.parametrize("name", THEMES)
def test_the_brief_takes_its_colours_and_faces_from_the_theme(themed, name: str) -> None:
    theme, pdf_path, _ = themed[name]
    faces = {"serif": "SourceSerifPro", "sans": "SourceSansPro"}
    with pdfplumber.open(pdf_path) as pdf:
        chars = [c for page in pdf.pages[1:] for c in page.chars]
    heading = [c for c in chars if round(c["size"], 1) == theme.brief.heading_size]
    assert heading, "no heading at the theme's heading size"
    assert all(faces[theme.fonts.heading.pdf] in c["fontname"] and "Bold" in c["fontname"] for c in heading)
    assert {tuple(round(v, 3) for v in c["non_stroking_color"]) for c in heading} == {_rgb(theme.colours.primary)}
    body = [c for c in chars if round(c["size"], 1) == theme.brief.body_size]
    assert body and all(faces[theme.fonts.body.pdf] in c["fontname"] for c in body)
    assert {tuple(round(v, 3) for v in c["non_stroking_color"]) for c in body if c["text"].isalpha()} >= {_rgb(theme.colours.text)}


@pytest.mark.parametrize("name", THEMES)
def test_the_deck_takes_its_colours_and_fonts_from_the_theme(themed, name: str) -> None:
    theme, _, pptx_path = themed[name]
    prs = Presentation(pptx_path)
    bullets = prs.slides[2]  # "Introduction": key points (a section of one slide has no divider)
    title_run = bullets.shapes.title.text_frame.paragraphs[0].runs[0]
    if theme.deck.dark_slides == "all":
        assert str(bullets.background.fill.fore_color.rgb) == theme.colours.primary[1:]
        assert str(title_run.font.color.rgb) == theme.colours.on_primary[1:]
    else:
        assert str(bullets.background.fill.fore_color.rgb) == theme.colours.background[1:]
        assert str(title_run.font.color.rgb) == theme.colours.primary[1:]
    (divider,) = [s for s in prs.slides if any(sh.has_text_frame and sh.text_frame.text == "07" for sh in s.shapes)]
    assert str(divider.background.fill.fore_color.rgb) == theme.colours.primary[1:]
    fonts = {r.font.name for s in prs.slides for sh in s.shapes if sh.has_text_frame
             for p in sh.text_frame.paragraphs for r in p.runs}
    assert fonts == {theme.fonts.body.deck}
    theme_xml = prs.slide_master.part.part_related_by(RT.THEME).blob.decode()
    assert f'<a:hlink><a:srgbClr val="{theme.colours.link[1:]}"/></a:hlink>' in theme_xml
    credits = next(s for s in prs.slides if s.shapes.title.text_frame.text == "Credits and licence")
    # links are drawn in the theme's link colour, made for a light background: their slide stays light
    assert str(credits.background.fill.fore_color.rgb) == theme.colours.background[1:]


def test_the_built_in_themes_look_different(themed) -> None:
    policy, lecture = (Presentation(themed[n][2]) for n in ("policy", "lecture"))
    assert policy.slides[3].background.fill.fore_color.rgb != lecture.slides[3].background.fill.fore_color.rgb
    with pdfplumber.open(themed["policy"][1]) as a, pdfplumber.open(themed["lecture"][1]) as b:
        assert len(a.pages) != len(b.pages) or a.pages[2].extract_text() != b.pages[2].extract_text()


def test_the_logo_is_on_the_cover_the_title_slide_and_small_in_the_footer(themed) -> None:
    theme, pdf_path, pptx_path = themed["house.yaml"]
    with pdfplumber.open(pdf_path) as pdf:
        cover_images = pdf.pages[0].images
        assert len(cover_images) == 1 and cover_images[0]["top"] < 80  # the band at the top of the cover
        assert "House style" in pdf.pages[2].extract_text()
    prs = Presentation(pptx_path)
    logos = [[sh for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE and "logo" in
              sh._element.nvPicPr.cNvPr.get("descr")] for s in prs.slides]
    assert len(logos[0]) == 1 and Emu(logos[0][0].height).pt > 40
    footed = [s for s, found in zip(logos[1:-1], range(len(logos) - 2))]
    assert all(len(found) == 1 and Emu(found[0].height).pt <= 22.5 for found in footed)
    policy = Presentation(themed["policy"][2])
    assert not any(sh.shape_type == MSO_SHAPE_TYPE.PICTURE for s in policy.slides for sh in s.shapes)


def test_a_bad_theme_key_on_the_command_line_is_one_line_and_exit_2(project: Path) -> None:
    (project / "o.yaml").write_text(VALID)
    (project / "bad.yaml").write_text("name: bad\nextends: lecture\ndeck:\n  body_min: 12\n")
    result = run("build", "o.yaml", "--theme", "bad.yaml", "--out", "out", cwd=project)
    assert result.code == 2 and not (project / "out").exists()
    assert result.err == "bad.yaml:4:13: deck.body_min: input should be greater than or equal to 18\n"


def test_an_unknown_theme_in_the_outline_points_at_its_line(project: Path) -> None:
    (project / "o.yaml").write_text(VALID.replace("date:", "theme: glossy\ndate:"))
    result = run("validate", "o.yaml", cwd=project)
    assert result.code == 2
    assert result.err.startswith("o.yaml:2:8: theme: no theme 'glossy': built-in themes are policy, lecture")
    assert result.err.count("\n") == 1


def test_the_page_margins_come_from_the_theme(project: Path) -> None:
    from reportgen.build import build
    from reportgen.read.loader import load_outline

    (project / "o.yaml").write_text(VALID)
    (project / "wide.yaml").write_text("name: wide\nextends: policy\nbrief:\n  margins: {left: 20, right: 15}\n")
    (pdf,) = build(load_outline(project / "o.yaml", theme="wide.yaml"), "o", ["pdf"], project / "out")
    with pdfplumber.open(pdf.path) as document:
        page = document.pages[1]
        words = page.extract_words()
    mm = 72 / 25.4
    assert abs(min(w["x0"] for w in words) - 20 * mm) < 1
    assert max(w["x1"] for w in words) <= page.width - 15 * mm + 1


def test_a_theme_may_name_the_decks_template(project: Path) -> None:
    from reportgen.read.loader import load_outline
    from tools.institution_template import make_template

    make_template(project / "assets" / "uni.pptx")
    (project / "o.yaml").write_text(VALID)
    (project / "uni.yaml").write_text("name: uni\nextends: lecture\npptx_template: assets/uni.pptx\n")
    assert load_outline(project / "o.yaml", theme="uni.yaml").template == project / "assets" / "uni.pptx"
    assert load_outline(project / "o.yaml").template is None
    (project / "bad.yaml").write_text("name: bad\nextends: policy\npptx_template: assets/nope.pptx\n")
    with pytest.raises(OutlineError, match=r"bad.yaml:3:16: pptx_template: no such file: 'assets/nope.pptx'"):
        load_outline(project / "o.yaml", theme="bad.yaml")


def _copy_fonts(project: Path, folder: Path, names: dict[str, str]) -> dict[str, str]:
    (project / "assets" / "fonts").mkdir(parents=True, exist_ok=True)
    for name in names.values():
        shutil.copy(folder / name, project / "assets" / "fonts" / name)
    return {face: f"assets/fonts/{name}" for face, name in names.items()}


def test_deck_text_is_measured_with_the_themes_truetype_files(project: Path) -> None:
    import font_source_sans_pro

    from reportgen.build import build
    from reportgen.plan.deck import Frame, plan_deck
    from reportgen.read.loader import load_outline

    folder = Path(font_source_sans_pro.__file__).parent / "files"
    files = _copy_fonts(project, folder, {"regular": "SourceSansPro-Regular.ttf", "bold": "SourceSansPro-Bold.ttf"})
    (project / "o.yaml").write_text(VALID)
    (project / "source.yaml").write_text(
        "name: source\nextends: policy\nfonts:\n"
        f"  body: {{pdf: sans, deck: Source Sans Pro, metrics: {{regular: {files['regular']}, bold: {files['bold']}}}}}\n"
        f"  heading: {{pdf: sans, deck: Source Sans Pro, metrics: {files['bold']}}}\n")
    loaded = load_outline(project / "o.yaml", theme="source.yaml")
    plan = plan_deck(loaded.document, loaded.theme)
    frames = [f for s in plan.slides for f in (s.title, *s.shapes) if isinstance(f, Frame)]
    assert {f.spec.font.split("|")[0] for f in frames} == {
        f"ttf:{project / files['regular']}", f"ttf:{project / files['bold']}"}
    (pptx,) = build(loaded, "o", ["pptx"], project / "out")
    fonts = {r.font.name for s in Presentation(pptx.path).slides for sh in s.shapes if sh.has_text_frame
             for p in sh.text_frame.paragraphs for r in p.runs}
    assert fonts == {"Source Sans Pro"}


def test_a_deck_font_without_metrics_or_with_a_missing_file_is_one_precise_line(project: Path) -> None:
    (project / "o.yaml").write_text(VALID)
    (project / "arial.yaml").write_text("name: arial\nextends: policy\nfonts:\n  body: {pdf: sans, deck: Arial}\n")
    result = run("validate", "o.yaml", "--theme", "arial.yaml", cwd=project)
    assert result.code == 2 and result.err.count("\n") == 1
    assert result.err.startswith("arial.yaml:4:9: fonts.body: no metrics for deck font 'Arial': give metrics: ")
    (project / "gone.yaml").write_text("name: gone\nextends: policy\nfonts:\n"
                                       "  body: {pdf: sans, deck: Arial, metrics: assets/fonts/arial.ttf}\n")
    result = run("validate", "o.yaml", "--theme", "gone.yaml", cwd=project)
    assert result.code == 2
    assert result.err == "gone.yaml:4:43: fonts.body.metrics: no such font file: 'assets/fonts/arial.ttf'\n"


def test_inline_code_is_set_in_the_themes_mono_font_in_both_outputs(project: Path) -> None:
    import font_source_sans_pro

    from reportgen.build import build
    from reportgen.plan.deck import Frame, plan_deck
    from reportgen.read.loader import load_outline

    folder = Path(font_source_sans_pro.__file__).parent / "files"
    files = _copy_fonts(project, folder, {"regular": "SourceSansPro-Semibold.ttf"})
    (project / "o.yaml").write_text(VALID.replace("      - A paragraph.", "      - Call `render_all()` to build."))
    (project / "code.yaml").write_text(
        "name: code\nextends: policy\nfonts:\n"
        f"  mono: {{pdf: {files['regular']}, deck: Source Sans Pro Semibold, metrics: {files['regular']}}}\n")
    loaded = load_outline(project / "o.yaml", theme="code.yaml")
    pdf, pptx = build(loaded, "o", ["pdf", "pptx"], project / "out")
    with pdfplumber.open(pdf.path) as document:
        chars = [c for page in document.pages for c in page.chars]
    code = "".join(c["text"] for c in chars if "SourceSansPro-Semibold" in c["fontname"])
    assert code == "render_all()"
    text = "".join(c["text"] for c in chars)
    start = text.index("Call render_all") if "Call render_all" in text else text.index("Callrender_all")
    assert all("SourceSerifPro" in c["fontname"] for c in chars[start:start + 4])  # the prose around it: the body face
    plan = plan_deck(loaded.document, loaded.theme)
    specs = {f.spec.code_font for s in plan.slides for f in (s.title, *s.shapes) if isinstance(f, Frame)}
    assert specs == {f"ttf:{project / files['regular']}|||"}
    runs = [r for s in Presentation(pptx.path).slides for sh in s.shapes if sh.has_text_frame
            for p in sh.text_frame.paragraphs for r in p.runs]
    notes_or_text = {(r.text, r.font.name) for r in runs if "render_all" in r.text}
    assert all(name == "Source Sans Pro Semibold" for _, name in notes_or_text)


def test_a_table_on_a_dark_slide_has_a_header_that_reads(tmp_path: Path) -> None:
    from reportgen.build import build
    from reportgen.read.loader import load_outline

    loaded = load_outline(REPO / "outlines" / "example.yaml", theme="lecture")
    (pptx,) = build(loaded, "example", ["pptx"], tmp_path)
    theme = loaded.theme
    tables = [sh.table for s in Presentation(pptx.path).slides for sh in s.shapes if sh.has_table]
    assert tables
    for table in tables:
        header = table.cell(0, 0)
        assert str(header.fill.fore_color.rgb) == theme.colours.accent[1:]  # not the slide's own colour
        assert str(header.text_frame.paragraphs[0].runs[0].font.color.rgb) == theme.colours.text[1:]
