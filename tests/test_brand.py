"""A brand.yml file themes both outputs: its colours, fonts and logos, mapped onto the theme's keys;
unknown keys and failing contrast warned, bad values refused at their line (docs/brand.md)."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from reportgen.errors import OutlineError
from reportgen.read.themes import load_theme, load_theme_noted
from tests.conftest import REPO, VALID, run

TRILATERAL = REPO / "outlines" / "trilateral-alliance.yaml"
NORTHMOOR = REPO / "assets" / "northmoor"
TEAL, EMBER, INK = "#0F4C5C", "#E36414", "#1B1B1B"


def _rgb(colour: str) -> tuple[float, ...]:
    return tuple(round(int(colour[i:i + 2], 16) / 255, 3) for i in (1, 3, 5))


def _logo_colour(blob: bytes) -> tuple[int, int, int]:
    """The colour most of a logo's opaque pixels have."""
    from PIL import Image

    image = Image.open(io.BytesIO(blob)).convert("RGBA")
    counts: dict[tuple[int, int, int], int] = {}
    data = image.tobytes()
    for index in range(0, len(data), 4):
        red, green, blue, alpha = data[index:index + 4]
        if alpha > 200:
            counts[(red, green, blue)] = counts.get((red, green, blue), 0) + 1
    return max(counts, key=lambda colour: counts[colour])


@pytest.fixture(scope="module")
def branded(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path, Path, list]:
    """The trilateral outline built with the example brand file: (the theme, the PDF, the deck, warnings)."""
    from reportgen.build import build
    from reportgen.read.loader import load_outline

    project = tmp_path_factory.mktemp("branded")
    shutil.copytree(NORTHMOOR, project / "assets" / "northmoor")
    shutil.copy(TRILATERAL, project / "trilateral.yaml")
    loaded = load_outline(project / "trilateral.yaml", theme="assets/northmoor/_brand.yml")
    pdf, pptx = build(loaded, "trilateral", ["pdf", "pptx"], project / "out")
    return loaded.theme, pdf.path, pptx.path, list(loaded.warnings)


def test_the_example_brand_maps_onto_the_theme(branded) -> None:
    theme, _, _, warnings = branded
    assert theme.name == "Northmoor Institute"
    assert (theme.colours.primary, theme.colours.accent, theme.colours.text) == (TEAL, EMBER, INK)
    assert (theme.colours.muted, theme.colours.tint, theme.colours.link) == ("#56636B", "#E6EFF0", TEAL)
    assert theme.fonts.body.pdf == "sans" and theme.fonts.body.deck == "Calibri"  # Source Sans Pro, sans-serif
    assert theme.footer == "Northmoor Institute · Policy papers"  # defaults.reportgen
    assert theme.logo.name == "northmoor-logo.png" and theme.logo_dark.name == "northmoor-logo-white.png"
    assert [w for w in warnings if "northmoor" in str(w.file)] == []  # the example is clean


def test_the_brief_is_drawn_in_the_brands_colours_faces_and_logo(branded) -> None:
    theme, pdf_path, _, _ = branded
    with pdfplumber.open(pdf_path) as pdf:
        cover = pdf.pages[0]
        band = [r for r in cover.rects if r["width"] > cover.width * 0.9]
        assert band and tuple(round(v, 3) for v in band[0]["non_stroking_color"]) == _rgb(TEAL)
        rule = [r for r in cover.rects if round(r["width"]) == 46]
        assert rule and tuple(round(v, 3) for v in rule[0]["non_stroking_color"]) == _rgb(EMBER)
        (logo,) = cover.images
        assert logo["top"] < 80
        assert _logo_colour(_pdf_image(pdf_path)) == (255, 255, 255)  # white, on the teal band
        chars = [c for page in pdf.pages[1:] for c in page.chars]
    headings = [c for c in chars if round(c["size"], 1) == theme.brief.heading_size]
    assert headings and {tuple(round(v, 3) for v in c["non_stroking_color"]) for c in headings} == {_rgb(TEAL)}
    body = [c for c in chars if round(c["size"], 1) == theme.brief.body_size]
    assert body and all("SourceSansPro" in c["fontname"] for c in body)  # the brand's base family


