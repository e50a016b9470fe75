"""Read a theme: a built-in name (``policy``, ``lecture``) or a YAML file, following ``extends:``.

A theme file is read like an outline (safe YAML, positions kept), merged over the theme it
extends (mappings key by key, so a theme can change one colour), and validated into a
:class:`reportgen.theme.Theme` with the same precise errors as an outline. A brand.yml file
(:mod:`reportgen.read.brand`) is read as an overlay of the theme it names (``policy`` by default),
its errors and warnings placed at its own keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from reportgen import FOLDER
from reportgen.errors import OutlineError, Problem, key_path
from reportgen.read.brand import brand_overlay, is_brand
from reportgen.read.loaded import Position
from reportgen.read.reader import Reader
from reportgen.model.paths import resolve_inside


BUILT_IN = ("policy", "lecture")
DEFAULT = "policy"


@cache
def default_theme():
    """The built-in default theme, read once per process. It names no project file, so the root
    it is read with is moot."""
    return load_theme(None, Path.cwd())


@dataclass
class Notes:
    """What reading a theme found besides the theme: the warnings of a brand file, and where in
    it each theme key it set was written."""

    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """A brand file's errors, reported with the theme's own (every one in one run)."""
    brand: dict[tuple, tuple[Position, str]] = field(default_factory=dict)
    """Theme key path → (where in the brand file, its brand key path), for the keys a brand file set."""
    files: list[Path] = field(default_factory=list)
    """The project's theme files read (the theme, what it extends, a brand file): a build's
    inputs, which ``reportgen watch`` watches."""

    def located(self, theme_key: tuple, message: str) -> Problem | None:
        """A warning about theme key ``theme_key``, at the brand key it came from (None: not a brand's)."""
        if theme_key not in self.brand:
            return None
        where, brand_key = self.brand[theme_key]
        return Problem.at(where, brand_key, message)._replace(warning=True)


def load_theme(spec: str | None, root: Path, *, where: Position | None = None):
    """The theme ``spec`` names (a built-in name or a path relative to ``root``; the default when None)."""
    return load_theme_noted(spec, root, where=where)[0]


def load_theme_noted(spec: str | None, root: Path, *, where: Position | None = None):
    """:func:`load_theme`, and its :class:`Notes`."""
    from reportgen.read.validate import validated
    from reportgen.theme import Theme

    reader = Reader(root)
    notes = Notes()
    data = _read(reader, spec or DEFAULT, root, (), where, notes)
    reader.check()
    try:
        theme = validated(Theme, data, reader.positions, reader.key_positions, root)
    except OutlineError as err:
        if not notes.brand:
            raise
        named = {key_path(key): brand_key for key, (_, brand_key) in notes.brand.items()}
        found = notes.problems + [p._replace(key=named.get(p.key, p.key)) for p in err.problems]
        raise OutlineError(sorted(set(found), key=lambda p: (str(p.file), p.line or 0, p.column or 0))) from None
    if notes.problems:
        raise OutlineError(notes.problems)
    return theme, notes


def _read(reader: Reader, spec: str, root: Path, chain: tuple[str, ...], where: Position | None, notes: Notes) -> dict:
    if spec in chain:
        raise OutlineError([Problem.at(where or (spec, None, None), "extends",
                                    "themes extend each other in a circle: " + " -> ".join((*chain, spec)))])
    key = "extends" if chain else "theme"  # the outline's theme:, or a theme's extends:
    if spec in BUILT_IN:
        path = FOLDER / "themes" / f"{spec}.yaml"
    else:
        try:
            path = resolve_inside(spec, root)
        except ValueError as err:
            raise OutlineError([Problem.at(where or (spec, None, None), key, str(err))]) from None
        if not path.is_file():
            raise OutlineError([Problem.at(where or (spec, None, None), key,
                                        f"no theme {spec!r}: built-in themes are {', '.join(BUILT_IN)}; "
                                        "or give a YAML file relative to the project root")])
    if spec not in BUILT_IN:
        notes.files.append(path)
    text = reader.read_text(path)
    node = reader.parse(path, text, {}) if text is not None else None
    reader.check()
    if node is None:
        raise OutlineError([Problem(str(path), 1, 1, "", "the theme is empty")])
    data = reader.build(node, (), (path,))
    if not isinstance(data, dict):
        raise OutlineError([Problem.at(reader.positions[()], "", "a theme is a mapping of keys (name:, colours:, ...)")])
    if spec not in BUILT_IN and is_brand(path, data):
        overlay = brand_overlay(data, dict(reader.positions), dict(reader.key_positions), path, root)
        notes.problems += overlay.problems  # with the theme's own errors, once it is validated
        base = _read(reader, overlay.base, root, (*chain, spec), overlay.base_where, notes)
        reader.positions.update(overlay.positions)  # the brand's places win over its base's
        reader.key_positions.update(overlay.key_positions)
        notes.warnings += overlay.warnings
        notes.brand.update({key: (overlay.positions[key], brand_key) for key, brand_key in overlay.keys.items()
                            if key in overlay.positions})
        return _merge(base, overlay.data)
    parent = data.get("extends")
    if isinstance(parent, str):
        mine = dict(reader.positions), dict(reader.key_positions)  # this file's places win over its base's
        base = _read(reader, parent, root, (*chain, spec), reader.positions.get(("extends",)), notes)
        reader.positions.update(mine[0])
        reader.key_positions.update(mine[1])
        data = _merge(base, data)
    return data


def _merge(base: Any, override: Any) -> Any:
    """``override`` over ``base``: mappings key by key, anything else replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        return {**base, **{key: _merge(base.get(key), value) for key, value in override.items()}}
    return override
