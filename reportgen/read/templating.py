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

import datetime
import difflib
import os
import re
import traceback
from typing import Any, NamedTuple

from reportgen import __version__, disk_cache
from reportgen.errors import Problem

MAX_RENDERED_CHARS = 20_000_000
"""A template may not render to more than this (a loop or macro gone wrong), nor build a value
(a string, a list, a number's digits) larger than this in one step."""

MAX_TEMPLATE_SECONDS = 5.0
"""A template may render for this long (wall clock) before it is ended: an outline's templating
takes milliseconds (docs/limits.md)."""

_FORMAT_WIDTH = re.compile(r"%[-#0 +]*(\d+)?(?:\.(\d+))?")

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
    """Render ``text`` (the contents of ``file``) with ``variables``; TemplateProblem on error.

    A rendering is a function of the text and the variables (the sandbox has no clock and no
    random), so what a successful one gave is kept on disk (:mod:`reportgen.disk_cache`, the
    latest rendering of each file) and read back when the same text meets the same variables
    again: a rebuild of an unchanged outline needs no jinja2 at all."""
    if not needs_rendering(text):
        return Rendered(text, None)
    name = _cache_name(text, file, variables)
    if name is not None:
        kept = disk_cache.read(name)
        if (isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[0], str)
                and (kept[1] is None or isinstance(kept[1], tuple))):
            return Rendered(*kept)
    rendered = _render(text, file, variables)
    if name is not None:
        disk_cache.write(name, tuple(rendered), replaces=name.rsplit("-", 1)[0] + "-*")
    return rendered


_PLAIN = (str, int, float, bool, type(None), datetime.date, datetime.datetime, datetime.time)


def _plain(value: Any) -> bool:
    """Whether ``value`` is data whose ``repr`` says all of it (what YAML and ``--var`` give)."""
    if type(value) in _PLAIN:
        return True
    if type(value) in (list, tuple):
        return all(_plain(item) for item in value)
    if type(value) is dict:
        return all(_plain(key) and _plain(item) for key, item in value.items())
    return False


