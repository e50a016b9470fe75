"""Every built-in theme meets WCAG 2.1 AA in both outputs (4.5:1 for text under 18 pt, 3:1
above), computed from the theme's colours after the fallbacks the plans apply; the deck draws
the colours the plan chose; a theme file that breaks it gets a warning naming the pair."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from reportgen.read.themes import BUILT_IN, load_theme
from reportgen.theme import contrast, contrast_warnings, deck_roles, text_colours
from tests.conftest import REPO, VALID, run


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_text_colour_of_a_built_in_theme_reads(name: str) -> None:
    colours = load_theme(name, REPO).colours
    values = dict(colours)
    pairs = text_colours(colours)
    assert len(pairs) > 20
    for pair in pairs:
        assert contrast(values[pair.colour], values[pair.background]) >= pair.needs, pair
    assert contrast_warnings(colours) == []


def test_the_deck_draws_its_section_numbers_in_the_colour_the_plan_chose(tmp_path: Path) -> None:
    """The policy theme's terracotta accent is 2.65:1 on its navy: the numbers of its dark section
    slides are drawn in on_primary_muted instead."""
    colours = load_theme("policy", REPO).colours
    assert deck_roles(colours)["number"][1] == "on_primary_muted"
    assert run("build", "outlines/trilateral-alliance.yaml", "--format", "pptx", "--out", str(tmp_path), cwd=REPO).code == 0
    with zipfile.ZipFile(tmp_path / "trilateral-alliance.pptx") as deck:
        slides = [deck.read(name).decode() for name in deck.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", name)]
    (divider,) = [s for s in slides if "<a:t>07</a:t>" in s]  # "07 Prospects with Trump in power": the one section of two slides
    number = re.search(r'<a:r><a:rPr[^>]*>(?:(?!</a:r>).)*?<a:t>07</a:t>', divider, re.S).group(0)
    assert f'val="{dict(colours)["on_primary_muted"][1:]}"' in number


def test_a_theme_file_that_breaks_contrast_is_warned_of_naming_the_pair(project: Path) -> None:
    (project / "grey.yaml").write_text("extends: policy\ncolours:\n  muted: \"#B0B0B0\"\n", encoding="utf-8")
    outline = project / "outlines" / "o.yaml"
    outline.write_text("theme: grey.yaml\n" + VALID, encoding="utf-8")
    result = run("validate", str(outline))
    assert result.code == 0
    assert ("theme: warning: colours.muted (#B0B0B0) on colours.background (#FFFFFF): contrast 2.17:1, "
            "the brief's captions, footers and small print needs 4.5:1 (WCAG 2.1 AA)") in result.err
    assert result.err.count("warning: colours.") == 1
