"""Speaker notes an outline writes: a section's ``notes:`` first, then its prose (unless
``deck: {prose_in_notes: false}``), and a hand-written slide's ``notes:`` on that slide; in the
built deck too, in the outline's language."""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation

from reportgen.build import build
from reportgen.plan.deck import plan_deck
from reportgen.read.loader import load_outline

OUTLINE = """\
title: Notes
date: 2026-01-31
language: en-GB
summary: One paragraph.
authors: [{name: A. Author}]
licence: {id: CC-BY-4.0}
sections:
  - heading: Written notes
    notes: ["Open with the map.", "Then the numbers."]
    key_points: ["The first point of the section, long enough to stand as a bullet of its own"]
    body:
      - "The prose of the first section."
  - heading: Notes only
    notes: "Only this is said."
    key_points: ["A point of the second section, long enough to stand as a bullet of its own"]
    deck: {prose_in_notes: false}
    body:
      - "Prose kept out of the notes."
  - heading: Slides by hand
    deck:
      slides:
        - {title: First slide, points: [One thing to show on the first slide], notes: "Say this on the first slide."}
        - {title: Second slide, points: [Another thing to show on the second slide]}
    body:
      - "The prose of the third section."
"""


def _outline(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    path = tmp_path / "o.yaml"
    path.write_text(OUTLINE, encoding="utf-8")
    return path


def _notes_of(slides, title: str) -> list[str]:
    return [line for slide in slides if slide.title.paras and title in "".join(
        span.text for para in slide.title.paras for span in para.spans) for line in slide.notes]


def test_written_notes_come_first_then_the_prose(tmp_path: Path) -> None:
    loaded = load_outline(_outline(tmp_path))
    slides = plan_deck(loaded.document, loaded.theme).slides
    everything = [line for slide in slides for line in slide.notes]
    first = everything.index("Open with the map.")
    assert everything[first + 1] == "Then the numbers."
    assert everything.index("The prose of the first section.") > first
    assert "Only this is said." in everything
    assert "Prose kept out of the notes." not in everything
    by_hand = _notes_of(slides, "First slide")
    assert by_hand[0] == "Say this on the first slide."
    assert "Say this on the first slide." not in _notes_of(slides, "Second slide")
    assert "The prose of the third section." in everything


def test_written_notes_reach_the_deck_in_the_outlines_language(tmp_path: Path) -> None:
    loaded = load_outline(_outline(tmp_path))
    build(loaded, "o", ["pptx"], tmp_path / "out")
    deck = Presentation(str(tmp_path / "out" / "o.pptx"))
    notes = [slide.notes_slide.notes_text_frame for slide in deck.slides if slide.has_notes_slide]
    text = "\n".join(frame.text for frame in notes)
    assert "Open with the map." in text and "Say this on the first slide." in text
    assert "Prose kept out of the notes." not in text
    runs = [run for frame in notes for paragraph in frame.paragraphs for run in paragraph.runs
            if "Open with the map." in run.text]
    assert runs
    assert {run._r.rPr.get("lang") for run in runs} == {"en-GB"}  # (python-pptx reads no tag, only ids)
