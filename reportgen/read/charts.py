"""Charts' data: a CSV file read into its chart (the standard library's ``csv``), and every
chart's numbers checked against its categories, each problem at the place it is written.

A chart that names a CSV file (``data: {file: assets/x.csv, categories: Year, series: [...]}``)
gets its categories and series from the file here, after the outline is validated: a column
that is not in the file is an error at its name in the outline (with "did you mean"), a cell
that is not a number an error at its line and column in the CSV file. Then
:func:`reportgen.model.chart_problems` says what is wrong with any chart's numbers (a series
of the wrong length, a negative value in a pie, a scatter's x value that is not a number), and
each problem is placed at the value: in the outline, or at its cell in the CSV file.
"""

from __future__ import annotations

import csv
import difflib
import io
from pathlib import Path

from reportgen.errors import Problem, key_path
from reportgen.model import Chart, Document, Series, chart_problems, number_of

MAX_CSV_BYTES = 1 << 20
"""A chart's CSV file is read no further than 1 MiB: a chart of more data could not be read."""


def with_chart_data(document: Document, positions: dict, root: Path) -> tuple[Document, list[Problem]]:
    """``document`` with each chart's CSV data read into it, and every problem of every chart."""
    problems: list[Problem] = []
    sections = list(document.sections)
    for s_index, section in enumerate(sections):
        body = list(section.body)
        for b_index, block in enumerate(body):
            if not isinstance(block, Chart):
                continue
            key: tuple[str | int, ...] = ("sections", s_index, "body", b_index, "chart")
            cells: dict[tuple[str | int, ...], tuple[int, int, str]] = {}
            if block.data is not None:
                block, found, cells = _read(block, key, positions, root)
                problems += found
                if found:
                    continue
                body[b_index] = block
            for under, message in chart_problems(block):
                if under in cells and block.data is not None:  # a value read from the CSV file: at its cell there
                    line, column, name = cells[under]
                    problems.append(Problem(_shown(block.data.file, root), line, column, key_path((*key, "data")),
                                            f"column '{name}': {message}"))
                else:
                    problems.append(_at(positions, (*key, *under), message))
        sections[s_index] = section.replace(body=tuple(body))
    return document.replace(sections=tuple(sections)), problems


def _at(positions: dict, key: tuple, message: str) -> Problem:
    """The problem at ``key``, or at the nearest enclosing value written (a chart read from a
    CSV file has no place for its series in the outline: its ``data`` is that place)."""
    where = None
    for end in range(len(key), 0, -1):
        where = positions.get(key[:end])
        if where is not None:
            break
    file, line, column = where or ("?", None, None)
    return Problem(file, line, column, key_path(key), message)


def _shown(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


Cells = dict[tuple[str | int, ...], tuple[int, int, str]]
"""Where a chart's values read from a CSV file are: the key under the chart (``("categories", 3)``,
``("series", 0, "values", 3)``) → (line, column, the column's header)."""


def _read(chart: Chart, key: tuple, positions: dict, root: Path) -> tuple[Chart, list[Problem], Cells]:
    """The chart with its categories and series from its CSV file, or the problems found; and
    where in the file each value was."""
    assert chart.data is not None
    data = chart.data
    shown = _shown(data.file, root)
    data_key = (*key, "data")
    try:
        with data.file.open("rb") as handle:
            raw = handle.read(MAX_CSV_BYTES + 1)
    except OSError as err:
        return chart, [_at(positions, (*data_key, "file"), f"cannot read {shown}: {err.strerror}")], {}
    if len(raw) > MAX_CSV_BYTES:
        return chart, [_at(positions, (*data_key, "file"), f"{shown} is larger than 1 MiB, more than a chart can show")], {}
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return chart, [_at(positions, (*data_key, "file"), f"{shown} is not UTF-8 text (byte {err.start + 1}); "
                                                          "save it as UTF-8 CSV")], {}
    rows = [(number, row) for number, row in _rows(text) if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        return chart, [_at(positions, (*data_key, "file"), f"{shown} needs a header row and at least one row of data")], {}
    (_, header), body = rows[0], rows[1:]
    names = [name.strip() for name in header]
    problems: list[Problem] = []

    def column(name: str, where: tuple) -> int | None:
        if name in names:
            return names.index(name)
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (its columns: {', '.join(names)})"
        problems.append(_at(positions, where, f"{shown} has no column '{name}'{hint}"))
        return None

    category_column = column(data.categories, (*data_key, "categories"))
    if data.series:
        series_columns = [column(name, (*data_key, "series", i)) for i, name in enumerate(data.series)]
    else:
        series_columns = [i for i, name in enumerate(names) if i != category_column]
        if not series_columns:
            problems.append(_at(positions, (*data_key, "file"), f"{shown} has no column of values besides '{data.categories}'"))
    if problems or category_column is None:
        return chart, problems, {}
    categories = []
    values: list[list[float]] = [[] for _ in series_columns]
    places: Cells = {}
    for row_index, (line, row) in enumerate(body):
        cells = row + [""] * (len(names) - len(row))
        categories.append(cells[category_column].strip())
        places[("categories", row_index)] = (line, _column_of(text, line, category_column), names[category_column])
        for index, at in enumerate(series_columns):
            assert at is not None
            places[("series", index, "values", row_index)] = (line, _column_of(text, line, at), names[at])
            cell = cells[at].strip()
            number = number_of(cell)
            if number is None:
                what = "an empty cell" if not cell else f"'{cell}'"
                problems.append(Problem(shown, line, _column_of(text, line, at), key_path(data_key),
                                        f"column '{names[at]}': {what} is not a number (write numbers without units or "
                                        "thousands separators: 12500.5)"))
            else:
                values[index].append(number)
    if problems:
        return chart, problems, {}
    series = tuple(Series(name=names[at], values=tuple(found)) for at, found in zip(series_columns, values)
                   if at is not None)
    return chart.replace(categories=tuple(categories), series=series), [], places


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """Each CSV row with the line it starts on (1-based)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out = []
    start = 1
    for row in reader:
        out.append((start, row))
        start = reader.line_num + 1
    return out


def _column_of(text: str, line: int, field: int) -> int:
    """The 1-based column where field ``field`` of line ``line`` starts (1 when the line quotes)."""
    lines = text.splitlines()
    if not 0 < line <= len(lines) or '"' in lines[line - 1]:
        return 1
    cells = lines[line - 1].split(",")
    return 1 + sum(len(cell) + 1 for cell in cells[:field])
