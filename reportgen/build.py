"""Build outputs from an outline: load, plan and render every format, then write them all.

Nothing is written until every requested format has rendered, and each file is written
atomically (a temporary file in the same folder, then a rename), so a failed build leaves the
previous good files in place and no temporary file behind.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from reportgen.errors import OutlineError, ReportgenError
from reportgen.read.loader import Loaded

FORMATS = ("pdf", "pptx")


@dataclass(frozen=True)
class Built:
    """One file written by :func:`build`."""

    path: Path
    format: str
    units: int
    """Pages of a PDF, slides of a deck."""
    size: int
    seconds: float

    def summary(self) -> str:
        unit = "page" if self.format == "pdf" else "slide"
        return (f"{self.path}: {self.units} {unit}{'s' if self.units != 1 else ''}, "
                f"{self.size / 1024:,.0f} KB, {self.seconds:.2f} s")


def build(loaded: Loaded, name: str, formats: list[str], out_dir: Path, *, page_size: str | None = None,
          slide_size: str | None = None, started: float | None = None) -> list[Built]:
    """Render ``formats`` of a loaded outline and write them to ``out_dir/<name>.<format>``.

    Two formats render at the same time, the second in a forked process (where ``os.fork``
    exists), which inherits the loaded outline; their bytes come back through a pipe. Nothing
    is written until both have rendered.
    ``page_size`` and ``slide_size`` override the theme's (``loaded.theme``).
    ``started`` (a ``time.perf_counter()`` reading) is when the build began, loading included;
    each file's ``seconds`` counts from then.
    """
    started = time.perf_counter() if started is None else started
    for fmt in formats:
        if fmt not in FORMATS:
            raise ReportgenError(f"--format {fmt}: expected pdf or pptx")
    # fork() is safe in a process with one thread only (a lock held by another thread would
    # stay locked in the child); where it is not, or not there, the formats render in turn.
    if len(formats) > 1 and hasattr(os, "fork") and threading.active_count() == 1:
        # The deck in the worker: its bytes come back through a pipe while the brief renders here.
        later = [_Worker(fmt, loaded, page_size, slide_size, started) for fmt in formats[1:]]
        try:
            first = _render(formats[0], loaded, page_size, slide_size, started)
        except BaseException:
            for worker in later:  # the build has failed: stop the other format, and reap it
                worker.stop()
            raise
        rendered = [first] + [worker.result() for worker in later]
    else:
        rendered = [_render(fmt, loaded, page_size, slide_size, started) for fmt in formats]
    written = []
    for fmt, data, units, seconds in rendered:
        path = out_dir / f"{name}.{fmt}"
        write_atomically(path, data)
        written.append(Built(path, fmt, units, len(data), seconds))
    return written


def _render(fmt: str, loaded: Loaded, page_size: str | None, slide_size: str | None, started: float) -> tuple[str, bytes, int, float]:
    """One format's bytes, its page or slide count, and the seconds since ``started``."""
    if fmt == "pdf":
        from reportgen.plan.brief import plan_brief
        from reportgen.render.fonts import fonts, text_problems
        from reportgen.render.pdf_brief import render_brief

        problems = text_problems(loaded.texts(), fonts())
        if problems:
            raise OutlineError(problems)

        pdf = render_brief(plan_brief(loaded.document, page_size, loaded.theme))
        return fmt, pdf.data, pdf.pages, time.perf_counter() - started
    from reportgen.plan.deck import plan_deck
    from reportgen.render.pptx_deck import render_deck
    from reportgen.render.pptx_template import template_layouts

    template, layouts = template_layouts(loaded) or (None, None)
    if template is not None and slide_size is not None:
        raise ReportgenError(f"--slide-size {slide_size}: the deck takes its slide size from its template "
                             f"{loaded.template.name} ({template.width:g} x {template.height:g} pt)")
    deck = render_deck(plan_deck(loaded.document, slide_size, loaded.theme, template, layouts), loaded.document.date)
    return fmt, deck.data, deck.slides, time.perf_counter() - started


class _Worker:
    """One format rendered in a forked child, its result sent back pickled through a pipe.

    The child inherits the loaded outline (copy-on-write: no pickling of the model) and imports
    only its renderer. A user's mistake found there (a :class:`ReportgenError`) comes back as
    its message and exit code; anything else as an internal error. The child ends with
    ``os._exit``: it never returns into the caller's code, flushes no inherited buffer and runs
    no exit handler.
    """

    def __init__(self, fmt: str, loaded: Loaded, page_size: str | None, slide_size: str | None, started: float):
        self.fmt = fmt
        for stream in (sys.stdout, sys.stderr):  # nothing buffered may be written twice
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        readable, writable = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child
            code = 0
            try:
                os.close(readable)
                try:
                    outcome = ("ok", _render(fmt, loaded, page_size, slide_size, started))
                except ReportgenError as err:
                    outcome = ("error", (str(err), err.exit_code))
                except BaseException as err:  # noqa: BLE001 - reported to the parent as an internal error
                    detail = traceback.format_exc() if os.environ.get("REPORTGEN_DEBUG") else ""
                    outcome = ("crash", (f"{type(err).__name__}: {err}", detail))
                    code = 130 if isinstance(err, KeyboardInterrupt) else 1
                with os.fdopen(writable, "wb") as pipe:
                    pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # noqa: BLE001 - nothing may escape the child
                code = code or 1
            finally:
                os._exit(code)
        os.close(writable)
        self.data = bytearray()
        self.reader = threading.Thread(target=self._read, args=(readable,), daemon=True)
        self.reader.start()  # drains the pipe meanwhile: the child exits, and frees its memory, when done

    def _read(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                self.data += chunk

    def stop(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        self.reader.join()
        os.waitpid(self.pid, 0)

    def result(self) -> tuple[str, bytes, int, float]:
        self.reader.join()
        _, status = os.waitpid(self.pid, 0)
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


def _status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit code {os.WEXITSTATUS(status)}"


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that ``path`` is always either the old file or the new one."""
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
