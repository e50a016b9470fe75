"""A template's rendering is kept on disk and read back for the same text and variables
(reportgen.read.templating), and the sandbox renders the same text every time."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.read import templating
from reportgen.read.templating import TemplateProblem, render

TEXT = "title: {{ title }}\n{% for n in range(3) %}- item {{ n }}\n{% endfor %}"


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "reportgen"


def test_a_rendering_read_back_is_the_rendering(cache: Path, monkeypatch) -> None:
    first = render(TEXT, "o.yaml", {"title": "A"})
    assert list(cache.glob("jinja-*"))

    def no_jinja(*args):
        raise AssertionError("rendered again")

    monkeypatch.setattr(templating, "_render", no_jinja)
    assert render(TEXT, "o.yaml", {"title": "A"}) == first
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache.parent))
    assert render(TEXT, "o.yaml", {"title": "B"}).text.startswith("title: B")  # other variables: rendered anew
    assert render(TEXT + "x\n", "o.yaml", {"title": "A"}).text.endswith("x\n")  # other text: rendered anew


def test_only_the_latest_rendering_of_a_file_is_kept(cache: Path) -> None:
    for title in ("A", "B", "C"):
        render(TEXT, "o.yaml", {"title": title})
    render(TEXT, "other.yaml", {"title": "A"})
    assert len(list(cache.glob("jinja-*"))) == 2


def test_a_failed_rendering_is_not_kept(cache: Path) -> None:
    with pytest.raises(TemplateProblem):
        render("a: {{ missing }}\n", "o.yaml", {})
    assert not list(cache.glob("jinja-*")) if cache.exists() else True


def test_variables_that_are_not_plain_data_are_not_cached(cache: Path) -> None:
    class Shown:
        def __repr__(self) -> str:
            return "same"

    render("a: {{ x }}\n", "o.yaml", {"x": Shown()})
    assert not cache.exists() or not list(cache.glob("jinja-*"))


@pytest.mark.parametrize("template", ["a: {{ [1, 2, 3] | random }}\n", "a: {{ lipsum(1) }}\n"])
def test_nothing_random_renders(cache: Path, template: str) -> None:
    """Two builds of one outline give the same bytes: the sandbox has no ``random`` filter and no
    ``lipsum``; using either is a located error."""
    with pytest.raises(TemplateProblem) as raised:
        render(template, "o.yaml", {})
    assert raised.value.problem.line == 1
