"""Read an outline: its files, rendered with jinja2, parsed as YAML, includes resolved.

Any mapping written as ``{include: path/to/part.yaml}`` is replaced by that file's content (read
the same way, with the same variables); in a list, an included list is spliced in, so a file of
sections can be included among other sections. Include paths, like every path in an outline,
are relative to the project root (see :mod:`reportgen.model.paths`) and may not leave it.

Every value keeps the position it was written at (file, line, column), through includes and
through jinja2, so validation can point the editor at the exact place.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.errors import OutlineError, Problem, key_path
import yaml

from reportgen.read import templating, yamltree
from reportgen.read.loaded import Position
from reportgen.model.paths import resolve_inside

MAX_FILE_BYTES = 8 * 1024 * 1024


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

    def check(self) -> None:
        if self.problems:
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
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                self.problem((shown, None, None), (), f"the file is {size:,} bytes; outlines are at most {MAX_FILE_BYTES:,}")
                return None
            raw = path.read_bytes()
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
        if isinstance(node, yaml.ScalarNode):
            try:
                return yamltree.scalar_value(node)
            except ValueError as err:
                self.problem(self.positions[key], key, str(err))
                return None
        if isinstance(node, yaml.SequenceNode):
            items: list[Any] = []
            for item in node.value:
                included = self.include(item, (*key, len(items)), stack)
                if included is _FAILED:
                    items.append(None)
                elif included is not None and isinstance(included[0], yaml.SequenceNode):
                    for sub in included[0].value:
                        items.append(self.build(sub, (*key, len(items)), included[1]))
                elif included is not None:
                    items.append(self.build(included[0], (*key, len(items)), included[1]))
                else:
                    items.append(self.build(item, (*key, len(items)), stack))
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
            mapping[name] = self.build(value_node, (*key, name), stack)
        return mapping

    def include(self, node: yaml.Node, key: tuple, stack: tuple[Path, ...]) -> Any:
        """For ``{include: FILE}``, FILE's root node and the new include stack (``_FAILED`` when
        FILE cannot be read, with the problem recorded); None for any other node."""
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
        if not target.is_file():
            self.problem(where, (*key, "include"), f"included file not found: {written} (paths are relative to the project root, {self.root})")
            return _FAILED
        known = len(self.problems)
        text = self.read_text(target)
        included = self.parse(target, text, self._variables) if text is not None else None
        if included is None:
            if len(self.problems) == known:
                self.problem(where, (*key, "include"), f"included file is empty: {written}")
            return _FAILED
        return included, (*stack, target)


_FAILED: Any = ("include failed",)
