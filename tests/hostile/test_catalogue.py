"""Every case of the hostile-input catalogue (``tests/hostile/catalogue.py``), run through the CLI.

A case that must stop: exit code 2, exactly its message, nothing written. A case that must build:
exit code 0, nothing on stderr but its expected warning, and its check on both outputs.
Never a traceback.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation

from reportgen.render.fonts import fonts
from tests.conftest import REPO, need, run
from tests.hostile.catalogue import CASES, RUN, Case, write


def make(project: Path, case: Case) -> None:
    write(project, case.files)


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def deck_text(path: Path) -> str:
    parts = []
    for slide in Presentation(path).slides:
        parts += [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


@pytest.mark.parametrize("name", list(CASES))
def test_catalogue_case(name: str, project: Path) -> None:
    case = CASES[name]
    if "cjk" in case.needs:
        need({"IPAex", "Nanum"} <= set(fonts().coverage), "CJK fonts missing: apt-get install fonts-ipaexfont-gothic fonts-nanum")
    if "symbola" in case.needs:
        need("Symbola" in fonts().coverage, "emoji font missing: apt-get install fonts-symbola")
    if name in RUN:
        RUN[name](project)
        return
    make(project, case)
    result = run("build", "o.yaml", "--out", "out", cwd=project)
    assert "Traceback" not in result.err
    if case.error is not None:
        assert result.code == 2, result.err
        assert result.err.rstrip("\n") == case.error.format(root=project.resolve())
        assert not (project / "out").exists()
        return
    assert result.code == 0, result.err
    assert result.err.rstrip("\n") == (case.warning or "").format(root=project.resolve())
    assert case.check is not None
    case.check(project, pdf_text(project / "out" / "o.pdf"), deck_text(project / "out" / "o.pptx"))


def test_the_catalogue_has_at_least_forty_cases() -> None:
    assert len(CASES) >= 40


def test_the_docs_table_lists_every_case_with_its_counts() -> None:
    text = (REPO / "docs" / "hostile-inputs.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z0-9-]+)` \|", text, re.MULTILINE)
    assert rows == list(CASES)
    for category in dict.fromkeys(c.category for c in CASES.values()):
        count = sum(1 for c in CASES.values() if c.category == category)
        assert f"| {category} | {count} |" in text


def test_the_command_never_prints_a_traceback_for_a_catalogue_input(tmp_path: Path) -> None:
    """The real command, in its own process, on every case that must stop."""
    for name, case in CASES.items():
        if case.error is None or name in RUN or "10" in name:
            continue
        project = tmp_path / name
        (project / "assets").mkdir(parents=True)
        make(project, case)
        result = subprocess.run([sys.executable, "-m", "reportgen", "build", "o.yaml", "--out", "out"], cwd=project,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2, (name, result.stderr)
        assert "Traceback" not in result.stderr and result.stderr.count("\n") >= 1, name
