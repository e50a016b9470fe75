"""What loading an outline gives: :class:`Loaded`, and how a place in it is named.

Apart from the loader (YAML, jinja2), so that a renderer process that is handed a loaded
outline (see :mod:`reportgen.build`) unpickles it without importing the loader's libraries.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from reportgen.errors import Problem

Position = tuple[str, int, int]
"""(file as shown to the user, 1-based line, 1-based column)."""


class Loaded(NamedTuple):
    """What :func:`load_outline` returns: the document and what was read to make it."""

    document: Any  # reportgen.model.Document (imported lazily: see load_outline)
    root: Path
    files: tuple[Path, ...]
    """Every file read: the outline, its includes, the vars file. For build dependencies."""
    warnings: tuple[Problem, ...]
    data: Any = None
    """The outline as plain data, includes resolved: what the document was validated from."""
    positions: dict[tuple, Position] | None = None
    """Where each value of ``data`` was written, by key path."""
    theme: Any = None
    """The :class:`reportgen.theme.Theme` of ``--theme``, else of the outline's ``theme:``, else
    the default theme: what both plans are made in."""
    template: Path | None = None
    """The deck's .pptx template: ``--pptx-template``, else the outline's ``pptx_template:``."""

    def where(self, *key) -> tuple[str, int | None, int | None]:
        """Where the value at key path ``key`` was written (for errors found after loading)."""
        return (self.positions or {}).get(tuple(key)) or (str(self.files[0]) if self.files else "", None, None)

    def texts(self):
        """Every text of the outline with its key path and position, for checks made at build time."""
        def walk(value: Any, key: tuple):
            if isinstance(value, str):
                yield key, (self.positions or {}).get(key), value
            elif isinstance(value, dict):
                for name, item in value.items():
                    yield from walk(item, (*key, name))
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    yield from walk(item, (*key, index))

        yield from walk(self.data, ())

