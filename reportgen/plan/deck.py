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
from reportgen.plan.shared import (
    column_weights, credit_spans, first_published, image_credit, licence_mark, licence_statement, long_date, spans,
    suggested_citation, usable_image, used_credits,
)
from reportgen.plan.slides import (
    HEADING_ROLES, Box, ChartShape, DeckLook, DeckPlan, Frame, Line, Picture, Rect, Role, Shape, Slide, SlideKind, TableShape,
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
        if found is None:
            raise ValueError(f"a title does not fit its box at any size: {text[:60]!r}")
        return found

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
        byline = ", ".join(a.name for a in doc.authors) + " · " + long_date(doc.date)
        shapes.append(self.frame(Box(MARGIN, min(y, self.height - 90), text_width, 40), [para(byline)], "subtitle",
                            self.size(20), self.body_min, fallback_min=SMALL_MIN))
        kicker = " · ".join(x for x in (doc.series, doc.publisher) if x)
        if kicker:
            shapes.append(self.frame(Box(MARGIN, 110, text_width, 32), [para(kicker.upper())], "label", 16, SMALL_MIN))
        if self.theme.logo:  # top right, above the photo
            shapes.append(Picture(self.theme.logo, contain(Box(self.width - MARGIN - 150, 24, 150, 54), self.theme.logo,
                                                           align="right"), self.logo_alt))
        if image:
            picture_box = Box(MARGIN + self.inner * 0.56, 90, self.inner * 0.44, self.height - 190)
            shapes.append(Picture(image, contain(picture_box, image), doc.cover.alt if doc.cover else ""))
            credit = "".join(s.text for s in credit_spans(doc.credits[0], "Photo: "))
            shapes.append(self.frame(Box(picture_box.x, self.height - 96, picture_box.w, 48), [para(credit)], "caption", 12, 8))
        self.slides.append(Slide("title", title, tuple(s for s in shapes if s), tuple(p.plain for p in doc.summary),
                                 dark=True, footer=False))

    def agenda(self, sections: list[model.Section]) -> None:
        items = [para(self.heading(s), bullet=True) for s in sections]
        for index, body in enumerate(self.frames_split(self.body_box, items, "body", self.body_max, self.body_min, spacing=0.3, indent=24)):
            title = "Agenda" + (" (cont.)" if index else "")
            self.add("agenda", title, [body], ["What this talk covers: " + "; ".join(self.heading(s) for s in sections) + "."])

    def size(self, points: float) -> float:
        """A body-text size of the default design, scaled to the theme, never under its floor."""
        return max(points * self.scale, self.body_min)

    def heading(self, section: model.Section) -> str:
        return section.deck.title or section.heading

    def section_slides(self, number: int, total: int, section: model.Section) -> None:
        notes = [line for block in section.body for line in blocks.notes(block)]
        bullet_slides = self._bullet_slides(section)
        divider_notes = [f"Section {number} of {total}: {section.heading}."]
        if not bullet_slides:
            divider_notes += notes
        self._divider(number, section, divider_notes)
        shares = _share(notes, len(bullet_slides)) if bullet_slides else []
        for (title, body), share in zip(bullet_slides, shares):
            self.add("bullets", title, [body], share)
        for block in section.body:
            blocks.deck_slides(self, section, block)

    def _divider(self, number: int, section: model.Section, notes: list[str]) -> None:
        shapes: list[Shape | None] = [
            Rect(Box(MARGIN, 200, 56, 6), "accent"),
            self.frame(Box(MARGIN, 120, 200, 72), [para(f"{number:02d}", bold=True)], "number", 54, 24),
        ]
        title = self.title_frame(self.heading(section), box=Box(MARGIN, 222, self.inner * 0.85, 200), role="divider",
                                 max_size=44, min_size=24)
        self.slides.append(Slide("section", title, tuple(s for s in shapes if s), tuple(notes), dark=True))

    def _bullet_slides(self, section: model.Section) -> list[tuple[str, Frame]]:
        if section.deck.slides:
            groups = [(s.title, [para(p, bullet=True) for p in s.points]) for s in section.deck.slides]
        elif section.key_points:
            groups = [(self.heading(section), [para(p, bullet=True) for p in section.key_points])]
        else:
            return []
        out = []
        for title, items in groups:
            for index, body in enumerate(self.frames_split(self.body_box, items, "body", self.body_max, self.body_min, spacing=0.5, indent=26)):
                out.append((title + (" (cont.)" if index else ""), body))
        return out

    def quote(self, section: model.Section, block: model.Quote) -> None:
        box = Box(MARGIN + 40, 150, self.inner - 80, self.height - 300)
        quote = [fit.Para((fit.Span("“"), *spans(block.text, italic=True), fit.Span("”")))]
        frames = self.frames_split(box, quote, "quote", self.size(40), self.body_min, line_spacing=1.05)
        for index, body in enumerate(frames):
            shapes: list[Shape | None] = [Rect(Box(MARGIN + 40, 132, 56, 5), "accent"), body]
            if block.by and index == len(frames) - 1:
                shapes.append(self.frame(Box(MARGIN + 40, self.height - 140, self.inner - 80, 44), [para("— " + block.by)],
                                    "caption", 22, SMALL_MIN))
            notes = [f"Quotation{' from ' + block.by if block.by else ''}: {block.text.plain}"]
            self.add("quote", self.heading(section) + (" (cont.)" if index else ""), shapes, notes)

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
        size = 18.0
        area = self.body_box
        columns = [area.w * share for share in column_weights(block)]
        font, code = self.font("body"), self.code_font
        spec = lambda w: fit.BoxSpec(w, 10_000, inset_left=6, inset_right=6, inset_top=4, inset_bottom=4,  # noqa: E731
                                     font=font, code_font=code if code != font else None)
        def row_height(cells, bold=False) -> float:
            return max(fit.height([para(c, bold=bold)], size, spec(w)) for c, w in zip(cells, columns))
        header = tuple((para(c, bold=True),) for c in block.header)
        header_height = row_height(block.header, True)
        room = area.h - 2 - header_height
        pages: list[list[int]] = [[]]
        used = 0.0
        heights = [row_height(r) for r in block.rows]
        for index, h in enumerate(heights):
            if pages[-1] and used + h > room:
                pages.append([])
                used = 0.0
            pages[-1].append(index)
            used += h
        title = block.caption.plain if block.caption else self.heading(section)
        for number, rows in enumerate(pages):
            body = tuple(tuple((para(c),) for c in block.rows[i]) for i in rows)
            row_heights = (header_height, *(heights[i] for i in rows))
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

    def footer(self, number: int, total: int, text: str, mark: str) -> tuple[Shape, ...]:
        """The short title on the left; the licence mark and "n / N" on the right."""
        y, split = self.height - 44, self.inner * 0.62
        logo: tuple[Shape, ...] = ()
        x = MARGIN
        if self.theme.logo:  # small, before the short title
            box = contain(Box(MARGIN, y + 2, 72, 22), self.theme.logo, align="left")
            logo, x = (Picture(self.theme.logo, box, self.logo_alt),), box.x + box.w + 10
        left = self.frame(Box(x, y, MARGIN + split - x, 28), [para(text)], "footer", 12, 6)
        right = self.frame(Box(MARGIN + split, y, self.inner - split, 28), [para(f"{mark}    {number} / {total}")],
                      "footer", 12, 6, align="right")
        return (*logo, *(f for f in (left, right) if f))

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


    def finish(self, slide: Slide, number: int, total: int, text: str, mark: str) -> Slide:
        """The slide with its footer, when it has one."""
        return slide._replace(shapes=slide.shapes + self.footer(number, total, text, mark)) if slide.footer else slide


# slide kind → the kind of template layout it is made from
LAYOUT_OF: dict[str, str] = {
    "title": "title", "section": "section", "closing": "section", "figure": "picture", "table": "title_only",
    "timeline": "title_only", "chart": "title_only", "agenda": "content", "bullets": "content", "quote": "content", "author": "content",
    "credits": "content",
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
            if body is not None and isinstance(shape, Frame) and shape.box == self.body_box:
                shape, body = shape._replace(placeholder=body.idx), None  # the body text fills the body placeholder
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
        doc = self.doc
        layout, title = self.titled("title", doc.title, max_size=44, min_size=24)
        lines = ([para(doc.subtitle, italic=True)] if doc.subtitle else []) + [
            para(", ".join(a.name for a in doc.authors) + " · " + long_date(doc.date))]
        shapes = [s for s in (self.body(layout, lines, "subtitle", self.size(24), spacing=0.3),) if s]
        self.slides.append(Slide("title", title, tuple(shapes), tuple(p.plain for p in doc.summary), footer=False,
                                 layout=layout.number))

    def _divider(self, number: int, section: model.Section, notes: list[str]) -> None:
        layout, title = self.titled("section", self.heading(section), max_size=40, min_size=24)
        shapes = [s for s in (self.body(layout, [para(f"{number:02d}", bold=True)], "subtitle", self.size(32)),) if s]
        self.slides.append(Slide("section", title, tuple(shapes), tuple(notes), layout=layout.number))

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

    def finish(self, slide: Slide, number: int, total: int, text: str, mark: str) -> Slide:
        """The layout's footer filled with the short title and licence mark, its slide number kept."""
        if not slide.footer or slide.layout is None:
            return slide
        layout = self.template.layouts[slide.layout]
        footer, number_placeholder = layout.first("ftr"), layout.first("sldNum")
        shapes = slide.shapes
        if footer is not None:
            found = self.frame(_box(footer), [para(f"{text} · {mark}")], "footer", 12, 6, align="center")
            shapes += (found._replace(placeholder=footer.idx),) if found else ()
        return slide._replace(shapes=shapes, kept=(number_placeholder.idx,) if number_placeholder else ())


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
    planner.agenda(sections)
    for number, section in enumerate(sections, 1):
        planner.section_slides(number, len(sections), section)
    planner.author_slides()
    planner.credits_slides()
    planner.closing()
    footer, mark = theme.footer or document.running_title, licence_mark(document)
    total = len(planner.slides)
    slides = tuple(in_reading_order(planner.finish(slide, number, total, footer, mark))
                   for number, slide in enumerate(planner.slides, 1))
    return DeckPlan(
        width=planner.width, height=planner.height, title=document.title,
        author=", ".join(a.name for a in document.authors), language=document.language,
        keywords=document.keywords, subject=document.subtitle or document.summary[0].plain,
        footer_text=footer, licence_mark=mark, look=_look(theme), slides=slides, template=template,
    )


def _look(theme: Theme) -> DeckLook:
    fonts = theme.fonts
    return DeckLook(colours=tuple(theme.colours), body_font=fonts.body.deck, heading_font=fonts.heading.deck,
                    mono_font=fonts.mono.deck, body_measured_with=fonts.body.measured_with,
                    heading_measured_with=fonts.heading.measured_with, image_dpi=theme.deck.image_dpi,
                    roles=tuple((role, *colours) for role, colours in deck_roles(theme.colours).items()))


# --- helpers ------------------------------------------------------------------------------


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
            share.append("(Continued.) The points on this slide sum up the notes of the previous slide.")
    return shares

