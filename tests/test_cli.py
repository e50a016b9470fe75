"""The reportgen command: validate, new, build, --version, --help, exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reportgen import __version__
from tests.conftest import REPO, VALID, run


def test_validate_prints_a_one_line_summary(project: Path) -> None:
    (project / "o.yaml").write_text(VALID)
    result = run("validate", "o.yaml", cwd=project)
    assert (result.code, result.err) == (0, "")
    assert result.out == "o.yaml: valid: 1 section, 1 paragraph, 2 words, 0 figures, 0 charts\n"


def test_the_trilateral_outline_validates() -> None:
    result = run("validate", "outlines/trilateral-alliance.yaml", cwd=REPO)
    assert result.code == 0, result.err
    assert result.out.startswith("outlines/trilateral-alliance.yaml: valid: 8 sections, 20 paragraphs, ")


def test_the_example_outline_validates_without_warnings() -> None:
    result = run("validate", "outlines/example.yaml", cwd=REPO)
    assert (result.code, result.err) == (0, ""), result.err
    assert result.out.endswith(" words, 1 figure, 1 chart\n")  # the summary counts charts as it counts figures


def test_new_writes_a_starter_that_validates(project: Path) -> None:
    result = run("new", "my-brief", cwd=project)
    assert result.code == 0, result.err
    assert (project / "outlines" / "my-brief.yaml").is_file()
    checked = run("validate", "outlines/my-brief.yaml", cwd=project)
    assert (checked.code, checked.err) == (0, "")
    written = (project / "outlines" / "my-brief.yaml").read_text()
    assert "My brief" in written
    import datetime

    assert f"date: {datetime.date.today().isoformat()} " in written  # the day it was written


def test_new_does_not_overwrite(project: Path) -> None:
    assert run("new", "my-brief", cwd=project).code == 0
    again = run("new", "my-brief", cwd=project)
    assert again.code == 2
    assert again.err == "outlines/my-brief.yaml: already exists; choose another name or remove it\n"


def test_a_bad_var_option_is_a_usage_error(project: Path) -> None:
    (project / "o.yaml").write_text(VALID)
    result = run("validate", "o.yaml", "--var", "no-equals", cwd=project)
    assert result.code == 2
    assert result.err == "--var 'no-equals': expected NAME=VALUE, NAME being letters, digits and _\n"


def test_a_missing_outline_is_named(project: Path) -> None:
    result = run("validate", "nope.yaml", cwd=project)
    assert (result.code, result.err) == (2, "nope.yaml: no such file\n")


def test_build_writes_both_formats_by_default_and_says_what_it_wrote(project: Path) -> None:
    (project / "o.yaml").write_text(VALID)
    result = run("build", "o.yaml", "--out", "out", cwd=project)
    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["out/o.pdf", "out/o.pptx"]
    assert lines[0].split(": ")[1].endswith(" s") and " pages, " in lines[0] and " slides, " in lines[1]


def test_build_rejects_an_unknown_format(project: Path) -> None:
    (project / "o.yaml").write_text(VALID)
    result = run("build", "o.yaml", "--format", "docx", cwd=project)
    assert (result.code, result.err) == (2, "--format 'docx': expected a comma-separated list of pdf, pptx\n")


def test_version_and_help() -> None:
    assert run("--version").out == f"reportgen {__version__}\n"
    help_text = run("--help").out
    assert "examples:" in help_text and "reportgen validate outlines/trilateral-alliance.yaml" in help_text


def test_a_users_mistake_never_prints_a_traceback(project: Path) -> None:
    (project / "o.yaml").write_text("title: [unclosed\n")
    result = subprocess.run([sys.executable, "-m", "reportgen", "validate", "o.yaml"], cwd=project,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert result.stderr == "o.yaml:2:1: title: while parsing a flow sequence, expected ',' or ']', but got '<stream end>'\n"
