"""Plain outline data → :class:`reportgen.model.Document`, with every problem placed precisely.

pydantic-core validates the data against the model and collects every error with its location;
this module turns each location into the editor's terms: the file, line and column where the
value (or, for an unknown key, the key) was written, the key path, and a message in plain words,
with "did you mean ..." for a misspelt key. Checks that span the document (unique section ids,
image files present) follow.
"""

from __future__ import annotations

import difflib
import typing
from pathlib import Path
from collections.abc import Iterator
from typing import Any, TypeVar

from pydantic_core import ValidationError

from reportgen.errors import OutlineError, Problem, key_path
from reportgen.images import unreadable_image
from reportgen.model import BLOCK_KINDS, Document, Figure, kind_of
from reportgen.read.loaded import Position
from reportgen.records import UNSTORABLE, OneOf, Record, unstorable

M = TypeVar("M", bound=Record)

_MESSAGES = {
    "missing": "missing required key {name!r}",
    "tuple_type": "expected a list, got {kind}",
    "list_type": "expected a list, got {kind}",
    "dict_type": "expected a mapping, got {kind}",
    "model_type": "expected a mapping, got {kind}",
    "model_attributes_type": "expected a mapping, got {kind}",
    "bool_type": "expected true or false, got {kind}",
    "bool_parsing": "expected true or false, got {input!r}",
    "string_type": "expected text, got {kind}",
}


def to_document(
    data: dict, positions: dict[tuple, Position], key_positions: dict[tuple, Position], root: Path, *,
    draft: bool = False,
) -> tuple[Document, list[Problem]]:
    """Validate outline data; return the document and warnings, or raise OutlineError. With
    ``draft``, a figure whose image file is missing is a warning (drawn as a placeholder box),
    not an error."""
    document = validated(Document, data, positions, key_positions, root)
    from reportgen.read.charts import with_chart_data

    document, problems = with_chart_data(document, positions, root)  # a CSV's data read in; every chart's numbers checked
    problems += _duplicate_ids(document, positions)
    warnings = _check_images(document, positions, root, problems, draft)
    if problems:
        raise OutlineError(problems)
    return document, warnings


def validated(model: type[M], data: Any, positions: dict[tuple, Position], key_positions: dict[tuple, Position],
              root: Path) -> M:
    """``data`` validated as ``model`` (the outline's Document, a theme, ...), or OutlineError with
    one precise problem per error."""
    try:
        return model.validate(data, context={"root": root})
    except ValidationError as err:
        failed: ValidationError | None = err
    # A key that holds a lone surrogate is one pydantic-core cannot even read as a key name (it
    # would say "unable to parse raw data as a unicode string" of the mapping): such keys, and
    # any other that no output can store, are reported at the key, and the rest validated without them.
    bad_keys = set(_unstorable_keys(data, ()))
    problems = [_key_problem(key, positions, key_positions) for key in bad_keys]
    if bad_keys:
        data = _without(data, bad_keys)
        try:
            model.validate(data, context={"root": root})
            failed = None
        except ValidationError as err:
            failed = err
    if failed is not None:
        errors = _without_echoes(list(map(dict, failed.errors(include_url=False))))
        problems += [_problem(model, e, data, positions, key_positions) for e in errors]
    raise OutlineError(sorted(_unique(problems), key=_order)) from None


def _unstorable_keys(node: Any, key: tuple) -> Iterator[tuple]:
    """The key paths of the mapping keys in ``node`` that hold a character no output can store."""
    if isinstance(node, dict):
        for name, item in node.items():
            if isinstance(name, str) and UNSTORABLE.search(name):
                yield (*key, name)
            else:
                yield from _unstorable_keys(item, (*key, name))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _unstorable_keys(item, (*key, index))


def _without(node: Any, keys: set[tuple], key: tuple = ()) -> Any:
    """``node`` without the mapping keys at ``keys``."""
    if isinstance(node, dict):
        return {name: _without(item, keys, (*key, name)) for name, item in node.items() if (*key, name) not in keys}
    if isinstance(node, list):
        return [_without(item, keys, (*key, index)) for index, item in enumerate(node)]
    return node


def _key_problem(key: tuple, positions: dict, key_positions: dict) -> Problem:
    file, line, column = key_positions.get(key) or positions.get(key) or positions.get(key[:-1]) or ("?", None, None)
    character = UNSTORABLE.search(key[-1])
    assert character is not None
    return Problem(file, line, column, key_path(key),
                   f"the key holds {unstorable(character.group())}, which neither output can store; remove it")


def _problem(model: type[Record], error: dict, data: Any, positions: dict, key_positions: dict) -> Problem:
    loc: tuple = error["loc"]
    walked, value = _walk(data, loc)
    kind = error["type"]
    name = loc[-1] if loc else ""
    if kind == "missing":
        where = positions.get(walked)
        shown = (*walked, name)
    elif kind == "extra_forbidden":
        where = key_positions.get(walked) or positions.get(walked)
        shown = walked
    else:
        where = positions.get(walked)
        shown = walked
    message = _message(model, error, kind, value, name, loc)
    file, line, column = where or ("?", None, None)
    return Problem(file, line, column, key_path(shown), message)


def _walk(data: Any, loc: tuple) -> tuple[tuple, Any]:
    """Follow ``loc`` through the data as far as it exists there.

    pydantic-core's locations also hold union tags and model-internal names; only the steps that
    are real keys or indices of the outline are kept.
    """
    walked: list = []
    node = data
    for step in loc:
        if isinstance(node, dict) and isinstance(step, str) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            continue
        walked.append(step)
    return tuple(walked), node


