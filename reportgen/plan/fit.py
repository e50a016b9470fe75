"""Measured text fit for the deck: how tall a PowerPoint text box's text is, before any drawing.

The deck names its font "Calibri" and measures it with the advance widths of **Carlito**, which is
metric-compatible (``reportgen/data/carlito.json``, written by ``tools/font_metrics.py``). Nothing
here imports reportlab or python-pptx, and no font file is opened at run time.

The model follows ``shared/research/fonts-fit-determinism.md`` §3 (it never under-predicted a
paragraph's line count in the LibreOffice renders measured there) and is deliberately
conservative:

* **Widths** are unkerned advance sums (renderers kern: LibreOffice lines are typically 0.7 %
  narrower), and a line is filled to at most its width / (1 + WIDTH_MARGIN) (1 %), because
  LibreOffice 7.4 rounds glyph positions and font sizes: 2 % of 3,054 rendered lines came out
  wider than the advance sum, by up to 0.72 % (+1.35 pt on a 188 pt line at 8.5 pt).
  NBSP counts as a space; U+00AD (soft hyphen) counts zero and is never a break.
  East Asian Wide/Fullwidth characters count at least 1.0 em (1.3 em from U+1F000 on: emoji), and
  every maximal run of them gets 0.25 em more on each side, paragraph ends included (LibreOffice's
  Asian/Latin autospace measured 0.243 em). Other characters Carlito lacks: U+2010/U+2011 count
  0.4 em; combining marks and format characters 0; symbols (category S*), private-use and
  unassigned code points 1.0 em; anything else 0.8 em. (The research note's 0.6 em for "other"
  was not conservative: DejaVu Sans, LibreOffice's usual fallback, has a median of 0.68 em for
  the letters and 0.84 em for the symbols Carlito lacks.) Control characters other than tab and the
  hard breaks count as the ``_xHHHH_`` text python-pptx escapes them to.
* **Breaks**: a line may break after a run of spaces/tabs (which hang past the right edge, so
  they never cause a wrap), after U+200B, and after a run of ``- ‐ – — /`` when the run follows
  a character that is neither a space nor one of those, and a letter (a word character other
  than a digit or "_") comes next: so not in "-5", "10-20", "2024/25" or "(a-)".
  Never at NBSP, U+202F or U+2011, and never inside a run of CJK characters (conservative).
  ``\\n``, ``\\v`` and U+2028 in a span's text are hard line breaks: the writer must emit them as
  ``<a:br/>`` (python-pptx: ``paragraph.add_line_break()``), not as run text. Tabs advance to the
  next multiple of 72 pt (PowerPoint's default tab stops), counted from the start of the line.
  Lines are filled greedily; a word wider than the whole line starts a new line and is then
  broken between characters.
* **Available width** of a paragraph = box width − left inset − right inset − marL, where marL is
  ``(level + 1) × indent_per_level`` for a bullet (or ``continued``) paragraph and
  ``level × indent_per_level`` otherwise. The bullet glyph is assumed to hang in the indent
  (``indent = −indent_per_level`` on the paragraph), so it takes no width from the text.
* **Height** = top inset + Σ over paragraphs (lines × line_height_factor × size × line_spacing +
  (space_before_em + space_after_em) × size) + bottom inset. line_height_factor is Carlito's
  1.2207 (LibreOffice uses 1.200); the first paragraph's space-before is counted too, though
  renderers drop it. An empty paragraph is one line.
* A box **fits** when its height ≤ box height and no single character is wider than a line.

Checked against LibreOffice 7.4 (python-pptx decks → PDF → pdfplumber): 237 boxes sized by
:func:`best_size` (6–40 pt, lnSpc 0.9–1.1, Latin, and Latin with Japanese/Korean names) and 91
:func:`split` chunks: 0 boxes overflowed (closest: 7.9 pt to spare); 1,465 paragraphs, 95.9–97.4 %
with the exact line count, the rest over-predicted by one line, none under-predicted.

All widths are kept in font units (they scale linearly with the size): each paragraph is
tokenised and measured once (an LRU cache keyed by the frozen :class:`Para`), and each size only
reruns the greedy line fill against ``available width × units_per_em / size`` (one bisection per
line over the tokens' cumulative widths, unless the paragraph has hard breaks or tabs).

Public API (lengths in points)::

    Span(text, bold=False, italic=False)
    Para(spans: tuple[Span, ...], level=0, bullet=False, continued=False)
    BoxSpec(width, height, inset_left=7.2, inset_right=7.2, inset_top=3.6, inset_bottom=3.6,
            line_spacing=1.0, space_before_em=0.0, space_after_em=0.0, indent_per_level=0.0)
    metrics(font="carlito") -> Metrics    # cached; .width(text, size, bold=, italic=) -> points,
                                          # .units(text, bold=, italic=) -> font units,
                                          # .line_height_factor, .units_per_em, .family
    margin_left(para, box) -> float       # marL in points
    wrap(para, size, avail_width) -> list[str]
    height(paras, size, box) -> float
    fits(paras, size, box) -> bool
    best_size(paras, box, max_size, min_size, step=0.5) -> float | None
    split(paras, box, size) -> list[list[Para]]

Writing the deck so it matches the model: explicit ``sz`` on every run, ``<a:noAutofit/>``,
``wrap="square"``, the insets, and on every paragraph explicit ``marL``/``indent``,
``lnSpc`` = ``spcPct(line_spacing × 100 000)``, ``spcBef``/``spcAft`` =
``spcPts(floor(em × size × 100))`` (rounded down, so the rendered gap never exceeds the measured
one). A paragraph with ``continued=True`` is the rest of a bullet paragraph that :func:`split`
cut at a line break: keep its marL but draw no bullet (``buNone``).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import math
import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

from reportgen import FOLDER

__all__ = [
    "BoxSpec", "Metrics", "Para", "Span",
    "best_size", "fits", "height", "margin_left", "metrics", "split", "wrap",
]

STYLES = ("regular", "bold", "italic", "bolditalic")
"""Style names in the data file, indexed by ``bold + 2 * italic``."""

TAB_STOP_PT = 72.0
"""PowerPoint's default tab stop interval (914 400 EMU)."""

