"""Fenced speed-ups and fixes that reach into a library's internals: the only place that may.

Each patch is written against one exact release of its library and applies only when that
release is installed (:func:`exact`); with any other release reportgen uses the library's public
API and stays correct, only slower. Nothing here is applied when a module is imported: a patch
is applied (or a fast path chosen) when a build starts, by the code that renders. Setting
``REPORTGEN_NO_PATCHES=1`` turns every patch off, which is how the tests check that the public
route gives the same result. What each patch pays, measured, is in docs/performance.md.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import metadata


@cache
def installed(distribution: str) -> str | None:
    """The installed version of ``distribution`` (a PyPI name), or None."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def exact(distribution: str, version: str) -> bool:
    """Whether a patch written for ``distribution`` ``version`` may apply: that very release is
    installed and patches are not switched off (``REPORTGEN_NO_PATCHES``)."""
    if os.environ.get("REPORTGEN_NO_PATCHES"):
        return False
    return installed(distribution) == version
