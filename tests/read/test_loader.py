"""Reading outlines that are right: variables, includes, inline markup, licences, credits."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.errors import OutlineError
from reportgen.model import BulletList, Figure, Paragraph, Quote
from reportgen.read.loader import load_outline
from tests.conftest import VALID


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_variables_come_from_the_outline_then_a_vars_file_then_the_command_line(project: Path) -> None:
    outline = write(project, "outlines/o.yaml", "vars:\n  who: Outline\n  what: Outline\n  how: Outline\n"
                    + VALID.replace("title: A brief", "title: '{{ who }} {{ what }} {{ how }}'"))
    vars_file = write(project, "vars.yaml", "what: File\nhow: File\n")
    loaded = load_outline(outline, vars_file=vars_file, variables={"how": "Flag"})
    assert loaded.document.title == "Outline File Flag"
    assert vars_file.resolve() in loaded.files


def test_jinja_control_flow_keeps_later_errors_on_the_editors_line(project: Path) -> None:
    outline = write(project, "o.yaml", "vars:\n  long: false\n{% if long %}\nsubtitle: Long\n{% endif %}\n"
                    + VALID.replace("key_points: [One point]", "key_points: 7"))
    with pytest.raises(OutlineError) as caught:
        load_outline(outline)
    (problem,) = caught.value.problems
    assert (problem.line, problem.key) == (16, "sections[0].key_points")


def test_an_included_list_of_sections_is_spliced_in_and_keeps_its_own_positions(project: Path) -> None:
    write(project, "outlines/parts/more.yaml", "- heading: Second\n  body: [Two.]\n- heading: Third\n  body: [Three.]\n")
    outline = write(project, "outlines/o.yaml",
                    VALID + "  - include: outlines/parts/more.yaml\n  - heading: Fourth\n    body: [Four.]\n")
    loaded = load_outline(outline)
    assert [s.heading for s in loaded.document.sections] == ["First", "Second", "Third", "Fourth"]
    assert (project / "outlines/parts/more.yaml").resolve() in loaded.files

    write(project, "outlines/parts/more.yaml", "- heading: Second\n  body: [Two.]\n- heading: Third\n  bdy: [Three.]\n")
    with pytest.raises(OutlineError) as caught:
        load_outline(outline)
    (problem,) = caught.value.problems
    assert str(problem) == f"{project / 'outlines/parts/more.yaml'}:4:3: sections[2].bdy: unknown key 'bdy' (did you mean 'body'?)"


def test_a_mapping_can_be_included_as_a_value(project: Path) -> None:
    write(project, "people.yaml", "- name: Ann Author\n  bio: Ann writes.\n")
    outline = write(project, "o.yaml", VALID.replace(
        "authors:\n  - name: Ann Author\n    bio: Ann writes.\n", "authors:\n  include: people.yaml\n"))
    assert load_outline(outline).document.authors[0].name == "Ann Author"


def test_inline_markup_becomes_runs_and_other_markup_stays_literal(project: Path) -> None:
    outline = write(project, "o.yaml", VALID.replace(
        "A paragraph.", "'*Em*, **strong**, `code`, [a link](https://example.org/x), AT&T <b>bold</b> &amp; \\*'"))
    (paragraph,) = load_outline(outline).document.sections[0].body
    assert isinstance(paragraph, Paragraph)
    runs = [(r.text, r.emphasis, r.strong, r.code, r.href) for r in paragraph.text.runs]
    assert runs == [
        ("Em", True, False, False, None),
        (", ", False, False, False, None),
        ("strong", False, True, False, None),
        (", ", False, False, False, None),
        ("code", False, False, True, None),
        (", ", False, False, False, None),
        ("a link", False, False, False, "https://example.org/x"),
        (", AT&T <b>bold</b> &amp; *", False, False, False, None),
    ]


def test_white_space_in_text_is_normalised(project: Path) -> None:
    outline = write(project, "o.yaml", VALID.replace("A paragraph.", "|\n        Two\n        lines.\n"))
    (paragraph,) = load_outline(outline).document.sections[0].body
    assert paragraph.text.plain == "Two lines."


def test_every_block_kind_reads_from_its_short_form(project: Path) -> None:
    from PIL import Image

    Image.new("RGB", (40, 30), "white").save(project / "assets" / "chart.png")
    outline = write(project, "o.yaml", VALID.replace("      - A paragraph.\n", """\
      - A paragraph.
      - bullets: [a, {text: b, items: [c, {text: d, items: [e]}]}]
      - quote: Short quote.
      - figure: {image: assets/chart.png, alt: A chart., caption: Chart, credit: Me, licence: CC BY 4.0}
"""))
    body = load_outline(outline).document.sections[0].body
    assert [type(b) for b in body] == [Paragraph, BulletList, Quote, Figure]
    assert body[1].items[1].items[1].items[0].text.plain == "e"
    assert body[2].text.plain == "Short quote."
    assert body[3].image == (project / "assets" / "chart.png").resolve()


def test_a_creative_commons_licence_gets_its_name_and_url(project: Path) -> None:
    licence = load_outline(write(project, "o.yaml", VALID)).document.licence
    assert licence.name == "Creative Commons Attribution 4.0 International"
    assert licence.url == "https://creativecommons.org/licenses/by/4.0/"


def test_credits_are_gathered_from_the_cover_and_every_figure_in_order(project: Path) -> None:
    outline = write(project, "o.yaml", VALID.replace("      - A paragraph.\n", """\
      - A paragraph.
      - figure: {image: assets/a.png, alt: A., caption: Chart A, credit: Ann, licence: CC BY 4.0}
      - figure: {image: assets/b.png, alt: B., caption: Chart B, source_url: "https://example.org/b"}
