"""Font metrics from TrueType files: the advance widths and line heights :mod:`reportgen.plan.fit`
measures deck text with.

``reportgen/data/carlito.json`` is made from Carlito's four files by ``tools/font_metrics.py``
(which calls :func:`build`); a theme may name other TrueType files (``fonts.body.metrics``),
read here at build time with fontTools. A style whose file is not given is made from the
regular one, its widths enlarged by :data:`SYNTHETIC_BOLD` for bold, so that it is never
measured narrower than PowerPoint would draw an emboldened face.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

DECK_FONTS = {"Calibri": "carlito"}
"""Deck fonts reportgen can measure without being given their files, and the metrics
(``reportgen/data/NAME.json``) that stand in for them."""

STYLES = ("regular", "bold", "italic", "bolditalic")
FORMAT = 1
SYNTHETIC_BOLD = 1.1
"""Bold widths made from the regular face's: 10 % wider (real bold faces are 3-8 % wider)."""


def ttf_key(paths: Mapping[str, str | Path | None]) -> str:
    """The :attr:`reportgen.plan.fit.BoxSpec.font` of a family given as TrueType files (``regular``, and optionally
    ``bold``, ``italic``, ``bolditalic``: absolute paths)."""
    return "ttf:" + "|".join(str(paths.get(style) or "") for style in STYLES)


def ttf_paths(key: str) -> dict[str, str | None]:
    """The files a :func:`ttf_key` names, by style (None: not given)."""
    return {style: path or None for style, path in zip(STYLES, key.removeprefix("ttf:").split("|"))}


MAX_FONT_BYTES = 64 * 1024 * 1024
"""The most a theme's font file may hold (a CJK TrueType face is some 20 MB)."""
_TRUETYPE = (b"\x00\x01\x00\x00", b"true")
"""The first bytes of a TrueType font (sfnt version 1.0, or Apple's ``true``)."""
_NEEDED = ("head", "hhea", "hmtx", "cmap", "OS/2", "glyf", "loca")
"""The tables the brief (reportlab embeds glyf outlines) and the deck's measures read."""


def font_problem(path: Path) -> str | None:
    """Why the file at ``path`` is not a TrueType font reportgen can use, or None: checked when
    the theme is read, so that a fake or broken font is an error at its key, not a failure
    of the renderer. Bounded: the file's size first, then its first bytes, then its tables."""
    try:
        size = path.stat().st_size
        if size > MAX_FONT_BYTES:
            return f"the file is {size:,} bytes; a font file may hold at most {MAX_FONT_BYTES:,}"
        with path.open("rb") as stream:
            head = stream.read(4)
    except OSError as err:
        return f"cannot read it: {err.strerror}"
    if head == b"OTTO":
        return "it is an OpenType font with PostScript (CFF) outlines, which the brief cannot embed; use a TrueType (.ttf) font"
    if head in (b"ttcf", b"wOFF", b"wOF2"):
        return "it is a font collection or a web font, not one TrueType font; use the .ttf file of one face"
    if head not in _TRUETYPE:
        return "not a TrueType font (its first bytes are not a TrueType header)"
    from fontTools.ttLib import TTFont  # imported only when a font file is read

    try:
        with TTFont(path, lazy=True) as font:
            missing = [tag for tag in _NEEDED if tag not in font]
            if missing:
                return f"the font has no {missing[0]!r} table"
            for tag in _NEEDED:
                font[tag]  # parsed: a table that is cut short or garbled fails here
    except Exception as err:  # fontTools raises many kinds on a damaged file
        return f"the font cannot be read ({type(err).__name__})"
    return None


def _style_bits(font) -> tuple[bool, bool]:
    """(bold, italic) as the font declares them in ``head.macStyle``."""
    mac = font["head"].macStyle
    return bool(mac & 1), bool(mac & 2)


def _runs(widths: dict[int, int]) -> list[list]:
    """``{cp: w}`` → ``[[first_cp, [w, w, ...]], ...]`` over runs of consecutive code points."""
    runs: list[list] = []
    previous = None
    for cp in sorted(widths):
        if previous is None or cp != previous + 1:
            runs.append([cp, []])
        runs[-1][1].append(widths[cp])
        previous = cp
    return runs


