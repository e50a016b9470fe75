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
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportgen.font_metrics import build  # noqa: E402 - the path above first


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
