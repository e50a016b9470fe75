"""Fenced speed-ups and fixes that reach into a library's internals: the only place that may.

Each patch is written against one exact release of its library and applies only when that
release is installed (:func:`exact`); with any other release reportgen uses the library's public
API and stays correct, only slower. Nothing here is applied when a module is imported: a
command applies what it needs when it starts (:func:`start`), and the deck's renderer asks
:mod:`reportgen._compat.pptx` for its fast routes deck by deck.

``REPORTGEN_NO_PATCHES=1`` turns every patch off; ``REPORTGEN_NO_PATCHES=name,name`` turns off
the patches named (the names of :data:`PATCHES`). The tests build with patches on and off and
compare what a reader sees; docs/performance.md gives what each patch pays, measured with
``bench/patches.py``.
"""

from __future__ import annotations

import importlib
import os
from functools import cache
from typing import NamedTuple


class Patch(NamedTuple):
    distribution: str
    version: str
    what: str


PATCHES = {
    "reportlab-tounicode": Patch("reportlab", "5.1.0", "characters beyond U+FFFF written as UTF-16 in the ToUnicode map"),
    "reportlab-face-cache": Patch("reportlab", "5.1.0", "what a TrueType face's tables hold, read back from a cache"),
    "reportlab-lazy-faces": Patch("reportlab", "5.1.0", "a face's file read when a brief first uses that style"),
    "reportlab-word-widths": Patch("reportlab", "5.1.0", "each word's width measured once per brief while lines are broken"),
    "reportlab-patterns": Patch("reportlab", "5.1.0", "reportlab's slowest regular expressions compiled in a fast form"),
    "pyyaml-patterns": Patch("PyYAML", "6.0.4", "PyYAML's pattern of non-printable characters compiled in a fast form"),
    "pyphen-cache": Patch("pyphen", "0.18.1", "the hyphenation patterns read back from a cache"),
    "pptx-bookkeeping": Patch("python-pptx", "1.0.2", "part names and relationships found through indexes, not scans"),
    "pptx-slide-copies": Patch("python-pptx", "1.0.2", "each slide and notes slide copied from the first"),
    "pptx-serialize-early": Patch("python-pptx", "1.0.2", "a finished slide's XML serialized and its tree let go"),
    "pptx-zip-once": Patch("python-pptx", "1.0.2", "the package zipped once, with fixed dates"),
}
"""Every patch, by name: the release it was written for, and what it does."""


VERSION_ATTRIBUTES = {"reportlab": ("reportlab", "Version"), "pyphen": ("pyphen", "__version__"),
                      "python-pptx": ("pptx", "__version__")}
"""Where each patched distribution states its own version: its top-level package's attribute.
Reading it costs nothing once the package is imported, which rendering does anyway;
``importlib.metadata`` (which imports ``email`` and ``zipfile``) is the fallback."""

STATED_VERSIONS = {"PyYAML": "yaml"}
"""Distributions whose package's ``__version__`` is read from its ``__init__.py`` as written,
without importing it: importing is what their patch changes (:mod:`reportgen._compat.imports`)."""


@cache
def installed(distribution: str) -> str | None:
    """The installed version of ``distribution`` (a PyPI name), or None."""
    if distribution in STATED_VERSIONS:
        stated = _stated_version(STATED_VERSIONS[distribution])
        if stated is not None:
            return stated
    if distribution in VERSION_ATTRIBUTES:
        module, attribute = VERSION_ATTRIBUTES[distribution]
        try:
            version = getattr(importlib.import_module(module), attribute, None)
        except ImportError:
            return None
        if isinstance(version, str):
            return version
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _stated_version(package: str) -> str | None:
    """``__version__ = '6.0.4'`` as ``package``'s ``__init__.py`` writes it (None if it does not)."""
    import importlib.util
    import re

    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith("__init__.py"):
        return None
    try:
        with open(spec.origin, encoding="utf-8") as source:
            found = re.search(r"^__version__ = ['\"]([^'\"]+)['\"]$", source.read(), re.M)
    except OSError:
        return None
    return found.group(1) if found else None


def switched_off(name: str) -> bool:
    """Whether ``REPORTGEN_NO_PATCHES`` turns the patch ``name`` off."""
    off = os.environ.get("REPORTGEN_NO_PATCHES", "").strip()
    return off == "1" or name in {part.strip() for part in off.split(",")}


def exact(name: str) -> bool:
    """Whether the patch ``name`` (a key of :data:`PATCHES`) may apply: the very release it was
    written for is installed, and it is not switched off."""
    patch = PATCHES[name]
    return not switched_off(name) and installed(patch.distribution) == patch.version


def start(fmt: str) -> None:
    """Apply, once per process, the patches rendering ``fmt`` needs, before its libraries are
    imported: PyYAML's for ``"read"`` (an outline is read); reportlab's for ``"pdf"``; the deck's
    (:mod:`reportgen._compat.pptx`) are asked for deck by deck."""
    if fmt == "read":
        from reportgen._compat import imports

        imports.fast_patterns("yaml")
    elif fmt == "pdf":
        from reportgen._compat import imports, reportlab

        imports.fast_patterns("reportlab.platypus.paragraph")
        reportlab.apply()
