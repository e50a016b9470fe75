"""Images made ready to embed (reportgen/images.py): a huge photo is never decoded whole."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.catalogue import _huge_photo

MEASURE = """
import sys
from pathlib import Path
from reportgen.images import prepared
from reportgen.images import unreadable_image
path = Path(sys.argv[1])
assert unreadable_image(path) is None
page = prepared(path, 451, 451, 200)       # a figure across an A4 text column, at the brief's 200 dpi
slide = prepared(path, 300, 300, 150)
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:")).split()[1]  # this process's own
print(page.width, page.height, slide.width, slide.height, page.format, int(peak) // 1024)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory is read from Linux's /proc")
def test_a_12000_pixel_photo_is_checked_and_downsampled_without_decoding_it_whole(tmp_path: Path) -> None:
    # Decoded whole, the 12,000 x 12,000 JPEG is 432 MB of RGB pixels (and was, three times over:
    # the check, then each placement). Pillow's draft mode decodes it at 1/8 or 1/4 of its size.
    photo = tmp_path / "huge.jpg"
    _huge_photo(photo)
    done = subprocess.run([sys.executable, "-c", MEASURE, str(photo)], capture_output=True, text=True, check=True)
    *sizes, kind, peak_mb = done.stdout.split()
    assert list(map(int, sizes)) == [1253, 1253, 625, 625] and kind == "JPEG"
    assert int(peak_mb) < 200, f"peak {peak_mb} MB"


def test_an_image_size_is_read_once_per_version_of_the_file(tmp_path: Path, monkeypatch) -> None:
    import os

    from PIL import Image

    from reportgen import images

    opened = []
    monkeypatch.setattr(images, "pil", lambda: opened.append(1) or Image)
    image_size = images.image_size
    path = tmp_path / "chart.png"
    Image.new("RGB", (10, 20)).save(path)
    assert image_size(path) == image_size(path) == (10, 20) and len(opened) == 1
    Image.new("RGB", (30, 40)).save(path)
    os.utime(path, ns=(1, 1))  # a new version, whatever the clock's resolution
    assert image_size(path) == (30, 40)


def test_a_jpeg_placed_larger_than_the_decode_budget_allows_is_decoded_at_the_scale_that_fits(tmp_path: Path) -> None:
    # Placed 10,000 pixels a side, the 12,000 x 12,000 photo would be decoded whole (144 Mpx, more
    # than images.MAX_DECODED_PIXELS): it is decoded at 1/2 instead (36 Mpx) and embedded so.
    from reportgen.images import MAX_DECODED_PIXELS, prepared

    photo = tmp_path / "huge.jpg"
    _huge_photo(photo)
    placed = prepared(photo, 10_000 * 72 / 600, 10_000 * 72 / 600, 600)
    assert (placed.width, placed.height) == (6_000, 6_000) and placed.width * placed.height <= MAX_DECODED_PIXELS


@pytest.mark.parametrize("content, reason", [
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 16, "it starts as a PNG file but is not one Pillow can read"),
    (b"\x89PNG\r\n\x1a\n" + b"garbage" * 8, "it starts as a PNG file but is not one Pillow can read (Truncated File Read)"),
    (b"%PDF-1.7\n", "it is a PDF file, and reportgen reads only PNG, JPEG, GIF or WebP; export it as PNG or JPEG"),
    (b"BM" + b"\0" * 60, "it is a BMP file, and reportgen reads only PNG, JPEG, GIF or WebP; export it as PNG or JPEG"),
    (b"RIFF\0\0\0\0WEBPVP8 ", "it starts as a WebP file but is not one Pillow can read (could not create decoder object)"),
])
def test_an_image_is_known_by_its_first_bytes(tmp_path: Path, content: bytes, reason: str) -> None:
    from reportgen.images import unreadable_image

    path = tmp_path / "x.png"
    path.write_bytes(content)
    assert unreadable_image(path) == reason
