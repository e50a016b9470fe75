"""Peak memory of each process of a build: the command's, the deck's worker's, the brief's worker's.

    .venv/bin/python bench/memory.py [--sizes 200,1000] [--formats pptx,pdf,both]

For each synthetic outline (``bench/synthetic.py``) and each choice of formats, one
``reportgen build`` runs in a new process; each process of it writes its own peak resident set
(``getrusage``'s ``ru_maxrss``) as it ends, named by its role (``main``, or the worker's
``multiprocessing`` name: ``reportgen-pptx``, ``reportgen-pdf``), and the whole tree's RSS and PSS
are sampled from /proc every 20 ms (as ``bench/run.py`` samples PSS). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.append(str(REPO))  # last: PYTHONPATH=another/checkout measures that checkout's reportgen

ROLES = ("main", "reportgen-pptx", "reportgen-pdf")


def child(report: str, argv: list[str]) -> None:
    """In the measured process: note each process's peak as it ends, then run ``reportgen ARGV``."""
    import atexit
    import multiprocessing.process
    import resource

    role = ["main"]

    def write() -> None:
        with open(report, "a", encoding="utf-8") as out:
            out.write(f"{role[0]} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\n")

    bootstrap = multiprocessing.process.BaseProcess._bootstrap  # type: ignore[attr-defined]

    def bootstrap_noted(self, *args, **kwargs):  # a worker ends through os._exit: note it first
        role[0] = self.name
        try:
            return bootstrap(self, *args, **kwargs)
        finally:
            write()

    multiprocessing.process.BaseProcess._bootstrap = bootstrap_noted  # type: ignore[attr-defined]
    atexit.register(write)
    sys.argv = ["reportgen", *argv]
    from reportgen.cli import run

    run()


def measure(outline: Path, formats: str, out: Path) -> dict:
    from run import _tree_pss_kb, environment

    report = Path(tempfile.mktemp(prefix="reportgen-memory-"))
    command = [sys.executable, str(Path(__file__)), "--child", str(report), "build", str(outline), "--out", str(out)]
    if formats != "both":
        command += ["--format", formats]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=outline.parent.parent, env=environment(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_pss
        while not done.is_set():
            peak_pss = max(peak_pss, _tree_pss_kb(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    done.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{outline.name} {formats}: exit {process.returncode}\n{err.decode(errors='replace')[-2000:]}")
    peaks: dict[str, int] = {}
    for line in report.read_text(encoding="utf-8").splitlines():
        role, kb = line.split()
        peaks[role] = max(peaks.get(role, 0), int(kb))
    report.unlink()
    return {"seconds": round(time.perf_counter() - started, 2), "tree_pss_mb": round(peak_pss / 1024),
            **{role: round(peaks[role] / 1024) for role in ROLES if role in peaks}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,1000", help="synthetic outline sizes in sections (default 200,1000)")
    parser.add_argument("--formats", default="pptx,pdf,both", help="pptx, pdf and/or both (default all three)")
    args = parser.parse_args(argv)
    import synthetic
    from reportgen.read.loader import load_outline

    work = Path(tempfile.mkdtemp(prefix="reportgen-memory-"))
    document = load_outline(REPO / "outlines" / "trilateral-alliance.yaml").document
    outlines = synthetic.project(work, document, [int(size) for size in args.sizes.split(",")])
    print("| sections | formats | command MB | deck's worker MB | brief's worker MB | tree PSS MB | s |")
    print("|---|---|---|---|---|---|---|")
    rows = []
    for size, outline in outlines.items():
        for formats in args.formats.split(","):
            row = {"sections": size, "formats": formats, **measure(outline, formats, work / "out")}
            rows.append(row)
            print(f"| {size:,} | {formats} | {row['main']} | {row.get('reportgen-pptx', '–')} | "
                  f"{row.get('reportgen-pdf', '–')} | {row['tree_pss_mb']} | {row['seconds']} |", flush=True)
    print(json.dumps(rows), file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3:])
    else:
        main()
