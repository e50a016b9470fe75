"""Every command the README and ``reportgen --help`` show runs as written, in a fresh copy of the
project (its outlines and assets, as a clone has them), in the order shown; and the sample
template they use is what tools/institution_template.py makes."""

from __future__ import annotations

import re
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from reportgen.cli import EXAMPLES
from tests.conftest import REPO


def shown_commands() -> list[str]:
    """The README's ``sh`` blocks' reportgen lines and its inline ``reportgen …`` commands (three
    words or more), then --help's examples; comments dropped."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", readme, re.S):
        commands += [line.split("  #")[0].split("   #")[0].strip() for line in block.splitlines()
                     if line.startswith("reportgen ")]
    commands += [span for span in re.findall(r"`(reportgen [^`]+)`", readme) if len(span.split()) >= 3]
    commands += [line.split("#")[0].strip() for line in EXAMPLES.splitlines() if line.strip().startswith("reportgen ")]
    return list(dict.fromkeys(commands))


def test_the_readme_shows_the_commands_this_test_runs() -> None:
    commands = shown_commands()
    assert len(commands) >= 10
    assert {command.split()[1] for command in commands} >= {"validate", "build", "watch", "templates", "new", "--help"}


def test_every_command_shown_runs_as_written(tmp_path: Path) -> None:
    project = tmp_path / "clone"
    for folder in ("outlines", "assets"):
        shutil.copytree(REPO / folder, project / folder)
    for command in shown_commands():
        args = [sys.executable, "-m", "reportgen", *shlex.split(command)[1:]]
        if args[3] == "watch":  # builds, then watches: stopped once it has built
            process = subprocess.Popen(args, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            first = process.stdout.readline()
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)
            assert first.startswith("built: ") and process.returncode == 0, (command, first, err)
            continue
        done = subprocess.run(args, cwd=project, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, (command, done.stderr)
        assert "Traceback" not in done.stderr


def test_the_sample_template_is_what_its_script_makes(tmp_path: Path) -> None:
    made = tmp_path / "university.pptx"
    subprocess.run([sys.executable, str(REPO / "tools" / "institution_template.py"), str(made)], check=True,
                   capture_output=True)
    assert made.read_bytes() == (REPO / "assets" / "university.pptx").read_bytes()