WIDTH_MARGIN = 0.01
"""Lines are filled to at most ``available width / (1 + WIDTH_MARGIN)``: LibreOffice 7.4 rounds
glyph positions (and font sizes, to 1/100 mm), which made some lines up to 0.72 % wider than
their advance sum (see the module docstring)."""

# Fallback widths, in em, for characters Carlito lacks (see the module docstring).
WIDE_EM = 1.0
EMOJI_EM = 1.3
AUTOSPACE_EM = 0.25
MISSING_HYPHEN_EM = 0.4
MISSING_SYMBOL_EM = 1.0
MISSING_OTHER_EM = 0.8

WORD_CHARS = 24
"""A word this long or shorter is never broken between letters when a smaller size avoids it
(:func:`best_size`); longer runs without a break (URLs, identifiers) break where they must."""

_SPACES = " \t"
_HARD = "\n\v\u2028"
_ZWSP = "\u200b"
_AFTER_SPACE = _SPACES + _HARD + _ZWSP  # hang at the end of a line, never start a break run
_DASHES = "-\u2010\u2013\u2014/"
_NBSP = "\u00a0"
_SHY = "\u00ad"
_WIDE_FROM = "\u1100"  # no East Asian Wide/Fullwidth character comes before this

_NORMAL, _FORCED, _TAB = 0, 1, 2  # token flags


# --------------------------------------------------------------------------------------------
# Model


class Span(NamedTuple):
    """A run of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None
    """A link target: carried through for the writer, irrelevant to measuring."""
    code: bool = False
    """Set in the box's code font (:attr:`BoxSpec.code_font`), when it has one."""
    slide: int | None = None
    """A slide of the deck the text links to (its index, from 0): the agenda's entries. Carried
    through for the writer, irrelevant to measuring."""


class Para(NamedTuple):
    """One paragraph of a text box.

    ``level`` and ``bullet`` set the indent (:func:`margin_left`). ``continued`` marks the rest
    of a bullet paragraph that :func:`split` cut at a line start: it is measured with the
    bullet's indent, and should be drawn with that indent but no bullet glyph.
    """

    spans: tuple[Span, ...]
    level: int = 0
    bullet: bool = False
    continued: bool = False

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


