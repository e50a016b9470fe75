"""The brief's plan, tested as decisions and geometry, before anything is drawn."""

from __future__ import annotations

import shutil
from pathlib import Path

from reportgen.build import build
from reportgen.plan import blocks
from reportgen.plan.brief import plan_brief
from reportgen.plan.deck import plan_deck
from reportgen.plan.shared import plain
from reportgen.read.loader import load_outline
from reportgen.records import Record
from tests.conftest import REPO, VALID

EXAMPLE = REPO / "outlines" / "example.yaml"


def _records(value):
    """Every value reachable from ``value`` through tuples (NamedTuples included)."""
    yield value
    if isinstance(value, tuple):
        for item in value:
            yield from _records(item)


def test_the_brief_plan_holds_no_model_object() -> None:
    loaded = load_outline(EXAMPLE)
    plan = plan_brief(loaded.document, loaded.theme)
    found = [type(v).__name__ for v in _records(plan) if isinstance(v, Record)]
    assert found == []


def test_each_block_has_its_structure_role_in_order() -> None:
    loaded = load_outline(EXAMPLE)
    plan = plan_brief(loaded.document, loaded.theme)
    planned = [b for s in plan.sections for b in s.blocks]
    model_blocks = [b for s in loaded.document.sections if "pdf" not in s.skip for b in s.body]
    assert len(planned) == len(model_blocks)
    kinds = {blocks.Prose: "P", blocks.BulletList: "L", blocks.Quote: "BlockQuote", blocks.Figure: "Figure",
             blocks.Table: "Table", blocks.Timeline: "L", blocks.Callout: "Aside", blocks.Chart: "Figure"}
    assert all(b.role == kinds[type(b)] for b in planned)
    assert {type(b) for b in planned} >= {blocks.Prose, blocks.Figure, blocks.Table, blocks.Quote}


def test_figures_are_placed_inside_the_column_at_their_proportions() -> None:
    loaded = load_outline(EXAMPLE)
    for size in ("a4", "letter"):
        plan = plan_brief(loaded.document, loaded.theme, size)
        column = plan.page_size[0] - plan.margins.left - plan.margins.right
        figures = [b for s in plan.sections for b in s.blocks if isinstance(b, blocks.Figure) and b.image]
        assert figures
        for figure in figures:
            assert figure.width <= column + 1e-6 and figure.height <= blocks.FIGURE_MAX_HEIGHT + 1e-6
            assert abs(figure.width - column) < 1e-6 or abs(figure.height - blocks.FIGURE_MAX_HEIGHT) < 1e-6


def test_both_outputs_give_a_table_the_same_column_shares() -> None:
    loaded = load_outline(EXAMPLE)
    brief = plan_brief(loaded.document, loaded.theme)
    (table,) = [b for s in brief.sections for b in s.blocks if isinstance(b, blocks.Table)][:1]
    assert abs(sum(table.columns) - 1) < 1e-9
    deck = plan_deck(loaded.document, loaded.theme)
    shapes = [shape for slide in deck.slides if slide.kind == "table" for shape in slide.shapes]
    widths = shapes[0].columns
    assert [round(w / sum(widths), 6) for w in widths] == [round(c, 6) for c in table.columns]


def test_contents_list_every_section_then_the_end_matter(project: Path) -> None:
    (project / "o.yaml").write_text(VALID + "  - heading: Second\n    body: [Text.]\n    skip: [pdf]\n"
                                    "  - heading: Third\n    key_points: [Only points]\n")
    loaded = load_outline(project / "o.yaml")
    plan = plan_brief(loaded.document, loaded.theme)
    assert [(h.text, h.key) for h in plan.contents] == [
        ("First", "s-first"), ("Third", "s-third"), ("About the author", "about"), ("Credits and licence", "credits")]
    first, third = plan.sections
    assert first.key_points.keep_with == "tail"  # kept with the last lines of its paragraph
    assert third.key_points.keep_with == "tail"  # no body: kept with the heading


def test_key_points_after_a_table_are_kept_with_the_whole_block(project: Path) -> None:
    (project / "o.yaml").write_text(VALID.replace("      - A paragraph.\n",
                                                  "      - table: {header: [A, B], rows: [[1, 2]]}\n"))
    loaded = load_outline(project / "o.yaml")
    (section,) = plan_brief(loaded.document, loaded.theme).sections
    assert section.key_points.keep_with == "block"


