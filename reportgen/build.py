"""Build outputs from an outline: load, plan and render every format, then write them all.

Nothing is written until every requested format has rendered, and each file is written
atomically (a temporary file in the same folder, then a rename), so a failed build leaves the
previous good files in place and no temporary file behind.
"""

from __future__ import annotations

import datetime
import gc
import importlib
import os
import pickle
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from reportgen.errors import OutlineError, ReportgenError

if TYPE_CHECKING:  # the command forks its renderers before it imports the loader (and YAML, jinja2)
    from reportgen.plan.slides import DeckPlan
    from reportgen.read.loaded import Loaded

FORMATS = ("pdf", "pptx")


class Built(NamedTuple):
    """One file written by :func:`build`."""

    path: Path
    format: str
    units: int
    """Pages of a PDF, slides of a deck."""
    size: int
    seconds: float
    warnings: tuple[str, ...] = ()
    """What the renderer had to say (a template's external links removed), one line each."""

    def summary(self) -> str:
        unit = "page" if self.format == "pdf" else "slide"
        return (f"{self.path}: {self.units} {unit}{'s' if self.units != 1 else ''}, "
                f"{self.size / 1024:,.0f} KB, {self.seconds:.2f} s")


def build(loaded: Loaded, name: str, formats: list[str], out_dir: Path, *, page_size: str | None = None,
          slide_size: str | None = None, started: float | None = None,
          workers: dict[str, _Worker] | None = None) -> list[Built]:
    """Render ``formats`` of a loaded outline and write them to ``out_dir/<name>.<format>``.

    Each format renders in a forked process of its own (where ``os.fork`` exists), both at
    once: the job (:class:`_Job`) goes to the worker pickled through a pipe and the file's bytes
    come back the same way. ``workers`` are those forked by :func:`fork_workers` before the
    outline was loaded (the command does that); without them they are forked here. Nothing is
    written until every format has rendered.
    ``page_size`` and ``slide_size`` override the theme's (``loaded.theme``).
    ``started`` (a ``time.perf_counter()`` reading) is when the build began, loading included;
    each file's ``seconds`` counts from then.
    """
    started = time.perf_counter() if started is None else started
    formats = list(dict.fromkeys(formats))  # a format named twice is built once
    try:
        for fmt in formats:
            if fmt not in FORMATS:
                raise ReportgenError(f"--format {fmt}: expected pdf or pptx")
        if workers is None:
            workers = {**fork_workers(formats, started, with_model=False), **fork_workers(formats, started, with_model=True)}
        here = {}
        for fmt in (f for f in FORMATS if f in formats):  # the brief's first: its worker starts while the deck is planned
            job = _job(fmt, loaded, page_size, slide_size)
            if fmt in workers:
                workers[fmt].send(job)
            else:
                here[fmt] = job
        done = {fmt: _render(job, started) for fmt, job in here.items()}
        rendered = [done[fmt] if fmt in done else workers[fmt].result() for fmt in formats]
    except BaseException:
        for worker in (workers or {}).values():  # the build has failed: stop the other formats, and reap them
            worker.stop()
        raise
    written = []
    for fmt, data, units, seconds, warnings in rendered:
        path = out_dir / f"{name}.{fmt}"
        write_atomically(path, data)
        written.append(Built(path, fmt, units, len(data), seconds, warnings))
    return written


def fork_workers(formats: list[str], started: float | None = None, *, with_model: bool) -> dict[str, _Worker]:
    """Fork, now, a worker process for each of ``formats`` whose job holds model objects
    (``with_model``: the brief's) or holds none (the deck's, a plan of plain values).

    Called before the outline is loaded, a worker imports its renderer (and reads its fonts) on
    the other core while this process reads the outline; then it waits for its job (see
    :meth:`_Worker.send`). The deck's worker is forked first, before this process imports the
    model and pydantic (it needs neither), so that python-pptx's imports (130 ms) overlap
    theirs (120); the brief's after them, since it unpickles model objects. None where there is
    no ``os.fork``, or where this process has other threads (``fork`` is safe in a process with
    one thread only: a lock held by another thread would stay locked in the child); the formats
    then render in turn, here. Stop the workers (:meth:`_Worker.stop`) if the build does not happen.
    """
    if not (hasattr(os, "fork") and threading.active_count() == 1):
        return {}
    started = time.perf_counter() if started is None else started
    chosen = [fmt for fmt in formats if fmt in FORMATS and (fmt == "pdf") == with_model]
    for name in (name for fmt in chosen for name in SHARED_IMPORTS[fmt]):
        importlib.import_module(name)
    return {fmt: _Worker(fmt, started) for fmt in chosen}


SHARED_IMPORTS = {
    "pptx": ("inspect", "hashlib", "zipfile", "base64", "copy", "textwrap", "reportgen.images",
             "reportgen.font_metrics", "reportgen.plan.fit", "reportgen.plan.slides"),
    "pdf": ("dataclasses", "string", "traceback", "reportgen.plan.brief", "reportgen.read.loaded"),
}
"""What this process and a renderer's process both import (lxml and pydantic-core import
``inspect``; jinja2, the deck's images and the brief's disk cache ``hashlib``; the deck's plan and
its renderer ``plan.slides`` ...): imported before that renderer's process is forked, once
rather than in each process: 120 M instructions of a build's 1,910."""


def resume_collection() -> None:
    """Where the command has paused garbage collection (``reportgen.cli.run``), resume it.

    What exists by now (modules, the outline) lives until exit, so it is frozen out of every
    collection, and the young generation is collected every 10,000 new objects rather than
    every 700: for the trilateral brief and deck, 10 ms of collection instead of 22 (and 60 ms
    when collection also ran during the imports). Not collecting at all saved those 10 ms but
    grew a 1,000-section deck's process from 320 MB to 680. In Python (the tests), where
    collection was never paused, nothing changes.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.set_threshold(10_000, 50, 50)
        gc.enable()


def _prepare(fmt: str) -> None:
    """What rendering ``fmt`` needs before it has its job: its modules, the brief's fonts, the
    deck's default presentation."""
    if fmt == "pdf":
        import reportgen.render.pdf_brief  # noqa: F401
        from reportgen.render.fonts import fonts

        fonts()
    else:
        from reportgen.render.pptx_deck import prepare

        prepare()


class _Job(NamedTuple):
    """What one format's renderer is handed (pickled, where it renders in a worker).

    The brief's: the loaded outline. The deck's: its plan, made in the command's process, so
    that the deck's process needs neither the model nor pydantic; or, for a deck made from an
    institution's template, the loaded outline: the template is read with python-pptx, so that
    deck is planned where it renders. Made by :func:`_job`.
    """

    fmt: str
    loaded: Loaded | None = None
    plan: DeckPlan | None = None
    date: datetime.date | None = None
    page_size: str | None = None
    slide_size: str | None = None


def _job(fmt: str, loaded: Loaded, page_size: str | None, slide_size: str | None) -> _Job:
    if fmt == "pptx" and loaded.template is None:
        from reportgen.plan.deck import plan_deck

        return _Job(fmt, plan=plan_deck(loaded.document, loaded.theme, slide_size), date=loaded.document.date)
    return _Job(fmt, loaded=loaded, page_size=page_size, slide_size=slide_size)


def _render(job: _Job, started: float) -> tuple[str, bytes, int, float, tuple[str, ...]]:
    """One format's bytes, its page or slide count, the seconds since ``started``, and its warnings."""
    loaded = job.loaded
    if job.fmt == "pdf":
        from reportgen.plan.brief import plan_brief
        from reportgen.render.fonts import fonts, text_problems
        from reportgen.render.pdf_brief import render_brief

        problems = text_problems(loaded.texts(), fonts())
        if problems:
            raise OutlineError(problems)

        pdf = render_brief(plan_brief(loaded.document, loaded.theme, job.page_size))
        return job.fmt, pdf.data, pdf.pages, time.perf_counter() - started, ()
    from reportgen.render.pptx_deck import render_deck

    if job.plan is not None:
        deck, warnings = render_deck(job.plan, job.date), ()
    else:
        from reportgen.render.pptx_template import template_warnings

        plan = _template_deck_plan(loaded, job.slide_size)
        deck = render_deck(plan, loaded.document.date)
        warnings = tuple(str(warning) for warning in template_warnings(plan.template, loaded))
    return job.fmt, deck.data, deck.slides, time.perf_counter() - started, warnings


def _template_deck_plan(loaded: Loaded, slide_size: str | None) -> DeckPlan:
    from reportgen.plan.deck import plan_deck
    from reportgen.render.pptx_template import template_layouts

    template, layouts = template_layouts(loaded)
    if slide_size is not None:
        raise ReportgenError(f"--slide-size {slide_size}: the deck takes its slide size from its template "
                             f"{loaded.template.name} ({template.width:g} x {template.height:g} pt)")
    return plan_deck(loaded.document, loaded.theme, None, template, layouts)


