"""What the brief and the deck decide alike, decided here once: text as styled spans, the credit
and licence sentences, names, table column weights, which images are there to show.

Both planners call these; neither output words a credit or weighs a column on its own. (The
model is imported for type checking only: the brief's renderer imports this module without it.)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, assert_never

from reportgen.plan.fit import Span

if TYPE_CHECKING:
    from reportgen import model

Spans = tuple[Span, ...]
"""Text as the plans carry it: styled runs, links kept, no markup and no model object."""

def spans(text: model.Text | str, bold: bool = False, italic: bool = False) -> Spans:
    """A model text (or plain string) as spans, ``bold``/``italic`` added to every run."""
    if isinstance(text, str):
        return (Span(text, bold, italic),)
    return tuple(Span(r.text, bold or r.strong, italic or r.emphasis, r.href, r.code) for r in text.runs)


def plain(text: Spans) -> str:
    """Spans as a reader hears them: the text alone."""
    return "".join(span.text for span in text)


def join_names(names: list[str] | tuple[str, ...]) -> str:
    """``["A", "B", "C"]`` → ``"A, B and C"``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def rights_holder(document: model.Document) -> str:
    """Who holds the rights of an all-rights-reserved document: the licence's ``holder``, else
    the publisher, else the authors."""
    return document.licence.holder or document.publisher or join_names([a.name for a in document.authors])


def licence_mark(document: model.Document) -> str:
    """The licence as footers show it: "CC BY 4.0", "Public domain", "© 2026 Example Institute"."""
    licence = document.licence
    if licence.kind == "all-rights-reserved":
        return f"© {document.date.year} {rights_holder(document)}"
    return licence.short or licence.name or licence.id


def licence_notice(document: model.Document) -> str:
    """The licence as the cover states it in a few words: "Published under CC BY 4.0",
    "Public domain (CC0 1.0)", "© 2026 Example Institute. All rights reserved"."""
    licence, mark = document.licence, licence_mark(document)
    match licence.kind:
        case "creative-commons" | "other":
            return f"Published under {mark}"
        case "cc0":
            return f"Public domain ({mark})"
        case "public-domain":
            return "Public domain"
        case "us-government":
            return "Public domain: a work of the United States Government"
        case "all-rights-reserved":
            return f"{mark}. All rights reserved"
    assert_never(licence.kind)


def licence_statement(document: model.Document, subject: str | None = None, show_url: bool = False) -> Spans:
    """The licence's sentence for the credits page and slide, worded for its kind: "<Subject is
    p|P>ublished under the <name, linked> licence (<short>)", "... dedicated to the public
    domain under CC0 1.0 Universal", "... in the public domain", the U.S. Government notice,
    "© <year> <holder>. All rights reserved". ``subject`` ("This brief") leads it; with
    ``show_url`` (where a reader cannot follow a link) the licence's URL is printed after it."""
    licence = document.licence
    name = Span(licence.name or licence.id, href=licence.url)
    short = licence.short or ""
    match licence.kind:
        case "creative-commons" | "other":
            lead = f"{subject} is published under the " if subject else "Published under the "
            words = "" if "licen" in name.text.lower() else " licence"
            marked = f" ({short})" if short and short != name.text else ""
            body: Spans = (Span(lead), name, Span(words + marked))
        case "cc0":
            lead = f"{subject} is dedicated" if subject else "Dedicated"
            body = (Span(lead + " to the public domain under "), name, Span(f" ({short})" if short else ""))
        case "public-domain":
            lead = f"{subject} is in the " if subject else "In the "
            body = (Span(lead), Span("public domain", href=licence.url))
        case "us-government":
            body = (Span("A work of the United States Government, not subject to copyright in the United States"),)
        case "all-rights-reserved":
            body = (Span(f"© {document.date.year} {rights_holder(document)}. All rights reserved"),)
        case _:
            assert_never(licence.kind)
    if show_url and licence.url:
        return joined((*body, Span(": "), Span(licence.url, href=licence.url)))
    return joined((*body, Span(".")))


def first_published(source: model.Source) -> Spans:
    """``"First published as <title, in italics> by <publication>, <url>."``: the URL printed
    (a link alone is lost on paper); the parts not given are left out."""
    if source.title:
        out = [Span("First published as "), Span(source.title, italic=True, href=source.url),
               Span(f" by {source.publication}")]
    else:
        out = [Span("First published by "), Span(source.publication, href=source.url)]
    if source.url:
        out += [Span(", "), Span(source.url, href=source.url)]
    out.append(Span("."))
    return tuple(out)


def suggested_citation(document: model.Document) -> Spans:
    """``"Suggested citation: <authors> (<year>). <title, in italics>. <publisher>. <DOI or URL>."``,
    as think-tank briefs carry it: the authors as written, joined with commas and "and"; the
    publisher, else the publication it first appeared in; the DOI as a link, else that
    publication's URL (none printed when there is neither)."""
    authors = join_names([author.name for author in document.authors])
    out = [Span(f"Suggested citation: {authors} ({document.date.year}). "), Span(document.title, italic=True),
           Span(".")]
    publisher = document.publisher or (document.source.publication if document.source else None)
    if publisher:
        out.append(Span(f" {publisher}."))
    link = f"https://doi.org/{document.doi}" if document.doi else document.source.url if document.source else None
    if link:
        out += [Span(" "), Span(link, href=link), Span(".")]
    return joined(out)


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


def joined(pieces: Spans | list[Span]) -> Spans:
    """Spans with each run of neighbours in the same style made one, and empty ones dropped: a
    sentence built of pieces reads, and is written, as the same runs however it was built."""
    out: list[Span] = []
    for span in pieces:
        if not span.text:
            continue
        if out and out[-1]._replace(text="") == span._replace(text=""):
            out[-1] = out[-1]._replace(text=out[-1].text + span.text)
        else:
            out.append(span)
    return tuple(out)


def image_credit(image: model.ImageRef, subject: str = "Source") -> model.Credit:
    """The credit of one image, under ``subject``."""
    from reportgen import model

    return model.Credit(subject=subject, credit=image.credit, licence=image.licence,
                        licence_url=image.licence_url, source_url=image.source_url)


def column_weights(table: model.Table, least: float = 0.0) -> tuple[float, ...]:
    """Each column's share of a table's width (they sum to 1): the square root of its longest
    text, so that a column of long cells is wider without starving a column of short ones; and
    never under ``least`` (a share), so that a column of short cells beside one of 10,000
    characters keeps room for its padding and a word."""
    weights = [max(len(table.header[i].plain), *(len(r[i].plain) for r in table.rows), 4) ** 0.5
               for i in range(len(table.header))]
    if least * len(weights) >= 1:
        return tuple(1 / len(weights) for _ in weights)
    floored: set[int] = set()
    while True:
        free = 1 - least * len(floored)
        rest = sum(w for i, w in enumerate(weights) if i not in floored)
        shares = [least if i in floored else free * w / rest for i, w in enumerate(weights)]
        under = {i for i, share in enumerate(shares) if share < least} | floored
        if under == floored:
            return tuple(shares)
        floored = under


def usable_image(path: Path) -> bool:
    """Whether an image file is there to be drawn (the loader has already warned when not)."""
    return path.is_file() and path.stat().st_size > 0


def used_credits(document: model.Document) -> tuple[model.Credit, ...]:
    """The document's image credits, the cover photo's only when the cover photo is there to show."""
    cover_used = bool(document.cover and usable_image(document.cover.image))
    return tuple(c for c in document.credits if cover_used or not c.cover)
