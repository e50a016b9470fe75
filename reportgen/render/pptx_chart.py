"""A planned chart (:class:`reportgen.plan.slides.ChartShape`) as a native PowerPoint chart,
with python-pptx's public chart API: its data in a workbook embedded in the deck (written by
XlsxWriter), so that it can be restyled and its numbers edited in PowerPoint.

Two things python-pptx writes are made right here, through public APIs only:

- the axis ids: python-pptx's chart templates write negative ``c:axId`` values
  (``-2068027336``), which the schema's ``xsd:unsignedInt`` forbids (openxml-audit reports
  each). They are renumbered 1, 2, ... on the chart's element (``chart.element``);
- the embedded workbook: XlsxWriter stamps its ``docProps/core.xml`` with the time it was made,
  and its zip members too. It is rewritten (``chart_workbook.update_from_xlsx_blob``) dated
  with the document's date, each member dated 1980-01-01, so two builds give the same bytes.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile

from pptx.chart.data import CategoryChartData, XyChartData
from pptx.enum.chart import (XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE,
                             XL_TICK_LABEL_POSITION)
from pptx.oxml.ns import qn
from pptx.util import Pt

from reportgen.plan.chart import excel_format
from reportgen.plan.slides import ChartShape

_TYPES = {
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED, "bar": XL_CHART_TYPE.BAR_CLUSTERED, "line": XL_CHART_TYPE.LINE_MARKERS,
    "stacked_column": XL_CHART_TYPE.COLUMN_STACKED, "pie": XL_CHART_TYPE.PIE, "scatter": XL_CHART_TYPE.XY_SCATTER,
}


def draw_chart(slide, shape: ChartShape, look, set_colour, language: str) -> None:
    """The chart on ``slide``, in the theme's colours (``look``: the deck's ``_Look``;
    ``set_colour``: how a colour is set on a python-pptx colour format) and body font, titled by
    the slide, its alt text on the graphic frame, its text in the document's ``language``."""
    spec, box = shape.spec, shape.box
    data: CategoryChartData | XyChartData
    if spec.kind == "scatter":  # x and y values, both numbers, in the workbook's two columns a series
        data = XyChartData(number_format=spec.number_format)
        for series in spec.series:
            points = data.add_series(series.name, number_format=spec.number_format)
            for x, y in zip(spec.x_values, series.values):
                points.add_data_point(x, y)
    else:
        data = CategoryChartData(number_format=spec.number_format)
        data.categories = spec.categories
        for series in spec.series:
            data.add_series(series.name, series.values)
    graphic = slide.shapes.add_chart(_TYPES[spec.kind], Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h), data)
    properties = graphic.element.find(f".//{qn('p:cNvPr')}")
    properties.set("name", "Chart")
    properties.set("descr", spec.alt)
    properties.set("title", spec.title)
    chart = graphic.chart
    colours = {"primary": look.primary, "accent": look.accent, "muted": look.muted, "link": look.link,
               "rule": look.rule, "text": look.ink, "on_primary": look.on_primary}
    chart.has_title = False  # the slide's title is the chart's
    chart.font.size = Pt(shape.size)
    chart.font.name = look.body_font
    set_colour(chart.font.color, look.ink)
    chart.has_legend = spec.legend
    if spec.legend:
        chart.legend.position = XL_LEGEND_POSITION.RIGHT if spec.kind == "pie" else XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
    plot = chart.plots[0]
    if spec.kind in ("column", "bar", "stacked_column"):
        plot.gap_width = 60
        if spec.kind == "stacked_column":
            plot.overlap = 100
    if spec.kind == "pie":
        for index, point in enumerate(plot.series[0].points):
            point.format.fill.solid()
            set_colour(point.format.fill.fore_color, colours[spec.slice_colours[index]])
            set_colour(point.format.line.color, look.background)
    else:
        for planned, series in zip(spec.series, plot.series):
            if spec.kind == "scatter":  # (python-pptx draws a scatter's series with no line)
                series.marker.style = XL_MARKER_STYLE.CIRCLE
                series.marker.size = 9
                series.marker.format.fill.solid()
                set_colour(series.marker.format.fill.fore_color, colours[planned.colour])
                set_colour(series.marker.format.line.color, look.background)
            elif spec.kind == "line":
                series.format.line.width = Pt(2.5)
                set_colour(series.format.line.color, colours[planned.colour])
                series.smooth = False
                series.marker.format.fill.solid()
                set_colour(series.marker.format.fill.fore_color, colours[planned.colour])
                set_colour(series.marker.format.line.color, colours[planned.colour])
            else:
                series.format.fill.solid()
                set_colour(series.format.fill.fore_color, colours[planned.colour])
                series.invert_if_negative = False
        _axes(chart, shape, look, set_colour)
    if shape.value_labels:
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = spec.number_format
        labels.number_format_is_linked = False
        labels.font.size = Pt(shape.size - 2 if spec.kind != "pie" else shape.size)
        if spec.kind == "pie":
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
            labels.show_percentage = False
        elif spec.kind == "stacked_column":
            labels.position = XL_LABEL_POSITION.CENTER
            set_colour(labels.font.color, look.on_primary)
        elif spec.kind == "line":
            labels.position = XL_LABEL_POSITION.ABOVE
        else:
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
    _positive_axis_ids(chart.element)
    _language(chart.element, language)
    workbook = chart.part.chart_workbook
    workbook.update_from_xlsx_blob(deterministic_xlsx(workbook.xlsx_part.blob, shape.dated))


