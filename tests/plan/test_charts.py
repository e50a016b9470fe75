"""Charts (issue 21) as the plans decide them: numbers written for the outline's language, alt
text from the data, the brief's geometry, the deck's chart slide, the credits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reportgen import model
from reportgen.plan import blocks
from reportgen.plan.brief import plan_brief
from reportgen.plan.chart import BriefChart, brief_chart, nice_axis, text_width
from reportgen.plan.language import format_number
from reportgen.plan.deck import plan_deck
from reportgen.plan.shared import plain, used_credits
from reportgen.plan.slides import ChartShape
from reportgen.read.loader import load_outline
from tests.conftest import REPO

EXAMPLE = REPO / "outlines" / "example.yaml"
SPENDING = {"title": "Spending", "unit": "US$ billion", "categories": ["Germany", "France", "Japan"],
            "series": [{"name": "2024", "values": [88.5, 64.7, 55.3]}]}


def chart(**changes) -> model.Chart:
    return model.Chart.validate(SPENDING | changes)


@pytest.mark.parametrize(("language", "written"), [
    ("en-GB", "12,500.5"), ("en", "12,500.5"), ("de-DE", "12.500,5"), ("de", "12.500,5"), ("fr-FR", "12\u202f500,5"),
    ("de-CH", "12'500.5"), ("xx", "12,500.5"),
])
def test_numbers_are_written_as_the_language_writes_them(language: str, written: str) -> None:
    assert format_number(12500.5, 1, language) == written
    assert format_number(-12500.5, 1, language) == "-" + written
    assert format_number(-0.04, 1, language) == "0" + ("," if written[-2] == "," else ".") + "0"


def test_a_chart_has_as_many_decimals_as_its_data_unless_told() -> None:
    assert blocks.chart_spec(chart(), "en-GB").series[0].labels == ("88.5", "64.7", "55.3")
    assert blocks.chart_spec(chart(decimals=2), "de-DE").series[0].labels == ("88,50", "64,70", "55,30")
    assert blocks.chart_spec(chart(decimals=2), "de-DE").number_format == "#,##0.00"
    whole = chart(series=[{"name": "n", "values": [12500, 3, 4]}])
    assert blocks.chart_spec(whole, "en-GB").series[0].labels == ("12,500", "3", "4")


def test_the_value_axis_is_round_and_holds_every_value() -> None:
    axis = nice_axis(0, 88.5, 1, "en-GB")
    assert (axis.low, axis.high, axis.step) == (0, 100, 20)
    assert [label for _, label in axis.ticks] == ["0", "20", "40", "60", "80", "100"]
    below = nice_axis(-64.7, 12500.5, 1, "de-DE")
    assert below.low <= -64.7 and below.high >= 12500.5 and below.ticks[-1][1] == "15.000"


def test_generated_alt_text_names_the_kind_title_unit_and_every_category_and_value() -> None:
    spec = blocks.chart_spec(chart(), "en-GB")
    assert spec.alt == "Column chart, Spending, US$ billion: Germany 88.5; France 64.7; Japan 55.3."
    two = blocks.chart_spec(chart(type="line", series=[{"name": "A", "values": [1, 2, 3]},
                                                      {"name": "B", "values": [4, 5, 6]}]), "de-DE")
    assert two.alt == "Line chart, Spending, US$ billion: A: Germany 1, France 2, Japan 3; B: Germany 4, France 5, Japan 6."


def test_an_outline_given_alt_text_wins() -> None:
    assert blocks.chart_spec(chart(alt="Germany spends most."), "en-GB").alt == "Germany spends most."


def test_the_notes_sentence_reads_the_data_out_and_the_source() -> None:
    spec = blocks.chart_spec(chart(source="SIPRI", source_url="https://www.sipri.org/"), "en-GB")
    assert spec.notes == ("The chart shows Spending, in US$ billion. Germany: 88.5; France: 64.7; Japan: 55.3. "
                          "Source: SIPRI, https://www.sipri.org/.")
    assert plain(spec.source or ()) == "Source: SIPRI, https://www.sipri.org/."


def _inside(brief: BriefChart) -> None:
    for mark in brief.marks:
        if mark.shape == "rect":
            x, y, w, h = mark.points
            assert -1e-6 <= x and x + w <= brief.width + 1e-6 and -1e-6 <= y and y + h <= brief.height + 1e-6, mark
    for label in brief.labels:
        assert 0 <= label.y <= brief.height and -1e-6 <= label.x <= brief.width + 1e-6, label


@pytest.mark.parametrize("kind", ["column", "bar", "line", "stacked_column", "pie"])
def test_the_brief_chart_fills_the_column_and_stays_in_its_box(kind: str) -> None:
    brief = blocks.brief_block(chart(type=kind), 400.0)
    assert isinstance(brief, blocks.Chart) and brief.role == "Figure"
    assert brief.width == 400.0 and brief.height == pytest.approx(400 * 0.56)
    assert blocks.brief_block(chart(type=kind), 600.0).height == 250.0  # never taller than MAX_HEIGHT
    _inside(brief)


def test_column_heights_are_proportional_to_the_values_from_the_zero_line() -> None:
    brief = blocks.brief_block(chart(), 450.0)
    assert isinstance(brief, blocks.Chart)
    bars = [m.points for m in brief.marks if m.shape == "rect"]
    assert len(bars) == 3
    assert len({round(y, 6) for _, y, _, _ in bars}) == 1  # all stand on the zero line
    heights = [h for _, _, _, h in bars]
    assert heights[0] / heights[1] == pytest.approx(88.5 / 64.7) and heights[1] / heights[2] == pytest.approx(64.7 / 55.3)
    assert [x for x, _, _, _ in bars] == sorted(x for x, _, _, _ in bars)  # in the categories' order
    assert brief.value_labels and {"88.5", "64.7", "55.3", "Germany", "France", "Japan", "US$ billion"} <= {
        label.text for label in brief.labels}


def test_a_legend_only_for_several_series_and_value_labels_only_where_they_fit() -> None:
    one = blocks.brief_block(chart(), 450.0)
    two = blocks.brief_block(chart(series=[{"name": "2023", "values": [66.8, 61.3, 50.2]},
                                            {"name": "2024", "values": [88.5, 64.7, 55.3]}]), 450.0)
    assert isinstance(one, blocks.Chart) and isinstance(two, blocks.Chart)
    assert "2024" not in {label.text for label in one.labels}
    assert {"2023", "2024"} <= {label.text for label in two.labels}
    crowded = chart(categories=[f"C{i}" for i in range(30)], series=[{"name": "n", "values": [12345.6] * 30}])
    dense = blocks.brief_block(crowded, 450.0)
    assert isinstance(dense, blocks.Chart) and not dense.value_labels
    assert "12,345.6" not in {label.text for label in dense.labels}


def test_bars_run_from_the_zero_line_either_way_and_pie_wedges_make_a_circle() -> None:
    bars = blocks.brief_block(chart(type="bar", series=[{"name": "n", "values": [10, -5, 20]}]), 450.0)
    assert isinstance(bars, blocks.Chart)
    rects = [m.points for m in bars.marks if m.shape == "rect"]
    zero = rects[0][0]
    assert rects[1][0] + rects[1][2] == pytest.approx(zero)  # the negative bar ends at zero
    assert rects[2][2] == pytest.approx(2 * rects[0][2])
    assert rects[0][1] > rects[1][1] > rects[2][1]  # the first category on top
    pie = brief_chart(blocks.chart_spec(chart(type="pie"), "en-GB"), 450.0)
    sweeps = [m.points[4] - m.points[3] for m in pie.marks if m.shape == "wedge"]
    assert sum(sweeps) == pytest.approx(360) and sweeps[0] == pytest.approx(360 * 88.5 / (88.5 + 64.7 + 55.3))


def test_the_example_chart_is_in_both_plans_and_in_the_credits() -> None:
    loaded = load_outline(EXAMPLE)
    charts = [b for s in loaded.document.sections for b in s.body if isinstance(b, model.Chart)]
    assert len(charts) == 1
    brief = plan_brief(loaded.document, loaded.theme)
    planned = [b for s in brief.sections for b in s.blocks if isinstance(b, blocks.Chart)]
    assert [b.spec.title for b in planned] == [charts[0].title]
    deck = plan_deck(loaded.document, loaded.theme)
    slides = [s for s in deck.slides if s.kind == "chart"]
    assert len(slides) == 1 and not slides[0].dark
    (shape,) = [s for s in slides[0].shapes if isinstance(s, ChartShape)]
    assert shape.spec.categories == charts[0].categories
    assert shape.spec.series[0].values == charts[0].series[0].values
    assert shape.box.y >= slides[0].title.box.y + slides[0].title.box.h
    assert slides[0].notes[0].startswith(f"The chart shows {charts[0].title}, in US$ billion. United States: 997.0;")
    subjects = [c.subject for c in used_credits(loaded.document)]
    assert f"Chart: {charts[0].title}" in subjects
    assert any(f"Chart: {charts[0].title}" in plain(c) for c in brief.end.credits)


def test_a_chart_reads_its_data_from_a_csv_file(project: Path) -> None:
    (project / "assets" / "d.csv").write_text("Year,Germany,Poland\n2022,55.8,16.6\n2023,66.8,31.6\n", encoding="utf-8")
    (project / "outlines" / "o.yaml").write_text(_OUTLINE, encoding="utf-8")
    loaded = load_outline(project / "outlines" / "o.yaml")
    (found,) = [b for s in loaded.document.sections for b in s.body if isinstance(b, model.Chart)]
    assert found.categories == ("2022", "2023")
    assert [(s.name, s.values) for s in found.series] == [("Germany", (55.8, 66.8)), ("Poland", (16.6, 31.6))]


_OUTLINE = """\
title: T
date: 2025-06-01
summary: S.
authors: [{name: A}]
licence: {id: CC-BY-4.0}
sections:
  - heading: H
    body:
      - chart: {title: Spending, data: {file: assets/d.csv, categories: Year}}