""") + "cover: {image: assets/c.jpg, alt: C., caption: A summit, licence: CC BY 4.0}\n")
    loaded = load_outline(outline, draft=True)
    assert [c.subject for c in loaded.document.credits] == ["Cover photo: A summit", "Figure: Chart A", "Figure: Chart B"]
    assert loaded.document.credits[2].source_url == "https://example.org/b"
    assert [w.key for w in loaded.warnings] == ["cover.image", "sections[0].body[1].figure.image",
                                                 "sections[0].body[2].figure.image"]
    assert all(w.warning and "image not found" in w.message for w in loaded.warnings)
    assert [w.message.partition("; ")[2] for w in loaded.warnings] == [
        "building without it", "drawn as a placeholder box (--draft)", "drawn as a placeholder box (--draft)"]


def test_a_missing_figure_image_is_an_error_and_a_missing_cover_image_a_warning(project: Path) -> None:
    outline = write(project, "o.yaml", VALID.replace("      - A paragraph.\n", """\
      - A paragraph.
      - figure: {image: assets/a.png, alt: A., caption: Chart A}
      - figure: {image: assets/a.png, alt: A., caption: Chart A again}
""") + "cover: {image: assets/c.jpg, alt: C.}\n")
    with pytest.raises(OutlineError) as refused:
        load_outline(outline)
    assert str(refused.value).splitlines() == [
        f"{outline}:14:25: sections[0].body[1].figure.image: image not found: assets/a.png; add the file, or build "
        "with --draft to draw a placeholder box in its place",
        f"{outline}:15:25: sections[0].body[2].figure.image: image not found: assets/a.png; add the file, or build "
        "with --draft to draw a placeholder box in its place"]
    outline.write_text(VALID + "cover: {image: assets/c.jpg, alt: C.}\n")
    assert [str(w) for w in load_outline(outline).warnings] == [
        f"{outline}:14:16: cover.image: warning: image not found: assets/c.jpg; building without it"]


def test_a_symlink_that_leaves_the_project_is_refused(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.png"
    outside.write_bytes(b"x")
    (project / "assets" / "link.png").symlink_to(outside)
    outline = write(project, "o.yaml", VALID + "cover: {image: assets/link.png, alt: A.}\n")
    with pytest.raises(OutlineError, match="leads outside the project root"):
        load_outline(outline)


def test_the_project_root_is_the_nearest_folder_with_assets(project: Path) -> None:
    outline = write(project, "outlines/deep/o.yaml", VALID)
    assert load_outline(outline).root == project.resolve()


def test_numbers_stay_as_the_editor_wrote_them(project: Path) -> None:
    outline = write(project, "o.yaml", VALID.replace("      - A paragraph.\n", """\
      - table: {header: [Time, Share, Code, Count], rows: [[12:30, 11.30, 010, 1_000]]}
"""))
    (table,) = load_outline(outline).document.sections[0].body
    assert [cell.plain for cell in table.rows[0]] == ["12:30", "11.30", "010", "1_000"]


def test_a_command_line_true_or_false_is_a_boolean(project: Path) -> None:
    outline = write(project, "o.yaml", "{% if draft %}subtitle: Draft{% endif %}\n" + VALID)
    assert load_outline(outline, variables={"draft": False}).document.subtitle is None
    assert load_outline(outline, variables={"draft": True}).document.subtitle == "Draft"


def test_an_image_used_twice_is_credited_once(project: Path) -> None:
    outline = write(project, "o.yaml", VALID.replace("      - A paragraph.\n", """\
      - figure: {image: assets/a.png, alt: A., caption: Chart A, licence: CC BY 4.0}
""") + "cover: {image: assets/a.png, alt: A., caption: Chart A}\n")
    assert [c.subject for c in load_outline(outline, draft=True).document.credits] == ["Cover photo: Chart A"]


@pytest.mark.parametrize("content, reason", [
    (b"", "the file is empty"),
    (b"this is text, not a picture", "not a PNG, JPEG, GIF or WebP file"),
])
def test_an_image_file_that_is_not_an_image_is_an_error_at_each_line_it_is_used(project: Path, content: bytes,
                                                                                 reason: str, monkeypatch) -> None:
    from reportgen.read import validate

    (project / "assets" / "bad.png").write_bytes(content)
    outline = write(project, "o.yaml", VALID.replace("      - A paragraph.\n", """\
      - figure: {image: assets/bad.png, alt: A., caption: Chart}
""") + "cover: {image: assets/bad.png, alt: A.}\n")
    checked = []
    monkeypatch.setattr(validate, "unreadable_image", lambda path: checked.append(path) or reason)
    with pytest.raises(OutlineError) as caught:
        load_outline(outline)
    assert sorted((p.line, p.key) for p in caught.value.problems) == [(13, "sections[0].body[0].figure.image"),
                                                                       (14, "cover.image")]
    assert len(checked) == 1  # decoded once for both places (a 1,000-section brief of one chart: 0.6 s)

    monkeypatch.undo()
    with pytest.raises(OutlineError) as caught:
        load_outline(outline)
    assert all(p.message.startswith("assets/bad.png is not an image reportgen can use: " + reason)
               for p in caught.value.problems)
