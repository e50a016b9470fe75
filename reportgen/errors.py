"""The errors reportgen reports to a user, and their exit codes.

A user's mistake is a :class:`ReportgenError`: the CLI prints its message (one line per problem)
and exits with its ``exit_code``, never with a traceback. Anything else is a bug in reportgen.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

EXIT_USAGE = 2
"""Bad input: an outline, a vars file, an option. The one code for every user mistake."""


EXIT_INTERNAL = 70
"""A bug in reportgen (EX_SOFTWARE): reported in one line; REPORTGEN_DEBUG=1 shows the traceback."""


def key_path(key: tuple) -> str:
    """``("sections", 2, "body")`` → ``"sections[2].body"``; a key that is not printable text
    in quotes, as Python writes it: ``vars['a\\x07']``."""
    out = ""
    for part in key:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and not part.isprintable():
            out += f"[{part!r}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
"""What a message never holds as it is: control characters, the line and paragraph separators
(U+2028, U+2029: a line break to an editor, and to ``str.splitlines``), lone surrogates."""


def _visible(text: str) -> str:
    """``text`` with every control character, line separator and lone surrogate written as its escape
    (``\\n``, ``\\x07``, ``\\ud800``): a problem is one line, and nothing it echoes reaches the
    terminal as a control sequence."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


class Problem(NamedTuple):
    """One thing wrong (or, with ``warning``, worth saying) about an input, with where it is.

    ``line`` and ``column`` count from 1 and point into the file the editor wrote.
    ``key`` is the key path, e.g. ``sections[2].body[0].quote.text``.
    """

    file: Path | str
    line: int | None
    column: int | None
    key: str
    message: str
    warning: bool = False

    @classmethod
    def at(cls, where: tuple[Path | str, int | None, int | None], key: str, message: str) -> Problem:
        """The problem at ``where``, a (file, line, column) as a position or ``Loaded.where`` gives it."""
        file, line, column = where
        return cls(file, line, column, key, message)

    def __str__(self) -> str:
        where = _visible(str(self.file))
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        key = f" {_visible(self.key)}:" if self.key else ""
        return f"{where}:{key} {'warning: ' if self.warning else ''}{_visible(self.message)}"  # one problem, one line


class ReportgenError(Exception):
    """A user's mistake, reported in one line per problem, exit code 2."""

    exit_code = EXIT_USAGE


class OutlineError(ReportgenError):
    """An outline (or a file it includes) is wrong; ``problems`` lists every error found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
