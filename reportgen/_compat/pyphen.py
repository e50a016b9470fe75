"""pyphen 0.18.1 (``pyphen-cache``): the brief's hyphenation dictionary, parsed once per machine.

reportlab hyphenates with pyphen, which parses its ``hyph_*.dic`` file (11,000 patterns for
en_US) the first time a process hyphenates. :func:`preload` puts the parsed patterns into
pyphen's own cache (``pyphen.hdcache``) from a file of :mod:`reportgen.disk_cache`,
named by pyphen's version and the dictionary file's name and content (so every installation of
the same pyphen shares one file). When that file is missing, stale or unreadable, pyphen parses the dictionary as always and the file is
written for next time, replacing the files of earlier versions of the same dictionary. The
patterns are the same either way, so the same brief gives the same bytes (tests check both).
This fills in the three attributes pyphen 0.18.1's ``HyphDict`` has; with another release,
pyphen parses the dictionary itself.
"""

from __future__ import annotations

import hashlib

from reportgen import disk_cache
from reportgen._compat import exact

FORMAT = 2
"""Of the cache files: 2 puts the digest first and the longest pattern's length in the data."""


def preload(language: str | None) -> None:
    """Make pyphen's dictionary for ``language`` (a key of ``pyphen.LANGUAGES``) ready, from the
    cache file when it is current."""
    if not language or not exact("pyphen-cache"):
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