def test_the_credit_line_names_the_publisher_and_the_licence(project: Path) -> None:
    outline = VALID + "source:\n  publication: Example Institute\n  url: https://example.org/a\n  title: The article\n"
    (project / "o.yaml").write_text(outline)
    loaded = load_outline(project / "o.yaml")
    end = plan_brief(loaded.document, loaded.theme).end
    assert plain(end.source) == "First published as The article by Example Institute, https://example.org/a."
    assert [s.href for s in end.source if s.href] == ["https://example.org/a"] * 2
    assert plain(end.licence) == ("This brief is published under the Creative Commons Attribution 4.0 International "
                                  "licence (CC BY 4.0).")


def test_the_theme_image_dpi_decides_how_finely_figures_are_embedded(project: Path) -> None:
    shutil.copy(REPO / "assets" / "example-chart.png", project / "assets" / "chart.png")
    figure = "      - figure: {image: assets/chart.png, alt: A chart, caption: The chart}\n"
    (project / "o.yaml").write_text(VALID.replace("      - A paragraph.\n", figure))
    sizes = {}
    for dpi in (72, 300):
        (project / f"t{dpi}.yaml").write_text(f"name: t{dpi}\nextends: policy\nbrief:\n  image_dpi: {dpi}\n")
        loaded = load_outline(project / "o.yaml", theme=f"t{dpi}.yaml")
        assert plan_brief(loaded.document, loaded.theme).image_dpi == dpi
        (built,) = build(loaded, f"o{dpi}", ["pdf"], project / "out")
        sizes[dpi] = built.size
    assert sizes[72] < sizes[300]


def test_the_theme_deck_image_dpi_decides_the_pixels_of_a_slide_picture(project: Path) -> None:
    from pptx import Presentation

    shutil.copy(REPO / "assets" / "example-chart.png", project / "assets" / "chart.png")
    figure = "      - figure: {image: assets/chart.png, alt: A chart, caption: The chart}\n"
    (project / "o.yaml").write_text(VALID.replace("      - A paragraph.\n", figure))
    widths = {}
    for dpi in (72, 144):
        (project / f"d{dpi}.yaml").write_text(f"name: d{dpi}\nextends: policy\ndeck:\n  image_dpi: {dpi}\n")
        loaded = load_outline(project / "o.yaml", theme=f"d{dpi}.yaml")
        assert plan_deck(loaded.document, loaded.theme).look.image_dpi == dpi
        build(loaded, f"d{dpi}", ["pptx"], project / "out")
        deck = Presentation(str(project / "out" / f"d{dpi}.pptx"))
        (picture,) = [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13]
        widths[dpi] = (picture.image.size[0], picture.width.inches)
    # the pixels follow the dpi: as many per inch of the placed width as the theme asks, at most
    assert widths[72][1] == widths[144][1]
    assert widths[72][0] <= round(72 * widths[72][1]) + 1
    assert widths[144][0] > widths[72][0]


def test_a_missing_figure_image_in_a_draft_is_a_placeholder_box_in_both_plans(project: Path) -> None:
    from reportgen.plan.slides import Frame, Rect

    (project / "o.yaml").write_text(VALID.replace("      - A paragraph.\n", "      - A paragraph.\n      - figure: "
                                                  "{image: assets/gone.png, alt: A chart., caption: Trips}\n"))
    loaded = load_outline(project / "o.yaml", draft=True, theme="lecture")  # lecture: every slide dark
    figure = next(b for s in plan_brief(loaded.document, loaded.theme).sections for b in s.blocks
                  if isinstance(b, blocks.Figure))
    assert (figure.image, figure.missing, figure.height) == (None, "gone.png", figure.width / 3) and figure.width > 300
    slide = next(s for s in plan_deck(loaded.document, loaded.theme).slides if s.kind == "figure")
    box, text = slide.shapes[:2]
    assert isinstance(box, Rect) and box.fill == "tint" and box.box.w > 600
    assert isinstance(text, Frame) and [plain(p.spans) for p in text.paras] == ["Image not found: gone.png", "A chart."]
    assert not slide.dark  # the box's text is set for a light slide
    assert any(s.dark for s in plan_deck(loaded.document, loaded.theme).slides if s.kind in ("bullets", "statement"))


def test_box_bullets_stand_out_on_their_box_by_three_to_one() -> None:
    """Lecture's amber accent is 1.6:1 on its pale-yellow tint: its bullets take the primary colour."""
    from reportgen.read.themes import load_theme
    from reportgen.theme import contrast

    for name in ("policy", "lecture"):
        theme = load_theme(name, Path.cwd())
        look = plan_brief(load_outline(Path("outlines/example.yaml")).document, theme).look
        assert contrast(look.bullet_colour, look.colour("tint")) >= 3, name
    assert look.bullet_colour == look.colour("primary")
