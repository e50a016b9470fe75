"""A build's files replace the previous ones together: a build that fails in its second format,
or one killed at any moment, leaves the previous PDF and deck as they were (or, killed after
its commit, the new pair once the next command has recovered), and no temporary file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportgen import outputs
from reportgen.errors import ReportgenError
from tests.conftest import VALID, run
from tests.hostile.bounded import limit
from tests.test_build import fail_in, needs_fork


def built_pair(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


def test_a_build_failing_in_its_second_format_leaves_the_previous_pair(project: Path, monkeypatch) -> None:
    outline = project / "outlines" / "brief.yaml"
    outline.write_text(VALID, encoding="utf-8")
    out = project / "out"
    assert run("build", str(outline), "--out", str(out)).code == 0
    before = built_pair(out)
    outline.write_text(VALID.replace("A paragraph.", "A changed paragraph."), encoding="utf-8")
    fail_in(monkeypatch, "pptx", ReportgenError("the deck cannot be made"))
    result = run("build", str(outline), "--out", str(out))
    assert result.code == 2 and "the deck cannot be made" in result.err
    assert built_pair(out) == before


def test_a_second_file_that_cannot_be_written_leaves_the_first_as_it_was(project: Path) -> None:
    outline = project / "outlines" / "brief.yaml"
    outline.write_text(VALID, encoding="utf-8")
    out = project / "out"
    assert run("build", str(outline), "--format", "pdf", "--out", str(out)).code == 0
    pdf = (out / "brief.pdf").read_bytes()
    (out / "brief.pptx").mkdir()  # the deck's path is a folder
    outline.write_text(VALID.replace("A paragraph.", "A changed paragraph."), encoding="utf-8")
    result = run("build", str(outline), "--out", str(out))
    assert result.code == 2 and result.err.strip().endswith("brief.pptx: cannot write: it is a folder")
    assert (out / "brief.pdf").read_bytes() == pdf
    assert sorted(p.name for p in out.iterdir()) == ["brief.pdf", "brief.pptx"]


def test_recover_finishes_a_commit_and_removes_stale_temporaries(tmp_path: Path) -> None:
    (tmp_path / "b.pdf").write_bytes(b"old pdf")
    (tmp_path / "b.pptx").write_bytes(b"old deck")
    (tmp_path / ".b.pdf.7.reportgen-tmp").write_bytes(b"new pdf")  # renamed already: only the deck's left
    (tmp_path / ".b.pptx.7.reportgen-tmp").write_bytes(b"new deck")
    (tmp_path / ".7.reportgen-commit").write_text('[[".b.pptx.7.reportgen-tmp", "b.pptx"]]', encoding="utf-8")
    (tmp_path / ".b.pdf.8.reportgen-tmp").write_bytes(b"killed before its commit")
    (tmp_path / "notes.txt").write_text("the user's", encoding="utf-8")
    outputs.recover(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.pdf", "b.pptx", "notes.txt"]
    assert (tmp_path / "b.pptx").read_bytes() == b"new deck"
    assert (tmp_path / "b.pdf").read_bytes() == b"old pdf"


@needs_fork
def test_builds_killed_at_random_moments_never_leave_a_mixed_pair_or_a_temporary_file(project: Path) -> None:
    """20 builds, each of another version of the outline, each killed (SIGKILL, the whole
    process group) at a random moment of its run; after each, the next command (a build
    recovers its folder first) finds a pair built from one and the same version."""
    outline = project / "outlines" / "brief.yaml"
    out = project / "out"

    def version(number: int) -> str:
        return VALID.replace("A paragraph.", f"Version {number} of the paragraph.")

    outline.write_text(version(0), encoding="utf-8")
    assert run("build", str(outline), "--out", str(out)).code == 0
    started = time.perf_counter()
    assert run("build", str(outline), "--out", str(out)).code == 0
    duration = time.perf_counter() - started + 0.3  # a new interpreter starts more slowly than main() in-process
    chooser = random.Random(20261207)
    for number in range(1, 21):
        previous = built_pair(out)
        outline.write_text(version(number), encoding="utf-8")
        process = subprocess.Popen([sys.executable, "-m", "reportgen", "build", str(outline), "--out", str(out)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                                   preexec_fn=limit)
        time.sleep(chooser.uniform(0, duration))
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        outputs.recover(out)  # what the next build does first
        found = built_pair(out)
        assert sorted(found) == ["brief.pdf", "brief.pptx"], sorted(found)  # no temporary file, nothing missing
        if found != previous:  # then both from this version, never one of each
            assert found == _build_alone(outline, project, number), f"build {number}: a mixed pair"


def _build_alone(outline: Path, project: Path, number: int) -> dict[str, bytes]:
    """The pair version ``number`` of the outline gives, built in a folder of its own."""
    folder = project / f"version-{number}"
    subprocess.run([sys.executable, "-m", "reportgen", "build", str(outline), "--out", str(folder)],
                   check=True, capture_output=True, timeout=60, preexec_fn=limit)
    return built_pair(folder)


@pytest.mark.parametrize("stage", ["before its commit", "between the renames"])
def test_a_kill_at_each_stage_of_the_write_is_recovered(tmp_path: Path, stage: str, monkeypatch) -> None:
    """The two stages a kill can hit, made to happen exactly: before the commit file exists
    (the previous pair stays), and after the first of two renames (the next command finishes the
    second)."""
    (tmp_path / "b.pdf").write_bytes(b"old pdf")
    (tmp_path / "b.pptx").write_bytes(b"old deck")
    real_replace = os.replace
    calls: list[str] = []

    def killed(source, target):
        calls.append(str(target))
        if stage == "before its commit" and str(target).endswith("reportgen-commit"):
            raise KeyboardInterrupt  # stands for the kill: nothing after this runs
        if stage == "between the renames" and str(target).endswith("b.pptx"):
            raise KeyboardInterrupt
        return real_replace(source, target)

    monkeypatch.setattr(outputs.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        outputs.replace_together({tmp_path / "b.pdf": b"new pdf", tmp_path / "b.pptx": b"new deck"})
    monkeypatch.setattr(outputs.os, "replace", real_replace)
    if stage == "between the renames":  # a real kill would leave the temporaries and the commit file
        assert any(p.name.endswith("reportgen-commit") for p in tmp_path.iterdir())
    outputs.recover(tmp_path)
    found = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    expected = ({"b.pdf": b"old pdf", "b.pptx": b"old deck"} if stage == "before its commit"
                else {"b.pdf": b"new pdf", "b.pptx": b"new deck"})
    assert found == expected