class BoxSpec(NamedTuple):
    """A text box. Lengths are in points; ``space_before_em``/``space_after_em`` are multiples of
    the font size (so they scale with it), added for every paragraph, the first included."""

    width: float
    height: float
    inset_left: float = 7.2
    inset_right: float = 7.2
    inset_top: float = 3.6
    inset_bottom: float = 3.6
    line_spacing: float = 1.0
    space_before_em: float = 0.0
    space_after_em: float = 0.0
    indent_per_level: float = 0.0
    font: str = "carlito"
    """Whose metrics measure the text: a built-in set (``reportgen/data/NAME.json``) or
    TrueType files (:func:`reportgen.font_metrics.ttf_key`)."""
    code_font: str | None = None
    """Whose metrics measure spans marked ``code`` (None: :attr:`font`'s)."""

    @property
    def text_width(self) -> float:
        """Width between the insets."""
        return self.width - self.inset_left - self.inset_right


# --------------------------------------------------------------------------------------------
# Metrics


def _style(bold: bool, italic: bool) -> int:
    return (1 if bold else 0) + (2 if italic else 0)


class Metrics:
    """Carlito's advance widths, per style, in font units."""

    def __init__(self, data: dict) -> None:
        self.family: str = data["family"]
        self.units_per_em: int = data["units_per_em"]
        self.line_height_factor: float = data["line_height_factor"]
        upm = self.units_per_em
        self._autospace = round(AUTOSPACE_EM * upm)
        self._wide: dict[str, bool] = {}
        # One dict per style, keyed by the one-character string: lookups need no ord().
        self._tables: list[dict[str, int]] = []
        for name in STYLES:
            table: dict[str, int] = {}
            for first, widths in data["styles"][name]["widths"]:
                for offset, advance in enumerate(widths):
                    table[chr(first + offset)] = advance
            space = table[" "]
            table[_NBSP] = space
            table[_SHY] = 0
            table["\t"] = 0  # advanced to the next tab stop while filling lines
            for ch in _HARD:
                table[ch] = 0
            self._tables.append(table)

    # -- characters

    def _is_wide(self, ch: str) -> bool:
        wide = self._wide.get(ch)
        if wide is None:
            wide = self._wide[ch] = unicodedata.east_asian_width(ch) in ("W", "F")
        return wide

    def _missing(self, ch: str, style: int) -> int:
        """Width of a character the font lacks; remembered in the style's table."""
        upm = self.units_per_em
        cp = ord(ch)
        category = unicodedata.category(ch)
        if cp < 0x20 or cp == 0x7F:
            # python-pptx writes other control characters as the text "_xHHHH_".
            table = self._tables[style]
            units = sum(table.get(c) or self._missing(c, style) for c in f"_x{cp:04X}_")
        elif self._is_wide(ch):
            units = math.ceil((EMOJI_EM if cp >= 0x1F000 else WIDE_EM) * upm)
        elif ch in "\u2010\u2011":
            units = math.ceil(MISSING_HYPHEN_EM * upm)
        elif category[0] == "M" or category == "Cf":
            units = 0
        elif category[0] == "S" or category in ("Co", "Cn"):
            units = math.ceil(MISSING_SYMBOL_EM * upm)
        else:
            units = math.ceil(MISSING_OTHER_EM * upm)
        self._tables[style][ch] = units
        return units

    def _char_units(self, text: str, style: int) -> list[int]:
        """Per-character widths in font units, before :meth:`_wide_runs`."""
        found = list(map(self._tables[style].get, text))
        if None in found:
            return [w if w is not None else self._missing(ch, style) for ch, w in zip(text, found)]
        return found  # type: ignore[return-value]  # (no None in it)

    def _wide_runs(self, text: str, units: list[int]) -> None:
        """Give every Wide/Fullwidth character at least WIDE_EM, and every maximal run of them
        AUTOSPACE_EM more at each end (in place)."""
        em, extra = self.units_per_em, self._autospace
        for match in _HIGH.finditer(text):
            run_end = -1  # end of the Wide run being extended
            for i in range(match.start(), match.end()):
                if not self._is_wide(text[i]):
                    continue
                if units[i] < em:
                    units[i] = em
                if i != run_end:  # a new run: close the previous one, open this one
                    if run_end > 0:
                        units[run_end - 1] += extra
                    units[i] += extra
                run_end = i + 1
            if run_end > 0:
                units[run_end - 1] += extra

    def units(self, text: str, bold: bool = False, italic: bool = False) -> int:
        """Width of ``text`` on one line in font units (tabs and hard breaks count zero)."""
        units = self._char_units(text, _style(bold, italic))
        self._wide_runs(text, units)
        return sum(units)

    def width(self, text: str, size: float, bold: bool = False, italic: bool = False) -> float:
        """Width of ``text`` set on one line at ``size`` points, in points.

        Everything the line filler counts is counted (NBSP, fallbacks, CJK autospace), except
        that tabs and hard line breaks count zero here.
        """
        return self.units(text, bold, italic) * size / self.units_per_em

    def __repr__(self) -> str:
        return f"<Metrics {self.family} upm={self.units_per_em} lhf={self.line_height_factor}>"


