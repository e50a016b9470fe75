"""Draw a contact sheet: every page of a PDF brief, or every slide of a .pptx deck, small, in a grid.

    python tools/contact_sheet.py output/sheets/policy/trilateral-alliance.pptx docs/sheets/deck-policy.png

A deck is first converted to PDF by LibreOffice (``soffice --headless``, a profile of its own in a
temporary folder, so that a running LibreOffice is not disturbed); pages are drawn by poppler's
``pdftoppm``; Pillow lays them out, numbers them, and writes a PNG in at most 64 colours, so that
a sheet stays small enough to commit (``make sheets`` writes docs/sheets/). It draws what the
files hold; it checks nothing (the tests and /work/shared/tools/deckcheck.py do).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

GAP = 8
LABEL = 14


def pdf_of(path: Path, work: Path) -> Path:
    """``path`` itself, or the PDF LibreOffice makes of a deck."""
    if path.suffix.lower() == ".pdf":
        return path
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit("contact_sheet: LibreOffice (soffice) is needed to draw a deck: apt-get install libreoffice-impress")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{work}/profile", "--convert-to", "pdf",
                    "--outdir", str(work), str(path)], check=True, capture_output=True, timeout=300)
    return work / (path.stem + ".pdf")


def sheet(source: Path, target: Path, columns: int, width: int) -> None:
    with tempfile.TemporaryDirectory(prefix="reportgen-sheet-") as folder:
        work = Path(folder)
        pdf = pdf_of(source, work)
        subprocess.run(["pdftoppm", "-png", "-scale-to-x", str(width), "-scale-to-y", "-1", str(pdf), str(work / "p")],
                       check=True, capture_output=True, timeout=300)
        pages = [Image.open(p).convert("RGB") for p in sorted(work.glob("p-*.png"))]
    if not pages:
        sys.exit(f"contact_sheet: {source} has no pages")
    w = max(p.width for p in pages)
    h = max(p.height for p in pages)
    rows = -(-len(pages) // columns)
    out = Image.new("RGB", (columns * (w + GAP) + GAP, rows * (h + LABEL + GAP) + GAP), "#8A8F96")
    draw = ImageDraw.Draw(out)
    for number, page in enumerate(pages):
        x = GAP + (number % columns) * (w + GAP)
        y = GAP + (number // columns) * (h + LABEL + GAP)
        draw.text((x, y), str(number + 1), fill="white")
        out.paste(page, (x, y + LABEL))
    target.parent.mkdir(parents=True, exist_ok=True)
    out.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(target, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a .pdf or .pptx")
    parser.add_argument("target", type=Path, help="the PNG to write")
    parser.add_argument("--columns", type=int, default=5)
    parser.add_argument("--width", type=int, default=240, help="pixels across each page (240)")
    args = parser.parse_args()
    sheet(args.source, args.target, args.columns, args.width)
    print(f"{args.target}: {args.target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
