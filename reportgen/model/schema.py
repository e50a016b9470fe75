"""The outline's JSON Schema, made from the model's own classes, for editors.

An editor with a YAML language server (VS Code's YAML extension, Neovim, Zed, JetBrains) reads
the modeline ``# yaml-language-server: $schema=...`` at the top of an outline and then completes
keys, shows each key's description, and flags a wrong key or type as it is typed. Get the schema
with :func:`outline_schema` (``reportgen schema`` prints it; ``schema/outline.schema.json`` is
the shipped copy, which a test keeps equal to this).

What it says is read off the records, so it cannot drift from what ``reportgen validate``
accepts: field annotations give the types, ``Field(min_length, ge, le)`` the bounds, defaults
the defaults, and the string under each field (an attribute docstring, as Sphinx and pydantic's
``use_attribute_docstrings`` read them) its description. The shorthands an outline may write are
read off the records too: a block's ``_unwrap`` names the field a string or list stands for,
and ``_filled_in`` the fields a record fills in itself (a section's ``id``).

What it cannot say: checks made in functions (a table's row lengths, a link's scheme, whether
an image exists, glyphs a font lacks), and jinja2 (``{{ var }}`` is text to it). Those are
``reportgen validate``'s; the schema catches the typing mistakes as they are made.
"""

from __future__ import annotations

import ast
import datetime
import inspect
import textwrap
import types
import typing
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from reportgen.model import MAX_TEXT_CHARS
from reportgen.records import MAX_ITEMS, Before, OneOf, Record

SCHEMA_ID = "https://reportgen.invalid/schema/outline.schema.json"
"""The schema's ``$id``: a name, not an address (the schema is shipped, never fetched)."""

_INCLUDE = {"$ref": "#/$defs/Include"}
_TEXT: dict[str, Any] = {"type": ["string", "number"], "maxLength": MAX_TEXT_CHARS}
"""Text as an outline writes it: a number stands for its digits (``title: 2024``)."""


def outline_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an outline: a :class:`reportgen.model.Document`."""
    from reportgen.model import Document, Text

    maker = _Maker(Text)
    root = maker.record(Document, inline=True)
    definitions = dict(sorted(maker.definitions.items()))
    definitions["Include"] = {
        "type": "object",
        "description": "Stands for the content of another YAML file, relative to the project root; "
                       "in a list, an included list is spliced in.",
        "properties": {"include": {"type": "string", "description": "The file to include."}},
        "required": ["include"],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "reportgen outline",
        **root,
        "$defs": definitions,
    }


class _Maker:
    def __init__(self, text_class: type[Record]) -> None:
        self.text_class = text_class
        self.definitions: dict[str, dict[str, Any]] = {}

    def record(self, cls: type[Record], inline: bool = False) -> dict[str, Any]:
        """``cls``'s schema (``inline``), or a reference to it in ``$defs``."""
        if cls is self.text_class:
            return dict(_TEXT)
        name = cls.__name__
        if not inline and name in self.definitions:
            return {"$ref": f"#/$defs/{name}"}
        if not inline:
            self.definitions[name] = {}  # being made: a field of the class's own type refers to it
        hints = typing.get_type_hints(cls, include_extras=True)
        docs = field_docs(cls)
        properties, required = {}, []
        for field_name, spec in cls._fields.items():
            schema = self.annotation(hints[field_name])
            schema.update(_bounds(schema, spec))
            if field_name in docs:
                schema = {"description": docs[field_name], **schema}
            if spec.default is not _required():
                default = _json_value(spec.default)
                if default is not None:
                    schema["default"] = default
            elif field_name not in getattr(cls, "_filled_in", ()):
                required.append(field_name)
            properties[field_name] = schema
        schema = {"type": "object", "description": _summary(cls), "properties": properties}
        if required:
            schema["required"] = required
        schema["additionalProperties"] = False
        written = []  # what an outline may write instead of the mapping
        shorthand = _shorthand(cls)
        if shorthand and shorthand[0]:
            field_name, kinds = shorthand
            allowed = {"string"} if str in kinds else set()
            allowed |= {"array"} if list in kinds else set()
            shorthand_schema = self.annotation(hints[field_name])
            shorthand_schema.update(_bounds(shorthand_schema, cls._fields[field_name]))
            narrowed = _narrow(shorthand_schema, allowed)
            written = [narrowed] if narrowed else []
        if not inline:
            schema = {"description": schema.pop("description"), "anyOf": [schema, *written, _INCLUDE]}
        if inline:
            return schema
        self.definitions[name] = schema
        return {"$ref": f"#/$defs/{name}"}

    def annotation(self, annotation: Any) -> dict[str, Any]:
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if origin is Annotated:
            one_of = next((m for m in annotation.__metadata__ if isinstance(m, OneOf)), None)
            if one_of:
                return self.one_of(one_of)
            inner = args[0]
            if any(isinstance(m, Before) for m in annotation.__metadata__):
                members = [a for a in typing.get_args(inner) if a is not type(None)]
                if typing.get_origin(inner) in (Union, types.UnionType) and len(members) == 1:
                    inner = members[0]  # the model's before-functions refuse nothing (None) themselves
                if inner is str:
                    return dict(_TEXT)
                if inner is Path:
                    return {"type": "string"}
                if inner is datetime.date:
                    return {"type": "string", "format": "date"}
                if typing.get_origin(inner) is tuple:  # Paragraphs: one string is one paragraph
                    return {"anyOf": [self.annotation(typing.get_args(inner)[0]), self.annotation(inner)]}
            return self.annotation(inner)
        if isinstance(annotation, type) and issubclass(annotation, Record):
            return self.record(annotation)
        if origin in (Union, types.UnionType):
            members = [a for a in args if a is not type(None)]
            choices = [self.annotation(m) for m in members]
            if len(members) < len(args):
                choices.append({"type": "null"})
            return choices[0] if len(choices) == 1 else {"anyOf": choices}
        if origin is tuple:
            return {"type": "array", "items": {"anyOf": [self.annotation(args[0]), _INCLUDE]}, "maxItems": MAX_ITEMS}
        if origin is dict:
            schema: dict[str, Any] = {"type": "object", "additionalProperties": self.annotation(args[1])}
            if typing.get_origin(args[0]) is Literal:
                schema["propertyNames"] = {"enum": list(typing.get_args(args[0]))}
            return schema
        if origin is Literal:
            return {"enum": list(args)}
        simple = {str: "string", bool: "boolean", int: "integer", float: "number"}
        if annotation in simple:
            return {"type": simple[annotation]}
        if annotation is Any:
            return {}
        raise TypeError(f"no JSON Schema for {annotation!r}")

    def one_of(self, one_of: OneOf) -> dict[str, Any]:
        """A tagged union as an outline writes it: ``{tag: ...}`` with one key, or a plain
        string for the member a string is taken as."""
        choices: list[dict[str, Any]] = []
        string_tag = one_of.tag_of("text")
        for tag, member in one_of.choices.items():
            choices.append({"type": "object", "description": _summary(member),
                            "properties": {tag: self.annotation(member)},
                            "required": [tag], "additionalProperties": False})
            if tag == string_tag:
                choices.insert(0, {"type": "string", "maxLength": MAX_TEXT_CHARS})
        return {"anyOf": [*choices, _INCLUDE]}


