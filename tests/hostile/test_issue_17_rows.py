"""Issue 17's table of failures, row by row: each row's inputs are cases of the hostile catalogue
(``tests/hostile/catalogue.py``), and each case runs the real command in a child bounded by the
harness (``tests/hostile/bounded.py``: 1 GiB of address space, 60 s of CPU and of wall clock),
ending in exit 0 or in exit 2 with its exact FILE:LINE:COL line (``test_catalogue.py``). This
keeps the rows and the cases in step: a row whose cases were dropped, or run unbounded, fails."""

from __future__ import annotations

import pytest

from tests.hostile.catalogue import CASES, IN_PROCESS

ROWS = {
    "Ghostscript runs untrusted PostScript": [
        "image-eps-as-png", "image-eps-as-logo"],  # and test_images_bounded.py: no `gs` is started
    "template zip bomb": ["template-zip-bomb", "template-xml-bomb", "template-lying-sizes"],
    "template external links kept": ["template-external-links"],
    "broken templates": ["template-no-master", "template-no-theme", "template-slide-size"],
    "images decoded in full, in every process": [
        "image-19000px-rgba", "image-png-over-budget", "image-12000px", "image-bomb"],
    "jinja: no time or memory bound": [
        "jinja-endless-loop", "jinja-power-tower", "jinja-list-append", "jinja-namespace-doubling", "jinja-center",
        "jinja-format-width", "jinja-huge-repeat", "jinja-huge-output", "jinja-recursion"],
    "a failed build leaves a mixed pair": [
        "output-deck-a-folder", "output-disk-full"],  # and test_outputs.py: 20 SIGKILLs, bounded
    "exit 70 on realistic input that validate calls valid": [
        "layout-title-256", "layout-keywords-30", "layout-authors-20", "layout-key-points-50", "layout-key-points-long",
        "layout-summary-800", "layout-callout-800", "layout-quote-600", "layout-table-long-cells",
        "layout-timeline-long", "layout-trilateral-tripled", "layout-long-words"],
    "more exit 70": ["layout-heading-1750", "layout-table-tall-header", "layout-timeline-tall-date", "layout-table-5000-columns", "include-chain-1000", "include-deep-nesting"],
    "quadratic time in the PDF": [
        "layout-paragraph-100k", "layout-paragraph-1-mb", "layout-table-20k-rows", "layout-table-100k-rows",
        "layout-key-points-10000", "layout-key-points-100k", "layout-word-5-mb"],
    "includes bypass the limits": ["include-70-mb", "include-fan-out"],
    "strings outside the text checks": [
        "string-url-control", "string-url-surrogate", "string-url-line-separator", "string-link-surrogate", "string-theme-footer-control",
        "string-theme-font-nul", "string-theme-font-newline", "string-theme-font-fake-ttf", "string-theme-font-cut-ttf",
        "image-html-as-logo"],
    "stdin skips the size limit": ["yaml-stdin-50-mb"],
}


def test_the_table_has_its_thirteen_rows() -> None:
    assert len(ROWS) == 13


@pytest.mark.parametrize("row", list(ROWS))
def test_each_row_is_catalogue_cases_run_bounded(row: str) -> None:
    for name in ROWS[row]:
        assert name in CASES, (row, name)
        assert name not in IN_PROCESS, (row, name)
