"""Read an institution's .pptx template with python-pptx into a :class:`reportgen.plan.template.Template`:
its slide size, every layout of every master with its placeholders (type, index, name, where),
its theme fonts and how many sample slides it holds. ``reportgen templates inspect`` prints it.

A template is untrusted input, so it is bounded before python-pptx reads it (:func:`_bounded_copy`:
its size on disk, its members' number, their declared sizes together, its XML's, and each one's
compression ratio, then each member read in small pieces that may not outgrow its declared size),
and what python-pptx opens is checked: a slide master, a theme for each master, a slide size
PowerPoint accepts, a bounded number of shapes on its masters and layouts. Its external
relationships (linked pictures, hyperlinks, UNC and ``file:`` targets) are removed from its
members before python-pptx reads them, and named in a warning (:attr:`Template.external`).
docs/limits.md lists the limits with the errors they give.
"""

from __future__ import annotations

import gc
import io
import zipfile
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.exc import PackageNotFoundError
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu

from reportgen.errors import OutlineError, Problem, ReportgenError, key_path
from reportgen.plan.template import USED_FOR, Layout, LayoutError, Placeholder, Template, choose_layouts

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True)
"""A template is untrusted input: no entity in it is expanded (python-pptx parses the same way),
so one naming a file (``<!ENTITY x SYSTEM "file:///etc/passwd">``) reads nothing."""

MAX_TEMPLATE_BYTES = 64 * 1024 * 1024
"""A template's members together, uncompressed, hold at most 64 MiB; so does the file. Real
templates hold a few MB (a master, a dozen layouts, a theme, a logo or two)."""
MAX_XML_BYTES = 16 * 1024 * 1024
"""The XML parts (``.xml``, ``.rels``) together hold at most 16 MiB: python-pptx parses every one
when it opens the file, at up to 25 bytes of memory a byte for markup made dense on purpose."""
MAX_SHAPES = 10_000
"""The masters and layouts together hold at most 10,000 shapes (PowerPoint's own hold a few
each): python-pptx looks at every one, some 15 µs each, to find the placeholders."""
MAX_MEMBERS = 10_000
"""A template holds at most 10,000 members."""
MAX_RATIO = 200
"""A member of more than :data:`RATIO_FROM` bytes is at most 200 times its compressed size (XML
deflates about 10:1, pictures hardly at all; a run of zeros 1,000:1)."""
RATIO_FROM = 1024 * 1024
_PIECE = 1 << 16
"""Members are inflated 64 KiB at a time (:func:`_read_bounded`)."""
_SLIDE_SIZES = range(914400, 51206400 + 1)
"""The slide sizes PowerPoint accepts (ST_SlideSizeCoordinate): 1 to 56 inches, in EMU."""


class TemplateError(ReportgenError):
    """A template that cannot be used: ``path: reason``. Reported at the outline's
    ``pptx_template`` when the outline named it (:func:`template_layouts`)."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"{path}: {reason}")


class _Package(io.BytesIO):
    """A template's members, checked and copied into memory: what python-pptx opens. Named by the
    template's path in python-pptx's messages; ``external`` names the links removed from it."""

    def __init__(self, data: bytes, path: Path, external: tuple[str, ...]):
        super().__init__(data)
        self.path, self.external = path, external

    def __str__(self) -> str:
        return str(self.path)


def _bounded_copy(path: Path) -> _Package:
    """The template's members, bounded before anything is inflated (:data:`MAX_TEMPLATE_BYTES`,
    :data:`MAX_XML_BYTES`, :data:`MAX_MEMBERS`, :data:`MAX_RATIO`), then read 64 KiB at a
    time, each no further than the size it declares (:func:`_read_bounded`), into a zip held in
    memory (stored, not compressed again). What python-pptx reads is what was checked, even if
    the file changes meanwhile."""
    size = path.stat().st_size
    if size > MAX_TEMPLATE_BYTES:
        raise TemplateError(path, f"the file is {size:,} bytes; a template may be at most {MAX_TEMPLATE_BYTES:,}")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_declared(path, members)
            contents = {member.filename: _read_bounded(archive, member) for member in members}
        external = _strip_external(contents)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError, ValueError,
            etree.XMLSyntaxError) as err:
        # a damaged member (a bad CRC, data that ends early), a compression method zipfile lacks
        # (NotImplementedError), an encrypted member (RuntimeError), a relationships file lxml cannot parse
        raise TemplateError(path, f"not a PowerPoint .pptx file that can be read ({type(err).__name__}: {err})") from None
    copy = io.BytesIO()
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as target:
        for name, data in contents.items():
            target.writestr(name, data)
    return _Package(copy.getvalue(), path, external)


def _check_declared(path: Path, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise TemplateError(path, f"it holds {len(members):,} members; a template may hold at most {MAX_MEMBERS:,}")
    total = sum(member.file_size for member in members)
    if total > MAX_TEMPLATE_BYTES:
        raise TemplateError(path, f"its members hold {total:,} bytes uncompressed; a template may hold at most "
                                  f"{MAX_TEMPLATE_BYTES:,}")
    names = set()
    for member in members:
        if member.filename in names:
            raise TemplateError(path, f"it holds two members named {member.filename!r}")
        names.add(member.filename)
        if member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise TemplateError(path, f"{member.filename} inflates {member.compress_size:,} bytes to "
                                      f"{member.file_size:,}; a template's members are compressed at most "
                                      f"{MAX_RATIO}:1 (a zip bomb?)")
    xml = sum(member.file_size for member in members if member.filename.endswith((".xml", ".rels")))
    if xml > MAX_XML_BYTES:
        raise TemplateError(path, f"its XML parts hold {xml:,} bytes uncompressed; a template's XML may hold at most "
                                  f"{MAX_XML_BYTES:,} in all")


def _read_bounded(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """The member's bytes, inflated 64 KiB at a time. zipfile stops a member at the size it
    declares (and then checks its CRC), so a header that understates the size costs one piece
    more, not the gigabytes its data would inflate to: ``ZipFile.read``, as python-pptx reads,
    inflates all of a member's compressed data in one call before it cuts the result short."""
    with archive.open(member) as stream:
        return b"".join(iter(lambda: stream.read(_PIECE), b""))


