"""What reportgen does to make reportlab start faster gives the same results as reportlab alone:
the brief's faces read from their files when first used (reportgen.render.fonts), the
hyphenation patterns read from a cache. (Its patterns compiled faster: tests/test_quick_imports.py.)"""

from __future__ import annotations

from pathlib import Path


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
