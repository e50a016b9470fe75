"""Build outputs from an outline: load, plan and render every format, then write them all.

Nothing is written until every requested format has rendered, and then the files replace the
previous ones together (:mod:`reportgen.outputs`): a failed or killed build leaves the previous
set in place and no temporary file behind.
"""

from __future__ import annotations

import datetime
import gc
import importlib
import os
import pickle
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from reportgen.errors import OutlineError, Problem, ReportgenError, key_path

if TYPE_CHECKING:  # the command forks its renderers before it imports the loader (and YAML, jinja2)
    from collections.abc import Iterable, Iterator

    from reportgen.plan.brief import BriefPlan
    from reportgen.plan.slides import DeckPlan
    from reportgen.read.loaded import Loaded
    from reportgen.render.pdf_tree import DrawnPdf

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
    once: the job (:class:`_Job`, the format's plan) goes to the worker through a pipe and the
    file's bytes come back the same way. ``workers`` are those forked by :func:`fork_workers` before the
    outline was loaded (the command does that); without them they are forked here. Nothing is
    written until every format has rendered.
    ``page_size`` and ``slide_size`` override the theme's (``loaded.theme``).
    ``started`` (a ``time.perf_counter()`` reading) is when the build began, loading included;
    each file's ``seconds`` counts from then.
    """
    from reportgen.outputs import recover

    started = time.perf_counter() if started is None else started
    formats = list(dict.fromkeys(formats))  # a format named twice is built once
    recover(out_dir)  # what a killed build left there, first
    try:
        for fmt in formats:
            if fmt not in FORMATS:
                raise ReportgenError(f"--format {fmt}: expected pdf or pptx")
        if workers is None:
            workers = fork_workers(formats, started)
        here = _hand_out(jobs(loaded, formats, page_size, slide_size), workers)
        if "pdf" in workers:  # while it draws the brief, what finishing it takes (pikepdf)
            importlib.import_module("reportgen.render.pdf_finish")
            freeze_imports()
        done = {fmt: _render(job, started) for fmt, job in here.items()}
        rendered = [done[fmt] if fmt in done else _finished(workers[fmt].result(), started) for fmt in formats]
    except BaseException:
        for worker in (workers or {}).values():  # the build has failed: stop the other formats, and reap them
            worker.stop()
        raise
    from reportgen.outputs import replace_together

    paths = [out_dir / f"{name}.{fmt}" for fmt, *_ in rendered]
    try:
        replace_together({path: result[1] for path, result in zip(paths, rendered)})
    finally:
        for worker in workers.values():  # (each has sent its outcome, and ends)
            worker.reap()
    return [Built(path, fmt, units, len(data), seconds, warnings)
            for path, (fmt, data, units, seconds, warnings) in zip(paths, rendered)]


def _hand_out(made: Iterable[tuple[str, _Job]], workers: dict[str, _Worker]) -> dict[str, _Job]:
    """Send each job to its format's worker as soon as it is made; the jobs that have none, to
    render here. A plan sent is not kept in this process while the workers render (a loop
    variable left holding the last one kept a long deck's plan to the end of the build:
    docs/performance.md)."""
    here = {}
    for fmt, job in made:
        if fmt in workers:
            workers[fmt].send(job)
        else:
            here[fmt] = job
    return here


def check(loaded: Loaded, formats: list[str], page_size: str | None = None,
          slide_size: str | None = None) -> dict[str, _Job]:
    """Every check that building ``formats`` of ``loaded`` makes before anything renders, and
    each format's job: the plan its renderer draws. ``reportgen validate`` calls this for every
    format, ``build`` (through :func:`jobs`) for those it builds, so the two refuse the same
    outlines with the same errors: characters no face can print and right-to-left text (the
    brief), what the plans refuse, and an institution template without the layouts the deck needs.
    Raises OutlineError (every text problem at once) or ReportgenError."""
    return dict(jobs(loaded, formats, page_size, slide_size))


def jobs(loaded: Loaded, formats: list[str], page_size: str | None = None,
         slide_size: str | None = None) -> Iterator[tuple[str, _Job]]:
    """:func:`check`'s checks, then each format's job as soon as it is planned, the brief's
    first: ``build`` hands it to its worker, which starts drawing while the deck is planned.
    The text and table checks run before the first job, so no job is made for an outline they
    refuse; a plan that refuses the outline raises when it is made."""
    from reportgen.glyphs import text_problems

    problems = text_problems(loaded.texts()) if "pdf" in formats else []
    problems += table_problems(loaded, formats, page_size, slide_size)
    if problems:
        raise OutlineError(problems)
    for fmt in FORMATS:
        if fmt in formats:
            yield fmt, _job(fmt, loaded, page_size, slide_size)


def table_problems(loaded: Loaded, formats: list[str], page_size: str | None = None,
                   slide_size: str | None = None) -> list[Problem]:
    """A problem for each table with more columns than a page of the brief or a slide of the
    deck holds (each column at least a few ems wide), naming the most that fit."""
    from reportgen import model
    from reportgen.plan import brief, deck

    limits = {}
    if "pdf" in formats:
        limits["pdf"] = ("the brief's page", brief.table_columns_that_fit(loaded.theme, page_size))
    if "pptx" in formats:
        limits["pptx"] = ("a slide", deck.table_columns_that_fit(loaded.theme, slide_size))
    problems = []
    for number, section in enumerate(loaded.document.sections):
        for index, block in enumerate(section.body):
            if not isinstance(block, model.Table):
                continue
            within = [(where, most) for fmt, (where, most) in limits.items() if fmt not in section.skip]
            too_many = [(where, most) for where, most in within if len(block.header) > most]
            if too_many:
                where, most = min(too_many, key=lambda limit: limit[1])
                key = ("sections", number, "body", index, "table", "header")
                problems.append(Problem.at(loaded.where(*key), key_path(key),
                                           f"the table has {len(block.header)} columns, more than {where} holds: "
                                           f"at most {most}; split it into tables of {most} columns or fewer"))
    return problems


def fork_workers(formats: list[str], started: float | None = None) -> dict[str, _Worker]:
    """Fork, now, a worker process for each of ``formats``, the deck's first (its imports take
    longest).

    Called before the outline is loaded, a worker imports its renderer (and reads its fonts) on
    the other core while this process reads the outline; then it waits for its job (see
    :meth:`_Worker.send`). A job is a plan of plain values (or, for a deck made from an
    institution's template, the loaded outline), so the workers are forked before this process
    imports the model and pydantic: neither renderer needs them. None where there is no
    ``os.fork``, or where this process has other threads (``fork`` is safe in a process with
    one thread only: a lock held by another thread would stay locked in the child); the formats
    then render in turn, here. Stop the workers (:meth:`_Worker.stop`) if the build does not happen.
    """
    if not (hasattr(os, "fork") and threading.active_count() == 1):
        return {}
    started = time.perf_counter() if started is None else started
    workers: dict[str, _Worker] = {}
    for fmt in (fmt for fmt in ("pptx", "pdf") if fmt in formats):
        for name in SHARED_IMPORTS[fmt]:
            importlib.import_module(name)
        workers[fmt] = _Worker(fmt, started)
    return workers


SHARED_IMPORTS = {
    "pptx": ("inspect", "hashlib", "zipfile", "base64", "copy", "textwrap", "reportgen.images",
             "reportgen.font_metrics", "reportgen.plan.fit", "reportgen.plan.slides"),
    "pdf": ("dataclasses", "string", "traceback", "reportgen.plan.brief"),
}
"""What this process and a renderer's process both import (lxml and pydantic-core import
``inspect``; jinja2, the deck's images and the brief's disk cache ``hashlib``; the deck's plan and
its renderer ``plan.slides`` ...): imported before that renderer's process is forked, once
rather than in each process."""


def resume_collection() -> None:
    """Where the command has paused garbage collection (``reportgen.cli.run``), resume it: what
    exists by now (modules, the outline) lives until exit, so it is frozen out of every
    collection, and the young generation is collected every 10,000 new objects rather than every
    700. Not collecting at all would grow a 1,000-section deck's process by half. In Python code
    that never paused collection (the tests, a library caller), nothing changes."""
    if not gc.isenabled():
        gc.freeze()
        gc.set_threshold(10_000, 50, 50)
        gc.enable()
        _resumed.append(True)


_resumed: list[bool] = []
"""Whether this process resumed the collection the command paused (:func:`resume_collection`)."""


def freeze_imports() -> None:
    """Where the command paused and resumed collection, freeze what exists by now out of every
    collection: called once it has imported what finishing the brief takes (pikepdf's modules
    live until exit), so that no collection of the young generation scans them while the brief
    is finished. In Python code that never paused collection, nothing changes."""
    if _resumed:
        gc.freeze()


def _prepare(fmt: str) -> None:
    """What rendering ``fmt`` needs before it has its job: its modules, the brief's fonts, the
    deck's default presentation."""
    from reportgen import _compat

    _compat.start(fmt)
    if fmt == "pdf":
        import reportgen.render.pdf_brief  # noqa: F401
        from reportgen.render.fonts import fonts

        fonts()
    else:
        from reportgen.render.pptx_deck import prepare

        prepare()