@functools.cache
def metrics(font: str = "carlito") -> Metrics:
    """A font's metrics, made once a process: a built-in set from ``reportgen/data/FONT.json``,
    or TrueType files named by :func:`reportgen.font_metrics.ttf_key` (read with fontTools)."""
    if font.startswith("ttf:"):
        from reportgen.font_metrics import data, ttf_paths

        return Metrics(data(ttf_paths(font)))
    source = FOLDER / "data" / f"{font}.json"
    return Metrics(json.loads(source.read_text(encoding="ascii")))


# --------------------------------------------------------------------------------------------
# One paragraph, measured once in font units


class _Prepared(NamedTuple):
    """A paragraph tokenised and measured in font units (size-independent).

    Token ``t`` is ``text[starts[t]:ends[t]]``; ``text[starts[t]:ink_ends[t]]`` must fit on the
    line, ``text[ink_ends[t]:ends[t]]`` are spaces (or a hard break) that may hang past the right
    edge. A line may start at any token start.
    """

    text: str
    prefix: list[int]  # prefix[i] = width of text[:i]
    starts: list[int]
    ink_ends: list[int]
    ends: list[int]
    ink_pos: list[int]  # prefix[ink_ends[t]]
    flags: list[int] | None  # _NORMAL/_FORCED/_TAB per token; None when all are _NORMAL
    widest_char: int  # the widest character (a line narrower than this overflows)
    widest_word: int  # the widest word of at most WORD_CHARS characters (a narrower line breaks it)
    one_line: int  # the paragraph's width set as one line, hanging spaces excluded


_NOT_HANG = f"[^{re.escape(_AFTER_SPACE)}]"
_BREAK = re.compile(
    f"[{re.escape(_HARD)}]"  # a hard break
    # a run of spaces, unless a hard break follows (which ends the line anyway)
    f"|[{re.escape(_SPACES + _ZWSP)}]+(?={_NOT_HANG})"
    # a run of dashes/slashes after a character that is neither space nor dash, before a letter
    f"|(?<=[^{re.escape(_AFTER_SPACE + _DASHES)}])[{re.escape(_DASHES)}]+(?=[^\\W\\d_])"
)
_HIGH = re.compile("[^\x00-\u10ff]+")
r"""Runs of characters from U+1100 up, where Wide/Fullwidth ones may be. (Written as the complement
of the few below: ``re`` builds a class one character at a time, so ``[\u1100-\U0010ffff]`` is
slow to compile in every process that plans or renders a deck: docs/performance.md.)"""


def _break_positions(text: str) -> list[int]:
    """Offsets 0 < i < len(text) where a line may (or, after a hard break, must) start."""
    out = [m.end() for m in _BREAK.finditer(text)]
    if out and out[-1] == len(text):
        out.pop()
    return out


def _span_units(m: Metrics, span: Span, code_font: str | None) -> list[int]:
    """A span's character widths in ``m``'s font units; a code span measured with the code font's
    metrics, converted to ``m``'s units (rounded up)."""
    if span.code and code_font is not None:
        code = metrics(code_font)
        if code is not m:
            ratio = m.units_per_em / code.units_per_em
            return [math.ceil(u * ratio) for u in code._char_units(span.text, _style(span.bold, span.italic))]
    return m._char_units(span.text, _style(span.bold, span.italic))


