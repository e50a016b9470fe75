"""Patches of reportlab 5.1.0's internals: a fix, and two ways to read TrueType faces sooner.

- ``reportlab-tounicode`` (a fix): reportlab 5.1 writes a character beyond U+FFFF (an emoji) in
  a font's ToUnicode map as five hex digits, which PDF readers cannot parse, so text extraction
  and search garble it. :func:`_to_unicode_cmap` writes it as a UTF-16 surrogate pair and every
  other character as reportlab does. With another release, reportlab's own map is written.
- ``reportlab-face-cache``: what ``TTFontFile.extractInfo`` reads from a face (names, metrics,
  every glyph's width and character), in Python, every build, kept in
  :mod:`reportgen.disk_cache` and read back.
- ``reportlab-lazy-faces``: :func:`lazy_face` registers a style's face by name, its file read
  only when a brief first draws in that style; :func:`shared_face` gives a style drawn with
  another style's file (IPAex has no bold) that style's parsed face under a new name.
- ``reportlab-word-widths``: the width of each word a paragraph measures while it breaks its
  lines (``reportlab.platypus.paragraph.stringWidth``), kept for the brief being drawn: the
  brief breaks a paragraph again at other widths (a short last line re-broken narrower, a
  paragraph split over two pages), and measures the same words each time.

Call :func:`apply` when a command starts (``reportgen._compat.start("pdf")``).
"""

from __future__ import annotations

import copy
import hashlib
import struct
from collections.abc import Callable
from fnmatch import fnmatch
from weakref import WeakKeyDictionary

from reportgen import disk_cache
from reportgen._compat import exact

_applied: set[str] = set()


def apply() -> None:
    """Apply the patches of this module that the installed reportlab admits (once per process)."""
    from reportlab.pdfbase import ttfonts

    if "reportlab-tounicode" not in _applied and exact("reportlab-tounicode"):
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap
        _applied.add("reportlab-tounicode")
    if "reportlab-face-cache" not in _applied and exact("reportlab-face-cache"):
        global _extract_info
        _extract_info = ttfonts.TTFontFile.extractInfo
        ttfonts.TTFontFile.extractInfo = _extract_info_once
        _applied.add("reportlab-face-cache")
    if "reportlab-word-widths" not in _applied and exact("reportlab-word-widths"):
        from reportlab.platypus import paragraph

        global _string_width
        _string_width = paragraph.stringWidth
        paragraph.stringWidth = _word_width
        _applied.add("reportlab-word-widths")


_string_width: Callable[..., float] | None = None
"""``reportlab.pdfbase.pdfmetrics.stringWidth``, once :func:`apply` has replaced the paragraph
module's name for it."""
_widths: dict[tuple[str, str, float, str], float] = {}
"""Widths measured for the brief being drawn, by text, face, size and encoding."""
MOST_WIDTHS = 200_000
"""Widths kept at most (a brief of 1,000 sections measures fewer distinct words); past it, the
memory starts again."""


def new_brief() -> None:
    """Forget the widths measured: a brief starts (its faces may differ from the last one's)."""
    _widths.clear()


def _word_width(text: str, fontName: str, fontSize: float, encoding: str = "utf8") -> float:
    """``stringWidth``, each text measured once per brief in each face and size: a pure function
    of them while the brief is drawn (a face registered under a name stays that face)."""
    key = (text, fontName, fontSize, encoding)
    try:
        return _widths[key]
    except KeyError:
        pass
    if len(_widths) >= MOST_WIDTHS:
        _widths.clear()
    assert _string_width is not None  # set by apply(), which installed this function
    width = _widths[key] = _string_width(text, fontName, fontSize, encoding)
    return width


def _to_unicode_cmap(fontname: str, subset) -> str:
    """reportlab's ``makeToUnicodeCMap``, characters beyond U+FFFF as UTF-16 surrogate pairs."""
    def utf16(code: int) -> str:
        return "".join(f"{unit:04X}" for unit in struct.unpack(">" + "H" * (2 if code > 0xFFFF else 1),
                                                                 chr(code).encode("utf-16-be")))
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        "<< /Registry (%s)" % fontname, "/Ordering (%s)" % fontname, "/Supplement 0", ">> def",
        "/CMapName /%s def" % fontname, "/CMapType 2 def", "1 begincodespacerange",
        "<00> <%02X>" % (len(subset) - 1), "endcodespacerange", "%d beginbfchar" % len(subset),
        *("<%02X> <%s>" % (index, utf16(code)) for index, code in enumerate(subset)),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


_extract_info: Callable[..., None] | None = None
"""reportlab's own ``TTFontFile.extractInfo``, once :func:`apply` has replaced it."""
_NAMES = frozenset({"name", "familyName", "styleName", "fullName", "uniqueFontID"})
"""What reportlab's ``extractInfo`` reads as ``TTFNameBytes`` (UTF-8 bytes that know their text)."""


