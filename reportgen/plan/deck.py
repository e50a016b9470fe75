"""Document → :class:`DeckPlan`: every slide, every shape and every font size, measured.

Slides come from the key points (never from the prose, which goes to the speaker notes), the
quotes, figures, tables and timelines of each section, framed by a title slide, an agenda,
section dividers, an author slide, a credits slide and a closing slide. Each text box is sized
here with :mod:`reportgen.plan.fit`: the largest size in its range that fits, and when even the
floor does not fit, the content is split onto "(cont.)" slides. The emitter only writes what the
plan says; it measures nothing and never relies on autofit. Lengths are points; (0, 0) is the
slide's top left corner.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from reportgen import model
from reportgen.images import image_size
from reportgen.plan import fit
from reportgen.plan import blocks
from reportgen.plan import chart as charts
from reportgen.plan.language import local_date
from reportgen.plan.shared import (
    column_weights, credit_spans, first_published, image_credit, licence_mark, licence_statement, spans,
    suggested_citation, usable_image, used_credits,
)
from reportgen.plan.slides import (
    HEADING_ROLES, Box, ChartShape, DeckLook, DeckPlan, Footer, FooterType, Frame, Line, Picture, Rect, Role, Shape, Slide, SlideKind, TableShape,
    in_reading_order,
)
from reportgen.plan.template import Layout, Template, choose_layouts
from reportgen.theme import Theme, deck_roles

SLIDE_SIZES: dict[str, tuple[float, float]] = {"16:9": (960.0, 540.0), "4:3": (720.0, 540.0)}

BODY_MAX, BODY_MIN = 28.0, 18.0
"""The default design's body sizes; a theme scales them. Body text never goes under 18 pt: below
that, content moves to a continuation slide."""
SMALL_MIN = 12.0
"""Captions, credits under a picture, footers: the only text allowed under the body floor."""

MARGIN = 48.0
TIMELINE_PER_SLIDE = 5

# --- text ---------------------------------------------------------------------------------


def para(text: model.Text | str, *, bullet: bool = False, level: int = 0, bold: bool = False,
         italic: bool = False) -> fit.Para:
    return fit.Para(spans(text, bold, italic), level=level, bullet=bullet)


def _spec(box: Box, spacing: float = 0.0, line_spacing: float = 1.0, indent: float = 0.0,
          font: str = "carlito", code_font: str | None = None) -> fit.BoxSpec:
    return fit.BoxSpec(box.w, box.h, line_spacing=line_spacing, space_before_em=spacing, indent_per_level=indent,
                       font=font, code_font=code_font if code_font != font else None)


def frame(box: Box, paras: list[fit.Para] | tuple[fit.Para, ...], role: Role, max_size: float, min_size: float,
          *, align: str = "left", fallback_min: float | None = None, **spacing) -> Frame | None:
    """A frame at the largest size in [min_size, max_size] that fits without breaking a word;
    when none does, the largest in [fallback_min, min_size] (for text allowed under the body
    floor); when none does, the largest that fits, words broken; else None."""
    spec = _spec(box, **spacing)
    size = fit.best_size(paras, spec, max_size, min_size)
    if size is None and fallback_min is not None:
        size = fit.best_size(paras, spec, min_size, fallback_min)
    if size is None:
        size = fit.best_size(paras, spec, max_size, fallback_min or min_size, keep_words=False)
    return None if size is None else Frame(box, tuple(paras), size, spec, role, align)  # type: ignore[arg-type]


def frames_split(box: Box, paras: list[fit.Para], role: Role, max_size: float, min_size: float,
                 *, align: str = "left", **spacing) -> list[Frame]:
    """One frame when the paragraphs fit at ``min_size`` or more; else several, one per slide,
    all at one size (the largest at which every chunk fits)."""
    whole = frame(box, paras, role, max_size, min_size, align=align, **spacing)
    if whole is not None:
        return [whole]
    spec = _spec(box, **spacing)
    chunks = fit.split(paras, spec, min_size)
    size = min(fit.best_size(chunk, spec, max_size, min_size) or min_size for chunk in chunks)
    return [Frame(box, tuple(chunk), size, spec, role, align) for chunk in chunks]  # type: ignore[arg-type]


# --- the plan -----------------------------------------------------------------------------


class _Planner:
    def __init__(self, document: model.Document, slide_size: str, theme: Theme):
        self.doc = document
        self.theme = theme
        self.scale = theme.deck.body_size / BODY_MAX
        self.body_max, self.body_min = theme.deck.body_size, theme.deck.body_min
        self.dark_all = theme.deck.dark_slides == "all"
        self.width, self.height = SLIDE_SIZES[slide_size]
        self.inner = self.width - 2 * MARGIN
        self.title_box = Box(MARGIN, 28, self.inner, 84)
        self.body_box = Box(MARGIN, 124, self.inner, self.height - 124 - 58)
        self.slides: list[Slide] = []
        self.section_starts: list[int] = []
        """The index of each section's first slide (its divider, or its first content slide)."""

    def font(self, role: Role) -> str:
        """The metrics that measure ``role``'s text: the theme's heading font for titles and
        section numbers, its body font for the rest (as the emitter names them)."""
        fonts = self.theme.fonts
        return (fonts.heading if role in HEADING_ROLES else fonts.body).measured_with

    @property
    def code_font(self) -> str:
        """The metrics that measure inline code (the theme's mono font)."""
        return self.theme.fonts.mono.measured_with

    def frame(self, box: Box, paras, role: Role, max_size: float, min_size: float, **options) -> Frame | None:
        """:func:`frame`, measured with the font of ``role``."""
        return frame(box, paras, role, max_size, min_size, font=self.font(role), code_font=self.code_font, **options)

    def frames_split(self, box: Box, paras, role: Role, max_size: float, min_size: float, **options) -> list[Frame]:
        """:func:`frames_split`, measured with the font of ``role``."""
        return frames_split(box, paras, role, max_size, min_size, font=self.font(role), code_font=self.code_font,
                            **options)

    def placeholder(self, box: Box, block: model.Figure, **options) -> list[Shape | None]:
        """Where a draft's missing image would be: a tinted box that names the file and gives
        the alt text."""
        inset = min(24.0, box.w / 8, box.h / 8)
        text = [para(f"Image not found: {block.image.name}", bold=True), para(block.alt, italic=True)]
        inner = Box(box.x + inset, box.y + inset, box.w - 2 * inset, box.h - 2 * inset)
        return [Rect(box, "tint"), self.frame(inner, text, "body", self.size(24), self.body_min, **options)]

    def title_frame(self, text: str, *, box: Box | None = None, role: Role = "title", max_size: float | None = None,
                    min_size: float | None = None, align: str = "left") -> Frame:
        box = box or self.title_box
        max_size = max_size if max_size is not None else self.theme.deck.title_size
        min_size = min(min_size if min_size is not None else self.body_min, max_size)
        # a title too long even at the floor is measured smaller rather than cut
        found = self.frame(box, [para(text, bold=True)], role, max_size, min_size, align=align, fallback_min=8)
        if found is not None:
            return found
        # too long even at 8 pt (thousands of characters): the longest start of it that fits,
        # cut with an ellipsis (the brief holds it whole)
        fitting, low, high = None, 1, len(text) - 1
        while low <= high:
            middle = (low + high) // 2
            cut = self.frame(box, [para(shortened(text, middle), bold=True)], role, max_size, min_size, align=align,
                             fallback_min=8)
            if cut is None:
                high = middle - 1
            else:
                fitting, low = cut, middle + 1
        if fitting is None:
            raise ValueError(f"a title does not fit its box at any size: {text[:60]!r}")
        return fitting

    def add(self, kind: SlideKind, title: str, shapes: Sequence[Shape | None], notes: list[str]) -> None:
        """A slide with a standard title: dark when the theme darkens every slide, unless it
        holds a link (PowerPoint and LibreOffice draw links in the theme's link colour, made
        for a light background) or a tinted box (a missing image's placeholder, whose text is
        set for a light one). A None among ``shapes`` (a frame with nothing to hold) is left out."""
        kept = [shape for shape in shapes if shape is not None]
        dark = self.dark_all and not any(s.href for f in kept if isinstance(f, Frame) for p in f.paras for s in p.spans)
        dark = dark and not any(isinstance(shape, Rect) and shape.fill == "tint" for shape in kept)
        self.slides.append(Slide(kind, self.title_frame(title), tuple(kept), tuple(n for n in notes if n), dark=dark))

    # -- slides ---------------------------------------------------------------------------

    def title_slide(self) -> None:
        doc = self.doc
        image = doc.cover.image if doc.cover and usable_image(doc.cover.image) else None
        text_width = self.inner * (0.52 if image else 0.8)
        shapes: list[Shape | None] = [Rect(Box(MARGIN, 150, 56, 6), "accent")]
        y = 176.0
        title = self.title_frame(doc.title, box=Box(MARGIN, y, text_width, 170), max_size=44, min_size=24)
        y += fit.height(title.paras, title.size, title.spec) + 18
        if doc.subtitle:
            subtitle = self.frame(Box(MARGIN, y, text_width, 80), [para(doc.subtitle, italic=True)], "subtitle", self.size(24), self.body_min)
            if subtitle:
                shapes.append(subtitle)
            y += 88
        byline = ", ".join(a.name for a in doc.authors) + " · " + local_date(doc.date, doc.language)
        shapes.append(self.frame(Box(MARGIN, min(y, self.height - 90), text_width, 40), [para(byline)], "subtitle",
                            self.size(20), self.body_min, fallback_min=SMALL_MIN))
        kicker = " · ".join(x for x in (doc.series, doc.publisher) if x)
        if kicker:
            shapes.append(self.frame(Box(MARGIN, 110, text_width, 32), [para(kicker.upper())], "label", 16, SMALL_MIN))
        if logo := self.theme.logo_on_primary:  # top right, above the photo (the title slide is dark)
            shapes.append(Picture(logo, contain(Box(self.width - MARGIN - 150, 24, 150, 54), logo, align="right"),
                                  self.logo_alt))
        if image:
            picture_box = Box(MARGIN + self.inner * 0.56, 90, self.inner * 0.44, self.height - 190)
            shapes.append(Picture(image, contain(picture_box, image), doc.cover.alt if doc.cover else ""))
            credit = "".join(s.text for s in credit_spans(doc.credits[0]))
            shapes.append(self.frame(Box(picture_box.x, self.height - 96, picture_box.w, 48), [para(credit)], "caption", 12, 8))
        self.slides.append(Slide("title", title, tuple(s for s in shapes if s), tuple(p.plain for p in doc.summary),
                                 dark=True, footer=False))

    def agenda(self, sections: list[model.Section]) -> None:
        items = [para(self.heading(s), bullet=True) for s in sections]
        for index, body in enumerate(self.frames_split(self.body_box, items, "body", self.body_max, self.body_min, spacing=0.3, indent=24)):
            title = "Agenda" + (" (cont.)" if index else "")
            self.add("agenda", title, [body], ["What this talk covers: " + "; ".join(self.heading(s) for s in sections) + "."])

    def link_agenda(self) -> None:
        """Each agenda entry made a link to its section's first slide (its divider, or its first
        content slide): a click in the slide show jumps there. A slide holding links is light
        (PowerPoint draws them in the theme's link colour, made for a light background)."""
        starts = iter(self.section_starts)
        target = 0
        for index, slide in enumerate(self.slides):
            if slide.kind != "agenda":
                continue
            shapes = []
            for shape in slide.shapes:
                if isinstance(shape, Frame) and shape.role == "body":
                    paras = []
                    for p in shape.paras:
                        if not p.continued:  # a cut entry's rest links where its start does
                            target = next(starts)
                        paras.append(p._replace(spans=tuple(span._replace(slide=target) for span in p.spans)))
                    shape = shape._replace(paras=tuple(paras))
                shapes.append(shape)
            self.slides[index] = slide._replace(shapes=tuple(shapes), dark=False)

    def size(self, points: float) -> float:
        """A body-text size of the default design, scaled to the theme, never under its floor."""
        return max(points * self.scale, self.body_min)

    def heading(self, section: model.Section) -> str:
        return section.deck.title or section.heading

    # -- the chooser: which design each section's content gets ------------------------------
    #
    # A section's slides are chosen in this order (docs/design.md says why):
    #  1. each group of key points (the section's key_points, or each of its deck.slides) with two
    #     points or more goes beside the next quote, figure or callout of the section not yet
    #     placed, on a two-content slide, when both fit at the theme's floor size (measured with
    #     plan/fit.py); what may sit beside points, and how, is blocks.beside;
    #  2. a group of a single point is a statement slide: the point set large, alone;
    #  3. any other group is a bullets slide (continued on further slides when it does not fit,
    #     never leaving one short bullet alone on the last);
    #  4. every block not placed beside points gets its own slides, in the body's order
    #     (blocks.deck_slides: quotes, figures, tables, timelines, callouts);
    #  5. the section opens with a divider when it has two slides or more, or the theme's
    #     deck.dividers says always (never: none); a section with no slide at all keeps its
    #     divider, which carries its notes.
    # The prose of the section (the speaker notes) is shared out over the slides made from its
    # key points, else it goes on its first slide.

    def section_slides(self, number: int, total: int, section: model.Section) -> None:
        start = len(self.slides)
        prose = blocks.section_notes(section)  # its written notes:, then its prose
        companions = [block for block in section.body if blocks.may_sit_beside(block)]
        placed: list[model.Block] = []
        point_slides: list[int] = []
        written: dict[int, list[str]] = {}  # a hand-written slide's notes:, by the index of its first slide
        for title, items, own_notes in self._point_groups(section):
            before = len(self.slides)
            if own_notes:
                written[before] = own_notes
            waiting = next((block for block in companions if not any(block is p for p in placed)), None)
            if len(items) >= 2 and waiting is not None and self.two_content(title, items, waiting):
                placed.append(waiting)
            elif not (len(items) == 1 and self.statement(title, items[0])):
                self.bullets(title, items)
            point_slides += range(before, len(self.slides))
        for block in section.body:
            if not any(block is p for p in placed):
                blocks.deck_slides(self, section, block)
        made = len(self.slides) - start
        if point_slides:
            for index, share in zip(point_slides, _share(prose, len(point_slides))):
                slide = self.slides[index]
                if share == [CONTINUED] and slide.notes:  # a quote's or callout's notes are enough
                    share = []
                elif not prose:  # nothing to say but the points
                    share = [] if slide.notes else ["Key points: " + "; ".join(
                        p.text for f in slide.shapes if isinstance(f, Frame) and f.role in ("body", "quote")
                        for p in f.paras) + "."]
                self.slides[index] = slide._replace(notes=tuple(share) + slide.notes)
        elif made:
            first = self.slides[start]
            self.slides[start] = first._replace(notes=tuple(prose) + first.notes)
        for index, own_notes in written.items():  # said first on their slide
            if index < len(self.slides):
                slide = self.slides[index]
                self.slides[index] = slide._replace(notes=tuple(own_notes) + slide.notes)
        policy = self.theme.deck.dividers
        if made == 0 or policy == "always" or (policy == "auto" and made >= 2):
            divider_notes = [f"Section {number} of {total}: {section.heading}."] + ([] if made else prose)
            self.slides.insert(start, self._divider(number, section, divider_notes))
        self.section_starts.append(start)

    def _divider(self, number: int, section: model.Section, notes: list[str]) -> Slide:
        shapes: list[Shape | None] = [
            Rect(Box(MARGIN, 200, 56, 6), "accent"),
            self.frame(Box(MARGIN, 120, 200, 72), [para(f"{number:02d}", bold=True)], "number", 54, 24),
        ]
        title = self.title_frame(self.heading(section), box=Box(MARGIN, 222, self.inner * 0.85, 200), role="divider",
                                 max_size=44, min_size=24)
        return Slide("section", title, tuple(s for s in shapes if s), tuple(notes), dark=True)

    def _point_groups(self, section: model.Section) -> list[tuple[str, list[fit.Para], list[str]]]:
        """(title, points, the notes written for them) for each slide the section's key points
        make: its deck.slides (each with its own notes:), else its key_points."""
        if section.deck.slides:
            return [(s.title, [para(p, bullet=True) for p in s.points], [n.plain for n in s.notes])
                    for s in section.deck.slides]
        if section.key_points:
            return [(self.heading(section), [para(p, bullet=True) for p in section.key_points], [])]
        return []

    def fitting(self, box: Box, paras, role: Role, max_size: float, min_size: float, **options) -> Frame | None:
        """A frame at the largest size in [min_size, max_size] at which ``paras`` fit ``box``
        without breaking a word; None when they do not fit at ``min_size`` (no smaller size, no
        split: the chooser then picks another design)."""
        if min_size > max_size:
            return None
        align = options.pop("align", "left")
        spec = _spec(box, font=self.font(role), code_font=self.code_font, **options)
        size = fit.best_size(paras, spec, max_size, min_size)
        return None if size is None else Frame(box, tuple(paras), size, spec, role, align)

    # -- key points: bullets, a statement, or beside a quote, figure or callout --------------

    def bullets(self, title: str, items: list[fit.Para]) -> None:
        """The points as a bulleted list, on as many slides as it takes at the floor size."""
        frames = self.frames_split(self.body_box, items, "body", self.body_max, self.body_min, spacing=0.5, indent=26)
        for index, body in enumerate(_no_lone_short_bullet(frames)):
            self.add("bullets", title + (" (cont.)" if index else ""), [body], [])

    def statement(self, title: str, item: fit.Para) -> bool:
        """A single point set large on a slide of its own (not a lone bullet); False when it
        does not fit at the floor size."""
        text = item._replace(bullet=False, level=0)
        found = self.fitting(self.statement_box, [text], "quote", self.size(44), self.body_min, line_spacing=1.05)
        if found is None:
            return False
        self.add("statement", title, self.place_statement(found), [])
        return True

    @property
    def statement_box(self) -> Box:
        return Box(MARGIN + 40, 150, self.inner * 0.8, self.height - 150 - 90)

    def place_statement(self, found: Frame) -> list[Shape | None]:
        """The statement centred on the body area, an accent rule above it."""
        h = fit.height(found.paras, found.size, found.spec)
        area = self.statement_box
        y = area.y + (area.h - h) / 2
        return [Rect(Box(area.x + 7, y - 22, 56, 5), "accent"), found._replace(box=Box(area.x, y, area.w, h))]

    def columns(self, share: float) -> tuple[Box, Box]:
        """The two-content slide's columns: key points on the left (``share`` of the body's
        width), the other content on the right."""
        body, gap = self.body_box, 36.0
        left = body.w * share
        return Box(body.x, body.y, left, body.h), Box(body.x + left + gap, body.y, body.w - left - gap, body.h)

    def two_content(self, title: str, items: list[fit.Para], block: model.Block) -> bool:
        """The points on the left, ``block`` beside them (:func:`reportgen.plan.blocks.beside`),
        when both fit at the floor size: the points given 54 % of the width, else 46 % (which
        leaves a figure room enough); False (nothing added) when neither does."""
        for share in (0.54, 0.46):
            left, right = self.columns(share)
            points = self.fitting(left, items, "body", self.body_max, self.body_min, spacing=0.5, indent=26)
            found = blocks.beside(self, block, right) if points is not None else None
            if found is not None:
                shapes, notes = found
                self.add("two_content", title, [points, *shapes], notes)
                return True
        return False

    def quote_beside(self, block: model.Quote, box: Box) -> tuple[list[Shape | None], list[str]] | None:
        """The quotation in ``box``: an accent rule, the words, who said them."""
        text = [fit.Para((fit.Span("“"), *spans(block.text, italic=True), fit.Span("”")))]
        by = [para("— " + block.by)] if block.by else []
        by_h = 64.0 if by else 0.0
        words = self.fitting(Box(box.x, box.y + 20, box.w, box.h - 20 - by_h), text, "quote", self.size(36),
                             self.body_min, line_spacing=1.05)
        if words is None:
            return None
        h = fit.height(words.paras, words.size, words.spec)
        shapes: list[Shape | None] = [Rect(Box(box.x + 7, box.y + 4, 56, 5), "accent"),
                                      words._replace(box=words.box._replace(h=h))]
        if by:
            who = self.fitting(Box(box.x, box.y + 20 + h + 6, box.w, by_h - 6), by, "caption", 20, SMALL_MIN)
            if who is None:
                return None
            shapes.append(who)
        return shapes, [_quote_note(block)]

    def figure_beside(self, block: model.Figure, box: Box) -> tuple[list[Shape | None], list[str]] | None:
        """The figure in ``box``, fitted, its caption and credit under it."""
        lines = [fit.Para((*spans(block.caption), fit.Span(". "), *credit_spans(image_credit(block))))]
        caption = self.fitting(Box(box.x, box.y, box.w, 96), lines, "caption", 16, SMALL_MIN)
        if caption is None:
            return None
        caption_h = fit.height(caption.paras, caption.size, caption.spec)
        area = Box(box.x, box.y, box.w, box.h - caption_h - 8)
        placed = contain(area, block.image) if usable_image(block.image) else area
        if placed.w * placed.h < 0.25 * self.body_box.w * self.body_box.h:  # too small to read beside points
            return None
        shapes: list[Shape | None] = []
        if usable_image(block.image):
            picture = placed._replace(y=box.y)  # top-aligned with the points
            shapes.append(Picture(block.image, picture, block.alt))
            bottom = picture.y + picture.h
        else:
            shapes += self.placeholder(area, block)
            bottom = area.y + area.h
        shapes.append(caption._replace(box=Box(box.x, bottom + 8, box.w, box.y + box.h - bottom - 8)))
        return shapes, [f"Figure: {block.caption.plain}. {block.alt}"]

    def callout_beside(self, block: model.Callout, box: Box) -> tuple[list[Shape | None], list[str]] | None:
        """The callout as a box beside the points: its label, its text."""
        shapes = self.callout_box(block, box, self.size(24), with_label=True)
        return None if shapes is None else (shapes, _callout_notes(block))

    def callout_box(self, block: model.Callout, box: Box, max_size: float, *, with_label: bool,
                    paras: list[fit.Para] | None = None) -> list[Shape | None] | None:
        """A callout drawn in ``box`` (as tall as its text needs): on a light slide a tinted
        box with an accent bar down its left, on a dark one the bar alone; None when the text
        does not fit at the floor size."""
        pad = 18.0
        inner = Box(box.x + pad + 6, box.y + pad, box.w - 2 * pad - 6, box.h - 2 * pad)
        shapes: list[Shape | None] = []
        y = inner.y
        if with_label and block.title:
            label = self.fitting(Box(inner.x, y, inner.w, 30), [para(block.title.upper())], "label", 16, SMALL_MIN)
            if label is None:
                return None
            label_h = fit.height(label.paras, label.size, label.spec)
            shapes.append(label._replace(box=label.box._replace(h=label_h)))
            y += label_h + 4
        text = paras if paras is not None else [para(p) for p in block.text]
        body = self.fitting(Box(inner.x, y, inner.w, inner.y + inner.h - y), text, "body", max_size, self.body_min,
                            spacing=0.3)
        if body is None:
            return None
        h = fit.height(body.paras, body.size, body.spec)
        shapes.append(body._replace(box=body.box._replace(h=h)))
        height = y + h + pad - box.y
        decoration: list[Shape | None] = [] if self.dark_all else [Rect(Box(box.x, box.y, box.w, height), "tint")]
        decoration.append(Rect(Box(box.x, box.y, 6, height), "accent"))
        return decoration + shapes

    def callout(self, section: model.Section, block: model.Callout) -> None:
        """A callout that sits beside no points: a slide of its own, the callout's box across it."""
        title = block.title or self.heading(section)
        area = self.body_box
        text = [para(p) for p in block.text]
        spec_box = Box(area.x + 24 + 6, area.y + 18, area.w - 48 - 6, area.h - 36)
        chunks = [list(f.paras) for f in self.frames_split(spec_box, text, "body", self.size(28), self.body_min, spacing=0.3)]
        for index, chunk in enumerate(chunks):
            boxed = self.callout_box(block, area, self.size(28), with_label=False, paras=chunk)
            shapes: list[Shape | None] = list(boxed) if boxed is not None else list(  # too long even alone: unboxed
                self.frames_split(spec_box, chunk, "body", self.size(28), self.body_min, spacing=0.3)[:1])
            self.add("callout", title + (" (cont.)" if index else ""), shapes,
                     _callout_notes(block) if index == 0 else [])

    def quote(self, section: model.Section, block: model.Quote) -> None:
        box = Box(MARGIN + 40, 150, self.inner - 80, self.height - 300)
        quote = [fit.Para((fit.Span("“"), *spans(block.text, italic=True), fit.Span("”")))]
        frames = self.frames_split(box, quote, "quote", self.size(40), self.body_min, line_spacing=1.05)
        for index, body in enumerate(frames):
            h = fit.height(body.paras, body.size, body.spec)
            by_h = 58.0 if block.by and index == len(frames) - 1 else 0.0
            if len(frames) == 1:  # a quotation that fits one slide sits in the middle of the body area
                top = box.y + max(0.0, (box.h - h - by_h) / 2)
                body = body._replace(box=body.box._replace(y=top, h=box.y + box.h - top))
            shapes: list[Shape | None] = [Rect(Box(MARGIN + 40, body.box.y - 18, 56, 5), "accent"), body]
            if block.by and by_h:  # who said it, just under the words
                shapes.append(self.frame(Box(MARGIN + 40, body.box.y + h + 14, self.inner - 80, 44), [para("— " + block.by)],
                                         "caption", 22, SMALL_MIN))
            self.add("quote", self.heading(section) + (" (cont.)" if index else ""), shapes, [_quote_note(block)])

    def figure(self, section: model.Section, block: model.Figure) -> None:
        # The caption is the slide's title; under the picture goes its credit.
        credit = image_credit(block)
        caption_box = Box(MARGIN, self.height - 130, self.inner, 72)
        caption_frame = self.frame(caption_box, [fit.Para(credit_spans(credit))], "caption", 18, SMALL_MIN)
        shapes: list[Shape | None] = []
        if usable_image(block.image):
            shapes.append(Picture(block.image, contain(Box(MARGIN, 124, self.inner, self.height - 124 - 140), block.image), block.alt))
        else:
            shapes += self.placeholder(Box(MARGIN, 124, self.inner, self.height - 124 - 140), block)
        if caption_frame:
            shapes.append(caption_frame)
        self.add("figure", block.caption.plain, [s for s in shapes if s],
                 [f"Figure: {block.caption.plain}. {block.alt}"])

    def table(self, section: model.Section, block: model.Table) -> None:
        """A table set at the largest body size (the theme's floor at least) at which it fits on
        one slide; else at the floor, its rows shared evenly over as few slides as hold them,
        the header repeated. Rows are then made taller, up to half a line each, to use the
        space (their text centred), never beyond the body area."""
        area = self.body_box
        least = (blocks.CELL_PADDING + blocks.MIN_COLUMN_EMS * self.body_min) / area.w
        columns = [area.w * share for share in column_weights(block, least)]
        font, code = self.font("body"), self.code_font
        spec = lambda w: fit.BoxSpec(w, 10_000, inset_left=6, inset_right=6, inset_top=4, inset_bottom=4,  # noqa: E731
                                     font=font, code_font=code if code != font else None)

        def row_height(cells, size: float, bold: bool = False) -> float:
            return max(fit.height([para(c, bold=bold)], size, spec(w)) for c, w in zip(cells, columns))

        def measure(size: float) -> tuple[float, list[float]]:
            return row_height(block.header, size, True), [row_height(r, size) for r in block.rows]

        size = self.body_min
        for candidate in _sizes(self.body_max, self.body_min):
            header_height, heights = measure(candidate)
            if header_height + sum(heights) <= area.h:
                size = candidate
                break
        header_height, heights = measure(size)
        room = area.h - header_height
        pages = _share_rows(heights, room)
        title = block.caption.plain if block.caption else self.heading(section)
        header = tuple((para(c, bold=True),) for c in block.header)
        for number, rows in enumerate(pages):
            body = tuple(tuple((para(c),) for c in block.rows[i]) for i in rows)
            row_heights = [header_height, *(heights[i] for i in rows)]
            spare = area.h - sum(row_heights)
            grow = min(spare / len(row_heights), size * 0.5) if spare > 0 else 0.0
            row_heights = [h + grow for h in row_heights]
            shape = TableShape(Box(area.x, area.y, area.w, sum(row_heights)), tuple(columns), (header, *body),
                               tuple(row_heights), size)
            notes = [f"Table: {title}. " + " ".join(" | ".join(c.plain for c in block.rows[i]) + "." for i in rows)]
            self.add("table", title + (" (cont.)" if number else ""), [shape], notes)

    def timeline(self, section: model.Section, block: model.Timeline) -> None:
        events = list(block.events)
        groups = [events[i:i + TIMELINE_PER_SLIDE] for i in range(0, len(events), TIMELINE_PER_SLIDE)]
        title = block.title or self.heading(section)
        for number, group in enumerate(groups):
            area = self.body_box
            column = area.w / len(group)
            axis = area.y + 126
            shapes: list[Shape] = [Line(area.x, axis, area.x + area.w, axis)]
            for index, event in enumerate(group):
                x = area.x + index * column
                centre = x + column / 2
                shapes.append(Rect(Box(centre - 9, axis - 9, 18, 18), "accent", ellipse=True))
                when = self.frame(Box(x + 4, axis - 84, column - 8, 66), [para(event.when, bold=True)], "date", self.size(24), self.body_min,
                                  align="center", fallback_min=SMALL_MIN)
                when = when._replace(anchor="bottom") if when else None  # one- and two-line dates end on the axis
                what = self.frame(Box(x + 4, axis + 24, column - 8, area.y + area.h - axis - 36), [para(event.text)], "event",
                             self.size(22), self.body_min, align="center", fallback_min=SMALL_MIN)
                shapes += [s for s in (when, what) if s]
            notes = [f"Timeline: {title}. " + " ".join(f"{e.when}: {e.text.plain}." for e in group)]
            self.add("timeline", title + (" (cont.)" if number else ""), shapes, notes)

    def chart(self, section: model.Section, block: model.Chart) -> None:
        """A native chart under its title, its source line beneath; the notes read its data out."""
        spec = blocks.chart_spec(block, self.doc.language)
        area = self.body_box
        caption = (self.frame(Box(area.x, area.y + area.h - 40, area.w, 40), [fit.Para(spec.source)], "caption", 16,
                              SMALL_MIN) if spec.source else None)
        height = area.h - (48 if caption else 0)
        shape = ChartShape(Box(area.x, area.y, area.w, height), spec, charts.DECK_TEXT,
                           charts.deck_value_labels(spec, area.w, height), self.doc.date)
        self.add("chart", block.title, [shape, caption], [spec.notes])
        self.slides[-1] = self.slides[-1]._replace(dark=False)  # its series take the colours made for a light slide

    def author_slides(self) -> None:
        for author in self.doc.authors:
            head = [para(author.name, bold=True)] + ([para(author.affiliation)] if author.affiliation else [])
            name = self.frame(Box(MARGIN, 124, self.inner, 84), head, "body", self.size(28), self.body_min)
            bios = [para(p) for p in author.bio]
            box = Box(MARGIN, 218, self.inner, self.height - 218 - 58)
            bodies = self.frames_split(box, bios, "body", self.size(24), self.body_min, spacing=0.4) if bios else [None]
            title = "About the author" if len(self.doc.authors) == 1 else "About the authors"
            for index, body in enumerate(bodies):
                shapes = [s for s in (name if index == 0 else None, body) if s]
                self.add("author", title + (" (cont.)" if index else ""), shapes,
                         [f"{author.name}{', ' + author.affiliation if author.affiliation else ''}."] + [p.plain for p in author.bio])

    def credits_slides(self) -> None:
        doc = self.doc
        licence = doc.licence
        items: list[fit.Para] = []
        if licence.attribution:
            items.append(para(licence.attribution))
        items.append(fit.Para(licence_statement(doc, show_url=True)))
        if doc.source:
            items.append(fit.Para(first_published(doc.source)))
        for credit in used_credits(doc):
            items.append(fit.Para(credit_spans(credit), bullet=True))
        items.append(fit.Para(suggested_citation(doc)))
        notes = [" ".join(p.text for p in items)]
        for index, body in enumerate(self.frames_split(self.body_box, items, "body", self.size(22), self.body_min, spacing=0.5, indent=22)):
            self.add("credits", "Credits and licence" + (" (cont.)" if index else ""), [body], notes)

    def footer(self, number: int, total: int, text: str, mark: str, dated: str, dark: bool = False) -> tuple[Shape, ...]:
        """The layout's footer placeholders, where the footer's text boxes were: the short title
        and the licence mark on the left (``ftr``), the date and the slide number on the right
        (``dt``, ``sldNum``), all at one size. The number's box is as wide as the deck's last number
        (a number that outgrows it, slides added in PowerPoint, extends to the left: see
        :func:`reportgen.render.pptx_deck._footer`)."""
        y, split = self.height - 44, self.inner * 0.62
        logo: tuple[Shape, ...] = ()
        x = MARGIN
        if image := (self.theme.logo_on_primary if dark else self.theme.logo):  # small, before the short title
            box = contain(Box(MARGIN, y + 2, 72, 22), image, align="left")
            logo, x = (Picture(image, box, self.logo_alt),), box.x + box.w + 10
        spec = fit.BoxSpec(0, 0)
        digits = fit.metrics(self.font("footer")).width("0" * len(str(total)), 12)
        number_w = spec.inset_left + spec.inset_right + digits
        right = MARGIN + self.inner
        wanted: tuple[tuple[FooterType, Box, str, Literal["left", "center", "right"]], ...] = (
            ("ftr", Box(x, y, MARGIN + split - x, 28), f"{text} · {mark}", "left"),
            ("dt", Box(MARGIN + split, y, self.inner - split - number_w, 28), dated, "right"),
            ("sldNum", Box(right - number_w, y, number_w, 28), str(number), "right"),
        )
        found = [(kind, self.frame(box, [para(words)], "footer", 12, 6, align=align)) for kind, box, words, align in wanted]
        size = min((f.size for _, f in found if f), default=12)
        return (*logo, *(Footer(kind, f._replace(size=size)) for kind, f in found if f))

    @property
    def logo_alt(self) -> str:
        return f"{self.doc.publisher or self.theme.name} logo"

    def closing(self) -> None:
        doc = self.doc
        lines = [para(doc.title, bold=True), para(", ".join(a.name for a in doc.authors))]
        body = self.frame(Box(MARGIN, 260, self.inner * 0.8, 150), lines, "subtitle", self.size(28), self.body_min, spacing=0.4)
        title = self.title_frame("Thank you", box=Box(MARGIN, 150, self.inner * 0.8, 90), role="divider", max_size=54)
        notes = ["Closing. " + (doc.licence.attribution.plain if doc.licence.attribution else "")]
        self.slides.append(Slide("closing", title, (Rect(Box(MARGIN, 130, 56, 6), "accent"), *( [body] if body else [])),
                                 tuple(notes), dark=True, footer=False))


    def finish(self, slide: Slide, number: int, total: int, text: str, mark: str, dated: str) -> Slide:
        """The slide with its footer, when it has one: ``text · mark``, the date ``dated`` and
        the slide's ``number`` of ``total``."""
        return slide._replace(shapes=slide.shapes + self.footer(number, total, text, mark, dated, slide.dark)) if slide.footer else slide


