"""The deck's layout chooser (issue 20), one small outline per rule: which design each section's
content gets, read off the plan (slide kinds, shapes, sizes, boxes), never the renderer."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from reportgen.plan.deck import plan_deck
from reportgen.plan.slides import DeckPlan, Footer, Frame, Picture, Rect, Slide, TableShape
from reportgen.read.loader import load_outline
from reportgen.render.pptx_template import template_layouts
from tests.conftest import REPO, VALID

HEAD = VALID[:VALID.index("sections:\n") + len("sections:\n")]
"""conftest's valid outline up to its sections: each test adds its own."""
POINTS = """\
    key_points:
      - "The first point of this section, long enough to read as a point"
      - "The second point of this section, also of a fair length"
      - "The third point, which closes the list"
"""


def plan(project: Path, sections: str, theme: str | None = None, template: str | None = None) -> DeckPlan:
    (project / "o.yaml").write_text(HEAD + sections, encoding="utf-8")
    loaded = load_outline(project / "o.yaml", theme=theme, pptx_template=template)
    if template:
        chosen, layouts = template_layouts(loaded)
        return plan_deck(loaded.document, loaded.theme, template=chosen, layouts=layouts)
    return plan_deck(loaded.document, loaded.theme)


def kinds(deck: DeckPlan) -> list[str]:
    return [slide.kind for slide in deck.slides]


def text(frame: Frame) -> str:
    return " ".join("".join(s.text for s in p.spans) for p in frame.paras)


def frames(slide: Slide, role: str | None = None) -> list[Frame]:
    return [s for s in slide.shapes if isinstance(s, Frame) and (role is None or s.role == role)]


FRAME = ["title", "agenda"]
END = ["author", "credits", "closing"]


# --- dividers ---------------------------------------------------------------------------------


def test_a_divider_opens_only_a_section_of_two_slides_or_more(project: Path) -> None:
    table = "    body:\n      - table: {header: [A, B], rows: [[x, '1'], [y, '2']]}\n"
    deck = plan(project, "  - heading: One\n" + POINTS + "  - heading: Two\n" + POINTS + table)
    assert kinds(deck) == [*FRAME, "bullets", "section", "bullets", "table", *END]
    divider = deck.slides[3]
    assert text(divider.title) == "Two" and divider.dark


@pytest.mark.parametrize(("policy", "expected"), [
    ("always", [*FRAME, "section", "bullets", "section", "bullets", "table", *END]),
    ("never", [*FRAME, "bullets", "bullets", "table", *END]),
])
def test_the_theme_asks_for_dividers_always_or_never(project: Path, policy: str, expected: list[str]) -> None:
    (project / "t.yaml").write_text(f"name: t\nextends: policy\ndeck:\n  dividers: {policy}\n", encoding="utf-8")
    table = "    body:\n      - table: {header: [A, B], rows: [[x, '1'], [y, '2']]}\n"
    deck = plan(project, "  - heading: One\n" + POINTS + "  - heading: Two\n" + POINTS + table, theme="t.yaml")
    assert kinds(deck) == expected


def test_a_section_of_prose_only_keeps_its_divider_which_speaks_its_notes(project: Path) -> None:
    deck = plan(project, "  - heading: One\n" + POINTS + "  - heading: Words\n    body:\n      - Only prose here.\n")
    assert kinds(deck) == [*FRAME, "bullets", "section", *END]
    assert "Only prose here." in deck.slides[3].notes


def test_without_a_divider_the_sections_prose_is_on_its_first_slide(project: Path) -> None:
    deck = plan(project, "  - heading: One\n" + POINTS + "    body:\n      - The spoken argument.\n")
    (bullets,) = [s for s in deck.slides if s.kind == "bullets"]
    assert bullets.notes == ("The spoken argument.",)


# --- statements: never a lone short bullet ------------------------------------------------------


def lone_short_bullets(deck: DeckPlan) -> list[str]:
    """Slides whose body is one bullet of under 12 words and nothing else."""
    found = []
    for slide in deck.slides:
        body = [s for s in slide.shapes if not isinstance(s, Footer)]
        if len(body) == 1 and isinstance(body[0], Frame) and len(body[0].paras) == 1 and body[0].paras[0].bullet:
            if len(text(body[0]).split()) < 12:
                found.append(text(slide.title))
    return found


def test_a_single_short_point_is_a_statement_slide_not_a_lone_bullet(project: Path) -> None:
    deck = plan(project, "  - heading: One\n" + POINTS + "  - heading: Alone\n    key_points: [Start with the lanes]\n")
    assert kinds(deck) == [*FRAME, "bullets", "statement", *END]
    statement = deck.slides[3]
    (words,) = frames(statement, "quote")
    assert text(words) == "Start with the lanes" and not words.paras[0].bullet
    (points,) = frames(deck.slides[2], "body")
    assert words.size > points.size  # set large
    assert words.box.y > 150 and words.box.y + words.box.h < deck.height - 90  # in the body area, centred
    assert lone_short_bullets(deck) == []


