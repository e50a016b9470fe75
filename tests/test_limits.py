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
        if len(cells) == 3 and (named := re.search(r"`((?:\w+\.)+[A-Z_]+)`", cells[0])):
            found[named.group(1)] = (cells[1], cells[2])
    return found


def enforced(name: str):
    module, constant = name.rsplit(".", 1)
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
    assert {name.split(",")[0] for name in READING} <= set(found)
    for name, (value, _) in found.items():
        code = enforced(name)
        if isinstance(code, int):
            assert int(value.replace(",", "")) == code, name
        elif isinstance(code, float):
            assert float(value.split()[0]) == code, name
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


# --- outlines: each bound just past, and just within ------------------------------------------------

def _filled(head: str, size: int) -> str:
    """``head``, then comment lines, to exactly ``size`` bytes (ASCII)."""
    line = "# " + "x" * 97 + "\n"
    body = line * ((size - len(head)) // len(line))
    rest = size - len(head) - len(body)
    return head + body + ("#" * (rest - 1) + "\n" if rest else "")


def _nested(depth: int) -> str:
    """A text inside ``depth`` - 1 flow lists: ``depth`` levels."""
    return "[" * (depth - 1) + "x" + "]" * (depth - 1)


def _file_bytes(project: Path, size: int) -> None:
    (project / "o.yaml").write_text(_filled("k: x\n", size))


def _total(project: Path, size: int) -> None:
    """o.yaml and the two files it includes: ``size`` bytes in all."""
    head = "k:\n  - include: a.yaml\n  - include: b.yaml\n"
    (project / "o.yaml").write_text(head)
    half = (size - len(head)) // 2
    (project / "a.yaml").write_text(_filled("x\n", half))
    (project / "b.yaml").write_text(_filled("x\n", size - len(head) - half))


def _includes(project: Path, count: int) -> None:
    (project / "k.yaml").write_text("x\n")
    (project / "o.yaml").write_text("k:\n" + "  - include: k.yaml\n" * count)


def _chain(project: Path, depth: int) -> None:
    """o.yaml includes parts/c0.yaml, which includes c1.yaml ...: ``depth`` files one inside the other."""
    (project / "parts").mkdir(exist_ok=True)
    for n in range(depth - 1):
        (project / "parts" / f"c{n}.yaml").write_text(f"include: parts/c{n + 1}.yaml\n")
    (project / "parts" / f"c{depth - 1}.yaml").write_text("x\n")
    (project / "o.yaml").write_text("k:\n  include: parts/c0.yaml\n")


def _values(project: Path, count: int) -> None:
    """A mapping, its key, a list, and ``count`` - 3 texts in the list."""
    (project / "o.yaml").write_text("k: [" + "a," * (count - 4) + "a]\n")


def _values_through_includes(project: Path, count: int) -> None:
    """A mapping, its key, a list, and a.yaml's list of texts spliced into it twice."""
    each, odd = divmod(count - 3, 2)
    (project / "a.yaml").write_text("[" + "a," * (each - 1) + "a]\n")
    (project / "o.yaml").write_text("k:\n  - include: a.yaml\n  - include: a.yaml\n" + "  - a\n" * odd)


def _depth(project: Path, depth: int) -> None:
    """The mapping, then ``depth`` - 1 levels of lists."""
    (project / "o.yaml").write_text("k: " + _nested(depth - 1) + "\n")


def _depth_through_includes(project: Path, depth: int) -> None:
    """o.yaml's mapping and list, then ``depth`` - 2 levels from the file it includes (its own
    list, spliced into o.yaml's, is not one)."""
    (project / "a.yaml").write_text(_nested(depth - 1) + "\n")
    (project / "o.yaml").write_text("k:\n  - include: a.yaml\n")


READING = {  # name: (a project holding N of what the bound counts, the error's place, its message as documented)
    "read.reader.MAX_FILE_BYTES": (_file_bytes, r"o\.yaml:\d+:\d+: ",
                                   "the file is N bytes; outlines are at most {max}, reached here"),
    "read.reader.MAX_TOTAL_BYTES": (_total, r"o\.yaml:3:14: k\[1\]\.include: ",
                                    "the outline and the files it includes hold more than {max} bytes in all "
                                    "(an included file counts each time it is included)"),
    "read.reader.MAX_INCLUDES": (_includes, r"o\.yaml:\d+:14: k\[\d+\]\.include: ",
                                 "the outline has more than {max} includes (a file counts each time it is included)"),
    "read.reader.MAX_INCLUDE_DEPTH": (_chain, r"parts/c\d+\.yaml:1:10: k\.include: ", "includes nest more than {max} deep ("),
    "read.yamltree.MAX_VALUES": (_values, r"o\.yaml:1:\d+: k: ", "the file holds more than {max} values"),
    "read.yamltree.MAX_VALUES, through includes": (
        _values_through_includes, r"a\.yaml:1:\d+: k\[\d+\]: ",
        "the outline holds more than {max} values (an included file counts each time it is included)"),
    "read.yamltree.MAX_DEPTH": (_depth, r"o\.yaml:1:\d+: k: ", "nesting is deeper than {max} levels"),
    "read.yamltree.MAX_DEPTH, through includes": (_depth_through_includes, r"a\.yaml:1:\d+: k\[0\]\[0\]: ",
                                                  "nesting is deeper than {max} levels"),
}


@pytest.mark.parametrize("name", list(READING))
def test_an_outline_past_a_bound_gets_the_error_the_doc_gives(project: Path, name: str) -> None:
    constant = name.split(",")[0]
    bound = enforced(constant)
    make, place, message = READING[name]
    message = message.format(max=f"{bound:,}")
    assert message in rows()[constant][1]
    make(project, bound + 1)
    refused = run("validate", "o.yaml", cwd=project)
    pattern = place + re.escape(message).replace("N", r"[\d,]+") + ("" if message.endswith("(") else "$")
    assert refused.code == 2 and re.match(pattern, refused.err.strip()), refused.err
    for path in [*project.glob("*.yaml"), *project.glob("parts/*.yaml")]:
        path.unlink()
    make(project, bound)
    within = run("validate", "o.yaml", cwd=project)
    assert re.search(re.escape(message).replace("N", r"[\d,]+"), within.err) is None, within.err
    assert "Traceback" not in within.err and "internal error" not in within.err


@pytest.mark.parametrize(("size", "fmt", "most"), [("a4", "pdf", 12), ("letter", "pdf", 12), ("16:9", "pptx", 15),
                                                    ("4:3", "pptx", 10)])
def test_a_table_one_column_past_what_fits_is_refused(project: Path, size: str, fmt: str, most: int) -> None:
    """The column counts docs/limits.md gives: that many columns build, one more is refused there."""
    from tests.conftest import VALID

    option = "--page-size" if fmt == "pdf" else "--slide-size"
    where = "the brief's page" if fmt == "pdf" else "a slide"
    for columns in (most, most + 1):
        table = ("      - table:\n          header: [" + ", ".join(f"C{i}" for i in range(columns))
                 + "]\n          rows:\n            - [" + ", ".join(str(i) for i in range(columns)) + "]")
        (project / "o.yaml").write_text(VALID.replace("      - A paragraph.", "      - A paragraph.\n" + table))
        result = run("build", "o.yaml", "--format", fmt, option, size, "--out", "out", cwd=project)
        if columns == most:
            assert result.code == 0, result.err
        else:
            assert result.code == 2
            assert f"the table has {columns} columns, more than {where} holds: at most {most};" in result.err
    shown = {"a4": "12 columns on A4", "letter": "12 columns on A4 or Letter", "16:9": "15 on a 16:9 slide",
             "4:3": "10 on 4:3"}[size]
    assert shown in DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["model.MAX_TEXT_CHARS", "records.MAX_ITEMS"])
