"""Property-based tests: random valid documents always render faithfully; random edits never crash.

Run with the default (small, seeded) profile in ``make test`` and CI; ``make fuzz`` runs the
``fuzz`` profile (HYPOTHESIS_PROFILE=fuzz): thousands of examples.
"""

from __future__ import annotations

import os
import re

import pdfplumber
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pptx import Presentation

from reportgen.errors import OutlineError, ReportgenError
from reportgen.model import Document, Paragraph
from reportgen.plan.brief import plan_brief
from reportgen.plan.deck import plan_deck
from reportgen.read.loader import load_outline
from reportgen.read.themes import default_theme
from reportgen.render.pdf_brief import render_brief
from reportgen.render.pptx_deck import render_deck
from tests.conftest import REPO

settings.register_profile("default", max_examples=12, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("fuzz", max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
EDITS = int(os.environ.get("REPORTGEN_FUZZ_EDITS", "60"))
"""Examples of the random-edit property: it is fast, so it runs more of them (``make fuzz``: 2,000)."""

# Characters the brief's fonts cover without optional packages: Latin, typographic punctuation,
# and markup characters (which must come out literally when they are not markup).
ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789      .,;:!?'\"()-/&<>%$#@+=")
    + list("éèàçñöüßøåæœłŁčšžđ’“”–—…€£™")
)
WORDS = st.text(ALPHABET, min_size=1, max_size=60).filter(lambda t: t.strip() != "")
PROSE = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)


def _block():
    return st.one_of(
        PROSE,
        st.builds(lambda items: {"bullets": items}, st.lists(WORDS, min_size=1, max_size=5)),
        st.builds(lambda text, by: {"quote": {"text": text, "by": by, "pull": bool(len(text) % 2)}}, PROSE, WORDS),
        st.builds(lambda rows: {"table": {"header": ["A", "B"], "rows": rows}},
                  st.lists(st.tuples(WORDS, WORDS).map(list), min_size=1, max_size=6)),
        st.builds(lambda events: {"timeline": [{"when": w, "text": t} for w, t in events]},
                  st.lists(st.tuples(WORDS, WORDS), min_size=1, max_size=7)),
        st.builds(lambda text: {"callout": text}, PROSE),
    )


SECTION = st.builds(
    lambda heading, points, body: {"heading": heading, "key_points": points, "body": body},
    WORDS, st.lists(WORDS, min_size=1, max_size=7), st.lists(_block(), min_size=1, max_size=6),
)
DOCUMENT = st.builds(
    lambda title, summary, name, sections: {
        "title": title, "date": "2025-02-15", "summary": summary, "authors": [{"name": name, "bio": summary}],
        "licence": {"id": "CC-BY-4.0"}, "sections": sections},
    WORDS, PROSE, WORDS, st.lists(SECTION, min_size=1, max_size=4),
)


def letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def _escape_free(data: dict) -> bool:
    """Documents whose texts are not all markup (a text of only ``*`` would be empty emphasis)."""
    try:
        Document.validate(data)
    except Exception:
        return False
    return True


@given(DOCUMENT.filter(_escape_free))
def test_a_random_valid_document_renders_both_outputs_with_every_paragraph(data: dict) -> None:
    import io

    document = Document.validate(data)
    pdf = render_brief(plan_brief(document, default_theme()))
    deck = render_deck(plan_deck(document, default_theme()), document.date)
    with pdfplumber.open(io.BytesIO(pdf.data)) as reader:
        pdf_text = letters("".join(page.extract_text() or "" for page in reader.pages))
    notes = letters("".join(s.notes_slide.notes_text_frame.text for s in Presentation(io.BytesIO(deck.data)).slides))
    for section in document.sections:
        for block in section.body:
            if isinstance(block, Paragraph):
                assert letters(block.text.plain) in pdf_text
                assert letters(block.text.plain) in notes


TRILATERAL = (REPO / "outlines" / "trilateral-alliance.yaml").read_text(encoding="utf-8")
LINES = TRILATERAL.splitlines(keepends=True)
REPLACEMENTS = ["[1, 2]", "{a: 1}", "null", "true", '""', "3.5", "- x", "{{ undefined }}", "*alias", "&anchor x",
                "'unclosed", "[", "\t", "\x07", "🚲", "<b>", "../../etc/passwd"]


@st.composite
def edits(draw) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "value", "indent", "insert"]))
        line = lines[index]
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, line)
        elif action == "indent":
            lines[index] = " " * draw(st.integers(0, 6)) + line.lstrip(" ")
        elif action == "insert":
            lines.insert(index, draw(st.sampled_from(REPLACEMENTS)) + "\n")
        else:
            key, colon, _ = line.partition(":")
            if colon:
                lines[index] = f"{key}: {draw(st.sampled_from(REPLACEMENTS))}\n"
        if not lines:
            break
    return "".join(lines)


PROBLEM = re.compile(r"^\S[^\n]*?(:\d+:\d+)?: .+$")


@settings(max_examples=EDITS)
@given(edits())
def test_a_random_edit_gives_a_document_or_precise_errors_never_a_crash(tmp_path_factory, text: str) -> None:
    folder = tmp_path_factory.mktemp("edit")
    (folder / "assets").mkdir()
    (folder / "o.yaml").write_text(text, encoding="utf-8")
    try:
        load_outline(folder / "o.yaml")
    except OutlineError as err:
        assert err.problems
        for line in str(err).splitlines():
            assert PROBLEM.match(line), line
    except ReportgenError as err:  # pragma: no cover - every outline problem is an OutlineError
        raise AssertionError(f"not an OutlineError: {err}") from err


def test_the_property_tests_use_a_fixed_seed_outside_fuzzing() -> None:
    if os.environ.get("HYPOTHESIS_PROFILE", "default") == "default":
        assert settings.default.derandomize
