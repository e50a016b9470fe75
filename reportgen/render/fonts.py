"""Fonts for the PDF: embedded TrueType faces and per-character fallback.

The text faces are Source Serif Pro (body) and Source Sans Pro (headings, tables, captions),
from their PyPI wheels, so a brief builds on any machine without system packages. reportlab has
no font fallback of its own: a character the face lacks comes out as an empty box or nothing.
So :meth:`FontSet.markup` splits text by which registered face has each character and wraps the
others in ``<font face=…>``: DejaVu Sans for odd symbols, IPAex Gothic for Japanese, Nanum Gothic
for Korean (Debian packages, optional), reportlab's own Vera last. A character no face has is an
error naming the package to install, never a silently dropped glyph.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from reportgen._compat.reportlab import lazy_face, shared_face
from reportgen.errors import ReportgenError
from reportgen.glyphs import FALLBACKS, SANS, SERIF, characters, explain, family_files, is_cjk, is_han, is_hangul, vera_files
from reportgen.font_metrics import ttf_paths

def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities, for reportlab's paragraph markup."""
    return html.escape(text, quote=False)


class MissingGlyphs(ReportgenError):
    """Text holds characters that no available font can draw."""


class _Coverage(MutableMapping):
    """Face → the code points it has, a fallback face read (and registered with reportlab) only
    when first looked up. Most briefs never need one, and parsing the fallback fonts (4 MB of
    CJK and 3 MB of symbols, each file once per style) was most of a brief's start-up time.
    Iterating and ``in`` list every face without reading it."""

    def __init__(self):
        self._faces: dict[str, frozenset[int] | Callable[[], frozenset[int]]] = {}

    def __setitem__(self, name: str, value: frozenset[int]) -> None:
        self._faces[name] = value

    def defer(self, name: str, read: Callable[[], frozenset[int]]) -> None:
        """The face ``name``, whose characters ``read()`` registers and returns when first looked up."""
        self._faces[name] = read

    def __delitem__(self, name: str) -> None:
        del self._faces[name]

    def __getitem__(self, name: str) -> frozenset[int]:
        value = self._faces[name]
        if callable(value):
            value = self._faces[name] = value()
        return value

    def __contains__(self, name: object) -> bool:
        return name in self._faces

    def __iter__(self) -> Iterator[str]:
        return iter(self._faces)

    def __len__(self) -> int:
        return len(self._faces)


@dataclass
class FontSet:
    """The registered faces and the characters each covers. Get it with :func:`fonts`."""

    coverage: MutableMapping[str, frozenset[int]] = field(default_factory=dict)
    fallbacks: list[str] = field(default_factory=list)
    missing_packages: dict[str, str] = field(default_factory=dict)
    """Fallback face → the Debian package that would provide it, for faces not installed."""

    def face(self, spec: str) -> str:
        """The registered face name for a theme's ``pdf`` face: ``serif``, ``sans``, or TrueType
        files (``ttf:regular|bold|italic|bolditalic``), registered here the first time (under a
        name made from the files, so the same theme always gives the same PDF)."""
        if spec == "serif":
            return SERIF
        if spec == "sans":
            return SANS
        name = "T" + hashlib.sha256(spec.encode()).hexdigest()[:10]
        if name not in self.coverage:
            paths = ttf_paths(spec)
            regular = paths["regular"]
            if regular is None:
                raise ReportgenError(f"theme pdf face {spec!r}: no regular file")  # the theme's validation requires one
            self.coverage[name] = _register(name, regular, paths["bold"], paths["italic"], paths["bolditalic"])
        return name

    def markup(self, text: str, base: str, *, bold: bool = False, italic: bool = False, korean: bool = False) -> str:
        """Text as reportlab paragraph markup in face ``base``, escaped, with fallback faces.

        Bold and italic go inside each ``<font face>``: outside it, reportlab drops them.
        """
        out: list[str] = []
        for face, piece in self._segments(text, base, korean):
            body = escape(piece)
            if bold:
                body = f"<b>{body}</b>"
            if italic:
                body = f"<i>{body}</i>"
            out.append(body if face == base else f'<font face="{face}">{body}</font>')
        return "".join(out)

    def segments(self, text: str, base: str, *, korean: bool = False) -> list[tuple[str, str]]:
        """``text`` as (face, piece) runs: ``base`` where it has the characters, a fallback face
        where not (text drawn straight on the canvas: a chart's labels)."""
        return self._segments(text, base, korean)

    def _segments(self, text: str, base: str, korean: bool) -> list[tuple[str, str]]:
        covered = self.coverage[base]
        if text and all(ord(char) in covered or char in " \n\t" for char in set(text)):
            return [(base, text)]  # the usual case, decided per distinct character: one segment
        segments: list[tuple[str, str]] = []
        missing: list[str] = []
        for char in text:
            code = ord(char)
            face = base if code in covered or char in " \n\t" else self._fallback_for(char, korean)
            if face is None:
                missing.append(char)
                continue
            if segments and segments[-1][0] == face:
                segments[-1] = (face, segments[-1][1] + char)
            else:
                segments.append((face, char))
        if missing:
            raise MissingGlyphs(self._explain(missing))
        return segments

    def _fallback_for(self, char: str, korean: bool) -> str | None:
        code = ord(char)
        order = self.fallbacks
        if is_hangul(code) or (korean and is_han(code)):
            order = sorted(order, key=lambda f: f != "Nanum")
        elif is_cjk(code):
            order = sorted(order, key=lambda f: f != "IPAex")
        for face in order:
            if code in self.coverage[face]:
                return face
        return None

    def _explain(self, missing: list[str]) -> str:
        return explain(missing, self.missing_packages)


def _register(name: str, regular: str | Path, bold: str | Path | None = None,
              italic: str | Path | None = None, bold_italic: str | Path | None = None) -> frozenset[int]:
    styles = {name: regular, f"{name}-Bold": bold or regular, f"{name}-Italic": italic or regular,
              f"{name}-BoldItalic": bold_italic or bold or regular}
    parsed: dict[str, TTFont] = {}
    for face, path in styles.items():
        first = parsed.get(str(path))
        if face == name:
            font = parsed[str(path)] = TTFont(face, str(path))  # read now: its characters are the coverage
        elif first is None:
            lazy = lazy_face(face, str(path))
            if lazy is not None:
                parsed[str(path)] = lazy
                continue
            font = parsed[str(path)] = TTFont(face, str(path))
        else:
            font = shared_face(first, face) or TTFont(face, str(path))
        pdfmetrics.registerFont(font)
    addMapping(name, 0, 0, name)
    addMapping(name, 1, 0, f"{name}-Bold")
    addMapping(name, 0, 1, f"{name}-Italic")
    addMapping(name, 1, 1, f"{name}-BoldItalic")
    return characters(Path(regular))  # the face's own cmap, as validate reads it (reportlab maps a few more)


@cache
def fonts() -> FontSet:
    """Register the text faces once per process and return the set; fallback faces are
    registered the first time a character needs one (see :class:`_Coverage`)."""
    coverage = _Coverage()
    found = FontSet(coverage=coverage)
    for name in (SERIF, SANS):
        coverage[name] = _register(name, *family_files(name))
    for name, regular, bold, package in FALLBACKS:
        if Path(regular).is_file():
            coverage.defer(name, partial(_register, name, regular, bold if bold and Path(bold).is_file() else None))
            found.fallbacks.append(name)
        else:
            found.missing_packages[name] = package
    coverage.defer("Vera", partial(_register, "Vera", *vera_files()))
    found.fallbacks.append("Vera")
    return found
