"""The brief's hyphenation: where reportlab may break a word at the end of a line, and what the
break leaves in the text layer.

reportlab takes a callable as a style's ``hyphenationLang``: a word → its (head, tail) pairs.
:func:`hyphenator` gives pyphen's pairs, but none for capitalised words (names: "Japan",
"Seoul") or words that already hold a hyphen ("multi-domain": reportlab may still break after
its own hyphen, which stays a hyphen).

reportlab draws the hyphen it adds at a break as "-". :func:`soft_hyphens` draws it as U+00AD
instead: the face's glyph for it is the hyphen's (in every face the brief uses; where it is not,
the "-" stays), and it is U+00AD in the text layer (its own code in the font's ToUnicode map).
So a reader sees a hyphen, and text extraction, search and a screen reader get the word whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

SOFT_HYPHEN = "\xad"
HYPHENS = "-\u2010\u2011"
"""Hyphen-minus, hyphen, non-breaking hyphen: a word holding one is not hyphenated again."""


def dictionary(language: str | None) -> str | None:
    """pyphen's dictionary for a language tag (``en-GB`` → ``en_GB``, ``de-AT`` → ``de``,
    ``en-NZ`` → ``en_US``), or None (no hyphenation) when there is none."""
    if not language:
        return None
    try:
        import pyphen
    except ImportError:
        return None
    wanted = language.replace("-", "_")
    for candidate in (wanted, wanted.split("_")[0], "en_US" if wanted.startswith("en") else ""):
        if candidate in pyphen.LANGUAGES:
            return pyphen.LANGUAGES[candidate] and candidate
    return None


def hyphenator(language: str, least: int = 2) -> Callable[[str], Iterator[tuple[str, str]]]:
    """The (head, tail) pairs reportlab may break ``word`` into, longest head first, for a
    pyphen dictionary ``language``, leaving at least ``least`` letters on either side."""
    import pyphen

    iterate = pyphen.Pyphen(lang=language, left=least, right=least).iterate

    def pairs(word: str) -> Iterator[tuple[str, str]]:
        if not word or not word[0].islower() or any(h in word for h in HYPHENS):
            return
        for head, tail in iterate(word):
            yield head, tail

    return pairs


@contextmanager
def soft_hyphens(paragraph) -> Iterator[None]:
    """While ``paragraph`` (a wrapped reportlab paragraph) draws, each hyphen that reportlab
    added at a line break is drawn as U+00AD: the same glyph and width in the brief's faces (it
    is left alone where a face draws them differently), a soft hyphen in the text layer. A
    hyphen that is in the text ("multi-domain" broken after "multi-") stays one: the lines are
    read against the paragraph's own text."""
    para: Any = getattr(paragraph, "blPara", None)
    lines = getattr(para, "lines", None)
    if not lines or len(lines) < 2:
        yield
        return
    changed = _softened(paragraph, para, lines)
    if changed is None:
        yield
        return
    para.lines = changed
    try:
        yield
    finally:
        para.lines = lines


def _softened(paragraph, para, lines: list) -> list | None:
    source = _SPACE.sub("", _source(paragraph).replace(SOFT_HYPHEN, ""))
    kind = getattr(para, "kind", 0)
    position, out, changed = 0, list(lines), False
    for number, line in enumerate(lines):
        words = line[1] if kind == 0 else [w for w in line.words if getattr(w, "text", "")]
        text = _SPACE.sub("", "".join(words) if kind == 0 else "".join(w.text for w in words))
        if not text:
            continue
        breaks_here = number == len(lines) - 1 and getattr(paragraph, "_ends_in_break", False) and text.endswith("-")
        if source[position:position + len(text)] == text and not breaks_here:
            position += len(text)
            continue
        added = text.endswith("-") and (number < len(lines) - 1 or breaks_here) \
            and source[position:position + len(text) - 1] == text[:-1]
        if not added:
            return out if changed else None  # the lines do not follow the text: leave the rest
        position += len(text) - 1
        if kind == 0:
            font = para.fontName
            if not _same_glyph(font):
                continue
            out[number] = (line[0], [*line[1][:-1], line[1][-1][:-1] + SOFT_HYPHEN], *line[2:])
        else:
            last = words[-1]
            if not _same_glyph(last.fontName):
                continue
            index = max(i for i, w in enumerate(line.words) if w is last)
            new_words = list(line.words)
            new_words[index] = last.clone(text=last.text[:-1] + SOFT_HYPHEN)
            out[number] = line.clone(words=new_words)
        changed = True
    return out if changed else None


_SPACE = re.compile(r"\s+")


def _source(paragraph) -> str:
    """A paragraph's text, from its fragments: as parsed (each with its text), or as a split
    paragraph's half holds them (words: a width, then (fragment, text) pairs; or a plain
    paragraph's words)."""
    parts: list[str] = []
    for fragment in getattr(paragraph, "frags", None) or []:
        if isinstance(fragment, list):
            parts += [text for _, text in fragment[1:]]
            continue
        text = getattr(fragment, "text", None)
        parts.append(text if isinstance(text, str) else " ".join(getattr(fragment, "words", None) or []))
    return " ".join(parts)


@lru_cache(maxsize=64)
def _same_glyph(font_name: str) -> bool:
    """Whether the face draws U+00AD as it draws a hyphen, at the same width."""
    from reportlab.pdfbase import pdfmetrics

    font = pdfmetrics.getFont(font_name)
    face = getattr(font, "face", None)
    glyphs = getattr(face, "charToGlyph", None)
    if not glyphs or 0xAD not in glyphs or 0x2D not in glyphs:
        return False
    return pdfmetrics.stringWidth(SOFT_HYPHEN, font_name, 10) == pdfmetrics.stringWidth("-", font_name, 10)


def mark_split(whole, head) -> None:
    """Note on ``head``, the first half of ``whole`` split across pages, that its last line ends
    in a hyphen reportlab added at the break (the whole's text has none there), so that
    :func:`soft_hyphens` softens it too."""
    whole_text = _SPACE.sub("", _source(whole).replace(SOFT_HYPHEN, ""))
    head_text = _SPACE.sub("", _source(head).replace(SOFT_HYPHEN, ""))
    if head_text.endswith("-") and not whole_text.startswith(head_text) and whole_text.startswith(head_text[:-1]):
        head._ends_in_break = True
