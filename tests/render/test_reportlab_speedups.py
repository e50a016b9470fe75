"""What reportgen does to make reportlab start faster gives the same results as reportlab alone:
its URL pattern compiled case-sensitively (reportgen.render._platypus), the brief's faces read
from their files when first used (reportgen.render.fonts)."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.render import _platypus

SOURCE = Path(__import__("reportlab").__file__).parent / "platypus" / "paragraph.py"


def reportlab_pattern() -> re.Pattern:
    """reportlab's own ``uri_pat``, compiled as reportlab writes it."""
    line = next(line for line in SOURCE.read_text(encoding="utf-8").splitlines() if line.startswith("uri_pat"))
    namespace = {"re": re}
    exec(line, namespace)  # noqa: S102 - one line of reportlab's own source
    return namespace["uri_pat"]


ORIGINAL = reportlab_pattern()
CASED = re.compile(_platypus.cased(ORIGINAL.pattern))
CODE_POINTS = [*range(0x10000), 0x10000, 0x10400, 0x10428, 0x1F600, 0x10FFFF]


def test_reportlabs_paragraph_module_uses_the_cased_pattern() -> None:
    from reportlab.platypus import paragraph

    assert paragraph.uri_pat.pattern == CASED.pattern and not paragraph.uri_pat.flags & re.IGNORECASE


def test_each_character_class_matches_the_same_characters() -> None:
    for piece, replacement in _platypus.CASED.items():
        if not piece.startswith("["):
            continue
        original, cased = re.compile(piece, re.IGNORECASE), re.compile(replacement)
        differ = [hex(c) for c in CODE_POINTS if bool(original.fullmatch(chr(c))) != bool(cased.fullmatch(chr(c)))]
        assert not differ, (piece, differ[:10])


_TRICKY = "abzAZ09-_.\u00a0\u00e9\u0130\u0131\u017f\u212a\u4e2d\U0001F600"
_LABEL = st.text(alphabet=_TRICKY, max_size=8)
_HOST = st.one_of(
    st.tuples(st.lists(_LABEL, max_size=3), st.sampled_from(["com", "ORG", "xn--p1ai", "XN--ſa", "\u4e2d\u56fd", "a",
                                                               "-x", "K\u212a", ""])).map(lambda t: ".".join([*t[0], t[1]])),
    st.sampled_from(["localhost", "LOCALHOST", "localhoſt", "127.0.0.1", "256.1.1.1", "[::1]", "[FE80::1]", "[g::1]"]),
)
URL_TEXT = st.builds(
    lambda scheme, user, host, port, path: f"{scheme}{user}{host}{port}{path}",
    st.sampled_from(["https://", "HTTP://", "\u017fftp://", "a+b.c-d://", "\u0130://", "", "://", "http:/"]),
    st.sampled_from(["", "user@", "u:p@", "@"]),
    _HOST,
    st.sampled_from(["", ":80", ":8080", ":1", ":123456"]),
    st.text(alphabet=_TRICKY + "/?# ", max_size=10),
)


@settings(max_examples=1000, deadline=None)
@given(URL_TEXT)
def test_urls_and_near_urls_match_alike(text: str) -> None:
    original, cased = ORIGINAL.match(text), CASED.match(text)
    assert (original is None) == (cased is None)
    if original is not None:
        assert original.groups() == cased.groups() and original.span() == cased.span()


def test_known_urls() -> None:
    for url in ("https://example.com/a/b?c=1", "HTTPS://EXAMPLE.COM", "http://xn--bcher-kva.example/", "ftp://[::1]:21/",
                "https://localhost:8080/x", "https://bücher.example/ü", "mailto:someone@example.com", "example.com/x"):
        assert bool(ORIGINAL.match(url)) == bool(CASED.match(url)), url


def test_faces_read_on_first_use_measure_as_faces_read_at_once() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from reportgen.render.fonts import fonts

    fonts()
    for face in ("Serif-Bold", "Serif-Italic", "Sans-BoldItalic"):
        lazy = pdfmetrics.getFont(face)
        eager = TTFont(face, lazy.__dict__.get("_unread", (None, lazy.face.filename))[1])
        text = "Quarterly “trilateral” cooperation, 2024–25: ﬁne"
        assert lazy.stringWidth(text, 10.5) == eager.stringWidth(text, 10.5)
        assert lazy.face.charToGlyph == eager.face.charToGlyph and lazy.face.name == eager.face.name


def test_the_hyphenation_cache_gives_pyphens_own_patterns_and_the_same_brief(tmp_path: Path, monkeypatch) -> None:
    import pyphen

    from reportgen.render import hyphenation
    from tests.conftest import REPO, run

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = pyphen.LANGUAGES["en_GB"]  # the trilateral brief's (language: en-GB)
    fresh = pyphen.HyphDict(path)
    stale = hyphenation.cache_folder() / "pyphen-0.17.0-hyph_en_GB-0123456789abcdef-v2.marshal"  # an earlier pyphen's
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    outputs = []
    for attempt in ("parsed, cache written", "from the cache", "cache corrupt"):
        monkeypatch.delitem(pyphen.hdcache, path, raising=False)
        if attempt == "cache corrupt":
            for cached in hyphenation.cache_folder().iterdir():
                cached.write_bytes(cached.read_bytes()[:1000])
        hyphenation.preload("en_GB")
        loaded = pyphen.hdcache[path]
        assert (loaded.patterns, loaded.maxlen) == (fresh.patterns, fresh.maxlen), attempt
        assert [f.name.split("-")[2] for f in hyphenation.cache_folder().iterdir()] == ["hyph_en_GB"]
        out = tmp_path / attempt
        assert run("build", str(REPO / "outlines" / "trilateral-alliance.yaml"), "--format", "pdf", "--out", str(out)).code == 0
        outputs.append((out / "trilateral-alliance.pdf").read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


def test_an_unwritable_cache_folder_changes_nothing(tmp_path: Path, monkeypatch) -> None:
    import pyphen

    from reportgen.render import hyphenation

    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    monkeypatch.delitem(pyphen.hdcache, pyphen.LANGUAGES["en_US"], raising=False)
    hyphenation.preload("en_US")
    assert pyphen.hdcache[pyphen.LANGUAGES["en_US"]].patterns
