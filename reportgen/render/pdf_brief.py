"""BriefPlan → PDF bytes, with reportlab's platypus.

The cover is one flowable drawn on a full-page frame; the body pages have a running header
(short title, publisher) and a footer (licence mark, "Page X of Y"). The brief is laid out and
drawn in one pass (two when its end matter goes credits first: :class:`_EndMatter`): what is only
known at its end (the page count, and the page of each contents entry) is drawn as a form, a PDF
XObject placed where it shows and filled in once the last page is done. Every section gets a bookmark and a contents entry that links to it.
All text passes through :meth:`reportgen.render.fonts.FontSet.markup`, which escapes it and
picks a fallback face for characters the text face lacks.

Output is byte-identical for identical input: reportlab's invariant mode, no clock, no random.
"""

from __future__ import annotations

import copy
import io
from ast import literal_eval
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple, assert_never

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus.doctemplate import NullActionFlowable
from reportlab.platypus.paragraph import Paragraph as PlatypusParagraph
from reportlab.platypus.tables import Table
from reportlab.platypus.tableofcontents import TableOfContents

from reportgen.images import Prepared, image_size, prepared
from reportgen.plan import blocks
from reportgen.plan.blocks import BriefBlock
from reportgen.plan.brief import BriefPlan, Heading, SectionPlan
from reportgen.plan.shared import Spans
from reportgen.render import pdf_tags as tags
from reportgen.render.pdf_tree import DrawnPdf
from reportgen.render.fonts import SANS, FontSet, fonts
from reportgen.render.hyphens import dictionary, hyphenator, mark_split, soft_hyphens
from reportgen._compat import reportlab as reportlab_patches
from reportgen._compat.reportlab import justified_to
from reportgen._compat.pyphen import preload as preload_hyphenation

if TYPE_CHECKING:
    from reportgen.render.pdf_finish import RenderedPdf

rl_config.invariant = 1
rl_config.useA85 = 0  # binary streams, as PDF writers make them: ASCII85 made every stream a quarter larger


def render_brief(plan: BriefPlan) -> RenderedPdf:
    """The brief as PDF bytes: drawn, then finished (:mod:`reportgen.render.pdf_finish`)."""
    from reportgen.render.pdf_finish import finish_brief  # (pikepdf: a worker that only draws never imports it)

    return finish_brief(draw_brief(plan))


def draw_brief(plan: BriefPlan) -> DrawnPdf:
    """The brief drawn, with its marked content and the structure tree made while drawing, the
    tree not yet written into the file: laid out and drawn in one pass, or in two when the end
    matter's two sections go in the other order (:class:`_EndMatter`), for the contents to list
    them so."""
    reportlab_patches.apply()  # (a build applies them sooner: reportgen._compat.start)
    reportlab_patches.new_brief()
    preload_hyphenation(dictionary(plan.hyphenation))
    styles = _Styles(plan, fonts())
    try:
        return _draw(plan, styles, credits_first=None)
    except _CreditsFirst:  # (the first pass stops where that is decided)
        return _draw(plan, styles, credits_first=True)


class _CreditsFirst(Exception):
    """Raised by the end matter in a first pass, when it goes credits first (:class:`_EndMatter`)."""


def _draw(plan: BriefPlan, styles: _Styles, credits_first: bool | None) -> DrawnPdf:
    """The brief. ``credits_first``: None, "About the author" first unless that leaves a page's
    foot emptier than the plan allows and the other order does not (then :class:`_CreditsFirst`
    is raised); True, the credits first, as decided."""
    buffer = io.BytesIO()
    doc = _BriefDoc(buffer, plan, styles)
    tagger = tags.Tagger()
    tagger.destinations = {entry.key: f"Go to {entry.text}" for entry in plan.contents}

    def canvas(*args, **kwargs) -> _FormsLastCanvas:
        made = _FormsLastCanvas(*args, **kwargs)
        made.doc, made.tagger = doc, tagger
        return made

    doc.build(_story(plan, styles, doc, bool(credits_first), credits_first is None), canvasmaker=canvas)
    return DrawnPdf(buffer.getvalue(), doc.page_count, tagger, plan.metadata)


# --- styles and text ---------------------------------------------------------------------


class _Styles:
    """Paragraph styles and the text → markup conversion, for one brief."""

    def __init__(self, plan: BriefPlan, font_set: FontSet):
        look = plan.look
        self.fonts = font_set
        self.korean = plan.korean
        self.dpi = plan.image_dpi
        self.frame_height = plan.page_size[1] - plan.margins.top - plan.margins.bottom
        """The body frame's height: what a flowable taller than this must split to be printed at all."""
        # the plan's faces and colours: nothing about the look is decided here
        self.serif, self.sans = font_set.face(look.body_face), font_set.face(look.heading_face)
        """The body face and the heading face (also labels, captions, tables, running heads)."""
        self.mono = font_set.face(look.mono_face)
        """The face of inline code."""
        colour = self.palette = {name: colors.HexColor(value) for name, value in look.colours}
        self.primary, self.accent, self.ink, self.muted = colour["primary"], colour["accent"], colour["text"], colour["muted"]
        self.tint, self.rule, self.link_colour = colour["tint"], colour["rule"], colour["link"]
        self.on_primary, self.on_primary_muted = colour["on_primary"], colour["on_primary_muted"]
        self.label_colour = colors.HexColor(look.label_colour)
        self.bullet_colour = colors.HexColor(look.bullet_colour)
        self.leading = look.leading
        self.page_room = plan.page_size[1] - plan.margins.top - plan.margins.bottom
        """The height of a body page's text area."""
        body_size, heading_size = look.body_size, look.heading_size
        k = self.scale = look.scale
        language = dictionary(plan.hyphenation)
        hyphen = ({"hyphenationLang": hyphenator(language, plan.hyphen_min), "embeddedHyphenation": 1}
                  if language else {})
        self.shortest_last_line = plan.shortest_last_line
        self.figure_least, self.most_empty = plan.figure_least, plan.most_empty
        base = dict(fontName=self.serif, fontSize=body_size, leading=self.leading, textColor=self.ink,
                    allowWidows=0, allowOrphans=0)
        self.body = ParagraphStyle("body", **base, alignment=TA_JUSTIFY, spaceAfter=self.leading / 2, **hyphen)
        self.body_plain = ParagraphStyle("body-plain", parent=self.body, hyphenationLang="", embeddedHyphenation=0,
                                         uriWasteReduce=0)
        self.bullet = ParagraphStyle("bullet", parent=self.body, alignment=TA_LEFT, spaceAfter=self.leading / 4)
        self.h1 = ParagraphStyle("h1", fontName=f"{self.sans}-Bold", fontSize=heading_size,
                                 leading=heading_size * 21 / 17, textColor=self.primary,
                                 spaceBefore=self.leading * 1.5, spaceAfter=self.leading * 0.6, keepWithNext=1)
        self.h2 = ParagraphStyle("h2", parent=self.h1, fontSize=heading_size * 12.5 / 17,
                                 leading=heading_size * 16 / 17, spaceBefore=self.leading,
                                 spaceAfter=self.leading / 3)
        self.label = ParagraphStyle("label", fontName=self.sans, fontSize=8.5 * k, leading=11 * k, textColor=self.label_colour,
                                    spaceAfter=4, keepWithNext=1)
        self.box = ParagraphStyle("box", fontName=self.sans, fontSize=10 * k, leading=14 * k, textColor=self.ink, spaceAfter=5)
        self.box_bullet = ParagraphStyle("box-bullet", parent=self.box, spaceAfter=3)
        self.small = ParagraphStyle("small", fontName=self.sans, fontSize=8.5 * k, leading=11.5 * k, textColor=self.muted)
        self.caption = ParagraphStyle("caption", parent=self.small, textColor=self.ink, spaceBefore=5)
        self.cell = ParagraphStyle("cell", fontName=self.sans, fontSize=blocks.CELL_SIZE * k, leading=12 * k, textColor=self.ink)
        self.cell_head = ParagraphStyle("cell-head", parent=self.cell, textColor=self.on_primary)
        self.quote = ParagraphStyle("quote", parent=self.body, fontName=f"{self.serif}-Italic", leftIndent=10,
                                    rightIndent=18, alignment=TA_LEFT, textColor=self.primary, spaceAfter=2)
        self.pull = ParagraphStyle("pull", fontName=self.serif, fontSize=16 * k, leading=21 * k, textColor=self.primary,
                                   alignment=TA_LEFT, leftIndent=14)
        self.attribution = ParagraphStyle("attribution", parent=self.small, leftIndent=14, spaceBefore=4)
        self.toc = [
            ParagraphStyle("toc0", fontName=self.sans, fontSize=11 * k, leading=19 * k, textColor=self.ink, leftIndent=0),
        ]

    def text(self, text: Spans | str, base: str | None = None) -> str:
        """Spans (or plain text) as paragraph markup: escaped, styled, linked, with fallback faces."""
        base = base or self.serif
        if isinstance(text, str):
            return self.fonts.markup(text, base, korean=self.korean)
        out = []
        for run in text:
            face = self.mono if run.code else base
            piece = self.fonts.markup(run.text, face, bold=run.bold, italic=run.italic, korean=self.korean)
            if face != base:
                piece = f'<font face="{face}">{piece}</font>'
            if run.href:
                piece = f'<a href="{_attr(run.href)}" color="{self.link_colour.hexval()}">{piece}</a>'
            out.append(piece)
        return "".join(out)

    def para(self, text: Spans | str, style: ParagraphStyle, base: str | None = None) -> Paragraph:
        markup = self.text(text, base or style.fontName.split("-")[0])
        if style is self.body:
            return _GuardedParagraph(markup, style, self.body_plain, self.shortest_last_line)
        return _GuardedParagraph(markup, style)


