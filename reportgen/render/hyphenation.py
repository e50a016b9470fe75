"""The brief's hyphenation dictionary, parsed once per machine rather than once per brief.

reportlab hyphenates with pyphen, which parses its ``hyph_*.dic`` file (11,000 patterns for
en_US) the first time a process hyphenates: 60-90 ms of every brief's rendering, the largest
single cost after layout. :func:`preload` puts the parsed patterns into pyphen's own cache
(``pyphen.hdcache``) from a file of :mod:`reportgen.render.disk_cache`, named by pyphen's
version and the dictionary file's name and content (so every installation of the same pyphen
shares one file). When
that file is missing, stale or unreadable, pyphen parses the dictionary as always and the file is
written for next time, replacing the files of earlier versions of the same dictionary. The
patterns are the same either way, so the same brief gives the same bytes (tests check both).
pyphen is pinned (pyproject.toml): this fills in the three attributes its ``HyphDict`` has.
"""

from __future__ import annotations

import hashlib

from reportgen.render import disk_cache

FORMAT = 2
"""Of the cache files: 2 puts the digest first and the longest pattern's length in the data."""


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
    cached = f"pyphen-{pyphen.__version__}-{path.stem}-{content}-v{FORMAT}.marshal"
    stored = disk_cache.read(cached)
    if stored is not None:
        parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
        parsed.maxlen, parsed.patterns = stored
        parsed.cache = {}
    else:
        parsed = pyphen.HyphDict(path)
        # (a dictionary with nonstandard hyphenation holds pyphen's DataInt: not plain data, not kept)
        disk_cache.write(cached, (parsed.maxlen, parsed.patterns), replaces=f"pyphen-*-{path.stem}-*.marshal")
    pyphen.hdcache[path] = parsed

