"""Load an outline: read it (:mod:`reportgen.read.reader`), validate it into the model
(:mod:`reportgen.read.validate`), and find its theme and .pptx template."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from reportgen.errors import Problem, ReportgenError
from reportgen.read.loaded import Loaded
from reportgen.model.paths import find_root


def load_outline(
    path: str | os.PathLike[str],
    *,
    variables: dict[str, Any] | None = None,
    vars_file: str | os.PathLike[str] | None = None,
    root: str | os.PathLike[str] | None = None,
    theme: str | None = None,
    pptx_template: str | os.PathLike[str] | None = None,
    draft: bool = False,
) -> Loaded:
    """Read, render, parse and validate an outline. Raises OutlineError listing every problem.

    ``variables`` (``--var``) override ``vars_file`` (``--vars``), which overrides the outline's
    own ``vars:``. ``root`` is the project root; by default it is found from the outline's path.
    ``theme`` (``--theme``: a built-in name or a theme file) overrides the outline's ``theme:``;
    ``pptx_template`` (``--pptx-template``: a path as given on the command line) its template.
    ``draft`` (``--draft``): a figure whose image is missing is a warning, drawn as a placeholder
    box, rather than an error.
    """
    from reportgen.read.reader import read_outline

    outline = Path(path)
    project = Path(root).resolve() if root else find_root(outline)
    data, positions, key_positions, files = read_outline(outline, project, variables, vars_file)

    from reportgen.read.validate import to_document  # pydantic-core and the model, only once parsing worked

    document, warnings = to_document(data, positions, key_positions, project, draft=draft)
    from reportgen.read.themes import default_theme, load_theme_noted
    from reportgen.theme import contrast_warnings

    if theme or document.theme:
        chosen, notes = load_theme_noted(theme or document.theme, project, where=None if theme else positions.get(("theme",)))
        where = (str(theme), None, None) if theme else positions.get(("theme",), (str(path), None, None))
        warnings = [*warnings, *notes.warnings]
        files = (*files, *map(str, notes.files))
        for text in contrast_warnings(chosen.colours):  # placed at the brand's colour (else background), when a brand set it
            placed = (notes.located(("colours", name), text) for name in re.findall(r"colours\.(\w+) \(", text)[:2])
            warnings.append(next((p for p in placed if p), None) or Problem.at(where, "theme", text)._replace(warning=True))
    else:
        chosen = default_theme()
    template = document.pptx_template.file if document.pptx_template else chosen.pptx_template
    if pptx_template is not None:
        template = Path(pptx_template)
        if not template.is_file():
            raise ReportgenError(f"--pptx-template {pptx_template}: no such file")
    return Loaded(document, project, tuple(map(Path, files)), tuple(warnings), data, positions, chosen, template)

