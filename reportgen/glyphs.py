"""Which characters the brief can print: its faces, the characters each maps, and the checks
``validate`` and ``build`` both make of an outline's text before anything is rendered.

The text faces come from PyPI wheels (Source Serif Pro, Source Sans Pro); fallbacks are Debian
packages where installed (DejaVu Sans, IPAex Gothic, Nanum Gothic, Symbola), then reportlab's
own Vera. A face's characters are read from its ``cmap`` with fontTools, kept in the disk cache
under the file's content, so a command reads no font file it has read before and imports no
reportlab: the renderer draws with the same files (:mod:`reportgen.render.fonts`), and a test
checks that reportlab maps the same characters.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, NamedTuple

from reportgen import disk_cache
from reportgen.errors import Problem, key_path

SERIF = "Serif"
SANS = "Sans"

FAMILIES = {
    SERIF: ("font_source_serif_pro", "SourceSerifPro", ("Regular", "Bold", "It", "BoldIt")),
    SANS: ("font_source_sans_pro", "SourceSansPro", ("Regular", "Bold", "It", "BoldIt")),
}
"""The brief's text faces: name → (wheel package, file stem, the four styles' file suffixes)."""


class Fallback(NamedTuple):
    name: str
    regular: str
    bold: str | None
    """None: the regular file draws bold too."""
    package: str
    """The Debian package that provides it."""


FALLBACKS = (
    Fallback("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
             "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
    Fallback("IPAex", "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf", None, "fonts-ipaexfont-gothic"),
    Fallback("Nanum", "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
             "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf", "fonts-nanum"),
    Fallback("Symbola", "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf", None, "fonts-symbola"),
)
"""Faces for characters the text faces lack, in the order they are tried."""


def family_files(name: str) -> list[Path]:
    """The four files (regular, bold, italic, bold italic) of the text face ``name``."""
    package, stem, styles = FAMILIES[name]
    spec = find_spec(package)  # (found, not imported)
    assert spec is not None and spec.submodule_search_locations, f"{package} is a dependency"
    folder = Path(list(spec.submodule_search_locations)[0]) / "files"
    return [folder / f"{stem}-{style}.ttf" for style in styles]


def vera_files() -> list[Path]:
    """reportlab's own Vera, the last fallback (regular, bold, italic, bold italic)."""
    spec = find_spec("reportlab")
    assert spec is not None and spec.origin is not None, "reportlab is a dependency"
    folder = Path(spec.origin).parent / "fonts"
    return [folder / name for name in ("Vera.ttf", "VeraBd.ttf", "VeraIt.ttf", "VeraBI.ttf")]


FORMAT = 1


@cache
def characters(path: Path) -> frozenset[int]:
    """The code points the TrueType file at ``path`` maps to a glyph (its best ``cmap``)."""
    data = path.read_bytes()
    name = f"cmap-{hashlib.sha256(data).hexdigest()[:16]}-v{FORMAT}.marshal"
    stored = disk_cache.read(name)
    if isinstance(stored, list):
        return frozenset(stored)
    import io

    from fontTools.ttLib import TTFont

    with TTFont(io.BytesIO(data), lazy=True) as font:
        mapped = sorted((font.getBestCmap() or {}).keys())
    disk_cache.write(name, mapped)
    return frozenset(mapped)


def is_hangul(code: int) -> bool:
    return 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F


def is_han(code: int) -> bool:
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF


def is_cjk(code: int) -> bool:
    return is_hangul(code) or is_han(code) or unicodedata.east_asian_width(chr(code)) in ("W", "F")


def explain(missing: Iterable[str], missing_packages: dict[str, str]) -> str:
    """Why characters ``missing`` cannot be printed, naming the Debian packages that would help."""
    chars = "".join(dict.fromkeys(missing))
    shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in chars[:8]) + (", ..." if len(chars) > 8 else "")
    wanted = []
    if any(is_hangul(ord(c)) for c in chars) and "Nanum" in missing_packages:
        wanted.append(missing_packages["Nanum"])
    if any(is_cjk(ord(c)) and not is_hangul(ord(c)) for c in chars) and "IPAex" in missing_packages:
        wanted.append(missing_packages["IPAex"])
    if wanted:
        return (f"the text holds characters no installed font can draw: {shown}; "
                f"install the Debian package{'s' if len(wanted) > 1 else ''} {' and '.join(wanted)} "
                f"(apt-get install {' '.join(wanted)})")
    return f"no font available to reportgen can draw these characters: {shown}"


def missing_packages() -> dict[str, str]:
    """Fallback face → the Debian package that would provide it, for those not installed."""
    return {f.name: f.package for f in FALLBACKS if not Path(f.regular).is_file()}


class _Printable:
    """The characters the body face and every installed fallback can print, each face read
    only when a character is not in the faces before it."""

    def __init__(self):
        self.faces = [family_files(SERIF)[0], *(Path(f.regular) for f in FALLBACKS if Path(f.regular).is_file()),
                      vera_files()[0]]
        self.read: list[frozenset[int]] = []

    def lacks(self, text: str) -> list[str]:
        """The characters of ``text`` that no face has, in order (white space never counts)."""
        wanted = {char for char in set(text) if char not in " \n\t"}
        for index in range(len(self.faces)):
            if not wanted:
                return []
            if index == len(self.read):
                self.read.append(characters(self.faces[index]))
            mapped = self.read[index]
            wanted = {char for char in wanted if ord(char) not in mapped}
        return [char for char in text if char in wanted]


FIRST_RIGHT_TO_LEFT = "\u0590"
"""No character before the Hebrew block is written right to left (bidirectional class R or AL):
a text whose every character comes before it needs no character-by-character look."""


def text_problems(texts: Iterable[tuple[tuple, Any, str]]) -> list[Problem]:
    """For ``(key, position, text)`` triples (``Loaded.texts()``), a problem for each text the PDF
    cannot print faithfully: characters no font has, and right-to-left scripts (reportlab lays
    text out left to right only)."""
    problems = []
    printable = _Printable()
    for key, position, text in texts:
        if key and (key[0] == "vars" or key[-1] in ("image", "include", "id")):
            continue
        file, line, column = position or ("?", None, None)
        rtl = (next((c for c in text if unicodedata.bidirectional(c) in ("R", "AL")), None)
               if text and max(text) >= FIRST_RIGHT_TO_LEFT else None)
        if rtl:
            problems.append(Problem(file, line, column, key_path(key),
                                    f"right-to-left text ({rtl} U+{ord(rtl):04X}) is not supported in the PDF brief yet"))
            continue
        lacking = printable.lacks(text)
        if lacking:
            problems.append(Problem(file, line, column, key_path(key), explain(lacking, missing_packages())))
    return problems