class _Job(NamedTuple):
    """What one format's renderer is handed (pickled, where it renders in a worker).

    Its plan, made in the command's process, so that a renderer's process needs neither the
    model nor pydantic; or, for a deck made from an institution's template, the loaded outline:
    the template is read with python-pptx, so that deck is planned where it renders. Made by
    :func:`_job`.
    """

    fmt: str
    loaded: Loaded | None = None
    plan: DeckPlan | BriefPlan | None = None
    date: datetime.date | None = None
    page_size: str | None = None
    slide_size: str | None = None


def _job(fmt: str, loaded: Loaded, page_size: str | None, slide_size: str | None) -> _Job:
    if fmt == "pdf":
        from reportgen.plan.brief import plan_brief

        return _Job(fmt, plan=plan_brief(loaded.document, loaded.theme, page_size))
    if loaded.template is None:
        from reportgen.plan.deck import plan_deck

        return _Job(fmt, plan=plan_deck(loaded.document, loaded.theme, slide_size), date=loaded.document.date)
    return _Job(fmt, loaded=loaded, page_size=page_size, slide_size=slide_size)


_Rendered = tuple[str, bytes, int, float, tuple[str, ...]]
"""One format's bytes, its page or slide count, the seconds since the build started, and its
warnings."""


_Drawn = tuple[str, "DrawnPdf", int, float, tuple[str, ...]]
"""The brief drawn, its structure tree not yet written: what a worker sends back, so that the
process that draws the brief never imports pikepdf (:func:`_finished` finishes it)."""


