"""The brief's hyphenation dictionary, parsed once per machine rather than once per brief.

reportlab hyphenates with pyphen, which parses its ``hyph_*.dic`` file (11,000 patterns for
en_US) the first time a process hyphenates: 60-90 ms of every brief's rendering, the largest
single cost after layout. :func:`preload` puts the parsed patterns into pyphen's own cache
(``pyphen.hdcache``) from a file in ``$XDG_CACHE_HOME/reportgen`` (``~/.cache/reportgen``):
plain data in ``marshal`` format (strings and integers, nothing that runs), named by pyphen's
version and the dictionary file's name, size and modification time. When that file is missing,
stale, unreadable or not what it should be, pyphen parses the dictionary as always and the file
is written (atomically) for next time; when it cannot be written, nothing else changes. The
patterns are the same either way, so the same brief gives the same bytes (tests check both).
pyphen is pinned (pyproject.toml): this fills in the three attributes its ``HyphDict`` has.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path


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
        stat = path.stat()
        cached = cache_folder() / f"pyphen-{pyphen.__version__}-{path.stem}-{stat.st_size}-{stat.st_mtime_ns}.marshal"
    except OSError:
        return
    patterns = _read(cached)
    if patterns is not None:
        parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
        parsed.patterns, parsed.cache, parsed.maxlen = patterns, {}, max(len(key) for key in patterns)
    else:
        parsed = pyphen.HyphDict(path)
        _write(cached, parsed.patterns)
    pyphen.hdcache[path] = parsed


def _read(cached: Path) -> dict | None:
    try:
        patterns = marshal.loads(cached.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return patterns if _plain(patterns) else None


def _plain(patterns) -> bool:
    """pyphen's pattern table as plain data: pattern → (start, (int, …)), ints exactly."""
    return isinstance(patterns, dict) and bool(patterns) and all(
        type(key) is str and type(value) is tuple and len(value) == 2 and type(value[0]) is int
        and type(value[1]) is tuple and all(type(number) is int for number in value[1])
        for key, value in patterns.items())


def _write(cached: Path, patterns: dict) -> None:
    if not _plain(patterns):  # a dictionary with nonstandard hyphenation (AlternativeParser): not cached
        return
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps(patterns))
        os.replace(temporary, cached)
    except OSError:
        try:
            temporary.unlink(missing_ok=True)
        except (OSError, UnboundLocalError):
            pass
