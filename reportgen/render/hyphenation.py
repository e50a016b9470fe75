"""The brief's hyphenation dictionary, parsed once per machine rather than once per brief.

reportlab hyphenates with pyphen, which parses its ``hyph_*.dic`` file (11,000 patterns for
en_US) the first time a process hyphenates: 60-90 ms of every brief's rendering, the largest
single cost after layout. :func:`preload` puts the parsed patterns into pyphen's own cache
(``pyphen.hdcache``) from a file in ``$XDG_CACHE_HOME/reportgen`` (``~/.cache/reportgen``):
plain data in ``marshal`` format (strings and integers, nothing that runs) after the SHA-256 of
those bytes, named by pyphen's version and the dictionary file's name and content (so every
installation of the same pyphen shares one file). The digest is checked on every read (0.3 ms;
checking the 14,000 patterns' types took 20); the patterns were checked to be plain data when
the file was written. When that file is missing, stale, unreadable or not what was written,
pyphen parses the dictionary as always and the file is written (atomically) for next time,
replacing the files of earlier versions of the same dictionary; when it cannot be written,
nothing else changes. The patterns are the same
either way, so the same brief gives the same bytes (tests check both). pyphen is pinned
(pyproject.toml): this fills in the three attributes its ``HyphDict`` has.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path

FORMAT = 2
"""Of the cache files: 2 puts the digest first and the longest pattern's length in the data."""


def cache_folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "reportgen"


def preload(language: str | None) -> None:
    """Make pyphen's dictionary for ``language`` (a key of ``pyphen.LANGUAGES``) ready, from the
    cache file when it is current."""
    if not language:
        return
    import pyphen

    path = pyphen.LANGUAGES.get(language)
    if path is None or path in pyphen.hdcache:
        return
    try:
        content = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return
    cached = cache_folder() / f"pyphen-{pyphen.__version__}-{path.stem}-{content}-v{FORMAT}.marshal"
    stored = _read(cached)
    if stored is not None:
        parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
        parsed.maxlen, parsed.patterns = stored
        parsed.cache = {}
    else:
        parsed = pyphen.HyphDict(path)
        _write(cached, path.stem, parsed.maxlen, parsed.patterns)
    pyphen.hdcache[path] = parsed


def _read(cached: Path) -> tuple[int, dict] | None:
    """(maxlen, patterns) from the cache file, or None where it is not the file written."""
    try:
        data = cached.read_bytes()
    except OSError:
        return None
    digest, payload = data[:32], data[32:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):  # pragma: no cover - the digest matched what was written
        return None


def _plain(patterns) -> bool:
    """pyphen's pattern table as plain data: pattern → (start, (int, …)), ints exactly."""
    return isinstance(patterns, dict) and bool(patterns) and all(
        type(key) is str and type(value) is tuple and len(value) == 2 and type(value[0]) is int
        and type(value[1]) is tuple and all(type(number) is int for number in value[1])
        for key, value in patterns.items())


def _write(cached: Path, dictionary: str, maxlen: int, patterns: dict) -> None:
    if not _plain(patterns):  # a dictionary with nonstandard hyphenation (AlternativeParser): not cached
        return
    payload = marshal.dumps((maxlen, patterns))
    temporary = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, cached)
        for old in cached.parent.glob(f"pyphen-*-{dictionary}-*.marshal"):  # earlier versions' files go
            if old != cached:
                old.unlink(missing_ok=True)
    except OSError:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass
