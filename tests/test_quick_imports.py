"""Libraries imported through reportgen.quick_imports behave as imported plainly: each pattern
compiled in its fast form matches what the library's own matches, and the modules that load on
first use work when they are used."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen import quick_imports

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
import reportgen.read.reader, reportgen.render.pdf_brief   # as a build imports them: before yaml and reportlab
from reportgen import quick_imports
import yaml.reader
from reportlab.lib import textsplit
from reportlab.platypus import paragraph
assert paragraph.uri_pat.pattern == quick_imports.cased(sys.argv[1]) and not paragraph.uri_pat.flags & re.IGNORECASE
fast = set(quick_imports.EQUIVALENT.values())
assert yaml.reader.Reader.NON_PRINTABLE.pattern in fast and textsplit.rx.pattern in fast
print("ok")
"""


def test_the_libraries_compile_the_fast_forms(tmp_path: Path) -> None:
    run_python(tmp_path, FAST_FORMS, ORIGINAL.pattern)


PLAIN = """
import yaml.reader                          # imported plainly: the patterns as the libraries write them
from reportlab.lib import textsplit
from reportgen.quick_imports import EQUIVALENT
for compiled in (yaml.reader.Reader.NON_PRINTABLE, textsplit.rx):
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


DEFERRED = """
import sys
import reportgen.build, reportgen.render.pptx_deck     # as the deck's process imports them
unused = [name for name in ("PIL.ExifTags", "PIL._imagingft", "http.client", "email.parser", "ssl", "_hashlib")
          if name in sys.modules]
assert not unused, unused
import reportgen.render.pdf_brief                     # and the brief's
assert "PIL.ExifTags" not in sys.modules and "http.client" not in sys.modules

from PIL import Image                       # used: Pillow loads and works
assert Image.new("RGB", (3, 2)).size == (3, 2) and "PIL.ExifTags" in sys.modules
from PIL import ImageFont
assert "PIL._imagingft" not in sys.modules
assert ImageFont.load_default(size=12).getbbox("Hi")[2] > 0 and "PIL._imagingft" in sys.modules

import urllib.request                       # an import statement alone loads nothing yet
assert "http.client" not in sys.modules
import xml.sax.saxutils                     # its one use of urllib.request works
import pathlib
source = xml.sax.saxutils.prepare_input_source(pathlib.Path(__file__).as_uri())   # read with urlopen
assert source.getByteStream().read().startswith(b"\\nimport sys") and "http.client" in sys.modules
assert urllib.request.Request("https://example.com/").host == "example.com"
import types
assert type(sys.modules["urllib.request"]) is types.ModuleType and sys.modules["urllib.request"] is urllib.request
from urllib.request import pathname2url
assert pathname2url("/a b") == "/a%20b"

import hashlib                              # a picture in a deck: python-pptx hashes it
assert hashlib.sha1(b"x").hexdigest() == "11f6ad8ec52a2984abaafd7c3b516503785c2072"
assert type(sys.modules["hashlib"]) is types.ModuleType
print("ok")
"""


def test_modules_deferred_until_used_load_and_work_when_used(tmp_path: Path) -> None:
    run_python(tmp_path, DEFERRED)


def test_python_pptx_looks_each_tag_name_up_once_and_gets_what_it_did(tmp_path: Path) -> None:
    run_python(tmp_path, """
import sys
from pptx.oxml import ns, xmlchemy
original = ns.qn
import reportgen.render.pptx_deck                  # remembers: every python-pptx module that bound qn
assert xmlchemy.qn is not original and ns.qn is xmlchemy.qn and xmlchemy.qn.__wrapped__ is original
for tag in ("a:p", "p:sp", "r:id", "a:p"):
    assert xmlchemy.qn(tag) == original(tag)
assert xmlchemy.qn.cache_info().hits >= 1
from reportgen.quick_imports import remember_pptx_names
remember_pptx_names()                              # twice: the same function stays
assert ns.qn is xmlchemy.qn
print("ok")
""")
