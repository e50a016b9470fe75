"""The deck's measured text fit: widths, line breaks, heights, best size, splitting, and the data
file's provenance."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import random
from pathlib import Path

import pytest

from reportgen.plan import fit
from reportgen.plan.fit import BoxSpec, Para, Span, best_size, fits, height, metrics, split, wrap
from tests.conftest import REPO, need

DATA = REPO / "reportgen" / "data" / "carlito.json"
SCRIPT = REPO / "tools" / "font_metrics.py"
DEBIAN = Path("/usr/share/fonts/truetype/crosextra")
STYLE_FILES = ("Regular", "Bold", "Italic", "BoldItalic")

# Carlito's advances in font units (2048 per em), read with fontTools from Carlito-Regular.ttf.
HELLO_UNITS = 1276 + 1019 + 470 + 470 + 1080
SPACE = 463


def para(text: str, **kwargs) -> Para:
    return Para((Span(text),), **kwargs)


def room(content: float) -> float:
    """The line width (points) that just holds ``content`` points of text: the filler keeps a
    WIDTH_MARGIN (plus a hair for floating point)."""
    return content * (1 + fit.WIDTH_MARGIN) + 1e-9


def usable(avail: float) -> float:
    """How much text (points) a line ``avail`` points wide holds."""
    return avail / (1 + fit.WIDTH_MARGIN)


def carlito_dir() -> Path | None:
    """Where the Carlito TTFs are: Debian's package, else the rinoh-typeface-carlito wheel."""
    if all((DEBIAN / f"Carlito-{s}.ttf").is_file() for s in STYLE_FILES):
        return DEBIAN
    spec = importlib.util.find_spec("rinoh_typeface_carlito")
    if spec and spec.submodule_search_locations:
        folder = Path(next(iter(spec.submodule_search_locations)))
        if all((folder / f"Carlito-{s}.ttf").is_file() for s in STYLE_FILES):
            return folder
    return None


def fonttools_font(style: str):
    need(importlib.util.find_spec("fontTools") is not None,
         "fontTools is not installed (.venv/bin/pip install fonttools)")
    folder = carlito_dir()
    need(folder is not None, f"Carlito TTFs not found in {DEBIAN} or the rinoh-typeface-carlito "
                             "package (apt-get install fonts-crosextra-carlito)")
    from fontTools.ttLib import TTFont

    return TTFont(folder / f"Carlito-{style}.ttf")


def fonttools_width(font, text: str, size: float) -> float:
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    return sum(hmtx[cmap[ord(ch)]][0] for ch in text) * size / font["head"].unitsPerEm


def words(rng: random.Random, n: int) -> str:
    vocabulary = ("policy", "alliance", "the", "of", "internationalization", "trilateral",
                  "state-of-the-art", "security", "and/or", "cooperation", "€12.5 bn", "—",
                  "framework", "a", "in", "well-established", "“quotes”", "supply-chain",
                  "石破茂", "윤석열", "deterrence", "2024/25", "semiconductors")
    return " ".join(rng.choice(vocabulary) for _ in range(n))


def random_paras(rng: random.Random, count: int) -> list[Para]:
    out = []
    for _ in range(count):
        level = rng.choice((0, 0, 1, 2))
        lead = Span(words(rng, rng.randint(1, 3)) + ": ", bold=True)
        body = Span(words(rng, rng.randint(3, 40)), italic=rng.random() < 0.2)
        out.append(Para((lead, body), level=level, bullet=rng.random() < 0.8))
    return out


# ---------------------------------------------------------------------------------- widths


def test_hello_at_20pt_is_the_sum_of_carlito_advances():
    assert metrics().width("Hello", 20) == pytest.approx(HELLO_UNITS * 20 / 2048, abs=1e-9)
    assert metrics().width("Hello", 20) == pytest.approx(42.138671875, abs=1e-9)
    assert metrics().width("Hello", 10) * 2 == pytest.approx(metrics().width("Hello", 20))