def open_template(path: Path):
    """The template as a python-pptx Presentation, or a one-line error (:class:`TemplateError`)
    saying why it is not one; and the external relationships removed from it (see
    :func:`_strip_external`)."""
    path = Path(path)
    if not zipfile.is_zipfile(path):
        raise TemplateError(path, "not a PowerPoint .pptx file (a .pptx is a zip archive; this is not one)")
    package = _bounded_copy(path)
    try:
        prs = Presentation(package)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as err:
        raise TemplateError(path, f"not a PowerPoint .pptx file that can be read ({type(err).__name__}: {err})") from None
    _check_structure(prs, path)
    return prs, package.external


def _check_structure(prs, path: Path) -> None:
    """A slide master (the layouts belong to one), a theme for each master (its colours and
    fonts), and a slide size PowerPoint accepts: what every deck is made from; and no more
    shapes on the masters and layouts than :data:`MAX_SHAPES`, counted in lxml before python-pptx
    looks at each one."""
    masters = list(prs.slide_masters)
    if not masters:
        raise TemplateError(path, "it has no slide master, so no layout to make slides from; "
                                  "save it again from PowerPoint (View > Slide Master)")
    trees = [master.element.cSld.spTree for master in masters]
    trees += [layout.element.cSld.spTree for master in masters for layout in master.slide_layouts]
    shapes = sum(int(_SHAPES(tree)) for tree in trees)
    if shapes > MAX_SHAPES:
        raise TemplateError(path, f"its masters and layouts hold {shapes:,} shapes; a template's may hold at most "
                                  f"{MAX_SHAPES:,} in all")
    for number, master in enumerate(masters, 1):
        themes = [rel for rel in master.part.rels.values() if rel.reltype == RT.THEME]
        if len(themes) != 1:
            name = f" {master.name!r}" if master.name else ""
            raise TemplateError(path, f"its slide master {number}{name} has {'no' if not themes else len(themes)} "
                                      "theme (the colours and fonts); a master has exactly one")
    size = prs.element.find(qn("p:sldSz"))
    given = (size.get("cx"), size.get("cy")) if size is not None else (None, None)
    if not all(value is not None and value.isdigit() and int(value) in _SLIDE_SIZES for value in given):
        written = "none" if size is None else f"{given[0]!r} x {given[1]!r} EMU"
        raise TemplateError(path, f"its slide size ({written}) is not one PowerPoint accepts: "
                                  "from 914,400 to 51,206,400 EMU (1 to 56 inches) each way")


_P = {"p": "http://schemas.openxmlformats.org/presentationml/2006/main"}
_SHAPES = etree.XPath("count(p:sp | p:grpSp | p:graphicFrame | p:cxnSp | p:pic | p:contentPart)", namespaces=_P)
"""How many shapes a shape tree holds (python-pptx's shape tags), counted by lxml."""
_REFERENCES = etree.XPath(".//@*[namespace-uri() = $ns and . = $rid]")
"""The attributes that name relationship ``rid`` (``r:id``, ``r:link``, ``r:embed``, ...)."""


_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True)
_EXTERNAL = etree.XPath("/*/*[@TargetMode='External']")


def _strip_external(contents: dict[str, bytes]) -> tuple[str, ...]:
    """Remove every external relationship from the template's members (a picture linked rather
    than embedded, a hyperlink, an OLE link: ``TargetMode="External"``, whatever its target, a
    UNC path ``\\\\host\\share`` or a ``file:`` URL among them), and what refers to it in the
    part's XML: a hyperlink element, a picture's ``r:link``, any other element naming it.
    PowerPoint fetches such targets when the deck opens, and a UNC path hands the reader's
    credentials to that host. Done on the zip's members, before python-pptx reads them; each
    removed one is named as ``'target' (in part)``."""
    removed = []
    for name in [name for name in contents if name.endswith(".rels")]:
        root = etree.fromstring(contents[name], _SAFE_XML)
        links = _EXTERNAL(root)
        if not links:
            continue
        folder, _, file = name.rpartition("_rels/")
        source = folder + file.removesuffix(".rels")  # _rels/.rels: the package's own
        for link in links:
            removed.append(f"'{link.get('Target')}' (in {source or '_rels/.rels'})")
            root.remove(link)
        contents[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        if source in contents:
            part = etree.fromstring(contents[source], _SAFE_XML)
            for link in links:
                for found in _REFERENCES(part, ns=_R, rid=link.get("Id")):
                    element = found.getparent()
                    if element.tag == qn("a:blip") or element.getparent() is None:
                        del element.attrib[found.attrname]  # the picture keeps what it embeds, if anything
                    else:
                        element.getparent().remove(element)
            contents[source] = etree.tostring(part, xml_declaration=True, encoding="UTF-8", standalone=True)
    return tuple(removed)


def read_template(path: Path) -> Template:
    prs, external = open_template(path)
    template = _template_of(prs, Path(path), external)
    # python-pptx's parts and package refer to each other, so only the cycle collector frees the
    # presentation, and a build opens the template again to make the deck: collected now, so that
    # the template's XML is held once, not twice.
    del prs
    gc.collect()
    return template


def _template_of(prs, path: Path, external: tuple[str, ...]) -> Template:
    layouts = []
    index = 0
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            placeholders = []
            for shape in layout.placeholders:
                ph = shape.element.ph
                placeholders.append(Placeholder(
                    type=ph.get("type", "obj"), idx=int(ph.get("idx", "0")), name=shape.name,
                    x=_pt(shape.left), y=_pt(shape.top), w=_pt(shape.width), h=_pt(shape.height),
                    vertical=ph.get("orient") == "vert" or _vertical_text(shape),
                    caps=_capitals(shape, master),
                ))
            layouts.append(Layout(index, layout.name, tuple(placeholders)))
            index += 1
    try:
        heading, body = _theme_fonts(prs)
    except etree.XMLSyntaxError as err:
        raise TemplateError(path, f"its theme is not XML reportgen reads ({err})") from None
    return Template(path, _pt(prs.slide_width), _pt(prs.slide_height), tuple(layouts), heading, body,
                    len(prs.slides), external)


def _pt(length) -> float:
    return round(Emu(length or 0).pt, 2)


def _vertical_text(shape) -> bool:
    body = shape.element.find(f".//{{{_A}}}bodyPr")
    return body is not None and body.get("vert", "horz") not in ("horz",)


def _capitals(shape, master) -> bool:
    """Whether the placeholder's first-level text is in capitals: the first ``cap`` found in its
    layout's list style, its master placeholder's, then the master's title or body style."""
    title = shape.element.ph.get("type") in ("title", "ctrTitle")
    chain = [shape.element]
    for candidate in master.placeholders:
        if (candidate.element.ph.get("type") in ("title", "ctrTitle")) == title:
            chain.append(candidate.element)
            break
    for element in chain:
        found = element.find(f"./{{*}}txBody/{{{_A}}}lstStyle/{{{_A}}}lvl1pPr/{{{_A}}}defRPr")
        if found is not None and found.get("cap"):
            return found.get("cap") == "all"
    styles = master.element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}txStyles")
    if styles is not None:
        name = "titleStyle" if title else "bodyStyle"
        found = styles.find(f"{{*}}{name}/{{{_A}}}lvl1pPr/{{{_A}}}defRPr")
        if found is not None and found.get("cap"):
            return found.get("cap") == "all"
    return False


