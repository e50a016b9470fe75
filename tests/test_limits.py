"""docs/limits.md against the code: each limit named there (by its constant) holds the number
the code enforces, and an input just past it gives the error the page shows."""

from __future__ import annotations

import importlib
import re
import struct
import zlib
from pathlib import Path

import pytest

from tests.conftest import REPO, run
from tests.hostile.catalogue import EPS, figure, write

DOC = REPO / "docs" / "limits.md"


def rows() -> dict[str, tuple[str, str]]:
    """Each table row naming a constant (``module.NAME`` in backticks): name → (value, error given)."""
    found = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and (named := re.search(r"`(\w+\.[A-Z_]+)`", cells[0])):
            found[named.group(1)] = (cells[1], cells[2])
    return found


def enforced(name: str):
    module, constant = name.split(".")
    return getattr(importlib.import_module(f"reportgen.{module}"), constant)


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` RGBA pixels and holds none."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


def test_every_limit_named_in_the_doc_is_the_one_the_code_enforces() -> None:
    found = rows()
    assert {"images.FORMATS", "images.MAX_IMAGE_PIXELS", "images.MAX_DECODED_PIXELS"} <= set(found)
    for name, (value, _) in found.items():
        code = enforced(name)
        if isinstance(code, int):
            assert int(value.replace(",", "")) == code, name
        else:
            assert value == ", ".join(code.values()), name


PAST = {  # an image just past each limit, and (where there is one) an image just within it
    "images.FORMATS": (EPS, png_header(1, 1)),
    "images.MAX_IMAGE_PIXELS": (png_header(enforced("images.MAX_IMAGE_PIXELS") + 1, 1), None),
    "images.MAX_DECODED_PIXELS": (png_header(7_072, 7_072), png_header(enforced("images.MAX_DECODED_PIXELS") // 5_000, 5_000)),
}


@pytest.mark.parametrize("name", list(PAST))
def test_an_image_past_a_limit_gets_the_error_the_doc_gives(project: Path, name: str) -> None:
    _, error = rows()[name]
    shown = re.escape(re.search(r"`FILE:LINE:COL: KEY: PATH (.+?)`", error).group(1))
    pattern = re.compile(r"o\.yaml:\d+:\d+: [\w.\[\]]+: assets/x\.png " + shown.replace(r"W\ ×\ H", r"[\d,]+\ ×\ [\d,]+"))
    past, within = PAST[name]
    for content, refused in ((past, True), (within, False)):
        if content is None:
            continue
        write(project, figure("x.png", content))
        result = run("validate", "o.yaml", cwd=project)
        assert bool(pattern.fullmatch(result.err.strip())) is refused, result.err
        assert result.code == 2  # a header without pixels: refused, if not by this limit then as truncated
