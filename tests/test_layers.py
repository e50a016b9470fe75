"""The layers run one way: read → model → plan → render → build → cli (pyproject.toml's
import-linter contracts), and docs/import-graph.md draws the imports as they are."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    linter = Path(sys.executable).parent / "lint-imports"
    if not linter.exists():
        pytest.skip("import-linter is not installed (the test extra installs it)")
    result = subprocess.run([str(linter), "--no-cache"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_the_drawing_is_current_and_has_no_arrow_up():
    result = subprocess.run([sys.executable, "tools/import_graph.py", "--check"], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "layers, across independent siblings or from the renderers to" in (REPO / "docs/import-graph.md").read_text()
    assert "reader): 0.**" in (REPO / "docs/import-graph.md").read_text()