@functools.lru_cache(maxsize=32768)
def _prepare(para: Para, font: str = "carlito", code_font: str | None = None) -> _Prepared:
    m = metrics(font)
    text = "".join(span.text for span in para.spans)
    if len(para.spans) == 1:
        units = _span_units(m, para.spans[0], code_font)
    else:
        units = []
        for span in para.spans:
            units.extend(_span_units(m, span, code_font))
    if text and max(text) >= _WIDE_FROM:
        m._wide_runs(text, units)
    prefix = list(itertools.accumulate(units, initial=0))
    if not text:
        return _Prepared(text, prefix, [0], [0], [0], [0], None, 0, 0, 0)

    ends = _break_positions(text)
    starts = [0, *ends]
    ends.append(len(text))
    hang = _AFTER_SPACE
    ink_ends = [e if text[e - 1] not in hang else s + len(text[s:e].rstrip(hang))
                for s, e in zip(starts, ends)]
    ink_pos = [prefix[i] for i in ink_ends]
    flags = None
    if "\t" in text or any(ch in text for ch in _HARD):
        flags = [_FORCED if text[e - 1] in _HARD else _TAB if "\t" in text[i:e] else _NORMAL
                 for i, e in zip(ink_ends, ends)]
    widest_word = max((ink - prefix[start] for start, end, ink in zip(starts, ink_ends, ink_pos)
                       if end - start <= WORD_CHARS), default=0)
    return _Prepared(text, prefix, starts, ink_ends, ends, ink_pos, flags, max(units), widest_word,
                     ink_pos[-1])


def _line_starts(prep: _Prepared, avail: float, tab: float) -> list[int]:
    """Greedy fill: the text offsets where lines start (the first is 0).

    ``avail`` and ``tab`` (the tab stop interval) are in font units at the size being measured.
    """
    if prep.flags is None:
        if prep.one_line <= avail:
            return [0]
        return _line_starts_simple(prep, avail)
    return _line_starts_general(prep, avail, tab)


def _line_starts_simple(prep: _Prepared, avail: float) -> list[int]:
    """:func:`_line_starts` without hard breaks or tabs: each line is one bisection over the
    tokens' ink ends (hanging spaces sit between tokens, so a line's width up to token t's ink
    end is ``ink_pos[t] − prefix[line start]``)."""
    prefix, starts, ink_ends, ink_pos = prep.prefix, prep.starts, prep.ink_ends, prep.ink_pos
    count = len(starts)
    out = [0]
    t, line = 0, 0  # the first token on the line, and the line's start offset
    while True:
        base = prefix[line]
        last = bisect.bisect_right(ink_pos, base + avail, t) - 1  # the last token that fits
        if last >= t:
            t = last + 1
            if t == count:
                return out
            line = starts[t]
        else:  # token t does not fit from `line`: break it between characters
            end = ink_ends[t]
            cut = max(line + 1, bisect.bisect_right(prefix, base + avail, line + 1, end) - 1)
            if cut >= end:  # its last character alone is wider than the line
                t += 1
                if t == count:
                    return out
                cut = starts[t]
            line = cut
        out.append(line)


def _line_starts_general(prep: _Prepared, avail: float, tab: float) -> list[int]:
    """:func:`_line_starts`, token by token (hard breaks end a line, tabs go to stops)."""
    prefix, text, flags = prep.prefix, prep.text, prep.flags or []
    out = [0]
    width = 0.0  # of the current line, hanging spaces included
    empty = True
    for t, (start, ink_end, end) in enumerate(zip(prep.starts, prep.ink_ends, prep.ends)):
        ink = prefix[ink_end] - prefix[start]
        if not empty and width + ink > avail:
            out.append(start)
            width, empty = 0, True
        if ink > avail:  # wider than a whole line: break it between characters
            first = start
            for k in range(start, ink_end):
                w = prefix[k + 1] - prefix[k]
                if k > first and width + w > avail:
                    out.append(k)
                    first, width = k, 0
                width += w
        else:
            width += ink
        flag = flags[t] if flags else _NORMAL
        if flag == _TAB:
            for k in range(ink_end, end):
                if text[k] == "\t":
                    width = (math.floor(width / tab + 1e-9) + 1) * tab
                else:
                    width += prefix[k + 1] - prefix[k]
        else:
            width += prefix[end] - prefix[ink_end]
        empty = False
        if flag == _FORCED:
            out.append(end)
            width, empty = 0, True
    return out