def _pdf_image(pdf_path: Path) -> bytes:
    """The cover's logo, as PNG bytes."""
    import pikepdf
    from pikepdf import PdfImage

    with pikepdf.open(pdf_path) as pdf:
        (image,) = [PdfImage(x) for x in pdf.pages[0].get_images().values()]
        out = io.BytesIO()
        image.as_pil_image().convert("RGBA").save(out, "PNG")
        smask = image.obj.get("/SMask")
        if smask is not None:  # the logo's alpha: white on transparent
            from PIL import Image

            rgb = image.as_pil_image().convert("RGB")
            alpha = PdfImage(smask).as_pil_image().convert("L")
            out = io.BytesIO()
            Image.merge("RGBA", (*rgb.split(), alpha)).save(out, "PNG")
        return out.getvalue()


def test_the_deck_is_drawn_in_the_brands_colours_and_logos(branded) -> None:
    _, _, pptx_path, _ = branded
    with zipfile.ZipFile(pptx_path) as deck:
        slides = "".join(deck.read(n).decode() for n in deck.namelist() if n.startswith("ppt/slides/slide"))
    assert f'<a:srgbClr val="{TEAL[1:]}"/>' in slides and f'<a:srgbClr val="{EMBER[1:]}"/>' in slides
    assert f'<a:srgbClr val="{INK[1:]}"/>' in slides
    prs = Presentation(pptx_path)

    def logos(slide):
        return [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE
                and "logo" in sh._element.nvPicPr.cNvPr.get("descr")]

    (on_title,) = logos(prs.slides[0])  # the title slide is teal: the white logo
    assert _logo_colour(on_title.image.blob) == (255, 255, 255)
    (in_footer,) = logos(prs.slides[2])  # a light content slide: the teal one
    assert str(prs.slides[2].background.fill.fore_color.rgb) == "FFFFFF"
    assert all(abs(a - b) <= 8 for a, b in zip(_logo_colour(in_footer.image.blob), (0x0F, 0x4C, 0x5C)))  # resampled
    dark = [s for s in list(prs.slides)[1:-1] if str(s.background.fill.fore_color.rgb) == TEAL[1:]]
    assert dark and all(_logo_colour(logo.image.blob) == (255, 255, 255) for s in dark for logo in logos(s))  # dividers


def test_two_builds_with_the_brand_are_byte_identical(branded, tmp_path: Path) -> None:
    from reportgen.build import build
    from reportgen.read.loader import load_outline

    _, pdf_path, pptx_path, _ = branded
    loaded = load_outline(pdf_path.parent.parent / "trilateral.yaml", theme="assets/northmoor/_brand.yml")
    pdf, pptx = build(loaded, "trilateral", ["pdf", "pptx"], tmp_path)
    assert pdf.path.read_bytes() == pdf_path.read_bytes() and pptx.path.read_bytes() == pptx_path.read_bytes()


# --- colours ------------------------------------------------------------------------------------


def test_palette_and_theme_colour_names_are_resolved(project: Path) -> None:
    (project / "_brand.yml").write_text("""\
color:
  palette:
    forest: "#1b5e20"
    brand-green: forest
    paper: "#fafafa"
  primary: brand-green
  secondary: "#777"
  link: primary
  background: paper
  foreground: rgb(20, 30, 40)
  light: {light: white, dark: "#000000"}
""")
    colours = load_theme("_brand.yml", project).colours
    assert (colours.primary, colours.link, colours.muted) == ("#1B5E20", "#1B5E20", "#777777")
    assert (colours.background, colours.text, colours.on_primary) == ("#FAFAFA", "#141E28", "#FFFFFF")
    assert colours.accent == "#1B5E20"  # no palette accent: the primary colour
    # tint, rule and on_primary_muted are derived from the brand's primary colour, not kept from policy's navy
    assert colours.tint not in ("#EEF2F6",) and int(colours.tint[3:5], 16) > int(colours.tint[1:3], 16)


