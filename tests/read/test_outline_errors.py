"""Malformed outlines: each gives exit code 2 and one precise line per problem.

Each case writes a small project, runs ``reportgen validate`` and compares stderr word for word:
``FILE:LINE:COL: key.path: message``. The message names the file the editor wrote, through
includes and jinja2 too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import VALID, run


def replace(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)


CASES = {
    "yaml syntax": (
        {"o.yaml": replace("  - name: Ann Author\n", "  - name: Ann Author\n     x: [\n")},
        "o.yaml:6:7: authors.name.x: 'x' is indented 5 spaces, under 'name' (4), which holds text, so YAML reads it "
        "as more of that text: line 'x' up with 'name', or put text holding ': ' in quotes",
    ),
    "an unclosed quote": (
        {"o.yaml": replace("title: A brief", 'title: "A brief')},
        'o.yaml:1:8: title: this quote (") is never closed: end the text with " on the same line '
        '(a " inside it is written \\")',
    ),
    "an unclosed single quote": (
        {"o.yaml": replace("title: A brief", "title: 'A brief")},
        "o.yaml:1:8: title: this quote (') is never closed: end the text with ' on the same line "
        "(a ' inside it is written '')",
    ),
    "text holding ': ' twice": (
        {"o.yaml": replace("      - A paragraph.", "      - Note: this: is it")},
        "o.yaml:13:19: sections.body.Note: text holding ': ' must be in quotes (YAML reads 'word: ' as a key): "
        'write the whole text in double quotes, "like: this"',
    ),
    "a paragraph that reads as a block kind": (
        {"o.yaml": replace("      - A paragraph.", "      - Note: this is it")},
        "o.yaml:13:9: sections[0].body[0]: unknown block kind 'Note' (did you mean 'quote'?); if it is a paragraph "
        'that holds \': \', put it in quotes: "Note: ..."',
    ),
    "a key under a key that holds text": (
        {"o.yaml": replace("summary: The summary.", "summary: The summary.\n  more: x")},
        "o.yaml:4:7: summary.more: 'more' is indented 2 spaces, under 'summary' (0), which holds text, so YAML reads "
        "it as more of that text: line 'more' up with 'summary', or put text holding ': ' in quotes",
    ),
    "a bad indent": (
        {"o.yaml": replace("  id: CC-BY-4.0", "   id: CC-BY-4.0\n  name: x")},
        "o.yaml:9:3: licence.name: this line is indented 2 spaces, which matches neither 'id' above it (3 spaces) "
        "nor the keys of the mapping around it at 0 spaces (line 1): line it up with one of them",
    ),
    "tab indentation": (
        {"o.yaml": replace("    bio: Ann writes.", "\tbio: Ann writes.")},
        "o.yaml:6:1: authors.bio: a tab character; YAML indents with spaces only",
    ),
    "wrong type": (
        {"o.yaml": replace("key_points: [One point]", "key_points: One point")},
        "o.yaml:11:17: sections[0].key_points: expected a list, got text",
    ),
    "unknown key with suggestion": (
        {"o.yaml": replace("  - heading: First", "  - headng: First")},
        "o.yaml:10:5: sections[0].headng: unknown key 'headng' (did you mean 'heading'?)\n"
        "o.yaml:10:5: sections[0].heading: missing required key 'heading'",
    ),
    "unknown block kind with suggestion": (
        {"o.yaml": replace("      - A paragraph.", "      - qoute: Words.")},
        "o.yaml:13:9: sections[0].body[0]: unknown block kind 'qoute' (did you mean 'quote'?)",
    ),
    "missing required key": (
        {"o.yaml": replace("date: 2025-02-15\n", "")},
        "o.yaml:1:1: date: missing required key 'date'",
    ),
    "undefined jinja variable": (
        {"o.yaml": "vars:\n  author: Ann\n" + replace("name: Ann Author", "name: '{{ autor }}'")},
        "o.yaml:7:15: authors.name: undefined variable 'autor' (did you mean 'author'?)",
    ),
    "include not found": (
        {"o.yaml": replace("  - heading: First", "  - include: parts/missing.yaml\n  - heading: First")},
        "o.yaml:10:14: sections[0].include: included file not found: parts/missing.yaml "
        "(paths are relative to the project root, {root})",
    ),
    "include cycle": (
        {"o.yaml": replace("  - heading: First", "  - include: a.yaml\n  - heading: First"),
         "a.yaml": "include: b.yaml\n", "b.yaml": "include: a.yaml\n"},
        "b.yaml:1:10: sections[0].include: include cycle: a.yaml -> b.yaml -> a.yaml",
    ),
    "error inside an included file": (
        {"o.yaml": replace("  - heading: First", "  - include: part.yaml\n  - heading: First"),
         "part.yaml": "# a part\n- heading: Second\n  key_points: [x]\n  skip: [html]\n"},
        "part.yaml:4:10: sections[0].skip[0]: expected 'pdf' or 'pptx', got 'html'",
    ),
    "duplicate section id": (
        {"o.yaml": VALID + "  - heading: First\n    body: [Again.]\n"},
        "o.yaml:14:5: sections[1]: duplicate section id 'first' (also sections[0]); give one of them its own id:",
    ),
    "duplicate key": (
        {"o.yaml": replace("date: 2025-02-15\n", "date: 2025-02-15\ndate: 2025-02-16\n")},
        "o.yaml:3:1: date: duplicate key 'date' (first written at line 2)",
    ),
    "empty file": (
        {"o.yaml": ""},
        "o.yaml:1:1: the outline is empty",
    ),
    "non-UTF-8 file": (
        {"o.yaml": replace("Ann writes.", "Ann \xe9crit.").encode("latin-1")},
        "o.yaml:6:14: not UTF-8 text (byte 0xe9); save the file as UTF-8",
    ),
    "image path outside the project": (
        {"o.yaml": VALID + "cover:\n  image: ../../etc/passwd\n  alt: A photo.\n"},
        "o.yaml:15:10: cover.image: path '../../etc/passwd' leads outside the project root {root}",
    ),
    "absolute image path": (
        {"o.yaml": VALID + "cover:\n  image: /etc/passwd\n  alt: A photo.\n"},
        "o.yaml:15:10: cover.image: absolute path '/etc/passwd': write it relative to the project root {root}",
    ),
    "jinja sandbox escape": (
        {"o.yaml": replace("title: A brief", "title: \"{{ ''.__class__.__mro__ }}\"")},
        "o.yaml:1:1: title: refused by the template sandbox: access to attribute '__class__' of 'str' object is unsafe.",
    ),
    "jinja syntax error": (
        {"o.yaml": replace("title: A brief", "title: \"{{ unclosed \"")},
        "o.yaml:1:1: title: template syntax: unexpected char '\"' at 20",
    ),
    "alias (billion laughs)": (
        {"o.yaml": "a: &a [x, x]\nb: &b [*a, *a]\n" + VALID},
        "o.yaml:2:8: b: aliases (*a) are not allowed in outlines; use a jinja variable to repeat text",
    ),
    "several documents": (
        {"o.yaml": VALID + "---\ntitle: Another\n"},
        "o.yaml:14:1: sections.body: the file holds several YAML documents ('---'); an outline is one document",
    ),
    "bad date": (
        {"o.yaml": replace("date: 2025-02-15", "date: 15/02/2025")},
        "o.yaml:2:7: date: expected a date as YYYY-MM-DD, got '15/02/2025'",
    ),
    "boolean where text is expected": (
        {"o.yaml": replace("title: A brief", "title: yes")},
        "o.yaml:1:8: title: expected text, got true (put the text in quotes)",
    ),
    "empty list": (
        {"o.yaml": replace("summary: The summary.", "summary: []")},
        "o.yaml:3:10: summary: must not be empty",
    ),
    "unknown licence without a name": (
        {"o.yaml": replace("  id: CC-BY-4.0", "  id: Custom-1")},
        "o.yaml:8:3: licence: licence 'Custom-1' is not one reportgen knows (CC-BY-4.0, CC-BY-SA-4.0, "
        "CC-BY-ND-4.0, CC-BY-NC-4.0, CC-BY-NC-SA-4.0, CC-BY-NC-ND-4.0, CC0-1.0, PUBLIC-DOMAIN, US-GOVERNMENT-WORK, "
        "ALL-RIGHTS-RESERVED): give its name (and url)",
    ),
    "table row of the wrong length": (
        {"o.yaml": replace("      - A paragraph.", "      - table:\n          header: [A, B]\n          rows: [[1, 2], [3]]")},
        "o.yaml:14:11: sections[0].body[0].table: row 2 has 1 cells; the header has 2",
    ),
    "list nested four levels": (
        {"o.yaml": replace("      - A paragraph.",
                           "      - bullets:\n          - text: a\n            items:\n              - text: b\n"
                           "                items:\n                  - text: c\n                    items: [d]")},
        "o.yaml:14:11: sections[0].body[0].bullets: lists nest 3 levels deep at most",
    ),
    "javascript link is not a link": (
        {"o.yaml": VALID + "source:\n  publication: X\n  url: javascript:alert(1)\n"},
        "o.yaml:16:8: source.url: expected a URL starting with https:// (or http://, mailto:), got 'javascript:alert(1)'",
    ),
    "control character in text": (
        {"o.yaml": replace("title: A brief", 'title: "A \\x07 brief"')},
        "o.yaml:1:8: title: text holds the control character U+0007, which neither output can store; remove it",
    ),
    "emphasis at the start of an unquoted value": (
        {"o.yaml": replace("key_points: [One point]", "key_points:\n      - *One* point")},
        "o.yaml:12:9: sections.key_points: text that starts with * or ` must be in quotes "
        "(YAML reads * as an alias): \"*like this*\"",
    ),
    "control character in a comment": (
        {"o.yaml": "# a bell \x07 in a comment\n" + VALID},
        "o.yaml:1:10: the character U+0007 is not allowed in YAML",
    ),
    "several problems at once": (
        {"o.yaml": replace("title: A brief\n", "").replace("key_points: [One point]", "key_points: {}")},
        "o.yaml:1:1: title: missing required key 'title'\n"
        "o.yaml:10:17: sections[0].key_points: expected a list, got a mapping",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_malformed_outline_gets_one_precise_line_per_problem(case: str, tmp_path: Path) -> None:
    files, expected = CASES[case]
    (tmp_path / "assets").mkdir()
    for name, content in files.items():
        target = tmp_path / name
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = run("validate", "o.yaml", cwd=tmp_path)
    assert result.code == 2
    assert result.out == ""
    assert result.err.rstrip("\n") == expected.format(root=tmp_path.resolve())
    assert "Traceback" not in result.err


def test_there_are_at_least_fifteen_cases() -> None:
    assert len(CASES) >= 15