def test_a_continued_list_never_ends_on_one_short_bullet(project: Path) -> None:
    points = "    key_points:\n" + "".join(f"      - \"Short point number {n}\"\n" for n in range(1, 13))
    deck = plan(project, "  - heading: Many\n" + points + "  - heading: Next\n" + POINTS)
    bullets = [s for s in deck.slides if s.kind == "bullets"][:2]
    assert [len(frames(s, "body")[0].paras) for s in bullets] == [10, 2]  # 11 + 1 at the floor, evened
    assert lone_short_bullets(deck) == []


# --- two-content: key points beside a quote, a figure or a callout --------------------------------


def test_key_points_sit_beside_a_quote_when_both_fit_at_the_floor(project: Path) -> None:
    quote = "    body:\n      - quote: {text: A dagger pointed at the heart of Japan, by: Jakob Meckel}\n"
    deck = plan(project, "  - heading: One\n" + POINTS + quote)
    assert kinds(deck) == ["title", "two_content", *END]  # one section: no agenda
    slide = deck.slides[1]
    (points,) = frames(slide, "body")
    (words,) = frames(slide, "quote")
    (by,) = frames(slide, "caption")
    assert points.box.x + points.box.w < words.box.x  # side by side, points on the left
    assert min(points.size, words.size) >= 18
    assert text(by) == "— Jakob Meckel" and by.box.y > words.box.y
    assert any("Quotation from Jakob Meckel" in n for n in slide.notes)


def test_a_quote_too_long_to_sit_beside_the_points_gets_its_own_slide(project: Path) -> None:
    long = " ".join(["A quotation far too long to sit beside three points at the floor size."] * 20)
    deck = plan(project, "  - heading: One\n" + POINTS + f"    body:\n      - quote: {{text: \"{long}\"}}\n")
    assert kinds(deck)[1:4] == ["section", "bullets", "quote"] and "two_content" not in kinds(deck)


def test_key_points_sit_beside_a_figure_with_its_caption_and_credit(project: Path) -> None:
    Image.new("RGB", (1200, 800), (30, 60, 90)).save(project / "assets" / "chart.png")
    figure = ("    body:\n      - figure: {image: assets/chart.png, alt: A chart., caption: Trips per day, "
              "credit: The Lab, licence: CC BY 4.0}\n")
    deck = plan(project, "  - heading: One\n" + POINTS + figure)
    assert kinds(deck) == ["title", "two_content", *END]
    slide = deck.slides[1]
    (points,) = frames(slide, "body")
    (picture,) = [s for s in slide.shapes if isinstance(s, Picture)]
    (caption,) = frames(slide, "caption")
    assert points.box.x + points.box.w < picture.box.x
    assert abs(picture.box.w / picture.box.h - 1.5) < 0.01  # fitted, not stretched
    assert caption.box.y >= picture.box.y + picture.box.h
    assert text(caption).startswith("Trips per day.") and "The Lab" in text(caption) and "CC BY 4.0" in text(caption)


def test_a_callout_reaches_a_slide_beside_points_or_on_its_own(project: Path) -> None:
    callout = "      - callout: {title: Definition, text: A protected lane is separated from traffic by a kerb.}\n"
    deck = plan(project, "  - heading: One\n" + POINTS + "    body:\n" + callout
                + "  - heading: Aside\n    body:\n      - Some prose.\n" + callout)
    assert kinds(deck) == [*FRAME, "two_content", "callout", *END]
    beside, alone = deck.slides[2], deck.slides[3]
    assert [s.fill for s in beside.shapes if isinstance(s, Rect)] == ["tint", "accent"]
    assert [text(f) for f in frames(beside, "label")] == ["DEFINITION"]
    assert text(alone.title) == "Definition"
    assert "A protected lane is separated from traffic by a kerb." in [text(f) for f in frames(alone, "body")]
    assert any("A protected lane" in n for n in alone.notes) and "Some prose." in alone.notes


def test_on_a_dark_theme_a_callout_is_an_accent_bar_not_a_tinted_box(project: Path) -> None:
    callout = "    body:\n      - callout: A protected lane is separated from traffic by a kerb.\n"
    deck = plan(project, "  - heading: One\n" + POINTS + callout, theme="lecture")
    slide = deck.slides[1]
    assert slide.kind == "two_content" and slide.dark
    assert [s.fill for s in slide.shapes if isinstance(s, Rect)] == ["accent"]