# slide kind → the kind of template layout it is made from
LAYOUT_OF: dict[str, str] = {
    "title": "title", "section": "section", "closing": "section", "figure": "picture", "table": "title_only",
    "timeline": "title_only", "chart": "title_only", "agenda": "content", "bullets": "content", "statement": "content",
    "two_content": "content", "quote": "content", "callout": "title_only", "author": "content", "credits": "content",
}


def _capitals(paras) -> list[fit.Para]:
    """Paragraphs in capitals, as a template whose placeholder sets ``cap="all"`` shows them."""
    return [p._replace(spans=tuple(s._replace(text=s.text.upper()) for s in p.spans)) for p in paras]


def _box(placeholder) -> Box:
    return Box(placeholder.x, placeholder.y, placeholder.w, placeholder.h)


class _TemplatePlanner(_Planner):
    """Slides made from an institution template's layouts: titles and text measured in, and
    written into, the layouts' own placeholders; the template's background, colours and
    footers, the theme's sizes and floor. Tables, timelines and pictures without a picture
    placeholder are placed in the content layout's body area."""

    def __init__(self, document: model.Document, theme: Theme, template: Template, layouts: dict[str, Layout]):
        super().__init__(document, "16:9", theme)
        self.template, self.layouts = template, layouts
        self.width, self.height = template.width, template.height
        self.dark_all = False
        content = layouts["content"]
        self.title_box = _box(content.title)
        body = content.first("obj", "body")
        if body is not None:
            self.body_box = _box(body)
        else:  # a content layout of a title only: the area under its title
            top = self.title_box.y + self.title_box.h + 12
            self.body_box = Box(self.title_box.x, top, self.title_box.w, self.height * 0.9 - top)
        self.inner = self.body_box.w
        self.body_caps = body is not None and body.caps

    def frame(self, box: Box, paras, role: Role, max_size: float, min_size: float, **options) -> Frame | None:
        """:meth:`_Planner.frame`; text for the content layout's body placeholder measured in
        capitals when the template sets it so."""
        paras = _capitals(paras) if self.body_caps and box == self.body_box else paras
        return super().frame(box, paras, role, max_size, min_size, **options)

    def frames_split(self, box: Box, paras, role: Role, max_size: float, min_size: float, **options) -> list[Frame]:
        paras = _capitals(paras) if self.body_caps and box == self.body_box else paras
        return super().frames_split(box, paras, role, max_size, min_size, **options)

    def titled(self, kind: str, text: str, **sizes) -> tuple[Layout, Frame]:
        """The layout for ``kind`` and the title measured in its title placeholder."""
        layout = self.layouts[LAYOUT_OF[kind]]
        placeholder = layout.title
        assert placeholder is not None, "choose_layouts gives only layouts with a title"
        text = text.upper() if placeholder.caps else text  # as the template will show it
        return layout, self.title_frame(text, box=_box(placeholder), **sizes)._replace(placeholder=placeholder.idx)

    def add(self, kind: SlideKind, title: str, shapes: Sequence[Shape | None], notes: list[str]) -> None:
        layout, title_frame = self.titled(kind, title)
        body = layout.first("obj", "body") if LAYOUT_OF[kind] == "content" else None
        placed: list[Shape] = []
        for shape in (shape for shape in shapes if shape is not None):
            if body is not None and isinstance(shape, Frame) and shape.box[:2] == self.body_box[:2]:
                # the body text fills the body placeholder (moved and resized to the frame: a
                # two-content slide's points take its left part)
                shape, body = shape._replace(placeholder=body.idx), None
            placed.append(shape)
        self.slides.append(Slide(kind, title_frame, tuple(placed), tuple(n for n in notes if n), layout=layout.number))

    def body(self, layout: Layout, paras: list[fit.Para], role: Role, max_size: float, **spacing) -> Frame | None:
        """Text measured in the layout's body (or subtitle) placeholder, to fill it."""
        placeholder = layout.first("subTitle", "body", "obj")
        if placeholder is None:
            return None
        if placeholder.caps:  # measured as the template will show it
            paras = _capitals(paras)
        found = self.frame(_box(placeholder), paras, role, max_size, self.body_min, fallback_min=SMALL_MIN, **spacing)
        return found._replace(placeholder=placeholder.idx) if found else None

    def title_slide(self) -> None:
        """The title layout's title and subtitle; with a cover image, the two moved into the left
        part of the slide and the picture, its credit under it, on the right (the layout has no
        picture placeholder: the picture is placed as PowerPoint places one dropped on the slide)."""
        doc = self.doc
        image = doc.cover.image if doc.cover and usable_image(doc.cover.image) else None
        lines = ([para(doc.subtitle, italic=True)] if doc.subtitle else []) + [
            para(", ".join(a.name for a in doc.authors) + " · " + local_date(doc.date, doc.language))]
        layout, title = self.titled("title", doc.title, max_size=44, min_size=24)
        if image is None:
            found = self.body(layout, lines, "subtitle", self.size(24), spacing=0.3)
            self.slides.append(Slide("title", title, (found,) if found else (), tuple(p.plain for p in doc.summary),
                                     footer=False, layout=layout.number))
            return
        placeholder, sub = layout.title, layout.first("subTitle", "body", "obj")
        assert placeholder is not None
        x0 = min(placeholder.x, sub.x) if sub else placeholder.x
        width = self.width - 2 * x0
        text_w = width * 0.52
        text = placeholder.caps and doc.title.upper() or doc.title
        title = self.title_frame(text, box=Box(x0, placeholder.y, text_w, placeholder.h), max_size=40,
                                 min_size=20)._replace(placeholder=placeholder.idx)
        shapes: list[Shape | None] = []
        if sub is not None:
            found = self.frame(Box(x0, sub.y, text_w, sub.h), _capitals(lines) if sub.caps else lines, "subtitle",
                               self.size(24), self.body_min, fallback_min=SMALL_MIN, spacing=0.3)
            shapes.append(found._replace(placeholder=sub.idx) if found else None)
        top = min(placeholder.y, sub.y if sub else placeholder.y)
        bottom = max(placeholder.y + placeholder.h, sub.y + sub.h if sub else 0)
        area = Box(x0 + width * 0.56, top, width * 0.44, bottom - top - 56)
        picture = contain(area, image)
        shapes.append(Picture(image, picture, doc.cover.alt if doc.cover else ""))
        credit = "".join(span.text for span in credit_spans(doc.credits[0]))
        shapes.append(self.frame(Box(area.x, picture.y + picture.h + 6, area.w, 50), [para(credit)], "caption", 12, 8))
        self.slides.append(Slide("title", title, tuple(s for s in shapes if s), tuple(p.plain for p in doc.summary),
                                 footer=False, layout=layout.number))

    def _divider(self, number: int, section: model.Section, notes: list[str]) -> Slide:
        layout, title = self.titled("section", self.heading(section), max_size=40, min_size=24)
        shapes = [s for s in (self.body(layout, [para(f"{number:02d}", bold=True)], "subtitle", self.size(32)),) if s]
        return Slide("section", title, tuple(shapes), tuple(notes), layout=layout.number)

    @property
    def statement_box(self) -> Box:
        return self.body_box

    def place_statement(self, found: Frame) -> list[Shape | None]:
        """The statement in the content layout's body placeholder, as the template sets it."""
        return [found]

    def closing(self) -> None:
        doc = self.doc
        layout, title = self.titled("closing", "Thank you", max_size=44, min_size=24)
        lines = [para(doc.title, bold=True), para(", ".join(a.name for a in doc.authors))]
        shapes = [s for s in (self.body(layout, lines, "subtitle", self.size(28), spacing=0.4),) if s]
        notes = ["Closing. " + (doc.licence.attribution.plain if doc.licence.attribution else "")]
        self.slides.append(Slide("closing", title, tuple(shapes), tuple(notes), footer=False, layout=layout.number))

    def quote(self, section: model.Section, block: model.Quote) -> None:
        quote = [fit.Para((fit.Span("“"), *spans(block.text, italic=True), fit.Span("”")))]
        if block.by:
            quote.append(para("— " + block.by))
        frames = self.frames_split(self.body_box, quote, "body", self.size(36), self.body_min, spacing=0.4)
        for index, body in enumerate(frames):
            notes = [f"Quotation{' from ' + block.by if block.by else ''}: {block.text.plain}"]
            self.add("quote", self.heading(section) + (" (cont.)" if index else ""), [body], notes)

    def author_slides(self) -> None:
        for author in self.doc.authors:
            lines = [para(author.name, bold=True)] + ([para(author.affiliation)] if author.affiliation else [])
            lines += [para(p) for p in author.bio]
            title = "About the author" if len(self.doc.authors) == 1 else "About the authors"
            for index, body in enumerate(self.frames_split(self.body_box, lines, "body", self.size(24), self.body_min, spacing=0.4)):
                self.add("author", title + (" (cont.)" if index else ""), [body],
                         [f"{author.name}{', ' + author.affiliation if author.affiliation else ''}."] + [p.plain for p in author.bio])

    def figure(self, section: model.Section, block: model.Figure) -> None:
        layout, title = self.titled("figure", block.caption.plain)
        credit = image_credit(block)
        picture = layout.first("pic")
        area = _box(picture) if picture else Box(self.body_box.x, self.body_box.y, self.body_box.w, self.body_box.h - 60)
        shapes: list[Shape | None] = []
        if usable_image(block.image):
            shapes.append(Picture(block.image, contain(area, block.image), block.alt,
                                  placeholder=picture.idx if picture else None))
        else:
            shapes += self.placeholder(area, block, fallback_min=SMALL_MIN)
        caption = self.body(layout, [fit.Para(credit_spans(credit))], "caption", 18) if picture else None
        if caption is None:
            bottom = area.y + area.h
            caption = self.frame(Box(area.x, bottom + 4, area.w, 52), [fit.Para(credit_spans(credit))], "caption", 18, SMALL_MIN)
        shapes.append(caption)
        self.slides.append(Slide("figure", title, tuple(s for s in shapes if s), (f"Figure: {block.caption.plain}. {block.alt}",),
                                 layout=layout.number))

    def finish(self, slide: Slide, number: int, total: int, text: str, mark: str, dated: str) -> Slide:
        """The layout's footer placeholders filled: the date, the short title and licence mark,
        the slide number, each where the layout has it (a layout without one goes without)."""
        if not slide.footer or slide.layout is None:
            return slide
        layout = self.template.layouts[slide.layout]
        wanted: tuple[tuple[FooterType, str, Literal["left", "center", "right"]], ...] = (
            ("dt", dated, "left"), ("ftr", f"{text} · {mark}", "center"), ("sldNum", str(number), "right"))
        footers: list[Shape] = []
        for kind, words, align in wanted:
            placeholder = layout.first(kind)
            if placeholder is None:  # the layout has none: the slide goes without, no text box instead
                continue
            paras = [para(words.upper() if placeholder.caps else words)]  # measured as the template shows it
            found = self.frame(_box(placeholder), paras, "footer", 12, 6, align=align)
            if found is not None:
                footers.append(Footer(kind, found._replace(placeholder=placeholder.idx)))
        return slide._replace(shapes=slide.shapes + tuple(footers))


