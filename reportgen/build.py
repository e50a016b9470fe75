"""Build outputs from an outline: load, plan and render every format, then write them all.

Nothing is written until every requested format has rendered, and each file is written
atomically (a temporary file in the same folder, then a rename), so a failed build leaves the
previous good files in place and no temporary file behind.
"""

from __future__ import annotations

import os
import tempfile
import time
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


def build(loaded: Loaded, name: str, formats: list[str], out_dir: Path, *, page_size: str = "a4",
          slide_size: str = "16:9", started: float | None = None) -> list[Built]:
    """Render ``formats`` of a loaded outline and write them to ``out_dir/<name>.<format>``.

    ``started`` (a ``time.perf_counter()`` reading) is when the build began, loading included;
    each file's ``seconds`` counts from then.
    """
    started = time.perf_counter() if started is None else started
    rendered: list[tuple[str, bytes, int, float]] = []
    for fmt in formats:
        if fmt == "pdf":
            from reportgen.plan.brief import plan_brief
            from reportgen.render.fonts import fonts, text_problems
            from reportgen.render.pdf_brief import render_brief

            problems = text_problems(loaded.texts(), fonts())
            if problems:
                raise OutlineError(problems)

            pdf = render_brief(plan_brief(loaded.document, page_size))
            rendered.append((fmt, pdf.data, pdf.pages, time.perf_counter() - started))
        elif fmt == "pptx":
            from reportgen.plan.deck import plan_deck
            from reportgen.render.pptx_deck import render_deck

            deck = render_deck(plan_deck(loaded.document, slide_size), loaded.document.date)
            rendered.append((fmt, deck.data, deck.slides, time.perf_counter() - started))
        else:
            raise ReportgenError(f"--format {fmt}: expected pdf or pptx")
    written = []
    for fmt, data, units, seconds in rendered:
        path = out_dir / f"{name}.{fmt}"
        write_atomically(path, data)
        written.append(Built(path, fmt, units, len(data), seconds))
    return written


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
