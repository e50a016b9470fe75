"""Shared fixtures: a throwaway project folder, the CLI run in-process, the seed article.

Tests that need something outside the Python dependencies (LibreOffice, CJK fonts, the shared
seed article) skip with a reason when it is missing, so ``make test`` passes on a bare machine.
CI sets ``REPORTGEN_REQUIRE_ALL=1``, which turns every such skip into a failure.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from reportgen.cli import main

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "trilateral-alliance-article.txt"


def need(condition: bool, reason: str) -> None:
    """Skip the calling test unless ``condition``; fail instead when CI requires everything."""
    if condition:
        return
    if os.environ.get("REPORTGEN_REQUIRE_ALL") == "1":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@dataclass
class Result:
    code: int
    out: str
    err: str


def run(*args: str, cwd: Path | None = None) -> Result:
    """Run the ``reportgen`` command in-process and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    try:
        if cwd:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit_:  # argparse
                code = int(exit_.code or 0)
    finally:
        os.chdir(previous)
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project: a folder with assets/ and outlines/; tests run from inside it."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "outlines").mkdir()
    return tmp_path


@pytest.fixture
def soffice() -> None:
    """LibreOffice, to render decks: the test skips without it (fails in CI)."""
    need(shutil.which("soffice") is not None, "LibreOffice missing: apt-get install libreoffice-impress")


@pytest.fixture
def seed_text() -> str:
    need(SEED.is_file(), f"the seed article is not at {SEED}")
    return SEED.read_text(encoding="utf-8")


VALID = """\
title: A brief
date: 2025-02-15
summary: The summary.
authors:
  - name: Ann Author
    bio: Ann writes.
licence:
  id: CC-BY-4.0
sections:
  - heading: First
    key_points: [One point]
    body:
      - A paragraph.
"""
"""A minimal valid outline; its line numbers are relied on by the error tests."""
