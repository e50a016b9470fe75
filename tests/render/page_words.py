"""Words and their boxes on each page of a PDF, read with ``pdftotext -bbox`` (poppler)."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path
from typing import NamedTuple

from reportgen.plan.brief import BriefPlan

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


class Word(NamedTuple):
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    """Distances from the page's top edge, in points."""


class Page(NamedTuple):
    number: int
    height: float
    words: list[Word]

    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def pages(pdf: Path) -> list[Page]:
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [Page(number, float(height), [Word(html.unescape(t), float(a), float(b), float(c), float(d))
                                         for a, b, c, d, t in _WORD.findall(body)])
            for number, (_, height, body) in enumerate(_PAGE.findall(xml), start=1)]


def empty_at_foot(pdf: Path, plan: BriefPlan) -> list[float]:
    """The empty fraction at the foot of the text area of every page after the cover, in order:
    the height between the page's lowest word inside the text area (the page less the plan's
    margins, outside which the running head and foot sit) and the area's foot, over its height."""
    top, bottom = plan.margins.top, plan.margins.bottom
    fractions = []
    for page in pages(pdf)[1:]:  # the cover is one drawing, not a text area
        foot = page.height - bottom
        lowest = max((w.bottom for w in page.words if w.top >= top - 2 and w.bottom <= foot + 2), default=top)
        fractions.append(max(0.0, foot - lowest) / (foot - top))
    return fractions