def test_bad_colours_are_refused_each_at_its_line(project: Path) -> None:
    (project / "o.yaml").write_text(VALID)
    (project / "_brand.yml").write_text("""\
color:
  palette:
    blue: "#12"
  primary: bleu
  secondary: blue
  background: #FFFFFF
  tertiary: rgba(0, 0, 0, 0.5)
  foreground: [1, 2]
""")
    result = run("validate", "o.yaml", "--theme", "_brand.yml", cwd=project)
    assert result.code == 2
    assert result.err.splitlines() == [
        "_brand.yml:3:11: color.palette.blue: '#12' is not a colour: reportgen reads #RRGGBB, #RGB, rgb(r, g, b), a CSS "
        "colour name, or a name in color.palette",
        "_brand.yml:4:12: color.primary: 'bleu' is not a colour: reportgen reads #RRGGBB, #RGB, rgb(r, g, b), a CSS "
        "colour name, or a name in color.palette (did you mean 'blue'?)",
        '_brand.yml:6:14: color.background: expected a colour, got nothing (a colour written #447099 without quotes '
        'is a YAML comment: write "#447099")',
        "_brand.yml:7:13: color.tertiary: 'rgba(0, 0, 0, 0.5)' is not a colour: it is (partly) transparent, and "
        "reportgen draws opaque colours: give #RRGGBB",
        "_brand.yml:8:15: color.foreground: expected a colour as text (#RRGGBB, #RGB, rgb(r, g, b), a CSS colour name "
        "or a palette name), got a list",
    ]


def test_colours_that_name_each_other_in_a_circle_are_refused(project: Path) -> None:
    (project / "_brand.yml").write_text("color:\n  palette:\n    a: b\n    b: a\n  primary: a\n")
    with pytest.raises(OutlineError, match="colours name each other in a circle"):
        load_theme("_brand.yml", project)


def test_a_colour_pair_that_fails_contrast_is_warned_at_the_brands_key(project: Path) -> None:
    (project / "o.yaml").write_text(VALID)
    (project / "_brand.yml").write_text('color:\n  primary: "#0F4C5C"\n  secondary: "#BBBBBB"\n')
    result = run("validate", "o.yaml", "--theme", "_brand.yml", cwd=project)
    assert result.code == 0
    assert ("_brand.yml:3:14: color.secondary: warning: colours.muted (#BBBBBB) on colours.background (#FFFFFF): "
            "contrast 1.92:1, the brief's captions, footers and small print needs 4.5:1 (WCAG 2.1 AA)") in result.err


# --- keys, fonts, logos ---------------------------------------------------------------------------


def test_unknown_keys_are_warned_with_their_place_and_ignored(project: Path) -> None:
    (project / "o.yaml").write_text(VALID)
    (project / "_brand.yml").write_text("""\
color:
  primary: "#0F4C5C"
  primery: "#FF0000"
typography:
  base: {family: Source Serif Pro, colour: red}
colours: {accent: "#000000"}
""")
    result = run("validate", "o.yaml", "--theme", "_brand.yml", cwd=project)
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if "unknown key" in line]
    assert warnings == [
        "_brand.yml:3:3: color.primery: warning: unknown key 'primery' (did you mean 'primary'?), ignored",
        "_brand.yml:5:36: typography.base.colour: warning: unknown key 'colour' (did you mean 'color'?), ignored",
        "_brand.yml:6:1: colours: warning: unknown key 'colours' (did you mean 'color'?), ignored",
    ]
    assert load_theme("_brand.yml", project).colours.primary == "#0F4C5C"