def _cache_name(text: str, file: str, variables: dict[str, Any]) -> str | None:
    """The disk cache's name for this rendering: the file, then the digest of everything the
    rendering depends on (the text, the variables in order, this module and the installed
    jinja2, by their files' sizes and times); None where a variable is not plain data."""
    import hashlib
    from importlib.util import find_spec

    if not _plain(variables):
        return None
    spec = find_spec("jinja2")
    if spec is None or spec.origin is None:
        return None
    try:
        code = [(found.st_size, found.st_mtime_ns) for found in map(os.stat, (__file__, spec.origin))]
    except OSError:
        return None
    source = hashlib.sha256(file.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    digest = hashlib.sha256(repr((__version__, code, MAX_RENDERED_CHARS, text, variables)).encode("utf-8", "surrogatepass"))
    return f"jinja-{source}-{digest.hexdigest()}"


def _render(text: str, file: str, variables: dict[str, Any]) -> Rendered:
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    env = _bounded_sandbox(ImmutableSandboxedEnvironment)(undefined=jinja2.StrictUndefined, autoescape=False,
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
        with _deadline(MAX_TEMPLATE_SECONDS):
            for piece in template.generate(**variables):
                size += len(piece)
                if size > MAX_RENDERED_CHARS:
                    raise fail(_first_loop_line(lines),
                               f"the template renders to more than {MAX_RENDERED_CHARS:,} characters; is a loop unbounded?")
                pieces.append(piece)
    except _TooLong:
        raise fail(_first_loop_line(lines), f"the template ran for more than {MAX_TEMPLATE_SECONDS:g} s and was "
                                            "stopped; is a loop unbounded?") from None
    except MemoryError:
        raise fail(_first_loop_line(lines), "the template needs more memory than this machine has; "
                                            "is a value or a loop unbounded?") from None
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


class _TooLong(BaseException):
    """Raised into a template's rendering when its time is up (a BaseException: no ``except
    Exception`` on the way may swallow it)."""


class _deadline:  # noqa: N801 (a context manager, used as ``with _deadline(seconds):``)
    """Ends what runs inside it after ``seconds`` (raising :class:`_TooLong` into it), with a
    real-time interval timer; where no timer can be set (a thread other than the main one, or a
    SIGALRM handler already in place) it bounds nothing, and the size bounds still hold."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.previous: Any = None

    def __enter__(self) -> None:
        import signal
        import threading

        if (threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
                and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)):
            def expire(signum, frame):
                raise _TooLong

            self.previous = signal.signal(signal.SIGALRM, expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            import signal

            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)


def _too_big(value: Any) -> bool:
    """Whether a value a template built is past :data:`MAX_RENDERED_CHARS` (characters, items or digits)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() > MAX_RENDERED_CHARS // 100  # (some 60,000 digits)
    return isinstance(value, (str, list, tuple, dict)) and len(value) > MAX_RENDERED_CHARS


def _bounded_sandbox(base):
    """jinja2's immutable sandbox (no ``list.append``), with every step that could build a huge
    value in one go refused before it runs.

    ``{{ 'x' * 10**9 }}``, ``(10**100)**100...``, ``'%1000000000s' % 'a'``, ``'a'.center(10**9)``,
    ``'a'|center(10**9)`` and a ``namespace()`` doubling a string would each take gigabytes (or
    minutes) in one step, before the bound on the rendered size could stop them.
    """
    from jinja2.sandbox import SecurityError
    from jinja2.utils import Namespace

    def check_arguments(name: str, args: tuple, kwargs: dict) -> None:
        for argument in (*args, *kwargs.values()):
            if isinstance(argument, int) and not isinstance(argument, bool) and abs(argument) > MAX_RENDERED_CHARS:
                raise SecurityError(f"{name}({argument:,}) would build a value past the template size bound")

    class BoundedNamespace(Namespace):
        def __setitem__(self, name: str, value: Any) -> None:
            if _too_big(value):
                raise SecurityError(f"namespace value {name!r} would grow past the template size bound")
            super().__setitem__(name, value)

    class BoundedSandbox(base):
        intercepted_binops = frozenset({"*", "**", "%", "<<"})

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.globals["namespace"] = BoundedNamespace
            del self.globals["lipsum"], self.filters["random"]  # the same outline renders the same text
            for name, function in list(self.filters.items()):
                self.filters[name] = self._bounded_filter(name, function)

        @staticmethod
        def _bounded_filter(name: str, function):
            import functools

            @functools.wraps(function)
            def bounded(*args, **kwargs):
                check_arguments(f"the filter {name}", args[1:], kwargs)
                return function(*args, **kwargs)
            return bounded

        def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (jinja2's signature)
            check_arguments(getattr(__obj, "__name__", "a call"), args, kwargs)
            return super().call(__context, __obj, *args, **kwargs)

        def wrap_str_format(self, value):
            text = getattr(value, "__self__", None)
            if isinstance(text, str) and getattr(value, "__name__", "") in ("format", "format_map"):
                for field in re.findall(r"\{[^{}]*\}", text):
                    if any(int(digits) > MAX_RENDERED_CHARS for digits in re.findall(r"\d+", field)):
                        raise SecurityError("a format width past the template size bound")
            return super().wrap_str_format(value)

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(left, int) and isinstance(right, int):
                bits = abs(left).bit_length() * right
                if abs(right) > 100 or (right > 0 and bits > MAX_RENDERED_CHARS // 100):
                    raise SecurityError(f"a {left.bit_length():,}-bit number to the power {right} is too large for a "
                                        f"template (at most {MAX_RENDERED_CHARS // 100:,} bits)")
            if operator == "<<" and isinstance(right, int) and right > MAX_RENDERED_CHARS // 100:
                raise SecurityError(f"shifting by {right:,} is too large for a template")
            if operator == "*":
                for sequence, count in ((left, right), (right, left)):
                    if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) \
                            and len(sequence) * count > MAX_RENDERED_CHARS:
                        raise SecurityError(f"repeating text {count:,} times would exceed the template size bound")
            if operator == "%" and isinstance(left, str):
                for width, precision in _FORMAT_WIDTH.findall(left):
                    if max(int(width or 0), int(precision or 0)) > MAX_RENDERED_CHARS:
                        raise SecurityError("a format width past the template size bound")
            result = super().call_binop(context, operator, left, right)
            if _too_big(result):
                raise SecurityError("a value past the template size bound")
            return result

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
