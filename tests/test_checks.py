"""``reportgen validate`` refuses what ``reportgen build`` refuses, in the same words and with the
same exit code: both run build.check, validate for every format. Each case runs the real
command (build forks its renderers), and a refused build writes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import VALID


def command(project: Path, *args: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True, text=True,
                          cwd=project, check=False)
    return done.returncode, done.stderr


def default_template(path: Path) -> None:
    from pptx import Presentation

    Presentation().save(path)


CASES = {
    "clean": VALID,
    "hebrew paragraph": VALID.replace("- A paragraph.", "- 'Shalom: שלום עולם'"),
    "arabic key point": VALID.replace("[One point]", "['السلام عليكم']"),
    "arabic in the summary and a title": VALID.replace("summary: The summary.", "summary: مرحبا").replace(
        "title: A brief", "title: A brief ש"),
    "a letter no face has (Tibetan)": VALID.replace("- A paragraph.", "- The letter \u0f40 and \U0010fffd."),
    "a layout the template lacks": VALID + "pptx_template:\n  file: assets/t.pptx\n  layouts:\n    content: Nope\n",
    "a template that is not a deck": VALID + "pptx_template:\n  file: assets/bad.pptx\n",
    "a missing figure image": VALID.replace("- A paragraph.", "- figure:\n          image: assets/gone.png\n"
                                                              "          alt: A chart\n          caption: A chart"),
}


@pytest.mark.parametrize("case", CASES)
def test_validate_and_build_refuse_alike(case: str, tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "outlines").mkdir(parents=True)
    (project / "assets").mkdir()
    default_template(project / "assets" / "t.pptx")
    (project / "assets" / "bad.pptx").write_text("not a zip", encoding="utf-8")
    (project / "outlines" / "o.yaml").write_text(CASES[case], encoding="utf-8")

    validated, validate_err = command(project, "validate", "outlines/o.yaml")
    built, build_err = command(project, "build", "outlines/o.yaml", "--format", "pdf,pptx", "--out", "out")
    assert validated == built, (validate_err, build_err)
    assert validated in (0, 2) and "Traceback" not in validate_err + build_err
    assert validate_err == build_err
    if case == "clean":
        assert validated == 0 and sorted(p.name for p in (project / "out").iterdir()) == ["o.pdf", "o.pptx"]
    elif validated == 2:
        assert validate_err and all(line.startswith(("outlines/o.yaml:", "assets/", str(project)))
                                    for line in validate_err.splitlines()), validate_err
        assert not (project / "out").exists() or not any((project / "out").iterdir())
    if "hebrew" in case or "arabic" in case or "Tibetan" in case:
        assert validated == 2 and ("right-to-left" in validate_err or "U+0F40" in validate_err)


def test_the_faces_map_the_characters_reportlab_draws() -> None:
    """validate and the brief's font fallback read each face's characters with fontTools (its
    best cmap); the brief draws with reportlab: it must map every one of them (it maps a few
    more: a format-4 cmap's end marker U+FFFF, and in Vera 27 characters its cmap lacks)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    from reportgen import glyphs

    faces = [*glyphs.family_files(glyphs.SERIF), *glyphs.family_files(glyphs.SANS), *glyphs.vera_files(),
             *(Path(f.regular) for f in glyphs.FALLBACKS if Path(f.regular).is_file())]
    for face in faces:
        assert glyphs.characters(face) <= frozenset(TTFontFile(str(face)).charToGlyph), face


def test_no_character_before_the_hebrew_block_is_written_right_to_left() -> None:
    """The right-to-left check looks character by character only at texts holding a character at
    or past glyphs.FIRST_RIGHT_TO_LEFT: true of this Python's Unicode database, and a text with
    one right-to-left character among plain letters is still found."""
    import unicodedata

    from reportgen.glyphs import FIRST_RIGHT_TO_LEFT, text_problems

    assert not [hex(code) for code in range(ord(FIRST_RIGHT_TO_LEFT))
                if unicodedata.bidirectional(chr(code)) in ("R", "AL")]
    (problem,) = text_problems([(("title",), ("o.yaml", 1, 8), "Plain words and one: \u05d0.")])
    assert "right-to-left" in problem.message and "U+05D0" in problem.message
    assert text_problems([(("title",), ("o.yaml", 1, 8), "Plain words, accents é and — dashes.")]) == []