def _render(job: _Job, started: float) -> _Rendered:
    """One format rendered."""
    return _finished(_render_or_draw(job, started), started)


def _render_or_draw(job: _Job, started: float) -> _Rendered | _Drawn:
    """One format rendered, or, the brief, drawn (:data:`_Drawn`)."""
    from reportgen import _compat

    _compat.start(job.fmt)
    if job.fmt == "pdf":
        from reportgen.plan.brief import BriefPlan
        from reportgen.render.pdf_brief import draw_brief

        assert isinstance(job.plan, BriefPlan)
        drawn = draw_brief(job.plan)
        return job.fmt, drawn, drawn.pages, time.perf_counter() - started, ()
    from reportgen.plan.slides import DeckPlan
    from reportgen.render.pptx_deck import render_deck

    warnings: tuple[str, ...] = ()
    if isinstance(job.plan, DeckPlan):
        assert job.date is not None
        deck = render_deck(job.plan, job.date)
    else:
        from reportgen.render.pptx_template import template_warnings

        assert job.loaded is not None
        plan = template_deck_plan(job.loaded, job.slide_size)
        assert plan.template is not None
        deck = render_deck(plan, job.loaded.document.date)
        warnings = tuple(str(warning) for warning in template_warnings(plan.template, job.loaded))
    return job.fmt, deck.data, deck.slides, time.perf_counter() - started, warnings


def _finished(result: _Rendered | _Drawn, started: float) -> _Rendered:
    """A rendered format, the brief finished (its structure tree written) if it was only drawn."""
    fmt, data, units, seconds, warnings = result
    if isinstance(data, bytes):
        return fmt, data, units, seconds, warnings
    from reportgen.render.pdf_finish import finish_brief

    return fmt, finish_brief(data).data, units, time.perf_counter() - started, warnings