# --- tables -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("theme", "largest"), [("policy", 28.0), ("lecture", 32.0)])
def test_a_short_table_is_set_large_and_fills_the_body(project: Path, theme: str, largest: float) -> None:
    table = "    body:\n      - table: {header: [Option, Cost], rows: [[Lanes, '12.0'], [Parking, '0.8'], [Vouchers, '0.3']]}\n"
    deck = plan(project, "  - heading: One\n" + POINTS + table, theme=theme)
    (shape,) = [s for slide in deck.slides for s in slide.shapes if isinstance(s, TableShape)]
    assert shape.size == largest
    assert sum(shape.row_heights) > 3.5 * 1.2 * largest * 1.25  # rows grown beyond their text


@pytest.mark.parametrize(("theme", "floor"), [("policy", 18.0), ("lecture", 24.0)])
def test_a_long_table_continues_at_the_floor_with_its_rows_evened_out(project: Path, theme: str, floor: float) -> None:
    rows = "".join(f"          - [Row {n}, Value {n}]\n" for n in range(1, 31))
    table = f"    body:\n      - table:\n          header: [Name, Amount]\n          rows:\n{rows}"
    deck = plan(project, "  - heading: One\n" + POINTS + table, theme=theme)
    tables = [s for slide in deck.slides for s in slide.shapes if isinstance(s, TableShape)]
    assert len(tables) > 1 and all(t.size == floor for t in tables)
    counts = [len(t.rows) - 1 for t in tables]
    assert sum(counts) == 30 and max(counts) - min(counts) <= 1
    assert all(t.box.y + t.box.h <= deck.height - 44 for t in tables)
    titles = [text(s.title) for s in deck.slides if s.kind == "table"]
    assert all(t.endswith("(cont.)") for t in titles[1:])


# --- the agenda -------------------------------------------------------------------------------


def test_the_agenda_links_each_entry_to_its_sections_first_slide(project: Path) -> None:
    table = "    body:\n      - table: {header: [A, B], rows: [[x, '1'], [y, '2']]}\n"
    deck = plan(project, "  - heading: One\n" + POINTS + "  - heading: Two\n" + POINTS + table
                + "  - heading: Three\n    key_points: [Last]\n")
    (agenda,) = [s for s in deck.slides if s.kind == "agenda"]
    (entries,) = frames(agenda, "body")
    targets = [{span.slide for span in p.spans} for p in entries.paras]
    assert targets == [{2}, {3}, {6}]
    assert [deck.slides[i].kind for (i,) in targets] == ["bullets", "section", "statement"]
    assert not agenda.dark


# --- an institution template: the same decisions, in its layouts ------------------------------


def test_with_a_template_the_points_of_a_two_content_slide_fill_the_left_of_its_body_placeholder(project: Path) -> None:
    (project / "assets" / "university.pptx").write_bytes((REPO / "assets" / "university.pptx").read_bytes())
    quote = "    body:\n      - quote: {text: A dagger pointed at the heart of Japan, by: Jakob Meckel}\n"
    deck = plan(project, "  - heading: One\n" + POINTS + quote + "  - heading: Alone\n    key_points: [Start here]\n",
                template="assets/university.pptx")
    assert kinds(deck) == [*FRAME, "two_content", "statement", *END]
    two = deck.slides[2]
    (points,) = [f for f in frames(two, "body") if f.placeholder is not None]
    (words,) = frames(two, "quote")
    assert points.placeholder == 1 and words.placeholder is None  # the quote is drawn beside the placeholder
    assert points.box.x + points.box.w < words.box.x <= 720
    (statement,) = frames(deck.slides[3], "quote")
    assert statement.placeholder == 1


@pytest.mark.parametrize("template", [None, "assets/university.pptx"])
def test_the_cover_image_is_on_the_title_slide_with_its_credit(project: Path, template: str | None) -> None:
    (project / "assets" / "university.pptx").write_bytes((REPO / "assets" / "university.pptx").read_bytes())
    Image.new("RGB", (1600, 900), (30, 60, 90)).save(project / "assets" / "photo.jpg")
    cover = ("cover: {image: assets/photo.jpg, alt: A blue photo., caption: Summit, credit: A. Photographer, "
             "licence: CC BY 4.0}\n")
    (project / "o.yaml").write_text(cover + HEAD + "  - heading: One\n" + POINTS, encoding="utf-8")
    loaded = load_outline(project / "o.yaml", pptx_template=template)
    if template:
        chosen, layouts = template_layouts(loaded)
        deck = plan_deck(loaded.document, loaded.theme, template=chosen, layouts=layouts)
    else:
        deck = plan_deck(loaded.document, loaded.theme)
    title = deck.slides[0]
    (picture,) = [s for s in title.shapes if isinstance(s, Picture)]
    assert picture.alt == "A blue photo." and abs(picture.box.w / picture.box.h - 16 / 9) < 0.01
    assert title.title.box.x + title.title.box.w < picture.box.x  # the title beside the picture, not under it
    (credit,) = [f for f in frames(title, "caption")]
    assert text(credit).startswith("Cover photo: Summit.") and "A. Photographer" in text(credit)
    assert credit.box.y >= picture.box.y + picture.box.h
