"""reportlab's paragraph module, imported with its URL pattern compiled when first used.

``reportlab.platypus.paragraph`` compiles, when it is imported, ``uri_pat``: Django's URL
validator, case-insensitive, over character ranges up to U+FFFF. Python's ``re`` case-folds such
ranges one character at a time, so that one pattern took 35 ms, a third of reportlab's import
time, on every brief. It is used only to break an over-long URL at a line end. Imported through
here, that pattern is compiled the first time it is used instead; every other pattern as usual.
"""

from __future__ import annotations

import re
import sys

_compile = re.compile


class _CompiledOnFirstUse:
    """Stands in for a compiled pattern; compiles it at the first attribute looked up."""

    def __init__(self, pattern: str, flags: int):
        self._pattern, self._flags = pattern, flags
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = _compile(self._pattern, self._flags)
        return getattr(self._compiled, name)


def _deferring(pattern, flags=0):
    if isinstance(pattern, str) and flags & re.IGNORECASE and "\uffff" in pattern:
        return _CompiledOnFirstUse(pattern, flags)
    return _compile(pattern, flags)


if "reportlab.platypus.paragraph" not in sys.modules:
    re.compile = _deferring
    try:
        import reportlab.platypus.paragraph  # noqa: F401
    finally:
        re.compile = _compile
