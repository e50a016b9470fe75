"""The harness that bounds a hostile input's run: the real command, in a process of its own, with
1 GiB of address space (``RLIMIT_AS``) and 60 seconds of CPU (``RLIMIT_CPU``) set in the child,
and 60 seconds of wall-clock time. A build's render workers are forked from it and inherit its
bounds. An input that makes reportgen use more fails the test (MemoryError, a kill or a
timeout), not the machine; these bound the run, they are not a benchmark (docs/limits.md has
the limits that keep a run within them)."""

from __future__ import annotations

import re
import resource
import subprocess
import sys
from pathlib import Path

MEMORY = 1 << 30
"""Address space a command may map: 1 GiB."""
SECONDS = 60
"""CPU seconds, and wall-clock seconds, a command may take."""
PLACED = re.compile(r"^[^:\n]+:\d+:\d+: ", re.MULTILINE)
"""A refusal line: FILE:LINE:COL: ..."""


def limit(file_size: int | None = None) -> None:
    """In the child, before the command starts: its bounds (and, with ``file_size``, the most
    bytes any file it writes may hold: a disk that fills)."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS))
    if file_size is not None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))


def bounded_run(project: Path, *command: str, env: dict[str, str] | None = None,
                file_size: int | None = None) -> subprocess.CompletedProcess:
    """``reportgen COMMAND...`` run in ``project``, bounded; raises TimeoutExpired past the wall clock."""
    return subprocess.run([sys.executable, "-m", "reportgen", *command], cwd=project, env=env, capture_output=True,
                          text=True, timeout=SECONDS, preexec_fn=lambda: limit(file_size))


def bounded_popen(project: Path, *command: str, **options) -> subprocess.Popen:
    """The same, started and left running (the caller waits for it, or kills it)."""
    return subprocess.Popen([sys.executable, "-m", "reportgen", *command], cwd=project, preexec_fn=limit, **options)


def assert_refused_or_built(result: subprocess.CompletedProcess) -> None:
    """Exit 0, or exit 2 with a line naming FILE:LINE:COL; never a traceback or an internal error."""
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr[-2000:]
    assert result.returncode in (0, 2), (result.returncode, result.stderr[-2000:])
    if result.returncode == 2:
        assert PLACED.search(result.stderr), result.stderr[-2000:]


__all__ = ["MEMORY", "PLACED", "SECONDS", "assert_refused_or_built", "bounded_popen", "bounded_run", "limit"]