@pytest.mark.parametrize("style", STYLE_FILES)
def test_widths_match_fonttools(style):
    font = fonttools_font(style)
    bold, italic = "Bold" in style, "Italic" in style
    samples = ["Hello", "".join(chr(c) for c in range(0x21, 0x7F)),
               "Trilateral alliance — “state-of-the-art” €12.5 bn ™ …", "Ærøskøbing Žluťoučký"]
    for text in samples:
        expected = fonttools_width(font, text, 20)
        assert metrics().width(text, 20, bold, italic) == pytest.approx(expected, abs=1e-9), text


def test_line_height_factor_and_units():
    m = metrics()
    assert m.units_per_em == 2048
    assert m.line_height_factor == pytest.approx(1.2207, abs=1e-4)
    assert m.family == "Carlito"


def test_nbsp_counts_as_a_space_and_soft_hyphen_as_nothing():
    m = metrics()
    assert m.width("\u00a0", 12) == m.width(" ", 12) == pytest.approx(SPACE * 12 / 2048)
    assert m.width("infra\u00adstructure", 12) == pytest.approx(m.width("infrastructure", 12))


def test_styles_differ():
    m = metrics()
    regular = m.width("Hello world", 20)
    assert m.width("Hello world", 20, bold=True) > regular
    assert m.width("Hello world", 20, italic=True) != m.width("Hello world", 20, bold=True)


def test_cjk_runs_count_one_em_each_plus_autospace():
    m = metrics()
    size = 20
    assert m.width("石破茂", size) >= 3 * size + 2 * 0.25 * size
    assert m.width("石破茂", size) == pytest.approx(3.5 * size)
    # Each run gets its own autospace; Latin in between is measured normally.
    mixed = m.width("石a윤석열", size)
    assert mixed == pytest.approx(1.5 * size + m.width("a", size) + 3.5 * size)


def test_missing_characters_fall_back_conservatively():
    m = metrics()
    size = 10
    assert m.width("\u2713", size) == pytest.approx(1.0 * size, abs=0.01)  # a symbol
    assert m.width("\u05d0", size) == pytest.approx(0.8 * size, abs=0.01)  # a letter (Hebrew)
    assert m.width("e\u0301", size) == pytest.approx(m.width("e", size))  # combining mark
    assert m.width("\U0001F600", size) >= 1.3 * size  # emoji
    assert m.width("\x07", size) == pytest.approx(m.width("_x0007_", size))  # python-pptx escape


# ---------------------------------------------------------------------------------- wrapping


def test_wrap_breaks_at_spaces_and_spaces_hang():
    m = metrics()
    size = 12
    avail = room(m.width("alpha beta", size))
    assert wrap(para("alpha beta gamma"), size, avail) == ["alpha beta", "gamma"]
    assert wrap(para("alpha beta gamma"), size, avail - 0.01)[0] == "alpha"
    assert wrap(para("alpha beta alpha beta"), size, avail) == ["alpha beta", "alpha beta"]
    # Trailing spaces never cause a wrap.
    assert wrap(para("alpha beta      "), size, avail) == ["alpha beta"]
    assert wrap(para("alpha beta gamma"), size, 1000) == ["alpha beta gamma"]


@pytest.mark.parametrize("dash", ["-", "\u2010", "\u2013", "\u2014", "/"])
def test_wrap_breaks_after_hyphens_dashes_and_slashes(dash):
    m = metrics()
    size = 12
    word = f"supply{dash}chain"
    avail = room(m.width(f"x supply{dash}", size))
    assert m.width(f"x {word}", size) > usable(avail)
    assert wrap(para(f"x {word}"), size, avail) == [f"x supply{dash}", "chain"]


@pytest.mark.parametrize("text", ["x 10-20", "x -5", "x 2024/25", "x US\u2011China"])
def test_no_break_after_a_dash_before_digits_or_at_a_word_start(text):
    m = metrics()
    size = 12
    word = text[2:]
    avail = room(m.width(word, size)) + 0.01
    assert wrap(para(text), size, avail) == ["x", word]