def _message(model: type[Record], error: dict, kind: str, value: Any, name: Any, loc: tuple) -> str:
    if kind == "extra_forbidden":
        known = _fields_at(model, loc[:-1])
        message = f"unknown key {name!r}"
        close = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
        if close:
            return f"{message} (did you mean {close[0]!r}?)"
        return f"{message} (expected one of: {', '.join(known)})" if known else message
    if kind == "block_kind":
        if isinstance(value, dict) and len(value) == 1:
            (written,) = value
            close = difflib.get_close_matches(str(written), BLOCK_KINDS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (expected one of: {', '.join(BLOCK_KINDS[1:])})"
            if isinstance(value[written], str | int | float) and str(written)[:1].isupper():
                hint += f"; if it is a paragraph that holds ': ', put it in quotes: \"{written}: ...\""
            return f"unknown block kind {written!r}{hint}"
        return f"expected a paragraph (text) or a one-key mapping naming a block kind ({', '.join(BLOCK_KINDS[1:])}), got {kind_of(value)}"
    if kind == "too_short":
        minimum = error.get("ctx", {}).get("min_length", 1)
        return "must not be empty" if minimum == 1 else f"needs at least {minimum} items"
    if kind == "literal_error":
        return f"expected {error['ctx']['expected']}, got {error['input']!r}"
    template = _MESSAGES.get(kind)
    if template:
        return template.format(name=name, kind=kind_of(value), input=error.get("input"))
    message = str(error["msg"])
    message = message.removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


def _fields_at(model: type[Record], loc: tuple) -> list[str]:
    """The keys the model allows at a location, for "did you mean"."""
    steps = [s for s in loc if isinstance(s, str)]
    i = 0
    while i < len(steps):
        annotation = model.field_types().get(steps[i])
        if annotation is None:
            i += 1
            continue
        candidates = _models_in(annotation)
        if not candidates:
            return []
        if len(candidates) > 1 and i + 1 < len(steps) and steps[i + 1] in candidates:
            model = candidates[steps[i + 1]]
            i += 2
            continue
        model = next(iter(candidates.values()))
        i += 1
    return sorted(model.field_types())


def _models_in(annotation: Any) -> dict[str, type[Record]]:
    """Model classes inside an annotation, keyed by their union tag (or class name)."""
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return {annotation.__name__: annotation}
    metadata = getattr(annotation, "__metadata__", None)
    if metadata is not None:  # Annotated[X, ...]: look into X, or into the members a OneOf tags
        one_of = next((m for m in metadata if isinstance(m, OneOf)), None)
        return dict(one_of.choices) if one_of else _models_in(annotation.__origin__)
    found: dict[str, type[Record]] = {}
    for arg in typing.get_args(annotation):
        found |= _models_in(arg)
    return found


def _without_echoes(errors: list[dict]) -> list[dict]:
    """Drop a list's "too short" error when one of its items failed: it only echoes that failure."""
    failed_items = {e["loc"][:i] for e in errors for i in range(1, len(e["loc"]))}
    return [e for e in errors if not (e["type"] == "too_short" and e["loc"] in failed_items)]


def _order(problem: Problem) -> tuple:
    """By place; at one place an unknown key (with its suggestion) before what it leaves missing."""
    return (str(problem.file), problem.line or 0, problem.column or 0, not problem.message.startswith("unknown key"))


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for problem in problems:
        if str(problem) not in seen:
            seen.add(str(problem))
            out.append(problem)
    return out


def _duplicate_ids(document: Document, positions: dict) -> list[Problem]:
    problems = []
    first: dict[str, int] = {}
    for index, section in enumerate(document.sections):
        if section.id in first:
            key: tuple[str | int, ...] = ("sections", index, "id")
            key = key if key in positions else key[:2]
            file, line, column = positions.get(key, ("?", None, None))
            problems.append(Problem(file, line, column, key_path(key),
                                    f"duplicate section id {section.id!r} (also sections[{first[section.id]}]); "
                                    "give one of them its own id:"))
        else:
            first[section.id] = index
    return problems


def _check_images(document: Document, positions: dict, root: Path, problems: list[Problem],
                  draft: bool = False) -> list[Problem]:
    """Errors, added to ``problems``, for a figure whose image file is not there (a warning in a
    ``draft``, which draws a placeholder box instead) and for files that are there but are not
    images reportgen can use; a warning for a cover image that is not there (the cover is then
    designed without a photo)."""
    warnings = []
    images: list[tuple[tuple[str | int, ...], Path]] = []
    if document.cover and document.cover.image:
        images.append((("cover", "image"), document.cover.image))
    for s_index, section in enumerate(document.sections):
        for b_index, block in enumerate(section.body):
            if isinstance(block, Figure) and block.image is not None:
                images.append((("sections", s_index, "body", b_index, "figure", "image"), block.image))
    reasons: dict[Path, str | None] = {}  # an image used many times is decoded once
    for key, path in images:
        file, line, column = positions.get(key) or ("?", None, None)
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        if not path.is_file():
            if key[0] == "cover":
                warnings.append(Problem(file, line, column, key_path(key), f"image not found: {shown}; building without it",
                                        warning=True))
            elif draft:
                warnings.append(Problem(file, line, column, key_path(key),
                                        f"image not found: {shown}; drawn as a placeholder box (--draft)", warning=True))
            else:
                problems.append(Problem(file, line, column, key_path(key),
                                        f"image not found: {shown}; add the file, or build with --draft to draw a "
                                        "placeholder box in its place"))
            continue
        if path not in reasons:
            reasons[path] = unreadable_image(path)
        reason = reasons[path]
        if reason:
            problems.append(Problem(file, line, column, key_path(key), f"{shown} is not an image reportgen can use: {reason}"))
    return warnings
