"""What the brief and the deck decide alike, decided here once: text as styled spans, the credit
and licence sentences, dates, names, table column weights, which images are there to show.

Both planners call these; neither output words a credit or weighs a column on its own.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportgen import model
from reportgen.plan.fit import Span

Spans = tuple[Span, ...]
"""Text as the plans carry it: styled runs, links kept, no markup and no model object."""

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def spans(text: model.Text | str, bold: bool = False, italic: bool = False) -> Spans:
    """A model text (or plain string) as spans, ``bold``/``italic`` added to every run."""
    if isinstance(text, str):
        return (Span(text, bold, italic),)
    return tuple(Span(r.text, bold or r.strong, italic or r.emphasis, r.href, r.code) for r in text.runs)


def plain(text: Spans) -> str:
    """Spans as a reader hears them: the text alone."""
    return "".join(span.text for span in text)


def long_date(day: date) -> str:
    """``2025-02-15`` → ``"15 February 2025"``, the same whatever the machine's locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def join_names(names: list[str] | tuple[str, ...]) -> str:
    """``["A", "B", "C"]`` → ``"A, B and C"``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def licence_mark(licence: model.Licence) -> str:
    """The short mark of a licence for footers: ``CC-BY-4.0`` → ``"CC BY 4.0"``."""
    if licence.id.upper().startswith("CC"):
        return licence.id.upper().replace("-", " ")
    return licence.id


def published_under(licence: model.Licence, lead: str = "Published under the ", show_url: bool = False) -> Spans:
    """``"<lead><licence name, linked> licence (<mark>)"``, then ``": <url>"`` with ``show_url``
    (where a reader cannot follow a link), else a full stop."""
    named = (Span(lead), Span(licence.name or licence.id, href=licence.url))
    mark = f" licence ({licence_mark(licence)})"
    if show_url and licence.url:
        return (*named, Span(mark + ": "), Span(licence.url, href=licence.url))
    return (*named, Span(mark + "."))


def first_published(source: model.Source) -> Spans:
    """``"First published by <publication, linked to the source>."``"""
    return (Span("First published by "), Span(source.publication, href=source.url), Span("."))


def credit_spans(credit: model.Credit, prefix: str = "") -> Spans:
    """One image credit, in the article's own form:
    ``"<what>, available at <url>. Credits: <who>, <licence>."``"""
    out = [Span(prefix + credit.subject)]
    if credit.source_url:
        out += [Span(", available at "), Span(credit.source_url, href=credit.source_url)]
    holders: list[Span] = [Span(credit.credit)] if credit.credit else []
    if credit.licence:
        holders.append(Span(credit.licence, href=credit.licence_url))
    if holders:
        out.append(Span(". Credits: "))
        for index, holder in enumerate(holders):
            out += ([Span(", ")] if index else []) + [holder]
    out.append(Span("."))
    return tuple(out)


def image_credit(image: model.ImageRef, subject: str = "Source") -> model.Credit:
    """The credit of one image, under ``subject``."""
    return model.Credit(subject=subject, credit=image.credit, licence=image.licence,
                        licence_url=image.licence_url, source_url=image.source_url)


def column_weights(table: model.Table) -> tuple[float, ...]:
    """Each column's share of a table's width (they sum to 1): the square root of its longest
    text, so that a column of long cells is wider without starving a column of short ones."""
    weights = [max(len(table.header[i].plain), *(len(r[i].plain) for r in table.rows), 4) ** 0.5
               for i in range(len(table.header))]
    total = sum(weights)
    return tuple(w / total for w in weights)


def usable_image(path: Path) -> bool:
    """Whether an image file is there to be drawn (the loader has already warned when not)."""
    return path.is_file() and path.stat().st_size > 0


def used_credits(document: model.Document) -> tuple[model.Credit, ...]:
    """The document's image credits, the cover photo's only when the cover photo is there to show."""
    cover_used = bool(document.cover and usable_image(document.cover.image))
    return tuple(c for c in document.credits if cover_used or not c.cover)