def test_a_font_reportgen_does_not_have_is_warned_and_the_themes_kept(project: Path) -> None:
    (project / "_brand.yml").write_text("typography:\n  fonts:\n    - {family: Open Sans, source: google}\n"
                                        "  base: Open Sans\n  headings: Source Sans Pro\n")
    theme, notes = load_theme_noted("_brand.yml", project)
    policy = load_theme("policy", project)
    assert theme.fonts.body == policy.fonts.body  # kept: never downloaded
    assert theme.fonts.heading.pdf == "sans" and theme.fonts.heading.deck == policy.fonts.heading.deck
    assert [str(w).replace(str(project) + "/", "") for w in notes.warnings] == [
        "_brand.yml:4:9: typography.base: warning: font 'Open Sans' (google) is not one reportgen has, and reportgen "
        "never downloads fonts at build time: the brief keeps the theme's face and the deck its font; give it as "
        "source: file with .ttf files in the project (reportgen has Source Serif Pro and Source Sans Pro for the "
        "brief, Calibri for the deck)",
        "_brand.yml:5:13: typography.headings: warning: font 'Source Sans Pro': the brief uses it, but the deck "
        "measures its text only in Calibri or in a font given as source: file with .ttf files in the project: the "
        "deck keeps the theme's font",
    ]


def test_a_font_given_as_ttf_files_in_the_project_is_used_in_both_outputs(project: Path) -> None:
    import reportlab

    vera = Path(reportlab.__file__).parent / "fonts"  # Bitstream Vera, which reportlab ships
    (project / "brand" / "fonts").mkdir(parents=True)
    shutil.copy(vera / "Vera.ttf", project / "brand" / "fonts" / "House-Regular.ttf")
    shutil.copy(vera / "VeraBd.ttf", project / "brand" / "fonts" / "House-Bold.ttf")
    (project / "brand" / "_brand.yml").write_text("""\
typography:
  fonts:
    - family: House Serif
      source: file
      files:
        - fonts/House-Regular.ttf
        - {path: fonts/House-Bold.ttf, weight: bold}
        - {path: fonts/House-Italic.woff2, style: italic}
  base: House Serif
""")
    (project / "brand" / "fonts" / "House-Italic.woff2").write_bytes(b"wOF2")
    theme, notes = load_theme_noted("brand/_brand.yml", project)
    assert theme.fonts.body.deck == "House Serif"
    assert "House-Regular.ttf" in theme.fonts.body.pdf and "House-Bold.ttf" in theme.fonts.body.pdf
    assert theme.fonts.body.metrics == theme.fonts.body.pdf  # the deck measured with the same files
    assert [w.key for w in notes.warnings] == ["typography.fonts[0].files[2].path"]  # a .woff2 is not embedded
    (project / "o.yaml").write_text(VALID)
    result = run("build", "o.yaml", "--theme", "brand/_brand.yml", "--out", "out", cwd=project)
    assert result.code == 0, result.err
    with pdfplumber.open(project / "out" / "o.pdf") as pdf:
        body = [c for page in pdf.pages for c in page.chars if round(c["size"], 1) == 10.5]
    assert body and all("BitstreamVeraSans-Roman" in c["fontname"] for c in body)
    runs = {r.font.name for s in Presentation(project / "out" / "o.pptx").slides for sh in s.shapes
            if sh.has_text_frame for p in sh.text_frame.paragraphs for r in p.runs}
    assert runs == {"House Serif"}


def test_a_logo_reportgen_cannot_draw_is_warned_and_the_next_size_used(project: Path) -> None:
    shutil.copy(NORTHMOOR / "northmoor-mark.png", project / "mark.png")
    (project / "logo.svg").write_text("<svg/>")
    (project / "_brand.yml").write_text("logo:\n  medium: logo.svg\n  small: mark.png\n  large: https://example.org/l.png\n")
    theme, notes = load_theme_noted("_brand.yml", project)
    assert theme.logo == project / "mark.png" and theme.logo_dark is None
    assert [(w.key, w.line) for w in notes.warnings] == [("logo.medium", 2)]


