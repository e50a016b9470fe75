"""``reportgen watch``: it builds, rebuilds on a save, shows an error in place and keeps the
previous files, rebuilds once the outline is fixed, and ends on Ctrl-C with exit 0."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.conftest import VALID


def lines_of(stream, into: queue.Queue) -> None:
    for line in stream:
        into.put(line.rstrip("\n"))


def next_line(lines: queue.Queue, within: float) -> str:
    return lines.get(timeout=within)


def test_watch_rebuilds_on_save_shows_an_error_in_place_and_stops_on_ctrl_c(project: Path) -> None:
    outline = project / "outlines" / "brief.yaml"
    outline.write_text(VALID, encoding="utf-8")
    out = project / "out"
    process = subprocess.Popen([sys.executable, "-m", "reportgen", "watch", "outlines/brief.yaml", "--out", "out"],
                               cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    said: queue.Queue = queue.Queue()
    errors: queue.Queue = queue.Queue()
    threading.Thread(target=lines_of, args=(process.stdout, said), daemon=True).start()
    threading.Thread(target=lines_of, args=(process.stderr, errors), daemon=True).start()
    try:
        first = next_line(said, 30)
        assert first.startswith("built: out/brief.pdf: ") and "out/brief.pptx: " in first, first
        built = {name: (out / name).read_bytes() for name in ("brief.pdf", "brief.pptx")}
        time.sleep(0.3)  # the watcher is watching by now

        outline.write_text(VALID.replace("A paragraph.", "A paragraph, edited."), encoding="utf-8")
        saved = time.perf_counter()
        line = next_line(said, 5)
        assert line.startswith("outlines/brief.yaml changed: out/brief.pdf: "), line
        assert time.perf_counter() - saved < 2
        edited = {name: (out / name).read_bytes() for name in ("brief.pdf", "brief.pptx")}
        assert all(edited[name] != built[name] for name in edited)

        outline.write_text(VALID.replace("title: A brief", "title: [unclosed"), encoding="utf-8")
        line = next_line(said, 5)
        assert line.startswith("outlines/brief.yaml changed: not built, the previous files are as they were"), line
        error = next_line(errors, 1)
        assert error.startswith("outlines/brief.yaml:") and ("title" in error or "date" in error), error
        assert {name: (out / name).read_bytes() for name in edited} == edited

        outline.write_text(VALID.replace("A paragraph.", "A paragraph, fixed."), encoding="utf-8")
        line = next_line(said, 5)
        assert line.startswith("outlines/brief.yaml changed: out/brief.pdf: "), line
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=10)
        time.sleep(0.1)  # the readers reach the end of the streams
        process.stdout.close()
        process.stderr.close()
    assert code == 0
    time.sleep(0.1)
    left = []
    while not errors.empty():
        left.append(errors.get())
    assert not any("Traceback" in line for line in left), left
    assert sorted(p.name for p in out.iterdir()) == ["brief.pdf", "brief.pptx"]


def test_what_is_watched_includes_every_file_the_outline_uses(project: Path) -> None:
    """The outline, its includes, the vars file, and the files its blocks name: a chart's CSV."""
    from reportgen.read.loader import load_outline
    from reportgen.watch import inputs_of

    (project / "assets" / "d.csv").write_text("Year,Germany\n2022,55.8\n2023,66.8\n", encoding="utf-8")
    (project / "outlines" / "part.yaml").write_text("- A paragraph from a part.\n", encoding="utf-8")
    outline = project / "o.yaml"
    outline.write_text(VALID.replace("      - A paragraph.", "      - A paragraph.\n      - include: outlines/part.yaml\n"
                                     "      - chart: {title: Spending, data: {file: assets/d.csv, categories: Year}}"))
    watched = inputs_of(load_outline(outline))
    assert {outline.resolve(), (project / "outlines" / "part.yaml").resolve(),
            (project / "assets" / "d.csv").resolve()} <= watched


def test_what_is_watched_includes_the_theme_files(project: Path) -> None:
    """A theme file, the theme it extends and a brand file are inputs too: editing one rebuilds."""
    from reportgen.read.loader import load_outline
    from reportgen.watch import inputs_of

    (project / "base.yaml").write_text("name: base\nextends: lecture\n", encoding="utf-8")
    (project / "house.yaml").write_text("name: house\nextends: base.yaml\n", encoding="utf-8")
    (project / "_brand.yml").write_text("color:\n  primary: '#0b5563'\n", encoding="utf-8")
    outline = project / "o.yaml"
    outline.write_text(VALID)
    assert {(project / "base.yaml").resolve(), (project / "house.yaml").resolve()} <= inputs_of(load_outline(outline, theme="house.yaml"))
    assert (project / "_brand.yml").resolve() in inputs_of(load_outline(outline, theme="_brand.yml"))
    assert not any(path.suffix == ".yaml" and path.parent.name == "themes" for path in inputs_of(load_outline(outline)))
