"""Building both formats at once: the same bytes as one by one, errors from either side reported
as before, nothing written unless both rendered; and what the command imports at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen import build as build_module
from reportgen.errors import ReportgenError
from tests.conftest import REPO, VALID, run

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="formats render in parallel only where os.fork exists")


def write_outline(project: Path) -> Path:
    outline = project / "outlines" / "brief.yaml"
    outline.write_text(VALID, encoding="utf-8")
    return outline


@needs_fork
def test_both_formats_in_parallel_are_the_bytes_built_one_at_a_time(project: Path) -> None:
    outline = write_outline(project)
    together, alone = project / "together", project / "alone"
    assert run("build", str(outline), "--out", str(together)).code == 0
    for fmt in ("pdf", "pptx"):
        assert run("build", str(outline), "--format", fmt, "--out", str(alone)).code == 0
        assert (together / f"brief.{fmt}").read_bytes() == (alone / f"brief.{fmt}").read_bytes()


def fail_in(monkeypatch, fmt: str, error: BaseException) -> None:
    """Make rendering ``fmt`` raise ``error``; each format renders in a forked process, which
    inherits this patch."""
    real = build_module._render_or_draw

    def failing(job, *args):
        if job.fmt == fmt:
            raise error
        return real(job, *args)

    monkeypatch.setattr(build_module, "_render_or_draw", failing)


@needs_fork
def test_a_mistake_found_by_the_second_format_is_reported_and_nothing_is_written(project: Path, monkeypatch) -> None:
    outline = write_outline(project)
    fail_in(monkeypatch, "pptx", ReportgenError("outline.yaml:3:1: sections[0]: the deck cannot be made"))
    result = run("build", str(outline), "--out", str(project / "out"))
    assert (result.code, result.err.strip().splitlines()[-1]) == (2, "outline.yaml:3:1: sections[0]: the deck cannot be made")
    assert not (project / "out").exists() or not any((project / "out").iterdir())


@needs_fork
def test_a_crash_in_the_second_format_is_an_internal_error(project: Path, monkeypatch) -> None:
    outline = write_outline(project)
    fail_in(monkeypatch, "pptx", ZeroDivisionError("division by zero"))
    result = run("build", str(outline), "--out", str(project / "out"))
    assert result.code != 0 and "internal error" in result.err and "ZeroDivisionError" in result.err
    assert "Traceback" not in result.err


@needs_fork
def test_when_the_first_format_fails_the_second_is_stopped_and_nothing_is_written(project: Path, monkeypatch) -> None:
    outline = write_outline(project)
    fail_in(monkeypatch, "pdf", ReportgenError("the brief cannot be made"))
    result = run("build", str(outline), "--out", str(project / "out"))
    assert (result.code, result.err.strip().splitlines()[-1]) == (2, "the brief cannot be made")
    assert not (project / "out").exists() or not any((project / "out").iterdir())


def classes_pickled(value) -> set[str]:
    """Every class whose instances a pickle of ``value`` holds, by module and name."""
    import io
    import pickle

    found: set[str] = set()

    class Recording(pickle.Pickler):
        def reducer_override(self, obj):
            kind = obj if isinstance(obj, type) else type(obj)
            found.add(f"{kind.__module__}.{kind.__qualname__}")
            return NotImplemented

    Recording(io.BytesIO()).dump(value)
    return found


@pytest.mark.parametrize("outline", ["trilateral-alliance.yaml", "example.yaml"])
def test_each_renderer_is_handed_a_plan_of_plain_values_not_the_model(outline: str) -> None:
    """The renderers draw what the plans decided: what goes to each renderer's process holds
    no model, theme or loader object (the layers contract checks the renderers' imports)."""
    from reportgen.read.loader import load_outline

    jobs = build_module.check(load_outline(REPO / "outlines" / outline), ["pdf", "pptx"])
    assert set(jobs) == {"pdf", "pptx"}
    for fmt, job in jobs.items():
        assert job.loaded is None and job.plan is not None, fmt
        ours = {name for name in classes_pickled(job) if name.startswith("reportgen.")}
        assert ours and all(name.startswith(("reportgen.plan.", "reportgen.build.")) for name in ours), (fmt, ours)


def test_a_format_named_twice_is_built_once(project: Path) -> None:
    outline = write_outline(project)
    result = run("build", str(outline), "--format", "pdf,pptx,pdf", "--out", str(project / "out"))
    assert result.code == 0, result.err
    assert sorted(p.name for p in (project / "out").iterdir()) == ["brief.pdf", "brief.pptx"]
    assert result.out.count("brief.pdf:") == 1