"""


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _text_box(label) -> tuple[float, float, float, float]:
    width = text_width(label.text, label.size)
    left = {"start": label.x, "middle": label.x - width / 2, "end": label.x - width}[label.anchor]
    return (left, label.y, width, label.size * 0.7)


@pytest.mark.parametrize(("kind", "values"), [
    ("column", [39.5, 59, 78.8, 19.7]), ("bar", [37, 57, 18.5, 76]), ("line", [37, 57, 18.5, 76]),
])
def test_a_value_label_sits_on_a_halo_that_hides_the_gridline_beneath_and_no_mark(kind: str, values: list[float]) -> None:
    brief = blocks.brief_block(chart(type=kind, categories=["A", "B", "C", "D"], series=[{"name": "n", "values": values}]),
                               450.0)
    assert isinstance(brief, blocks.Chart) and brief.value_labels
    written = set(brief.spec.series[0].labels)
    value_labels = [label for label in brief.labels if label.text in written]
    assert len(value_labels) == len(brief.halos) == 4
    gridlines = [r for r in brief.rules if r.colour == "rule"]
    through = 0
    for label, halo in zip(value_labels, brief.halos):
        x, y, w, h = box = _text_box(label)
        assert halo[0] <= x and x + w <= halo[0] + halo[2] and halo[1] <= y and y + h <= halo[1] + halo[3], label
        for rule in gridlines:  # a gridline through the number runs under its halo
            line = (min(rule.x1, rule.x2) - 0.2, min(rule.y1, rule.y2) - 0.2, abs(rule.x2 - rule.x1) + 0.4,
                    abs(rule.y2 - rule.y1) + 0.4)
            if _overlap(box, line):
                through += 1
        for mark in brief.marks:
            shape = mark.points[:4] if mark.shape == "rect" else (
                (mark.points[0] - mark.points[2], mark.points[1] - mark.points[2], 2 * mark.points[2], 2 * mark.points[2])
                if mark.shape == "dot" else None)
            assert shape is None or not _overlap(halo, shape), (label, mark)
    assert through > 0  # (the data puts numbers across gridlines)


def test_a_line_writes_a_dips_value_beneath_it_away_from_the_line() -> None:
    brief = blocks.brief_block(chart(type="line", categories=["A", "B", "C", "D"],
                                     series=[{"name": "n", "values": [37, 57, 18.5, 76]}]), 450.0)
    assert isinstance(brief, blocks.Chart)
    dots = [m.points for m in brief.marks if m.shape == "dot"]
    by_text = {label.text: label for label in brief.labels}
    assert by_text["18.5"].y < dots[2][1] - dots[2][2]  # C dips: beneath its point
    assert by_text["37.0"].y < dots[0][1]  # A: the line rises from it
    assert by_text["57.0"].y > dots[1][1] + dots[1][2] and by_text["76.0"].y > dots[3][1]


def test_a_stacked_columns_labels_are_inside_its_bars_without_halos() -> None:
    brief = blocks.brief_block(chart(type="stacked_column", series=[{"name": "a", "values": [40, 30, 20]},
                                                                    {"name": "b", "values": [40, 30, 20]}]), 450.0)
    assert isinstance(brief, blocks.Chart) and brief.value_labels and brief.halos == ()


SCATTER = {"type": "scatter", "title": "Spending against income", "unit": "% of GDP", "x_unit": "GDP per head",
           "categories": ["12.5", "48.3", "85.4", "33.1"],
           "series": [{"name": "2024", "values": [2.1, 1.5, 3.4, 1.9]}]}


def test_a_scatters_alt_text_and_notes_read_every_point_as_the_language_writes_it() -> None:
    spec = blocks.chart_spec(model.Chart.validate(SCATTER), "de-DE")
    assert spec.x_values == (12.5, 48.3, 85.4, 33.1) and spec.x_labels == ("12,5", "48,3", "85,4", "33,1")
    assert spec.alt == ("Scatter chart, Spending against income, y % of GDP, x GDP per head: (x 12,5, y 2,1); "
                        "(x 48,3, y 1,5); (x 85,4, y 3,4); (x 33,1, y 1,9).")
    assert spec.notes == ("The chart shows Spending against income, in % of GDP against GDP per head. (x 12,5, y 2,1); "
                          "(x 48,3, y 1,5); (x 85,4, y 3,4); (x 33,1, y 1,9).")
    two = blocks.chart_spec(model.Chart.validate(SCATTER | {"series": [{"name": "A", "values": [1, 2, 3, 4]},
                                                                       {"name": "B", "values": [5, 6, 7, 8]}]}), "en-GB")
    assert two.alt.endswith(": A: (x 12.5, y 1), (x 48.3, y 2), (x 85.4, y 3), (x 33.1, y 4); "
                            "B: (x 12.5, y 5), (x 48.3, y 6), (x 85.4, y 7), (x 33.1, y 8).")
    assert not charts_value_labels(spec)  # (no numbers at the points: the notes read them)


def charts_value_labels(spec) -> bool:
    from reportgen.plan.chart import deck_value_labels

    return deck_value_labels(spec, 800.0, 400.0)


def test_a_scatter_of_years_writes_them_as_years_without_a_thousands_separator() -> None:
    years = SCATTER | {"categories": ["2008", "2012", "2016", "2024"]}
    for language, thousands in (("en-GB", "12,500"), ("de-DE", "12.500")):
        spec = blocks.chart_spec(model.Chart.validate(years), language)
        assert spec.x_labels == ("2008", "2012", "2016", "2024") and spec.x_axis is not None
        assert [label for _, label in spec.x_axis.ticks] == [str(int(value)) for value, _ in spec.x_axis.ticks]
        assert "(x 2008, y 2" in spec.alt and not spec.x_axis.grouped
        texts = {label.text for label in brief_chart(spec, 450.0).labels}
        assert "2008" in texts or "2010" in texts
        assert not [text for text in texts if re.fullmatch(r"2[,.]\d{3}", text)]  # (no "2,010" on the axis)
        # (other numbers keep their separators, and so do x values that are not all whole years)
        assert blocks.chart_spec(model.Chart.validate(SCATTER | {"categories": ["12500", "14000"]}), language
                                 ).x_labels[0] == thousands
    assert blocks.chart_spec(model.Chart.validate(SCATTER | {"categories": ["2008", "2012.5"]}), "en-GB").x_axis.grouped


def test_a_scatter_places_each_point_at_its_x_and_y_on_axes_fitted_to_the_data() -> None:
    spec = blocks.chart_spec(model.Chart.validate(SCATTER | {"categories": ["110", "115", "130", "120"]}), "en-GB")
    assert spec.axis is not None and spec.x_axis is not None
    assert spec.axis.low == 1.5 and spec.axis.high >= 3.4  # neither axis starts at 0 unless the data does
    assert spec.x_axis.low == 110 and spec.x_axis.high == 130
    brief = brief_chart(spec, 450.0)
    _inside(brief)
    dots = [m.points for m in brief.marks if m.shape == "dot"]
    assert len(dots) == 4
    (x1, y1, _), (x2, y2, _), (x3, y3, _), (x4, y4, _) = dots
    assert (x2 - x1) / (x3 - x1) == pytest.approx(5 / 20) and (x4 - x1) / (x3 - x1) == pytest.approx(10 / 20)
    assert (y2 - y1) / (y3 - y1) == pytest.approx((1.5 - 2.1) / (3.4 - 2.1))
    texts = {label.text for label in brief.labels}
    assert {"GDP per head", "% of GDP", "110", "130", "1.5", "3.5"} <= texts
    assert not brief.value_labels and not ({"2.1", "3.4", "1.9"} & texts) and brief.halos == ()
    vertical = [r for r in brief.rules if r.x1 == r.x2]
    assert len(vertical) == len(spec.x_axis.ticks) and min(r.x1 for r in vertical) == pytest.approx(x1)  # a gridline at each x tick


def test_a_scatter_in_the_deck_is_a_chart_slide_of_its_own(project: Path) -> None:
    (project / "assets" / "p.csv").write_text("GDP per head,Spending\n12.5,2.1\n48.3,1.5\n", encoding="utf-8")
    (project / "outlines" / "o.yaml").write_text(_OUTLINE.replace(
        "{title: Spending, data: {file: assets/d.csv, categories: Year}}",
        "{type: scatter, title: Spending, data: {file: assets/p.csv, categories: GDP per head}}"), encoding="utf-8")
    loaded = load_outline(project / "outlines" / "o.yaml")
    (found,) = [b for s in loaded.document.sections for b in s.body if isinstance(b, model.Chart)]
    assert found.categories == ("12.5", "48.3")
    deck = plan_deck(loaded.document, loaded.theme)
    (shape,) = [s for slide in deck.slides if slide.kind == "chart" for s in slide.shapes if isinstance(s, ChartShape)]
    assert shape.spec.kind == "scatter" and shape.spec.x_values == (12.5, 48.3) and not shape.value_labels
    assert shape.spec.x_unit == "GDP per head" and "x GDP per head:" in shape.spec.alt  # (the x column's header)
