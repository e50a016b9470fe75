"""A chart's data that cannot be drawn (issue 21): each mistake gives exit 2 and one line,
``FILE:LINE:COL: key.path: message``, at the value (or, for a CSV file's cell, in the file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run

HEAD = """\
title: T
date: 2025-06-01
summary: S.
authors: [{name: A}]
licence: {id: CC-BY-4.0}
sections:
  - heading: H
    body:
      - chart:
          title: Spending
"""
CSV = "Year,Germany,Poland\n2022,55.8,16.6\n2023,n/a,31.6\n"
KEY = "sections[0].body[0].chart"

CASES = {
    "series length": (
        "          categories: [a, b, c]\n          series:\n            - {name: x, values: [1, 2, 3]}\n"
        "            - {name: y, values: [1, 2]}\n",
        f"o.yaml:14:33: {KEY}.series[1].values: series 'y' has 2 values; there are 3 categories",
    ),
    "non-numeric value": (
        "          categories: [a, b]\n          series: [{name: x, values: [1, 12.5%]}]\n",
        f"o.yaml:12:42: {KEY}.series[0].values[1]: expected a number, got '12.5%' (write numbers without units or "
        "thousands separators: 12500.5)",
    ),
    "empty series": (
        "          categories: [a, b]\n          series: [{name: x, values: []}]\n",
        f"o.yaml:12:38: {KEY}.series[0].values: must not be empty",
    ),
    "negative in a pie": (
        "          type: pie\n          categories: [a, b]\n          series: [{name: x, values: [3, -1]}]\n",
        f"o.yaml:13:42: {KEY}.series[0].values[1]: a pie cannot show a negative value (-1); use a bar or column chart",
    ),
    "missing CSV column, with did-you-mean": (
        "          data: {file: assets/d.csv, categories: Year, series: [Germny]}\n",
        f"o.yaml:11:65: {KEY}.data.series[0]: assets/d.csv has no column 'Germny' (did you mean 'Germany'?)",
    ),
    "scatter: an x value that is not a number": (
        "          type: scatter\n          categories: [1, two, 3]\n          series: [{name: x, values: [1, 2, 3]}]\n",
        f"o.yaml:12:27: {KEY}.categories[1]: a scatter chart's x values are numbers: 'two' is not (write numbers "
        "without units or thousands separators: 12500.5)",
    ),
    "scatter: lengths differ": (
        "          type: scatter\n          categories: [1, 2, 3]\n          series: [{name: x, values: [1, 2]}]\n",
        f"o.yaml:13:38: {KEY}.series[0].values: series 'x' has 2 values; there are 3 x values",
    ),
    "scatter: an x value in the CSV file that is not a number": (
        "          type: scatter\n          data: {file: assets/x.csv, categories: Year}\n",
        f"assets/x.csv:3:1: {KEY}.data: column 'Year': a scatter chart's x values are numbers: 'late' is not (write "
        "numbers without units or thousands separators: 12500.5)",
    ),
    "x_unit on a chart that is not a scatter": (
        "          x_unit: GDP\n          categories: [a, b]\n          series: [{name: x, values: [1, 2]}]\n",
        f"o.yaml:11:19: {KEY}.x_unit: x_unit titles a scatter chart's x axis; a column chart has none",
    ),
    "negative in a pie, from a CSV file: at its cell": (
        "          type: pie\n          data: {file: assets/x.csv, categories: Year, series: [Poland]}\n",
        f"assets/x.csv:4:8: {KEY}.data: column 'Poland': a pie cannot show a negative value (-1); use a bar or column chart",
    ),
    "non-numeric CSV cell": (
        "          data: {file: assets/d.csv, categories: Year}\n",
        f"assets/d.csv:3:6: {KEY}.data: column 'Germany': 'n/a' is not a number (write numbers without units or "
        "thousands separators: 12500.5)",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_chart_that_cannot_be_drawn_gets_one_precise_line(case: str, project: Path) -> None:
    lines, expected = CASES[case]
    (project / "assets" / "d.csv").write_text(CSV, encoding="utf-8")
    (project / "assets" / "x.csv").write_text("Year,Germany,Poland\n2022,55.8,16.6\nlate,66.8,31.6\n2024,1,-1\n",
                                              encoding="utf-8")
    (project / "o.yaml").write_text(HEAD + lines, encoding="utf-8")
    for command in ("validate", "build"):
        result = run(command, "o.yaml", "--out", str(project / "out"), cwd=project) if command == "build" else \
            run(command, "o.yaml", cwd=project)
        assert result.code == 2, result.err
        assert result.err.rstrip("\n") == expected
        assert "Traceback" not in result.err


def test_a_chart_whose_numbers_fit_validates(project: Path) -> None:
    (project / "assets" / "d.csv").write_text(CSV.replace("n/a", "66.8"), encoding="utf-8")
    (project / "o.yaml").write_text(HEAD + "          data: {file: assets/d.csv, categories: Year}\n", encoding="utf-8")
    (project / "two.yaml").write_text(HEAD + "          data: {file: assets/d.csv, categories: Year}\n"
                                      "      - chart: {title: Again, data: {file: assets/d.csv, categories: Year}}\n",
                                      encoding="utf-8")
    result = run("validate", "o.yaml", cwd=project)
    assert result.code == 0, result.err
    assert result.out == "o.yaml: valid: 1 section, 0 paragraphs, 0 words, 0 figures, 1 chart\n"
    assert run("validate", "two.yaml", cwd=project).out.endswith(", 0 figures, 2 charts\n")