def _avail_units(avail_width: float, size: float, font: str) -> float:
    """A line ``avail_width`` points wide, in font units at ``size``, less the width margin."""
    return avail_width * metrics(font).units_per_em / (size * (1 + WIDTH_MARGIN))


def _tab_units(size: float, font: str) -> float:
    return TAB_STOP_PT * metrics(font).units_per_em / size


def margin_left(para: Para, box: BoxSpec) -> float:
    """The paragraph's marL in points: the bullet's indent included."""
    steps = para.level + 1 if (para.bullet or para.continued) else para.level
    return steps * box.indent_per_level


def _check_size(size: float) -> None:
    if not size > 0:
        raise ValueError(f"font size must be positive, got {size!r}")


def wrap(para: Para, size: float, avail_width: float, font: str = "carlito") -> list[str]:
    """The lines of ``para`` at ``size`` points in a line ``avail_width`` points wide.

    A line holds at most ``avail_width / (1 + WIDTH_MARGIN)`` points of text, as in
    :func:`height`. Each line is shown without its hanging spaces/hard break and without soft
    hyphens.
    """
    _check_size(size)
    prep = _prepare(para, font)
    starts = _line_starts(prep, _avail_units(avail_width, size, font), _tab_units(size, font))
    ends = [*starts[1:], len(prep.text)]
    return [prep.text[a:b].rstrip(_AFTER_SPACE).replace(_SHY, "") for a, b in zip(starts, ends)]


class _Layout:
    """The per-size constants of one measurement."""

    __slots__ = ("scale", "avail_scale", "tab", "pitch", "gap", "text_width", "box")

    def __init__(self, size: float, box: BoxSpec) -> None:
        _check_size(size)
        m = metrics(box.font)
        self.scale = m.units_per_em / size  # points → font units at this size
        self.avail_scale = self.scale / (1 + WIDTH_MARGIN)
        self.tab = TAB_STOP_PT * self.scale
        line_height = m.line_height_factor
        if box.code_font is not None:  # a line holding code is as tall as the taller font's
            line_height = max(line_height, metrics(box.code_font).line_height_factor)
        self.pitch = line_height * size * box.line_spacing
        self.gap = (box.space_before_em + box.space_after_em) * size
        self.text_width = box.text_width
        self.box = box

    def avail(self, para: Para) -> float:
        """The paragraph's line width in font units."""
        return (self.text_width - margin_left(para, self.box)) * self.avail_scale

    def lines(self, para: Para) -> list[int]:
        return _line_starts(_prepare(para, self.box.font, self.box.code_font), self.avail(para), self.tab)

    def para(self, para: Para) -> tuple[float, bool]:
        """(the paragraph's height in points, whether a character is wider than its line)."""
        prep = _prepare(para, self.box.font, self.box.code_font)
        avail = self.avail(para)
        n = len(_line_starts(prep, avail, self.tab))
        return n * self.pitch + self.gap, prep.widest_char > avail

    def empty(self) -> float:
        return self.box.inset_top + self.box.inset_bottom


def _measure(paras: Sequence[Para], size: float, box: BoxSpec) -> tuple[float, bool]:
    """(height in points, whether some character is wider than its line)."""
    layout = _Layout(size, box)
    total = layout.empty()
    too_wide = False
    for para in paras:
        h, wide = layout.para(para)
        total += h
        too_wide = too_wide or wide
    return total, too_wide


def height(paras: Sequence[Para], size: float, box: BoxSpec) -> float:
    """The height in points the paragraphs need at ``size``, insets included."""
    return _measure(paras, size, box)[0]


_EPSILON = 1e-9


def fits(paras: Sequence[Para], size: float, box: BoxSpec) -> bool:
    """Whether the paragraphs fit the box at ``size``: height ≤ box height, no character
    wider than its line."""
    total, too_wide = _measure(paras, size, box)
    return not too_wide and total <= box.height + _EPSILON


def _breaks_a_word(paras: Sequence[Para], size: float, box: BoxSpec) -> bool:
    """Whether a word of at most :data:`WORD_CHARS` characters is wider than its line at ``size``
    (LibreOffice and PowerPoint then break it between letters: "parliament / ary")."""
    layout = _Layout(size, box)
    return any(_prepare(para, box.font, box.code_font).widest_word > layout.avail(para) for para in paras)


