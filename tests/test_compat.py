"""The patches fenced off in reportgen._compat change nothing a reader sees: importing reportgen
patches nothing; a build with every patch off (REPORTGEN_NO_PATCHES=1, the route any other
library release takes) gives the same files; each pattern compiled in its fast form matches
what the library's own matches; the caches give
back what the libraries parse."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen._compat import imports as quick_imports
from tests.conftest import VALID

SOURCE = Path(__import__("reportlab").__file__).parent / "platypus" / "paragraph.py"
EVERY_CHARACTER = "".join(map(chr, range(0x110000)))


def reportlab_pattern() -> re.Pattern:
    """reportlab's own ``uri_pat``, compiled as reportlab writes it."""
    line = next(line for line in SOURCE.read_text(encoding="utf-8").splitlines() if line.startswith("uri_pat"))
    namespace = {"re": re}
    exec(line, namespace)  # noqa: S102 - one line of reportlab's own source
    return namespace["uri_pat"]


ORIGINAL = reportlab_pattern()
CASED = re.compile(quick_imports.cased(ORIGINAL.pattern))
CODE_POINTS = [*range(0x10000), 0x10000, 0x10400, 0x10428, 0x1F600, 0x10FFFF]


def run_python(tmp_path: Path, script: str, *args: str) -> None:
    """Run ``script`` in a new interpreter (so imports start afresh); it prints ok when all holds."""
    path = tmp_path / "script.py"
    path.write_text(script, encoding="utf-8")
    done = subprocess.run([sys.executable, str(path), *args], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout == "ok\n", done.stderr


FAST_FORMS = """
import re, sys
from reportgen import _compat
_compat.start("pdf")                                         # as a brief's process starts: before reportlab
from reportgen._compat import imports as quick_imports
from reportlab.lib import textsplit
from reportlab.platypus import paragraph
assert paragraph.uri_pat.pattern == quick_imports.cased(sys.argv[1]) and not paragraph.uri_pat.flags & re.IGNORECASE
fast = set(quick_imports.EQUIVALENT.values())
assert textsplit.rx.pattern in fast
print("ok")
"""


def test_the_libraries_compile_the_fast_forms(tmp_path: Path) -> None:
    run_python(tmp_path, FAST_FORMS, ORIGINAL.pattern)
    run_python(tmp_path, FAST_YAML)


FAST_YAML = """
from reportgen import _compat
_compat.start("read")                                        # as a command reads an outline: before YAML
from reportgen._compat.imports import EQUIVALENT
import yaml
assert yaml.reader.Reader.NON_PRINTABLE.pattern in set(EQUIVALENT.values())
print("ok")
"""


PLAIN = """
from reportlab.lib import textsplit        # imported plainly: the patterns as reportlab and PyYAML write them
import yaml
from reportgen._compat.imports import EQUIVALENT
for compiled in (textsplit.rx, yaml.reader.Reader.NON_PRINTABLE):
    assert (compiled.pattern, compiled.flags & ~32) in {(p, f & ~32) for p, f in EQUIVALENT}, compiled.pattern
print("ok")
"""


def test_the_libraries_still_write_the_patterns_replaced(tmp_path: Path) -> None:
    """A release that rewrites a pattern would leave it compiled slowly, unnoticed: not so."""
    run_python(tmp_path, PLAIN)


def test_each_equivalent_pattern_matches_the_same_characters() -> None:
    for (pattern, flags), fast in quick_imports.EQUIVALENT.items():
        original, equivalent = re.compile(pattern, flags), re.compile(fast, flags)
        assert ([m.span() for m in original.finditer(EVERY_CHARACTER)]
                == [m.span() for m in equivalent.finditer(EVERY_CHARACTER)]), pattern


def test_each_cased_character_class_matches_the_same_characters() -> None:
    for piece, replacement in quick_imports.CASED.items():
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


UNPATCHED = """
import importlib, pkgutil, re, sys
original_compile = re.compile
from reportlab.pdfbase import ttfonts
originals = (ttfonts.makeToUnicodeCMap, ttfonts.TTFontFile.extractInfo)
import reportgen
for module in pkgutil.walk_packages(reportgen.__path__, "reportgen."):
    if module.name != "reportgen.__main__":
        importlib.import_module(module.name)
assert re.compile is original_compile
assert (ttfonts.makeToUnicodeCMap, ttfonts.TTFontFile.extractInfo) == originals
from pptx.oxml import ns
assert not hasattr(ns.qn, "cache_info")
print("ok")
"""


def test_importing_every_reportgen_module_patches_nothing(tmp_path: Path) -> None:
    run_python(tmp_path, UNPATCHED)


def test_a_patch_applies_only_to_the_release_it_was_written_for(monkeypatch) -> None:
    from reportgen import _compat

    for name, patch in _compat.PATCHES.items():  # (constraints.txt installs the releases written for)
        assert _compat.exact(name) == (_compat.installed(patch.distribution) == patch.version)
    monkeypatch.setattr(_compat, "installed", lambda distribution: "99.0")
    assert not any(_compat.exact(name) for name in _compat.PATCHES)
    monkeypatch.undo()
    monkeypatch.setenv("REPORTGEN_NO_PATCHES", "pptx-bookkeeping, pyphen-cache")
    assert {name for name in _compat.PATCHES if not _compat.exact(name)} == {"pptx-bookkeeping", "pyphen-cache"}
    monkeypatch.setenv("REPORTGEN_NO_PATCHES", "1")
    assert not any(_compat.exact(name) for name in _compat.PATCHES)


EMOJI = (VALID.replace("title: A brief", "title: Signals and a smile 😀")
         .replace("key_points: [One point]", "key_points: [A treble clef 𝄞]")
         .replace("- A paragraph.", "- Text with a treble clef 𝄞 and a smile 😀, in a paragraph of some length."))
SYMBOLA = Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf")


def test_with_every_patch_off_the_files_are_the_same(tmp_path: Path) -> None:
    """REPORTGEN_NO_PATCHES=1 is the route every other library release takes: the deck and the
    brief are the same bytes (the ToUnicode fix aside, which only touches text beyond U+FFFF), and
    each route gives the same bytes twice."""
    import pypdf

    from tests.conftest import REPO, need

    need(SYMBOLA.is_file(), "fonts-symbola missing (the emoji's face): apt-get install fonts-symbola")
    emoji = tmp_path / "outlines" / "emoji.yaml"
    emoji.parent.mkdir()
    emoji.write_text(EMOJI, encoding="utf-8")
    outlines = [REPO / "outlines" / "trilateral-alliance.yaml", REPO / "outlines" / "example.yaml", emoji]
    built: dict[tuple[str, int], dict[str, bytes]] = {}
    for route, env in (("patched", {}), ("public", {"REPORTGEN_NO_PATCHES": "1"})):
        for attempt in (1, 2):
            out = tmp_path / f"{route}-{attempt}"
            for outline in outlines:
                done = subprocess.run([sys.executable, "-m", "reportgen", "build", str(outline), "--format", "pdf,pptx",
                                       "--out", str(out)], capture_output=True, text=True, check=False,
                                      env={**os.environ, **env}, cwd=tmp_path)
                assert done.returncode == 0, done.stderr
            built[(route, attempt)] = {f.name: f.read_bytes() for f in out.iterdir()}
    for route in ("patched", "public"):
        assert built[(route, 1)] == built[(route, 2)], route
    patched, public = built[("patched", 1)], built[("public", 1)]
    assert patched.keys() == public.keys() and len(patched) == 6
    for name in patched:
        if name != "emoji.pdf":
            assert patched[name] == public[name], name
    def text(data: bytes) -> str:
        import io

        return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)

    assert "smile 😀" in text(patched["emoji.pdf"]) and "clef 𝄞" in text(patched["emoji.pdf"])  # the fix


def test_the_version_a_patch_is_checked_against_is_the_installed_distributions() -> None:
    """A package's own version attribute is read (cheaply) in place of the distribution's
    metadata: the two must agree, or a patch could apply to a release it was not written for."""
    from importlib import metadata

    from reportgen import _compat

    for distribution in {patch.distribution for patch in _compat.PATCHES.values()}:
        assert _compat.installed(distribution) == metadata.version(distribution)
    assert _compat.installed("no-such-distribution-anywhere") is None