def style_data(path: Path) -> tuple[dict, int, int, tuple[bool, bool]]:
    """One font file → (its JSON entry, units per em, line height in font units, style bits)."""
    import hashlib

    from fontTools.ttLib import TTFont  # imported only when a font file is read

    raw = path.read_bytes()
    font = TTFont(path)
    upm = font["head"].unitsPerEm
    hmtx = font["hmtx"]
    cmap = font.getBestCmap()
    widths = {cp: int(hmtx[glyph][0]) for cp, glyph in cmap.items()}

    hhea, os2 = font["hhea"], font["OS/2"]
    use_typo = bool(os2.fsSelection & (1 << 7))
    line_metrics = {
        "hhea": [hhea.ascent, hhea.descent, hhea.lineGap],
        "typo": [os2.sTypoAscender, os2.sTypoDescender, os2.sTypoLineGap, use_typo],
        "win": [os2.usWinAscent, os2.usWinDescent],
    }
    # The most conservative of the three line heights an application may use for "single".
    line_height = max(
        hhea.ascent - hhea.descent + hhea.lineGap,
        os2.usWinAscent + os2.usWinDescent,
        os2.sTypoAscender - os2.sTypoDescender + os2.sTypoLineGap,
    )
    version = font["name"].getDebugName(5) or ""
    entry = {
        "source": {
            "file": path.name,
            "version": version,
            "sha256": hashlib.sha256(raw).hexdigest(),
        },
        "line_metrics": line_metrics,
        "widths": _runs(widths),
    }
    family = font["name"].getDebugName(1) or ""
    entry["_family"] = family
    return entry, upm, line_height, _style_bits(font)


def _quiet_fonttools() -> None:
    """fontTools warns about what does not matter here ("'created' timestamp seems low"). logging
    is imported here, with fontTools, not by the deck's process, which reads no font file."""
    import logging

    logging.getLogger("fontTools").setLevel(logging.ERROR)


def build(paths: list[Path]) -> str:
    """The JSON text (with its trailing newline) for the four font files, in STYLES order."""
    if len(paths) != len(STYLES):
        raise ValueError(f"need {len(STYLES)} font files (Regular, Bold, Italic, BoldItalic)")
    _quiet_fonttools()
    styles: dict[str, dict] = {}
    upms, heights, families = set(), [], set()
    for name, path in zip(STYLES, paths):
        entry, upm, line_height, (bold, italic) = style_data(Path(path))
        expected = ("bold" in name, "italic" in name)
        if (bold, italic) != expected:
            raise ValueError(
                f"{path}: its style bits say bold={bold} italic={italic}, but it was given as "
                f"{name!r}; pass the files in the order Regular, Bold, Italic, BoldItalic"
            )
        families.add(entry.pop("_family"))
        upms.add(upm)
        heights.append(line_height)
        styles[name] = entry
    if len(upms) != 1:
        raise ValueError(f"the four fonts disagree on units per em: {sorted(upms)}")
    if len(families) != 1:
        raise ValueError(f"the four fonts are not one family: {sorted(families)}")
    upm = upms.pop()
    data = {
        "format": FORMAT,
        "family": families.pop(),
        "units_per_em": upm,
        "line_height_factor": max(heights) / upm,
        "styles": styles,
    }
    return json.dumps(data, ensure_ascii=True, separators=(",", ":")) + "\n"


def data(paths: Mapping[str, str | Path | None]) -> dict:
    """The metrics of a family from its files (``STYLES`` → path; ``regular`` required, the
    others made from it when missing), as :class:`reportgen.plan.fit.Metrics` reads them."""
    _quiet_fonttools()
    regular, upm, height, _ = style_data(Path(paths["regular"] or ""))
    family = regular.pop("_family")
    styles, heights = {"regular": regular}, [height]
    for name in STYLES[1:]:
        if paths.get(name):
            entry, other_upm, line_height, _ = style_data(Path(paths[name] or ""))
            entry.pop("_family")
            if other_upm != upm:
                raise ValueError(f"{paths[name]}: {other_upm} units per em, the regular face has {upm}")
            styles[name], heights = entry, heights + [line_height]
        else:
            base = styles["bold"] if name == "bolditalic" and paths.get("bold") else regular
            factor = SYNTHETIC_BOLD if "bold" in name and base is regular else 1.0
            styles[name] = {**base, "widths": [[first, [round(w * factor) for w in widths]]
                                               for first, widths in base["widths"]]}
    return {"format": FORMAT, "family": family, "units_per_em": upm,
            "line_height_factor": max(heights) / upm, "styles": styles}
