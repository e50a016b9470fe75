"""reportlab's paragraph module, imported with a faster-compiling equivalent of its URL pattern.

``reportlab.platypus.paragraph`` compiles, when it is imported, ``uri_pat``: Django's URL
validator, case-insensitive, with character classes up to U+FFFF (``[a-z\\xa1-\\uffff0-9]``).
Python's ``re`` builds such a class one character at a time, and case-folds each one under
``re.IGNORECASE``: that one pattern took 35 ms, a third of reportlab's import, on every brief
(and a brief with hyphenation uses it, on every word it considers breaking).

Imported through here, the pattern is compiled as the same pattern written case-sensitively
(:data:`CASED`): ``a-z`` as ``a-zA-Z`` plus the four characters that ``re.IGNORECASE`` folds onto
ASCII letters (İ ı ſ K), and each wide class as the complement of its few excluded characters.
The same strings match, with the same groups (tests/render/test_pdf_brief.py checks every
character of each class and random URLs); it compiles in 2 ms. Should a reportlab release write
the pattern differently, it is compiled as written.
"""

from __future__ import annotations

import re
import sys

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
"""Each piece of reportlab's case-insensitive URL pattern → the same piece, case-sensitive."""

_compile = re.compile


def cased(pattern: str) -> str | None:
    """reportlab's URL pattern written case-sensitively; None for any other pattern."""
    if "\uffff" not in pattern or not all(piece in pattern for piece in CASED):
        return None
    for piece, replacement in CASED.items():
        pattern = pattern.replace(piece, replacement)
    return pattern


def _compiling_cased(pattern, flags=0):
    if isinstance(pattern, str) and flags == re.IGNORECASE:
        rewritten = cased(pattern)
        if rewritten is not None:
            return _compile(rewritten)
    return _compile(pattern, flags)


if "reportlab.platypus.paragraph" not in sys.modules:
    re.compile = _compiling_cased
    try:
        import reportlab.platypus.paragraph  # noqa: F401
    finally:
        re.compile = _compile