class _Worker:
    """One format rendered in a forked child: its job (:class:`_Job`) goes in pickled through
    one pipe, the result comes back pickled through another.

    The child first imports what its format needs (:func:`_prepare`), then waits for the job;
    when the pipe closes without one (the outline was wrong), it ends quietly. A user's
    mistake found there (a :class:`ReportgenError`) comes back as its message and exit code;
    anything else as an internal error. The child ends with ``os._exit``: it never returns into
    the caller's code, flushes no inherited buffer and runs no exit handler.
    """

    def __init__(self, fmt: str, started: float):
        self.fmt = fmt
        for stream in (sys.stdout, sys.stderr):  # nothing buffered may be written twice
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        inward, self._to_child = os.pipe()
        self._from_child, outward = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child
            code = 0
            try:
                os.close(self._to_child)
                os.close(self._from_child)
                try:
                    _prepare(fmt)
                    with os.fdopen(inward, "rb") as pipe:
                        try:
                            job = pickle.load(pipe)
                        except EOFError:  # no job: the build did not happen
                            os._exit(0)
                    resume_collection()  # paused by the command: the imports and the job are left out of it
                    outcome = ("ok", _render(job, started))
                except ReportgenError as err:
                    outcome = ("error", (str(err), err.exit_code))
                except BaseException as err:  # noqa: BLE001 - reported to the parent as an internal error
                    import traceback

                    detail = traceback.format_exc() if os.environ.get("REPORTGEN_DEBUG") else ""
                    outcome = ("crash", (f"{type(err).__name__}: {err}", detail))
                    code = 130 if isinstance(err, KeyboardInterrupt) else 1
                with os.fdopen(outward, "wb") as pipe:
                    pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # noqa: BLE001 - nothing may escape the child
                code = code or 1
            finally:
                os._exit(code)
        os.close(inward)
        os.close(outward)
        self.data = bytearray()
        self._threads: list[threading.Thread] = []
        self._reaped = False

    def send(self, job: _Job) -> None:
        """Hand the job to the child, and start collecting its result. Both happen on threads,
        so this process goes on with its own work: the child may still be importing."""
        payload = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        fd, self._to_child = self._to_child, None
        self._threads = [threading.Thread(target=_write, args=(fd, payload), daemon=True),
                         threading.Thread(target=self._read, args=(self._from_child,), daemon=True)]
        for thread in self._threads:  # the reader drains the pipe meanwhile: the child exits, and frees its memory, when done
            thread.start()

    def _read(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                self.data += chunk

    def stop(self) -> None:
        """End the child (it may be waiting for an outline that will not come) and reap it."""
        if self._reaped:
            return
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        self._wait()

    def _wait(self) -> int:
        if self._to_child is not None:  # never sent: closing the pipe tells the child so
            os.close(self._to_child)
            self._to_child = None
        for thread in self._threads:
            thread.join()
        if not self._threads:
            os.close(self._from_child)
        self._reaped = True
        return os.waitpid(self.pid, 0)[1]

    def result(self) -> tuple[str, bytes, int, float, tuple[str, ...]]:
        status = self._wait()
        if not self.data:
            raise RuntimeError(f"the {self.fmt} renderer ended without a result ({_status(status)})")
        kind, value = pickle.loads(bytes(self.data))
        if kind == "ok":
            return value
        if kind == "error":
            message, exit_code = value
            error = ReportgenError(message)
            error.exit_code = exit_code
            raise error
        message, detail = value
        if message.startswith("KeyboardInterrupt"):
            raise KeyboardInterrupt
        raise RuntimeError(f"in the {self.fmt} renderer: {message}" + (f"\n{detail}" if detail else ""))


def _write(fd: int, payload: bytes) -> None:
    """Write ``payload`` to a pipe and close it; a child that has already ended (a crash, reported
    through its result) is not an error here."""
    try:
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(payload)
    except BrokenPipeError:
        pass


def _status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit code {os.WEXITSTATUS(status)}"


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that ``path`` is always either the old file or the new one."""
    import tempfile  # here, not before the renderers fork: it imports shutil, random, bz2, lzma

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise ReportgenError(f"{path.parent}: cannot write there: {err.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException as err:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise ReportgenError(f"{path}: cannot write: {err.strerror}") from None
        raise
