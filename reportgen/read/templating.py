"""jinja2 over an outline's text, sandboxed, with a map back to the lines the editor wrote.

An outline is rendered as a template before it is read as YAML, so ``{{ author }}`` and
``{% if %}`` work anywhere in it. The environment is jinja2's ``SandboxedEnvironment`` (no
attribute access to internals, so ``''.__class__`` is refused) with ``StrictUndefined`` (a
misspelt variable is an error, not an empty string), no loader (nothing is read from disk through
jinja; outlines split across files use YAML ``include:``), and a bound on the rendered size.

Rendering may add or drop lines; :func:`render` returns, with the text, the source line each
rendered line came from (a line alignment by :mod:`difflib`), so YAML errors found later still
point at the line the editor wrote.
"""

from __future__ import annotations

import difflib
import re
import traceback
from typing import Any, NamedTuple

from reportgen.errors import Problem

MAX_RENDERED_CHARS = 20_000_000
"""A template may not render to more than this (a loop or macro gone wrong)."""

_TEMPLATE_SYNTAX = re.compile(r"\{\{|\{%|\{#")


class Rendered(NamedTuple):
    text: str
    source_line: tuple[int, ...] | None
    """For rendered line i (0-based), the 0-based source line; None when rendering changed nothing."""

    def line(self, rendered_line: int) -> int:
        """The 1-based source line for a 0-based rendered line."""
        if self.source_line is None or not self.source_line:
            return rendered_line + 1
        return self.source_line[min(rendered_line, len(self.source_line) - 1)] + 1


def needs_rendering(text: str) -> bool:
    return bool(_TEMPLATE_SYNTAX.search(text))


class TemplateProblem(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def render(text: str, file: str, variables: dict[str, Any]) -> Rendered:
    """Render ``text`` (the contents of ``file``) with ``variables``; TemplateProblem on error."""
    if not needs_rendering(text):
        return Rendered(text, None)
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment, SecurityError

    env = _bounded_sandbox(SandboxedEnvironment)(undefined=jinja2.StrictUndefined, autoescape=False,
                                                 keep_trailing_newline=True)
    lines = text.splitlines()

    def fail(line: int | None, message: str, name: str | None = None) -> TemplateProblem:
        column = None
        if line is not None and name and 0 < line <= len(lines):
            found = re.search(rf"(?<![\w.]){re.escape(name)}\b", lines[line - 1])
            column = found.start() + 1 if found else None
        key = key_at_line(lines, line) if line else ""
        return TemplateProblem(Problem(file, line, column or (1 if line else None), key, message))

    try:
        template = env.template_class.from_code(env, env.compile(text, filename=file), env.make_globals(None))
    except jinja2.TemplateSyntaxError as err:
        raise fail(err.lineno, f"template syntax: {err.message}") from None

    pieces: list[str] = []
    size = 0
    try:
        for piece in template.generate(**variables):
            size += len(piece)
            if size > MAX_RENDERED_CHARS:
                raise fail(_first_loop_line(lines),
                           f"the template renders to more than {MAX_RENDERED_CHARS:,} characters; is a loop unbounded?")
            pieces.append(piece)
    except jinja2.UndefinedError as err:
        name = _undefined_name(str(err.message))
        message = f"undefined variable {name!r}" if name else f"template: {err.message}"
        suggestion = difflib.get_close_matches(name or "", list(variables), n=1)
        if suggestion:
            message += f" (did you mean {suggestion[0]!r}?)"
        elif name:
            message += " (define it under vars:, in --vars FILE or with --var NAME=VALUE)"
        raise fail(_template_line(err, file), message, name) from None
    except SecurityError as err:
        raise fail(_template_line(err, file), f"refused by the template sandbox: {err}") from None
    except RecursionError as err:
        raise fail(_template_line(err, file), "the template recurses without end (a macro calling itself?)") from None
    except jinja2.TemplateError as err:
        raise fail(_template_line(err, file), f"template: {err}") from None
    except (ArithmeticError, TypeError, ValueError, LookupError) as err:
        raise fail(_template_line(err, file), f"template expression failed: {err}") from None
    rendered = "".join(pieces)
    return Rendered(rendered, _align(lines, rendered.splitlines()))


def _bounded_sandbox(base):
    """jinja2's sandbox, with ``*`` and ``**`` refused when the result would be huge.

    ``{{ 'x' * 10**9 }}`` would otherwise build a gigabyte string in one step, before the bound
    on the rendered size could stop it.
    """
    from jinja2.sandbox import SecurityError

    class BoundedSandbox(base):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(right, int) and abs(right) > 100:
                raise SecurityError(f"the power {right} is too large for a template")
            if operator == "*":
                for sequence, count in ((left, right), (right, left)):
                    if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) \
                            and len(sequence) * count > MAX_RENDERED_CHARS:
                        raise SecurityError(f"repeating text {count:,} times would exceed the template size bound")
            return super().call_binop(context, operator, left, right)

    return BoundedSandbox


def _first_loop_line(lines: list[str]) -> int | None:
    """The first line with a loop or a macro: where a runaway template most likely runs away."""
    for number, line in enumerate(lines, 1):
        if re.search(r"\{%-?\s*(for|macro|call)\b", line):
            return number
    return None


def _undefined_name(message: str) -> str | None:
    match = re.match(r"'([^']+)' is undefined", message)
    return match.group(1) if match else None


def _template_line(err: BaseException, file: str) -> int | None:
    """The template line jinja2 reports for an error raised while rendering ``file``."""
    if isinstance(getattr(err, "lineno", None), int):
        return err.lineno  # type: ignore[attr-defined]
    line = None
    for frame in traceback.extract_tb(err.__traceback__):
        if frame.filename == file:
            line = frame.lineno
    return line


def _align(source: list[str], rendered: list[str]) -> tuple[int, ...]:
    """For each rendered line, the source line it most likely came from (0-based)."""
    mapping: list[int] = []
    matcher = difflib.SequenceMatcher(None, source, rendered, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            mapping.extend(range(i1, i2) if op == "equal" else range(i1, i1 + (j2 - j1)))
        elif op in ("replace", "insert"):
            for k in range(j2 - j1):
                mapping.append(min(i1 + k, max(i2 - 1, i1)) if op == "replace" else max(i1 - 1, 0))
    return tuple(mapping)


_KEY = re.compile(r"^(\s*)(-\s+)?([A-Za-z_][\w-]*)\s*:")


def key_at_line(lines: list[str], line: int | None) -> str:
    """A best-effort key path for a 1-based line of raw (unrendered) YAML, from its indentation."""
    if not line or not lines:
        return ""
    line = min(line, len(lines))
    keys: list[str] = []
    indent = None
    for text in reversed(lines[:line]):
        match = _KEY.match(text)
        if not match:
            continue
        width = len(match.group(1)) + len(match.group(2) or "")
        if indent is None or width < indent:
            keys.append(match.group(3))
            indent = len(match.group(1))
            if indent == 0:
                break
    return ".".join(reversed(keys))
