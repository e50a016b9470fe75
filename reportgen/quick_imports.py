"""Third-party modules imported faster, behaving the same.

Half of a build's CPU goes on importing libraries, and some of that on work a build never uses:

- Regular expressions compiled when a module is imported, which ``re`` compiles slowly: it builds
  a character class one character at a time, so ``[\\u2e80-\\uffff]`` takes 5 ms and reportlab's
  case-insensitive URL pattern (Django's validator, classes up to U+FFFF, each character
  case-folded) took 35 ms, a third of reportlab's import. :func:`importing` imports a module
  with each such pattern compiled in an equivalent form that compiles in a fraction of the time:
  :data:`EQUIVALENT` (exact patterns) and :func:`cased` (reportlab's URL pattern written
  case-sensitively). tests/test_quick_imports.py checks that each matches what the original
  matches, character by character. A library release that writes a pattern differently gets
  it compiled as written.
- Modules imported and never used. reportlab and python-pptx both import Pillow's ``PIL.Image``
  (15 ms), which a brief or deck without pictures never touches; python-pptx imports
  ``xml.sax.saxutils`` for its ``escape``, and that imports ``urllib.request`` (with
  ``http.client``, ``email``, ``ssl``, ``socket``: 25 ms) for a function nobody here calls; its
  image parts import ``hashlib`` (which loads OpenSSL's library: 3 ms) for pictures only, and its
  text layout ``PIL.ImageFont`` (with FreeType: 4 ms) for ``fit_text``, which reportgen does not use.
  :func:`defer_unused` makes both load when first used instead, through the standard library's
  :class:`importlib.util.LazyLoader` and, for ``urllib.request`` (which ``import`` statements
  would load at once), a stand-in module that imports the real one on first attribute access.
- A pure function called for the same few arguments over and over: python-pptx's ``qn("a:p")``
  (a namespace-prefixed tag → ``{http://…}p``) builds a tag object on every child lookup of its
  element classes, 70,000 times for a 500-slide deck. :func:`remember_pptx_names` makes it
  look each tag up once.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import re
import sys
import types

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
    # yaml.reader.Reader.NON_PRINTABLE (imported with PyYAML, in every command): what YAML may not hold
    ("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]", 0):
        "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x84\\x86-\\x9f\\ud800-\\udfff\\ufffe\\uffff]",
    # reportlab.lib.textsplit.rx (imported with reportlab's paragraphs): one CJK-range character
    ("([\u2e80-\uffff])", re.UNICODE): "([^\\x00-\\u2e7f\\U00010000-\\U0010ffff])",
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


def importing(*names: str) -> None:
    """Import the modules ``names`` (those not imported yet) with :data:`EQUIVALENT` patterns."""
    missing = [name for name in names if name not in sys.modules]
    if missing:
        re.compile = _compile_equivalent
        try:
            for name in missing:
                importlib.import_module(name)
        finally:
            re.compile = _compile


def defer_unused() -> None:
    """Make ``PIL.Image``, ``PIL.ImageFont``, ``urllib.request`` and ``hashlib``, where not yet
    imported, load on first use."""
    for name in ("PIL.Image", "PIL.ImageFont"):
        if name not in sys.modules:
            spec = importlib.util.find_spec(name)  # imports the PIL package: 0.3 ms
            if spec is not None:
                spec.loader = importlib.util.LazyLoader(spec.loader)
                module = importlib.util.module_from_spec(spec)
                sys.modules[name] = module
                spec.loader.exec_module(module)
                setattr(sys.modules["PIL"], name[4:], module)  # what ``from PIL import Image`` reads: no load yet
    if "urllib.request" not in sys.modules:
        import urllib

        sys.modules["urllib.request"] = urllib.request = _OnFirstUse("urllib.request")
    if "hashlib" not in sys.modules:  # python-pptx's image parts: loaded with OpenSSL's library
        sys.modules["hashlib"] = _OnFirstUse("hashlib")


class _OnFirstUse(types.ModuleType):
    """A module's stand-in that imports the module when one of its attributes is first read, and
    from then on is the module's forwarder. (``LazyLoader`` would not do for a module that
    ``import`` statements name: Python 3.11 reads the module's ``__spec__`` on every import of it.)"""

    def __getattr__(self, attribute: str):
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        module = importlib.import_module(name)  # (and sets a package's attribute to the module)
        return getattr(module, attribute)


def remember_pptx_names() -> None:
    """python-pptx's ``qn``, where its modules have bound it, with each tag's answer kept."""
    from pptx.oxml import ns

    original = getattr(ns.qn, "__wrapped__", ns.qn)
    remembered = functools.cache(original)
    for name, module in list(sys.modules.items()):
        if (name == "pptx" or name.startswith("pptx.")) and getattr(module, "qn", None) is original:
            module.qn = remembered
