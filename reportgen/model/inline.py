"""Inline markup: the small subset of Markdown an outline's text may use, parsed into runs.

Supported: ``*emphasis*``, ``**strong**``, ```code```, ``[a link](https://…)``, ``<https://…>``
and backslash escapes (``\\*`` is a literal asterisk). Nothing else is markup: ``<b>``, ``&amp;``
and the like stay literal text, so "AT&T <b>" reads as exactly that in both outputs.

markdown-it-py does the parsing (CommonMark's rules for emphasis are subtle). Every link target
it finds is checked here (:func:`check_link`), not by its own validator, which would leave a
``javascript:`` link as literal text and let ``ftp:``, ``file:`` or a relative target through:
a target that is not an http(s) URL or a mailto: address is an error, with the URL it probably
means when it has no scheme. Runs are returned as dicts so that this module needs nothing from
the model.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pydantic_core import PydanticCustomError

from reportgen.records import check_characters

_SPACE = re.compile(r"[ \t\r\n]+")
_MARKUP = re.compile(r"[*_`\[\]<\\]")
_LINK = re.compile(r"(?i)(https?://[^\s/]+|mailto:[^\s@]+@)\S*$")
"""What a link target may be: an absolute http(s) URL with a host, or a mailto: address."""


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    parser = MarkdownIt("zero").enable(["emphasis", "link", "autolink", "escape", "backticks", "newline"])
    parser.validateLink = lambda url: True  # every target reaches check_link, which says what is wrong
    return parser


def check_link(url: str, link: str | None = None) -> str:
    """A link target must be an absolute http(s) or mailto URL: nothing a reader could run, and
    nothing a PDF viewer would take for a file next to the PDF. ``link`` is the link as written
    in text (``[text](target)``), for the message; without it the target is a field's value."""
    url = url.strip()
    if _LINK.match(url):
        return url
    hint = _meant(url)
    raise PydanticCustomError(
        "url", "{link}expected a URL starting with https:// (or http://, mailto:), got '{url}'{hint}",
        {"link": f"link {link}: " if link else "", "url": url, "hint": f"; did you mean '{hint}'?" if hint else ""})


def _meant(url: str) -> str | None:
    """The URL a target without a (whole) scheme probably means: ``www.example.org`` →
    ``https://www.example.org``, ``ann@example.org`` → ``mailto:ann@example.org``."""
    if re.match(r"\S+$", url) is None:
        return None
    if url.startswith("//"):
        return "https:" + url
    if re.match(r"[^:/@]+@[\w-]+(\.[\w-]+)+$", url):
        return "mailto:" + url
    scheme = re.match(r"(?i)(https?):/*(?=[^/])", url)
    if scheme:  # https:/example.org, http:example.org
        return f"{scheme.group(1).lower()}://{url[scheme.end():]}"
    host = re.match(r"(?i)[a-z0-9-]+(\.[a-z0-9-]+)*\.([a-z]{2,})(:\d+)?([/?#]|$)", url)
    if host and (url.lower().startswith("www.") or host.group(2).lower() not in _FILE_SUFFIXES):
        return "https://" + url
    return None


_FILE_SUFFIXES = {"pdf", "html", "htm", "png", "jpg", "jpeg", "gif", "svg", "docx", "pptx", "xlsx", "csv", "txt",
                  "yaml", "yml", "zip"}
"""What ends a file's name rather than a host's: ``appendix.pdf`` is not ``https://appendix.pdf``."""


def check_plain(text: str) -> str:
    """Normalise white space and refuse characters no output can hold. For text without markup."""
    check_characters(text)  # (the records check every string; here, before "text is empty")
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
    linked: list[str] = []  # the text of the link being read
    for token in _parser().parseInline(text)[0].children or ():
        kind = token.type
        if kind in ("em_open", "strong_open"):
            style["emphasis" if kind == "em_open" else "strong"] += 1
        elif kind in ("em_close", "strong_close"):
            style["emphasis" if kind == "em_close" else "strong"] -= 1
        elif kind == "link_open":
            href, linked = str(token.attrs["href"]), []
        elif kind == "link_close":
            written = f"<{href}>" if token.markup == "autolink" else f"[{''.join(linked)}]({href})"
            check_link(href or "", written)
            href = None
        elif kind in ("text", "code_inline", "softbreak", "hardbreak"):
            content = token.content if kind in ("text", "code_inline") else " "
            run = {"text": content}
            if kind == "code_inline":
                run["code"] = True
            for name, depth in style.items():
                if depth:
                    run[name] = True
            if href is not None:
                run["href"] = href
                linked.append(content)
            _append(runs, run)
    return runs or [{"text": text}]


def _append(runs: list[dict], run: dict) -> None:
    """Add a run, merging it into the previous one when the style is the same."""
    if runs and {k: v for k, v in runs[-1].items() if k != "text"} == {k: v for k, v in run.items() if k != "text"}:
        runs[-1] = runs[-1] | {"text": runs[-1]["text"] + run["text"]}
    else:
        runs.append(run)
