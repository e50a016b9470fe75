"""``reportgen watch``: build, then rebuild on every save of what the outputs are made from.

The process stays warm: the model, both renderers, the brief's fonts and the deck's default
presentation are loaded once, and each rebuild forks its renderers from this process, so they
start with all of that in place. What is watched is every file the last build read (the outline,
its includes, the vars file), every file its model and theme name (images, the logo, the theme's
font files, the .pptx template) and the theme file; after a failed build, any change in those
folders (the fix may be a new include). Changes are seen by watchfiles (the Rust ``notify``
crate: inotify on Linux), not by polling. An error is printed as ``build`` prints it, the
previous outputs stay as they were, and watching goes on. Ctrl-C ends it with exit 0.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from reportgen.errors import ReportgenError


def paths_named(value: Any) -> set[Path]:
    """Every Path held by a record (model or theme), its tuples and the records in it."""
    found: set[Path] = set()
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, Path):
            found.add(item)
        elif isinstance(item, tuple | list):
            pending.extend(item)
        elif isinstance(item, dict):
            pending.extend(item.values())
        elif hasattr(item, "__dict__") and type(item).__module__.startswith("reportgen."):
            pending.extend(vars(item).values())
    return found


def inputs_of(loaded) -> set[Path]:
    """What a build of ``loaded`` was made from: the files read, the files its document and theme name."""
    files = {Path(f) for f in loaded.files} | paths_named(loaded.document) | paths_named(loaded.theme)
    if loaded.template is not None:
        files.add(Path(loaded.template))
    root = Path(loaded.root)
    return {(f if f.is_absolute() else root / f).resolve() for f in files if str(f)}


def watch(build: Callable[[], tuple[Any, list]], outline: Path, *, out: Path,
          say: Callable[[str], None] = print, warn: Callable[[str], None] | None = None,
          stop: Any = None) -> int:
    """Run ``build()`` (which returns the loaded outline and what it wrote, or raises
    ReportgenError), then again on every change of its inputs, until Ctrl-C (or ``stop``, an
    event for tests, is set). Returns the exit code: 0."""
    import watchfiles

    warn = warn or (lambda text: print(text, file=sys.stderr))
    inputs: set[Path] = {outline.resolve()}
    folders: set[Path] = {outline.resolve().parent}
    failed = False

    def run(reason: str) -> None:
        nonlocal inputs, folders, failed
        started = time.perf_counter()
        try:
            loaded, built = build()
        except ReportgenError as err:
            failed = True
            warn(str(err))
            say(f"{reason}: not built, the previous files are as they were ({time.perf_counter() - started:.2f} s)")
            return
        failed = False
        inputs = inputs_of(loaded) | {outline.resolve()}
        folders = {path.parent for path in inputs}
        written = "; ".join(each.summary().rsplit(", ", 1)[0] for each in built)  # (its time counts the load)
        say(f"{reason}: {written}; {time.perf_counter() - started:.2f} s")

    def relevant(change: Any, path: str) -> bool:
        candidate = Path(path)
        if candidate.name.startswith(".") or out.resolve() in candidate.resolve().parents:
            return False  # hidden files, editors' swap files, our own temporaries and outputs
        return failed or candidate.resolve() in inputs

    try:
        run("built")
        while True:
            watching = sorted(str(folder) for folder in folders if folder.is_dir())
            for changes in watchfiles.watch(*watching, watch_filter=relevant, recursive=False, stop_event=stop,
                                            raise_interrupt=True, debounce=1600, step=50, rust_timeout=1000):
                changed = {Path(path) for _, path in changes}
                names = _names(sorted(p for p in changed if p.exists() or p.resolve() in inputs), Path.cwd())
                before = folders
                run(f"{names} changed")
                if folders != before:
                    break  # watch the folders of the new inputs
            else:
                return 0  # stopped
    except KeyboardInterrupt:
        say("stopped watching")
        return 0


def _names(paths: Iterable[Path], base: Path) -> str:
    shown = []
    for path in paths:
        try:
            shown.append(str(path.resolve().relative_to(base)))
        except ValueError:
            shown.append(str(path))
    return (", ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")) or "a file"
