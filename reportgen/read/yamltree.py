"""Safe YAML with positions: parse text into nodes that know their file, line and column.

PyYAML does the scanning and composing (nothing but plain data is ever constructed): its
libyaml binding (``CSafeLoader``, much the faster: docs/performance.md) where it takes the
text, and its pure-Python ``SafeLoader`` for any text that libyaml refuses or that holds what
an outline may not, so that every error is reported by one parser, in the same words. On top of it
this module refuses what an outline has no use for and what makes YAML dangerous or ambiguous:

- aliases (``*name``): they are how "billion laughs" documents expand; jinja variables do the job;
- duplicate keys, which YAML would silently resolve to the last one;
- nesting deeper than :data:`MAX_DEPTH`, more than :data:`MAX_VALUES` values (counted by libyaml
  before any node is made: a node costs some 500 bytes, so 8 MB of ``[a,a,a,...]`` would
  otherwise cost 1.7 GB), several documents in one file, non-scalar keys;
- timestamps: ``2025-02-15`` stays a string, and the model decides what a date is.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from typing import Any

import yaml

MAX_DEPTH = 64
"""Levels of nesting, through includes too."""

MAX_VALUES = 250_000
"""Values (texts, lists, mappings and keys) in an outline, through includes too; the 1,000-section
synthetic outline (bench/synthetic.py) holds about 45,000."""


class _Loader(yaml.SafeLoader):
    """SafeLoader without alias support, with a depth limit, and without implicit timestamps."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, text: str, name: str):
        super().__init__(text)
        self.name = name
        self._depth = 0
        self._values = 0

    def compose_node(self, parent, index):  # noqa: ANN001 (PyYAML's signature)
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(None, None, f"aliases (*{event.anchor}) are not allowed in outlines; "
                                       "use a jinja variable to repeat text", event.start_mark)
        self._values += 1
        if self._values > MAX_VALUES:
            raise yaml.MarkedYAMLError(None, None, f"the file holds more than {MAX_VALUES:,} values", self.peek_event().start_mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise yaml.MarkedYAMLError(None, None, f"nesting is deeper than {MAX_DEPTH} levels", self.peek_event().start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _FastLoader(yaml.CSafeLoader):
    """libyaml's parser with the same resolvers as :class:`_Loader` (no implicit timestamps)."""

    yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


class _Named(io.StringIO):
    """Text with a name: libyaml's marks take their file name from the stream's ``name``."""

    def __init__(self, text: str, name: str):
        super().__init__(text)
        self.name = name


def _fast_compose(text: str, name: str) -> yaml.Node | None:
    """The document's root node from libyaml, or None where the slow path must decide: libyaml
    found an error (reported by :class:`_Loader`, in its words), or the document uses an alias,
    nests deeper than :data:`MAX_DEPTH` or may hold more than :data:`MAX_VALUES` values (which
    :class:`_Loader` refuses with the position)."""
    counter = _FastLoader(_Named(text, name))
    try:  # libyaml's count of parse events, made in C with no Python object: at least one a value
        events = counter.raw_parse()
    except (yaml.YAMLError, UnicodeError):
        return None
    finally:
        counter.dispose()
    if events > MAX_VALUES:
        _count_values(text, name)
    loader = _FastLoader(_Named(text, name))
    try:
        root = loader.get_single_node()
    except (yaml.YAMLError, UnicodeError):
        return None
    finally:
        loader.dispose()
    if root is None:
        return None
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen or depth > MAX_DEPTH:  # a node met twice was reached through an alias
            return None
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
    return root


def _count_values(text: str, name: str) -> None:
    """YamlProblem at the first value past :data:`MAX_VALUES`, found from libyaml's events (no
    node is made); nothing if there is none, or if libyaml fails first (the slow path reports it)."""
    loader = _FastLoader(_Named(text, name))
    values = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent, yaml.AliasEvent)):
                values += 1
                if values > MAX_VALUES:
                    raise YamlProblem(event.start_mark.line, event.start_mark.column,
                                      f"the file holds more than {MAX_VALUES:,} values")
    except (yaml.YAMLError, UnicodeError):
        return
    finally:
        loader.dispose()


@dataclass(frozen=True)
class YamlProblem(Exception):
    """A YAML error at a 0-based (line, column) of the parsed text."""

    line: int | None
    column: int | None
    message: str


