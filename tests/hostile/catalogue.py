"""The catalogue of bad and hostile inputs: each case, what it is made of, and what must happen.

A case either builds faithfully (exit 0, and its check holds on the PDF and the deck) or stops
with exit code 2 and exactly the lines of ``error`` on stderr, naming file, line and key.
``docs/hostile-inputs.md`` lists the same cases (a test keeps the two in step).
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tests.conftest import VALID
from tests.hostile.bounded import MEMORY, SECONDS, Watch, bounded_popen, bounded_run, kill_session, limit, watched

Files = dict[str, "str | bytes | Callable[[Path], None]"]


@dataclass(frozen=True)
class Case:
    category: str
    what: str
    files: Files
    error: str | None = None
    """The exact stderr (``{root}`` stands for the project root), for a case that must stop."""
    check: Callable[[Path, str, str], None] | None = None
    """For a case that must build: called with the project, the PDF's text and the deck's text."""
    warning: str | None = None
    needs: tuple[str, ...] = ()
    """Optional system fonts the case needs: "cjk", "symbola"."""


def write(project: Path, files: Files) -> None:
    """Lay ``files`` out in ``project``: text, bytes, or a function that writes the path it is given."""
    for relative, content in files.items():
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content(path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def outline(old: str = "", new: str = "", extra: str = "") -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1) + extra


def paragraph(text: str) -> str:
    """The minimal outline with its one paragraph replaced (a YAML double-quoted string)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return outline("      - A paragraph.", f'      - "{escaped}"')


REFUSED = "o.yaml:1:1: title: refused by the template sandbox: "
"""How a case refused by the jinja2 sandbox in the title starts."""
MISSING_FIGURE = outline("      - A paragraph.", "      - A paragraph.\n      - figure: {image: assets/gone.png, "
                         "alt: A chart of trips., caption: Trips by year}")
"""The minimal outline with a figure whose image file is not there."""
THEMED = outline("title: A brief", "title: A brief\ntheme: t.yaml")
"""The minimal outline in the theme ``t.yaml``."""
FONT = "name: t\nextends: policy\nfonts:\n  body:\n    pdf: serif\n    deck: \"{}\"\n    metrics: carlito\n"
"""A theme whose body font in the deck is named (a YAML double-quoted string)."""


def contains(*needles: str, pdf: bool = True, deck: bool = True):
    def check(project: Path, pdf_text: str, deck_text: str) -> None:
        for needle in needles:
            if pdf:
                assert needle in pdf_text, f"not in the PDF: {needle[:80]!r}"
            if deck:
                assert needle in deck_text, f"not in the deck: {needle[:80]!r}"
    return check


def image(save: Callable[[Path], None]) -> Callable[[Path], None]:
    return save


def _pil(mode: str, size: tuple[int, int], colour, fmt: str, **options) -> Callable[[Path], None]:
    def save(path: Path) -> None:
        from PIL import Image

        Image.new(mode, size, colour).save(path, fmt, **options)
    return save


def _exif_rotated(path: Path) -> None:
    from PIL import Image

    picture = Image.new("RGB", (600, 300), (20, 120, 200))
    exif = picture.getexif()
    exif[0x0112] = 6  # rotate 90° clockwise to show
    picture.save(path, "JPEG", exif=exif.tobytes())


def _palette_transparent(path: Path) -> None:
    from PIL import Image

    picture = Image.new("P", (300, 200), 0)
    picture.putpalette([255, 255, 255, 200, 30, 30] + [0] * 762)
    picture.paste(1, (50, 50, 250, 150))
    picture.info["transparency"] = 0
    picture.save(path, "PNG", transparency=0)


def _sixteen_bit(path: Path) -> None:
    from PIL import Image

    picture = Image.new("I;16", (300, 200))
    picture.putdata([(x * 200) % 65535 for x in range(300 * 200)])
    picture.save(path, "PNG")


def _huge_photo(path: Path) -> None:
    """A 12,000 × 12,000 photo-like JPEG (a smooth gradient: small on disk, 144 Mpx to decode)."""
    from PIL import Image

    small = Image.linear_gradient("L").resize((12_000, 12_000))
    Image.merge("RGB", (small, small.transpose(Image.Transpose.ROTATE_90), small)).save(path, "JPEG", quality=80)


def _bomb(path: Path) -> None:
    """A PNG whose header claims 100,000 × 100,000 pixels: Pillow must refuse it, not decode it."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + chunk(b"IEND", b""))


EPS = (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 19000 19000\n"
       b"(/etc/passwd) (r) file 1000 string readstring pop print\n{ } loop\nshowpage\n%%EOF\n")
"""PostScript that Ghostscript would run: it reads a file, then loops forever (Pillow identifies an
EPS by its content, whatever its name, and hands it to ``gs`` to decode)."""


def blank_png(width: int, height: int) -> Callable[[Path], None]:
    """A real RGBA PNG of ``width`` × ``height`` transparent pixels, made in well under a second
    however large: rows of zeros deflated ``block`` rows at a time, each block ending in a full
    flush (so that its bytes, which refer to nothing before them, can be repeated), and the
    zlib trailer's Adler-32 taken over every row."""
    def save(path: Path) -> None:
        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        def deflated(data: bytes, flush: int) -> bytes:
            raw = zlib.compressobj(9, zlib.DEFLATED, -15)
            return raw.compress(data) + raw.flush(flush)

        row = b"\0" * (1 + 4 * width)  # filter byte 0, then the pixels
        block = min(512, height)
        whole, rest = divmod(height, block)
        adler = 1
        for _ in range(whole):
            adler = zlib.adler32(row * block, adler)
        adler = zlib.adler32(row * rest, adler)
        stream = (b"\x78\xda" + deflated(row * block, zlib.Z_FULL_FLUSH) * whole + deflated(row * rest, zlib.Z_FINISH)
                  + struct.pack(">I", adler))
        header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", stream) + chunk(b"IEND", b""))
    return save


def _truncated(path: Path) -> None:
    buffer = io.BytesIO()
    from PIL import Image

    Image.linear_gradient("L").resize((400, 300)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])


def _cut_font(path: Path) -> None:
    import font_source_sans_pro

    whole = Path(font_source_sans_pro.__file__).parent / "files" / "SourceSansPro-Regular.ttf"
    path.write_bytes(whole.read_bytes()[:3000])


def _symlink_out(path: Path) -> None:
    path.symlink_to("/etc/hostname")


def _deep(path: Path) -> None:
    path.write_text(outline(extra="vars: " + "[" * 10_000 + "]" * 10_000 + "\n"))