def _axes(chart, shape: ChartShape, look, set_colour) -> None:
    """The value axis as the plan scaled it (the same as the brief's), its title the unit; light gridlines."""
    axis = shape.spec.axis
    assert axis is not None
    value = chart.value_axis
    value.minimum_scale, value.maximum_scale, value.major_unit = axis.low, axis.high, axis.step
    value.has_major_gridlines = True
    set_colour(value.major_gridlines.format.line.color, look.rule)
    value.major_gridlines.format.line.width = Pt(0.75)
    value.format.line.fill.background()
    value.tick_labels.number_format = excel_format(axis.decimals)
    value.tick_labels.number_format_is_linked = False
    set_colour(value.tick_labels.font.color, look.muted)
    if shape.spec.unit:
        _title(value, shape.spec.unit, shape, look, set_colour)
    category = chart.category_axis
    category.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # under negative bars too
    set_colour(category.format.line.color, look.muted)
    category.has_major_gridlines = False
    x_axis = shape.spec.x_axis
    if x_axis is not None:  # a scatter's x axis: a value axis too, scaled and titled as the brief's
        category.minimum_scale, category.maximum_scale, category.major_unit = x_axis.low, x_axis.high, x_axis.step
        category.has_major_gridlines = True
        set_colour(category.major_gridlines.format.line.color, look.rule)
        category.major_gridlines.format.line.width = Pt(0.75)
        category.tick_labels.number_format = excel_format(x_axis.decimals, x_axis.grouped)
        category.tick_labels.number_format_is_linked = False
        set_colour(category.tick_labels.font.color, look.muted)
        category.crosses = XL_AXIS_CROSSES.MINIMUM  # the y axis on the left, wherever x = 0 is
        value.crosses = XL_AXIS_CROSSES.MINIMUM  # the x axis at the bottom
        if shape.spec.x_unit:
            _title(category, shape.spec.x_unit, shape, look, set_colour)
    if shape.spec.kind == "bar":
        category.reverse_order = True  # the first category on top, as it is read (and as the brief draws it)
        # ... and the value axis kept at the bottom, where it crosses the last category (python-pptx
        # has no setter for where a value axis crosses a category axis: it is the valAx's c:crosses)
        for crosses in chart.element.iter(qn("c:valAx")):
            found = crosses.find(qn("c:crosses"))
            if found is not None:
                found.set("val", "max")


def _title(axis, text: str, shape: ChartShape, look, set_colour) -> None:
    """``text`` as ``axis``'s title, in the chart's face, muted, a little smaller than its labels."""
    axis.has_title = True
    frame = axis.axis_title.text_frame
    frame.text = text
    font = frame.paragraphs[0].runs[0].font
    font.size, font.bold, font.name = Pt(shape.size - 2), False, look.body_font
    set_colour(font.color, look.muted)


_AXIS_IDS = (qn("c:axId"), qn("c:crossAx"))


def _positive_axis_ids(chart_space) -> None:
    """Every ``c:axId`` and ``c:crossAx`` renumbered 1, 2, ... in the order the ids first appear
    (python-pptx's negative ids are not the schema's unsignedInt)."""
    numbers: dict[str, str] = {}
    for element in chart_space.iter(*_AXIS_IDS):
        old = element.get("val")
        element.set("val", numbers.setdefault(old, str(len(numbers) + 1)))


def _language(chart_space, language: str) -> None:
    """The document's language on the chart (``c:lang``) and its text runs (python-pptx's
    templates say en-US)."""
    for element in chart_space.iter(qn("c:lang")):
        element.set("val", language)
    for element in chart_space.iter():
        if isinstance(element.tag, str) and element.tag.startswith(_A) and element.get("lang") is not None:
            element.set("lang", language)


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def deterministic_xlsx(blob: bytes, day: datetime.date) -> bytes:
    """An XlsxWriter workbook with its creation date ``day`` and each zip member dated 1980-01-01:
    its bytes depend on its content only."""
    stamp = f"{day.isoformat()}T00:00:00Z".encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(lambda m: m.group(1) + stamp + m.group(3), content)
            entry = zipfile.ZipInfo(member.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()