@lru_cache(maxsize=4)
def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


class Paragraph(PlatypusParagraph):
    """reportlab's paragraph, breaking its lines once per width.

    Platypus wraps a paragraph several times at the same width (to fit it, to split it, inside
    tables and lists), and line breaking (with hyphenation) is most of the brief's rendering
    time. ``Paragraph.wrap`` depends on the width only, and sets ``width``, ``_wrapWidths``,
    ``blPara`` and ``height``: those are kept per width and restored. Every paragraph of the
    brief is one of these.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # split() makes the halves as self.__class__(None, style, …)
        self._wrapped: dict[float, tuple] = {}

    def wrap(self, width: float, height: float):
        wrapped = self._wrapped.get(width)
        if wrapped is not None:
            self.width, self._wrapWidths, self.blPara, self.height = wrapped
            return self.width, self.height
        result = self._wrap(width, height)
        if width >= rl_config._FUZZ:  # below it, Paragraph.wrap returns at once and sets nothing
            self._wrapped[width] = (self.width, self._wrapWidths, self.blPara, self.height)
        return result

    def _wrap(self, width: float, height: float):
        return super().wrap(width, height)

    def split(self, available_width: float, available_height: float):
        parts = super().split(available_width, available_height)
        if len(parts) == 2:  # a line-break hyphen at the foot of the page is a soft hyphen too
            mark_split(self, parts[0])
        return parts

    def draw(self) -> None:
        with soft_hyphens(self):  # a hyphen added at a line break is a soft one in the text layer
            super().draw()


class _GuardedParagraph(Paragraph):
    """A paragraph that falls back to an unhyphenated style when a line would overflow.

    With hyphenation on, reportlab can leave a long URL wider than the column; without it,
    the URL is split inside the column (``splitLongWords``).
    """

    def __init__(self, markup: str | None, style: ParagraphStyle, fallback: ParagraphStyle | None = None,
                 shortest: float = 0.0, **kwargs):
        # reportlab's split() makes the two halves with ``self.__class__(None, style, bulletText=…,
        # frags=…)``: they come from lines already broken (and already checked), so no fallback.
        super().__init__(markup, style, **kwargs)
        self._markup, self._fallback, self._shortest = markup, fallback, shortest

    def _wrap(self, width: float, height: float):
        result = PlatypusParagraph.wrap(self, width, height)
        if self._fallback is not None and _overflows(self):
            self.__init__(self._markup, self._fallback, None, self._shortest)  # type: ignore[misc]
            result = PlatypusParagraph.wrap(self, width, height)
        if self._markup is not None and self._short_last_line(width):
            return self._lengthen_last_line(width, height, result)
        return result

    def _lengthen_last_line(self, width: float, height: float, result):
        """A last line shorter than the plan allows is re-broken: spaces a little tighter (the
        fragment goes up to the line before), no hyphen (the last word comes down whole), or the
        last lines broken a little narrower (:data:`NARROWER`) and justified to the full measure,
        so that words come down to the last line. Of the breaks that give a long enough last line
        in no more lines, the one whose widest word space is the narrowest; else the paragraph as
        it was, or the break whose last line is longer (a whole word, not a fragment)."""
        style, fallback, shortest = self.style, self._fallback, self._shortest
        lines = len(self.blPara.lines)
        widest = max(_widest_space(self.blPara, self.style), (WIDEST_SPACE - 1) * stringWidth(" ", style.fontName, style.fontSize))
        attempts = [style, ParagraphStyle(style.name + "-tight", parent=style, spaceShrinkage=0.1)]
        if fallback is not None:
            attempts.append(fallback)
        best: _Break | None = None
        longer, longest = style, self._last_line_width(width)
        for attempt in attempts:
            if attempt is not style:  # (with ``style``, the paragraph is as wrap() just left it)
                self.__init__(self._markup, attempt, None, shortest)  # type: ignore[misc]
                PlatypusParagraph.wrap(self, width, height)
            if _overflows(self) or len(self.blPara.lines) > lines:
                continue
            if attempt is not style and not self._short_last_line(width):
                candidate = _Break(_widest_space(self.blPara, self.style), attempt, None)
                best = min(best, candidate, key=_spacing) if best else candidate
            elif attempt is not style and self._last_line_width(width) > longest:
                longer, longest = attempt, self._last_line_width(width)
            if attempt.spaceShrinkage != style.spaceShrinkage or self.style.wordWrap or not self._short_last_line(width):
                continue  # (tighter spaces bring words up, not down; CJK text is not re-broken narrower)
            count = len(self.blPara.lines)
            for narrowed in range(1, min(count - 1, NARROWER_LINES) + 1):
                for fraction in NARROWER:  # the least narrowing that works: it widens the spaces least
                    narrower = [width] * (count - 1 - narrowed) + [width * (1 - fraction)] * narrowed + [width]
                    broken = justified_to(self.breakLines(narrower), narrower, width)
                    if broken is None or len(broken.lines) != count or _overflows_lines(broken):
                        continue
                    if _line_width(broken.lines[-1], width) < width * shortest:
                        continue
                    candidate = _Break(_widest_space(broken, self.style), attempt, narrower)
                    if candidate.widest_space <= widest:  # (looser than that, the hole moves from the last line into the text)
                        best = min(best, candidate, key=_spacing) if best else candidate
                    break
        chosen, widths = (longer, None) if best is None else (best.style, best.widths)
        self.__init__(self._markup, chosen, fallback if chosen is style else None, shortest)  # type: ignore[misc]
        result = PlatypusParagraph.wrap(self, width, height)
        if widths is not None:  # (breakLines zeroes the height: the lines are as many as wrap counted)
            self.blPara = justified_to(self.breakLines(widths), widths, width)
            self.blPara.narrowed = True
            self.height = result[1]
        return result

    def split(self, available_width: float, available_height: float):
        parts = super().split(available_width, available_height)
        if len(parts) == 2 and getattr(self.blPara, "narrowed", False):  # the rest keeps the lines chosen here
            head, tail = parts
            rest = copy.copy(self.blPara)
            rest.lines = self.blPara.lines[len(head.blPara.lines):]
            tail._wrapped[available_width] = (available_width, self._wrapWidths, rest, len(rest.lines) * self.style.leading)
        return parts

    def _last_line_width(self, width: float) -> float:
        return _line_width(self.blPara.lines[-1], width)

    def _short_last_line(self, width: float) -> bool:
        lines = getattr(self.blPara, "lines", [])
        if len(lines) < 2 or not self._shortest:
            return False
        return self._last_line_width(width) < width * self._shortest


NARROWER = (0.02, 0.04, 0.06, 0.08)
"""How much narrower the last lines of a paragraph may be broken, as fractions of the measure,
to bring words down to a short last line (their spaces then stretch to the full measure)."""
NARROWER_LINES = 4
WIDEST_SPACE = 2.75
"""A re-break narrower may widen a word space to this many of the face's own spaces (or to the
widest the paragraph already has): a looser line is a worse hole than a short last line."""
"""At most this many lines before the last are broken narrower."""


class _Break(NamedTuple):
    """A way to re-break a paragraph."""

    widest_space: float
    """Its widest word space, in points over the face's space."""
    style: ParagraphStyle
    widths: list[float] | None
    """The widths its lines are broken at (then justified to the full measure); None: the measure."""


def _spacing(candidate: _Break) -> float:
    return candidate.widest_space


def _line_width(line, width: float) -> float:
    return width - (line[0] if isinstance(line, tuple) else line.extraSpace)


def _widest_space(para, style: ParagraphStyle) -> float:
    """The widest word space of a paragraph's justified lines (all but the last), in points over
    the face's own space."""
    widest = 0.0
    for line in para.lines[:-1]:
        extra, spaces = (line[0], len(line[1]) - 1) if isinstance(line, tuple) else (line.extraSpace, line.wordCount - 1)
        if spaces > 0:
            widest = max(widest, extra / spaces)
    return widest


def _overflows_lines(para) -> bool:
    return any((line[0] if isinstance(line, tuple) else line.extraSpace) < -0.5 for line in para.lines)


def _overflows(paragraph: Paragraph) -> bool:
    return _overflows_lines(paragraph.blPara) if hasattr(paragraph, "blPara") else False


# --- the document template ---------------------------------------------------------------


class _BriefDoc(BaseDocTemplate):
    """The brief's pages, laid out and drawn in one pass.

    What is only known once the last page is done is drawn as a form (a PDF XObject: placed on
    the page where it shows, its content written at the end): each page's "Page X of Y", and
    each contents entry's dots and page number (see :class:`_Contents`). Bookmarks and links
    are made on the live page, so each points at its page."""

    def __init__(self, buffer: io.BytesIO, plan: BriefPlan, styles: _Styles):
        margins = plan.margins
        super().__init__(
            buffer,
            pagesize=plan.page_size,
            leftMargin=margins.left, rightMargin=margins.right, topMargin=margins.top, bottomMargin=margins.bottom,
            title=plan.metadata.title, author=plan.metadata.author, subject=plan.metadata.subject,
            keywords=list(plan.metadata.keywords), creator=plan.metadata.creator, lang=plan.metadata.language, invariant=1, initialFontName=styles.serif,
            displayDocTitle=1,
        )
        width, height = plan.page_size
        self.plan, self.styles = plan, styles
        self.page_count = 0
        self.entry_pages: dict[str, int] = {}
        """The page of each contents entry, by its key."""
        self.entry_forms: list[tuple[str, str, float, ParagraphStyle]] = []
        """(form name, entry key, width from the entry's text to the column's edge, style) of
        each contents entry drawn."""
        full = Frame(0, 0, width, height, 0, 0, 0, 0, id="cover")
        body = Frame(margins.left, margins.bottom, width - margins.left - margins.right,
                     height - margins.top - margins.bottom, 0, 0, 0, 0, id="body")
        self.addPageTemplates([PageTemplate("cover", [full]), PageTemplate("body", [body])])

    def afterFlowable(self, flowable: Flowable) -> None:
        entry = getattr(flowable, "toc_entry", None)
        if entry:
            text, key = entry
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=0, closed=False)
            self.entry_pages[key] = self.page

    def afterPage(self) -> None:
        """The running head and foot, drawn on the page itself (so that bookmarks and links made
        on it point at it)."""
        self.page_count = self.page
        if self.page > 1:
            with tags.artifact(self.canv, "Pagination"):
                _draw_chrome(self.canv, self.plan, self.styles, self.page)

    def fill_forms(self, canvas: Canvas) -> None:
        """The last page done, before the file is saved (:class:`_FormsLastCanvas`): each page's
        "Page X of Y" and each contents entry's page number, now that they are known."""
        styles, total = self.styles, self.page_count
        for page in range(2, total + 1):
            canvas.beginForm(_folio(page), -FOLIO_WIDTH, -4, 0, 10)
            canvas.setFont(styles.sans, 8)
            canvas.setFillColor(styles.muted)
            canvas.drawRightString(0, 0, f"Page {page} of {total}")
            canvas.endForm()
        for name, key, free, style in self.entry_forms:
            canvas.beginForm(name, 0, -style.leading, free, style.leading)
            _draw_page_number(canvas, style, self.entry_pages.get(key, 0), free)
            canvas.endForm()


class _FormsLastCanvas(tags.TaggingCanvas):
    """reportlab's canvas, which has the brief fill in its forms when the document template
    saves the file at the end of its build (``BaseDocTemplate.build(canvasmaker=...)``)."""

    doc: _BriefDoc | None = None

    def save(self) -> None:
        doc, self.doc = self.doc, None
        if doc is not None:
            doc.fill_forms(self)
        super().save()


FOLIO_WIDTH = 200
"""Points to the left of the right margin that a page's "Page X of Y" form may take."""


def _folio(page: int) -> str:
    return f"folio{page}"


def _draw_page_number(canvas: Canvas, style: ParagraphStyle, page: int, free: float) -> None:
    """A contents entry's dot leader and page number in the ``free`` points after its text, as
    reportlab's ``tableofcontents.drawPageNumbers`` draws them (origin: the end of the text)."""
    number = str(page)
    size = style.fontSize
    number_width = stringWidth(number, style.fontName, size)
    while number_width > free and size >= 1.0:  # reportlab shrinks a number that does not fit
        size *= 0.9
        number_width = stringWidth(number, style.fontName, size)
    dot = " . "
    dots = int((free - number_width) / stringWidth(dot, style.fontName, size))
    text = canvas.beginText(free - dots * stringWidth(dot, style.fontName, size) - number_width, 0)
    text.setFont(style.fontName, size)
    text.setFillColor(style.textColor)
    text.textLine(dots * dot + number)
    canvas.drawText(text)


class _Contents(TableOfContents):
    """reportlab's contents list, laid out from entries known before the build (every section's
    heading, in order), each entry's dots and page number drawn as a form filled in at the end
    (see :class:`_BriefDoc`). The text of each entry links to its section, and so do its dots
    and number."""

    def __init__(self, doc: _BriefDoc, entries: list[tuple], styles: _Styles):
        super().__init__(dotsMinLevel=0)
        self.doc = doc
        self.levelStyles = styles.toc
        self.tableStyle = _table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                        ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                        ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
        self.addEntries(entries)
        self.beforeBuild()  # these entries are what it lays out (in multiBuild, a pass's are the previous pass's)

    def wrap(self, available_width: float, available_height: float):
        size = super().wrap(available_width, available_height)

        def entry_end(canvas, kind, label):  # replaces reportlab's drawTOCEntryEnd (its label: page,level,key)
            _, level, key = label.split(",", 2)
            key = literal_eval(key)
            style = self.getLevelStyle(int(level))
            x, y = canvas._curr_tx_info["cur_x"], canvas._curr_tx_info["cur_y"]
            name = f"contents{len(self.doc.entry_forms)}"
            self.doc.entry_forms.append((name, key, available_width - x, style))
            canvas.saveState()
            canvas.translate(x, y)
            canvas.doForm(name)
            canvas.restoreState()
            canvas.linkRect("", key, (x, y, available_width, y + style.leading), relative=1)

        self.canv.setNamedCB("drawTOCEntryEnd", entry_end)
        return size