def field_docs(cls: type) -> dict[str, str]:
    """The string written under each field of ``cls`` and its bases (the nearest class's wins),
    its lines joined."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if not (isinstance(klass, type) and issubclass(klass, Record)) or klass is Record:
            continue
        tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        body = tree.body[0].body  # type: ignore[attr-defined]
        for statement, following in zip(body, body[1:]):
            if (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
                    and isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                    and isinstance(following.value.value, str)):
                docs[statement.target.id] = " ".join(inspect.cleandoc(following.value.value).split())
    return docs


def _narrow(schema: dict[str, Any], types_: set[str]) -> dict[str, Any] | None:
    """``schema`` accepting only JSON values of ``types_`` ("string", "array"), or None when it
    then accepts nothing (a shorthand takes a value only of the types its function converts)."""
    if "anyOf" in schema:
        kept = [narrowed for choice in schema["anyOf"] if (narrowed := _narrow(choice, types_))]
        return None if not kept else kept[0] if len(kept) == 1 else {**schema, "anyOf": kept}
    written = schema.get("type")
    if written is None:
        return None
    kept_types = [t for t in ([written] if isinstance(written, str) else written) if t in types_]
    if not kept_types:
        return None
    return {**schema, "type": kept_types[0] if len(kept_types) == 1 else kept_types}


def _summary(cls: type) -> str:
    """The first paragraph of a class's docstring, on one line."""
    return " ".join(inspect.cleandoc(cls.__doc__ or "").split("\n\n")[0].split())


def _shorthand(cls: type) -> tuple[str, tuple[type, ...]] | None:
    before = cls.__dict__.get("_before")
    return getattr(getattr(before, "__func__", None), "shorthand", None)


def _bounds(schema: dict[str, Any], spec: Any) -> dict[str, Any]:
    bounds: dict[str, Any] = {}
    if spec.min_length is not None:
        bounds["minItems"] = spec.min_length
    if spec.ge is not None:
        bounds["minimum"] = spec.ge
    if spec.le is not None:
        bounds["maximum"] = spec.le
    return bounds


def _required() -> Any:
    from reportgen.records import _REQUIRED

    return _REQUIRED


def _json_value(value: Any) -> Any:
    """A default as JSON, or None where it has no plain form (a record) or says nothing."""
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tuple) and not value:
        return []
    if isinstance(value, dict) and not value:
        return {}
    return None
