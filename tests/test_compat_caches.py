"""What reportgen._compat does to make reportlab start faster gives the same results as
reportlab alone: the brief's faces read from their files when first used, what they hold and
the hyphenation patterns read from a cache. (Its patterns compiled faster: tests/test_compat.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
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

    from reportgen import disk_cache
    from reportgen._compat import pyphen as hyphenation
    from tests.conftest import REPO, run

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = pyphen.LANGUAGES["en_GB"]  # the trilateral brief's (language: en-GB)
    fresh = pyphen.HyphDict(path)
    stale = disk_cache.folder() / "pyphen-0.17.0-hyph_en_GB-0123456789abcdef-v2.marshal"  # an earlier pyphen's
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    outputs = []
    for attempt in ("parsed, cache written", "from the cache", "cache corrupt"):
        monkeypatch.delitem(pyphen.hdcache, path, raising=False)
        if attempt == "cache corrupt":
            for cached in disk_cache.folder().glob("pyphen-*"):
                cached.write_bytes(cached.read_bytes()[:1000])
        hyphenation.preload("en_GB")
        loaded = pyphen.hdcache[path]
        assert (loaded.patterns, loaded.maxlen) == (fresh.patterns, fresh.maxlen), attempt
        assert [f.name.split("-")[2] for f in disk_cache.folder().glob("pyphen-*")] == ["hyph_en_GB"]
        out = tmp_path / attempt
        assert run("build", str(REPO / "outlines" / "trilateral-alliance.yaml"), "--format", "pdf", "--out", str(out)).code == 0
        outputs.append((out / "trilateral-alliance.pdf").read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


def test_an_unwritable_cache_folder_changes_nothing(tmp_path: Path, monkeypatch) -> None:
    import pyphen

    from reportgen import disk_cache
    from reportgen._compat import pyphen as hyphenation

    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    monkeypatch.delitem(pyphen.hdcache, pyphen.LANGUAGES["en_US"], raising=False)
    hyphenation.preload("en_US")
    assert pyphen.hdcache[pyphen.LANGUAGES["en_US"]].patterns


def test_the_face_cache_reads_back_reportlabs_own_faces_and_gives_the_same_brief(tmp_path: Path, monkeypatch) -> None:
    from reportlab.pdfbase import ttfonts

    from reportgen import disk_cache
    from reportgen._compat import reportlab as fonts
    from tests.conftest import REPO

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    face_file = Path(__import__("font_source_serif_pro").__file__).parent / "files" / "SourceSerifPro-It.ttf"

    def attributes(face) -> dict:
        return {key: (value, type(value)) for key, value in vars(face).items() if key != "_pdfScale"}

    fonts.apply()  # as a brief's build starts
    monkeypatch.setattr(ttfonts.TTFontFile, "extractInfo", fonts._extract_info)  # reportlab alone
    fresh = ttfonts.TTFontFile(str(face_file))
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    written, read_back = ttfonts.TTFontFile(str(face_file)), ttfonts.TTFontFile(str(face_file))
    assert list(disk_cache.folder().glob("ttf-*"))
    for face in (written, read_back):
        assert attributes(face) == attributes(fresh)
        assert face.name.ustr == fresh.name.ustr and face._pdfScale(500) == fresh._pdfScale(500)

    outputs = []
    for attempt in ("faces read, cache written", "from the cache", "cache corrupt"):
        if attempt == "cache corrupt":
            for cached in disk_cache.folder().glob("ttf-*"):
                cached.write_bytes(cached.read_bytes()[:1000])
        out = tmp_path / attempt  # a new command each time: no face read yet
        done = subprocess.run([sys.executable, "-m", "reportgen", "build", str(REPO / "outlines" / "trilateral-alliance.yaml"),
                               "--format", "pdf", "--out", str(out)], capture_output=True, text=True, check=False,
                              env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
        assert done.returncode == 0, done.stderr
        outputs.append((out / "trilateral-alliance.pdf").read_bytes())
    assert len(list(disk_cache.folder().glob("ttf-*"))) >= 4  # the brief's four faces at least
    assert outputs[0] == outputs[1] == outputs[2]
