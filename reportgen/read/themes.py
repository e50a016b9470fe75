"""Read a theme: a built-in name (``policy``, ``lecture``) or a YAML file, following ``extends:``.

A theme file is read like an outline (safe YAML, positions kept), merged over the theme it
extends (mappings key by key, so a theme can change one colour), and validated into a
:class:`reportgen.theme.Theme` with the same precise errors as an outline.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from reportgen.errors import OutlineError, Problem
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


def load_theme(spec: str | None, root: Path, *, where: Position | None = None):
    """The theme ``spec`` names (a built-in name or a path relative to ``root``; the default when None)."""
    from reportgen.read.validate import validated
    from reportgen.theme import Theme

    reader = Reader(root)
    data = _read(reader, spec or DEFAULT, root, (), where)
    reader.check()
    return validated(Theme, data, reader.positions, reader.key_positions, root)


def _read(reader: Reader, spec: str, root: Path, chain: tuple[str, ...], where: Position | None) -> dict:
    if spec in chain:
        raise OutlineError([Problem.at(where or (spec, None, None), "extends",
                                    "themes extend each other in a circle: " + " -> ".join((*chain, spec)))])
    key = "extends" if chain else "theme"  # the outline's theme:, or a theme's extends:
    if spec in BUILT_IN:
        path = Path(str(files("reportgen") / "themes" / f"{spec}.yaml"))
    else:
        try:
            path = resolve_inside(spec, root)
        except ValueError as err:
            raise OutlineError([Problem.at(where or (spec, None, None), key, str(err))]) from None
        if not path.is_file():
            raise OutlineError([Problem.at(where or (spec, None, None), key,
                                        f"no theme {spec!r}: built-in themes are {', '.join(BUILT_IN)}; "
                                        "or give a YAML file relative to the project root")])
    text = reader.read_text(path)
    node = reader.parse(path, text, {}) if text is not None else None
    reader.check()
    if node is None:
        raise OutlineError([Problem(str(path), 1, 1, "", "the theme is empty")])
    data = reader.build(node, (), (path,))
    if not isinstance(data, dict):
        raise OutlineError([Problem.at(reader.positions[()], "", "a theme is a mapping of keys (name:, colours:, ...)")])
    parent = data.get("extends")
    if isinstance(parent, str):
        mine = dict(reader.positions), dict(reader.key_positions)  # this file's places win over its base's
        base = _read(reader, parent, root, (*chain, spec), reader.positions.get(("extends",)))
        reader.positions.update(mine[0])
        reader.key_positions.update(mine[1])
        data = _merge(base, data)
    return data


def _merge(base: Any, override: Any) -> Any:
    """``override`` over ``base``: mappings key by key, anything else replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        return {**base, **{key: _merge(base.get(key), value) for key, value in override.items()}}
    return override