def template_deck_plan(loaded: Loaded, slide_size: str | None) -> DeckPlan:
    from reportgen.plan.deck import plan_deck
    from reportgen.render.pptx_template import template_layouts

    found = template_layouts(loaded)
    assert found is not None and loaded.template is not None, "called for a deck made from a template"
    template, layouts = found
    if slide_size is not None:
        raise ReportgenError(f"--slide-size {slide_size}: the deck takes its slide size from its template "
                             f"{loaded.template.name} ({template.width:g} x {template.height:g} pt)")
    return plan_deck(loaded.document, loaded.theme, None, template, layouts)


PIPE_ROOM = 64 * 1024
"""Bytes a job may have to be written to its worker's pipe without a thread: well under a Unix
socket pair's buffer (multiprocessing's ``Pipe``), so the write returns before the child reads."""


class _Worker:
    """One format rendered in a forked child (``multiprocessing``, fork context): its job
    (:class:`_Job`) goes in, and the result comes back, through a pipe.

    The child first imports what its format needs (:func:`_prepare`), then waits for the job;
    when the pipe closes without one (the outline was wrong), it ends quietly. A user's
    mistake found there (a :class:`ReportgenError`) comes back as its message and exit code;
    anything else as an internal error.
    """

    def __init__(self, fmt: str, started: float):
        import multiprocessing

        self.fmt = fmt
        for stream in (sys.stdout, sys.stderr):  # nothing buffered may be written twice
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        context = multiprocessing.get_context("fork")
        self._pipe, child_end = context.Pipe()
        self._process = context.Process(target=_serve, args=(fmt, child_end, started), daemon=True,
                                        name=f"reportgen-{fmt}")
        self._process.start()
        child_end.close()
        self._sender: threading.Thread | None = None

    def send(self, job: _Job) -> None:
        """Hand the job to the child, pickled here. One that fits in the pipe's buffer
        (:data:`PIPE_ROOM`) is written at once: the write does not wait for the child, which may
        still be importing. A larger one is written on a thread of its own, so that this process
        goes on with its own work while the child reads it (a thread that runs takes the
        interpreter's lock from this one for up to a switch interval, 5 ms, each time)."""
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        if len(data) <= PIPE_ROOM:
            self._write(data)
            return
        self._sender = threading.Thread(target=self._write, args=(data,), daemon=True)
        self._sender.start()

    def _write(self, data: bytes) -> None:
        try:
            self._pipe.send_bytes(data)
        except (BrokenPipeError, ConnectionResetError):  # the child has ended: its result says why
            pass

    def reap(self) -> None:
        """Wait for the child, which has sent its outcome, to end."""
        self._process.join()
        self._pipe.close()

    def stop(self) -> None:
        """End the child (it may be waiting for an outline that will not come) and reap it."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._pipe.close()

    def result(self) -> _Rendered | _Drawn:
        """The child's outcome, as soon as it has sent it: the child is reaped later
        (:meth:`reap`), so that finishing the brief does not wait for its process to end."""
        if self._sender is not None:
            self._sender.join()
        try:
            kind, value = self._pipe.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(f"the {self.fmt} renderer ended without a result (exit code {self._process.exitcode})") from None
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


def _serve(fmt: str, pipe, started: float) -> None:
    """The child's part of :class:`_Worker`: prepare, wait for the job, render it, send the outcome."""
    _prepare(fmt)
    try:
        job = pipe.recv()
    except EOFError:  # no job: the build did not happen
        return
    resume_collection()  # paused by the command: the imports and the job are left out of it
    try:
        outcome: tuple = ("ok", _render_or_draw(job, started))
    except ReportgenError as err:
        outcome = ("error", (str(err), err.exit_code))
    except BaseException as err:  # noqa: BLE001 - reported to the parent as an internal error
        import traceback

        detail = traceback.format_exc() if os.environ.get("REPORTGEN_DEBUG") else ""
        outcome = ("crash", (f"{type(err).__name__}: {err}", detail))
    pipe.send(outcome)