def _draw_chrome(canvas: Canvas, plan: BriefPlan, styles: _Styles, page: int) -> None:
    width, height = plan.page_size
    left, right = plan.margins.left, width - plan.margins.right
    canvas.saveState()
    canvas.setFont(styles.sans, 8)
    canvas.setFillColor(styles.muted)
    top = height - plan.margins.top + 30
    canvas.drawString(left, top, plan.running_title)
    canvas.drawRightString(right, top, plan.date_line)
    canvas.setStrokeColor(styles.rule)
    canvas.setLineWidth(0.5)
    canvas.line(left, top - 6, right, top - 6)
    bottom = plan.margins.bottom - 34
    canvas.line(left, bottom + 12, right, bottom + 12)
    canvas.drawString(left, bottom, plan.licence_mark)
    canvas.linkURL(plan.licence_url or "", (left, bottom - 2, left + canvas.stringWidth(plan.licence_mark, styles.sans, 8), bottom + 8))
    canvas.translate(right, bottom)
    canvas.doForm(_folio(page))  # "Page X of Y", right-aligned here: filled in when Y is known
    canvas.restoreState()


# --- the story ---------------------------------------------------------------------------


def _story(plan: BriefPlan, styles: _Styles, doc: _BriefDoc, credits_first: bool = False,
           may_reorder: bool = False) -> list[Flowable]:
    story: list[Flowable] = [_Cover(plan, styles), NextPageTemplate("body"), PageBreak()]
    story += _summary(plan, styles)
    contents_at = len(story) + 1
    story += [tags.leaf("H2", Paragraph("Contents", styles.h2)), PageBreak()]
    for section in plan.sections:
        story += _section(section, styles)
    story += _end_matter(plan, styles, credits_first, may_reorder)
    # Every entry is known (pages not yet: 0), so the contents are laid out at their full
    # height in the one pass; a page number is drawn after its entry's text, as a form.
    contents = list(plan.contents)
    if credits_first:
        at, to = contents.index(plan.end.about), contents.index(plan.end.credits_heading)
        contents[at], contents[to] = contents[to], contents[at]
    entries = [(0, styles.text(entry.text, styles.sans), 0, entry.key) for entry in contents]
    story.insert(contents_at, tags.group(tags.Node("TOC", _auto=("TOCI", "Link")), _Contents(doc, entries, styles)))
    return story


class _HeadingParagraph(Paragraph):
    """A heading's paragraph: split across pages when it is taller than one (a heading of 1,750
    characters), its first part carries its bookmark and contents entry (``toc_entry``)."""

    toc_entry: tuple[str, str] | None = None

    def split(self, available_width: float, available_height: float):
        parts = super().split(available_width, available_height)
        if parts and self.toc_entry is not None:
            parts[0].toc_entry = self.toc_entry
        return parts


def _heading(heading: Heading, style: ParagraphStyle, styles: _Styles) -> Flowable:
    """A heading with its bookmark and contents entry (made when it is laid out: see afterFlowable)."""
    paragraph = _HeadingParagraph(styles.text(heading.text, styles.sans), style)
    paragraph.toc_entry = (heading.text, heading.key)
    return tags.leaf(heading.role, paragraph)


def _summary(plan: BriefPlan, styles: _Styles) -> list[Flowable]:
    inner: list[Flowable] = [tags.leaf("P", Paragraph("EXECUTIVE SUMMARY", styles.label))]
    for index, paragraph in enumerate(plan.summary):
        inner += [Spacer(1, plan.summary_gap)] if index else []
        inner.append(tags.leaf("P", styles.para(paragraph, styles.box)))
    if plan.takeaways:
        inner += [Spacer(1, 4), tags.leaf("P", Paragraph("KEY TAKEAWAYS", styles.label))]
        inner += _box_bullets(list(plan.takeaways), styles, styles.bullet_colour)
    return [_boxed(inner, styles.tint, styles.primary, 14, styles), Spacer(1, styles.leading)]


def _boxed(content: list[Flowable], fill, accent, padding: float, styles: "_Styles", role: str = "Aside") -> KeepTogether:
    """:func:`_box`, moved whole to the next page when it fits there; split only when taller."""
    return _Kept([tags.group(role, _box(content, fill, accent, padding, styles))])


class _TallTable(Table):
    """A table that splits between its rows, as reportlab's does, and, when even one row is
    taller than a whole page (an 800-word paragraph in a box), inside that row too, so that it
    can be printed at all. A table that fits a page lays out exactly as reportlab's."""

    frame_height = float("inf")
    min_split = 36.0
    """The least of a row left on a page, or taken to the next, when a row splits (about three lines)."""

    def split(self, available_width: float, available_height: float):
        heights = getattr(self, "_rowHeights", None) or []
        repeated: int = getattr(self, "repeatRows", 0)
        if repeated and sum(heights[:repeated]) > self.frame_height / 2:
            self.repeatRows = 0  # a header row taller than half a page is not repeated: it could leave no room
        found = super().split(available_width, available_height)
        for least in (self.min_split, 1.0):  # (a row just over a page leaves less than the least on the next)
            if found or self._height <= self.frame_height or available_height < self.min_split:
                break  # (below the least, a row split would put a sliver here and the same rows again after it)
            self.splitInRow = least
            try:
                found = super().split(available_width, available_height)
            finally:
                self.splitInRow = 0
        for piece in found:  # reportlab makes the pieces as new tables of this class: they split alike
            if isinstance(piece, _TallTable):
                piece.frame_height, piece.splitInRow = self.frame_height, 0
        return found


def _tall_table(data: list, styles: "_Styles", **options) -> _TallTable:
    table = _TallTable(data, **options)
    table.frame_height = styles.frame_height
    return table


def _box(content: list[Flowable], fill, accent, padding: float, styles: "_Styles") -> Table:
    """A tinted box with a coloured rule on its left: one table row a flowable, so that a box
    taller than a page splits across pages between its paragraphs (and inside one, if need be)."""
    table = _tall_table([[flowable] for flowable in content], styles, colWidths=["100%"])
    table.setStyle(_table_style([
        ("BACKGROUND", (0, 0), (-1, -1), fill),
        ("LINEBEFORE", (0, 0), (0, -1), 3, accent),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, 0), padding * 0.8),
        ("BOTTOMPADDING", (0, -1), (-1, -1), padding * 0.6),
    ]))
    return table


def _box_bullets(items: list[Spans], styles: "_Styles", colour) -> list[Flowable]:
    """Bulleted paragraphs for a box: each its own flowable, so a long list can split (one list
    in the tags)."""
    style = ParagraphStyle("box-bulleted", parent=styles.box_bullet, leftIndent=14, bulletIndent=0,
                           bulletFontName=styles.sans, bulletColor=colour)
    _, entries = tags.list_node(len(items))
    return [tags.leaf("LBody", Paragraph(styles.text(item, styles.sans), style, bulletText="•"), entry)
            for item, entry in zip(items, entries)]


def _table_style(commands: list) -> TableStyle:
    """A table style that names an embedded font: reportlab's default would add Helvetica."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS), *commands])


def _bullets(items: list[Flowable], style: ParagraphStyle, styles: _Styles, colour, level: int = 0,
             ordered: bool = False) -> ListFlowable:
    bullet = ("•", "–", "·")[level]
    return ListFlowable(
        [ListItem(item, leftIndent=14, bulletFontName=styles.sans) for item in items],
        bulletType="1" if ordered else "bullet", start=None if ordered else bullet,
        bulletFontName=styles.sans, bulletFontSize=style.fontSize, bulletColor=colour,
        leftIndent=14, bulletDedent=12 if not ordered else 14, spaceAfter=styles.leading / 3,
    )


def _section(section: SectionPlan, styles: _Styles) -> list[Flowable]:
    story: list[Flowable] = [CondPageBreak(styles.leading * section.needs_lines), _heading(section.heading, styles.h1, styles)]
    for block in section.blocks:
        story += _block(block, styles)
    key_points = section.key_points
    if key_points:  # after the prose, as its recap: the prose follows its heading directly
        points = _box_bullets(list(key_points.points), styles, styles.bullet_colour)
        box = tags.group(key_points.role, _box([tags.leaf("P", Paragraph(key_points.label, styles.label)), *points],
                                               styles.tint, styles.accent, 10, styles))
        # never alone at the top of a page: with the end of the prose, or with the last block
        last = max(i for i, f in enumerate(story) if not isinstance(f, (Spacer, CondPageBreak)))
        if last == 1:  # no body: the box follows the heading, which keeps with it (and keeps its bookmark)
            story.append(box)
        elif key_points.keep_with == "tail":
            story[last:] = [_WithTail(story[last], box, styles.leading * 0.2, styles.frame_height)]
        else:  # (a KeepTogether inside another one would claim a page's height: unwrapped)
            kept = [g for f in story[last:] for g in (f.parts if isinstance(f, _Kept) else [f])]
            above = sum(f.height for f in _trailing_spacers(story[:last]))
            story[last:] = [_BoxAfterBlock(kept, box, styles.leading * 0.2, styles.page_room / 5, above, story[last:])]
        story.append(Spacer(1, styles.leading * 0.4))
    return story


def _trailing_spacers(flowables: list[Flowable]) -> list[Spacer]:
    """The spacers at the end of ``flowables``: the space under the block before."""
    found: list[Spacer] = []
    for flowable in reversed(flowables):
        if not isinstance(flowable, Spacer):
            break
        found.append(flowable)
    return found


class _Kept(KeepTogether):
    """reportlab's KeepTogether, which says what it keeps together (``parts``)."""

    def __init__(self, parts: list[Flowable]):
        super().__init__(parts)
        self.parts = list(parts)


