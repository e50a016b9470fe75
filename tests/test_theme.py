"""Themes: built-in ones differ visibly, extends merges key by key, mistakes get precise lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.errors import OutlineError
from reportgen.read.themes import load_theme


def test_the_built_in_themes_load_and_differ(project: Path) -> None:
    policy, lecture = load_theme("policy", project), load_theme("lecture", project)
    assert policy.colours.primary != lecture.colours.primary and policy.colours.accent != lecture.colours.accent
    assert lecture.deck.body_min > policy.deck.body_min and lecture.deck.dark_slides == "all"
    assert lecture.brief.body_size > policy.brief.body_size
    assert lecture.colours.background == policy.colours.background  # inherited through extends


def test_a_theme_file_extends_another_and_changes_one_key(project: Path) -> None:
    (project / "house.yaml").write_text('name: house\nextends: policy\ncolours:\n  accent: "#00AA55"\n')
    theme = load_theme("house.yaml", project)
    assert theme.colours.accent == "#00AA55"
    assert theme.colours.primary == load_theme("policy", project).colours.primary


def test_a_bad_theme_key_is_one_precise_line(project: Path) -> None:
    (project / "bad.yaml").write_text('name: bad\nextends: policy\ncolours:\n  acent: "#00AA55"\n  link: blue\n')
    with pytest.raises(OutlineError) as caught:
        load_theme("bad.yaml", project)
    assert [str(p) for p in caught.value.problems] == [
        f"{project / 'bad.yaml'}:4:3: colours.acent: unknown key 'acent' (did you mean 'accent'?)",
        f"{project / 'bad.yaml'}:5:9: colours.link: expected a colour as #RRGGBB, got 'blue'",
    ]


def test_an_unknown_theme_name_lists_the_built_in_ones(project: Path) -> None:
    with pytest.raises(OutlineError, match="no theme 'fancy': built-in themes are policy, lecture"):
        load_theme("fancy", project)


def test_themes_that_extend_each_other_in_a_circle_are_refused(project: Path) -> None:
    (project / "a.yaml").write_text("name: a\nextends: b.yaml\n")
    (project / "b.yaml").write_text("name: b\nextends: a.yaml\n")
    with pytest.raises(OutlineError, match="themes extend each other in a circle: a.yaml -> b.yaml -> a.yaml"):
        load_theme("a.yaml", project)
