"""reportlab 5.1.0 and PyYAML 6.0.4 imported faster, behaving the same (``reportlab-patterns``
and ``pyyaml-patterns``, applied by :func:`reportgen._compat.start`).

Regular expressions compiled when a module is imported, which ``re`` compiles slowly: it builds
a character class one character at a time, so ``[\\u2e80-\\uffff]`` and reportlab's
case-insensitive URL pattern (Django's validator, classes up to U+FFFF, each character
case-folded) are slow to compile. :func:`fast_patterns` imports a module with each
such pattern compiled in an equivalent form that compiles in a fraction of the time:
:data:`EQUIVALENT` (exact patterns) and :func:`cased` (reportlab's URL pattern written
case-sensitively). tests/test_compat.py checks that each matches what the original matches,
character by character.
"""

from __future__ import annotations

import importlib
import re
import sys

from reportgen._compat import exact

_FOLDED = "\u0130\u0131\u017f\u212a"
"""İ ı ſ K: the characters outside ASCII that ``re.IGNORECASE`` matches with ``[a-z]``."""

CASED = {
    "[a-z0-9\\.\\-\\+]": "[a-zA-Z0-9.\\-+" + _FOLDED + "]",
    "[0-9a-f:\\.]": "[0-9a-fA-F:.]",
    "[a-z\xa1-\uffff0-9]": "[^\\x00-/:-@\\[-`{-\\xa0\\U00010000-\\U0010ffff]",
    "[a-z\xa1-\uffff0-9-]": "[^\\x00-,./:-@\\[-`{-\\xa0\\U00010000-\\U0010ffff]",
    "[a-z\xa1-\uffff-]": "[^\\x00-,.-@\\[-`{-\\xa0\\U00010000-\\U0010ffff]",
    "xn--[a-z0-9]": "[xX][nN]--[a-zA-Z0-9" + _FOLDED + "]",
    "localhost": "[lL][oO][cC][aA][lL][hH][oO][sS\u017f][tT]",
}
"""Each piece of reportlab's case-insensitive URL pattern (``reportlab.platypus.paragraph.uri_pat``)
→ the same piece, case-sensitive: ``a-z`` as ``a-zA-Z`` plus the four characters that
``re.IGNORECASE`` folds onto ASCII letters, each wide class as the complement of its few
excluded characters."""

EQUIVALENT: dict[tuple[str, int], str] = {
    # reportlab.lib.textsplit.rx (imported with reportlab's paragraphs): one CJK-range character
    ("([\u2e80-\uffff])", re.UNICODE): "([^\\x00-\\u2e7f\\U00010000-\\U0010ffff])",
    # yaml.reader.Reader.NON_PRINTABLE (imported with yaml): a character YAML does not allow
    ("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]", 0):
        "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x84\\x86-\\x9f\\ud800-\\udfff\\ufffe\\uffff]",
}
"""(pattern, flags) as a library compiles it → an equivalent pattern that compiles fast: the
complement of a wide class written as its few excluded ranges, or the other way round."""

_compile = re.compile


def cased(pattern: str) -> str | None:
    """reportlab's URL pattern written case-sensitively; None for any other pattern."""
    if "\uffff" not in pattern or not all(piece in pattern for piece in CASED):
        return None
    for piece, replacement in CASED.items():
        pattern = pattern.replace(piece, replacement)
    return pattern


def _compile_equivalent(pattern, flags=0):
    if isinstance(pattern, str):
        equivalent = EQUIVALENT.get((pattern, flags))
        if equivalent is None and flags == re.IGNORECASE:
            equivalent = cased(pattern)
        if equivalent is not None:
            return _compile(equivalent, flags & ~re.IGNORECASE)
    return _compile(pattern, flags)


PATCH_OF = {"reportlab.platypus.paragraph": "reportlab-patterns", "yaml": "pyyaml-patterns"}
"""The module :func:`fast_patterns` may import → the patch that permits it."""


def fast_patterns(name: str) -> None:
    """Import the module ``name`` (one of :data:`PATCH_OF`), if not imported yet, with
    :data:`EQUIVALENT` patterns: only with the release its patch was written for."""
    if name in sys.modules or not exact(PATCH_OF[name]):
        return
    re.compile = _compile_equivalent
    try:
        importlib.import_module(name)
    finally:
        re.compile = _compile