class _BoxAfterBlock(_Kept):
    """A block that cannot split (a figure, a table, a quote) and the key-points box after it,
    kept together: moved whole to the next page, unless that would leave more than ``most``
    points empty at the foot of this one (``above``, the space over the block, shows empty
    too); then the box comes first, here, and the block follows it on the next page (the recap
    sits just before the section's last block, never alone at the top of a page)."""

    def __init__(self, block: list[Flowable], box: Flowable, gap: float, most: float, above: float = 0.0,
                 whole: list[Flowable] | None = None):
        super().__init__([*block, Spacer(1, gap), box])
        self.block, self.box, self.gap, self.most, self.above = block, box, gap, most, above
        self.whole = whole or block
        """The block as it was before its parts were taken out of their keep (a figure and its
        caption): kept together again when the box goes first."""

    def split(self, available_width: float, available_height: float):
        height = _stack_height(self.parts, available_width) + self.parts[0].getSpaceBefore()
        _, box_height = self.box.wrap(available_width, available_height)
        if (height > available_height and self.most < available_height + self.above
                and box_height + self.gap <= available_height):
            return [self.box, Spacer(1, self.gap * 2), *self.whole]
        return super().split(available_width, available_height)


class _WithTail(Flowable):
    """A section's last paragraph and the key-points box that sums the section up, kept so that
    the box never stands alone at the top of a page, apart from the prose it sums up: when the
    two do not fit, the paragraph splits as it would anyway (no widows, no orphans) and its last
    lines go over with the box; when the box would not fit even under a paragraph's first lines,
    both go to the next page."""

    def __init__(self, paragraph: Flowable, box: Flowable, gap: float, frame_height: float = float("inf")):
        super().__init__()
        self.paragraph, self.box, self.gap, self.frame_height = paragraph, box, gap, frame_height
        style = getattr(paragraph, "style", None)
        self._space_after = style.spaceAfter if style is not None else 0.0

    def wrap(self, available_width: float, available_height: float):
        _, paragraph_height = self.paragraph.wrap(available_width, available_height)
        _, box_height = self.box.wrap(available_width, available_height)
        self.paragraph_height = paragraph_height + self._space_after
        self.width, self.height = available_width, self.paragraph_height + self.gap + box_height
        return self.width, self.height

    def split(self, available_width: float, available_height: float):
        parts = self.paragraph.split(available_width, available_height)
        if len(parts) != 2:
            if self.height > self.frame_height and self.paragraph.wrap(available_width, available_height)[1] <= available_height:
                return [self.paragraph, Spacer(1, self.gap), self.box]  # taller than a page together: the box splits on its own
            return []  # the paragraph cannot split here: the two move on together
        head, tail = parts
        return [head, _WithTail(tail, self.box, self.gap, self.frame_height)]

    def draw(self) -> None:
        self.paragraph.drawOn(self.canv, 0, self.height - self.paragraph_height + self._space_after)
        self.box.drawOn(self.canv, 0, 0)


def _block(block: BriefBlock, styles: _Styles) -> list[Flowable]:
    """The flowables of one planned block: one drawing function a kind (see plan/blocks.py)."""
    match block:
        case blocks.Prose():
            return [tags.leaf(block.role, styles.para(block.text, styles.body))]
        case blocks.BulletList():
            return [_list(block.items, styles, 0, block.ordered)]
        case blocks.Quote():
            return _quote(block, styles)
        case blocks.Figure():
            return _figure(block, styles)
        case blocks.Table():
            return _table(block, styles)
        case blocks.Timeline():
            return [tags.group("Div", _TimelineFlowable(block, styles)), Spacer(1, styles.leading * 0.8)]
        case blocks.Callout():
            return _callout(block, styles)
        case blocks.Chart():
            return _chart(block, styles)
        case _:
            assert_never(block)


def _chart(block: blocks.Chart, styles: _Styles) -> list[Flowable]:
    """A vector chart (render/pdf_chart.py) under its title, its source line beneath."""
    from reportgen.render.pdf_chart import ChartFlowable

    title = Paragraph(f"<b>{styles.text(block.spec.title, styles.sans)}</b>",
                      ParagraphStyle("chart-title", parent=styles.caption, spaceBefore=0, spaceAfter=6))
    drawing = ChartFlowable(block, styles.palette, styles.sans, styles.fonts, styles.korean)
    story: list[Flowable] = [tags.leaf("Caption", title), tags.leaf("Figure", drawing, Alt=block.spec.alt, Placement="Block", _drawn=True)]
    if block.spec.source:
        story.append(tags.leaf("Caption", Paragraph(
            f'<font color="{styles.muted.hexval()}">{styles.text(block.spec.source, styles.sans)}</font>', styles.caption)))
    return [_Kept(story), Spacer(1, styles.leading)]


def _callout(block: blocks.Callout, styles: _Styles) -> list[Flowable]:
    inner: list[Flowable] = [tags.leaf("P", Paragraph(styles.text(block.title.upper(), styles.sans), styles.label))] if block.title else []
    inner += [tags.leaf("P", styles.para(p, styles.box)) for p in block.paragraphs]
    return [_boxed(inner, styles.tint, styles.primary, 12, styles, block.role), Spacer(1, styles.leading * 0.8)]


def _list(items: tuple[blocks.ListEntry, ...], styles: _Styles, level: int, ordered: bool) -> Flowable:
    flowables: list[Flowable] = []
    node, entries = tags.list_node(len(items))  # each bullet or number is its item's label
    for item, entry in zip(items, entries):
        paragraph = styles.para(item.text, styles.bullet)
        if item.items:
            flowables.append(tags.group(tags.Node("LBody", entry), _stack([tags.leaf("P", paragraph), _list(item.items, styles, level + 1, False)], styles)))
        else:
            flowables.append(tags.leaf("LBody", paragraph, entry))
    listed = tags.group(node, _bullets(flowables, styles.bullet, styles, styles.accent if level == 0 else styles.muted, level, ordered))
    listed.frame_height = styles.frame_height  # an item taller than a page splits where it is
    return listed


