"""Plain data kept between builds, in ``$XDG_CACHE_HOME/reportgen`` (``~/.cache/reportgen``).

What a build needs from files that do not change between builds, and that takes far longer to
make than to read back: pyphen's hyphenation patterns (:mod:`reportgen._compat.pyphen`),
what reportlab reads from each TrueType face (:mod:`reportgen._compat.reportlab`), and the
latest jinja2 rendering of each outline file (:mod:`reportgen.read.templating`). Each file is
the SHA-256 of its payload, then the payload in ``marshal`` format: strings, numbers, bytes
and containers of them, nothing that runs. The caller names a file by what it was made from
(a library's version, the source file's content), so a changed source is a new name and never
a stale read. A file that is missing, unreadable or not what was written reads as None (the
caller then parses as always, and writes it for next time); one that cannot be written is left
unwritten. Either way the data, and so the brief's bytes, are the same (tests check).
"""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path


def folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "reportgen"


def read(name: str):
    """The data stored under ``name``, or None where there is none to trust."""
    try:
        data = (folder() / name).read_bytes()
    except OSError:
        return None
    digest, payload = data[:32], data[32:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):  # pragma: no cover - the digest matched what was written
        return None


def write(name: str, value, replaces: str | None = None) -> None:
    """Store ``value`` under ``name``, atomically; then remove the files matching the glob
    ``replaces`` other than this one (earlier versions of the same thing). A value that is not
    plain data (``marshal`` takes builtin types only, not their subclasses) is not stored."""
    path = folder() / name
    try:
        payload = marshal.dumps(value)
    except ValueError:
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, path)
        for old in path.parent.glob(replaces) if replaces else ():
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass
