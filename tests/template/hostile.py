"""Hostile and broken .pptx templates, made for the tests from python-pptx's default template.

- :func:`zip_bomb`: the thumbnail (``docProps/thumbnail.jpeg``) replaced by 1.25 GB of zeros,
  streamed through zipfile so the file is about 1.3 MB and takes a few seconds to write;
  with ``part`` another part (a slide layout, an XML part) grows the same way, padded with spaces.
- :func:`lying_sizes`: a member whose central-directory entry declares 4 KB uncompressed while
  its data inflates to 1.25 GB.
- :func:`external_links`: a picture on a layout linked to ``\\\\host\\share\\x.png`` and a
  ``file:///etc/passwd`` hyperlink on the master's title, both ``TargetMode="External"``.
- :func:`no_master`, :func:`no_theme` (or one external), :func:`bad_slide_size`: templates
  python-pptx opens but no deck can be made from.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

BOMB_BYTES = 1_250_000_000
UNC = "\\\\host\\share\\x.png"
PASSWD = "file:///etc/passwd"
_CHUNK = 1 << 24


def zip_bomb(path: Path, part: str = "docProps/thumbnail.jpeg", size: int = BOMB_BYTES) -> Path:
    """The default template with ``part`` grown to ``size`` bytes: zeros for the thumbnail, for
    an XML part its own text with ``size`` spaces before its closing tag (still well-formed)."""
    path.write_bytes(_bomb(part, size))
    return path


@functools.cache
def _bomb(part: str, size: int) -> bytes:
    """The bomb's bytes, made once a test session (deflating 1.25 GB takes about 5 s)."""
    original = zipfile.ZipFile(io.BytesIO(_default_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in original.infolist():
            if item.filename != part:
                bomb.writestr(item, original.read(item.filename))
                continue
            data = original.read(item.filename)
            head, tail = (b"", b"") if part.endswith(".jpeg") else (data[: data.rindex(b"</")], data[data.rindex(b"</"):])
            filler = (b"\0" if part.endswith(".jpeg") else b" ") * _CHUNK
            grown = zipfile.ZipInfo(item.filename, item.date_time)
            grown.compress_type = zipfile.ZIP_DEFLATED
            with bomb.open(grown, "w") as member:
                member.write(head)
                left = size
                while left > 0:
                    member.write(filler[: min(left, _CHUNK)])
                    left -= _CHUNK
                member.write(tail)
    return out.getvalue()


def _default_bytes() -> bytes:
    out = io.BytesIO()
    Presentation().save(out)
    return out.getvalue()


def lying_sizes(path: Path, part: str = "docProps/thumbnail.jpeg") -> Path:
    """A bomb whose ``part`` declares 4,096 bytes uncompressed in the central directory (where
    zipfile reads sizes from) though its data inflates to :data:`BOMB_BYTES`."""
    zip_bomb(path, part, BOMB_BYTES)
    data = bytearray(path.read_bytes())
    name = part.encode()
    at = 0  # the central directory entry of ``part``
    while True:
        at = data.index(b"PK\x01\x02", at)
        name_length, extra_length = struct.unpack_from("<HH", data, at + 28)
        if data[at + 46: at + 46 + name_length] == name:
            break
        at += 4
    extra = at + 46 + name_length
    # a zip64 entry keeps its sizes in the extra field (header 0x0001): the uncompressed size first
    field = extra
    while field < extra + extra_length:
        kind, length = struct.unpack_from("<HH", data, field)
        if kind == 1:
            struct.pack_into("<Q", data, field + 4, 4096)
            break
        field += 4 + length
    else:
        struct.pack_into("<I", data, at + 24, 4096)
    path.write_bytes(bytes(data))
    return path


def external_links(path: Path) -> Path:
    """The default template with a picture on its "Title Slide" layout linked (not embedded) to
    a UNC path, and its master's title placeholder a hyperlink to ``file:///etc/passwd``."""
    prs = Presentation()
    layout = prs.slide_layouts[0]
    unc = layout.part.relate_to(UNC, RT.IMAGE, is_external=True)
    picture = etree.fromstring(
        f'<p:pic xmlns:p="{_NS["p"]}" xmlns:a="{_NS["a"]}" xmlns:r="{_NS["r"]}">'
        '<p:nvPicPr><p:cNvPr id="90" name="Linked logo"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr>'
        f'<p:blipFill><a:blip r:link="{unc}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
        '<p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>')
    layout.shapes._spTree.append(picture)
    master = prs.slide_master
    passwd = master.part.relate_to(PASSWD, RT.HYPERLINK, is_external=True)
    title = next(shape for shape in master.placeholders if shape.placeholder_format.type is not None
                 and "TITLE" in str(shape.placeholder_format.type))
    etree.SubElement(title._element.nvSpPr.cNvPr, qn("a:hlinkClick"), {qn("r:id"): passwd})
    prs.save(path)
    return path


_NS = {"p": "http://schemas.openxmlformats.org/presentationml/2006/main",
       "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def no_master(path: Path) -> Path:
    """The presentation lists no slide master (and so no layout)."""
    prs = Presentation()
    masters = prs.part._element.find(qn("p:sldMasterIdLst"))
    for master_id in list(masters):
        masters.remove(master_id)
        prs.part.drop_rel(master_id.rId)
    prs.save(path)
    return path


def no_theme(path: Path, instead: str | None = None) -> Path:
    """The slide master has no theme (its colours and fonts); with ``instead``, its theme is an
    external relationship to that URL."""
    prs = Presentation()
    master = prs.slide_master.part
    for rId, rel in list(master.rels.items()):
        if rel.reltype == RT.THEME:
            master.drop_rel(rId)
    if instead is not None:
        master.relate_to(instead, RT.THEME, is_external=True)
    prs.save(path)
    return path


def bad_slide_size(path: Path, width: str = "abc") -> Path:
    """The slide size ``<p:sldSz cx="abc">``."""
    prs = Presentation()
    prs.part._element.find(qn("p:sldSz")).set("cx", width)
    prs.save(path)
    return path


def with_picture(path: Path, side: int = 400) -> Path:
    """The default template with a picture of ``side`` × ``side`` pixels of noise (which does not
    compress: some 3 bytes a pixel) embedded on its master: every deck made from it holds it,
    and no brief does."""
    import os

    from PIL import Image

    picture = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(picture, "PNG")
    picture.seek(0)
    prs = Presentation()
    master = prs.slide_master
    _, rId = master.part.get_or_add_image_part(picture)
    element = etree.fromstring(
        f'<p:pic xmlns:p="{_NS["p"]}" xmlns:a="{_NS["a"]}" xmlns:r="{_NS["r"]}">'
        '<p:nvPicPr><p:cNvPr id="91" name="Noise"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr>'
        f'<p:blipFill><a:blip r:embed="{rId}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
        '<p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="457200" cy="457200"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>')
    master.shapes._spTree.append(element)
    prs.save(path)
    return path
