"""The outline's JSON Schema (``reportgen schema``): made from the model, shipped, named by every
shipped outline's modeline, and in agreement with ``reportgen validate`` on right and wrong outlines."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import typing
from pathlib import Path

import jsonschema
import pytest
import yaml

from reportgen import model
from reportgen.model.schema import field_docs, outline_schema
from reportgen.read.loader import load_outline
from reportgen.records import _REQUIRED, Record

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "reportgen" / "data" / "outline.schema.json"
OUTLINES = sorted((ROOT / "outlines").glob("*.yaml"))
MODELINE = "# yaml-language-server: $schema="


class _AsAnEditorReads(yaml.SafeLoader):
    """YAML as an editor's language server reads it (YAML 1.2: a date is text), as reportgen does."""


_AsAnEditorReads.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _yaml(text: str):
    return yaml.load(text, Loader=_AsAnEditorReads)  # noqa: S506 (a SafeLoader)


def _as_yaml_reads(value):
    """Loaded data with its numbers as YAML reads them (reportgen keeps every scalar as written)."""
    if isinstance(value, dict):
        return {key: _as_yaml_reads(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_yaml_reads(item) for item in value]
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+(\.[0-9]*)?", value):
        return _yaml(value)
    return value


def _validator() -> jsonschema.Draft202012Validator:
    schema = outline_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _records(cls: type[Record], seen: dict[str, type[Record]]) -> dict[str, type[Record]]:
    """Every record class an outline can write, reached from ``cls``'s fields."""
    if cls.__name__ in seen or cls is model.Text:
        return seen
    seen[cls.__name__] = cls
    hints = typing.get_type_hints(cls, include_extras=True)
    for name in cls._fields:
        stack = [hints[name]]
        while stack:
            annotation = stack.pop()
            if isinstance(annotation, type) and issubclass(annotation, Record):
                _records(annotation, seen)
            stack.extend(typing.get_args(annotation))
    return seen


def _properties(definition: dict) -> dict:
    """The object form's properties of a definition (which may be ``anyOf`` object or shorthand)."""
    if "properties" in definition:
        return definition["properties"]
    return next(choice["properties"] for choice in definition["anyOf"] if choice.get("type") == "object")


def test_the_shipped_copy_is_what_reportgen_schema_prints() -> None:
    printed = subprocess.run([sys.executable, "-m", "reportgen", "schema"], capture_output=True, text=True, check=True)
    assert json.loads(printed.stdout) == outline_schema()
    assert printed.stdout == SHIPPED.read_text(encoding="utf-8"), (
        "the shipped schema drifted from the model: run `reportgen schema > reportgen/data/outline.schema.json`")


def test_its_keys_are_the_models_keys_each_described() -> None:
    schema = outline_schema()
    records = _records(model.Document, {})
    assert set(records) - {"Document"} == set(schema["$defs"]) - {"Include"}
    for name, cls in records.items():
        properties = schema["properties"] if name == "Document" else _properties(schema["$defs"][name])
        assert set(properties) == set(cls._fields), name
        docs = field_docs(cls)
        for key, value in properties.items():
            assert value.get("description") == docs.get(key) and docs.get(key), f"{name}.{key} has no description"
    assert schema["required"] == [n for n, f in model.Document._fields.items() if f.default is _REQUIRED]
    section = _properties(schema["$defs"]["Section"])
    assert section["skip"]["items"]["anyOf"][0] == {"enum": ["pdf", "pptx"]}


@pytest.mark.parametrize("outline", OUTLINES, ids=lambda p: p.name)
def test_every_shipped_outline_names_the_schema_and_meets_it(outline: Path) -> None:
    validator = _validator()
    text = outline.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith(MODELINE)
    assert (outline.parent / first.removeprefix(MODELINE)).resolve() == SHIPPED
    # as an editor sees the file (jinja2 not yet run), and as reportgen reads it (includes and variables in)
    errors = [e.message for e in validator.iter_errors(_yaml(text))]
    assert not errors, errors
    loaded = load_outline(outline)
    data = _as_yaml_reads(json.loads(json.dumps(loaded.data, default=str)))
    assert not [e.message for e in validator.iter_errors(data)]


def test_the_starter_names_the_schema_and_meets_it(tmp_path: Path) -> None:
    (tmp_path / "outlines").mkdir()
    (tmp_path / "assets").mkdir()
    subprocess.run([sys.executable, "-m", "reportgen", "new", "my-brief"], cwd=tmp_path, check=True, capture_output=True)
    text = (tmp_path / "outlines" / "my-brief.yaml").read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith(MODELINE)
    named = (tmp_path / "outlines" / first.removeprefix(MODELINE)).resolve()
    assert json.loads(named.read_text(encoding="utf-8")) == outline_schema()
    assert not [e.message for e in _validator().iter_errors(_yaml(text))]


GOOD = """\
title: A brief
subtitle: Its subtitle
date: 2026-01-31
summary: One paragraph.
authors: [{name: A. Author}]
licence: {id: CC-BY-4.0}
sections:
  - heading: One
    notes: "Say this first."
    key_points: ["A point", 2024]
    body:
      - A paragraph.
      - bullets: ["one", {text: two, items: [three]}]
      - quote: Words.
      - callout: {title: Note, text: [First., Second.]}
      - timeline: [{when: "2024", text: Then.}]
      - table: {header: [A, B], rows: [[x, y]]}
    deck: {title: Short, prose_in_notes: false, slides: [{title: S, points: [p], notes: n}]}
    skip: [pdf]
"""

WRONG = {
    "a misspelt key": ("title:", "titel:"),
    "a misspelt optional key": ("subtitle:", "subtitel:"),
    "a misspelt key in a section": ("    notes:", "    note:"),
    "a wrong type": ("    key_points:", "    key_points: {a: b}\n    xx:"),
    "a missing required key": ("licence: {id: CC-BY-4.0}\n", ""),
    "a wrong skip value": ("skip: [pdf]", "skip: [docx]"),
    "an unknown block kind": ("      - quote: Words.", "      - pullquote: Words."),
    "a block of two kinds": ("      - quote: Words.", "      - {quote: Words., paragraph: More.}"),
    "a list where text goes": ("summary: One paragraph.", "summary: [[nested]]"),
    "a boolean where text goes": ("heading: One", "heading: true"),
    "no sections": ("sections:\n", "sections: []\nx:\n"),
    "a wrong key in a block": ("{title: Note, text: [First., Second.]}", "{title: Note, txt: [First.]}"),
}


def _cases() -> list[tuple[str, str]]:
    cases = [("good", GOOD)]
    for name, (old, new) in WRONG.items():
        assert old in GOOD, name
        cases.append((name, GOOD.replace(old, new, 1)))
    return cases


@pytest.mark.parametrize(("name", "text"), _cases(), ids=[c[0] for c in _cases()])
def test_the_schema_and_reportgen_agree(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / "assets").mkdir()
    outline = tmp_path / "o.yaml"
    outline.write_text(text, encoding="utf-8")
    schema_errors = [e.message for e in _validator().iter_errors(_yaml(text))]
    result = subprocess.run([sys.executable, "-m", "reportgen", "validate", str(outline)], capture_output=True, text=True)
    if name == "good":
        assert result.returncode == 0, result.stderr
        assert not schema_errors
    else:
        assert result.returncode == 2, result.stderr
        assert schema_errors, f"the schema accepts {name}, which reportgen refuses: {result.stderr}"


def test_shorthands_are_not_made_up() -> None:
    """What the schema accepts as a shorthand, the model accepts (and a list is not text)."""
    validator = _validator()
    base = _yaml(GOOD)
    for block in (["a", "b"], {"paragraph": ["a"]}, {"bullets": "one"}):
        data = json.loads(json.dumps(base))
        data["sections"][0]["body"] = [block]
        assert list(validator.iter_errors(data)), block
