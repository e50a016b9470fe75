"""Document → :class:`BriefPlan`: what the PDF brief holds, in order, decided before any drawing.

The plan fixes the page geometry, the cover's lines, which sections appear (a section may
``skip: [pdf]``), the running header and footer, the metadata and the credits
(the cover photo's only when the cover photo is used). Pagination is reportlab's job; everything
else is decided here, so it can be tested without rendering. Nothing here imports reportlab.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import NamedTuple

from reportgen import __version__
from reportgen.model import Author, Block, Credit, Document, Licence, Source, Text

POINTS_PER_MM = 72 / 25.4

PAGE_SIZES: dict[str, tuple[float, float]] = {
    "a4": (210 * POINTS_PER_MM, 297 * POINTS_PER_MM),
    "letter": (612.0, 792.0),
}
"""Page sizes in points, by the name ``--page-size`` takes."""

MAX_TAKEAWAYS = 12
"""The summary lists each section's first key point, for briefs of up to this many sections."""

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


MM = 72 / 25.4
"""Points in a millimetre."""


class Margins(NamedTuple):
    """Page margins in points."""

    top: float
    bottom: float
    left: float
    right: float


class SectionPart(NamedTuple):
    """One section of the brief."""

    id: str
    heading: str
    key_points: tuple[Text, ...]
    blocks: tuple[Block, ...]


class BriefPlan(NamedTuple):
    """Everything the PDF renderer draws. Made by :func:`plan_brief`."""

    page_size: tuple[float, float]
    margins: Margins
    # cover and running heads
    title: str
    subtitle: str | None
    running_title: str
    kicker: str
    """The small line above the title: series and publisher."""
    byline: str
    date_line: str
    cover_image: Path | None
    cover_credit: Credit | None
    logo: Path | None
    """The theme's logo, drawn on the cover."""
    """The cover photo's credit, printed under it (its subject is the caption alone)."""
    # content
    summary: tuple[Text, ...]
    takeaways: tuple[Text, ...]
    sections: tuple[SectionPart, ...]
    authors: tuple[Author, ...]
    licence: Licence
    licence_mark: str
    attribution: Text | None
    source: Source | None
    credits: tuple[Credit, ...]
    # metadata
    author_meta: str
    subject: str
    keywords: tuple[str, ...]
    language: str
    hyphenation: str | None
    creator: str
    theme: object = None
    """The :class:`reportgen.theme.Theme` the renderer takes every colour and size from."""


@cache
def default_theme():
    """The built-in default theme (for plans made without one), read once per process: both
    plans of a build ask for it. It names no project file, so the root it is read with is moot."""
    from reportgen.read.themes import load_theme

    return load_theme(None, Path.cwd())


def plan_brief(document: Document, page_size: str | None = None, theme=None) -> BriefPlan:
    """Plan the brief of ``document`` in ``theme`` (the default when None) on ``page_size`` (a key
    of :data:`PAGE_SIZES`; the theme's when None)."""
    theme = theme or default_theme()
    width, height = PAGE_SIZES[page_size or theme.brief.page_size]
    cover_image = document.cover.image if document.cover and usable_image(document.cover.image) else None
    credits = used_credits(document)
    sections = tuple(s for s in document.sections if "pdf" not in s.skip)
    names = [a.name for a in document.authors]
    return BriefPlan(
        page_size=(width, height),
        margins=Margins(**{side: mm * MM for side, mm in theme.brief.margins}),
        title=document.title,
        subtitle=document.subtitle,
        running_title=theme.footer or document.running_title,
        kicker=" · ".join(x for x in (document.series, document.publisher) if x) or "Policy brief",
        byline=_join_names(names),
        date_line=long_date(document.date),
        cover_image=cover_image,
        cover_credit=_cover_credit(credits[0]) if cover_image and credits else None,
        logo=theme.logo,
        summary=document.summary,
        takeaways=tuple(s.key_points[0] for s in sections if s.key_points) if len(sections) <= MAX_TAKEAWAYS else (),
        sections=tuple(SectionPart(s.id, s.heading, s.key_points, s.body) for s in sections),
        authors=document.authors,
        licence=document.licence,
        licence_mark=licence_mark(document.licence),
        attribution=document.licence.attribution,
        source=document.source,
        credits=credits,
        author_meta=", ".join(names),
        subject=document.subtitle or document.summary[0].plain,
        keywords=document.keywords,
        language=document.language,
        hyphenation=hyphenation_language(document.language),
        creator=f"reportgen {__version__}",
        theme=theme,
    )


def used_credits(document: Document) -> tuple[Credit, ...]:
    """The document's image credits, the cover photo's only when the cover photo is there to show."""
    cover_used = bool(document.cover and usable_image(document.cover.image))
    return tuple(c for c in document.credits if cover_used or not c.cover)


def usable_image(path: Path) -> bool:
    """Whether an image file is there to be drawn (the loader has already warned when not)."""
    return path.is_file() and path.stat().st_size > 0


def long_date(day: date) -> str:
    """``2025-02-15`` → ``"15 February 2025"``, the same whatever the machine's locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def licence_mark(licence: Licence) -> str:
    """The short mark of a licence for footers: ``CC-BY-4.0`` → ``"CC BY 4.0"``."""
    if licence.id.upper().startswith("CC"):
        return licence.id.upper().replace("-", " ")
    return licence.id


def hyphenation_language(language: str) -> str | None:
    """The pyphen dictionary for a language tag, or None (no hyphenation) when there is none."""
    try:
        import pyphen
    except ImportError:
        return None
    wanted = language.replace("-", "_")
    for candidate in (wanted, wanted.split("_")[0], "en_US" if wanted.startswith("en") else ""):
        if candidate in pyphen.LANGUAGES:
            return pyphen.LANGUAGES[candidate] and candidate
    return None


def _join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _cover_credit(credit: Credit) -> Credit:
    caption = credit.subject.removeprefix("Cover photo").removeprefix(": ")
    return credit.replace(subject=caption or "Cover photo")
