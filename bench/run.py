"""reportgen's benchmark: cold CLI times and peak memory, pandoc side by side, and scale.

    make bench                      # installs .[bench] into .venv, then runs this
    .venv/bin/python bench/run.py [--runs 11] [--sizes 10,100,1000] [--json output/bench.json]

What it measures, each in a new process (interpreter start-up and every import included), as
the median of ``--runs`` runs after one untimed warm-up run (so that Python's bytecode cache
and the OS file cache are warm, as they are for an editor rebuilding after an edit):

1. ``reportgen validate`` and ``reportgen build`` (both formats, and each alone) of
   ``outlines/trilateral-alliance.yaml``;
2. the same content through pandoc: this script writes the outline out as pandoc Markdown
   (``bench/to_pandoc.py``) and times pandoc → .pptx and pandoc → PDF with typst
   (``--pdf-engine=typst``; pandoc from the pypandoc-binary wheel, typst from the typst wheel
   through the ``bench/bin/typst`` wrapper); the ratio is reportgen's time over pandoc's pair.
   The commands of 1 and 2 take turns, round after round, so that a shared machine's drift
   in speed reaches them all alike and their ratios hold;
3. scale: synthetic outlines of 10, 100 and 1,000 sections (``bench/synthetic.py``), built in
   both formats and in each alone, with the time per section.

Peak memory is the peak resident set of the largest process of the run (``wait4``'s
``ru_maxrss``, which covers the waited-for children), and, from one more run sampled every
20 ms, the peak of the whole process tree's proportional set size (PSS: pages shared after a
fork are split between the processes that share them). Output sizes are those of the files.

The table is printed and the figures written as JSON. No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

OUTLINE = REPO / "outlines" / "trilateral-alliance.yaml"
BIN = Path(sys.executable).parent


@dataclass
class Timing:
    """One command, run ``runs`` times."""

    label: str
    command: list[str]
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    """User + system CPU of each run, every process of it included: what counts when the
    machine's other core is busy."""
    max_rss_mb: float = 0.0
    """Peak RSS of the largest process, over the runs."""
    tree_pss_mb: float | None = None
    """Peak PSS of the whole process tree, from one sampled run."""
    outputs: dict[str, int] = field(default_factory=dict)
    """Output file → size in bytes."""
    failed: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_seconds) if self.cpu_seconds else float("nan")


def environment() -> dict[str, str]:
    env = dict(os.environ)
    # Bytecode caches are written on the warm-up run and used by the timed ones, as on any
    # machine where Python may write them (this sandbox's shell forbids it by default).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # pandoc finds `typst` (bench/bin/typst) and the wrapper finds this interpreter's `python3`.
    env["PATH"] = os.pathsep.join([str(BIN), str(BENCH / "bin"), env.get("PATH", "")])
    return env


