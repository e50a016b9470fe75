#!/usr/bin/env python3
"""Generate ``reportgen/data/carlito.json``: the advance widths the deck's text fit measures with.

The deck names its font "Calibri" and measures it with Carlito, which is metric-compatible
(same advance widths, same vertical metrics). This script reads the four Carlito TrueType files
with fontTools and writes everything :mod:`reportgen.plan.fit` needs, so reportgen itself never
opens a font file at run time.

Regenerate (fontTools is a development-only dependency: ``.venv/bin/pip install fonttools``)::

    .venv/bin/python tools/font_metrics.py \\
        /usr/share/fonts/truetype/crosextra/Carlito-{Regular,Bold,Italic,BoldItalic}.ttf \\
        -o reportgen/data/carlito.json

The fonts come from Debian's ``fonts-crosextra-carlito`` (20220224-1) or, identical byte for
byte, from the PyPI wheel ``rinoh-typeface-carlito`` 0.1.0. The paths must be given in the order
Regular, Bold, Italic, BoldItalic; the script checks each file's style bits against that order.

Output (compact JSON, ASCII only, one trailing newline; the same fonts always give the same
bytes)::

    {
      "format": 1,
      "family": "Carlito",
      "units_per_em": 2048,
      "line_height_factor": 1.220703125,   # max over styles of hhea / win / typo line heights
      "styles": {                          # in the order regular, bold, italic, bolditalic
        "regular": {
          "source": {"file": "Carlito-Regular.ttf", "version": "<name ID 5>", "sha256": "..."},
          "line_metrics": {"hhea": [ascent, descent, lineGap],
                           "typo": [ascender, descender, lineGap, useTypoMetrics],
                           "win": [winAscent, winDescent]},
          "widths": [[first_codepoint, [advance, advance, ...]], ...]
        }, ...
      }
    }

``widths`` lists every code point of the font's cmap as runs of consecutive code points, the
advance widths in font units (unkerned ``hmtx`` advances).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
from pathlib import Path

STYLES = ("regular", "bold", "italic", "bolditalic")
FORMAT = 1


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
    from fontTools.ttLib import TTFont  # development-only dependency

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


def build(paths: list[Path]) -> str:
    """The JSON text (with its trailing newline) for the four font files, in STYLES order."""
    if len(paths) != len(STYLES):
        raise ValueError(f"need {len(STYLES)} font files (Regular, Bold, Italic, BoldItalic)")
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "'created' timestamp seems low"
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("fonts", nargs=4, type=Path, metavar="TTF",
                        help="Regular, Bold, Italic and BoldItalic font files, in that order")
    parser.add_argument("-o", "--output", type=Path,
                        help="where to write the JSON (default: standard output)")
    args = parser.parse_args(argv)
    text = build(args.fonts)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_bytes(text.encode("ascii"))
        print(f"wrote {args.output} ({len(text.encode('ascii')):,} bytes)", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