def _extract_info_once(self, charInfo=1) -> None:
    """reportlab's ``TTFontFile.extractInfo``, its result kept in the disk cache.

    The attributes it sets are plain data but for the names (rebuilt from their bytes) and
    ``_pdfScale`` (a function of ``unitsPerEm``, made here as reportlab makes it). Kept under
    reportlab's version and the face's content: the same face reads back the same attributes,
    and the brief's bytes are the same (tests check)."""
    import reportlab
    from reportlab.pdfbase import ttfonts

    content = hashlib.sha256(self._ttf_data).hexdigest()[:16]
    subfont = bytes(getattr(self, "subfontNameX", b"")).decode("ascii", "replace")
    name = f"ttf-{reportlab.Version}-{content}{subfont}-{int(bool(charInfo))}.marshal"
    stored = disk_cache.read(name)
    if isinstance(stored, dict):
        names, plain = stored["names"], stored["plain"]
        self.__dict__.update(plain)
        self.__dict__.update({key: ttfonts.TTFNameBytes(value) for key, value in names.items()})
        if "unitsPerEm" in plain:
            self._pdfScale = _pdf_scale(plain["unitsPerEm"])
        return
    before = dict(self.__dict__)
    assert _extract_info is not None  # set by apply(), which installed this function
    _extract_info(self, charInfo)
    made = {key: value for key, value in self.__dict__.items() if key not in before or before[key] is not value}
    names = {key: bytes(made.pop(key)) for key in _NAMES & made.keys()}
    made.pop("_pdfScale", None)
    disk_cache.write(name, {"names": names, "plain": made})  # (not kept if reportlab set more than plain data)


def _pdf_scale(units_per_em: int):
    """reportlab's font-units → 1/1000 em conversion (``TTFontFile.extractInfo``)."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def lazy_face(face: str, path: str):
    """A TrueType face registered as ``face``, read from ``path`` only when first used; None
    where the patch does not apply (the caller then reads it at once, with ``registerFont``)."""
    if not exact("reportlab-lazy-faces"):
        return None
    from reportlab.pdfbase import pdfmetrics

    font = _read_on_first_use()(face, path)
    pdfmetrics._fonts[face] = font  # what registerFont does for it, without reading the file
    pdfmetrics.registerFontFamily(face)
    return font


def shared_face(first, face: str):
    """The parsed face ``first`` under the name ``face`` (a style drawn with another style's
    file): the file parsed once; only the name and the per-document subsets differ. None where
    the patch does not apply."""
    if not exact("reportlab-lazy-faces"):
        return None
    from reportlab.pdfbase import ttfonts

    font = copy.copy(first)
    font.fontName = face
    font.state = WeakKeyDictionary()
    font.shapable = not any(fnmatch(face, pattern) for pattern in ttfonts.unShapedFontGlob)  # as TTFont()
    return font


_LAZY: list[type] = []


def _read_on_first_use() -> type:
    """The ``TTFont`` subclass whose ``__init__`` runs when an attribute it has not set is first
    looked up: then it is an ordinary ``TTFont``, read from the same file with the same arguments."""
    if _LAZY:
        return _LAZY[0]
    from reportlab.pdfbase.ttfonts import TTFont

    class ReadOnFirstUse(TTFont):
        def __init__(self, name: str, path: str):  # noqa: super().__init__ is deferred on purpose
            self.__dict__["_unread"] = (name, path)
            self.fontName = name

        def __getattr__(self, attribute: str):
            unread = self.__dict__.pop("_unread", None)
            if unread is None or attribute.startswith("__"):
                raise AttributeError(attribute)
            TTFont.__init__(self, *unread)
            return getattr(self, attribute)

    _LAZY.append(ReadOnFirstUse)
    return ReadOnFirstUse


NARROW_BREAK_RELEASE = "5.1.0"
"""The release whose broken lines :func:`justified_to` knows. Not a patch of
:data:`reportgen._compat.PATCHES` (nothing of reportlab is replaced, and it decides line breaks,
so ``REPORTGEN_NO_PATCHES`` leaves it on); with another release a short last line is only
re-broken through the public style options (tighter spaces, no hyphen)."""


def justified_to(para, widths: list[float], measure: float):
    """Lines that ``Paragraph.breakLines(widths)`` broke (some narrower than ``measure``), made
    to justify to the full ``measure``: each line's ``extraSpace`` (the space the justified
    line spreads over its word spaces) grows by what its width lacks. None where this release's
    lines are not known (the caller keeps its lines)."""
    from reportgen._compat import installed

    if installed("reportlab") != NARROW_BREAK_RELEASE or getattr(para, "kind", None) not in (0, 1):
        return None
    lines = []
    for number, line in enumerate(para.lines):
        lacking = measure - widths[min(number, len(widths) - 1)]
        if para.kind == 0:  # (extraSpace, words)
            lines.append((line[0] + lacking, line[1]))
        else:  # a FragLine
            line.extraSpace += lacking
            lines.append(line)
    para.lines = lines
    return para