@pytest.mark.parametrize("joiner", ["\u00a0", "\u202f"])
def test_wrap_never_breaks_at_no_break_spaces(joiner):
    m = metrics()
    size = 12
    phrase = f"€12.5{joiner}bn"
    avail = room(m.width(phrase, size)) + 0.01
    assert m.width(f"cost {phrase}", size) > usable(avail)
    assert wrap(para(f"cost {phrase}"), size, avail) == ["cost", phrase]


def test_break_across_spans_only_at_break_opportunities():
    m = metrics()
    size = 12
    p = Para((Span("x Bold", bold=True), Span("ed word")))
    avail = room(m.width("x Bolde", size, bold=True)) + 0.01  # "x Bolded" does not fit

    lines = wrap(p, size, avail)
    assert lines[0] == "x"
    assert lines[1].startswith("Bolded")


def check_char_broken(text: str, size: float, avail: float) -> list[str]:
    m = metrics()
    lines = wrap(para(text), size, avail)
    assert "".join(lines) == text
    for line in lines:
        assert m.width(line, size) <= usable(avail) + 1e-9
    return lines


def test_a_2000_character_word_breaks_between_characters():
    word = "".join(random.Random(1).choice("abcdefghijklmnopqrstuvwxyz") for _ in range(2000))
    size, avail = 18, 200.0
    lines = check_char_broken(word, size, avail)
    m = metrics()
    assert len(lines) >= math.ceil(m.width(word, size) / avail)
    for line, following in zip(lines, lines[1:]):  # each line is filled greedily
        assert m.width(line + following[0], size) > usable(avail)


def test_a_300_character_url_wraps_inside_the_line():
    url = "https://example.org/" + "/".join(
        ["reports", "2025", "trilateral-alliance", "x" * 120, "annex", "supply-chain-security",
         "semiconductor-export-controls-and-critical-minerals-coordination", "final.pdf"])
    url = (url + "?q=" + "y" * 300)[:300]
    assert len(url) == 300
    lines = check_char_broken(url, 14, 150.0)
    assert len(lines) > 3


def test_a_line_of_hard_breaks_and_an_empty_paragraph():
    assert wrap(para("one\vtwo\nthree\u2028"), 12, 500) == ["one", "two", "three", ""]
    assert wrap(para(""), 12, 500) == [""]
    assert wrap(Para(()), 12, 500) == [""]


def test_cjk_names_are_kept_whole():
    m = metrics()
    size = 12
    text = "met 石破茂 and 李在明 today"
    avail = room(m.width("met 石破", size))
    lines = wrap(para(text), size, avail)
    assert "石破茂" in lines and "met" in lines


def test_tabs_advance_to_72pt_stops():
    m = metrics()
    size = 10
    assert wrap(para("a\tb"), size, room(72 + m.width("b", size)) + 0.01) == ["a\tb"]
    assert wrap(para("a\tb"), size, room(72 + m.width("b", size)) - 0.01) == ["a", "b"]


def test_bullet_indent_narrows_the_line():
    m = metrics()
    size = 12
    text = "alpha beta gamma delta"
    box = BoxSpec(width=room(m.width(text, size)) + 14.4 + 0.5, height=1000,
                  indent_per_level=18)
    flat, bullet, nested = para(text), para(text, bullet=True), para(text, level=1, bullet=True)
    assert fit.margin_left(flat, box) == 0
    assert fit.margin_left(bullet, box) == 18
    assert fit.margin_left(nested, box) == 36
    assert fit.margin_left(para(text, level=2), box) == 36
    pitch = m.line_height_factor * size
    assert height([flat], size, box) == pytest.approx(7.2 + pitch)
    assert height([bullet], size, box) == pytest.approx(7.2 + 2 * pitch)