def test_a_missing_logo_or_one_outside_the_project_is_an_error(project: Path) -> None:
    (project / "_brand.yml").write_text("logo:\n  images:\n    a: missing.png\n  small: a\n  medium: ../outside.png\n")
    with pytest.raises(OutlineError) as caught:
        load_theme("_brand.yml", project)
    assert [str(p).replace(str(project) + "/", "") for p in caught.value.problems] == [
        "_brand.yml:3:8: logo.images.a: no such image: 'missing.png' (paths in a brand file are relative to it)",
        f"_brand.yml:5:11: logo.medium: path '../outside.png' leads outside the project root {project}",
    ]


def test_a_brand_file_is_known_by_its_keys_and_may_choose_its_base_theme(project: Path) -> None:
    (project / "house-colours.yml").write_text('color:\n  primary: "#3A0CA3"\ndefaults:\n  reportgen:\n'
                                               "    extends: lecture\n    deck: {body_min: 26}\n")
    theme = load_theme("house-colours.yml", project)
    assert theme.colours.primary == "#3A0CA3" and theme.deck.dark_slides == "all" and theme.deck.body_min == 26
    (project / "bad.yml").write_text('color:\n  primary: "#3A0CA3"\ndefaults:\n  reportgen:\n    deck: {body_min: 12}\n')
    with pytest.raises(OutlineError) as caught:
        load_theme("bad.yml", project)
    assert [str(p).replace(str(project) + "/", "") for p in caught.value.problems] == [
        "bad.yml:5:22: defaults.reportgen.deck.body_min: input should be greater than or equal to 18"]


def test_a_brands_errors_and_its_reportgen_keys_errors_come_in_one_run(project: Path) -> None:
    (project / "_brand.yml").write_text('color:\n  primary: nope\ndefaults:\n  reportgen:\n'
                                        "    colours: {acent: primary}\n    dek: {body_min: 20}\n")
    with pytest.raises(OutlineError) as caught:
        load_theme("_brand.yml", project)
    assert [(p.line, p.column, p.key, p.message.split(" (")[0]) for p in caught.value.problems] == [
        (2, 12, "color.primary", "'nope' is not a colour: reportgen reads #RRGGBB, #RGB, rgb(r, g, b), a CSS colour "
                                 "name, or a name in color.palette"),
        (5, 15, "defaults.reportgen.colours.acent", "unknown key 'acent'"),
        (6, 5, "defaults.reportgen.dek", "unknown key 'dek'"),
    ]


def test_a_reportgen_theme_named_brand_yml_stays_a_theme(project: Path) -> None:
    (project / "brand.yml").write_text('name: house\nextends: policy\ncolours: {accent: "#00AA55"}\n')
    theme, notes = load_theme_noted("brand.yml", project)
    assert theme.name == "house" and theme.colours.accent == "#00AA55" and notes.warnings == []


def test_the_outlines_theme_key_may_name_a_brand_file(project: Path) -> None:
    (project / "o.yaml").write_text(VALID.replace("title: A brief\n", "title: A brief\ntheme: brand/_brand.yml\n", 1))
    (project / "brand").mkdir()
    (project / "brand" / "_brand.yml").write_text('color:\n  primary: "#3A0CA3"\n  tertiary: "#3A0CA3"\n')
    result = run("build", "o.yaml", "--out", "out", cwd=project)
    assert result.code == 0, result.err
    assert "brand/_brand.yml:3:13: color.tertiary: warning: colours.text (#1F1F1F) on colours.tint (#3A0CA3)" in result.err
    with pdfplumber.open(project / "out" / "o.pdf") as pdf:
        assert _rgb("#3A0CA3") in {tuple(round(v, 3) for v in r["non_stroking_color"]) for r in pdf.pages[0].rects}
