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
# (registering "default" loads it at once, as the active profile: a profile registered after it
# inherits its settings, so fuzz says it draws new examples on every run)
settings.register_profile("fuzz", max_examples=500, deadline=None, derandomize=False,
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


def test_make_fuzz_draws_new_examples_on_every_run() -> None:
    # (it ran the same fixed examples every time, inherited from the default profile)
    assert not settings.get_profile("fuzz").derandomize


# --- hostile documents: any length, any character, wide tables, includes, jinja that grows -------
# Each builds both formats through the command, or is refused with one located line per problem:
# never exit 70.

LONG_TEXT = st.one_of(
    st.text(ALPHABET, min_size=1, max_size=10_000).filter(lambda t: t.strip() != ""),
    st.integers(1, 1_000).map(lambda n: "w" * n),  # an unbreakable word
    st.builds(lambda head, word, tail: f"{head} {word} {tail}", WORDS, st.integers(1, 1_000).map(lambda n: "x" * n), WORDS),
)
BAD_CHARACTERS = st.text(st.characters(codec="utf-8", categories=("Cc", "Cs", "Zl", "Zp", "Co")), min_size=1, max_size=5)
"""Control characters, lone surrogates and their kin."""
JINJA = st.sampled_from([
    "{{ 'x' * 100000 }}", "{{ range(100000)|list|length }}", "{% for i in range(2000) %}{{ i }}{% endfor %}",
    "{{ 'a'.center(100000000) }}", "{{ (10**100)**100 }}", "{{ '%200000000s' % 'a' }}",
    "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
    "{% set l = [] %}{{ l.append(1) }}", "{{ undefined_name }}", "{{ 'ok' }}",
])
URL = st.one_of(st.sampled_from(["https://example.org/a", "www.example.org", "ftp://x", "javascript:alert(1)",
                                 "https://exa mple.org", "mailto:a@b.org", ""]), LONG_TEXT.map(lambda t: "https://x.org/" + t))


@st.composite
def hostile_projects(draw) -> dict[str, str]:
    """An outline (and the files it includes) built to be hostile; every string JSON-escaped, so
    that a lone surrogate reaches the model as YAML's "\\udXXX" escape."""
    import json

    hazard = draw(st.sampled_from(["none", "none", "jinja", "characters", "url", "theme"]))
    hazard_at = draw(st.integers(0, 40))  # the text that gets it (no hazard when there are fewer texts)
    made = 0

    def text() -> str:
        nonlocal made
        value = draw(st.one_of(WORDS, WORDS, LONG_TEXT))
        if made == hazard_at and hazard == "jinja":
            value += " " + draw(JINJA)
        elif made == hazard_at and hazard == "characters":
            value += " " + draw(BAD_CHARACTERS) + " here"
        made += 1
        return value

    columns = draw(st.sampled_from([1, 2, 5, 12, 13, 40, 200]))
    def item() -> str | dict:  # a list item, or one with a nested list (any of them of any length)
        if draw(st.integers(0, 3)):
            return text()
        return {"text": text(), "items": [text() for _ in range(draw(st.integers(1, 3)))]}

    body = [text(), {"bullets": [item() for _ in range(draw(st.integers(1, 4)))]},
            {"quote": {"text": text(), "by": text()}}, {"callout": {"title": text(), "text": [text()]}},
            {"table": {"header": [text() if i == 0 else f"C{i}" for i in range(columns)],
                       "rows": [[text() if i == 0 else str(i) for i in range(columns)]], "caption": text()}},
            {"timeline": [{"when": text(), "text": text()} for _ in range(draw(st.integers(1, 3)))]},
            f"[a link]({draw(URL)})"]
    sections = [{"heading": text(), "key_points": [text() for _ in range(draw(st.integers(0, 12)))],
                 "body": draw(st.permutations(body))[:draw(st.integers(1, len(body)))]}]
    files: dict[str, str] = {}
    depth = draw(st.sampled_from([0, 0, 0, 1, 3, 33]))  # an include chain; past 32 it is refused
    if depth:
        for level in range(depth):
            target = f"parts/p{level + 1}.yaml" if level + 1 < depth else None
            content = [{"include": target}] if target else [{"heading": "Deep", "key_points": ["k"]}]
            files[f"parts/p{level}.yaml"] = json.dumps(content)
        sections.append({"include": "parts/p0.yaml"})
    fan_out = draw(st.sampled_from([0, 2, 50]))  # one file included many times
    if fan_out:
        files["parts/fan.yaml"] = json.dumps(["A paragraph from a shared file.", {"bullets": ["one", "two"]}])
        sections[0]["body"] = [*sections[0]["body"], *[{"include": "parts/fan.yaml"}] * fan_out]
    document = {"title": text(), "subtitle": text(), "date": "2025-02-15", "summary": [text(), text()],
                "keywords": [text() for _ in range(draw(st.integers(0, 30)))],
                "authors": [{"name": text(), "affiliation": text(), "bio": text()}],
                "licence": {"id": "CC-BY-4.0", "attribution": text()},
                "source": {"publication": text(), "url": draw(URL)}, "sections": sections}
    if hazard == "url":  # a control character or lone surrogate in a URL: the source's, or a link's
        bad = "https://example.org/" + draw(BAD_CHARACTERS)
        if draw(st.booleans()):
            document["source"]["url"] = bad
        else:
            sections[0]["body"] = [*sections[0]["body"], f"[a bad link]({bad})"]
    if draw(st.booleans()) or hazard == "theme":  # a theme of the project's own, its strings drawn too
        theme: dict = {"name": draw(WORDS), "extends": "policy", "footer": draw(st.one_of(WORDS, LONG_TEXT)),
                       "fonts": {"body": {"pdf": "serif", "deck": draw(WORDS), "metrics": "carlito"}}}
        if hazard == "theme":
            where = draw(st.sampled_from(["name", "footer", "font"]))
            bad = draw(BAD_CHARACTERS)
            if where == "font":
                theme["fonts"]["body"]["deck"] += bad
            else:
                theme[where] += bad
        files["t.yaml"] = json.dumps(theme, ensure_ascii=True)
        document["theme"] = "t.yaml"
    files["o.yaml"] = json.dumps(document, ensure_ascii=True)
    return files


LOCATED = re.compile(r"^\S[^\n]*?:\d+:\d+: .+$|^\S[^\n]*?: .+$")


@settings(max_examples=int(os.environ.get("REPORTGEN_FUZZ_HOSTILE", "8")))
@given(hostile_projects())
def test_a_hostile_outline_builds_or_is_refused_with_located_errors_never_exit_70(tmp_path_factory, files) -> None:
    from tests.conftest import run

    folder = tmp_path_factory.mktemp("hostile")
    (folder / "assets").mkdir()
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content, encoding="utf-8")
    result = run("build", "o.yaml", "--out", "out", cwd=folder)
    assert result.code in (0, 2), result.err[-2000:]
    assert "Traceback" not in result.err and "internal error" not in result.err
    if result.code == 2:
        problems = [line for line in result.err.splitlines() if "warning:" not in line]
        assert problems and all(LOCATED.match(line) for line in problems), result.err[-2000:]
        assert any(re.match(r"^\S+?:\d+:\d+: ", line) for line in problems), result.err[-2000:]
