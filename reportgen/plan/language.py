"""Dates and numbers as the outline's language writes them: CLDR's long date ("15 February 2025",
"February 15, 2025", "15. Februar 2025", "2025年2月15日") and its decimal mark and grouping
("12,500.5", "12.500,5", "12 500,5"), through Babel.

British English, the shipped outlines' language, is written here without Babel: importing Babel
and reading a locale's data costs a build about 35 ms in the process that plans, which is on the
build's critical path (docs/performance.md), and a test checks that these two forms are the ones
Babel gives. A language Babel does not know, and one written right to left (reportlab cannot set
right-to-left text), is written as British English.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

_BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c"))
"""Marks CLDR puts around a minus sign for right-to-left text: nothing to draw here."""


def long_date(day: date) -> str:
    """``2025-02-15`` → ``"15 February 2025"`` (British English), whatever the machine's locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def local_date(day: date, language: str) -> str:
    """``day`` as a long date in ``language`` (a tag): ``"15 February 2025"`` (en-GB),
    ``"February 15, 2025"`` (en, en-US), ``"15. Februar 2025"`` (de), ``"2025年2月15日"`` (ja)."""
    locale = _locale(language)
    if locale is None:
        return long_date(day)
    from babel.dates import format_date

    return format_date(day, format="long", locale=locale)


def format_number(value: float, decimals: int, language: str, grouped: bool = True) -> str:
    """``12500.5`` → ``"12,500.5"`` (en-GB), ``"12.500,5"`` (de-DE), ``"12 500,5"`` (fr, with a
    narrow no-break space), with ``decimals`` decimals (rounded half to even, as written in
    decimal) and never a minus before a zero; not ``grouped``, without thousands separators
    (``2010``, a year)."""
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)
    if rounded == 0:
        rounded = abs(rounded)
    locale = _locale(language)
    if locale is None:
        return f"{rounded:,f}" if grouped else f"{rounded:f}"
    from babel.numbers import format_decimal

    integer = locale.decimal_formats[None].pattern.split(";")[0].split(".")[0] if grouped else "0"
    pattern = integer + ("." + "0" * decimals if decimals else "")
    return format_decimal(rounded, format=pattern, locale=locale, decimal_quantization=True).translate(_BIDI_MARKS)


@cache
def _locale(language: str) -> Locale | None:
    """Babel's locale for a language tag; None where British English is written (en-GB itself,
    a language Babel does not know, one written right to left)."""
    if language.lower() == "en-gb":
        return None
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        return None
    return None if locale.character_order == "right-to-left" else locale
