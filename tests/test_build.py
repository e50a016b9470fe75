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
    real = build_module._render

    def failing(job, *args):
        if job.fmt == fmt:
            raise error
        return real(job, *args)

    monkeypatch.setattr(build_module, "_render", failing)


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


def imported_by(*args: str) -> set[str]:
    """The modules ``python -m reportgen ARGS`` has imported when it is about to exit."""
    code = ("import sys, runpy, atexit\n"
            "sys.argv = ['reportgen', *sys.argv[1:]]\n"
            "from reportgen.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('\\n'.join(sorted(sys.modules)))\n")
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO, check=True)
    return set(result.stdout.split())


def test_validate_and_start_up_import_neither_reportlab_nor_python_pptx_nor_pydantic() -> None:
    # pydantic's Python layer cost 110-170 ms a command; the model is validated by pydantic-core alone.
    for args in (("validate", "outlines/trilateral-alliance.yaml"), ("--version",), ("--help",)):
        modules = imported_by(*args)
        assert not {m for m in modules if m.split(".")[0] in ("reportlab", "pptx", "pydantic")}, args


def test_the_deck_renders_from_its_plan_without_the_model_or_pydantic_core(tmp_path: Path) -> None:
    """The deck's process is forked before the command imports the model and pydantic-core, and is
    handed a plan of plain values: its renderer and the plan must not bring them in."""
    from reportgen.read.loader import load_outline

    job = build_module._job("pptx", load_outline(REPO / "outlines" / "trilateral-alliance.yaml"), None, None)
    assert job.loaded is None and job.plan is not None
    (tmp_path / "job.pickle").write_bytes(__import__("pickle").dumps(job))
    code = ("import pickle, sys, time\n"
            "from reportgen import build\n"
            "build._prepare('pptx')\n"
            f"job = pickle.loads(open({str(tmp_path / 'job.pickle')!r}, 'rb').read())\n"
            "fmt, data, slides, _, _ = build._render(job, time.perf_counter())\n"
            "print(slides, data[:2].decode())\n"
            "print('\\n'.join(sorted(sys.modules)))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    first, *modules = result.stdout.split("\n")
    assert first == "23 PK"
    assert not {m for m in modules if m.split(".")[0] == "pydantic_core" or m in ("reportgen.model", "reportgen.theme")}


def test_a_format_named_twice_is_built_once(project: Path) -> None:
    outline = write_outline(project)
    result = run("build", str(outline), "--format", "pdf,pptx,pdf", "--out", str(project / "out"))
    assert result.code == 0, result.err
    assert sorted(p.name for p in (project / "out").iterdir()) == ["brief.pdf", "brief.pptx"]
    assert result.out.count("brief.pdf:") == 1