def test_the_fast_line_filler_agrees_with_the_token_by_token_one():
    rng = random.Random(13)
    for _ in range(300):
        paras = random_paras(rng, 2)
        paras.append(para("x" * rng.randint(1, 60) + " " + words(rng, 6)))
        for p in paras:
            prep = fit._prepare(p)
            assert prep.flags is None
            for avail in (0, 1, 1822, rng.uniform(0, 4000), rng.uniform(2000, 60000)):
                assert (fit._line_starts_simple(prep, avail)
                        == fit._line_starts_general(prep, avail, 1e12)), (p.text, avail)


# ---------------------------------------------------------------------------------- height


def test_height_formula():
    m = metrics()
    size = 20
    box = BoxSpec(width=300, height=500, line_spacing=1.1, space_before_em=0.5,
                  space_after_em=0.25, inset_top=5, inset_bottom=7)
    paras = [para("one"), para("two"), para("three")]
    expected = 5 + 7 + 3 * (m.line_height_factor * size * 1.1) + 3 * 0.75 * size
    assert height(paras, size, box) == pytest.approx(expected)
    assert height([], size, box) == pytest.approx(12)


def test_height_grows_monotonically_with_size():
    rng = random.Random(7)
    for _ in range(5):
        paras = random_paras(rng, 8)
        box = BoxSpec(width=rng.uniform(200, 700), height=400, indent_per_level=18,
                      space_before_em=0.3)
        previous = 0.0
        for k in range(12, 121):  # 6 pt to 60 pt
            h = height(paras, k / 2, box)
            assert h >= previous
            previous = h


# ---------------------------------------------------------------------------------- best size


def linear_best(paras, box, max_size, min_size, step=0.5):
    k = math.floor(max_size / step + 1e-9)
    while k * step >= min_size - 1e-9 and k > 0:
        if fits(paras, k * step, box):
            return k * step
        k -= 1
    return None


def test_best_size_is_the_largest_fitting_step():
    rng = random.Random(11)
    for _ in range(30):
        paras = random_paras(rng, rng.randint(1, 10))
        box = BoxSpec(width=rng.uniform(150, 860), height=rng.uniform(60, 480),
                      indent_per_level=rng.choice((0, 14.4, 21.6)),
                      line_spacing=rng.choice((0.9, 1.0, 1.1)),
                      space_before_em=rng.choice((0.0, 0.3)))
        expected = linear_best(paras, box, 40, 8)
        got = best_size(paras, box, 40, 8)
        assert got == expected
        if got is not None:
            assert fits(paras, got, box)
            if got < 40:
                assert not fits(paras, got + 0.5, box)


def test_best_size_returns_max_when_everything_fits_and_none_when_nothing_does():
    box = BoxSpec(width=600, height=300)
    assert best_size([para("Short")], box, 44, 10) == 44
    long = [para(words(random.Random(3), 400))]
    assert best_size(long, box, 44, 10) is None
    assert not fits(long, 10, box)
    # A single glyph wider than the line never fits, however much height is left.
    narrow = BoxSpec(width=30, height=500)  # 15.6 pt between the insets; "W" is 1822/2048 em
    largest = math.floor(2 * usable(15.6) * 2048 / 1822) / 2
    assert largest == 17.0
    assert fits([para("W")], largest, narrow)
    assert not fits([para("W")], largest + 0.5, narrow)
    assert best_size([para("W")], narrow, 60, 8) == largest
    assert linear_best([para("W")], narrow, 60, 8) == largest
    assert best_size([para("W")], BoxSpec(width=20, height=500), 60, 8) is None


def test_best_size_grid_and_arguments():
    box = BoxSpec(width=600, height=300)
    assert best_size([para("Short")], box, 40.3, 10.2, step=0.5) == 40.0
    assert best_size([para("Short")], box, 12.2, 12.1, step=0.5) is None  # no grid point
    with pytest.raises(ValueError):
        best_size([para("x")], box, 10, 20)
    with pytest.raises(ValueError):
        best_size([para("x")], box, 20, 10, step=0)


# ---------------------------------------------------------------------------------- split


def flat_text(chunks: list[list[Para]]) -> str:
    return "".join(p.text for chunk in chunks for p in chunk)


