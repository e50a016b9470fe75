"""A template's limits (docs/limits.md): each number there is the one the code enforces, each is
refused one past it with the error the table gives, in build, validate and templates inspect;
broken templates (no master, no theme, a slide size that is not one) are exit 2 in each command;
and the deck made from a template holds neither its thumbnail nor its external links."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path
from typing import Callable

import pytest
from lxml import etree
from pptx import Presentation

from reportgen.render import pptx_template
from reportgen.render.pptx_template import (MAX_MEMBERS, MAX_RATIO, MAX_SHAPES, MAX_TEMPLATE_BYTES, MAX_XML_BYTES,
                                            RATIO_FROM, read_template)
from tests.conftest import REPO, VALID, run
from tests.template import hostile

OUTLINE = VALID.replace("title: A brief", "title: A brief\npptx_template: assets/t.pptx", 1)
MAPPING = VALID.replace("title: A brief", "title: A brief\npptx_template:\n  file: assets/t.pptx", 1)


def _table() -> dict[str, tuple[str, str]]:
    text = (REPO / "docs" / "limits.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (template [^|]+?) \| ([^|]+?) \| (.+) \|$", text, re.MULTILINE)
    return {name: (value, error) for name, value, error in rows}


def _number(text: str) -> int:
    return int(re.match(r"[\d,]+", text).group().replace(",", ""))


def test_docs_limits_names_the_numbers_the_code_enforces() -> None:
    table = _table()
    assert _number(table["template file"][0]) == MAX_TEMPLATE_BYTES
    assert f"at most {MAX_TEMPLATE_BYTES:,}`" in table["template file"][1]
    assert _number(table["template members, uncompressed, in all"][0]) == MAX_TEMPLATE_BYTES
    xml = "template XML parts (`.xml`, `.rels`), uncompressed, in all"
    assert _number(table[xml][0]) == MAX_XML_BYTES and f"at most {MAX_XML_BYTES:,} in all`" in table[xml][1]
    shapes = "template shapes on its masters and layouts, in all"
    assert _number(table[shapes][0]) == MAX_SHAPES and f"at most {MAX_SHAPES:,} in all`" in table[shapes][1]
    assert _number(table["template members"][0]) == MAX_MEMBERS
    assert f"at most {MAX_MEMBERS:,}`" in table["template members"][1]
    ratio = "template compression ratio, members over 1,048,576 bytes"
    assert table[ratio][0] == f"{MAX_RATIO}:1" and RATIO_FROM == 1_048_576
    assert f"at most {MAX_RATIO}:1" in table[ratio][1]
    sizes = [_number(n) for n in re.findall(r"[\d,]{5,}", table["template slide size, each way"][0])]
    assert sizes == [pptx_template._SLIDE_SIZES.start, pptx_template._SLIDE_SIZES.stop - 1]
    assert table["template external links"][0].startswith(f"0: removed, with a warning naming up to {pptx_template.MAX_NAMED}")


def _members(path: Path, members: dict[str, bytes], compress: int = zipfile.ZIP_DEFLATED) -> Path:
    """The default template with ``members`` added (or replacing its own)."""
    plain = Path(str(path) + ".plain")
    Presentation().save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", compress) as target:
        for item in source.infolist():
            if item.filename not in members:
                target.writestr(item.filename, source.read(item.filename))
        for name, data in members.items():
            target.writestr(name, data)
    plain.unlink()
    return path


def _noise(size: int) -> bytes:
    """Bytes that hardly compress, as base64 text (XML may hold it)."""
    import base64

    return base64.b64encode(os.urandom(size * 3 // 4 + 3))[:size]


def _over_file(path: Path) -> Path:
    return _members(path, {"ppt/media/big.bin": os.urandom(MAX_TEMPLATE_BYTES + 1)}, zipfile.ZIP_STORED)


def _over_total(path: Path) -> Path:  # members of 1 MiB each, none checked for its ratio, more than 64 MiB in all
    return _members(path, {f"ppt/media/zeros{n}.bin": bytes(RATIO_FROM) for n in range(MAX_TEMPLATE_BYTES // RATIO_FROM + 1)})


def _padded(xml: bytes, size: int) -> bytes:
    """``xml`` grown to ``size`` bytes by comments before its closing tag, hard to compress."""
    at = xml.rindex(b"</")
    left = size - len(xml)
    comments = []
    while left > 0:
        piece = min(left, 1 << 20)
        comments.append(b"<!--" + _noise(piece - 7) + b"-->" if piece >= 7 else b" " * piece)
        left -= piece
    return xml[:at] + b"".join(comments) + xml[at:]


def _xml_bytes(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(m.file_size for m in archive.infolist() if m.filename.endswith((".xml", ".rels")))


def _xml_to(path: Path, size: int) -> Path:
    """The default template, its XML grown to ``size`` bytes in all (the first layout made larger)."""
    Presentation().save(path)
    with zipfile.ZipFile(path) as archive:
        layout = archive.read("ppt/slideLayouts/slideLayout1.xml")
    return _members(path, {"ppt/slideLayouts/slideLayout1.xml": _padded(layout, len(layout) + size - _xml_bytes(path))})


def _over_xml(path: Path) -> Path:
    return _xml_to(path, MAX_XML_BYTES + 1)


def _shapes_to(path: Path, count: int) -> Path:
    """The default template with empty shapes added to its first layout: ``count`` on its masters
    and layouts in all."""
    prs = Presentation()
    have = sum(len(m.shapes) + sum(len(layout.shapes) for layout in m.slide_layouts) for m in prs.slide_masters)
    tree = prs.slide_layouts[0].shapes._spTree
    for n in range(count - have):
        tree.append(etree.fromstring(f'<p:sp xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
                                     f'<p:nvSpPr><p:cNvPr id="{1000 + n}" name="s{n}"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>'
                                     '<p:spPr/></p:sp>'))
    prs.save(path)
    return path


def _over_shapes(path: Path) -> Path:
    return _shapes_to(path, MAX_SHAPES + 1)


def _over_members(path: Path) -> Path:
    return _members(path, {f"docProps/custom{n}.txt": b"" for n in range(MAX_MEMBERS)})


def _over_ratio(path: Path) -> Path:
    return _members(path, {"ppt/media/zeros.bin": bytes(RATIO_FROM + 1)})


OVER: dict[str, tuple[Callable[[Path], Path], str]] = {
    "file": (_over_file, r"the file is 67,\d{3},\d{3} bytes; a template may be at most 67,108,864"),
    "total": (_over_total, r"its members hold 68,\d{3},\d{3} bytes uncompressed; a template may hold at most 67,108,864"),
    "xml": (_over_xml, r"its XML parts hold 16,777,217 bytes uncompressed; a template's XML may hold at most "
                       r"16,777,216 in all"),
    "shapes": (_over_shapes, r"its masters and layouts hold 10,001 shapes; a template's may hold at most 10,000 in all"),
    "members": (_over_members, r"it holds 10,0\d\d members; a template may hold at most 10,000"),
    "ratio": (_over_ratio, r"ppt/media/zeros\.bin inflates [\d,]+ bytes to 1,048,577; a template's members are "
                           r"compressed at most 200:1 \(a zip bomb\?\)"),
    "no-master": (hostile.no_master, r"it has no slide master, so no layout to make slides from; save it again from "
                                     r"PowerPoint \(View > Slide Master\)"),
    "no-theme": (hostile.no_theme, r"its slide master 1 has no theme \(the colours and fonts\); a master has exactly one"),
    "external-theme": (lambda path: hostile.no_theme(path, "file:///etc/theme.xml"),
                       r"its slide master 1 has no theme \(the colours and fonts\); a master has exactly one"),
    "slide-size": (hostile.bad_slide_size, r"its slide size \('abc' x '6858000' EMU\) is not one PowerPoint accepts: "
                                           r"from 914,400 to 51,206,400 EMU \(1 to 56 inches\) each way"),
}


@pytest.mark.parametrize("name", list(OVER))
def test_a_template_past_a_limit_or_broken_is_one_line_and_exit_2_in_every_command(name: str, project: Path) -> None:
    make, reason = OVER[name]
    template = make(project / "assets" / "t.pptx").resolve()
    (project / "o.yaml").write_text(OUTLINE)
    (project / "m.yaml").write_text(MAPPING)
    (project / "p.yaml").write_text(VALID)
    at = re.escape(f"{template}: ") + reason
    expected = {
        ("validate", "o.yaml"): r"o\.yaml:2:16: pptx_template: " + at,
        ("build", "o.yaml", "--format", "pptx", "--out", "out"): r"o\.yaml:2:16: pptx_template: " + at,
        ("build", "m.yaml", "--out", "out"): r"m\.yaml:3:9: pptx_template\.file: " + at,
        ("build", "p.yaml", "--pptx-template", "assets/t.pptx", "--out", "out"): re.escape("assets/t.pptx: ") + reason,
        ("templates", "inspect", "assets/t.pptx"): re.escape("assets/t.pptx: ") + reason,
    }
    for command, line in expected.items():
        result = run(*command, cwd=project)
        assert result.code == 2, (command, result.err)
        assert re.fullmatch(line + "\n", result.err), (command, result.err)
    assert not (project / "out").exists()


def test_a_template_at_each_limit_is_read(tmp_path: Path) -> None:
    path = _members(tmp_path / "ratio.pptx", {"ppt/media/zeros.bin": bytes(RATIO_FROM)})
    assert read_template(path).layouts
    path = _xml_to(tmp_path / "xml.pptx", MAX_XML_BYTES)
    assert _xml_bytes(path) == MAX_XML_BYTES and read_template(path).layouts[0].name == "Title Slide"
    assert len(read_template(_shapes_to(tmp_path / "shapes.pptx", MAX_SHAPES)).layouts) == 11


def test_the_deck_holds_neither_the_templates_thumbnail_nor_its_external_links(project: Path) -> None:
    hostile.external_links(project / "assets" / "t.pptx")
    with zipfile.ZipFile(project / "assets" / "t.pptx") as template:
        assert "docProps/thumbnail.jpeg" in template.namelist()
    (project / "o.yaml").write_text(OUTLINE)
    result = run("build", "o.yaml", "--format", "pptx", "--out", "out", cwd=project)
    assert result.code == 0, result.err
    (warning,) = result.err.splitlines()
    assert warning.startswith(f"o.yaml:2:16: pptx_template: warning: {(project / 'assets' / 't.pptx').resolve()}: "
                              "2 external links removed")
    assert f"'{hostile.UNC}' (in ppt/slideLayouts/slideLayout1.xml)" in warning
    assert f"'{hostile.PASSWD}' (in ppt/slideMasters/slideMaster1.xml)" in warning
    with zipfile.ZipFile(project / "out" / "o.pptx") as deck:
        assert "docProps/thumbnail.jpeg" not in deck.namelist()
        assert b"thumbnail" not in deck.read("_rels/.rels")
        for name in deck.namelist():
            data = deck.read(name)
            assert hostile.UNC.encode() not in data and hostile.PASSWD.encode() not in data, name
            if name.endswith(".xml"):  # nothing refers to a relationship its part does not have
                rels = name.rsplit("/", 1)
                rels_name = f"{rels[0]}/_rels/{rels[1]}.rels" if len(rels) == 2 else f"_rels/{name}.rels"
                ids = ({r.get("Id") for r in etree.fromstring(deck.read(rels_name))}
                       if rels_name in deck.namelist() else set())
                referred = set(re.findall(rb'r:(?:id|link|embed)="([^"]+)"', data))
                assert {r.decode() for r in referred} <= ids, name
    prs = Presentation(project / "out" / "o.pptx")  # the picture that linked the UNC path is still on its layout, empty
    assert any(shape.name == "Linked logo" for shape in prs.slide_layouts[0].shapes)


def test_validate_and_inspect_name_the_removed_links_too(project: Path) -> None:
    hostile.external_links(project / "assets" / "t.pptx")
    (project / "o.yaml").write_text(OUTLINE)
    result = run("validate", "o.yaml", cwd=project)
    assert result.code == 0 and result.err.startswith("o.yaml:2:16: pptx_template: warning: ") and result.err.count("\n") == 1
    result = run("templates", "inspect", "assets/t.pptx", cwd=project)
    assert result.code == 0 and result.err.startswith("assets/t.pptx: warning: 2 external links removed, ")
    assert f"external links (removed when building): '{hostile.PASSWD}'" in result.out


def test_a_warning_names_ten_links_then_counts_the_rest(tmp_path: Path) -> None:
    prs = Presentation()
    for n in range(12):
        prs.slide_master.part.relate_to(f"https://example.org/{n}", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink", is_external=True)
    prs.save(tmp_path / "t.pptx")
    (warning,) = pptx_template.template_warnings(read_template(tmp_path / "t.pptx"))
    assert str(warning).startswith(f"{tmp_path / 't.pptx'}: warning: 12 external links removed, ")
    assert str(warning).count("https://example.org/") == 10 and str(warning).endswith(" and 2 more")


def test_the_packages_own_external_link_is_removed_too(project: Path) -> None:
    prs = Presentation()
    prs.part.package.relate_to(hostile.PASSWD, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
                               is_external=True)
    prs.save(project / "assets" / "t.pptx")
    with zipfile.ZipFile(project / "assets" / "t.pptx") as template:
        assert hostile.PASSWD.encode() in template.read("_rels/.rels")
    (project / "o.yaml").write_text(OUTLINE)
    result = run("build", "o.yaml", "--format", "pptx", "--out", "out", cwd=project)
    assert result.code == 0, result.err
    assert result.err.endswith(f"1 external link removed, which a deck must not fetch when it opens: "
                               f"'{hostile.PASSWD}' (in _rels/.rels)\n")
    with zipfile.ZipFile(project / "out" / "o.pptx") as deck:
        assert b"External" not in deck.read("_rels/.rels") and b"officeDocument" in deck.read("_rels/.rels")
