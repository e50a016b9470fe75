"""Images are untrusted data: the real command, in a process of its own, bounded by the harness.

Each run is bounded by the harness (``tests/hostile/bounded.py``: 1 GiB of address space, 60 s); it must
end in exit 0, or exit 2 with a line naming FILE:LINE:COL and the key. These bound the run; they
are not a benchmark (docs/limits.md has the limits that keep it within them).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from tests.conftest import VALID
from tests.hostile.bounded import bounded_run
from tests.hostile.catalogue import EPS, Files, blank_png, figure, outline, write

PLACED = re.compile(r"^[^:\n]+\.yaml:\d+:\d+: [\w.\[\]]+: ", re.MULTILINE)
"""A refusal line: FILE:LINE:COL: key: ..."""


def reportgen(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The command, bounded by the harness (1 GiB for its processes together, 60 s)."""
    return bounded_run(project, *args, env=env)


def make(project: Path, files: Files) -> Path:
    write(project, files)
    return project


def _dos_eps() -> bytes:
    """The same PostScript in a DOS EPS binary wrapper (a 30-byte header, then the PostScript)."""
    return struct.pack("<4sIIIIIIH", b"\xc5\xd0\xd3\xc6", 30, len(EPS), 0, 0, 0, 0, 0xFFFF) + EPS


POSTSCRIPT = {
    "figure": figure("x.png", EPS),
    "cover": {"o.yaml": VALID + "cover: {image: assets/x.jpg, alt: A photo.}\n", "assets/x.jpg": EPS},
    "logo": {"o.yaml": outline("title: A brief", "title: A brief\ntheme: t.yaml"),
             "t.yaml": "name: t\nextends: policy\nlogo: assets/logo.png\n", "assets/logo.png": EPS},
    "figure, DOS EPS": figure("x.png", _dos_eps()),
}


@pytest.mark.parametrize("command", ["validate", "build"])
@pytest.mark.parametrize("place", list(POSTSCRIPT))
def test_no_postscript_input_starts_ghostscript(tmp_path: Path, place: str, command: str) -> None:
    # A `gs` first on the child's PATH, as Pillow looks for it: it leaves a marker, then runs the
    # machine's own Ghostscript where there is one (Pillow would go on to hand it the file).
    marker = tmp_path / "ghostscript-ran"
    tools = tmp_path / "bin"
    tools.mkdir()
    real = shutil.which("gs")
    (tools / "gs").write_text(f"#!/bin/sh\necho \"$@\" >> '{marker}'\n" + (f"exec '{real}' \"$@\"\n" if real else "exit 1\n"))
    (tools / "gs").chmod(0o755)
    env = {**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"}
    assert shutil.which("gs", path=env["PATH"]) == str(tools / "gs")
    project = make(tmp_path / "project", POSTSCRIPT[place])
    result = reportgen(project, command, "o.yaml", *(["--out", "out"] if command == "build" else []), env=env)
    assert not marker.exists(), f"Ghostscript was started: gs {marker.read_text()}"
    assert result.returncode == 2, result.stderr
    assert PLACED.match(result.stderr) and "is a PostScript (EPS) file" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "out").exists()


@pytest.mark.parametrize("command", ["validate", "build"])
def test_a_19000_pixel_rgba_png_is_refused_or_built_within_a_minute_and_bounded_memory(tmp_path: Path,
                                                                                      command: str) -> None:
    # 1.4 MB on disk, 1.4 GB of pixels: decoded whole (in the check and in each renderer) it took
    # 4.2 GB a process and 41 s, and Pillow's DecompressionBombWarning was printed as it was.
    project = make(tmp_path, figure("big.png", blank_png(19_000, 19_000)))
    result = reportgen(project, command, "o.yaml", *(["--out", "out"] if command == "build" else []))
    assert result.returncode in (0, 2), result.stderr
    assert "Traceback" not in result.stderr and "Warning" not in result.stderr, result.stderr
    if result.returncode == 2:
        assert PLACED.match(result.stderr), result.stderr


def test_the_largest_png_reportgen_decodes_builds_within_bounded_memory(tmp_path: Path) -> None:
    # 7,071 × 7,071 is just under images.MAX_DECODED_PIXELS: the most any PNG may decode to.
    project = make(tmp_path, figure("wide.png", blank_png(7_071, 7_071)))
    result = reportgen(project, "build", "o.yaml", "--out", "out")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (project / "out").iterdir()) == ["o.pdf", "o.pptx"]
