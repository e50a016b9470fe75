"""Dates and numbers in the outline's language (reportgen.plan.language): CLDR's, through Babel,
and British English written without Babel exactly as Babel writes it."""

from __future__ import annotations

import random
from datetime import date

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal

from reportgen.plan.language import format_number, local_date


def test_british_english_is_written_as_babel_writes_it() -> None:
    """The en-GB forms that skip Babel (its import is on the build's critical path) must be the
    ones Babel gives, for every month and for numbers of every size, sign and rounding."""
    for month in range(1, 13):
        day = date(2025, month, 28 if month == 2 else 30)
        assert local_date(day, "en-GB") == format_date(day, format="long", locale="en_GB")
    numbers = random.Random(7)
    values = [0.0, 0.5, 1.5, 2.5, 2.675, 0.125, 999.5, 1234567.891, -0.04, -12500.5, 10 ** 12 + 0.5]
    values += [numbers.uniform(-1e7, 1e7) for _ in range(300)]
    for value in values:
        for decimals in range(4):
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            expected = format_decimal(value, format=pattern, locale="en_GB")
            if expected.lstrip("-").strip("0.,") == "":  # Babel writes "-0.0"; a chart writes no minus before a zero
                expected = expected.lstrip("-")
            assert format_number(value, decimals, "en-GB") == expected, (value, decimals)
            plain = format_decimal(value, format=pattern.removeprefix("#,##"), locale="en_GB")  # (ungrouped: years)
            if plain.lstrip("-").strip("0.") == "":
                plain = plain.lstrip("-")
            assert format_number(value, decimals, "en-GB", grouped=False) == plain, (value, decimals)


@pytest.mark.parametrize(("language", "written"), [
    ("en-US", "February 15, 2025"), ("en", "February 15, 2025"), ("de-DE", "15. Februar 2025"),
    ("fr", "15 février 2025"), ("ja", "2025年2月15日"), ("ko", "2025년 2월 15일"),
    ("ar", "15 February 2025"), ("he", "15 February 2025"), ("tlh", "15 February 2025"), ("x-private", "15 February 2025"),
])
def test_a_date_is_written_as_the_language_writes_it_or_in_british_english(language: str, written: str) -> None:
    """Right-to-left languages (reportlab cannot set them) and languages CLDR does not know are
    written in British English."""
    assert local_date(date(2025, 2, 15), language) == written


def test_numbers_carry_no_invisible_bidi_marks() -> None:
    """CLDR writes a minus in some languages with a left-to-right mark (U+200E), which the brief's
    fonts cannot draw; the Arabic-script languages fall back to British English anyway."""
    for language in ("fa", "ur", "ar-EG", "he-IL", "sv", "fi", "nb"):
        text = format_number(-12500.5, 1, language)
        assert not any(ch in text for ch in "\u200e\u200f\u061c"), (language, text)
