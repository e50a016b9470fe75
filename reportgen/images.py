"""Images (Pillow only): their shown size, and their pixels made ready to embed.

Used by the plans (:func:`image_size`, to place an image) and the renderers (:func:`prepared`).
Images made ready to embed: upright, 8-bit RGB (or RGBA), no bigger than their placed size needs.

Both outputs embed what :func:`prepared` returns, never the file as it is: a 12,000-pixel photo
is downsampled to the resolution its placed size needs (``dpi``), an EXIF-rotated photo is
turned upright, and CMYK, 16-bit and palette images are converted to what every PDF reader and
PowerPoint draw alike. Photos are re-encoded as JPEG, images with transparency or few colours as
PNG. The same input gives the same bytes (Pillow's encoders are deterministic).
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import PIL.Image

MAX_IMAGE_PIXELS = 200_000_000
"""Pillow's guard against decompression bombs, raised so that a 12,000 × 12,000 photo (144 Mpx)
is read and downsampled; anything larger than 400 Mpx is refused (Pillow refuses at twice this)."""

JPEG_QUALITY = 85


class Prepared(NamedTuple):
    data: bytes
    width: int
    height: int
    format: str
    """"JPEG" or "PNG"."""


def pil():
    """Pillow's ``Image`` module, with :data:`MAX_IMAGE_PIXELS` set: imported when an image is
    first read, since a document without images needs none of it."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    return Image


def image_size(path: Path) -> tuple[int, int]:
    """Width and height of the image as it should be shown (EXIF rotation applied); read once
    per file and version (a chart in every section of a long outline is one file read once)."""
    return _image_size(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=256)
def _image_size(path: Path, _mtime: int) -> tuple[int, int]:
    with pil().open(path) as image:
        width, height = image.size
        return (height, width) if _turned(image) else (width, height)


def _turned(image: PIL.Image.Image) -> bool:
    """Whether the file's EXIF orientation shows it a quarter turn round (its width as height)."""
    return image.getexif().get(0x0112) in (5, 6, 7, 8)


def prepared(path: Path, width_pt: float, height_pt: float, dpi: int) -> Prepared:
    """The image at ``path`` for a placement of ``width_pt`` × ``height_pt`` points at ``dpi``."""
    limit = (max(1, round(width_pt / 72 * dpi)), max(1, round(height_pt / 72 * dpi)))
    return _prepared(path, path.stat().st_mtime_ns, limit)


@lru_cache(maxsize=64)
def _prepared(path: Path, _mtime: int, limit: tuple[int, int]) -> Prepared:
    from PIL import ImageOps

    Image = pil()
    with Image.open(path) as original:
        # A JPEG is decoded at 1/2, 1/4 or 1/8 of its size where that still covers the placed size
        # (Pillow's draft mode, as its thumbnail uses): a 12,000-pixel photo's 288 MB of pixels are
        # never all decoded. The limit is given in the file's own orientation.
        original.draft(None, limit[::-1] if _turned(original) else limit)
        image = ImageOps.exif_transpose(original)
        image = _eight_bit(image)
        if image.width > limit[0] or image.height > limit[1]:
            image.thumbnail(limit, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        if image.mode == "RGBA" or _few_colours(image):
            image.save(buffer, "PNG", optimize=True)
            kind = "PNG"
        else:
            image.convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
            kind = "JPEG"
        return Prepared(buffer.getvalue(), image.width, image.height, kind)


def _eight_bit(image: PIL.Image.Image) -> PIL.Image.Image:
    """RGB or RGBA with 8 bits a channel, whatever the file held."""
    if image.mode.startswith("I"):  # 16- or 32-bit grey: scale to 8 bits
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode in ("P", "PA", "LA", "La", "RGBa"):
        image = image.convert("RGBA")
    elif image.mode != "RGBA":
        image = image.convert("RGB")
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    return image


def _few_colours(image: PIL.Image.Image) -> bool:
    """Charts and line art (a handful of colours) stay PNG: JPEG would blur their edges."""
    return image.getcolors(maxcolors=256) is not None