def _ten_megabytes(path: Path) -> None:
    filler = "# " + "x" * 98 + "\n"
    path.write_text(VALID + filler * (10 * 1024 * 1024 // len(filler)))


def _dense(path: Path) -> None:
    """An outline of 4 MB, most of it a list of 2 million one-letter keywords (``[a,a,a,...]``)."""
    path.write_text(VALID + "keywords: [" + "a," * (2 * 1024 * 1024) + "a]\n")


def _parts(path: Path, files: dict[str, str]) -> None:
    """Write ``files`` (name: text) under parts/, beside ``path``."""
    (path.parent / "parts").mkdir(exist_ok=True)
    for name, text in files.items():
        (path.parent / "parts" / name).write_text(text)


def _section_including(path: Path, first: str) -> None:
    path.write_text(outline("  - heading: First", f"  - include: parts/{first}\n  - heading: First"))


def _include_chain(path: Path) -> None:
    """A chain of 1,000 files, each including the next, the last a section."""
    _parts(path, {f"c{n}.yaml": f"include: parts/c{n + 1}.yaml\n" for n in range(1000)}
           | {"c1000.yaml": "heading: Deep\nkey_points: [x]\nbody: [y]\n"})
    _section_including(path, "c0.yaml")


def _include_fan_out(path: Path) -> None:
    """25 files, each a list including the next file twice: 2^25 sections, were each included."""
    _parts(path, {f"f{n}.yaml": f"- include: parts/f{n + 1}.yaml\n- include: parts/f{n + 1}.yaml\n" for n in range(25)}
           | {"f25.yaml": "- heading: Leaf\n  key_points: [x]\n  body: [y]\n"})
    _section_including(path, "f0.yaml")


def _include_70_mb(path: Path) -> None:
    """10 sections of 7 MB each (most of it comments), each in a file of its own, all included."""
    filler = "# " + "x" * 98 + "\n"
    _parts(path, {f"b{n}.yaml": "heading: Big\nkey_points: [x]\nbody: [y]\n" + filler * (7 * 1024 * 1024 // len(filler))
                  for n in range(10)})
    path.write_text(outline("  - heading: First", "".join(f"  - include: parts/b{n}.yaml\n" for n in range(10))
                            + "  - heading: First"))


def _include_deep_nesting(path: Path) -> None:
    """40 files, each nesting 50 levels of lists and including the next inside: 2,000 levels in all."""
    _parts(path, {f"d{n}.yaml": "[" * 50 + f"{{include: parts/d{n + 1}.yaml}}" + "]" * 50 + "\n" for n in range(40)}
           | {"d40.yaml": "x\n"})
    path.write_text(outline("      - A paragraph.", "      - A paragraph.\n      - include: parts/d0.yaml"))


def _many_sections(path: Path) -> None:
    sections = "".join(f"  - heading: Section {n}\n    key_points: [Point {n}]\n    body: [Prose {n}.]\n"
                       for n in range(2, 501))
    path.write_text(VALID + sections)


def _figure_only(path: Path) -> None:
    _pil("RGB", (800, 450), (60, 120, 180), "PNG")(path.parent / "assets" / "chart.png")
    path.write_text(outline("    key_points: [One point]\n    body:\n      - A paragraph.\n",
                            "    body:\n      - figure: {image: assets/chart.png, alt: A blue chart., caption: The chart}\n"))


def figure(name: str, save: Callable[[Path], None] | bytes) -> Files:
    return {f"assets/{name}": save,
            "o.yaml": outline("      - A paragraph.", f"      - A paragraph.\n      - figure: {{image: assets/{name}, "
                              "alt: The picture., caption: The caption}")}


def _sizes_under(limit: int, *suffixes: str):
    def check(project: Path, pdf_text: str, deck_text: str) -> None:
        for suffix in suffixes:
            size = (project / "out" / f"o.{suffix}").stat().st_size
            assert size < limit, f"o.{suffix} is {size:,} bytes"
    return check


def _portrait_picture(project: Path, pdf_text: str, deck_text: str) -> None:
    from pptx import Presentation

    pictures = [s for slide in Presentation(project / "out" / "o.pptx").slides for s in slide.shapes if s.shape_type == 13]
    assert pictures and pictures[0].height > pictures[0].width  # EXIF said: turn it upright


CASES: dict[str, Case] = {
    # --- YAML --------------------------------------------------------------------------------
    "yaml-syntax": Case("YAML", "bad YAML syntax (unclosed flow list)",
                        {"o.yaml": outline("key_points: [One point]", "key_points: [One point")},
        error="o.yaml:12:9: sections.body: while parsing a flow sequence, expected ',' or ']', but got ':'"),
    "yaml-tab": Case("YAML", "a tab used for indentation", {"o.yaml": outline("    bio: Ann writes.", "\tbio: Ann writes.")},
        error="o.yaml:6:1: authors.bio: a tab character; YAML indents with spaces only"),
    "yaml-duplicate-key": Case("YAML", "the same key twice in a mapping",
                               {"o.yaml": outline("title: A brief\n", "title: A brief\ntitle: Again\n")},
        error="o.yaml:2:1: title: duplicate key 'title' (first written at line 1)"),
    "yaml-billion-laughs": Case("YAML", "anchors and aliases expanding exponentially",
                                {"o.yaml": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                                           "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n" + VALID},
        error="o.yaml:2:8: b: aliases (*a) are not allowed in outlines; use a jinja variable to repeat text"),
    "yaml-10-mb": Case("YAML", "a 10 MB outline file", {"o.yaml": _ten_megabytes},
        error="o.yaml:83067:38: the file is 10,485,937 bytes; outlines are at most 8,388,608, reached here"),
    "yaml-stdin-50-mb": Case("YAML", "50 MB piped to `reportgen validate /dev/stdin`", {}),
    "yaml-deep-nesting": Case("YAML", "10,000 levels of nesting", {"o.yaml": _deep},
        error="o.yaml:14:70: vars: nesting is deeper than 64 levels"),
    "yaml-not-utf8": Case("YAML", "bytes that are not UTF-8 (Latin-1 é)",
                          {"o.yaml": outline("Ann writes.", "Ann \xe9crit.").encode("latin-1")},
        error="o.yaml:6:14: not UTF-8 text (byte 0xe9); save the file as UTF-8"),
    "yaml-bom": Case("YAML", "a UTF-8 byte-order mark", {"o.yaml": ("\ufeff" + VALID).encode()},
                     check=contains("A paragraph.")),
    "yaml-empty": Case("YAML", "an empty file", {"o.yaml": ""},
        error="o.yaml:1:1: the outline is empty"),
    "yaml-several-documents": Case("YAML", "two YAML documents in one file", {"o.yaml": VALID + "---\ntitle: More\n"},
        error="o.yaml:14:1: sections.body: the file holds several YAML documents ('---'); an outline is one document"),
    "yaml-2-million-values": Case("YAML", "a 4 MB list of 2 million one-letter values (`[a,a,a,...]`)", {"o.yaml": _dense},
        error="o.yaml:14:499950: keywords: the file holds more than 250,000 values"),
    # --- types and structure -----------------------------------------------------------------
    "type-wrong": Case("structure", "a list where text is expected",
                       {"o.yaml": outline("title: A brief", "title: [A, brief]")},
        error="o.yaml:1:8: title: expected text, got a list"),
    "key-unknown": Case("structure", "a misspelt key", {"o.yaml": outline("  - heading: First", "  - haeding: First")},
        error="o.yaml:10:5: sections[0].haeding: unknown key 'haeding' (did you mean 'heading'?)\no.yaml:10:5: sections[0].heading: missing required key 'heading'"),
    "key-missing": Case("structure", "a required key left out", {"o.yaml": outline("summary: The summary.\n", "")},
        error="o.yaml:1:1: summary: missing required key 'summary'"),
    "sections-empty": Case("structure", "an empty list of sections",
                           {"o.yaml": VALID[:VALID.index("sections:")] + "sections: []\n"},
        error="o.yaml:9:11: sections: must not be empty"),
    "section-empty": Case("structure", "a section with nothing in it",
                          {"o.yaml": VALID + "  - heading: Nothing here\n"},
        error="o.yaml:14:5: sections[1]: section has no key_points, body or deck slides"),
    "section-only-figure": Case("structure", "a section whose only content is a figure", {"o.yaml": _figure_only},
                                check=contains("The chart")),
    "sections-500": Case("structure", "500 sections", {"o.yaml": _many_sections},
                         check=contains("Section 500", "Prose 500.", "Point 500")),
    # --- text --------------------------------------------------------------------------------
    "text-reportlab-markup": Case("text", "reportlab paragraph markup in text",
                                  {"o.yaml": paragraph("AT&T <b>bold</b> <font size=40>big</font> <i>x</i> 3 < 4 > 2")},
                                  check=contains("AT&T <b>bold</b> <font size=40>big</font> <i>x</i> 3 < 4 > 2")),
    "text-img-tag": Case("text", "an <img> tag pointing at a local file",
                         {"o.yaml": paragraph('<img src="/etc/passwd"/> and <a href="file:///etc/passwd">x</a>')},
                         check=contains('<img src="/etc/passwd"/> and <a href="file:///etc/passwd">x</a>')),
    "text-entities": Case("text", "character references: &#0; &amp; &lt;",
                          {"o.yaml": paragraph("&#0; &amp; &lt; &#x41;")}, check=contains("&#0; &amp; &lt; &#x41;")),
    "text-control-character": Case("text", "an XML-invalid control character (U+0007)",
                                   {"o.yaml": outline("A paragraph.", '"A bell \\a rings."')},
        error="o.yaml:13:9: sections[0].body[0]: text holds the control character U+0007, which neither output can store; remove it"),
    "text-nul": Case("text", "a NUL character", {"o.yaml": outline("A paragraph.", '"A \\0 nul."')},
        error="o.yaml:13:9: sections[0].body[0]: text holds the control character U+0000, which neither output can store; remove it"),
    "text-emoji": Case("text", "emoji", {"o.yaml": paragraph("Cycling is up 🚲📈 this year.")},
                       check=contains("Cycling is up 🚲📈 this year."), needs=("symbola",)),
    "text-right-to-left": Case("text", "right-to-left text (Hebrew)", {"o.yaml": paragraph("Shalom: שלום עולם")},
        error="o.yaml:13:9: sections[0].body[0]: right-to-left text (ש U+05E9) is not supported in the PDF brief yet"),
    "text-combining": Case("text", "combining characters (e + U+0301, decomposed)",
                           {"o.yaml": paragraph("Cafe\u0301 and re\u0301sume\u0301")}, check=contains("Café and résumé")),
    "text-cjk": Case("text", "Japanese and Korean names", {"o.yaml": paragraph("石破茂 met 윤석열 in Tokyo.")},
                     check=contains("石破茂 met 윤석열 in Tokyo."), needs=("cjk",)),
    "text-long-word": Case("text", "a 2,000-character word", {"o.yaml": paragraph("w" * 2000)},
                           check=contains("w" * 2000, pdf=False)),
    "text-long-url": Case("text", "a 500-character URL",
                          {"o.yaml": paragraph("See https://example.org/" + "p" * 476 + " now.")},
                          check=contains("https://example.org/" + "p" * 476, pdf=False)),
    "text-empty": Case("text", "an empty string where text is required", {"o.yaml": outline("title: A brief", 'title: ""')},
        error="o.yaml:1:8: title: text is empty"),
    "text-blank": Case("text", "white space only where text is required",
                       {"o.yaml": outline("A paragraph.", '"   "')},
        error="o.yaml:13:9: sections[0].body[0]: text is empty"),
    "text-surrogate": Case("text", "a lone surrogate (U+D800, half of a UTF-16 pair) in a title",
                           {"o.yaml": outline("title: A brief", 'title: "A \\ud800 brief"')},
        error="o.yaml:1:8: title: text holds a lone surrogate U+D800 (half of a UTF-16 pair, not a character), which "
              "neither output can store; remove it"),
    "text-noncharacter": Case("text", "the noncharacter U+FFFF in a paragraph", {"o.yaml": outline("A paragraph.", '"A \\uffff."')},
        error="o.yaml:13:9: sections[0].body[0]: text holds the noncharacter U+FFFF, which neither output can store; remove it"),
    "text-c1-control": Case("text", "a C1 control character (U+0085, YAML's `\\N`) in a key point",
                            {"o.yaml": outline("key_points: [One point]", 'key_points: ["One \\N point"]')},
        error="o.yaml:11:18: sections[0].key_points[0]: text holds the control character U+0085, which neither output "
              "can store; remove it"),
    # --- strings outside the text: URLs, paths, keys, theme strings ----------------------------
    "string-url-control": Case("strings", "a control character (U+0007) in the licence's url",
                               {"o.yaml": outline("  id: CC-BY-4.0", '  id: X-1\n  name: X licence\n  url: "https://example.org/\\a"')},
        error="o.yaml:10:8: licence.url: text holds the control character U+0007, which neither output can store; remove it"),
    "string-url-surrogate": Case("strings", "a lone surrogate in the source's url",
                                 {"o.yaml": VALID + 'source:\n  publication: X\n  url: "https://example.org/\\ud800"\n'},
        error="o.yaml:16:8: source.url: text holds a lone surrogate U+D800 (half of a UTF-16 pair, not a character), "
              "which neither output can store; remove it"),
    "string-url-line-separator": Case("strings", "a line separator (U+2028) in the source's url (found by make fuzz)",
                                      {"o.yaml": VALID + 'source:\n  publication: X\n  url: "https://example.org/a\\u2028b"\n'},
        error="o.yaml:16:8: source.url: expected a URL starting with https:// (or http://, mailto:), got "
              "'https://example.org/a\\u2028b'"),
    "string-link-surrogate": Case("strings", "a lone surrogate in the target of a link in text",
                                  {"o.yaml": outline("A paragraph.", '"See [the data](https://example.org/\\udc00)."')},
        error="o.yaml:13:9: sections[0].body[0]: text holds a lone surrogate U+DC00 (half of a UTF-16 pair, not a "
              "character), which neither output can store; remove it"),
    "string-image-path-tab": Case("strings", "a tab in an image's path", {"o.yaml": VALID + 'cover: {image: "assets/a\\tb.jpg", alt: A.}\n'},
        error="o.yaml:14:16: cover.image: the path holds the character U+0009, which a file name here may not hold; "
              "rename the file"),
    "string-include-control": Case("strings", "a control character in an include's path",
                                   {"o.yaml": outline("  - heading: First", '  - include: "parts/a\\ab.yaml"\n  - heading: First')},
        error="o.yaml:10:14: sections[0].include: the path holds the character U+0007, which a file name here may not "
              "hold; rename the file"),
    "string-key-surrogate": Case("strings", "a lone surrogate in a key", {"o.yaml": outline("    bio: Ann writes.", '    "bi\\udc00o": Ann writes.')},
        error="o.yaml:6:5: authors[0]['bi\\udc00o']: the key holds a lone surrogate U+DC00 (half of a UTF-16 pair, not a "
              "character), which neither output can store; remove it"),
    "string-key-escape": Case("strings", "a terminal escape sequence (`ESC [31m`) in an unknown key",
                              {"o.yaml": VALID + '"\\e[31mred": 1\n'},
        error="o.yaml:14:1: ['\\x1b[31mred']: the key holds the control character U+001B, which neither output can store; "
              "remove it"),
    "string-theme-footer-control": Case("strings", "a control character (U+0007) in a theme's footer",
                                        {"o.yaml": THEMED, "t.yaml": 'name: t\nextends: policy\nfooter: "Our \\a brief"\n'},
        error="t.yaml:3:9: footer: text holds the control character U+0007, which neither output can store; remove it"),
    "string-theme-footer-surrogate": Case("strings", "a lone surrogate in a theme's footer",
                                          {"o.yaml": THEMED, "t.yaml": 'name: t\nextends: policy\nfooter: "Our \\udfff brief"\n'},
        error="t.yaml:3:9: footer: text holds a lone surrogate U+DFFF (half of a UTF-16 pair, not a character), which "
              "neither output can store; remove it"),
    "string-theme-footer-newline": Case("strings", "a line break in a theme's footer",
                                        {"o.yaml": THEMED, "t.yaml": 'name: t\nextends: policy\nfooter: "Our\\nbrief"\n'},
                                        check=contains("Our brief")),
    "string-theme-font-nul": Case("strings", "a NUL in a theme's deck font name", {"o.yaml": THEMED, "t.yaml": FONT.format('Cal\\0ibri')},
        error="t.yaml:6:11: fonts.body.deck: text holds the control character U+0000, which neither output can store; remove it"),
    "string-theme-font-newline": Case("strings", "a line break in a theme's deck font name",
                                      {"o.yaml": THEMED, "t.yaml": FONT.format('Cal\\nibri')},
        error="t.yaml:6:11: fonts.body.deck: a font name is one line; this one holds U+000A"),
    "string-theme-font-fake-ttf": Case("strings", "a text file named .ttf as a theme's font in the brief",
                                       {"o.yaml": THEMED, "assets/fake.ttf": b"not a font\n",
                                        "t.yaml": "name: t\nextends: policy\nfonts:\n  body:\n    pdf: assets/fake.ttf\n"},
        error="t.yaml:5:10: fonts.body.pdf: assets/fake.ttf is not a font reportgen can use: not a TrueType font (its "
              "first bytes are not a TrueType header)"),
    "string-theme-font-cut-ttf": Case("strings", "a TrueType font cut short (its first 3,000 bytes) as a theme's font",
                                      {"o.yaml": THEMED, "assets/cut.ttf": _cut_font,
                                       "t.yaml": "name: t\nextends: policy\nfonts:\n  body:\n    pdf: assets/cut.ttf\n"},
        error="t.yaml:5:10: fonts.body.pdf: assets/cut.ttf is not a font reportgen can use: the font cannot be read "
              "(TTLibError)"),
    "string-theme-colour-control": Case("strings", "a control character after a theme colour",
                                        {"o.yaml": THEMED, "t.yaml": 'name: t\nextends: policy\ncolours:\n  primary: "#17324D\\x1f"\n'},
        error="t.yaml:4:12: colours.primary: text holds the control character U+001F, which neither output can store; remove it"),
    # --- links -------------------------------------------------------------------------------
    "link-no-scheme": Case("links", "a link without a scheme: `[the data](www.example.org/data)`",
                           {"o.yaml": paragraph("See [the data](www.example.org/data).")},
        error="o.yaml:13:9: sections[0].body[0]: link [the data](www.example.org/data): expected a URL starting with "
              "https:// (or http://, mailto:), got 'www.example.org/data'; did you mean 'https://www.example.org/data'?"),
    "link-email-no-scheme": Case("links", "an e-mail address as a link target, without mailto:",
                                 {"o.yaml": paragraph("[Write to us](ann@example.org).")},
        error="o.yaml:13:9: sections[0].body[0]: link [Write to us](ann@example.org): expected a URL starting with "
              "https:// (or http://, mailto:), got 'ann@example.org'; did you mean 'mailto:ann@example.org'?"),
    "link-url-field-no-scheme": Case("links", "a licence url without a scheme",
                                     {"o.yaml": outline("  id: CC-BY-4.0", "  id: X-1\n  name: X licence\n  url: example.org/licence")},
        error="o.yaml:10:8: licence.url: expected a URL starting with https:// (or http://, mailto:), got "
              "'example.org/licence'; did you mean 'https://example.org/licence'?"),
    "link-javascript": Case("links", "a javascript: link in text", {"o.yaml": paragraph("[Click](javascript:alert(1)) here.")},
        error="o.yaml:13:9: sections[0].body[0]: link [Click](javascript:alert(1)): expected a URL starting with "
              "https:// (or http://, mailto:), got 'javascript:alert(1)'"),
    "link-file": Case("links", "an autolink to a local file: `<file:///etc/passwd>`", {"o.yaml": paragraph("See <file:///etc/passwd>.")},
        error="o.yaml:13:9: sections[0].body[0]: link <file:///etc/passwd>: expected a URL starting with https:// (or "
              "http://, mailto:), got 'file:///etc/passwd'"),
    "link-relative": Case("links", "a relative link: `[the appendix](appendix.pdf)`",
                          {"o.yaml": paragraph("See [the appendix](appendix.pdf).")},
        error="o.yaml:13:9: sections[0].body[0]: link [the appendix](appendix.pdf): expected a URL starting with "
              "https:// (or http://, mailto:), got 'appendix.pdf'"),
    "link-allowed": Case("links", "https, http and mailto links, and an e-mail autolink",
                         {"o.yaml": paragraph("[One](https://example.org/a), [two](http://example.org/b), "
                                              "[three](mailto:ann@example.org) and <ann@example.org>.")},
                         check=contains("One, two, three and ann@example.org.")),
    # --- images ------------------------------------------------------------------------------
    "image-missing": Case("images", "a cover image file that is not there (the cover is optional)",
                          {"o.yaml": VALID + "cover: {image: assets/gone.jpg, alt: A photo.}\n"},
                          check=contains("A paragraph."),
                          warning="o.yaml:14:16: cover.image: warning: image not found: assets/gone.jpg; building without it"),
    "image-figure-missing": Case("images", "a figure whose image file is not there", {"o.yaml": MISSING_FIGURE},
        error="o.yaml:14:25: sections[0].body[1].figure.image: image not found: assets/gone.png; add the file, or build "
              "with --draft to draw a placeholder box in its place"),
    "image-figure-missing-draft": Case("images", "the same, built with --draft", {}),
    "image-empty": Case("images", "a 0-byte image", figure("empty.png", b""),
        error="o.yaml:14:25: sections[0].body[1].figure.image: assets/empty.png is not an image reportgen can use: the file is empty"),
    "image-truncated": Case("images", "a truncated JPEG", figure("cut.jpg", _truncated),
        error="o.yaml:14:25: sections[0].body[1].figure.image: assets/cut.jpg is not an image reportgen can use: image file is truncated (4 bytes not processed)"),
    "image-not-an-image": Case("images", "a text file named .png", figure("text.png", b"just some text\n"),
        error="o.yaml:14:25: sections[0].body[1].figure.image: assets/text.png is not an image reportgen can use: not a PNG, JPEG, GIF or WebP file (reportgen reads only these)"),
    "image-bomb": Case("images", "a decompression bomb (100,000 × 100,000 px claimed)", figure("bomb.png", _bomb),
        error="o.yaml:14:25: sections[0].body[1].figure.image: assets/bomb.png is not an image reportgen can use: it is too large to decode safely (more than 200,000,000 pixels)"),
    "image-12000px": Case("images", "a 12,000 × 12,000 photo", figure("huge.jpg", _huge_photo),
                          check=_sizes_under(3_000_000, "pdf", "pptx")),
    "image-cmyk": Case("images", "a CMYK JPEG", figure("cmyk.jpg", _pil("CMYK", (400, 300), (0, 80, 80, 0), "JPEG")),
                       check=contains("The caption")),
    "image-16-bit": Case("images", "a 16-bit greyscale PNG", figure("deep.png", _sixteen_bit), check=contains("The caption")),
    "image-palette-transparent": Case("images", "a palette PNG with transparency", figure("pal.png", _palette_transparent),
                                      check=contains("The caption")),
    "image-exif-rotated": Case("images", "a JPEG rotated by its EXIF orientation", figure("turn.jpg", _exif_rotated),
                               check=_portrait_picture),
    "image-eps-as-png": Case("images", "a PostScript (EPS) file named .png, as a figure", figure("eps.png", EPS),
        error="o.yaml:14:25: sections[0].body[1].figure.image: assets/eps.png is not an image reportgen can use: it is a PostScript (EPS) file, and reportgen reads only PNG, JPEG, GIF or WebP; export it as PNG or JPEG"),
    "image-eps-as-logo": Case("images", "a PostScript (EPS) file named .png, as a theme's logo",
                              {"o.yaml": outline("title: A brief", "title: A brief\ntheme: t.yaml"),
                               "t.yaml": "name: t\nextends: policy\nlogo: assets/logo.png\n", "assets/logo.png": EPS},
        error="t.yaml:3:7: logo: assets/logo.png is not an image reportgen can use: it is a PostScript (EPS) file, and reportgen reads only PNG, JPEG, GIF or WebP; export it as PNG or JPEG"),
    "image-html-as-logo": Case("images", "an HTML file named .png, as a theme's logo",
                               {"o.yaml": THEMED, "t.yaml": "name: t\nextends: policy\nlogo: assets/logo.png\n",
                                "assets/logo.png": b"<html><body>hello</body></html>\n"},
        error="t.yaml:3:7: logo: assets/logo.png is not an image reportgen can use: not a PNG, JPEG, GIF or WebP file "
              "(reportgen reads only these)"),
    "image-tiff": Case("images", "a TIFF image", figure("scan.png", _pil("RGB", (40, 30), (9, 9, 9), "TIFF")),
        error="o.yaml:14:25: sections[0].body[1].figure.image: assets/scan.png is not an image reportgen can use: it is a TIFF file, and reportgen reads only PNG, JPEG, GIF or WebP; export it as PNG or JPEG"),
    "image-gif": Case("images", "a GIF image", figure("chart.gif", _pil("P", (300, 200), 3, "GIF")), check=contains("The caption")),
    "image-webp": Case("images", "a WebP image", figure("photo.webp", _pil("RGB", (300, 200), (20, 120, 200), "WEBP")),
                       check=contains("The caption")),
    "image-19000px-rgba": Case("images", "a real 19,000 × 19,000 RGBA PNG (1.4 MB on disk, 1.4 GB decoded)",
                               figure("big.png", blank_png(19_000, 19_000)),
        error="o.yaml:14:25: sections[0].body[1].figure.image: assets/big.png is not an image reportgen can use: it is too large to decode safely (more than 200,000,000 pixels)"),
    "image-png-over-budget": Case("images", "a 7,072 × 7,072 RGBA PNG (one pixel a side over the 50 Mpx decoded)",
                                  figure("wide.png", blank_png(7_072, 7_072)),
        error="o.yaml:14:25: sections[0].body[1].figure.image: assets/wide.png is not an image reportgen can use: 7,072 × 7,072 pixels is more than the 50,000,000 reportgen decodes from a PNG file; save it smaller, or as a JPEG"),
    # --- paths -------------------------------------------------------------------------------
    "path-traversal": Case("paths", "an image path with ../ leaving the project",
                           {"o.yaml": VALID + "cover: {image: ../../../etc/hostname, alt: A.}\n"},
        error="o.yaml:14:16: cover.image: path '../../../etc/hostname' leads outside the project root {root}"),
    "path-absolute": Case("paths", "an absolute image path", {"o.yaml": VALID + "cover: {image: /etc/hostname, alt: A.}\n"},
        error="o.yaml:14:16: cover.image: absolute path '/etc/hostname': write it relative to the project root {root}"),
    "path-symlink": Case("paths", "a symlink in assets/ pointing outside the project",
                         {"assets/link.jpg": _symlink_out, "o.yaml": VALID + "cover: {image: assets/link.jpg, alt: A.}\n"},
        error="o.yaml:14:16: cover.image: path 'assets/link.jpg' leads outside the project root {root}"),
    "include-etc-passwd": Case("paths", "an include of /etc/passwd",
                               {"o.yaml": outline("  - heading: First", "  - include: /etc/passwd\n  - heading: First")},
        error="o.yaml:10:14: sections[0].include: absolute path '/etc/passwd': write it relative to the project root {root}"),
    "include-traversal": Case("paths", "an include of ../../etc/passwd",
                              {"o.yaml": outline("  - heading: First", "  - include: ../../etc/passwd\n  - heading: First")},
        error="o.yaml:10:14: sections[0].include: path '../../etc/passwd' leads outside the project root {root}"),
    "theme-traversal": Case("paths", "a theme file outside the project",
                            {"o.yaml": outline("title: A brief", "title: A brief\ntheme: ../../etc/passwd")},
        error="o.yaml:2:8: theme: path '../../etc/passwd' leads outside the project root {root}"),
    "theme-logo-traversal": Case("paths", "a theme whose logo leaves the project",
                                 {"o.yaml": outline("title: A brief", "title: A brief\ntheme: t.yaml"),
                                  "t.yaml": "name: t\nextends: policy\nlogo: ../../etc/hostname\n"},
        error="t.yaml:3:7: logo: path '../../etc/hostname' leads outside the project root {root}"),
    "brand-logo-traversal": Case("paths", "a brand.yml file whose logo leaves the project",
                                 {"o.yaml": outline("title: A brief", "title: A brief\ntheme: _brand.yml"),
                                  "_brand.yml": "logo:\n  medium: ../../etc/logo.png\n"},
        error="_brand.yml:2:11: logo.medium: path '../../etc/logo.png' leads outside the project root {root}"),
    "brand-font-traversal": Case("paths", "a brand.yml file whose font file leaves the project",
                                 {"o.yaml": outline("title: A brief", "title: A brief\ntheme: brand/_brand.yml"),
                                  "brand/_brand.yml": "typography:\n  fonts:\n    - family: X\n      source: file\n"
                                                      "      files: [../../../etc/x.ttf]\n  base: X\n"},
        error="brand/_brand.yml:5:15: typography.fonts[0].files[0]: path '../../../etc/x.ttf' leads outside the "
              "project root {root}"),
    "template-traversal": Case("paths", "a .pptx template outside the project",
                               {"o.yaml": outline("title: A brief", "title: A brief\npptx_template: ../../tmp/x.pptx")},
        error="o.yaml:2:16: pptx_template: path '../../tmp/x.pptx' leads outside the project root {root}"),
    "template-not-a-deck": Case("paths", "a .pptx template that is not a PowerPoint file",
                                {"o.yaml": outline("title: A brief", "title: A brief\npptx_template: assets/t.pptx"),
                                 "assets/t.pptx": b"PK\x03\x04 not really a zip"},
        error="o.yaml:2:16: pptx_template: {root}/assets/t.pptx: not a PowerPoint .pptx file (a .pptx is a zip archive; this is not one)"),
    # --- includes ----------------------------------------------------------------------------
    "include-chain-1000": Case("includes", "a chain of 1,000 files, each including the next", {"o.yaml": _include_chain},
        error="parts/c31.yaml:1:10: sections[0].include: includes nest more than 32 deep "
              "(parts/c0.yaml -> ... -> parts/c31.yaml -> parts/c32.yaml)"),
    "include-fan-out": Case("includes", "25 files, each including the next twice (2^25 includes)", {"o.yaml": _include_fan_out},
        error="parts/f19.yaml:1:12: sections[4992].include: the outline has more than 10,000 includes "
              "(a file counts each time it is included)"),
    "include-70-mb": Case("includes", "10 included files of 7 MB each (each under the 8 MiB a file may hold)",
                          {"o.yaml": _include_70_mb},
        error="o.yaml:12:14: sections[2].include: the outline and the files it includes hold more than 16,777,216 bytes "
              "in all (an included file counts each time it is included)"),
    "include-deep-nesting": Case("includes", "2,000 levels of nesting, 50 in each of 40 files that include the next",
                                 {"o.yaml": _include_deep_nesting},
        error="parts/d1.yaml:1:13: sections[0].body: nesting is deeper than 64 levels"),
    # --- jinja2 ------------------------------------------------------------------------------
    "jinja-undefined": Case("jinja2", "an undefined variable", {"o.yaml": outline("title: A brief", "title: '{{ nope }}'")},
        error="o.yaml:1:12: title: undefined variable 'nope' (define it under vars:, in --vars FILE or with --var NAME=VALUE)"),
    "jinja-mro": Case("jinja2", "a sandbox escape through ''.__class__.__mro__",
                      {"o.yaml": outline("title: A brief", "title: \"{{ ''.__class__.__mro__[1].__subclasses__() }}\"")},
        error="o.yaml:1:1: title: refused by the template sandbox: access to attribute '__class__' of 'str' object is unsafe."),
    "jinja-globals": Case("jinja2", "a sandbox escape through cycler.__init__.__globals__",
                          {"o.yaml": outline("title: A brief", "title: \"{{ cycler.__init__.__globals__.os }}\"")},
        error="o.yaml:1:1: title: refused by the template sandbox: access to attribute '__init__' of 'type' object is unsafe."),
    "jinja-recursion": Case("jinja2", "a macro that calls itself forever",
                            {"o.yaml": "{% macro f(n) %}{{ f(n) }}{% endmacro %}\n" + outline("title: A brief", "title: '{{ f(1) }}'")},
        error="o.yaml:1:1: the template recurses without end (a macro calling itself?)"),
    "jinja-huge-output": Case("jinja2", "a template that renders to 100 MB",
                              {"o.yaml": "{% for i in range(10000) %}{% for j in range(10000) %}# x\n{% endfor %}{% endfor %}\n" + VALID},
        error="o.yaml:1:1: the template renders to more than 20,000,000 characters; is a loop unbounded?"),
    "jinja-huge-repeat": Case("jinja2", "a string repeated 100 million times",
                              {"o.yaml": outline("title: A brief", "title: \"{{ 'x' * 100000000 }}\"")},
        error="o.yaml:1:1: title: refused by the template sandbox: repeating text 100,000,000 times would exceed the template size bound"),
    "jinja-endless-loop": Case("jinja2", "nested loops of 100,000 × 100,000 steps that print nothing",
        {"o.yaml": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n" + VALID},
        error="o.yaml:1:1: the template ran for more than 5 s and was stopped; is a loop unbounded?"),
    "jinja-power-tower": Case("jinja2", "(((10**100)**100)**100)**100, a number of 10^8 digits",
        {"o.yaml": outline("title: A brief", 'title: "{{ (((10**100)**100)**100)**100 }}"')},
        error=REFUSED + "a 33,220-bit number to the power 100 is too large for a template (at most 200,000 bits)"),
    "jinja-format-width": Case("jinja2", "'%1000000000s' % 'a', a 1 GB string in one step",
        {"o.yaml": outline("title: A brief", "title: \"{{ '%1000000000s' % 'a' }}\"")},
        error=REFUSED + "a format width past the template size bound"),
    "jinja-center": Case("jinja2", "'a'.center(1000000000), a 1 GB string in one step",
        {"o.yaml": outline("title: A brief", "title: \"{{ 'a'.center(1000000000) }}\"")},
        error=REFUSED + "center(1,000,000,000) would build a value past the template size bound"),
    "jinja-list-append": Case("jinja2", "a list grown by list.append in a loop",
        {"o.yaml": outline("title: A brief", "title: \"{% set l = [] %}{% for i in range(100000) %}"
                                             "{{ l.append(i) or '' }}{% endfor %}\"")},
        error=REFUSED + "access to attribute 'append' of 'list' object is unsafe."),
    "jinja-namespace-doubling": Case("jinja2", "a namespace string doubled 64 times (~)",
        {"o.yaml": outline("title: A brief", "title: \"{% set ns = namespace(s='ab') %}{% for i in range(64) %}"
                                             "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}\"")},
        error=REFUSED + "namespace value 's' would grow past the template size bound"),
}


# --- output: these cases run a procedure of their own ---------------------------------------------


def _unwritable(project: Path) -> None:
    (project / "o.yaml").write_text(VALID)
    (project / "out").write_text("a file where the output folder should be")
    result = bounded_run(project, "build", "o.yaml", "--out", "out/sub")
    assert result.returncode == 2
    assert result.stderr == "out/sub: cannot write there: Not a directory\n"


def _previous_pair(project: Path) -> dict[str, bytes]:
    """Build the minimal outline into out/, then change it: the pair a failed build must leave."""
    (project / "o.yaml").write_text(VALID)
    assert bounded_run(project, "build", "o.yaml", "--out", "out").returncode == 0
    (project / "o.yaml").write_text(VALID.replace("A brief", "A changed brief"))
    return {p.name: p.read_bytes() for p in (project / "out").iterdir() if p.is_file()}


def _deck_a_folder(project: Path) -> None:
    """The deck's path is a folder: refused before either file is replaced; the PDF stays the
    previous build's, and no temporary file is left."""
    before = _previous_pair(project)
    (project / "out" / "o.pptx").unlink()
    (project / "out" / "o.pptx").mkdir()
    result = bounded_run(project, "build", "o.yaml", "--out", "out")
    assert (result.returncode, result.stderr) == (2, "out/o.pptx: cannot write: it is a folder\n"), result.stderr
    assert sorted(p.name for p in (project / "out").iterdir()) == ["o.pdf", "o.pptx"]
    assert (project / "out" / "o.pdf").read_bytes() == before["o.pdf"]


def _disk_full(project: Path) -> None:
    """The disk fills while the deck is written (the child may write no file past 200 KB,
    RLIMIT_FSIZE: the brief, some 60 KB, is written; the deck, made some 500 KB by its template's
    picture, is not): exit 2 naming the deck, the previous pair byte-identical, no temporary file."""
    from tests.template.hostile import with_picture

    before = _previous_pair(project)
    with_picture(project / "assets" / "t.pptx")
    (project / "o.yaml").write_text(TEMPLATE_OUTLINE.replace("A brief", "A changed brief"))
    result = bounded_run(project, "build", "o.yaml", "--out", "out", file_size=200_000)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("out/o.pptx: cannot write: File too large"), result.stderr
    assert {p.name: p.read_bytes() for p in (project / "out").iterdir()} == before
    result = bounded_run(project, "build", "o.yaml", "--out", "out")  # with room again: the new pair
    assert result.returncode == 0 and sorted(p.name for p in (project / "out").iterdir()) == ["o.pdf", "o.pptx"]


def _fails_midway(project: Path) -> None:
    import os
    from unittest import mock

    from tests.conftest import run

    (project / "o.yaml").write_text(VALID)
    assert run("build", "o.yaml", "--out", "out", cwd=project).code == 0
    before = {name: (project / "out" / name).read_bytes() for name in ("o.pdf", "o.pptx")}
    (project / "o.yaml").write_text(VALID.replace("A brief", "A changed brief"))
    calls = []

    def fail_second(fd: int) -> None:  # the first file is written, the second fails: neither may change
        import stat

        if stat.S_ISREG(os.fstat(fd).st_mode):  # (folders are synced too)
            calls.append(fd)
            if len(calls) == 2:
                raise OSError(5, "Input/output error")
        os.fsync.__wrapped__(fd)

    fail_second.__wrapped__ = os.fsync  # type: ignore[attr-defined]
    with mock.patch("os.fsync", fail_second):
        result = run("build", "o.yaml", "--out", "out", cwd=project)
    assert result.code == 2 and "Input/output error" in result.err
    assert sorted(p.name for p in (project / "out").iterdir()) == ["o.pdf", "o.pptx"]
    after = {name: (project / "out" / name).read_bytes() for name in ("o.pdf", "o.pptx")}
    assert after == before  # both files from the build before


def _concurrent(project: Path) -> None:
    import subprocess
    import sys

    import pypdf

    (project / "o.yaml").write_text(VALID)
    command = [sys.executable, "-m", "reportgen", "build", "o.yaml", "--out", "out"]
    processes = [bounded_popen(project, *command[3:], stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    for process in processes:
        _, errors = watched(process, timeout=120)
        assert process.returncode == 0, errors
    assert sorted(p.name for p in (project / "out").iterdir()) == ["o.pdf", "o.pptx"]
    assert len(pypdf.PdfReader(project / "out" / "o.pdf").pages) >= 3
    subprocess.run([*command[:-1], "single"], cwd=project, check=True, capture_output=True)
    for name in ("o.pdf", "o.pptx"):
        assert (project / "out" / name).read_bytes() == (project / "single" / name).read_bytes()


def _draft(project: Path) -> None:
    """``--draft``: the missing image is a warning, both outputs draw a box that names it, and the
    summary lines say "draft"; ``validate --draft`` says so too."""
    from tests.hostile.test_catalogue import deck_text, pdf_text

    (project / "o.yaml").write_text(MISSING_FIGURE)
    warning = "o.yaml:14:25: sections[0].body[1].figure.image: warning: image not found: assets/gone.png; drawn as a placeholder box (--draft)"
    result = bounded_run(project, "build", "o.yaml", "--out", "out", "--draft")
    assert (result.returncode, result.stderr) == (0, warning + "\n"), result.stderr
    assert [line.partition(", draft")[2] for line in result.stdout.splitlines()] == [" (1 missing image drawn as a box)"] * 2
    for text in (pdf_text(project / "out" / "o.pdf"), deck_text(project / "out" / "o.pptx")):
        assert "Image not found: gone.png" in text and "A chart of trips." in text and "Trips by year" in text
    result = bounded_run(project, "validate", "o.yaml", "--draft")
    assert (result.returncode, result.stderr) == (0, warning + "\n")
    assert result.stdout == ("o.yaml: valid as a draft: 1 section, 1 paragraph, 2 words, 1 figure "
                          "(1 missing image drawn as a box), 0 charts\n")


PROCEDURES: dict[str, Case] = {
    "output-unwritable": Case("output", "an output folder that cannot be created (a file is in the way)", {}),
    "output-fails-midway": Case("output", "a write that fails midway (simulated I/O error)", {}),
    "output-concurrent": Case("output", "three builds of the same outline at once", {}),
    "output-deck-a-folder": Case("output", "the deck's path is a folder, the brief's a file from the build before", {}),
    "output-disk-full": Case("output", "the disk fills while the deck is written (RLIMIT_FSIZE in the child)", {}),
}
RUN = {"output-unwritable": _unwritable, "output-fails-midway": _fails_midway, "output-concurrent": _concurrent,
       "output-deck-a-folder": _deck_a_folder, "output-disk-full": _disk_full, "image-figure-missing-draft": _draft}
IN_PROCESS = {"output-fails-midway"}
"""Cases run in the test's own process (a fault injected with mock); every other runs the real
command in a bounded child (``tests/hostile/bounded.py``)."""
CASES |= PROCEDURES


# --- templates: a .pptx template is untrusted input -----------------------------------------------

TEMPLATE_OUTLINE = outline("title: A brief", "title: A brief\npptx_template: assets/t.pptx")
ADDRESS_SPACE = MEMORY
"""What a command run on a hostile template may map (RLIMIT_AS in the child): a bomb must be
refused, or built without it, inside that."""


def _template(make: Callable[..., Path], *args) -> Callable[[Path], None]:
    def save(path: Path) -> None:
        make(path, *args)
    return save


_limit = limit
"""In the child: its bounds (``tests/hostile/bounded.py``)."""
_bounded_run = bounded_run
"""The real command in a process of its own, bounded (``tests/hostile/bounded.py``): a template
that made it inflate gigabytes fails here, not the machine."""


def _stdin_50_mb(project: Path) -> None:
    """``validate /dev/stdin`` with 50 MB written to the pipe: refused at the first line past the
    8 MiB limit, the writer stopped by a closed pipe after little more than that (a pipe holds
    at most 1 MiB unread), in the harness's bounds."""
    import contextlib
    import subprocess
    import threading

    filler = ("# " + "x" * 98 + "\n").encode()
    chunk = filler * 655  # 65,500 bytes
    written = [0]

    process = bounded_popen(project, "validate", "/dev/stdin", stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    watch = Watch(process)  # the harness's memory bound, over the command's processes together
    watch.start()

    def feed() -> None:
        assert process.stdin is not None
        try:
            process.stdin.write(VALID.encode())
            while written[0] < 50_000_000:
                process.stdin.write(chunk)
                process.stdin.flush()
                written[0] += len(chunk)
        except BrokenPipeError:
            pass
        finally:
            with contextlib.suppress(BrokenPipeError):
                process.stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    timer = threading.Timer(SECONDS, kill_session, (process,))  # the harness's time bound (communicate would close stdin)
    timer.start()
    with process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read()
        err = process.stderr.read()
        process.wait()
        timer.cancel()
        writer.join(timeout=10)
    watch.stop()
    watch.check()
    assert process.returncode == 2, err
    assert err.decode() == ("/dev/stdin:83067:38: the input goes on past 8,388,608 bytes; outlines are at most "
                            "8,388,608, reached here\n")
    assert written[0] < 8 * 1024 * 1024 + 2 * 1024 * 1024, f"{written[0]:,} bytes were taken from the pipe"


def _template_bomb(make: Callable[[Path], None]) -> Callable[[Path], None]:
    """build, validate and templates inspect on the bomb ``make`` writes to assets/t.pptx: each
    exits 0 (and the deck holds no bomb) or exits 2 with one line at the outline's
    ``pptx_template`` (inspect: on the template's path), inside the harness's bounds."""
    def procedure(project: Path) -> None:
        import zipfile

        (project / "o.yaml").write_text(TEMPLATE_OUTLINE)
        make(project / "assets" / "t.pptx")
        template = (project / "assets" / "t.pptx").resolve()
        for command, at in ((("build", "o.yaml", "--out", "out"), f"o.yaml:2:16: pptx_template: {template}: "),
                            (("validate", "o.yaml"), f"o.yaml:2:16: pptx_template: {template}: "),
                            (("templates", "inspect", "assets/t.pptx"), "assets/t.pptx: ")):
            result = _bounded_run(project, *command)
            assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr, (command, result.stderr)
            if result.returncode == 2:
                assert result.stderr.count("\n") == 1 and result.stderr.startswith(at), (command, result.stderr)
                continue
            assert result.returncode == 0, (command, result.returncode, result.stderr)
            if command[0] == "build":
                with zipfile.ZipFile(project / "out" / "o.pptx") as deck:
                    assert "docProps/thumbnail.jpeg" not in deck.namelist()
                    assert sum(member.file_size for member in deck.infolist()) < 10_000_000
    return procedure


def _no_external_link(project: Path, pdf_text: str, deck_text: str) -> None:
    """The deck's external relationships are its own links (the licence's, https), and neither
    of the template's targets is named anywhere in it."""
    import zipfile

    from lxml import etree

    from tests.template.hostile import PASSWD, UNC

    with zipfile.ZipFile(project / "out" / "o.pptx") as deck:
        for name in deck.namelist():
            data = deck.read(name)
            assert PASSWD.encode() not in data and UNC.encode() not in data, name
            if name.endswith(".rels"):
                for rel in etree.fromstring(data):
                    if rel.get("TargetMode") == "External":
                        assert rel.get("Target").startswith("https://"), (name, rel.get("Target"))
    assert "A paragraph." in deck_text


def _template_cases() -> dict[str, Case]:
    from tests.template import hostile

    def with_template(make: Callable[..., Path], *args) -> Files:
        return {"o.yaml": TEMPLATE_OUTLINE, "assets/t.pptx": _template(make, *args)}

    refused = "o.yaml:2:16: pptx_template: {root}/assets/t.pptx: "
    return {
        "template-zip-bomb": Case("templates", "a 1.2 MB template whose thumbnail inflates to 1.25 GB", {}),
        "template-xml-bomb": Case("templates", "a 1.2 MB template whose slide layout inflates to 1.25 GB of XML", {}),
        "template-lying-sizes": Case("templates", "a template member whose header declares 4 KB and inflates to 1.25 GB", {}),
        "template-external-links": Case(
            "templates", "a layout picture linked to \\\\host\\share\\x.png, a master hyperlink to file:///etc/passwd",
            with_template(hostile.external_links), check=_no_external_link,
            warning="o.yaml:2:16: pptx_template: warning: {root}/assets/t.pptx: 2 external links removed, which a deck "
                    "must not fetch when it opens: 'file:///etc/passwd' (in ppt/slideMasters/slideMaster1.xml), "
                    "'\\\\host\\share\\x.png' (in ppt/slideLayouts/slideLayout1.xml)"),
        "template-no-master": Case("templates", "a template without a slide master", with_template(hostile.no_master),
            error=refused + "it has no slide master, so no layout to make slides from; save it again from PowerPoint "
                            "(View > Slide Master)"),
        "template-no-theme": Case("templates", "a template whose slide master has no theme", with_template(hostile.no_theme),
            error=refused + "its slide master 1 has no theme (the colours and fonts); a master has exactly one"),
        "template-slide-size": Case("templates", "a template whose slide size is cx=\"abc\"",
                                    with_template(hostile.bad_slide_size),
            error=refused + "its slide size ('abc' x '6858000' EMU) is not one PowerPoint accepts: from 914,400 to "
                            "51,206,400 EMU (1 to 56 inches) each way"),
    }


def _bombs() -> dict[str, Callable[[Path], None]]:
    from tests.template import hostile

    return {"template-zip-bomb": _template_bomb(_template(hostile.zip_bomb)),
            "template-xml-bomb": _template_bomb(_template(hostile.zip_bomb, "ppt/slideLayouts/slideLayout1.xml")),
            "template-lying-sizes": _template_bomb(_template(hostile.lying_sizes))}


CASES |= _template_cases()
RUN |= _bombs()
RUN["yaml-stdin-50-mb"] = _stdin_50_mb


# --- layout: realistic input far longer than usual, which must build (never exit 70) -------------

_WORDS = ("alliance", "security", "cooperation", "deterrence", "summit", "trilateral", "partnership")


def _words(count: int, end: str) -> str:
    """``count`` words of prose, the last one ``end`` (a marker the check looks for)."""
    return " ".join(_WORDS[i % len(_WORDS)] for i in range(count - 1)) + " " + end


def _core_properties_fit(*needles: str):
    """The needles are in both outputs, and every core property of the deck fits Office's 255 characters."""
    def check(project: Path, pdf_text: str, deck_text: str) -> None:
        import zipfile

        from lxml import etree

        contains(*needles)(project, pdf_text, deck_text)
        with zipfile.ZipFile(project / "out" / "o.pptx") as deck:
            core = etree.fromstring(deck.read("docProps/core.xml"))
        for element in core:
            assert len(element.text or "") <= 255, (element.tag, len(element.text or ""))
    return check


def _title_cut(end: str):
    """The title is whole in the brief and in the deck's notes (its citation); on the title
    slide, where it cannot fit even at the floor size, it is cut with an ellipsis."""
    def check(project: Path, pdf_text: str, deck_text: str) -> None:
        from pptx import Presentation

        assert end in pdf_text.replace("\n", ""), "the title's end is not in the PDF"
        assert end in deck_text, "the title's end is not in the deck's notes"
        first = Presentation(project / "out" / "o.pptx").slides[0]
        title = max((shape.text_frame.text for shape in first.shapes if shape.has_text_frame), key=len)
        assert title.startswith("0 0123456789") and title.endswith("…") and end not in title, title[-40:]
    return check


def _events(count: int, words: int) -> str:
    return "\n".join(f"          - {{when: 'Year {i}', text: '{_words(words, f'Event{i}')}'}}" for i in range(count))


def _written(make: Callable[[], str]) -> Callable[[Path], None]:
    """A file whose text is made when the case is laid out (not when the catalogue is imported)."""
    def save(path: Path) -> None:
        path.write_text(make(), encoding="utf-8")
    return save


def _rows(count: int) -> str:
    return outline("      - A paragraph.", "      - A paragraph.\n      - table:\n          header: [A, B]\n          rows:\n"
                   + "\n".join(f"            - [r{i}, v{i}]" for i in range(count)))


def _points(count: int) -> str:
    return outline("    key_points: [One point]", "    key_points:\n" + "\n".join(f"      - Point {i}" for i in range(count)))


def _trilateral_tripled(path: Path) -> None:
    """The trilateral outline with every text three times as long (not dates, paths, URLs, ids)."""
    import yaml

    from tests.conftest import REPO

    keep = {"date", "language", "image", "file", "url", "id", "edition_date"}

    def tripled(value, key=None):
        if isinstance(value, dict):
            return {k: tripled(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [tripled(v, key) for v in value]
        if isinstance(value, str) and key not in keep and " " in value.strip():
            return " ".join([value.strip()] * 3)
        return value

    data = yaml.safe_load((REPO / "outlines" / "trilateral-alliance.yaml").read_text(encoding="utf-8"))
    data.pop("cover")  # (its photo is not in the repository: a warning)
    path.write_text(yaml.safe_dump(tripled(data), allow_unicode=True, sort_keys=False, width=100_000), encoding="utf-8")


TOO_LONG = "o.yaml:13:9: sections[0].body[0]: the text is {:,} characters; a text may hold at most 100,000 (split it into paragraphs)"
LAYOUT: dict[str, Case] = {
    "layout-trilateral-tripled": Case(
        "layout", "the trilateral outline with every text three times as long", {"o.yaml": _trilateral_tripled},
        check=contains("Camilla Cavarape Camilla Cavarape Camilla Cavarape")),
    "layout-heading-1750": Case(
        "layout", "a heading of 1,750 characters", {"o.yaml": outline("  - heading: First", "  - heading: '"
                                                                 + _words(250, "Headend")[-1750:] + "'")},
        check=contains("Headend")),
    "layout-table-5000-columns": Case(
        "layout", "a table of 5,000 columns", {"o.yaml": _written(lambda: outline(
            "      - A paragraph.", "      - A paragraph.\n      - table:\n          header: ["
            + ", ".join(f"C{i}" for i in range(5000)) + "]\n          rows:\n            - ["
            + ", ".join(str(i) for i in range(5000)) + "]"))},
        error="o.yaml:15:19: sections[0].body[1].table.header: the table has 5000 columns, more than the brief's page "
              "holds: at most 12; split it into tables of 12 columns or fewer"),
    "layout-table-tall-header": Case(
        "layout", "a 12-column table whose first header cell is a 230-character word (found by make fuzz)",
        {"o.yaml": outline("      - A paragraph.", "      - A paragraph.\n      - table:\n          header: ['" + "0" * 110
                           + "@" * 120 + "Headword', " + ", ".join(f"C{i}" for i in range(1, 12)) + "]\n          rows:\n"
                           "            - [" + ", ".join(str(i) for i in range(12)) + "]")},
        check=contains("C11", deck=False)),
    "layout-timeline-tall-date": Case(
        "layout", "a timeline event whose date is an 800-character word, taller than a page (found by make fuzz)",
        {"o.yaml": outline("      - A paragraph.", "      - A paragraph.\n      - timeline:\n          events:\n"
                           "            - {when: '" + "0" * 240 + "@" * 560 + "', text: Dated}")},
        check=contains("Dated", deck=False)),
    "layout-paragraph-100k": Case(
        "layout", "a paragraph of 100,000 characters (the most a text may hold), some 15,000 words",
        {"o.yaml": _written(lambda: outline("      - A paragraph.", "      - '" + ("word " * 20_000)[:99_999] + "z'"))},
        check=contains("wordz", deck=False)),
    "layout-paragraph-1-mb": Case(
        "layout", "a paragraph of 1 MB of plain words (the 200 to 600 KB ones took 4 to 69 s)",
        {"o.yaml": _written(lambda: outline("      - A paragraph.", "      - '" + ("word " * 200_000)[:1_000_000] + "'"))},
        error=TOO_LONG.format(1_000_000)),
    "layout-word-5-mb": Case(
        "layout", "a word of 5 MB", {"o.yaml": _written(lambda: outline("      - A paragraph.", "      - " + "w" * 5_000_000))},
        error=TOO_LONG.format(5_000_000)),
    "layout-table-20k-rows": Case(
        "layout", "a table of 20,000 rows", {"o.yaml": _written(lambda: _rows(20_000))},
        error="o.yaml:17:13: sections[0].body[1].table.rows: the list has 20,000 items; a list may hold at most 10,000"),
    "layout-table-100k-rows": Case(
        "layout", "a table of 100,000 rows (300,000 values)", {"o.yaml": _written(lambda: _rows(100_000))},
        error="o.yaml:83337:24: sections.body.table.rows: the file holds more than 250,000 values"),
    "layout-key-points-10000": Case(
        "layout", "10,000 key points in one section (the most a list may hold)", {"o.yaml": _written(lambda: _points(10_000))},
        check=contains("Point 9999")),
    "layout-key-points-100k": Case(
        "layout", "100,000 key points in one section", {"o.yaml": _written(lambda: _points(100_000))},
        error="o.yaml:12:7: sections[0].key_points: the list has 100,000 items; a list may hold at most 10,000"),
    "layout-title-256": Case(
        "layout", "a title of 300 characters (the deck's core title holds 255)",
        {"o.yaml": outline("title: A brief", "title: '" + _words(40, "Zenith") + "'")},
        check=_core_properties_fit("Zenith")),
    "layout-keywords-30": Case(
        "layout", "30 keywords (the deck's core keywords hold 255 characters)",
        {"o.yaml": outline("title: A brief", "title: A brief\nkeywords: [" + ", ".join(
            f"keyword number {i}" for i in range(30)) + "]")}, check=_core_properties_fit("A paragraph.")),
    "layout-authors-20": Case(
        "layout", "20 authors, each with an affiliation and a bio",
        {"o.yaml": outline("authors:\n  - name: Ann Author\n    bio: Ann writes.", "authors:\n" + "\n".join(
            f"  - {{name: Author Number{i}, affiliation: University of Somewhere, bio: Writes on alliances.}}"
            for i in range(20)))}, check=_core_properties_fit("Number19")),
    "layout-key-points-50": Case(
        "layout", "50 key points in one section",
        {"o.yaml": outline("    key_points: [One point]", "    key_points:\n" + "\n".join(
            f"      - 'Point {i}: {_words(6, f'Mark{i}')}'" for i in range(50)))}, check=contains("Mark49")),
    "layout-key-points-200": Case(
        "layout", "200 key points in one section: a box taller than a page, which splits between its points",
        {"o.yaml": outline("    key_points: [One point]", "    key_points:\n" + "\n".join(
            f"      - 'Point {i}: {_words(3, f'Mark{i}')}'" for i in range(200)))}, check=contains("Mark199")),
    "layout-key-points-long": Case(
        "layout", "12 key points of 50 words each",
        {"o.yaml": outline("    key_points: [One point]", "    key_points:\n" + "\n".join(
            f"      - '{_words(50, f'Long{i}')}'" for i in range(12)))}, check=contains("Long11")),
    "layout-summary-800": Case(
        "layout", "an 800-word summary in one paragraph",
        {"o.yaml": outline("summary: The summary.", "summary: '" + _words(800, "Finale") + "'")},
        check=contains("Finale")),
    "layout-callout-800": Case(
        "layout", "an 800-word callout",
        {"o.yaml": outline("      - A paragraph.", "      - A paragraph.\n      - callout: {title: Note, text: '"
                           + _words(800, "Coda") + "'}")}, check=contains("Coda")),
    "layout-quote-600": Case(
        "layout", "a 600-word quotation, and a 600-word pull quote",
        {"o.yaml": outline("      - A paragraph.", "      - A paragraph.\n      - quote: {by: Someone, text: '"
                           + _words(600, "Quoted") + "'}\n      - quote: {pull: true, text: '"
                           + _words(600, "Pulled") + "'}")}, check=contains("Quoted", "Pulled")),
    "layout-timeline-long": Case(
        "layout", "a timeline of 12 events of 120 words each",
        {"o.yaml": outline("      - A paragraph.", "      - A paragraph.\n      - timeline:\n          events:\n"
                           + _events(12, 120).replace("          - ", "            - "))},
        check=contains("Event11")),
    "layout-table-long-cells": Case(
        "layout", "a table whose cells hold 300 words, with an 80-word caption",
        {"o.yaml": outline("      - A paragraph.", "      - A paragraph.\n      - table:\n          header: [A, B]\n"
                           "          caption: '" + _words(80, "Captioned") + "'\n          rows:\n"
                           + "\n".join(f"            - ['{_words(300, f'Cell{i}')}', 'short']" for i in range(3)))},
        check=contains("Cell2")),
    "layout-long-words": Case(
        "layout", "words of 300 letters in a heading, a key point and a paragraph",
        {"o.yaml": outline("  - heading: First\n    key_points: [One point]\n    body:\n      - A paragraph.",
                           "  - heading: 'Head " + "x" * 300 + "'\n    key_points: ['Point " + "y" * 300
                           + "']\n    body:\n      - 'Text " + "z" * 300 + " tail.'")}, check=contains("tail.")),
    "layout-subtitle-and-byline-long": Case(
        "layout", "a 120-word subtitle and an author's name of 40 words",
        {"o.yaml": outline("title: A brief", "title: A brief\nsubtitle: '" + _words(120, "Subend") + "'").replace(
            "  - name: Ann Author", "  - name: '" + _words(40, "Namend") + "'")},
        check=_core_properties_fit("A paragraph.")),
    "layout-key-points-only": Case(
        "layout", "a section of key points alone, no body (its heading a contents entry, a bookmark and a link target)",
        {"o.yaml": outline("    key_points: [One point]\n    body:\n      - A paragraph.",
                           "    body:\n      - A paragraph.\n  - heading: Points only\n    key_points: [Alone here]")},
        check=contains("Points only", "Alone here")),
    "layout-title-7000": Case(
        "layout", "a title of 6,892 characters, nearly all one word, written by a jinja loop (found by make fuzz)",
        {"o.yaml": outline("title: A brief", "title: '0 {% for i in range(2000) %}{{ i }}{% endfor %}'")},
        check=_title_cut("199719981999")),
    "layout-bullet-one-long": Case(
        "layout", "a list of one 500-word item after a 300-word paragraph: the item goes on over the page (found by make fuzz)",
        {"o.yaml": outline("      - A paragraph.", "      - '" + _words(300, "Lead") + "'\n      - bullets: ['"
                           + _words(500, "Itemend") + "']")}, check=contains("Itemend")),
    "layout-bullet-taller-than-page": Case(
        "layout", "a list whose first item, of 1,500 words, is taller than a page",
        {"o.yaml": outline("      - A paragraph.", "      - A paragraph.\n      - bullets: ['"
                           + _words(1500, "Firstend") + "', Second]")}, check=contains("Firstend", "Second")),
    "layout-bullet-nested-tall": Case(
        "layout", "a nested item of 1,500 words, and an item of 1,500 words over a nested list",
        {"o.yaml": outline("      - A paragraph.", "      - '" + _words(300, "Lead") + "'\n      - bullets:\n"
                           "          - {text: Parent, items: ['" + _words(1500, "Childend") + "']}\n"
                           "          - {text: '" + _words(1500, "Parentend") + "', items: [Child]}")},
        check=contains("Childend", "Parentend")),
    "layout-bullet-long-words": Case(
        "layout", "a list of one item of two 1,000-character words at the foot of a page",
        {"o.yaml": outline("      - A paragraph.", "      - '" + "word " * 299 + "Lead'\n      - bullets: ['"
                           + "w" * 1000 + " " + "v" * 999 + "z']")}, check=contains("vvz", deck=False)),
    "layout-table-too-wide": Case(
        "layout", "a table of 40 columns",
        {"o.yaml": outline("      - A paragraph.", "      - A paragraph.\n      - table:\n          header: ["
                           + ", ".join(f"C{i}" for i in range(40)) + "]\n          rows:\n            - ["
                           + ", ".join(str(i) for i in range(40)) + "]")},
        error="o.yaml:15:19: sections[0].body[1].table.header: the table has 40 columns, more than the brief's page "
              "holds: at most 12; split it into tables of 12 columns or fewer"),
}
CASES |= LAYOUT
