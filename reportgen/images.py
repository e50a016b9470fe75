"""Images (Pillow only): their shown size, and their pixels made ready to embed.

Used by the plans (:func:`image_size`, to place an image) and the renderers (:func:`prepared`).
Images made ready to embed: upright, 8-bit RGB (or RGBA), no bigger than their placed size needs.

Both outputs embed what :func:`prepared` returns, never the file as it is: a 12,000-pixel photo
is downsampled to the resolution its placed size needs (``dpi``), an EXIF-rotated photo is
turned upright, and CMYK, 16-bit and palette images are converted to what every PDF reader and
PowerPoint draw alike. Photos are re-encoded as JPEG, images with transparency or few colours as
PNG. The same input gives the same bytes (Pillow's encoders are deterministic).

An image file is untrusted data, bounded before it is decoded (docs/limits.md lists the limits).
This is the one module that opens image files with Pillow, always through :func:`opened`: only
PNG, JPEG, GIF and WebP are read, known by their first bytes, and Pillow is told to try that
format alone, so that a PostScript file named ``.png`` never reaches Ghostscript (Pillow would
identify it by content and run it). The size in the header decides, before any pixel is decoded,
whether the image is read at all (:data:`MAX_IMAGE_PIXELS`) and how much of it may be decoded at
once (:data:`MAX_DECODED_PIXELS`); a JPEG is decoded at the reduced scale its use needs.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import PIL.Image

MAX_IMAGE_PIXELS = 200_000_000
"""The most pixels an image's header may claim: a 12,000 × 12,000 photo (144 Mpx) is read and
downsampled, a 19,000 × 19,000 one (361 Mpx) refused. It is Pillow's decompression-bomb limit,
whose warning is turned into a refusal (:func:`opened`): nothing over it is decoded."""

MAX_DECODED_PIXELS = 50_000_000
"""The most pixels decoded from one file at once: 200 MB, at the 4 bytes a pixel Pillow holds
(RGB included), and about twice that at the peak of making it ready to embed. A JPEG is decoded at
1/2, 1/4 or 1/8 of its size where that fits (so any JPEG under :data:`MAX_IMAGE_PIXELS` can be
read); a PNG, GIF or WebP has no such reduced decode, and over this is refused."""

FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "GIF": "GIF", "WEBP": "WebP"}
"""The formats reportgen reads: Pillow's name for each, and the name shown."""

MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF87a": "GIF", b"GIF89a": "GIF"}
"""The formats read, by their first bytes (WebP, ``RIFF....WEBP``, in :func:`_format`)."""

KNOWN_OTHERS = {b"%!PS": "PostScript (EPS)", b"\xc5\xd0\xd3\xc6": "PostScript (EPS)", b"%PDF": "PDF",
                b"II*\x00": "TIFF", b"MM\x00*": "TIFF", b"BM": "BMP"}
"""Formats refused by name, as a reader might export them by mistake."""

READ = "PNG, JPEG, GIF or WebP"

JPEG_QUALITY = 85


class Prepared(NamedTuple):
    data: bytes
    width: int
    height: int
    format: str
    """"JPEG" or "PNG"."""


class ImageRefused(ValueError):
    """Why an image file is not one reportgen can use (``str(error)``, a clause after a colon)."""


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


def _format(head: bytes) -> str:
    """The format of a file that starts with ``head``, or :class:`ImageRefused` naming why not."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    for magic, name in MAGIC.items():
        if head.startswith(magic):
            return name
    for magic, name in KNOWN_OTHERS.items():
        if head.startswith(magic):
            raise ImageRefused(f"it is a {name} file, and reportgen reads only {READ}; export it as PNG or JPEG")
    raise ImageRefused(f"not a {READ} file (reportgen reads only these)")


@contextmanager
def opened(path: Path) -> Iterator[PIL.Image.Image]:
    """The image at ``path`` opened by Pillow, its header read and nothing decoded: only as one
    of the formats reportgen reads, known by its first bytes, and only if its header claims at
    most :data:`MAX_IMAGE_PIXELS`; else :class:`ImageRefused`."""
    with open(path, "rb") as file:
        head = file.read(16)
    if not head:
        raise ImageRefused("the file is empty")
    kind = _format(head)
    Image = pil()
    with warnings.catch_warnings():  # Pillow warns past its limit (raises past twice it): both refuse here
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(path, formats=[kind])
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise ImageRefused(f"it is too large to decode safely (more than {MAX_IMAGE_PIXELS:,} pixels)") from None
        except Image.UnidentifiedImageError:  # (its message names the file in full)
            raise ImageRefused(f"it starts as a {FORMATS[kind]} file but is not one Pillow can read") from None
        except (OSError, SyntaxError, ValueError, EOFError) as err:  # a header cut short or broken
            raise ImageRefused(f"it starts as a {FORMATS[kind]} file but is not one Pillow can read ({err})") from None
    with image:
        yield image


def _within_budget(image: PIL.Image.Image) -> None:
    """:class:`ImageRefused` if ``image`` (drafted, not yet loaded) would decode to more than
    :data:`MAX_DECODED_PIXELS`."""
    width, height = image.size
    if width * height > MAX_DECODED_PIXELS:
        raise ImageRefused(f"{width:,} × {height:,} pixels is more than the {MAX_DECODED_PIXELS:,} reportgen "
                           f"decodes from a {FORMATS.get(image.format or '', image.format)} file; save it smaller, or as a JPEG")


def _draft_size(image: PIL.Image.Image, limit: tuple[int, int]) -> tuple[int, int]:
    """The size to ask a JPEG's draft mode for, given the ``limit`` its use needs: that limit,
    or less where decoding at the limit's scale would pass :data:`MAX_DECODED_PIXELS` (the
    picture is then embedded a little coarser than asked, never decoded past the budget)."""
    width, height = image.size
    scale = next((s for s in (1, 2, 4) if math.ceil(width / s) * math.ceil(height / s) <= MAX_DECODED_PIXELS), 8)
    return min(limit[0], max(1, width // scale)), min(limit[1], max(1, height // scale))


def unreadable_image(path: Path) -> str | None:
    """Why reportgen cannot use an image file (a clause: "the file is empty"), or None when it
    can: every byte read, so that a truncated file is found here, not in a renderer."""
    try:
        with opened(path) as image:
            image.verify()
        with opened(path) as image:
            image.draft(None, (1, 1))  # a JPEG decoded at 1/8 scale: every byte read, an eighth of the pixels kept
            _within_budget(image)
            image.load()
    except ImageRefused as err:
        return str(err)
    except (OSError, SyntaxError, ValueError) as err:
        return str(err) or type(err).__name__
    return None


@lru_cache(maxsize=256)
def _image_size(path: Path, _mtime: int) -> tuple[int, int]:
    with opened(path) as image:
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
    with opened(path) as original:
        # A JPEG is decoded at 1/2, 1/4 or 1/8 of its size where that still covers the placed size
        # (Pillow's draft mode, as its thumbnail uses): a 12,000-pixel photo's 288 MB of pixels are
        # never all decoded. The limit is given in the file's own orientation.
        original.draft(None, _draft_size(original, limit[::-1] if _turned(original) else limit))
        _within_budget(original)
        image = ImageOps.exif_transpose(original)
        original.close()  # its pixels freed: the upright copy is used from here on
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