def table_columns_that_fit(theme: Theme, slide_size: str | None = None) -> int:
    """The most columns a table may have on a slide: each at least :data:`blocks.MIN_COLUMN_EMS`
    of the theme's floor size wide, plus its padding, across the body."""
    width, _ = SLIDE_SIZES[slide_size or theme.deck.slide_size]
    return max(1, int((width - 2 * MARGIN) // (blocks.CELL_PADDING + blocks.MIN_COLUMN_EMS * theme.deck.body_min)))


def plan_deck(document: model.Document, theme: Theme, slide_size: str | None = None,
              template: Template | None = None, layouts: dict[str, Layout] | None = None) -> DeckPlan:
    """Plan the deck of ``document`` in ``theme``, on ``slide_size``
    (a key of :data:`SLIDE_SIZES`; the theme's when None); or, given an institution's
    ``template``, from its layouts (``layouts``: as :func:`reportgen.plan.template.choose_layouts`
    picks them when None) at its slide size."""
    if template is not None:
        planner: _Planner = _TemplatePlanner(document, theme, template, layouts or choose_layouts(template))
    else:
        planner = _Planner(document, slide_size or theme.deck.slide_size, theme)
    sections = [s for s in document.sections if "pptx" not in s.skip]
    planner.title_slide()
    if len(sections) > 1:  # an agenda of one entry says nothing
        planner.agenda(sections)
    for number, section in enumerate(sections, 1):
        planner.section_slides(number, len(sections), section)
    planner.author_slides()
    planner.credits_slides()
    planner.closing()
    planner.link_agenda()
    footer, mark = theme.footer or document.running_title, licence_mark(document)
    total, dated = len(planner.slides), local_date(document.date, document.language)
    slides = tuple(in_reading_order(planner.finish(slide, number, total, footer, mark, dated))
                   for number, slide in enumerate(planner.slides, 1))
    return DeckPlan(
        width=planner.width, height=planner.height, title=core_property(document.title),
        author=core_property(", ".join(a.name for a in document.authors)), language=document.language,
        keywords=_keywords_that_fit(document.keywords),
        subject=core_property(document.subtitle or document.summary[0].plain),
        footer_text=footer, licence_mark=mark, look=_look(theme), slides=slides, template=template,
    )


def _look(theme: Theme) -> DeckLook:
    fonts = theme.fonts
    return DeckLook(colours=tuple(theme.colours), body_font=fonts.body.deck, heading_font=fonts.heading.deck,
                    mono_font=fonts.mono.deck, body_measured_with=fonts.body.measured_with,
                    heading_measured_with=fonts.heading.measured_with, image_dpi=theme.deck.image_dpi,
                    roles=tuple((role, *colours) for role, colours in deck_roles(theme.colours).items()))


# --- helpers ------------------------------------------------------------------------------

CORE_PROPERTY_CHARS = 255
"""What a .pptx core property (title, author, subject, keywords) may hold: Office's limit,
which python-pptx enforces."""


def core_property(text: str, limit: int = CORE_PROPERTY_CHARS) -> str:
    """``text`` as a core property holds it: cut at the last word that fits, with an ellipsis."""
    return shortened(" ".join(text.split()), limit)


def shortened(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: cut at the last word that fits (inside a word
    when the last space is in the first half), with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def _keywords_that_fit(keywords: tuple[str, ...]) -> tuple[str, ...]:
    """The first keywords whose list (", "-joined) fits a core property; one alone is cut."""
    kept: list[str] = []
    for keyword in keywords:
        if len(", ".join([*kept, keyword])) > CORE_PROPERTY_CHARS:
            break
        kept.append(keyword)
    return tuple(kept) if kept or not keywords else (core_property(keywords[0]),)


def contain(box: Box, image_path, align: Literal["left", "center", "right"] = "center") -> Box:
    """The largest box of the image's proportions inside ``box``, centred vertically and placed
    across as ``align`` says: no crop, no distortion."""
    width, height = image_size(image_path)
    scale = min(box.w / width, box.h / height)
    w, h = width * scale, height * scale
    x = {"left": box.x, "center": box.x + (box.w - w) / 2, "right": box.x + box.w - w}[align]
    return Box(x, box.y + (box.h - h) / 2, w, h)


def _share(notes: list[str], slides: int) -> list[list[str]]:
    """Notes shared out over slides in order, as evenly as whole paragraphs allow; none left empty."""
    if slides == 0:
        return []
    shares: list[list[str]] = [[] for _ in range(slides)]
    for index, note in enumerate(notes):
        shares[min(index * slides // max(len(notes), 1), slides - 1)].append(note)
    for index, share in enumerate(shares):
        if not share:
            share.append(CONTINUED)
    return shares


CONTINUED = "(Continued.) The points on this slide sum up the notes of the previous slide."



def _quote_note(block: model.Quote) -> str:
    return f"Quotation{' from ' + block.by if block.by else ''}: {block.text.plain}"


def _callout_notes(block: model.Callout) -> list[str]:
    return [((block.title + ": ") if block.title and i == 0 else "") + p.plain for i, p in enumerate(block.text)]


SHORT_POINT = 12
"""Words: a bullet shorter than this is never left alone on a slide (a statement instead)."""


def _no_lone_short_bullet(frames: list[Frame]) -> list[Frame]:
    """Continued bullets rebalanced so that the last slide never holds a single short bullet
    alone: the point before it moves over, when both slides still fit at their size."""
    if len(frames) < 2:
        return frames
    last, before = frames[-1], frames[-2]
    lone = len(last.paras) == 1 and len(last.paras[0].text.split()) < SHORT_POINT
    if not lone or len(before.paras) < 3:
        return frames
    moved = before.paras[-1]
    if moved.continued:  # the point began on the slide before: moving its tail would not help
        return frames
    kept, joined = before.paras[:-1], (moved, *last.paras)
    if not (fit.fits(kept, before.size, before.spec) and fit.fits(joined, last.size, last.spec)):
        return frames
    return [*frames[:-2], before._replace(paras=kept), last._replace(paras=joined)]


def _sizes(largest: float, smallest: float, step: float = 1.0) -> list[float]:
    """Sizes from ``largest`` down to ``smallest``, ``step`` apart, ``smallest`` included."""
    sizes, size = [], largest
    while size > smallest:
        sizes.append(size)
        size -= step
    return [*sizes, smallest]


def _share_rows(heights: list[float], room: float) -> list[list[int]]:
    """Row indexes shared over as few slides as hold them in ``room`` (a row taller than the room
    alone on its slide), then evened out: the same number of slides, the rows spread so that the
    last is not left nearly empty."""
    greedy: list[list[int]] = [[]]
    used = 0.0
    for index, h in enumerate(heights):
        if greedy[-1] and used + h > room:
            greedy.append([])
            used = 0.0
        greedy[-1].append(index)
        used += h
    slides = len(greedy)
    if slides == 1:
        return greedy
    base, extra = divmod(len(heights), slides)  # rows per slide, evened out: the first `extra` one more
    even, at = [], 0
    for number in range(slides):
        count = base + (number < extra)
        even.append(list(range(at, at + count)))
        at += count
    if all(sum(heights[i] for i in rows) <= room for rows in even):
        return even
    return greedy
