"""A chart as both outputs draw it, decided here once: its numbers as the outline's language
writes them, its value axis, colours, alt text and the sentence the deck's notes read out
(:class:`ChartSpec`); and for the brief, every bar, wedge, line and label placed
(:class:`BriefChart`), so the PDF renderer only draws what is planned.

Nothing here imports the model at run time (the deck's process reads these records without
the model or pydantic; see :mod:`reportgen.plan.slides`): :func:`chart_spec` takes a
:class:`reportgen.model.Chart`, the other functions plain values. Brief geometry is in points,
(0, 0) at the chart's bottom left, y upwards, as reportlab draws.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal, NamedTuple

from reportgen.plan import fit
from reportgen.plan.fit import Span
from reportgen.plan.language import format_number

if TYPE_CHECKING:
    from reportgen import model

Spans = tuple[Span, ...]

SERIES_COLOURS = ("primary", "accent", "muted", "link", "rule", "text")
"""The theme's colours a chart's series (a pie's slices) take, in order; they repeat after six."""

KIND_NAMES = {"column": "Column chart", "bar": "Bar chart", "line": "Line chart",
              "stacked_column": "Stacked column chart", "pie": "Pie chart", "scatter": "Scatter chart"}

Kind = Literal["column", "bar", "line", "stacked_column", "pie", "scatter"]


def excel_format(decimals: int, grouped: bool = True) -> str:
    """The number format of the deck's chart and its workbook (PowerPoint writes it with its
    reader's separators); not ``grouped``, without thousands separators (years)."""
    return ("#,##0" if grouped else "0") + ("." + "0" * decimals if decimals else "")


def decimals_of(values: list[float]) -> int:
    """As many decimals as the values are written with, 3 at most."""
    most = 0
    for value in values:
        text = repr(float(value))
        if "e" in text or "E" in text:
            return 3
        whole, _, fraction = text.partition(".")
        most = max(most, 0 if fraction == "0" else len(fraction))
    return min(most, 3)


class Axis(NamedTuple):
    """The value axis: from ``low`` to ``high`` in steps of ``step``, each tick labelled."""

    low: float
    high: float
    step: float
    ticks: tuple[tuple[float, str], ...]
    decimals: int = 0
    """The decimals of the tick labels (as many as the step needs)."""
    grouped: bool = True
    """Whether the tick labels have thousands separators (not on an axis of years)."""


def nice_axis(low: float, high: float, decimals: int, language: str, from_zero: bool = True,
              grouped: bool = True) -> Axis:
    """An axis from 0 (or below, for negative values) past ``high`` in about five round steps;
    not ``from_zero`` (a scatter's), from a round step at or below ``low``; not ``grouped``,
    its labels without thousands separators."""
    if from_zero:
        low, high = min(0.0, low), max(0.0, high)
    if high == low:
        high = low + 1
    raw = (high - low) / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    top = math.ceil(high / step - 1e-9) * step
    bottom = math.floor(low / step + 1e-9) * step
    count = round((top - bottom) / step)
    step_decimals = max(0, -math.floor(math.log10(step) + 1e-9)) + (1 if round(step / power, 1) == 2.5 else 0)
    shown = min(max(decimals, step_decimals), 6) if step < 1 else 0
    ticks = tuple((bottom + i * step, format_number(bottom + i * step, shown, language, grouped))
                  for i in range(count + 1))
    return Axis(bottom, top, step, ticks, shown, grouped)


class SeriesSpec(NamedTuple):
    name: str
    values: tuple[float, ...]
    labels: tuple[str, ...]
    """Each value as the outline's language writes it, with the chart's decimals."""
    colour: str
    """A theme colour's name (a :data:`SERIES_COLOURS`)."""


class ChartSpec(NamedTuple):
    """A chart's data and what both outputs show of it alike."""

    kind: Kind
    title: str
    categories: tuple[str, ...]
    """The categories as written (a scatter's x values as the outline writes them)."""
    series: tuple[SeriesSpec, ...]
    unit: str | None
    decimals: int
    number_format: str
    """An Excel number format (``#,##0.0``): the deck's chart and its workbook."""
    axis: Axis | None
    """None for a pie."""
    alt: str
    """The outline's alt text, else one generated from the data (:func:`generated_alt`)."""
    notes: str
    """The sentence that reads the data out, in the deck's speaker notes."""
    source: Spans | None
    """The credit line beneath the chart (who published the data, where, its licence)."""
    slice_colours: tuple[str, ...] = ()
    """A pie's slices' colours, one a category."""
    x_values: tuple[float, ...] = ()
    """A scatter's x values, one a category (empty for the other kinds)."""
    x_labels: tuple[str, ...] = ()
    """A scatter's x values as the outline's language writes them."""
    x_axis: Axis | None = None
    """A scatter's x axis (its y axis is ``axis``)."""
    x_unit: str | None = None
    """What a scatter's x values count: its x axis's title."""

    @property
    def legend(self) -> bool:
        """A legend when there is more than one series (a pie's: always, naming its slices)."""
        return len(self.series) > 1 or self.kind == "pie"


def read_out(categories: tuple[str, ...], series: tuple[SeriesSpec, ...], between: str = " ", points: bool = False) -> str:
    """Every value with its category, as the alt text and the notes read them: ``"<category>
    <value>; ..."`` (``between`` the two), or series by series when there are several
    (``"<name>: <category> <value>, ...; <name>: ..."``); a scatter's (``points``, its
    ``categories`` the x values written) point by point, ``"(x 1.5, y 20)"``."""
    def pair(category: str, value: str, inside: str) -> str:
        return f"(x {category}, y {value})" if points else f"{category}{inside}{value}"

    if len(series) == 1:
        return "; ".join(pair(c, v, between) for c, v in zip(categories, series[0].labels))
    return "; ".join(f"{s.name}: " + ", ".join(pair(c, v, " ") for c, v in zip(categories, s.labels)) for s in series)


def generated_alt(kind: Kind, title: str, unit: str | None, categories: tuple[str, ...],
                  series: tuple[SeriesSpec, ...], x_unit: str | None = None) -> str:
    """``"Column chart, <title>, <unit>: <category> <value>; ..."``: every category and value
    (series by series, each named, when there are several); a scatter's ``"Scatter chart,
    <title>, y <unit>, x <x unit>: (x <x>, y <y>); ..."``, every point (``categories``: its x
    values as the language writes them)."""
    if kind == "scatter":
        head = ", ".join(x for x in (KIND_NAMES[kind], title, unit and f"y {unit}", x_unit and f"x {x_unit}") if x)
    else:
        head = ", ".join(x for x in (KIND_NAMES[kind], title, unit) if x)
    return f"{head}: {read_out(categories, series, points=kind == 'scatter')}."


YEARS = (1000, 2999)
"""A scatter's x values that are all whole numbers in this range are years, written as years
are, without a thousands separator (``2010``, not ``2,010``), as charting tools that detect a
column of years do."""


def chart_spec(chart: model.Chart, language: str, source: Spans | None) -> ChartSpec:
    """The spec of a checked chart (see :func:`reportgen.model.chart_problems`), its numbers
    written for ``language``; ``source`` is its credit line."""
    values = [v for s in chart.series for v in s.values]
    decimals = chart.decimals if chart.decimals is not None else decimals_of(values)
    series = tuple(SeriesSpec(s.name, tuple(s.values), tuple(format_number(v, decimals, language) for v in s.values),
                              SERIES_COLOURS[i % len(SERIES_COLOURS)]) for i, s in enumerate(chart.series))
    axis = None
    if chart.type == "stacked_column":
        sums_up = [sum(max(s.values[i], 0) for s in series) for i in range(len(chart.categories))]
        sums_down = [sum(min(s.values[i], 0) for s in series) for i in range(len(chart.categories))]
        axis = nice_axis(min(sums_down), max(sums_up), decimals, language)
    elif chart.type != "pie":
        axis = nice_axis(min(values), max(values), decimals, language, from_zero=chart.type != "scatter")
    categories = tuple(chart.categories)
    scatter = chart.type == "scatter"
    x_values = tuple(float(c) for c in categories) if scatter else ()
    x_decimals = decimals_of(list(x_values))
    years = bool(x_values) and all(x.is_integer() and YEARS[0] <= x <= YEARS[1] for x in x_values)
    x_labels = tuple(format_number(x, x_decimals, language, grouped=not years) for x in x_values)
    x_axis = (nice_axis(min(x_values), max(x_values), x_decimals, language, from_zero=False, grouped=not years)
              if scatter else None)
    read = x_labels if scatter else categories
    x_unit = (chart.x_unit or (chart.data.categories if chart.data else None)) if scatter else None  # (a CSV's x header)
    alt = chart.alt or generated_alt(chart.type, chart.title, chart.unit, read, series, x_unit)
    in_unit = f", in {chart.unit}" if chart.unit else ""
    if x_unit:
        in_unit += f" against {x_unit}"
    said = "".join(span.text for span in source) if source else ""
    notes = (f"The chart shows {chart.title}{in_unit}. {read_out(read, series, ': ', points=scatter)}."
             + (f" {said}" if said else ""))
    slices = tuple(SERIES_COLOURS[i % len(SERIES_COLOURS)] for i in range(len(categories))) if chart.type == "pie" else ()
    return ChartSpec(chart.type, chart.title, categories, series, chart.unit, decimals, excel_format(decimals), axis,
                     alt, notes, source, slices, x_values, x_labels, x_axis, x_unit)


# --- the brief: every mark placed ----------------------------------------------------------


class Mark(NamedTuple):
    """A filled shape: ``rect`` (x, y, w, h), ``wedge`` (cx, cy, r, start, end: degrees,
    anticlockwise from 3 o'clock), ``dot`` (cx, cy, r), or ``line`` (x1, y1, x2, y2, ...: a
    polyline, stroked 1.8 pt wide)."""

    shape: Literal["rect", "wedge", "dot", "line"]
    points: tuple[float, ...]
    colour: str


class Rule(NamedTuple):
    """A stroked line: a gridline, the zero line, an axis."""

    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float


class Label(NamedTuple):
    """A text: its baseline starts at (x, y) (``start``), is centred on x (``middle``) or ends there (``end``)."""

    x: float
    y: float
    text: str
    size: float
    anchor: Literal["start", "middle", "end"]
    colour: str
    bold: bool = False


class BriefChart(NamedTuple):
    """A chart as the brief draws it: in a box ``width`` × ``height`` points, its title above
    and its source line beneath (as paragraphs), the rest as vector marks and labels."""

    spec: ChartSpec
    width: float
    height: float
    rules: tuple[Rule, ...]
    marks: tuple[Mark, ...]
    labels: tuple[Label, ...]
    value_labels: bool
    """Whether each value is written at its bar or point (only when every one fits)."""
    role: str = "Figure"
    halos: tuple[tuple[float, float, float, float], ...] = ()
    """Boxes (x, y, w, h) in the background colour behind the value labels written beside their
    bar or point, drawn over the gridlines and under the marks: a gridline never runs through a
    number, and no mark is hidden."""


TICK, VALUE, LEGEND = 7.5, 7.0, 7.5
"""Sizes of the brief's chart text: axis labels, value labels, the legend."""
MAX_HEIGHT = 250.0
"""Points: a chart in the brief is the column's width, 0.56 of it high, never taller than this."""
_SAFETY = 1.06
"""The brief's sans faces measured with Carlito's metrics, and this much wider to be safe."""


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` in the brief's chart face, at ``size`` points (a safe estimate)."""
    return fit.metrics("carlito").width(text, size, bold=bold) * _SAFETY


def _wrap(text: str, size: float, width: float, most: int = 2) -> list[str]:
    """``text`` in lines no wider than ``width``, at most ``most`` (the last may be wider)."""
    words, lines = text.split(), list[str]()
    for word in words:
        if lines and len(lines) <= most and text_width(lines[-1] + " " + word, size) <= width:
            lines[-1] += " " + word
        elif lines and len(lines) == most:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


HALO = 1.2
"""Points: how far a value label's halo reaches past its text."""


def _halo(label: Label) -> tuple[float, float, float, float]:
    """The box behind ``label``: its (safely estimated) width, from below the baseline to above
    the figures' height (value labels are numbers: no descenders)."""
    width = text_width(label.text, label.size, label.bold)
    left = {"start": label.x, "middle": label.x - width / 2, "end": label.x - width}[label.anchor]
    return (left - HALO, label.y - HALO, width + 2 * HALO, label.size * 0.72 + 2 * HALO)


def _lines(lines: list[str], x: float, first: float, step: float, anchor: Literal["start", "middle", "end"]) -> list[Label]:
    """A category's name in its lines (see :func:`_wrap`), the first's baseline at ``first``, each next ``step`` lower."""
    return [Label(x, first - number * step, line, TICK, anchor, "text") for number, line in enumerate(lines)]


def _legend(entries: list[tuple[str, str]], width: float, top: float) -> tuple[list[Mark], list[Label], float]:
    """Legend entries (swatch, name) in rows from ``top`` down, left to right; the marks, the
    labels and the height they take."""
    marks, labels = [], []
    x, y, row = 0.0, top - LEGEND, 0
    for name, colour in entries:
        need = 8 + 4 + text_width(name, LEGEND) + 14
        if x > 0 and x + need > width:
            x, y, row = 0.0, y - LEGEND * 1.6, row + 1
        marks.append(Mark("rect", (x, y - 0.5, 8, 8), colour))
        labels.append(Label(x + 12, y, name, LEGEND, "start", "text"))
        x += need
    return marks, labels, (row + 1) * LEGEND * 1.6 + 2


def brief_chart(spec: ChartSpec, column: float) -> BriefChart:
    """The chart placed in a text column ``column`` points wide."""
    width = column
    height = min(column * 0.56, MAX_HEIGHT)
    if spec.kind == "pie":
        return _pie(spec, width, height)
    marks: list[Mark] = []
    labels: list[Label] = []
    rules: list[Rule] = []
    top = height
    if spec.legend:
        legend_marks, legend_labels, used = _legend([(s.name, s.colour) for s in spec.series], width, top)
        marks += legend_marks
        labels += legend_labels
        top -= used + 4
    axis = spec.axis
    assert axis is not None
    if spec.unit:  # the value axis's title, above its labels
        labels.append(Label(0, top - TICK, spec.unit, TICK, "start", "muted"))
        top -= TICK * 1.8
    top -= VALUE * 1.4  # room for a value label above the tallest bar
    count = len(spec.categories)
    if spec.kind == "bar":
        return _bars(spec, width, height, top, marks, labels, rules)
    if spec.kind == "scatter":
        return _scatter(spec, width, height, top, marks, labels, rules)
    tick_width = max(text_width(label, TICK) for _, label in axis.ticks) + 6
    x0 = tick_width
    plot_width = width - x0
    slot = plot_width / count
    lines = [_wrap(c, TICK, slot - 4) for c in spec.categories]
    bottom = max(len(x) for x in lines) * TICK * 1.25 + 6
    plot_height = top - bottom
    span = axis.high - axis.low

    def y_of(value: float) -> float:
        return bottom + (value - axis.low) / span * plot_height

    for value, label in axis.ticks:
        y = y_of(value)
        rules.append(Rule(x0, y, width, y, "muted" if value == 0 else "rule", 0.8 if value == 0 else 0.4))
        labels.append(Label(x0 - 5, y - TICK * 0.35, label, TICK, "end", "muted"))
    for index, category_lines in enumerate(lines):
        labels += _lines(category_lines, x0 + slot * (index + 0.5), bottom - 4 - TICK * 1.2 + TICK * 0.2, TICK * 1.2,
                         "middle")
    value_labels: list[Label] = []
    fits = True
    zero = y_of(0.0)
    if spec.kind == "line":
        for series in spec.series:
            points = tuple(p for i, v in enumerate(series.values) for p in (x0 + slot * (i + 0.5), y_of(v)))
            marks.append(Mark("line", points, series.colour))
            for i, v in enumerate(series.values):
                marks.append(Mark("dot", (x0 + slot * (i + 0.5), y_of(v), 2.6), series.colour))
                below = y_of(v) - 5 - VALUE * 0.72  # (beneath a dip, if it stays in the plot)
                y = below if _dips(series.values, i) and below >= bottom + 1 else y_of(v) + 5
                value_labels.append(Label(x0 + slot * (i + 0.5), y, series.labels[i], VALUE, "middle", "text"))
                fits = fits and text_width(series.labels[i], VALUE) <= slot - 4
        fits = fits and len(spec.series) == 1
    elif spec.kind == "stacked_column":
        bar = slot * 0.6
        for i in range(count):
            up, down = 0.0, 0.0
            x = x0 + slot * i + (slot - bar) / 2
            for series in spec.series:
                v = series.values[i]
                start = up if v >= 0 else down
                end = start + v
                if v >= 0:
                    up = end
                else:
                    down = end
                y1, y2 = sorted((y_of(start), y_of(end)))
                marks.append(Mark("rect", (x, y1, bar, y2 - y1), series.colour))
                label = series.labels[i]
                inside = y2 - y1 >= VALUE * 1.5 and text_width(label, VALUE) <= bar - 2
                fits = fits and (inside or v == 0)
                value_labels.append(Label(x + bar / 2, (y1 + y2) / 2 - VALUE * 0.35, label, VALUE, "middle",
                                          _on(series.colour)))
    else:  # column
        group = slot * 0.72
        bar = group / len(spec.series)
        for s_index, series in enumerate(spec.series):
            for i, v in enumerate(series.values):
                x = x0 + slot * i + (slot - group) / 2 + s_index * bar
                y1, y2 = sorted((zero, y_of(v)))
                marks.append(Mark("rect", (x, y1, bar * 0.92, y2 - y1), series.colour))
                label = series.labels[i]
                y = y2 + 2.5 if v >= 0 else y1 - VALUE - 1.5
                value_labels.append(Label(x + bar * 0.46, y, label, VALUE, "middle", "text"))
                fits = fits and text_width(label, VALUE) <= bar + 1
    rules.append(Rule(x0, bottom, x0, top, "rule", 0.4))
    halos: tuple[tuple[float, float, float, float], ...] = ()
    if fits:
        labels += value_labels
        if spec.kind != "stacked_column":  # (a stacked column's labels are inside its bars)
            halos = tuple(_halo(label) for label in value_labels)
    return BriefChart(spec, width, height, tuple(rules), tuple(marks), tuple(labels), fits, halos=halos)


def _dips(values: tuple[float, ...], index: int) -> bool:
    """Whether the line comes down to point ``index`` (its neighbours higher, on average): its
    label goes beneath it, away from the line, not on it."""
    around = values[max(index - 1, 0):index] + values[index + 1:index + 2]
    return bool(around) and sum(around) / len(around) > values[index]


def _on(colour: str) -> str:
    """The colour of a label on a bar of ``colour``: light on the dark ones."""
    return "on_primary" if colour in ("primary", "accent", "muted", "link", "text") else "text"


def _bars(spec: ChartSpec, width: float, height: float, top: float, marks: list[Mark], labels: list[Label],
          rules: list[Rule]) -> BriefChart:
    """Horizontal bars: the categories down the left, the value axis along the bottom."""
    axis = spec.axis
    assert axis is not None
    count = len(spec.categories)
    name_width = min(max(text_width(c, TICK) for c in spec.categories) + 6, width * 0.34)
    right = max(text_width(label, VALUE) for s in spec.series for label in s.labels) + 6
    x0 = name_width
    bottom = TICK * 1.6 + 4
    top += VALUE * 1.4  # (no value label above: they go at the bars' ends)
    plot_width = width - x0 - right
    plot_height = top - bottom
    slot = plot_height / count
    span = axis.high - axis.low

    def x_of(value: float) -> float:
        return x0 + (value - axis.low) / span * plot_width

    for value, label in axis.ticks:
        x = x_of(value)
        rules.append(Rule(x, bottom, x, top, "muted" if value == 0 else "rule", 0.8 if value == 0 else 0.4))
        labels.append(Label(x, bottom - TICK * 1.4, label, TICK, "middle", "muted"))
    group = slot * 0.72
    bar = group / len(spec.series)
    fits = bar >= VALUE * 1.1
    value_labels: list[Label] = []
    zero = x_of(0.0)
    for i, category in enumerate(spec.categories):
        y_top = top - slot * i - (slot - group) / 2
        lines = _wrap(category, TICK, name_width - 6)
        labels += _lines(lines, x0 - 5, top - slot * (i + 0.5) + (len(lines) / 2 - 1) * TICK * 1.15 + TICK * 0.3,
                         TICK * 1.15, "end")
        for s_index, series in enumerate(spec.series):
            v = series.values[i]
            y = y_top - (s_index + 1) * bar
            x1, x2 = sorted((zero, x_of(v)))
            marks.append(Mark("rect", (x1, y + bar * 0.04, x2 - x1, bar * 0.92), series.colour))
            if v >= 0:
                value_labels.append(Label(x2 + 3, y + bar / 2 - VALUE * 0.35, series.labels[i], VALUE, "start", "text"))
            else:
                value_labels.append(Label(x1 - 3, y + bar / 2 - VALUE * 0.35, series.labels[i], VALUE, "end", "text"))
    if fits:
        labels += value_labels
    halos = tuple(_halo(label) for label in value_labels) if fits else ()
    return BriefChart(spec, width, height, tuple(rules), tuple(marks), tuple(labels), fits, halos=halos)


def _scatter(spec: ChartSpec, width: float, height: float, top: float, marks: list[Mark], labels: list[Label],
             rules: list[Rule]) -> BriefChart:
    """Points at their x and y, both axes scaled to the data (neither need start at 0): the y
    axis's labels on the left, the x axis's along the bottom with its title (``x_unit``) beneath
    them on the right. No value labels: the alt text and the notes read every point out."""
    axis, x_axis = spec.axis, spec.x_axis
    assert axis is not None and x_axis is not None
    x0 = max(max(text_width(label, TICK) for _, label in axis.ticks) + 6, text_width(x_axis.ticks[0][1], TICK) / 2)
    right = width - text_width(x_axis.ticks[-1][1], TICK) / 2
    bottom = TICK * 1.6 + 4 + (TICK * 1.5 if spec.x_unit else 0)
    span, x_span = axis.high - axis.low, x_axis.high - x_axis.low

    def y_of(value: float) -> float:
        return bottom + (value - axis.low) / span * (top - bottom)

    def x_of(value: float) -> float:
        return x0 + (value - x_axis.low) / x_span * (right - x0)

    for value, label in axis.ticks:
        y = y_of(value)
        rules.append(Rule(x0, y, right, y, "muted" if value == 0 else "rule", 0.8 if value == 0 else 0.4))
        labels.append(Label(x0 - 5, y - TICK * 0.35, label, TICK, "end", "muted"))
    gap = (right - x0) / max(len(x_axis.ticks) - 1, 1)
    every = 1 if max(text_width(label, TICK) for _, label in x_axis.ticks) + 6 <= gap else 2  # (labels that would touch: every other)
    for index, (value, label) in enumerate(x_axis.ticks):
        x = x_of(value)
        rules.append(Rule(x, bottom, x, top, "muted" if value == 0 else "rule", 0.8 if value == 0 else 0.4))
        if index % every == 0:
            labels.append(Label(x, bottom - TICK * 1.4, label, TICK, "middle", "muted"))
    if spec.x_unit:
        labels.append(Label(right, bottom - TICK * 2.9, spec.x_unit, TICK, "end", "muted"))
    for series in spec.series:
        for x, y in zip(spec.x_values, series.values):
            marks.append(Mark("dot", (x_of(x), y_of(y), 3.0), series.colour))
    return BriefChart(spec, width, height, tuple(rules), tuple(marks), tuple(labels), False)


def _pie(spec: ChartSpec, width: float, height: float) -> BriefChart:
    """A pie on the left, clockwise from 12 o'clock; the legend on the right names each slice
    with its value and share."""
    series = spec.series[0]
    total = sum(series.values) or 1.0
    radius = min(height / 2 - 4, width * 0.22)
    cx, cy = radius + 4, height / 2
    marks: list[Mark] = []
    labels: list[Label] = []
    angle = 90.0
    x = cx + radius + 24
    size = LEGEND + 1
    line_height = size * 1.7
    y = cy + line_height * len(spec.categories) / 2 - LEGEND
    for index, (category, value, label) in enumerate(zip(spec.categories, series.values, series.labels)):
        sweep = 360.0 * value / total
        colour = spec.slice_colours[index]
        if sweep > 0:
            marks.append(Mark("wedge", (cx, cy, radius, angle - sweep, angle), colour))
        angle -= sweep
        share = f" ({100 * value / total:.0f}%)" if spec.unit not in ("%", "per cent", "percent") else ""
        marks.append(Mark("rect", (x, y - 0.5, 8, 8), colour))
        labels.append(Label(x + 12, y, f"{category}: {label}{' ' + spec.unit if spec.unit else ''}{share}",
                            size, "start", "text"))
        y -= line_height
    return BriefChart(spec, width, height, (), tuple(marks), tuple(labels), True)


# --- the deck: a native chart --------------------------------------------------------------


DECK_TEXT = 14.0
"""The deck chart's axis, legend and label size (points): read from the back of a room."""


def deck_value_labels(spec: ChartSpec, width: float, height: float, size: float = DECK_TEXT) -> bool:
    """Whether the deck's chart, ``width`` × ``height`` points, writes each value on its bar or
    point: only when every label fits its bar (measured with the deck's Carlito metrics, the
    plot taken as 85% of the chart's width, 80% of its height)."""
    count = len(spec.categories)
    widest = max(fit.metrics("carlito").width(label, size) for s in spec.series for label in s.labels)
    if spec.kind == "pie":
        return count <= 8
    if spec.kind == "bar":
        return height * 0.8 / (count * len(spec.series)) >= size * 1.1
    if spec.kind == "line":
        return len(spec.series) == 1 and width * 0.85 / count >= widest + 8
    if spec.kind == "scatter":  # (the notes read every point out; numbers at points would crowd)
        return False
    if spec.kind == "stacked_column":
        return width * 0.85 / count * 0.6 >= widest + 4
    return width * 0.85 / count * 0.7 / len(spec.series) >= widest + 2
