"""Load an outline: read it (:mod:`reportgen.read.reader`), validate it into the model
(:mod:`reportgen.read.validate`), and find its theme and .pptx template.

Reading (jinja2 and YAML) and importing the model (pydantic-core) share nothing, and each takes
tens of milliseconds cold, so a command may have them done at once, on two cores: see
``meanwhile`` of :func:`load_outline`.
"""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path
from typing import Any, Callable

from reportgen.errors import ReportgenError
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
    meanwhile: Callable[[], None] | None = None,
) -> Loaded:
    """Read, render, parse and validate an outline. Raises OutlineError listing every problem.

    ``variables`` (``--var``) override ``vars_file`` (``--vars``), which overrides the outline's
    own ``vars:``. ``root`` is the project root; by default it is found from the outline's path.
    ``theme`` (``--theme``: a built-in name or a theme file) overrides the outline's ``theme:``;
    ``pptx_template`` (``--pptx-template``: a path as given on the command line) its template.
    ``meanwhile`` is run while the outline is read, which then happens in a forked process
    (see :func:`_beside`): the command imports the model then.
    """
    from reportgen.read.reader import read_outline

    outline = Path(path)
    project = Path(root).resolve() if root else find_root(outline)
    read = lambda: read_outline(outline, project, variables, vars_file)  # noqa: E731
    data, positions, key_positions, files = _beside(read, meanwhile) if meanwhile else read()

    from reportgen.read.validate import to_document  # pydantic-core and the model, only once parsing worked

    document, warnings = to_document(data, positions, key_positions, project)
    from reportgen.read.themes import default_theme, load_theme

    if theme or document.theme:
        chosen = load_theme(theme or document.theme, project, where=None if theme else positions.get(("theme",)))
    else:
        chosen = default_theme()
    template = document.pptx_template.file if document.pptx_template else chosen.pptx_template
    if pptx_template is not None:
        template = Path(pptx_template)
        if not template.is_file():
            raise ReportgenError(f"--pptx-template {pptx_template}: no such file")
    return Loaded(document, project, tuple(map(Path, files)), tuple(warnings), data, positions, chosen, template)


def _beside(read: Callable[[], Any], meanwhile: Callable[[], None]) -> Any:
    """``read()``, done in a forked process while this one runs ``meanwhile()``.

    The result comes back through a pipe, marshalled (pickled when the outline holds what marshal
    cannot: a YAML date). Where there is no ``os.fork``, or this process has threads (a fork
    would copy their locks, held), the two run in turn here; and so does ``read()`` when it
    failed in the forked process: here it raises the same error, in the same words.
    """
    threading = sys.modules.get("threading")
    if not hasattr(os, "fork") or (threading is not None and threading.active_count() > 1):
        meanwhile()
        return read()
    receive, send = os.pipe()
    pid = os.fork()
    if pid == 0:  # the reader: whatever happens, it ends here
        code = 1
        try:
            os.close(receive)
            result = read()
            try:
                payload = b"m" + marshal.dumps(result)
            except ValueError:
                import pickle

                payload = b"p" + pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(send, "wb") as pipe:
                pipe.write(payload)
            code = 0
        finally:
            os._exit(code)
    os.close(send)
    try:
        meanwhile()
    finally:
        with os.fdopen(receive, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(pid, 0)
    if status != 0 or not payload:
        return read()
    if payload[:1] == b"m":
        return marshal.loads(payload[1:])
    import pickle

    return pickle.loads(payload[1:])