def test_a_text_or_a_list_one_past_its_limit_is_refused_as_the_doc_says(project: Path, name: str) -> None:
    from tests.conftest import VALID

    most = enforced(name)
    _, error = rows()[name]
    documented = re.search(r"`FILE:LINE:COL: KEY: (.+?)`", error).group(1)
    for count in (most, most + 1):
        if name == "model.MAX_TEXT_CHARS":
            text = VALID.replace("      - A paragraph.", "      - '" + ("word " * count)[:count - 1] + "z'")
            key = r"o\.yaml:13:9: sections\[0\]\.body\[0\]: "
        else:
            text = VALID.replace("    key_points: [One point]", "    key_points: [" + ", ".join(["p"] * count) + "]")
            key = r"o\.yaml:11:17: sections\[0\]\.key_points: "
        (project / "o.yaml").write_text(text)
        result = run("validate", "o.yaml", cwd=project)
        if count == most:
            assert result.code == 0, result.err
        else:
            assert result.code == 2
            expected = re.escape(documented).replace("N", f"{count:,}")
            assert re.fullmatch(key + expected + "\n", result.err), result.err


def test_a_font_file_one_byte_past_its_limit_is_refused_as_the_doc_says(project: Path) -> None:
    from tests.hostile.catalogue import THEMED

    most = enforced("font_metrics.MAX_FONT_BYTES")
    documented = re.search(r"`FILE:LINE:COL: KEY: PATH (.+?)`", rows()["font_metrics.MAX_FONT_BYTES"][1]).group(1)
    (project / "o.yaml").write_text(THEMED)
    (project / "t.yaml").write_text("name: t\nextends: policy\nfonts:\n  body:\n    pdf: assets/big.ttf\n")
    with open(project / "assets" / "big.ttf", "wb") as font:  # sparse: nothing is written but its size
        font.truncate(most + 1)
    result = run("validate", "o.yaml", cwd=project)
    expected = "t.yaml:5:10: fonts.body.pdf: assets/big.ttf " + documented.replace("N", f"{most + 1:,}")
    assert (result.code, result.err) == (2, expected + "\n"), result.err