def _stack(flowables: list[Flowable] | list[list[Flowable]], styles: _Styles) -> Table:
    """Flowables one above the other in one list item (a nested list under its parent), one row
    each (a row may be a list of flowables: the pieces of a split)."""
    table = _Stack([[f] for f in flowables], colWidths=["100%"])
    table.cells, table.frame_height, table.styles = [list(f) if isinstance(f, list) else [f] for f in flowables], styles.frame_height, styles
    table.setStyle(_table_style([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return table


class _Stack(Table):
    """:func:`_stack`'s table: it splits between its rows, as reportlab's does, and, when it is
    taller than a page, between or inside the flowables of its rows (a nested list item taller
    than a page), so that it can be printed at all. reportlab's own split in a
    row would copy the nested list whole, page after page."""

    cells: list[list[Flowable]] = []
    frame_height = float("inf")
    styles: _Styles

    def split(self, available_width: float, available_height: float):
        if self._height <= self.frame_height or not self.cells:  # (reportlab's pieces of one are no taller)
            return super().split(available_width, available_height)
        filled = _fill([f for row in self.cells for f in row], available_width, available_height)
        if filled is None or not filled[1]:
            return []
        head, tail = filled
        return [_stack([head], self.styles), _stack([tail], self.styles)]


def _fill(flowables: list[Flowable], width: float, height: float, depth: int = 0) -> tuple[list[Flowable], list[Flowable]] | None:
    """The flowables that fit in ``height``, one above the other (the one that does not fit split,
    its first pieces here), and the rest; None when not even a piece of the first fits."""
    head: list[Flowable] = []
    used = 0.0
    for index, flowable in enumerate(flowables):
        room = height - used - (flowable.getSpaceBefore() if head else 0.0)
        _, tall = flowable.wrap(width, room)
        if tall <= room:
            head.append(flowable)
            used += tall + (flowable.getSpaceBefore() if len(head) > 1 else 0.0) + flowable.getSpaceAfter()
            continue
        pieces = flowable.split(width, room) if room > 0 and depth < 8 else []
        if len(pieces) == 1 and pieces[0] is flowable:
            pieces = []
        filled = _fill(pieces, width, room, depth + 1) if pieces else None
        if filled is None or not filled[0]:
            return (head, flowables[index:]) if head else None
        return [*head, *filled[0]], [*filled[1], *flowables[index + 1:]]
    return head, []


def _quote(block: blocks.Quote, styles: _Styles) -> list[Flowable]:
    if block.pull:
        inner: list[Flowable] = [tags.leaf("P", Paragraph("“" + styles.text(block.text) + "”", styles.pull))]
        if block.by:
            inner.append(tags.leaf("P", Paragraph("— " + styles.text(block.by, styles.sans), styles.attribution)))
        table = _tall_table([[inner]], styles, colWidths=["100%"])
        table.setStyle(_table_style([
            ("LINEABOVE", (0, 0), (-1, 0), 1.5, styles.accent), ("LINEBELOW", (0, -1), (-1, -1), 0.5, styles.rule),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 24),
            ("TOPPADDING", (0, 0), (-1, -1), 14), ("BOTTOMPADDING", (0, 0), (-1, -1), 14),
        ]))
        return [Spacer(1, styles.leading), _Kept([tags.group(block.role, table)]), Spacer(1, styles.leading * 1.25)]
    inner = [tags.leaf("P", styles.para(block.text, styles.quote))]
    if block.by:
        inner.append(tags.leaf("P", Paragraph("— " + styles.text(block.by, styles.sans), styles.attribution)))
    table = _tall_table([[inner]], styles, colWidths=["100%"])
    table.setStyle(_table_style([("LINEBEFORE", (0, 0), (0, -1), 1.5, styles.rule), ("LEFTPADDING", (0, 0), (-1, -1), 4),
                                 ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return [Spacer(1, styles.leading / 3), tags.group(block.role, table), Spacer(1, styles.leading / 2)]


def _figure(block: blocks.Figure, styles: _Styles) -> list[Flowable]:
    story: list[Flowable] = []
    caption = styles.text(block.caption, styles.sans)
    image = None
    if block.image is not None:
        image = _ImageWithAlt(block.image, block.alt, block.width, block.height, styles.dpi,
                              styles.figure_least, styles.page_room * styles.most_empty - styles.leading)
        story.append(tags.leaf(block.role, image, Alt=block.alt, Placement="Block"))
    else:
        story.append(tags.leaf(block.role, _placeholder(block, styles), Alt=block.alt, Placement="Block"))
    if block.credit:
        caption += f'<font color="{styles.muted.hexval()}"> · {styles.text(block.credit, styles.sans)}</font>'
    story.append(tags.leaf("Caption", Paragraph(caption, styles.caption)))
    if image is not None:
        image.caption = story[-1]
        return [_FigureKept(story), Spacer(1, styles.leading)]
    return [_Kept(story), Spacer(1, styles.leading)]


class _FigureKept(_Kept):
    """An image and its caption, kept together: moved whole to the next page, unless the image,
    set smaller, fits here (:meth:`_ImageWithAlt.split`)."""

    def split(self, available_width: float, available_height: float):
        image, *rest = self.parts
        if _stack_height(self.parts, available_width) + image.getSpaceBefore() > available_height:
            smaller = image.split(available_width, available_height)
            if smaller:
                return [NullActionFlowable(), *smaller, *rest]
        return super().split(available_width, available_height)


def _placeholder(block: blocks.Figure, styles: _Styles) -> Flowable:
    """Where a draft's missing image would be: a tinted box with a dashed border that names the
    file and gives the alt text."""
    inner = [Paragraph(f"<b>Image not found: {styles.text(block.missing or '', styles.sans)}</b>", styles.box),
             Paragraph(styles.text(block.alt, styles.sans), styles.small)]
    padding = max(12.0, (block.height - 40) / 2)  # the box is block.height high, or as high as its text
    box = Table([[inner]], colWidths=[block.width])
    box.setStyle(_table_style([("BACKGROUND", (0, 0), (-1, -1), styles.tint),
                               ("BOX", (0, 0), (-1, -1), 1, styles.muted, None, (4, 3)),
                               ("TOPPADDING", (0, 0), (-1, -1), padding), ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
                               ("LEFTPADDING", (0, 0), (-1, -1), 18), ("RIGHTPADDING", (0, 0), (-1, -1), 18)]))
    return box


class _ImageWithAlt(Flowable):
    """An image at the size the plan placed it (its alt text is its Figure element's /Alt:
    :mod:`reportgen.render.pdf_tags`). Where it does not fit the room left on a page and moving
    it on would leave more than ``room`` points empty, it is set smaller to fit, above its
    ``caption``, down to ``least`` of its size; else it moves on."""

    def __init__(self, path, alt: str, width: float, height: float, dpi: int, least: float = 1.0,
                 room: float = float("inf")):
        super().__init__()
        self.path, self.alt, self.width, self.height, self.dpi = path, alt, width, height, dpi
        self.least, self.room = least, room
        self.caption: Flowable | None = None

    def wrap(self, available_width: float, available_height: float):
        return self.width, self.height

    def split(self, available_width: float, available_height: float):
        if self.least >= 1 or available_height <= self.room:
            return []
        below = 0.0
        if self.caption is not None:
            below = self.caption.wrap(available_width, available_height)[1] + self.caption.getSpaceBefore()
        scale = (available_height - below) / self.height
        if not self.least <= scale < 1:
            return []
        return [_ImageWithAlt(self.path, self.alt, self.width * scale, self.height * scale, self.dpi)]

    def draw(self) -> None:
        self.canv.drawImage(_reader(self.path, self.width, self.height, self.dpi), 0, 0, self.width, self.height,
                            mask="auto")


def _reader(path, width: float, height: float, dpi: int) -> ImageReader:
    """The image downsampled to ``dpi`` at its placed size, upright and 8-bit."""
    return _decoded(prepared(path, width, height, dpi))


@lru_cache(maxsize=16)
def _decoded(image: Prepared) -> ImageReader:
    """One reader per prepared image. A reader keeps the decoded pixels, which drawImage reads on
    every call (it names an image by their digest): without this, an image was decoded again for
    every figure that shows it."""
    return ImageReader(io.BytesIO(image.data))


def _table(block: blocks.Table, styles: _Styles) -> list[Flowable]:
    node = tags.Node(block.role)  # Table > THead, TBody > TR > TH (a column's header), TD
    head, body = tags.Node("THead", node), tags.Node("TBody", node)
    head_row = tags.Node("TR", head)
    header = [tags.leaf("TH", Paragraph(f"<b>{styles.text(h, styles.sans)}</b>", styles.cell_head), head_row, Scope="Column")
              for h in block.header]
    rows = []
    for row in block.rows:
        tr = tags.Node("TR", body)
        rows.append([tags.leaf("TD", Paragraph(styles.text(cell, styles.sans), styles.cell), tr) for cell in row])
    table = _tall_table([header, *rows], styles, colWidths=[f"{100 * share:.2f}%" for share in block.columns], repeatRows=1)
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), styles.primary),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, styles.rule),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ]
    commands += [("BACKGROUND", (0, r), (-1, r), styles.tint) for r in range(2, len(rows) + 1, 2)]
    table.setStyle(_table_style(commands))
    story: list[Flowable] = [tags.group(node, table)]
    if block.caption:
        story.insert(0, tags.leaf("Caption", Paragraph(styles.text(block.caption, styles.sans), ParagraphStyle("tc", parent=styles.caption, spaceAfter=5, spaceBefore=0, keepWithNext=1)), node))
    return [*story, Spacer(1, styles.leading)]


class _TimelineFlowable(Flowable):
    """Dated events down a vertical line: vector rules and dots, the text as paragraphs."""

    DATE_WIDTH = 96
    GAP = 22

    def __init__(self, block: blocks.Timeline | None, styles: _Styles, title: Paragraph | None = None,
                 rows: list[tuple[Paragraph, Paragraph]] | None = None):
        super().__init__()
        self.styles = styles
        if block is None:  # a part of a split timeline
            self.title, self.rows = title, rows or []
            return
        self.title = tags.leaf("P", Paragraph(styles.text(block.title.upper(), styles.sans), styles.label)) if block.title else None
        date_style = ParagraphStyle("when", parent=styles.cell, fontName=styles.sans, textColor=styles.primary, alignment=TA_RIGHT)
        _, items = tags.list_node(len(block.events))  # a list: each date its event's label
        self.rows = [(tags.leaf("Lbl", Paragraph(f"<b>{styles.text(e.when, styles.sans)}</b>", date_style), item),
                      tags.leaf("LBody", Paragraph(styles.text(e.text, styles.sans), styles.cell), item))
                     for e, item in zip(block.events, items)]

    def split(self, available_width: float, available_height: float):
        """Between two events, the title with the first, at least two events on either side; a
        timeline taller than a page splits wherever it must (inside an event taller than what is
        left, if need be), since it cannot be moved whole."""
        self.wrap(available_width, available_height)
        used, fit = self.title_height, 0
        for height in self.heights:
            if used + height > available_height:
                break
            used, fit = used + height, fit + 1
        balanced = min(fit, len(self.rows) - 2)
        if balanced >= 2:
            return [_TimelineFlowable(None, self.styles, self.title, self.rows[:balanced]),
                    _TimelineFlowable(None, self.styles, None, self.rows[balanced:])]
        if self.height <= self.styles.frame_height:
            return []  # it fits a page: moved whole
        rows_head, rows_tail = self.rows[:fit], self.rows[fit:]
        if fit == 0:  # the first event alone is taller than what is left: its text splits
            if self.heights[0] <= self.styles.frame_height:
                return []  # it fits a page of its own
            when, text = self.rows[0]
            room = available_height - self.title_height - 9
            halves = []  # the date, then the text: each split, or whole here if it fits (the date may be the tall one)
            for paragraph, width in ((when, self.DATE_WIDTH), (text, available_width - self.DATE_WIDTH - self.GAP)):
                if paragraph.wrap(width, room)[1] <= room:
                    halves.append((paragraph, Paragraph("", paragraph.style)))
                    continue
                pieces = paragraph.split(width, room)
                if len(pieces) != 2:
                    return []
                halves.append((pieces[0], pieces[1]))
            (when_head, when_tail), (text_head, text_tail) = halves
            rows_head, rows_tail = [(when_head, text_head)], [(when_tail, text_tail), *self.rows[1:]]
        return [_TimelineFlowable(None, self.styles, self.title, rows_head),
                _TimelineFlowable(None, self.styles, None, rows_tail)]

    def wrap(self, available_width: float, available_height: float):
        self.width = available_width
        text_width = available_width - self.DATE_WIDTH - self.GAP
        self.title_height = self.title.wrap(available_width, available_height)[1] + 4 if self.title else 0
        self.heights = [max(d.wrap(self.DATE_WIDTH, 1e6)[1], t.wrap(text_width, 1e6)[1]) + 9 for d, t in self.rows]
        self.height = self.title_height + sum(self.heights)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        y = self.height
        if self.title:
            self.title.drawOn(canvas, 0, y - self.title_height + 4)
            y -= self.title_height
        axis = self.DATE_WIDTH + self.GAP / 2
        styles = self.styles
        canvas.setStrokeColor(styles.rule)
        canvas.setLineWidth(1.2)
        canvas.line(axis, y - 4, axis, y - sum(self.heights) + 6)
        for (when, text), row_height in zip(self.rows, self.heights):
            when_height, text_height = when.height, text.height
            when.drawOn(canvas, 0, y - when_height)
            text.drawOn(canvas, axis + self.GAP / 2, y - text_height)
            canvas.setFillColor(styles.accent)
            canvas.setStrokeColor(styles.on_primary)
            canvas.setLineWidth(1.5)
            canvas.circle(axis, y - 6.5, 4, stroke=1, fill=1)
            y -= row_height


def _end_matter(plan: BriefPlan, styles: _Styles, credits_first: bool = False, may_reorder: bool = False) -> list[Flowable]:
    end = plan.end
    about: list[Flowable] = [_heading(end.about, styles.h1, styles)]
    for author in end.authors:
        name = f"<b>{styles.text(author.name, styles.sans)}</b>"
        if author.affiliation:
            name += f'<font color="{styles.muted.hexval()}"> · {styles.text(author.affiliation, styles.sans)}</font>'
        about.append(tags.leaf("P", Paragraph(name, ParagraphStyle("author", parent=styles.box, spaceAfter=4, keepWithNext=1))))
        about += [tags.leaf("P", styles.para(p, styles.body)) for p in author.bio]
    credits: list[Flowable] = [_heading(end.credits_heading, styles.h1, styles)]
    for sentence in (end.attribution, end.licence, end.source):
        if sentence:
            credits.append(tags.leaf("P", styles.para(sentence, styles.body)))
    if end.credits:
        credits.append(tags.leaf("P", Paragraph("IMAGE CREDITS", ParagraphStyle("lab", parent=styles.label, spaceBefore=styles.leading / 2))))
        for credit in end.credits:  # (no line alone at the top or the foot of a page, where it splits)
            credits.append(tags.leaf("P", Paragraph(styles.text(credit, styles.sans), ParagraphStyle("credit", parent=styles.box, spaceAfter=6, allowWidows=0))))
    if end.citation:
        credits.append(tags.leaf("P", styles.para(end.citation, ParagraphStyle("citation", parent=styles.box, spaceBefore=styles.leading / 2, allowWidows=0))))
    if end.kept_together:
        units = [credits, about] if credits_first else [about, credits]
        return [_EndMatter(units, styles.frame_height * end.most_empty, styles.frame_height, may_reorder)]
    return [CondPageBreak(styles.leading * end.needs_lines), *about, *credits]


class _EndMatter(Flowable):
    """The end matter's sections ("About the author", "Credits and licence"), each kept on one
    page: moved whole to the next page when it does not fit on this one, unless that would leave
    more than ``most`` points empty at this page's foot. Then, first, the sections go in the
    other order, where that leaves no such hole (``may_reorder``, in the first pass: it stops, and
    the brief is laid out again in that order, for the contents to list it); else the section that does not fit starts here and splits
    between its paragraphs, its heading with what follows it and no paragraph leaving a line
    alone on either page. A section taller than a page splits anyway."""

    def __init__(self, units: list[list[Flowable]], most: float, page: float, may_reorder: bool = False):
        super().__init__()
        self.units, self.most, self.page, self.may_reorder = units, most, page, may_reorder

    def wrap(self, available_width: float, available_height: float):
        return available_width, 0xFFFFFF  # never drawn itself: split() lays its sections out

    def split(self, available_width: float, available_height: float):
        # each section's height at the top of a page, and the space above its heading elsewhere
        heights = [(_stack_height(unit, available_width), unit[0].getSpaceBefore()) for unit in self.units]
        kept = [NullActionFlowable(), *(_Kept(unit) for unit in self.units)]  # (the frame then places each)
        if self._holes(heights, available_height) == 0:
            return kept
        if self.may_reorder and len(self.units) == 2 and self._holes(heights[::-1], available_height) == 0:
            raise _CreditsFirst  # laid out again in this order, for the contents to list it
        first, *rest = self.units
        tail = [_EndMatter(rest, self.most, self.page)] if rest else []
        height, above = heights[0]
        if height + above <= available_height:  # the hole would be under the first: the next starts here
            return [NullActionFlowable(), _Kept(first), *tail]
        start = next((i for i, f in enumerate(first) if not f.getKeepWithNext()), len(first) - 1) + 1
        return [NullActionFlowable(), _StartHere(first[:start]), *first[start:], *tail]  # it starts here, and splits

    def _holes(self, heights: list[tuple[float, float]], available: float) -> int:
        """How many pages before the last these sections, each kept whole and in this order, leave
        more than ``most`` empty at the foot, from ``available`` left on this page."""
        holes, left, top = 0, available, False
        for height, above in heights:
            needed = height + (0 if top else above)
            if needed <= left:
                left, top = left - needed, False
                continue
            holes += left > self.most
            left, top = self.page - min(height, self.page), False
        return holes


class _StartHere(Flowable):
    """A heading (and what keeps with it) and the first flowable that does not keep with the
    next: placed here with at least that flowable's first lines (a paragraph splits as it
    would, leaving no line alone), or moved on together. reportlab keeps a heading with the
    whole of the next flowable, which moves a long paragraph and its heading on and leaves the
    hole this is there to fill."""

    def __init__(self, flowables: list[Flowable]):
        super().__init__()
        self.flowables = flowables

    def wrap(self, available_width: float, available_height: float):
        return available_width, 0xFFFFFF  # never drawn itself: split() places its flowables

    def split(self, available_width: float, available_height: float):
        *kept, last = self.flowables
        # (the space above the first counted, as it is when this does not start a page)
        room = available_height - _stack_height(kept, available_width) - sum(f.getSpaceBefore() for f in kept[:1])
        room -= last.getSpaceBefore()
        if room <= 0:
            return []
        if last.wrap(available_width, room)[1] <= room:
            return list(self.flowables)
        parts = last.split(available_width, room)
        return [*kept, *parts] if len(parts) == 2 else []


def _stack_height(flowables: list[Flowable], width: float) -> float:
    """The height of flowables one after another in a frame, spaces between them included."""
    total = 0.0
    for index, flowable in enumerate(flowables):
        total += flowable.wrap(width, 0xFFFFFF)[1] + flowable.getSpaceAfter() + (flowable.getSpaceBefore() if index else 0)
    return total


class _Cover(Flowable):
    """The whole cover page: a coloured band with the title, the photo (or a drawn motif), the credits."""

    def __init__(self, plan: BriefPlan, styles: _Styles):
        super().__init__()
        self.plan, self.styles = plan, styles

    def wrap(self, available_width: float, available_height: float):
        self.width, self.height = available_width, available_height
        return available_width, available_height - 1

    def draw(self) -> None:
        plan, styles, canvas = self.plan, self.styles, self.canv
        cover = plan.cover
        k = styles.scale
        width, height = plan.page_size
        left = plan.margins.left * 0.75
        text_width = width - 2 * left
        kicker = tags.leaf("P", Paragraph(styles.text(cover.kicker.upper(), styles.sans), ParagraphStyle(
            "kicker", fontName=styles.sans, fontSize=9.5 * k, leading=12 * k, textColor=styles.on_primary_muted)))
        title = tags.leaf("H1", Paragraph(f"<b>{styles.text(cover.title, styles.sans)}</b>", ParagraphStyle(
            "cover-title", fontName=styles.sans, fontSize=30 * k, leading=35 * k, textColor=styles.on_primary)))
        parts = [(kicker, 18), (title, 14)]
        if cover.subtitle:
            parts.append((tags.leaf("P", Paragraph(f"<i>{styles.text(cover.subtitle)}</i>", ParagraphStyle(
                "cover-subtitle", fontName=styles.serif, fontSize=14 * k, leading=19 * k, textColor=styles.on_primary_muted))), 22))
        parts.append((tags.leaf("P", Paragraph(styles.text(cover.byline, styles.sans) + f'<font color="{styles.on_primary_muted.hexval()}">  ·  {styles.text(cover.date_line, styles.sans)}</font>',
                                ParagraphStyle("byline", fontName=styles.sans, fontSize=12 * k, leading=15 * k, textColor=styles.on_primary))), 0))
        heights = [p.wrap(text_width, height)[1] for p, _ in parts]
        band = max(height * 0.42, sum(heights) + sum(gap for _, gap in parts) + 130)
        canvas.setFillColor(styles.primary)
        canvas.rect(0, height - band, width, band, stroke=0, fill=1)
        canvas.setFillColor(styles.accent)
        canvas.rect(left, height - 62, 46, 5, stroke=0, fill=1)
        if cover.logo:  # top right of the band, level with the accent rule
            logo_width, logo_height = image_size(cover.logo)
            scale = min(130 / logo_width, 44 / logo_height)
            drawn_width, drawn_height = logo_width * scale, logo_height * scale
            canvas.drawImage(_reader(cover.logo, drawn_width, drawn_height, styles.dpi), width - left - drawn_width,
                             height - 36 - drawn_height, drawn_width, drawn_height, mask="auto")
        y = height - 86
        for (paragraph, gap), paragraph_height in zip(parts, heights):
            paragraph.drawOn(canvas, left, y - paragraph_height)
            y -= paragraph_height + gap
        footer_top = 92
        area_top, area_bottom = height - band - 28, footer_top + 24
        if cover.image:
            self._photo(left, area_bottom, text_width, area_top - area_bottom)
        else:
            self._motif(left, area_bottom, text_width, area_top - area_bottom)
        canvas.setStrokeColor(styles.rule)
        canvas.setLineWidth(0.5)
        canvas.line(left, footer_top, width - left, footer_top)
        note = tags.leaf("P", Paragraph(styles.text(cover.notice, styles.sans), styles.small))
        note.wrap(text_width, 100)
        note.drawOn(canvas, left, footer_top - 10 - note.height)

    def _photo(self, x: float, y: float, width: float, height: float) -> None:
        canvas, styles = self.canv, self.styles
        cover = self.plan.cover
        assert cover.image is not None  # drawn only when the plan has a cover photo
        credit = tags.leaf("Caption", Paragraph(styles.text(cover.credit or (), styles.sans), self.styles.small))
        credit_height = credit.wrap(width, 100)[1]
        image_width, image_height = image_size(cover.image)
        room = height - credit_height - 6
        scale = min(width / image_width, room / image_height)
        drawn_width, drawn_height = image_width * scale, image_height * scale
        top = y + height
        with tags.marked(canvas, tags.Node("Figure", Alt=cover.image_alt, Placement="Block")):
            canvas.drawImage(_reader(cover.image, drawn_width, drawn_height, styles.dpi), x, top - drawn_height,
                             drawn_width, drawn_height, mask="auto")
        credit.drawOn(canvas, x, top - drawn_height - 6 - credit_height)

    def _motif(self, x: float, y: float, width: float, height: float) -> None:
        """Three overlapping rings and a dotted grid: a designed cover when there is no photo."""
        canvas, styles = self.canv, self.styles
        canvas.saveState()
        _dot_grid(canvas, styles.tint, x, y + height - 4, int(width // 18) + 1, int(height // 18))
        across, up = self.plan.cover.motif_at
        centre_x, centre_y, radius = x + width * across, y + height * up, min(width, height) * 0.24
        for index, (dx, dy, colour) in enumerate([(-0.55, 0.3, styles.primary), (0.55, 0.3, styles.accent), (0, -0.62, styles.muted)]):
            canvas.setStrokeColor(colour)
            canvas.setLineWidth(2.2 if index < 2 else 1.6)
            canvas.circle(centre_x + dx * radius, centre_y + dy * radius, radius, stroke=1, fill=0)
        canvas.restoreState()


def _dot_grid(canvas: Canvas, colour, left: float, top: float, columns: int, rows: int) -> None:
    """Dots 2.2 pt across, 18 pt apart, from (left, top) rightwards and down: one path of
    zero-length lines with round caps, which PDF paints as filled circles: one path, where ~600
    circles would be four Bézier curves each."""
    canvas.saveState()
    canvas.setStrokeColor(colour)
    canvas.setLineWidth(2.2)
    canvas.setLineCap(1)
    path = canvas.beginPath()
    for row in range(rows):
        for column in range(columns):
            path.moveTo(left + column * 18, top - row * 18)
            path.lineTo(left + column * 18, top - row * 18)
    canvas.drawPath(path, stroke=1, fill=0)
    canvas.restoreState()
