"""Writing a build's files so that they are replaced together: all of them or none.

:func:`replace_together` writes every file to a temporary file in its folder (flushed to disk),
then records the set in a commit file, then renames each temporary file over its file, then
removes the commit file. A build that fails before the commit file exists leaves every previous
file as it was and removes its temporary files. A build killed at any moment leaves either the
previous set, or the new set, or (killed within the microseconds between two renames) a commit
file saying what is left to rename: :func:`recover`, which every build runs first in its
folder, finishes those renames, and removes the temporary files of builds killed before their
commit. A reader of the folder between a kill and the next build may see a mixed set only in
that last case.

The folder is locked (``flock``) while files are written or recovered, so that two builds in one
folder never take each other's temporary files for stale ones.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from reportgen.errors import ReportgenError

TEMPORARY = ".reportgen-tmp"
"""The suffix of a temporary file: ``.NAME.PID.reportgen-tmp`` beside ``NAME``."""
COMMIT = ".reportgen-commit"
"""The name of a commit file: ``.PID.reportgen-commit``, JSON ``[[temporary, final], ...]``."""


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on ``folder`` (on systems with ``fcntl``), released when the block ends
    or the process dies."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock, the rest holds
        yield
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _sync_folder(folder: Path) -> None:
    """Make the folder's renames durable (where the system lets a folder be synced)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover
        return
    try:
        os.fsync(handle)
    except OSError:  # pragma: no cover - not every file system syncs folders
        pass
    finally:
        os.close(handle)


def recover(folder: Path) -> None:
    """Finish what a killed build left in ``folder``: the renames its commit file lists, then
    remove every temporary file no commit names (builds killed before their commit)."""
    if folder.is_dir():
        with _locked(folder):
            _recover(folder)


def _recover(folder: Path) -> None:
    changed = False
    for commit in sorted(folder.glob(f".*{COMMIT}")):
        changed = True
        try:
            pairs = json.loads(commit.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pairs = []  # written atomically, so unreadable only if damaged: its temporaries go below
        for temporary, final in pairs if isinstance(pairs, list) else []:
            source = folder / str(temporary)
            if source.parent == folder and (folder / str(final)).parent == folder and source.is_file():
                os.replace(source, folder / str(final))
        commit.unlink(missing_ok=True)
    for stale in folder.glob(f".*{TEMPORARY}"):
        stale.unlink(missing_ok=True)
        changed = True
    if changed:  # (a folder with nothing to finish needs no sync: a sync waits for the disk)
        _sync_folder(folder)


def replace_together(files: Mapping[Path, bytes]) -> None:
    """Write ``files`` (path → bytes, all in one folder) so that they replace the files there
    together; raises ReportgenError naming the file that could not be written, having left
    the previous files as they were and no temporary file behind."""
    folders = {path.parent for path in files}
    if len(folders) != 1:  # pragma: no cover - a build writes into one folder
        raise ValueError("files to replace together must share a folder")
    (folder,) = folders
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ReportgenError(f"{folder}: cannot write there: {err.strerror}") from None
    with _locked(folder):
        _recover(folder)
        for path in files:
            if path.is_dir():  # found now, not after the first file is replaced
                raise ReportgenError(f"{path}: cannot write: it is a folder")
        written: dict[Path, Path] = {}
        commit = folder / f".{os.getpid()}{COMMIT}"
        try:
            for path, data in files.items():
                temporary = folder / f".{path.name}.{os.getpid()}{TEMPORARY}"
                written[temporary] = path
                _write_durably(temporary, data, path)
            _write_durably(commit.with_name(commit.name + TEMPORARY),
                           json.dumps([[t.name, p.name] for t, p in written.items()]).encode(), commit)
            os.replace(commit.with_name(commit.name + TEMPORARY), commit)
        except BaseException:
            for temporary in [*written, commit.with_name(commit.name + TEMPORARY)]:
                temporary.unlink(missing_ok=True)
            raise
        for temporary, path in written.items():  # same folder, regular files: renames that do not fail
            os.replace(temporary, path)
        commit.unlink()
        _sync_folder(folder)


def _write_durably(temporary: Path, data: bytes, final: Path) -> None:
    try:
        with open(temporary, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
    except OSError as err:
        raise ReportgenError(f"{final}: cannot write: {err.strerror}") from None
