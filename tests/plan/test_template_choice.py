"""Which layout of a template each kind of slide is made from: names, placeholders, fallbacks, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.plan.template import Layout, LayoutError, Placeholder, Template, choose_layouts


def layout(index: int, name: str, *types: str) -> Layout:
    return Layout(index, name, tuple(Placeholder(t, i, f"{t} {i}", 0, 0, 100, 50) for i, t in enumerate(types)))


def template(*layouts: Layout) -> Template:
    return Template(Path("uni.pptx"), 960, 540, layouts, "Calibri", "Calibri", 0)


def test_renamed_layouts_are_found_by_their_placeholders() -> None:
    chosen = choose_layouts(template(layout(0, "Titel", "ctrTitle", "subTitle"), layout(1, "Inhalt", "title", "obj"),
                                     layout(2, "Kapitel", "title", "body"), layout(3, "Bild", "title", "pic", "body"),
                                     layout(4, "Nur Titel", "title", "dt", "ftr", "sldNum")))
    assert {k: v.name for k, v in chosen.items()} == {
        "title": "Titel", "section": "Kapitel", "content": "Inhalt", "picture": "Bild", "title_only": "Nur Titel"}


def test_missing_kinds_borrow_a_layout() -> None:
    chosen = choose_layouts(template(layout(0, "Only content", "title", "obj")))
    assert {v.name for v in chosen.values()} == {"Only content"}


def test_a_template_without_any_titled_layout_is_refused_naming_its_layouts() -> None:
    with pytest.raises(LayoutError, match=r"no layout in uni.pptx for agenda, key points, quotes, author and credits: "
                                          r"name one with pptx_template.layouts.content; the template's layouts are 'Blank'"):
        choose_layouts(template(layout(0, "Blank", "dt")))


def test_a_mapped_layout_must_exist_and_have_a_title() -> None:
    tpl = template(layout(0, "Inhalt", "title", "obj"), layout(1, "Leer", "dt"))
    with pytest.raises(LayoutError, match=r"no layout 'Inhalte' in uni.pptx \(did you mean 'Inhalt'\?\)") as caught:
        choose_layouts(tpl, {"content": "Inhalte"})
    assert caught.value.kind == "content"
    with pytest.raises(LayoutError, match=r"layout 'Leer' has no title placeholder"):
        choose_layouts(tpl, {"section": "Leer"})


def test_the_usual_names_win_over_placeholder_matching() -> None:
    chosen = choose_layouts(template(layout(0, "Other", "title", "obj"), layout(1, "Title and Content", "title", "obj")))
    assert chosen["content"].name == "Title and Content"
