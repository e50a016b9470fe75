"""Read an outline: its files, rendered with jinja2, parsed as YAML, includes resolved.

Any mapping written as ``{include: path/to/part.yaml}`` is replaced by that file's content (read
the same way, with the same variables); in a list, an included list is spliced in, so a file of
sections can be included among other sections. Include paths, like every path in an outline,
are relative to the project root (see :mod:`reportgen.model.paths`) and may not leave it.

Every value keeps the position it was written at (file, line, column), through includes and
through jinja2, so validation can point the editor at the exact place.

Reading is bounded (docs/limits.md): a file is read up to :data:`MAX_FILE_BYTES` and no further
(a pipe or ``/dev/stdin`` included), each file is read and parsed once however often it is
included, and the outline with everything it includes, an included file counted each time it is
included, may hold at most :data:`MAX_TOTAL_BYTES`, :data:`MAX_INCLUDES` includes,
:data:`MAX_INCLUDE_DEPTH` levels of includes and :data:`yamltree.MAX_VALUES` values, nested at
most :data:`yamltree.MAX_DEPTH` deep.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from reportgen.errors import OutlineError, Problem, key_path
import yaml

from reportgen.read import templating, yamltree
from reportgen.read.loaded import Position
from reportgen.model.paths import resolve_inside

MAX_FILE_BYTES = 8 * 1024 * 1024
"""Bytes in one outline file (or vars file), read from a pipe or stdin as well as from a file."""

MAX_TOTAL_BYTES = 16 * 1024 * 1024
"""Bytes in the outline and the files it includes, in all, a file counted each time it is included."""

MAX_INCLUDES = 10_000
"""Includes in an outline, in all, each time a file is included counted (a fan-out of files that
include the next one twice reaches it long before it doubles out of hand)."""

MAX_INCLUDE_DEPTH = 32
"""Files included from an included file, one inside the other."""


def read_outline(outline: Path, project: Path, variables: dict[str, Any] | None,
                 vars_file: str | os.PathLike[str] | None) -> tuple[dict, dict, dict, tuple[str, ...]]:
    """The outline at ``outline`` as plain data, includes resolved: ``(data, positions of values,
    positions of keys, every file read)``. Raises OutlineError listing every problem.

    ``variables`` (``--var``) override ``vars_file`` (``--vars``), which overrides the outline's
    own ``vars:``. The result is plain data (and paths as text), so that it can be handed from a
    process to another (see :func:`reportgen.read.loader.load_outline`).
    """
    reader = Reader(project)
    merged: dict[str, Any] = {}
    text = reader.read_text(outline)
    if text is not None:
        merged |= reader.outline_vars(text, _shown(outline))
    if vars_file is not None:
        merged |= reader.vars_file(Path(vars_file))
    merged |= variables or {}
    reader.check()

    data, positions, key_positions = reader.load(outline, text, merged)
    reader.check()
    if not isinstance(data, dict):
        message = "the outline is empty" if data is None else "an outline is a mapping of keys (title:, sections:, ...)"
        raise OutlineError([Problem(_shown(outline), 1, 1, "", message)])
    return data, positions, key_positions, tuple(str(file) for file in reader.files)


def _shown(path: Path) -> str:
    """A path as the user should see it: relative to the current directory when inside it."""
    try:
        relative = os.path.relpath(path.resolve())
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


@dataclass
class Reader:
    """Reads files and builds plain data while recording every value's position."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    positions: dict[tuple, Position] = field(default_factory=dict)
    key_positions: dict[tuple, Position] = field(default_factory=dict)
    _rendered: dict[str, templating.Rendered] = field(default_factory=dict)
    _variables: dict[str, Any] = field(default_factory=dict)
    _parsed: dict[Path, tuple[yaml.Node | None, bool]] = field(default_factory=dict)
    """Each included file's root node (None when it cannot be used), and whether it is empty."""
    _sizes: dict[Path, int] = field(default_factory=dict)
    _bytes: int = 0
    _includes: int = 0
    _values: int = 0

    def check(self) -> None:
        if self.problems:
            raise OutlineError(self.problems)

    def stop(self, position: Position, key: tuple, message: str) -> NoReturn:
        """Record a problem that ends reading (a bound is reached) and raise every problem so far."""
        self.problem(position, key, message)
        raise OutlineError(self.problems)

    def problem(self, position: Position | tuple[str, None, None], key: tuple, message: str) -> None:
        self.problems.append(Problem(position[0], position[1], position[2], key_path(key), message))

    # --- files --------------------------------------------------------------------------

    def read_text(self, path: Path) -> str | None:
        """The text of a file as UTF-8 (a BOM is dropped), or None with the problem recorded."""
        shown = _shown(path)
        try:
            if path.is_dir():
                raise IsADirectoryError
            with path.open("rb") as file:  # read no further than the bound: a pipe or stdin has no size
                size = os.fstat(file.fileno()).st_size
                raw = file.read(MAX_FILE_BYTES + 1)
            if len(raw) > MAX_FILE_BYTES:
                line = raw.count(b"\n", 0, MAX_FILE_BYTES) + 1
                start = raw.rfind(b"\n", 0, MAX_FILE_BYTES) + 1
                column = len(raw[start:MAX_FILE_BYTES].decode("utf-8", "ignore")) + 1
                told = f"the file is {size:,} bytes" if size > MAX_FILE_BYTES else f"the input goes on past {MAX_FILE_BYTES:,} bytes"
                self.problem((shown, line, column), (), f"{told}; outlines are at most {MAX_FILE_BYTES:,}, reached here")
                return None
        except FileNotFoundError:
            self.problem((shown, None, None), (), "no such file")
            return None
        except IsADirectoryError:
            self.problem((shown, None, None), (), "is a directory, not an outline file")
            return None
        except OSError as err:
            self.problem((shown, None, None), (), f"cannot be read: {err.strerror}")
            return None
        self.files.append(path.resolve())
        self._sizes[path.resolve()] = len(raw)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            line = raw.count(b"\n", 0, err.start) + 1
            column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
            self.problems.append(Problem(shown, line, column, "", f"not UTF-8 text (byte 0x{raw[err.start]:02x}); save the file as UTF-8"))
            return None
        return text.removeprefix("\ufeff")

    def parse(self, path: Path, text: str, variables: dict[str, Any]) -> yaml.Node | None:
        """Render ``text`` with jinja2 and compose it to YAML nodes; None with problems recorded."""
        shown = _shown(path)
        try:
            rendered = templating.render(text, shown, variables)
        except templating.TemplateProblem as err:
            self.problems.append(err.problem)
            return None
        self._rendered[shown] = rendered
        try:
            return yamltree.compose(rendered.text, shown)
        except yamltree.YamlProblem as err:
            line = rendered.line(err.line) if err.line is not None else None
            key = templating.key_at_line(text.splitlines(), line)
            self.problems.append(Problem(shown, line, (err.column or 0) + 1 if line else None, key, err.message))
            return None

    def load(self, path: Path, text: str | None, variables: dict[str, Any]) -> tuple[Any, dict, dict]:
        """Data, value positions and key positions of the outline at ``path``, includes resolved."""
        self._variables = variables
        node = self.parse(path, text, variables) if text is not None else None
        if node is None:
            return None, {}, {}
        self._bytes = self._sizes.get(path.resolve(), 0)
        data = self.build(node, (), (path.resolve(),))
        return data, self.positions, self.key_positions

    # --- variables ----------------------------------------------------------------------

    def outline_vars(self, text: str, shown: str) -> dict[str, Any]:
        """The outline's own top-level ``vars:`` block, read before the rest is rendered."""
        lines = text.splitlines()
        start = next((i for i, line in enumerate(lines) if re.match(r"vars\s*:", line)), None)
        if start is None:
            return {}
        end = start + 1
        while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t#"):
            end += 1
        block = "\n" * start + "\n".join(lines[start:end])
        if templating.needs_rendering(block):
            self.problem((shown, start + 1, 1), ("vars",), "vars: are read before templating and cannot use {{ }} or {% %}")
            return {}
        data = self._plain_data(block, shown, "vars")
        return self._variables_in(data.get("vars") if isinstance(data, dict) else None, ("vars",))

    def vars_file(self, path: Path) -> dict[str, Any]:
        """Variables from a YAML file of ``name: value`` lines (read as data, not as a template)."""
        text = self.read_text(path)
        if text is None:
            return {}
        return self._variables_in(self._plain_data(text, _shown(path), ""), ())

    def _plain_data(self, text: str, shown: str, key: str) -> Any:
        """``text`` read as YAML data, not as a template (None when empty, or wrong: the problem
        recorded at ``key``)."""
        try:
            node = yamltree.compose(text, shown)
        except yamltree.YamlProblem as err:
            self.problems.append(Problem(shown, (err.line or 0) + 1, (err.column or 0) + 1, key, err.message))
            return None
        self._rendered[shown] = templating.Rendered(text, None)
        return self.build(node, (), ()) if node else None

    def _variables_in(self, data: Any, key: tuple) -> dict[str, Any]:
        where = self.positions.get(key, ("?", None, None))
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.problem(where, key, "expected a mapping of variable names to values")
            return {}
        for name in data:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                self.problem(self.key_positions.get((*key, name), where), (*key, name),
                             "a variable name is letters, digits and _, not starting with a digit")
        return data

    # --- building data --------------------------------------------------------------------

    def position(self, node: yaml.Node) -> Position:
        mark = node.start_mark
        rendered = self._rendered.get(mark.name)
        return (mark.name, rendered.line(mark.line) if rendered else mark.line + 1, mark.column + 1)

    def build(self, node: yaml.Node, key: tuple, stack: tuple[Path, ...]) -> Any:
        """Plain data for ``node`` at ``key``, recording positions and resolving includes."""
        self.positions[key] = self.position(node)
        self.count(self.positions[key], key)
        if len(key) >= yamltree.MAX_DEPTH:  # each file is bounded by the parser; here, through includes
            self.stop(self.positions[key], key[:3], f"nesting is deeper than {yamltree.MAX_DEPTH} levels")  # the key's start
        if isinstance(node, yaml.ScalarNode):
            try:
                return yamltree.scalar_value(node)
            except ValueError as err:
                self.problem(self.positions[key], key, str(err))
                return None
        if isinstance(node, yaml.SequenceNode):
            items: list[Any] = []
            self.splice(node.value, key, stack, items)
            return items
        included = self.include(node, key, stack)
        if included is _FAILED:
            return None
        if included is not None:
            return self.build(included[0], key, included[1])
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            where = self.position(key_node)
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(where, key, "merge keys (<<) are not allowed in outlines")
                continue
            name = yamltree.scalar_value(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(name, str):
                self.problem(where, key, "a key must be text" + (f", not {name!r}" if name is not None else ""))
                continue
            if name in mapping:
                first = self.key_positions[(*key, name)]
                self.problem(where, (*key, name), f"duplicate key {name!r} (first written at line {first[1]})")
                continue
            self.key_positions[(*key, name)] = where
            self.count(where, (*key, name))
            mapping[name] = self.build(value_node, (*key, name), stack)
        return mapping

    def count(self, where: Position, key: tuple) -> None:
        """Count a value (or a key) towards :data:`yamltree.MAX_VALUES`, included files each time."""
        self._values += 1
        if self._values > yamltree.MAX_VALUES:
            self.stop(where, key, f"the outline holds more than {yamltree.MAX_VALUES:,} values "
                                  "(an included file counts each time it is included)")

    def splice(self, nodes: list[yaml.Node], key: tuple, stack: tuple[Path, ...], items: list[Any]) -> None:
        """Append to ``items`` (the list at ``key``) the data of ``nodes``: an included list is
        spliced in, at any depth of inclusion."""
        for node in nodes:
            included = self.include(node, (*key, len(items)), stack)
            if included is _FAILED:
                items.append(None)
            elif included is None:
                items.append(self.build(node, (*key, len(items)), stack))
            elif isinstance(included[0], yaml.SequenceNode):
                self.splice(included[0].value, key, included[1], items)
            else:  # a mapping, or a file that is itself an include: followed
                self.splice([included[0]], key, included[1], items)

    def include(self, node: yaml.Node, key: tuple, stack: tuple[Path, ...]) -> Any:
        """For ``{include: FILE}``, FILE's root node and the new include stack (``_FAILED`` when
        FILE cannot be read, with the problem recorded); None for any other node.

        Each file is read and parsed once; each time it is included counts towards
        :data:`MAX_INCLUDES` and (with its size) :data:`MAX_TOTAL_BYTES`."""
        if not (isinstance(node, yaml.MappingNode) and len(node.value) == 1):
            return None
        key_node, value_node = node.value[0]
        if not (isinstance(key_node, yaml.ScalarNode) and key_node.value == "include"):
            return None
        where = self.position(value_node)
        written = value_node.value if isinstance(value_node, yaml.ScalarNode) else ""
        try:
            target = resolve_inside(str(written), self.root)
        except ValueError as err:
            self.problem(where, (*key, "include"), str(err))
            return _FAILED
        if target in stack:
            chain = " -> ".join(_shown(p) for p in (*stack[stack.index(target):], target))
            self.problem(where, (*key, "include"), f"include cycle: {chain}")
            return _FAILED
        if len(stack) > MAX_INCLUDE_DEPTH:  # the outline, then one file for each level of includes
            self.stop(where, (*key, "include"), f"includes nest more than {MAX_INCLUDE_DEPTH} deep "
                                                f"({_shown(stack[1])} -> ... -> {_shown(stack[-1])} -> {written})")
        self._includes += 1
        if self._includes > MAX_INCLUDES:
            self.stop(where, (*key, "include"), f"the outline has more than {MAX_INCLUDES:,} includes "
                                                "(a file counts each time it is included)")
        if target not in self._parsed:
            if not target.is_file():
                self.problem(where, (*key, "include"), f"included file not found: {written} (paths are relative to the project root, {self.root})")
                return _FAILED
            known = len(self.problems)
            text = self.read_text(target)
            self.spend(self._sizes.get(target, 0), where, key)
            parsed = self.parse(target, text, self._variables) if text is not None else None
            self._parsed[target] = (parsed, len(self.problems) == known)
        else:
            self.spend(self._sizes.get(target, 0), where, key)
        parsed, empty = self._parsed[target]
        if parsed is None:
            if empty:
                self.problem(where, (*key, "include"), f"included file is empty: {written}")
            return _FAILED
        return parsed, (*stack, target)

    def spend(self, size: int, where: Position, key: tuple) -> None:
        """Count ``size`` bytes of included text towards :data:`MAX_TOTAL_BYTES`."""
        self._bytes += size
        if self._bytes > MAX_TOTAL_BYTES:
            self.stop(where, (*key, "include"), f"the outline and the files it includes hold more than "
                                                f"{MAX_TOTAL_BYTES:,} bytes in all (an included file counts each "
                                                "time it is included)")


_FAILED: Any = ("include failed",)