def run_once(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float, int, str]:
    """Seconds, CPU seconds (user + system, the processes it waited for included), peak RSS
    (MB) of the largest process, exit code, stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return (seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode,
                err.read().decode(errors="replace"))


def tree_pss(command: list[str], cwd: Path, env: dict[str, str], interval: float = 0.02) -> float | None:
    """Peak PSS (MB) of the process tree of one run, sampled from /proc; None where there is no /proc."""
    if not Path("/proc/self/smaps_rollup").exists():
        return None
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_pss_kb(process.pid) / 1024)
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    process.wait()
    done.set()
    sampler.join()
    return peak


def _tree_pss_kb(root: int) -> int:
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
    return total


def measure(label: str, command: list[str], runs: int, cwd: Path, env: dict[str, str], *,
            outputs: list[Path] = (), memory: bool = True, warm_up: bool = True) -> Timing:
    timing = Timing(label, [str(c) for c in command])
    print(f"  {label} ...", end="", flush=True, file=sys.stderr)
    for number in range(runs + warm_up):
        seconds, cpu, rss, code, stderr = run_once(command, cwd, env)
        if code != 0:
            timing.failed = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit code {code}"
            print(f" failed: {timing.failed}", file=sys.stderr)
            return timing
        if warm_up and number == 0:
            continue
        timing.seconds.append(seconds)
        timing.cpu_seconds.append(cpu)
        timing.max_rss_mb = max(timing.max_rss_mb, rss)
    if memory:
        timing.tree_pss_mb = tree_pss(command, cwd, env)
    timing.outputs = {path.name: path.stat().st_size for path in outputs if path.exists()}
    print(f" {timing.median:.3f} s", file=sys.stderr)
    return timing


@dataclass
class Spec:
    """A command to time: its key in the results, label, arguments, folder and output files."""

    key: str
    label: str
    command: list
    cwd: Path
    outputs: list[Path] = field(default_factory=list)


def measure_in_turn(specs: list[Spec], runs: int, env: dict[str, str]) -> dict[str, Timing]:
    """Time each command ``runs`` times, the commands taking turns (one warm-up round first,
    untimed; each round starts one command later): on a shared machine, whose speed drifts
    from one minute to the next, every command meets the same drift, so their ratios hold."""
    timings = {spec.key: Timing(spec.label, [str(c) for c in spec.command]) for spec in specs}
    for number in range(runs + 1):
        turn = number % len(specs)
        for spec in specs[turn:] + specs[:turn]:
            timing = timings[spec.key]
            if timing.failed:
                continue
            seconds, cpu, rss, code, stderr = run_once(spec.command, spec.cwd, env)
            if code != 0:
                timing.failed = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit code {code}"
                continue
            if number:
                timing.seconds.append(seconds)
                timing.cpu_seconds.append(cpu)
                timing.max_rss_mb = max(timing.max_rss_mb, rss)
    for spec in specs:
        timing = timings[spec.key]
        if not timing.failed:
            timing.tree_pss_mb = tree_pss(spec.command, spec.cwd, env)
            timing.outputs = {path.name: path.stat().st_size for path in spec.outputs if path.exists()}
        shown = f"failed: {timing.failed}" if timing.failed else f"{timing.median:.3f} s"
        print(f"  {spec.label} ... {shown}", file=sys.stderr)
    return timings


# --- pandoc ----------------------------------------------------------------------------------


def find_pandoc() -> tuple[str | None, str]:
    """The pandoc binary (the pypandoc-binary wheel's, else one on PATH) and a note."""
    try:
        import pypandoc

        path = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        path = shutil.which("pandoc")
    if not path:
        return None, "pandoc is missing (pip install pypandoc-binary, or make bench): reportgen alone is reported"
    version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    return path, version


def typst_available(env: dict[str, str]) -> str | None:
    result = subprocess.run([str(BENCH / "bin" / "typst"), "--version"], capture_output=True, text=True, env=env)
    return result.stdout.strip() if result.returncode == 0 else None


# --- the run ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="timed runs per command (default 11)")
    parser.add_argument("--scale-runs", type=int, default=3, help="timed runs per size up to 100 sections (default 3; 1 above)")
    parser.add_argument("--sizes", default="10,100,1000", help="synthetic outline sizes in sections (default 10,100,1000)")
    parser.add_argument("--json", default=str(REPO / "output" / "bench.json"), help="where to write the figures")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    from reportgen.read.loader import load_outline
    import synthetic
    import to_pandoc

    env = environment()
    reportgen = [str(BIN / "reportgen")]
    work = Path(tempfile.mkdtemp(prefix="reportgen-bench-"))
    try:
        document = load_outline(OUTLINE).document
        machine = {
            "cpus": os.cpu_count(), "cpu": _cpu_model(), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        }
        print(f"machine: {machine['cpus']} cores ({machine['cpu']}), Python {machine['python']}, {machine['system']}",
              file=sys.stderr)
        results: dict = {"machine": machine, "runs": args.runs, "trilateral": {}, "pandoc": {}, "scale": []}

        out = work / "out"
        specs = [
            Spec("validate", "reportgen validate", reportgen + ["validate", OUTLINE], REPO),
            Spec("build", "reportgen build (pdf + pptx)", reportgen + ["build", OUTLINE, "--out", out], REPO,
                 [out / "trilateral-alliance.pdf", out / "trilateral-alliance.pptx"]),
            Spec("build_pdf", "reportgen build --format pdf", reportgen + ["build", OUTLINE, "--format", "pdf", "--out", out],
                 REPO, [out / "trilateral-alliance.pdf"]),
            Spec("build_pptx", "reportgen build --format pptx", reportgen + ["build", OUTLINE, "--format", "pptx", "--out", out],
                 REPO, [out / "trilateral-alliance.pptx"]),
        ]
        pandoc, pandoc_note = find_pandoc()
        results["pandoc"]["version"] = pandoc_note
        if pandoc:
            brief_md, deck_md = work / "trilateral-brief.md", work / "trilateral-deck.md"
            brief_md.write_text(to_pandoc.to_markdown(document, REPO, brief=True), encoding="utf-8")
            deck_md.write_text(to_pandoc.to_markdown(document, REPO, brief=False), encoding="utf-8")
            pandoc_out = work / "pandoc"
            pandoc_out.mkdir()
            if (REPO / "assets").is_dir():  # pandoc runs in `work`; image paths are relative to the project
                shutil.copytree(REPO / "assets", work / "assets")
            specs.append(Spec("pandoc_pptx", "pandoc → pptx", [pandoc, deck_md, "-o", pandoc_out / "trilateral.pptx"],
                              work, [pandoc_out / "trilateral.pptx"]))
            typst = typst_available(env)
            results["pandoc"]["typst"] = typst
            if typst:
                specs.append(Spec("pandoc_pdf", "pandoc → pdf (typst)", [pandoc, brief_md, "-o", pandoc_out / "trilateral.pdf",
                                  "--pdf-engine=typst"], work, [pandoc_out / "trilateral.pdf"]))
            else:
                print("  typst is missing (pip install typst, or make bench): pandoc → PDF skipped", file=sys.stderr)
        else:
            print(pandoc_note, file=sys.stderr)
        print(f"trilateral-alliance (cold CLI; {pandoc_note}; the commands in turn, {args.runs} rounds):", file=sys.stderr)
        timings = measure_in_turn(specs, args.runs, env)
        tri = results["trilateral"]
        for key in ("validate", "build", "build_pdf", "build_pptx"):
            tri[key] = timings[key]
        for key in ("pptx", "pdf"):
            if f"pandoc_{key}" in timings:
                results["pandoc"][key] = timings[f"pandoc_{key}"]

        print("reportgen watch, warm rebuilds of the trilateral (pdf + pptx):", file=sys.stderr)
        tri["watch_rebuild"] = warm_rebuilds(reportgen, work / "watched", args.runs, env)
        print(f"  median {tri['watch_rebuild'].median:.3f} s", file=sys.stderr)

        if sizes:
            print("scale (synthetic outlines):", file=sys.stderr)
            project = work / "synthetic"
            outlines = synthetic.project(project, document, sizes)
            for size in sizes:
                # Big outlines: one timed run, no warm-up (start-up is a rounding error there).
                runs, warm_up = (args.scale_runs, True) if size <= 100 else (1, False)
                outline, sout = outlines[size], work / f"out-{size}"
                name = outline.stem
                row = {"sections": size, "outline_bytes": outline.stat().st_size}
                row["build"] = measure(f"{size:,} sections, pdf + pptx", reportgen + ["build", outline, "--out", sout], runs,
                                       project, env, outputs=[sout / f"{name}.pdf", sout / f"{name}.pptx"], warm_up=warm_up)
                row["build_pdf"] = measure(f"{size:,} sections, pdf", reportgen + ["build", outline, "--format", "pdf", "--out", sout],
                                           runs, project, env, outputs=[sout / f"{name}.pdf"], warm_up=warm_up, memory=False)
                row["build_pptx"] = measure(f"{size:,} sections, pptx", reportgen + ["build", outline, "--format", "pptx", "--out", sout],
                                            runs, project, env, outputs=[sout / f"{name}.pptx"], warm_up=warm_up,
                                            memory=False)
                row["units"] = _units(sout / f"{name}.pdf", sout / f"{name}.pptx")
                results["scale"].append(row)

        report = _report(results)
        print(report)
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(_plain(results), indent=2, default=str) + "\n", encoding="utf-8")
        print(f"\nfigures written to {path}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def warm_rebuilds(reportgen: list[str], project: Path, runs: int, env: dict[str, str]) -> Timing:
    """``reportgen watch`` on a copy of the trilateral project, the outline saved ``runs`` times
    (a comment added each time): the time of each rebuild of both formats as the watcher prints
    it (loading, planning, rendering, writing; not the wait for the file system's event)."""
    shutil.copytree(REPO / "outlines", project / "outlines")
    shutil.copytree(REPO / "assets", project / "assets")
    outline = project / "outlines" / OUTLINE.name
    timing = Timing("reportgen watch, a rebuild of pdf + pptx", [*map(str, reportgen), "watch", str(outline)])
    process = subprocess.Popen([*map(str, reportgen), "watch", str(outline), "--out", str(project / "out")], cwd=project,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        first = process.stdout.readline()
        if not first.startswith("built:"):
            timing.failed = first.strip() or "the watcher printed nothing"
            return timing
        for number in range(runs + 1):
            time.sleep(0.2)
            with outline.open("a", encoding="utf-8") as stream:
                stream.write(f"# saved again ({number})\n")
            line = process.stdout.readline()
            found = re.search(r"; ([0-9.]+) s$", line.strip())
            if not found or "not built" in line:
                timing.failed = line.strip()
                return timing
            if number:  # the first rebuild warms what the first build left cold
                timing.seconds.append(float(found.group(1)))
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        process.stdout.close()
    return timing


def _units(pdf: Path, pptx: Path) -> dict[str, int | None]:
    """Pages of the PDF and slides of the deck, counted from the files."""
    pages = slides = None
    if pdf.exists():  # reportlab writes one uncompressed page dictionary per page
        pages = len(re.findall(rb"/Type /Page\b(?!s)", pdf.read_bytes()))
    if pptx.exists():
        import zipfile

        with zipfile.ZipFile(pptx) as deck:
            slides = sum(1 for n in deck.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml"))
    return {"pages": pages, "slides": slides}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _plain(value):
    if isinstance(value, Timing):
        return {**asdict(value), "median": value.median, "cpu_median": value.cpu_median}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# --- the table -------------------------------------------------------------------------------


def _mb(timing: Timing) -> str:
    tree = f" / {timing.tree_pss_mb:.0f}" if timing.tree_pss_mb is not None else ""
    return f"{timing.max_rss_mb:.0f}{tree}"


def _kb(timing: Timing) -> str:
    return " + ".join(f"{size / 1024:,.0f}" for size in timing.outputs.values()) or "–"


def _report(results: dict) -> str:
    machine = results["machine"]
    lines = [f"Machine: {machine['cpus']} cores ({machine['cpu']}), Python {machine['python']}, {machine['system']}; "
             f"median of {results['runs']} cold runs after a warm-up.", ""]
    tri, pandoc = results["trilateral"], results["pandoc"]
    pair = None
    if "pptx" in pandoc and "pdf" in pandoc and not pandoc["pptx"].failed and not pandoc["pdf"].failed:
        pair = pandoc["pptx"].median + pandoc["pdf"].median
    lines += ["| trilateral-alliance | time (s) | CPU (s) | peak MB (largest process / tree PSS) | output KB | vs pandoc |",
              "|---|---|---|---|---|---|"]

    def row(label: str, timing: Timing | None, versus: float | None = None) -> None:
        if timing is None:
            return
        if timing.failed:
            lines.append(f"| {label} | failed: {timing.failed} | | | | |")
            return
        ratio = f"{timing.median / versus:.2f}×" if versus else ""
        lines.append(f"| {label} | {timing.median:.3f} | {timing.cpu_median:.3f} | {_mb(timing)} | {_kb(timing)} | {ratio} |")

    row("reportgen validate", tri.get("validate"))
    watched = tri.get("watch_rebuild")
    if watched is not None and not watched.failed:
        lines.append(f"| reportgen watch: a rebuild, pdf + pptx (warm) | {watched.median:.3f} | | | | "
                     f"{watched.median / pair:.2f}× the cold pair |" if pair else
                     f"| reportgen watch: a rebuild, pdf + pptx (warm) | {watched.median:.3f} | | | | |")
    row("reportgen build, pdf + pptx", tri.get("build"), pair)
    row("reportgen build, pdf", tri.get("build_pdf"), pandoc["pdf"].median if "pdf" in pandoc else None)
    row("reportgen build, pptx", tri.get("build_pptx"), pandoc["pptx"].median if "pptx" in pandoc else None)
    if "pptx" in pandoc:
        row("pandoc → pptx", pandoc["pptx"])
    if "pdf" in pandoc:
        row("pandoc → pdf (typst)", pandoc["pdf"])
    if pair is not None:
        cpu = pandoc["pptx"].cpu_median + pandoc["pdf"].cpu_median
        lines.append(f"| pandoc pair (pptx + pdf) | {pair:.3f} | {cpu:.3f} | | | 1.00× |")
    lines.append("")
    lines.append(f"pandoc: {pandoc.get('version')}" + (f"; typst: {pandoc.get('typst')}" if pandoc.get("typst") else ""))
    if results["scale"]:
        lines += ["", "| sections | pages / slides | pdf + pptx (s) | s per section | peak MB | pdf alone (s) | "
                  "pptx alone (s) | peak MB pdf / pptx | output KB (pdf + pptx) |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for item in results["scale"]:
            both, pdf, pptx = item["build"], item["build_pdf"], item["build_pptx"]
            units = item["units"]
            per = both.median / item["sections"] if not both.failed else float("nan")
            lines.append(f"| {item['sections']:,} | {units['pages'] or 0:,} / {units['slides'] or 0:,} | "
                         f"{both.median:.2f} | {per:.4f} | {_mb(both)} | {pdf.median:.2f} | {pptx.median:.2f} | "
                         f"{pdf.max_rss_mb:.0f} / {pptx.max_rss_mb:.0f} | {_kb(both)} |")
        scale = results["scale"]
        if len(scale) > 1:
            slopes = []
            for before, after in zip(scale, scale[1:]):
                added = after["sections"] - before["sections"]
                slopes.append(f"{before['sections']:,}→{after['sections']:,}: "
                              f"{(after['build'].median - before['build'].median) / added * 1000:.1f} ms")
            lines += ["", "Marginal time per added section (pdf + pptx): " + "; ".join(slopes) + "."]
    lines += ["", "Peak MB: the largest process (ru_maxrss) / the whole process tree's proportional set size, "
              "sampled every 20 ms (a build is the command and one process per format). Output KB: the files written."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
