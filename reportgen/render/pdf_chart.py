"""A planned chart (:class:`reportgen.plan.chart.BriefChart`) drawn in the brief as vector
graphics with reportlab.graphics: its bars, wedges, lines and rules as shapes of a ``Drawing``,
its labels as text (selectable, searchable, extracted by pdftotext), in the theme's colours and
sans face, where the plan placed them. Its title goes above it and its source line beneath, as
paragraphs; its alt text is the /Alt of the Figure element it is drawn in (render/pdf_tags.py),
as a figure's is.
"""

from __future__ import annotations

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, PolyLine, Rect, Wedge
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from reportgen.plan.chart import BriefChart, Label


class ChartFlowable(Flowable):
    """The chart's drawing, ``chart.width`` × ``chart.height`` points."""

    def __init__(self, chart: BriefChart, palette: dict[str, colors.Color], face: str, font_set, korean: bool):
        super().__init__()
        self.chart, self.palette, self.face, self.font_set, self.korean = chart, palette, face, font_set, korean
        self.width, self.height = chart.width, chart.height

    def wrap(self, available_width: float, available_height: float):
        return self.width, self.height

    def draw(self) -> None:
        canvas, chart, palette = self.canv, self.chart, self.palette
        drawing = Drawing(self.width, self.height, initialFontName=self.face)  # (else it sets Helvetica)
        for rule in chart.rules:
            drawing.add(PolyLine([rule.x1, rule.y1, rule.x2, rule.y2], strokeColor=palette[rule.colour],
                                 strokeWidth=rule.width))
        for x, y, w, h in chart.halos:  # over the gridlines, under the marks
            drawing.add(Rect(x, y, w, h, fillColor=palette["background"], strokeColor=None, strokeWidth=0))
        for mark in chart.marks:
            colour = palette[mark.colour]
            if mark.shape == "rect":
                x, y, w, h = mark.points
                drawing.add(Rect(x, y, w, h, fillColor=colour, strokeColor=None, strokeWidth=0))
            elif mark.shape == "wedge":
                cx, cy, r, start, end = mark.points
                drawing.add(Wedge(cx, cy, r, start, end, fillColor=colour, strokeColor=palette["background"],
                                  strokeWidth=1))
            elif mark.shape == "dot":
                cx, cy, r = mark.points
                drawing.add(Circle(cx, cy, r, fillColor=colour, strokeColor=palette["background"], strokeWidth=0.8))
            else:
                drawing.add(PolyLine(list(mark.points), strokeColor=colour, strokeWidth=1.8, strokeLineJoin=1))
        renderPDF.draw(drawing, canvas, 0, 0)
        for label in chart.labels:
            self._label(label)

    def _label(self, label: Label) -> None:
        """A label as text in the sans face (a fallback face for characters it lacks)."""
        canvas = self.canv
        pieces = self.font_set.segments(label.text, self.face, korean=self.korean)
        width = sum(stringWidth(piece, face, label.size) for face, piece in pieces)
        x = {"start": label.x, "middle": label.x - width / 2, "end": label.x - width}[label.anchor]
        canvas.setFillColor(self.palette[label.colour])
        for face, piece in pieces:
            canvas.setFont(face, label.size)
            canvas.drawString(x, label.y, piece)
            x += stringWidth(piece, face, label.size)
