"""Paths an outline names: relative to the project root, and never outside it.

The project root is the directory holding ``assets/`` and ``outlines/``: the nearest ancestor
of the outline that has an ``assets/`` folder, else the outline's own folder (``--root`` sets it).
Symlinks are resolved before the check, so a link that leaves the project is refused too.
"""

from __future__ import annotations

import re
from pathlib import Path

_NOT_IN_A_NAME = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
"""What a path an outline or a theme writes may not hold: control characters (tab and line
breaks included), U+FFFE, U+FFFF and lone surrogates. A path is shown in messages and, for a
missing image in a draft, in the outputs."""


def find_root(outline: Path) -> Path:
    """The project root for an outline file (see the module docstring)."""
    start = outline.resolve().parent
    for folder in (start, *start.parents):
        if (folder / "assets").is_dir():
            return folder
    return start


def resolve_inside(written: str, root: Path) -> Path:
    """``written`` resolved against ``root``; ValueError with the reason when it would leave it."""
    if not written.strip():
        raise ValueError("the path is empty")
    bad = _NOT_IN_A_NAME.search(written)
    if bad:
        raise ValueError(f"the path holds the character U+{ord(bad.group()):04X}, which a file name here may not hold; "
                         "rename the file")
    candidate = Path(written)
    if candidate.is_absolute():
        raise ValueError(f"absolute path {written!r}: write it relative to the project root {root}")
    resolved = (root / candidate).resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise ValueError(f"path {written!r} leads outside the project root {root}")
    return resolved


def resolve_asset(written: str, root: Path | None) -> Path:
    """The model's validator for an image path (a pydantic error when it leaves the project)."""
    from pydantic_core import PydanticCustomError  # (imported by the model, not by the reader)

    if root is None:  # a document built in code, not from an outline: paths as given
        return Path(written)
    try:
        return resolve_inside(written, root)
    except ValueError as err:
        raise PydanticCustomError("path", str(err)) from None


def project_file(written: str, root: Path | None, suffixes: tuple[str, ...], expected: str,
                 missing: str = "no such file") -> Path:
    """The model's validator for a file the project must hold (a logo, a template, a font): inside
    the project, with one of ``suffixes`` (else "expected ``expected``"), and there (else
    ``missing``), checked when there is a project root."""
    from pydantic_core import PydanticCustomError

    path = resolve_asset(written, root)
    if path.suffix.lower() not in suffixes:
        raise PydanticCustomError("path", "expected {expected}, got '{v}'", {"expected": expected, "v": written})
    if root is not None and not path.is_file():
        raise PydanticCustomError("path", "{missing}: '{v}'", {"missing": missing, "v": written})
    return path
