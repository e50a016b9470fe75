"""Hostile outlines, includes and templates: the real command, in a process of its own, bounded by
the harness.

Each case of the catalogue (``tests/hostile/catalogue.py``) named below runs as ``validate`` and
as ``build``, each bounded by the harness (``tests/hostile/bounded.py``: 1 GiB of address space, 60 s);
each must end in exit 0, or in exit 2 with a line naming FILE:LINE:COL, and no traceback. These
bound the run; they are not a benchmark (docs/limits.md has the limits that keep it within them).
The catalogue's own test checks each one's exact message.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.hostile.catalogue import CASES, _bounded_run, write

CASES_BOUNDED = [
    "yaml-10-mb", "yaml-deep-nesting", "yaml-2-million-values",
    "include-chain-1000", "include-fan-out", "include-70-mb", "include-deep-nesting",
]
PLACED = re.compile(r"^[^:\n]+:\d+:\d+: ", re.MULTILINE)
"""A refusal line: FILE:LINE:COL: ..."""


@pytest.mark.parametrize("command", ["validate", "build"])
@pytest.mark.parametrize("name", CASES_BOUNDED)
def test_a_hostile_case_ends_in_exit_0_or_a_placed_refusal_inside_the_bounds(tmp_path: Path, name: str,
                                                                               command: str) -> None:
    (tmp_path / "assets").mkdir()
    write(tmp_path, CASES[name].files)
    result = _bounded_run(tmp_path, command, "o.yaml", *(["--out", "out"] if command == "build" else []))
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr[-2000:]
    assert result.returncode in (0, 2), (result.returncode, result.stderr[-2000:])
    if result.returncode == 2:
        assert PLACED.search(result.stderr), result.stderr[-2000:]
