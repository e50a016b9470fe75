"""Every case of the hostile-input catalogue (``tests/hostile/catalogue.py``), run through the CLI
in a process of its own, bounded by the harness (``tests/hostile/bounded.py``: 1 GiB of address
space, 60 s of CPU and of wall clock), save the one case that injects a fault with mock.

A case that must stop: exit code 2, exactly its message, nothing written (a template case: the
same from ``validate`` and ``templates inspect``). A case that must build: exit code 0, nothing
on stderr but its expected warning, and its check on both outputs. Never a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation

from reportgen.render.fonts import fonts
from tests.conftest import REPO, need
from tests.hostile.bounded import bounded_run
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
    result = bounded_run(project, "build", "o.yaml", "--out", "out")
    assert "Traceback" not in result.stderr
    if case.error is not None:
        assert result.returncode == 2, result.stderr
        assert result.stderr.rstrip("\n") == case.error.format(root=project.resolve())
        assert not (project / "out").exists()
        if case.category == "templates":  # the same refusal from the other commands that read a template
            validated = bounded_run(project, "validate", "o.yaml")
            assert (validated.returncode, validated.stderr) == (result.returncode, result.stderr)
            inspected = bounded_run(project, "templates", "inspect", "assets/t.pptx")
            message = case.error.format(root=project.resolve()).split(f"{project.resolve()}/assets/t.pptx: ", 1)[1]
            assert (inspected.returncode, inspected.stderr) == (2, f"assets/t.pptx: {message}\n"), inspected.stderr
        return
    assert result.returncode == 0, result.stderr
    assert result.stderr.rstrip("\n") == (case.warning or "").format(root=project.resolve())
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
