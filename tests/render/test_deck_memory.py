"""A long deck's renderer lets each slide go once it is written.

The deck's process holds every slide's XML only while that slide is being filled; once it is
serialized, its tree is freed (python-pptx 1.0.2, the ``pptx-serialize-early`` patch: with any
other release python-pptx's parts keep every tree until the file is written, which is correct,
only larger). A list of every slide, or a reference cycle among a slide's proxies, kept every
filled tree alive until the end instead (docs/performance.md has the figures).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.synthetic import FIGURE, figure_png, outline as synthetic_outline
from reportgen import _compat
from reportgen.read.loader import load_outline
from tests.conftest import REPO

PER_SLIDE_KB = 90
"""What each further slide may add to the build's largest process (the deck's): its share of the
plan, its written XML and its package bookkeeping, but not its tree."""


PEAK = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.stdout.split(': ')[-1]); "
        "print(done.stderr, file=sys.stderr)")
"""Runs a command, then prints its exit code, the peak resident set (KB) of the largest process it
waited for (the command or a renderer it forked), and what the command printed last."""


def _peak_kb(project: Path, outline: Path, *options: str) -> tuple[int, int]:
    """The largest process's peak resident set (KB) of ``reportgen build OUTLINE --format pptx``,
    and the deck's slide count."""
    command = [sys.executable, "-m", "reportgen", "build", str(outline), "--format", "pptx", "--out", str(project / "out"),
               *options]
    done = subprocess.run([sys.executable, "-c", PEAK, *command], cwd=project, capture_output=True, text=True, check=True)
    code, peak, slides = done.stdout.split()[:3]  # "0 123456 4088 slides, ..."
    assert code == "0", done.stderr
    return int(peak), int(slides)


@pytest.mark.parametrize("template", [None, "university.pptx"], ids=["default", "template"])
def test_a_deck_of_a_thousand_slides_grows_its_process_by_little_per_slide(tmp_path: Path, template: str | None) -> None:
    if not _compat.exact("pptx-serialize-early"):
        pytest.skip("python-pptx is not the release the serialize-early patch is written for: its parts keep the trees")
    source = load_outline(REPO / "outlines" / "trilateral-alliance.yaml").document
    figure_png(tmp_path / FIGURE)
    options: list[str] = []
    if template:
        shutil.copy(REPO / "assets" / template, tmp_path / "assets" / template)
        options = ["--pptx-template", f"assets/{template}"]
    peaks = []
    for sections in (50, 300):
        path = tmp_path / f"synthetic-{sections}.yaml"
        path.write_text(synthetic_outline(source, sections), encoding="utf-8")
        peaks.append(_peak_kb(tmp_path, path, *options))
    (small, small_slides), (large, large_slides) = peaks
    assert large_slides - small_slides > 900
    per_slide = (large - small) / (large_slides - small_slides)
    assert per_slide < PER_SLIDE_KB, f"{per_slide:.0f} KB a slide ({small // 1024} MB at {small_slides} slides, " \
                                     f"{large // 1024} MB at {large_slides})"
