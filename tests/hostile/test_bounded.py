"""The harness's memory bound holds for a whole build: the command and its forked render
workers together (``tests/hostile/bounded.py``), not per process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import VALID
from tests.hostile.bounded import MEMORY, bounded_run


def test_a_build_over_the_bound_is_killed_and_fails_with_the_figure(tmp_path: Path) -> None:
    (tmp_path / "o.yaml").write_text(VALID)
    with pytest.raises(AssertionError, match=r"the build held [\d,]+ bytes of memory in its processes "
                                             r"together, more than 20,000,000: killed"):
        bounded_run(tmp_path, "build", "o.yaml", "--out", "out", bound=20_000_000)
    assert not (tmp_path / "out" / "o.pdf").exists()


def test_a_normal_build_counts_its_workers_and_stays_within_the_bound(tmp_path: Path) -> None:
    (tmp_path / "o.yaml").write_text(VALID)
    result = bounded_run(tmp_path, "build", "o.yaml", "--out", "out")
    assert result.returncode == 0, result.stderr
    # more than one process's worth: the two render workers are counted with the command
    assert 60_000_000 < result.peak_memory < MEMORY, f"{result.peak_memory:,}"
