"""What each of reportgen's library patches (reportgen/_compat) pays: builds with every patch
on, every patch off, and each patch off alone, taking turns round after round.

    .venv/bin/python bench/patches.py [--runs 11] [--sections 100] [--json output/patches.json]

Each build is a new ``reportgen build`` process (``--format pdf,pptx`` for the trilateral
brief; for a synthetic outline of ``--sections`` sections, the format the patch serves),
its patch turned off with ``REPORTGEN_NO_PATCHES=name``. The gain of a patch is the median
time with it off minus the median with everything on; peak RSS is the largest process's.
docs/performance.md holds the figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

from run import OUTLINE, environment, run_once  # noqa: E402

from reportgen._compat import PATCHES  # noqa: E402


def timed_in_turn(variants: dict[str, str], command: list[str], runs: int) -> dict[str, dict]:
    """``variants``: label → REPORTGEN_NO_PATCHES value. Median seconds, CPU and peak RSS of each."""
    base = environment()
    results: dict[str, dict] = {label: {"seconds": [], "cpu": [], "rss": 0.0} for label in variants}
    labels = list(variants)
    for number in range(runs + 1):  # the first round warms up, untimed
        turn = number % len(labels)
        for label in labels[turn:] + labels[:turn]:
            env = {**base, "REPORTGEN_NO_PATCHES": variants[label]}
            seconds, cpu, rss, code, stderr = run_once(command, REPO, env)
            if code != 0:
                raise SystemExit(f"{label}: exit {code}: {stderr.strip()[-300:]}")
            if number:
                results[label]["seconds"].append(seconds)
                results[label]["cpu"].append(cpu)
                results[label]["rss"] = max(results[label]["rss"], rss)
        print(f"  round {number}/{runs}", file=sys.stderr)
    return {label: {"median": statistics.median(r["seconds"]), "cpu": statistics.median(r["cpu"]), "rss": r["rss"]}
            for label, r in results.items()}


def table(title: str, results: dict[str, dict]) -> str:
    on = results["every patch on"]
    lines = [f"| {title} | median (s) | CPU (s) | peak MB | cost of turning it off |", "|---|---|---|---|---|"]
    for label, r in results.items():
        extra = "" if label == "every patch on" else f"{r['median'] - on['median']:+.3f} s, {r['rss'] - on['rss']:+.0f} MB"
        lines.append(f"| {label} | {r['median']:.3f} | {r['cpu']:.3f} | {r['rss']:.0f} | {extra} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--sections", type=int, default=100, help="the synthetic outline's size (0: skip it)")
    parser.add_argument("--scale-runs", type=int, default=3)
    parser.add_argument("--json", default=str(REPO / "output" / "patches.json"))
    args = parser.parse_args()
    reportgen = [sys.executable, "-m", "reportgen", "build"]
    report, figures = [], {}
    with tempfile.TemporaryDirectory() as scratch:
        variants = {"every patch on": "", "every patch off": "1", **{f"{name} off": name for name in PATCHES}}
        print("trilateral, pdf + pptx", file=sys.stderr)
        figures["trilateral"] = timed_in_turn(variants, [*reportgen, str(OUTLINE), "--format", "pdf,pptx", "--out", scratch],
                                              args.runs)
        report.append(table("trilateral, pdf + pptx", figures["trilateral"]))
        if args.sections:
            import synthetic

            from reportgen.read.loader import load_outline

            document = load_outline(OUTLINE).document
            outline = synthetic.project(Path(scratch) / "synthetic", document, [args.sections])[args.sections]
            for fmt, prefix in (("pdf", ("reportlab", "pyphen", "pillow")), ("pptx", ("pptx", "pillow"))):
                chosen = {"every patch on": "", "every patch off": "1",
                          **{f"{name} off": name for name in PATCHES if name.startswith(prefix)}}
                title = f"{args.sections:,} sections, {fmt}"
                print(title, file=sys.stderr)
                figures[title] = timed_in_turn(chosen, [*reportgen, str(outline), "--format", fmt, "--out", scratch],
                                               args.scale_runs)
                report.append(table(title, figures[title]))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print("\n\n".join(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
