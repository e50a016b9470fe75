"""The harness that bounds a hostile input's run: the real command, in a session of its own, with
1 GiB of address space (``RLIMIT_AS``) and 60 seconds of CPU (``RLIMIT_CPU``) set in the child
(its forked render workers inherit both), 60 seconds of wall-clock time, and 1 GiB of memory
for the whole build: a watcher thread in the test's process adds up the memory of the command
and of every process of its session (its render workers; proportional set sizes, so a page they
share is counted once) every 50 ms, and kills the session past the bound, failing the test with
the figure. An input that
makes reportgen use more fails the test (MemoryError, a kill or a timeout), not the machine;
these bound the run, they are not a benchmark (docs/limits.md has the limits that keep a run
within them)."""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
import threading
from pathlib import Path

MEMORY = 1 << 30
"""Address space a command may map, and memory its whole build may hold: 1 GiB."""
SECONDS = 60
"""CPU seconds, and wall-clock seconds, a command may take."""
POLL = 0.05
"""Seconds between two readings of a build's memory."""
PLACED = re.compile(r"^[^:\n]+:\d+:\d+: ", re.MULTILINE)
"""A refusal line: FILE:LINE:COL: ..."""
PAGE = os.sysconf("SC_PAGE_SIZE")


def limit(file_size: int | None = None) -> None:
    """In the child, before the command starts: its bounds (and, with ``file_size``, the most
    bytes any file it writes may hold: a disk that fills)."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS))
    if file_size is not None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))


def session_memory(leader: int) -> int:
    """The memory, in bytes, that ``leader`` and every process in its session or descended from
    it hold together: the sum of their proportional set sizes (``Pss`` in ``/proc/PID/smaps_rollup``:
    a page shared by the command and the workers it forked is counted once, in shares), or of
    their resident sizes where that file cannot be read (a page shared is then counted in each)."""
    parents: dict[int, int] = {}
    pages: dict[int, int] = {}
    members: set[int] = set()
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:  # (gone since the listing)
            continue
        pid = int(name)
        parents[pid], pages[pid] = int(fields[1]), int(fields[21])
        if pid == leader or int(fields[3]) == leader:
            members.add(pid)
    found = True
    while found:  # (a descendant that started a session of its own)
        found = False
        for pid, parent in parents.items():
            if parent in members and pid not in members:
                members.add(pid)
                found = True
    return sum(_proportional(pid, pages[pid]) for pid in members)


def _proportional(pid: int, resident_pages: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resident_pages * PAGE


class Watch(threading.Thread):
    """Reads the memory of a command's session every :data:`POLL` seconds until it is
    stopped; past ``bound``, kills the session (SIGKILL to its process group) and keeps the figure."""

    def __init__(self, process: subprocess.Popen, bound: int = MEMORY):
        super().__init__(daemon=True)
        self.process, self.bound = process, bound
        self.peak = 0
        self.exceeded: int | None = None
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set() and self.process.poll() is None:
            used = session_memory(self.process.pid)
            self.peak = max(self.peak, used)
            if used > self.bound:
                self.exceeded = used
                kill_session(self.process)
                return
            self._done.wait(POLL)

    def stop(self) -> None:
        self._done.set()
        self.join()

    def check(self) -> None:
        """Fails the test when the build held more than the bound."""
        assert self.exceeded is None, (
            f"the build held {self.exceeded:,} bytes of memory in its processes together, "
            f"more than {self.bound:,}: killed")


def kill_session(process: subprocess.Popen) -> None:
    """SIGKILL to the command's process group (it leads a session of its own): its workers too."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def bounded_popen(project: Path, *command: str, file_size: int | None = None, **options) -> subprocess.Popen:
    """``reportgen COMMAND...`` started in ``project`` in a session of its own, bounded in the
    child (the caller waits for it under a :class:`Watch`, or kills it)."""
    return subprocess.Popen([sys.executable, "-m", "reportgen", *command], cwd=project, start_new_session=True,
                            preexec_fn=lambda: limit(file_size), **options)


def watched(process: subprocess.Popen, *, bound: int = MEMORY, stdin: str | bytes | None = None,
            timeout: float = SECONDS) -> tuple:
    """``process.communicate()`` under a :class:`Watch` of ``bound`` bytes and the wall clock:
    the session is killed past either (TimeoutExpired is raised past the clock, AssertionError
    past the memory, with the figure). Returns its (stdout, stderr); ``process.peak_memory`` holds
    the most memory its processes held together at one reading."""
    watch = Watch(process, bound)
    watch.start()
    try:
        out, err = process.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_session(process)
        process.communicate()
        raise
    finally:
        watch.stop()
    kill_session(process)  # (a worker left behind by a command that ended)
    process.peak_memory = watch.peak  # type: ignore[attr-defined]
    watch.check()
    return out, err


def bounded_run(project: Path, *command: str, env: dict[str, str] | None = None,
                file_size: int | None = None, bound: int = MEMORY) -> subprocess.CompletedProcess:
    """``reportgen COMMAND...`` run in ``project``, bounded (``bound``: the memory its
    processes may hold together); raises TimeoutExpired past the wall clock, AssertionError
    past the memory bound. The result's ``peak_memory`` is the most its processes held together."""
    process = bounded_popen(project, *command, env=env, file_size=file_size, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    out, err = watched(process, bound=bound)
    result = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    result.peak_memory = process.peak_memory  # type: ignore[attr-defined]
    return result


def assert_refused_or_built(result: subprocess.CompletedProcess) -> None:
    """Exit 0, or exit 2 with a line naming FILE:LINE:COL; never a traceback or an internal error."""
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr[-2000:]
    assert result.returncode in (0, 2), (result.returncode, result.stderr[-2000:])
    if result.returncode == 2:
        assert PLACED.search(result.stderr), result.stderr[-2000:]


__all__ = ["MEMORY", "PLACED", "POLL", "SECONDS", "Watch", "assert_refused_or_built", "bounded_popen", "bounded_run",
           "kill_session", "limit", "session_memory", "watched"]