def best_size(paras: Sequence[Para], box: BoxSpec, max_size: float, min_size: float,
              step: float = 0.5, *, keep_words: bool = True) -> float | None:
    """The largest size ``k × step`` (k an integer) in [min_size, max_size] at which the
    paragraphs fit (with ``keep_words``, also without breaking a word of at most
    :data:`WORD_CHARS` characters), found by bisection; None if the smallest such size does
    not (or there is none in the range). The size returned has always been checked."""
    if not step > 0:
        raise ValueError(f"step must be positive, got {step!r}")
    if min_size > max_size:
        raise ValueError(f"min_size {min_size} is above max_size {max_size}")
    low = max(1, math.ceil(min_size / step - 1e-9))  # sizes are positive
    high = math.floor(max_size / step + 1e-9)
    if low > high:
        return None

    def size(k: int) -> float:
        return round(k * step, 9)

    def good(k: int) -> bool:  # fits, and breaks no ordinary word between letters
        return fits(paras, size(k), box) and not (keep_words and _breaks_a_word(paras, size(k), box))

    if not good(low):
        return None
    if good(high):
        return size(high)
    # Invariant: size(low) fits, size(high) does not.
    while high - low > 1:
        mid = (low + high) // 2
        if good(mid):
            low = mid
        else:
            high = mid
    return size(low)


def _cut(para: Para, offset: int) -> tuple[Para, Para]:
    """Split ``para`` at a line start into a head and a ``continued`` tail.

    A hard line break just before the cut is dropped: the paragraph break replaces it.
    """
    text = para.text
    drop = 1 if offset > 0 and text[offset - 1] in _HARD else 0
    head: list[Span] = []
    tail: list[Span] = []
    position = 0
    for span in para.spans:
        end = position + len(span.text)
        lo, hi = offset - drop - position, offset - position  # the cut, within this span
        if lo > 0 and span.text:
            head.append(span._replace(text=span.text[:lo]))
        if hi < len(span.text):
            tail.append(span._replace(text=span.text[max(hi, 0):]))
        position = end
    return (para._replace(spans=tuple(head)),
            para._replace(spans=tuple(tail), continued=para.continued or para.bullet))


def split(paras: Sequence[Para], box: BoxSpec, size: float) -> list[list[Para]]:
    """Break the paragraphs into consecutive chunks (one per slide) that each fit at ``size``.

    Chunks break between paragraphs. A paragraph too tall for the box on its own is cut at line
    starts: the head takes as many lines as fit in an empty box and becomes a chunk; the rest
    (same level and bullet, and ``continued=True`` when it is a bullet paragraph) goes on like
    the next paragraph, and wraps as the same lines did in the whole paragraph. The cut keeps
    the head's hanging spaces, so joining the chunks' texts gives back the input's text, except
    that a hard line break (``\\n``, ``\\v``, U+2028) right at a cut is dropped.
    A chunk fails to fit only when it holds a single paragraph that cannot fit: one line too
    tall for the box, or a character wider than a line (such a paragraph is not cut).
    An empty input gives ``[]``.
    """
    layout = _Layout(size, box)
    room = box.height - layout.empty() - layout.gap  # for one paragraph's lines
    max_lines = max(1, math.floor(room / layout.pitch + 1e-9)) if layout.pitch > 0 else 1
    limit = box.height + _EPSILON

    chunks: list[list[Para]] = []
    current: list[Para] = []
    used = layout.empty()
    queue = list(reversed(paras))  # pop() from the end gives the next paragraph
    while queue:
        para = queue.pop()
        h, too_wide = layout.para(para)
        if not too_wide and used + h <= limit:
            current.append(para)
            used += h
            continue
        if current:
            chunks.append(current)
            current, used = [], layout.empty()
            if not too_wide and used + h <= limit:
                current.append(para)
                used += h
                continue
        starts = layout.lines(para)
        if too_wide or len(starts) <= 1:
            chunks.append([para])  # cutting would not make it fit
            continue
        lines = min(max_lines, len(starts) - 1)
        head, tail = _cut(para, starts[lines])
        while lines > 1 and not fits([head], size, box):
            lines -= 1
            head, tail = _cut(para, starts[lines])
        chunks.append([head])
        if tail.spans:
            queue.append(tail)
    if current:
        chunks.append(current)
    return chunks
