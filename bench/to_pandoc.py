"""A loaded reportgen document written out as pandoc Markdown: the same content, for pandoc.

Two files are made from one document, as a pandoc user would write them:

- for the PDF (``brief=True``): a title block, the summary, each section's heading, prose,
  lists, quotes, tables, figures, timelines and callouts in order, its key points as a bullet
  list, then "About the author" and "Credits and licence"; ``toc: true`` asks for a contents list,
  as the brief has one;
- for the deck (``brief=False``): a slide per section's key points with the section's prose as
  speaker notes (``::: notes``), a section title slide before it, and one slide for each quote,
  table, figure, timeline and callout, then author and credits slides.

Image paths are written relative to ``root`` (pandoc runs in that folder).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from reportgen import model

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~^$@{}])")


def _escape(text: str) -> str:
    text = _SPECIAL.sub(r"\\\1", text)
    return re.sub(r"^([-+]|\d+[.)])(\s)", r"\\\1\2", text)


def inline(text: model.Text | str) -> str:
    """Text with its runs as Markdown emphasis, strong, code and links."""
    if isinstance(text, str):
        return _escape(text)
    out = []
    for run in text.runs:
        if run.code:
            fence = "`" * (max((len(m) for m in re.findall(r"`+", run.text)), default=0) + 1)
            piece = f"{fence} {run.text} {fence}" if run.text.startswith("`") or run.text.endswith("`") else f"{fence}{run.text}{fence}"
        else:
            piece = _escape(run.text)
            if run.emphasis and piece.strip():
                piece = f"*{piece}*"
            if run.strong and piece.strip():
                piece = f"**{piece}**"
        if run.href:
            piece = f"[{piece}]({run.href})"
        out.append(piece)
    return "".join(out)


def _metadata(document: model.Document, brief: bool) -> str:
    fields = {"title": document.title, "author": [a.name for a in document.authors],
              "date": document.date.isoformat(), "lang": document.language}
    if document.subtitle:
        fields["subtitle"] = document.subtitle
    if document.keywords and not brief:
        # Not for the PDF: pandoc 3.9's typst template writes keywords unquoted, and a keyword
        # with a space ("South Korea") makes typst fail with "expected comma".
        fields["keywords"] = list(document.keywords)
    if brief:
        fields["toc"] = True
    lines = ["---"] + [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()] + ["---", ""]
    return "\n".join(lines)


def _bullets(items, ordered: bool = False, depth: int = 0) -> list[str]:
    lines = []
    for number, item in enumerate(items, 1):
        text = item.text if isinstance(item, model.ListItem) else item
        marker = f"{number}." if ordered else "-"
        lines.append("    " * depth + f"{marker} {inline(text)}")
        if isinstance(item, model.ListItem) and item.items:
            lines += _bullets(item.items, False, depth + 1)
    return lines


def _table(table: model.Table) -> list[str]:
    def row(cells) -> str:
        return "| " + " | ".join(inline(c).replace("|", r"\|") for c in cells) + " |"

    lines = [row(table.header), "|" + "|".join("---" for _ in table.header) + "|"]
    lines += [row(r) for r in table.rows]
    if table.caption:
        lines += ["", f": {inline(table.caption)}"]
    return lines


def _image(image: Path, caption: model.Text | str, root: Path) -> str:
    try:
        path = image.relative_to(root)
    except ValueError:
        path = image
    return f"![{inline(caption)}]({path.as_posix()})"


def _block(block: model.Block, root: Path) -> list[str]:
    if isinstance(block, model.Paragraph):
        return [inline(block.text)]
    if isinstance(block, model.BulletList):
        return _bullets(block.items, block.ordered)
    if isinstance(block, model.Quote):
        lines = [f"> {inline(block.text)}"]
        if block.by:
            lines += [">", f"> — {inline(block.by)}"]
        return lines
    if isinstance(block, model.Figure):
        lines = [_image(block.image, block.caption, root)] if block.image.is_file() else [f"*{inline(block.caption)}*"]
        return lines
    if isinstance(block, model.Table):
        return _table(block)
    if isinstance(block, model.Timeline):
        lines = [f"**{inline(block.title)}**", ""] if block.title else []
        return lines + [f"- **{inline(e.when)}**: {inline(e.text)}" for e in block.events]
    if isinstance(block, model.Callout):
        lines = [f"> **{inline(block.title)}**", ">"] if block.title else []
        for index, paragraph in enumerate(block.text):
            lines += ([">"] if index else []) + [f"> {inline(paragraph)}"]
        return lines
    raise TypeError(f"no Markdown for {type(block).__name__}")


def _end_matter(document: model.Document, level: str) -> list[str]:
    lines = [f"{level} About the author{'s' if len(document.authors) > 1 else ''}", ""]
    for author in document.authors:
        lines += [f"**{inline(author.name)}**" + (f", {inline(author.affiliation)}" if author.affiliation else ""), ""]
        lines += [p for bio in author.bio for p in (inline(bio), "")]
    lines += [f"{level} Credits and licence", ""]
    if document.licence.attribution:
        lines += [inline(document.licence.attribution), ""]
    licence = document.licence
    name = licence.name or licence.id
    lines += [f"Published under the [{_escape(name)}]({licence.url}) licence." if licence.url
              else f"Published under the {_escape(name)} licence.", ""]
    for credit in document.credits:
        parts = [_escape(credit.subject)] + [_escape(p) for p in (credit.credit, credit.licence) if p]
        lines += [f"- {', '.join(parts)}" + (f" <{credit.source_url}>" if credit.source_url else "")]
    return lines + [""]


def to_markdown(document: model.Document, root: Path, *, brief: bool) -> str:
    """The document as pandoc Markdown: for the PDF (``brief``) or for the deck."""
    lines = [_metadata(document, brief)]
    if brief:
        if document.cover and document.cover.image.is_file():
            lines += [_image(document.cover.image, document.cover.caption or document.cover.alt, root), ""]
        lines += ["# Summary", ""] + [p for s in document.summary for p in (inline(s), "")]
        for section in document.sections:
            if "pdf" in section.skip:
                continue
            lines += [f"# {inline(section.heading)}", ""]
            for block in section.body:
                lines += _block(block, root) + [""]
            if section.key_points:
                lines += ["**Key points**", ""] + _bullets(section.key_points) + [""]
        lines += _end_matter(document, "#")
    else:
        lines += ["## Summary", ""] + [p for s in document.summary for p in (inline(s), "")]
        for section in document.sections:
            if "pptx" in section.skip:
                continue
            title = inline(section.deck.title or section.heading)
            lines += [f"# {inline(section.heading)}", ""]
            prose = [inline(p.text) for p in section.paragraphs()]
            slides = [(s.title, s.points) for s in section.deck.slides] or [(title, section.key_points)]
            for number, (slide_title, points) in enumerate(slides):
                lines += [f"## {slide_title if number == 0 and not section.deck.slides else inline(slide_title)}", ""]
                lines += _bullets(points) + [""]
                if number == 0 and prose:
                    lines += ["::: notes", ""] + [p for text in prose for p in (text, "")] + [":::", ""]
            for block in section.body:
                if isinstance(block, model.Paragraph):
                    continue
                heading = {model.Quote: title, model.Table: inline(block.caption) if getattr(block, "caption", None) else title,
                           model.Figure: inline(getattr(block, "caption", "")) or title,
                           model.Timeline: inline(getattr(block, "title", None) or title),
                           model.Callout: inline(getattr(block, "title", None) or title),
                           model.BulletList: title}[type(block)]
                content = _block(block, root)
                if isinstance(block, model.Table) and block.caption:
                    content = content[:-2]
                lines += [f"## {heading}", ""] + content + [""]
        lines += _end_matter(document, "##")
    return "\n".join(lines)