def test_split_chunks_fit_and_keep_the_text_in_order():
    rng = random.Random(5)
    for _ in range(10):
        paras = random_paras(rng, rng.randint(5, 40))
        box = BoxSpec(width=rng.uniform(300, 860), height=rng.uniform(150, 400),
                      indent_per_level=18, space_before_em=0.3)
        size = rng.choice((12, 16, 20))
        chunks = split(paras, box, size)
        assert all(chunks)
        for chunk in chunks:
            assert fits(chunk, size, box)
        assert flat_text(chunks) == "".join(p.text for p in paras)
        # No two consecutive chunks could have been one (greedy at paragraph boundaries).
        for a, b in zip(chunks, chunks[1:]):
            assert not fits([*a, b[0]], size, box)


def test_split_cuts_a_paragraph_taller_than_the_box_at_line_starts():
    m = metrics()
    size = 14
    box = BoxSpec(width=300, height=120, indent_per_level=18)
    long = Para((Span("Lead: ", bold=True), Span(words(random.Random(9), 300))), bullet=True)
    paras = [para("Intro"), long, para("Outro")]
    assert not fits([long], size, box)
    chunks = split(paras, box, size)
    assert chunks[0] == [paras[0]]
    for chunk in chunks:
        assert fits(chunk, size, box)
    pieces = [p for chunk in chunks for p in chunk][1:-1]
    assert len(pieces) > 2
    assert not pieces[0].continued and all(p.continued for p in pieces[1:])
    assert all(p.bullet and p.level == 0 for p in pieces)
    assert "".join(p.text for p in pieces) == long.text
    assert pieces[0].spans[0] == Span("Lead: ", bold=True)
    # Each head is as many lines as the box holds, and the wrap is the original's.
    avail = box.text_width - 18
    lines = wrap(long, size, avail)
    per_chunk = math.floor((box.height - 7.2) / (m.line_height_factor * size))
    assert wrap(pieces[0], size, avail) == lines[:per_chunk]
    assert sum(len(wrap(p, size, avail)) for p in pieces) == len(lines)


def test_split_drops_a_hard_break_at_the_cut_and_edge_cases():
    size = 12
    pitch = metrics().line_height_factor * size
    box = BoxSpec(width=300, height=7.2 + 2 * pitch + 0.01)
    chunks = split([para("one\vtwo\vthree\vfour")], box, size)
    assert [[p.text for p in chunk] for chunk in chunks] == [["one\vtwo"], ["three\vfour"]]
    assert split([], box, size) == []
    # A character wider than the line: its own chunk, not cut.
    chunks = split([para("ok"), para("W W W"), para("ok")], BoxSpec(width=20, height=500), 40)
    assert [[p.text for p in c] for c in chunks] == [["ok"], ["W W W"], ["ok"]]


# ---------------------------------------------------------------------------------- data file


def test_data_file_is_compact():
    raw = DATA.read_bytes()
    assert len(raw) < 300_000
    data = json.loads(raw)
    assert data["format"] == 1
    assert list(data["styles"]) == ["regular", "bold", "italic", "bolditalic"]
    for style in data["styles"].values():
        assert len(style["source"]["sha256"]) == 64
        assert style["source"]["file"].startswith("Carlito-")


def test_data_file_is_what_the_script_makes_from_the_fonts():
    need(importlib.util.find_spec("fontTools") is not None,
         "fontTools is not installed (.venv/bin/pip install fonttools)")
    folder = carlito_dir()
    need(folder is not None, f"Carlito TTFs not found in {DEBIAN} or the rinoh-typeface-carlito "
                             "package (apt-get install fonts-crosextra-carlito)")
    paths = [folder / f"Carlito-{s}.ttf" for s in STYLE_FILES]
    recorded = [s["source"]["sha256"] for s in json.loads(DATA.read_text())["styles"].values()]
    found = [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]
    need(found == recorded, f"the Carlito in {folder} is not the one carlito.json was made from")
    spec = importlib.util.spec_from_file_location("font_metrics", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build(paths).encode("ascii") == DATA.read_bytes()