def _theme_fonts(prs) -> tuple[str, str]:
    """The theme's major and minor Latin typefaces (what ``+mj-lt`` and ``+mn-lt`` stand for)."""
    theme = etree.fromstring(prs.slide_master.part.part_related_by(RT.THEME).blob, SAFE_XML)
    found = []
    for which in ("majorFont", "minorFont"):
        latin = theme.find(f".//{{{_A}}}fontScheme/{{{_A}}}{which}/{{{_A}}}latin")
        found.append(latin.get("typeface", "") if latin is not None else "")
    return found[0], found[1]


def describe(template: Template) -> str:
    """What ``reportgen templates inspect`` prints: each layout and its placeholders, and which
    layout reportgen would use for each kind of slide."""
    lines = [f"{template.path}: {template.width:g} x {template.height:g} pt, "
             f"{len(template.layouts)} layout{'s' if len(template.layouts) != 1 else ''}, "
             f"{template.sample_slides} sample slide{'s' if template.sample_slides != 1 else ''} (removed when building)",
             f"theme fonts: headings {template.heading_font or '(none)'}, body {template.body_font or '(none)'}", ""]
    for layout in template.layouts:
        lines.append(f"layout {layout.number}: {layout.name!r}")
        for p in layout.placeholders:
            lines.append(f"    {p.type:<9} idx {p.idx:<3} {p.name!r:<32} at ({p.x:g}, {p.y:g}) pt, "
                         f"{p.w:g} x {p.h:g} pt{', vertical' if p.vertical else ''}")
        if not layout.placeholders:
            lines.append("    (no placeholders)")
    if template.external:
        lines.append(f"external links (removed when building): {', '.join(template.external)}")
    lines.append("")
    try:
        chosen = choose_layouts(template)
    except ValueError as err:
        lines.append(f"without a mapping: {err}")
    else:
        lines.append("used without a mapping (change with pptx_template.layouts in the outline):")
        lines += [f"    {kind + ':':<12} {layout.name!r:<28} for {USED_FOR[kind]}" for kind, layout in chosen.items()]
    return "\n".join(lines)


def template_layouts(loaded) -> tuple[Template, dict[str, Layout]] | None:
    """The deck's template (``loaded.template``) and the layout for each kind of slide, or None
    when the deck has no template. A wrong ``pptx_template.layouts`` entry is an OutlineError at
    its line, naming the template's layouts; a template that cannot be used is one at the
    outline's ``pptx_template`` when the outline named it (see :func:`named_at`)."""
    if loaded.template is None:
        return None
    try:
        template = read_template(loaded.template)
    except TemplateError as err:
        named = named_at(loaded)
        if named is None:
            raise
        raise OutlineError([Problem.at(*named, str(err))]) from None
    document = loaded.document
    mapping = dict(document.pptx_template.layouts) if document.pptx_template else {}
    try:
        return template, choose_layouts(template, mapping)
    except LayoutError as err:
        key = ("pptx_template", "layouts", err.kind) if err.kind in mapping else ("pptx_template",)
        where = loaded.where(*key) if document.pptx_template else (str(loaded.template), None, None)
        raise OutlineError([Problem.at(where, ".".join(map(str, key)), str(err))]) from None


def named_at(loaded) -> tuple[tuple[str, int | None, int | None], str] | None:
    """Where the outline named its template (``pptx_template:`` or ``pptx_template.file:``)
    and that key, when the template used is the outline's; None when it came from
    ``--pptx-template`` or the theme (the message names the file then)."""
    chosen = loaded.document.pptx_template
    if chosen is None or Path(chosen.file) != Path(loaded.template):
        return None
    key = ("pptx_template", "file") if ("pptx_template", "file") in (loaded.positions or {}) else ("pptx_template",)
    return loaded.where(*key), key_path(key)


MAX_NAMED = 10
"""A warning names at most this many removed links, then says how many more."""


def template_warnings(template: Template, loaded=None) -> list[Problem]:
    """The warning for a template's removed external links (:attr:`Template.external`), at the
    outline's ``pptx_template`` when ``loaded`` named it, else on the template's path."""
    if not template.external:
        return []
    named = ", ".join(template.external[:MAX_NAMED])
    more = len(template.external) - MAX_NAMED
    message = (f"{len(template.external)} external link{'s' if len(template.external) != 1 else ''} removed, "
               f"which a deck must not fetch when it opens: {named}" + (f" and {more} more" if more > 0 else ""))
    located = named_at(loaded) if loaded is not None else None
    if located is None:
        return [Problem(str(template.path), None, None, "", message, warning=True)]
    return [Problem(*located[0], located[1], f"{template.path}: {message}", warning=True)]
