"""Draw reportgen's import graph, layer by layer, as docs/import-graph.md (a Mermaid chart).

The layers are import-linter's layers contract in pyproject.toml (``[tool.importlinter]``),
highest first. Each box is a layer's package or module; an arrow is "some module here imports
some module there" (grimp finds the imports, as import-linter does). An arrow that runs up the
layers, or between siblings that must stay independent, is drawn red and counted in the title.

    .venv/bin/python tools/import_graph.py            # rewrite docs/import-graph.md
    .venv/bin/python tools/import_graph.py --check    # exit 1 if the file is not current

tests/test_layers.py runs the check, and import-linter's contracts themselves.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
DRAWING = ROOT / "docs" / "import-graph.md"


def contracts() -> tuple[list[list[str]], set[tuple[str, str]]]:
    """The layers contract's layers, highest first, each a list of its sibling modules; and the
    forbidden contracts' (source, forbidden) pairs."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    stack: list[list[str]] = []
    forbidden: set[tuple[str, str]] = set()
    for contract in config["tool"]["importlinter"]["contracts"]:
        if contract["type"] == "layers":
            stack = [[name.strip() for name in layer.split("|")] for layer in contract["layers"]]
        elif contract["type"] == "forbidden":
            forbidden |= {(a, b) for a in contract["source_modules"] for b in contract["forbidden_modules"]}
    if not stack:
        raise SystemExit("pyproject.toml has no import-linter layers contract")
    return stack, forbidden


def arrows(stack: list[list[str]]) -> tuple[set[tuple[str, str]], set[str]]:
    """Which boxes import which (box = a layer's module), and every reportgen module in none."""
    graph = grimp.build_graph("reportgen")
    boxes = [box for layer in stack for box in layer]

    def box_of(module: str) -> str | None:
        owners = [box for box in boxes if module == box or module.startswith(box + ".")]
        return max(owners, key=len) if owners else None

    found: set[tuple[str, str]] = set()
    loose: set[str] = set()
    for module in graph.modules:
        source = box_of(module)
        if source is None:
            if module != "reportgen":
                loose.add(module)
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            target = box_of(imported)
            if target is not None and target != source:
                found.add((source, target))
    return found, loose


def drawing() -> tuple[str, int]:
    """The Markdown page and the number of arrows that run up (or across) the layers."""
    stack, forbidden = contracts()
    level = {box: index for index, layer in enumerate(stack) for box in layer}
    found, loose = arrows(stack)
    upward = sorted((a, b) for a, b in found if level[b] <= level[a] or (a, b) in forbidden)
    short = {box: box.removeprefix("reportgen.") for box in level}
    lines = ["flowchart TB"]
    for index, layer in enumerate(stack):
        lines.append(f"  subgraph L{index} [\" \"]")
        lines.append("    direction LR")
        lines.extend(f"    {short[box].strip('_')}[\"{short[box]}\"]" for box in layer)
        lines.append("  end")
    edges = sorted(found, key=lambda edge: (level[edge[0]], edge[0], level[edge[1]], edge[1]))
    red = []
    for number, (source, target) in enumerate(edges):
        lines.append(f"  {short[source].strip('_')} --> {short[target].strip('_')}")
        if (source, target) in upward:
            red.append(str(number))
    if red:
        lines.append(f"  linkStyle {','.join(red)} stroke:#c00,stroke-width:3px")
    page = [
        "# Import graph",
        "",
        "Made by `tools/import_graph.py` from the code (grimp) and the layers contract in",
        "pyproject.toml; tests/test_layers.py checks it is current and that import-linter's",
        "contracts hold. Layers run from the command line (top) down to the shared helpers;",
        "an arrow is an import, and every arrow should point down.",
        "",
        f"**Arrows running up the layers, across independent siblings or from the renderers to",
        f"what only the planners may read (the model, the theme, the reader): {len(upward)}.**",
        "",
        "```mermaid",
        *lines,
        "```",
    ]
    if upward:
        page += ["", "Running up:", ""] + [f"- `{a}` imports `{b}`" for a, b in upward]
    if loose:
        page += ["", "In no layer (add them to the contract):", ""] + [f"- `{m}`" for m in sorted(loose)]
    return "\n".join(page) + "\n", len(upward) + len(loose)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/import-graph.md is not current")
    args = parser.parse_args()
    page, problems = drawing()
    if args.check:
        current = DRAWING.read_text(encoding="utf-8") if DRAWING.exists() else ""
        if current != page:
            print(f"{DRAWING.relative_to(ROOT)} is not current: run tools/import_graph.py", file=sys.stderr)
            return 1
        return 0
    DRAWING.write_text(page, encoding="utf-8")
    print(f"wrote {DRAWING.relative_to(ROOT)}: {problems} arrow(s) up or module(s) outside the layers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