def compose(text: str, name: str) -> yaml.Node | None:
    """The root node of the single document in ``text`` (None for an empty file); YamlProblem on error."""
    root = _fast_compose(text, name)
    if root is not None:
        return root
    loader = None
    try:
        loader = _Loader(text, name)  # the reader checks every character here already
        return loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        message = err.problem or "invalid YAML"
        if (err.context or "").startswith("expected a single document"):
            message = "the file holds several YAML documents ('---'); an outline is one document"
        elif "cannot start any token" in message and "\\t" in message:
            message = "a tab character; YAML indents with spaces only"
        elif (err.context or "").startswith("while scanning an alias") or "'`'" in message:
            mark = err.context_mark if err.context else mark
            message = "text that starts with * or ` must be in quotes (YAML reads * as an alias): \"*like this*\""
        elif (plain := _in_plain_words(err, text)) is not None:
            mark, message = plain
        elif err.context and not message.startswith(("aliases", "nesting")):
            message = f"{err.context}, {message}"
        raise YamlProblem(mark.line if mark else None, mark.column if mark else None, message) from None
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position)
        column = err.position - (text.rfind("\n", 0, err.position) + 1)
        raise YamlProblem(line, column, f"the character U+{ord(err.character) if isinstance(err.character, str) else err.character:04X} is not allowed in YAML") from None
    except yaml.YAMLError as err:
        raise YamlProblem(None, None, f"invalid YAML: {err}") from None
    finally:
        if loader is not None:
            loader.dispose()


_KEY_LINE = re.compile(r"^(\s*(?:- +)*)([^\s:#'\"{\[][^:#]*?):(?:\s|$)")
"""A line that starts a ``key:`` (after its indentation and any list dashes)."""


def _in_plain_words(err: yaml.MarkedYAMLError, text: str) -> tuple[Any, str] | None:
    """PyYAML's commonest errors said as what to do (its mark kept, or the opening quote's):
    a quote never closed, a ``: `` in text that needs quotes, a key indented under a key that
    holds text, and a line whose indentation matches no key above it. None for the others."""
    lines = text.splitlines()
    problem, mark = err.problem or "", err.problem_mark
    if err.context == "while scanning a quoted scalar" and err.context_mark is not None:
        opened = err.context_mark
        quote = text[opened.index] if opened.index < len(text) else '"'
        inside = "''" if quote == "'" else '\\"'
        return opened, (f"this quote ({quote}) is never closed: end the text with {quote} on the same line "
                        f"(a {quote} inside it is written {inside})")
    if mark is None or mark.line >= len(lines):
        return None
    line = lines[mark.line]
    above = next((lines[n] for n in range(mark.line - 1, -1, -1)
                  if lines[n].strip() and not lines[n].lstrip().startswith("#")), "")
    key_above = _KEY_LINE.match(above)
    if problem == "mapping values are not allowed here":
        key_here = _KEY_LINE.match(line)
        if key_here is None or mark.column > key_here.end(2):  # a second ': ' on the line
            return mark, ("text holding ': ' must be in quotes (YAML reads 'word: ' as a key): write the whole "
                          "text in double quotes, \"like: this\"")
        name, column = key_here.group(2).strip(), len(key_here.group(1))
        if key_above is not None:
            above_name, above_column = key_above.group(2).strip(), len(key_above.group(1))
            return mark, (f"'{name}' is indented {column} spaces, under '{above_name}' ({above_column}), which "
                          f"holds text, so YAML reads it as more of that text: line '{name}' up with "
                          f"'{above_name}', or put text holding ': ' in quotes")
        return mark, (f"'{name}:' is read as more of the text above it: line it up with the keys it belongs "
                      "with, or put text holding ': ' in quotes")
    if problem.startswith("expected <block end>") and err.context and err.context.startswith("while parsing a block"):
        indent = len(line) - len(line.lstrip(" "))
        items = "items of the list" if "collection" in err.context and line.lstrip().startswith("-") else "keys of the mapping"
        started = err.context_mark
        where = f" start at {started.column} spaces (line {started.line + 1})" if started is not None else " start elsewhere"
        if key_above is not None and len(key_above.group(1)) > indent and items.startswith("keys"):
            return mark, (f"this line is indented {indent} spaces, which matches neither '{key_above.group(2).strip()}' "
                          f"above it ({len(key_above.group(1))} spaces) nor the keys of the mapping around it"
                          f"{where.replace(' start', '')}: line it up with one of them")
        return mark, f"this line is indented {indent} spaces, but the {items} it is in{where}: line it up with them"
    return None


_SCALARS = _Loader("", "")


def scalar_value(node: yaml.ScalarNode) -> object:
    """The Python value of a scalar node: text, true/false, or None. ValueError for other tags.

    Numbers stay as written: an outline has no numeric fields, and YAML's reading of them would
    change what the editor wrote (``11.30`` → 11.3, ``010`` → 8, ``12:30`` → 750).
    """
    if node.tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        return node.value
    if node.tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"):
        raise ValueError(f"the tag {node.tag} is not allowed in outlines")
    return _SCALARS.yaml_constructors[node.tag](_SCALARS, node)
