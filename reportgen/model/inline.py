"""Inline markup: the small subset of Markdown an outline's text may use, parsed into runs.

Supported: ``*emphasis*``, ``**strong**``, ```code```, ``[a link](https://…)``, ``<https://…>``
and backslash escapes (``\\*`` is a literal asterisk). Nothing else is markup: ``<b>``, ``&amp;``
and the like stay literal text, so "AT&T <b>" reads as exactly that in both outputs.

markdown-it-py does the parsing (CommonMark's rules for emphasis are subtle; its link validator
refuses ``javascript:`` and similar targets). Runs are returned as dicts so that this module
needs nothing from the model.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pydantic_core import PydanticCustomError

_SPACE = re.compile(r"[ \t\r\n]+")
# XML 1.0 cannot hold C0 controls other than tab/newline/CR, nor U+FFFE/U+FFFF or lone surrogates;
# python-pptx could not write them and a PDF would show them as boxes: the outline must not have them.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_MARKUP = re.compile(r"[*_`\[\]<\\]")


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("zero").enable(["emphasis", "link", "autolink", "escape", "backticks", "newline"])


def check_plain(text: str) -> str:
    """Normalise white space and refuse characters no output can hold. For text without markup."""
    bad = _FORBIDDEN.search(text)
    if bad:
        raise PydanticCustomError(
            "control_character",
            f"text holds the control character U+{ord(bad.group()):04X}, which neither output can store; remove it",
        )
    text = _SPACE.sub(" ", text).strip()
    if not text:
        raise PydanticCustomError("empty_text", "text is empty")
    return unicodedata.normalize("NFC", text)


def parse_inline(text: str) -> list[dict]:
    """Parse one string of inline markup into runs: ``[{"text": …, "strong": True}, …]``."""
    text = check_plain(text)
    if not _MARKUP.search(text):
        return [{"text": text}]
    runs: list[dict] = []
    style = {"emphasis": 0, "strong": 0}
    href: str | None = None
    for token in _parser().parseInline(text)[0].children or ():
        kind = token.type
        if kind in ("em_open", "strong_open"):
            style["emphasis" if kind == "em_open" else "strong"] += 1
        elif kind in ("em_close", "strong_close"):
            style["emphasis" if kind == "em_close" else "strong"] -= 1
        elif kind == "link_open":
            href = str(token.attrs["href"])
        elif kind == "link_close":
            href = None
        elif kind in ("text", "code_inline", "softbreak", "hardbreak"):
            content = token.content if kind in ("text", "code_inline") else " "
            run = {"text": content}
            if kind == "code_inline":
                run["code"] = True
            for name, depth in style.items():
                if depth:
                    run[name] = True
            if href:
                run["href"] = href
            _append(runs, run)
    return runs or [{"text": text}]


def _append(runs: list[dict], run: dict) -> None:
    """Add a run, merging it into the previous one when the style is the same."""
    if runs and {k: v for k, v in runs[-1].items() if k != "text"} == {k: v for k, v in run.items() if k != "text"}:
        runs[-1] = runs[-1] | {"text": runs[-1]["text"] + run["text"]}
    else:
        runs.append(run)
