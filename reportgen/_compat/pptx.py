"""Fast routes through python-pptx 1.0.2's internals, for decks of thousands of slides.

Each function returns None (or False) where its patch does not apply, and the deck's renderer
(:mod:`reportgen.render.pptx_deck`) then takes python-pptx's public API: the same package, only
slower. Each makes the XML and part names python-pptx 1.0.2 itself makes, so the file is the
same byte for byte either way (tests/test_compat.py builds decks both ways and compares).

- ``pptx-bookkeeping`` (:func:`linear_bookkeeping`): python-pptx walks the whole package graph
  to name each new part and image, and scans the presentation's relationships to relate each
  new slide (python-pptx issue #644), so a deck costs time quadratic in its slides.
- ``pptx-slide-copies`` (:class:`SlideCopies`): each slide and notes slide after the first a
  deep copy of the first, instead of cloning layout placeholders with XPath searches.
- ``pptx-serialize-early`` (:func:`serialize_now`): a finished slide's XML serialized and its
  tree let go, instead of 10,000 trees alive until a 5,000-slide deck is written.
- ``pptx-zip-once`` (:func:`zip_once`): the package zipped once with fixed dates, instead of
  saved by python-pptx and then rewritten.
"""

from __future__ import annotations

import bisect
import copy
import io
import zipfile
from typing import Any

from reportgen._compat import exact


def linear_bookkeeping(prs) -> bool:
    """Make python-pptx's bookkeeping of ``prs``'s parts linear in the number of slides, same names.

    python-pptx (1.0.2) walks the whole package graph (``OpcPackage.iter_parts``) to name each
    new part (``next_partname``: every slide's notes slide), to name and to find each image
    (``next_image_partname``, ``_find_by_sha1``: every picture), and scans all of the
    presentation part's relationships to relate each new slide (``_get_matching``).

    Here the same answers come from sets and indexes made by one walk and kept up to date: these
    instance attributes shadow the methods of this one package and presentation part. The names
    chosen are the ones python-pptx would choose, because a deck only ever adds parts and
    relationships, and every name handed out is used at once (for the part being created).
    False (nothing done) where the patch does not apply.
    """
    if not exact("pptx-bookkeeping"):
        return False
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.packuri import PackURI
    from pptx.parts.image import Image as PptxImage
    from pptx.parts.image import ImagePart

    package = prs.part.package
    taken: dict[str, set[str]] = {}  # a partname prefix → the partnames in use under it

    def next_partname(tmpl: str) -> PackURI:
        prefix = tmpl[: (tmpl % 42).find("42")]
        names = taken.get(prefix)
        if names is None:
            names = taken[prefix] = {p.partname for p in package.iter_parts() if p.partname.startswith(prefix)}
        for n in range(len(names) + 1, 0, -1):  # as OpcPackage.next_partname: the highest free n ≤ len + 1
            candidate = tmpl % n
            if candidate not in names:
                names.add(candidate)
                return PackURI(candidate)
        raise AssertionError("no free partname")  # pragma: no cover - len + 1 names cannot all be taken

    image_numbers: list[int] = []  # the numbers of /ppt/media/imageN.*, sorted
    images: dict[str, ImagePart] = {}  # SHA1 of the image → its part
    walked = False

    def walk_images() -> None:
        nonlocal walked
        if walked:
            return
        seen = set()
        for rel in package.iter_rels():  # the walk iter_parts and _ImageParts make
            if rel.is_external:
                continue
            part = rel.target_part
            if rel.reltype == RT.IMAGE and hasattr(part, "sha1"):
                images.setdefault(part.sha1, part)  # the first found, as _find_by_sha1
            if part not in seen:
                seen.add(part)
                if part.partname.startswith("/ppt/media/image") and part.partname.idx is not None:
                    image_numbers.append(part.partname.idx)
        image_numbers.sort()
        walked = True

    def next_image_partname(ext: str) -> PackURI:
        walk_images()
        number = next((i for i, n in enumerate(image_numbers, 1) if i < n), len(image_numbers) + 1)
        bisect.insort(image_numbers, number)  # as Package.next_image_partname: the first free number
        return PackURI(f"/ppt/media/image{number}.{ext}")

    def get_or_add_image_part(image_file) -> ImagePart:
        walk_images()
        image = PptxImage.from_file(image_file)
        part = images.get(image.sha1)
        if part is None:
            part = images[image.sha1] = ImagePart.new(package, image)
        return part

    package.next_partname = next_partname
    package.next_image_partname = next_image_partname
    package.get_or_add_image_part = get_or_add_image_part

    rels = prs.part.rels  # the presentation part's: one relationship per slide
    matching: dict[tuple[str, bool, object], str] = {}
    for rel in rels.values():
        key = (rel.reltype, rel.is_external, rel.target_ref if rel.is_external else rel.target_part)
        matching.setdefault(key, rel.rId)
    add_relationship = rels._add_relationship

    def get_matching(reltype: str, target, is_external: bool = False) -> str | None:
        return matching.get((reltype, is_external, target))

    def add_and_index(reltype: str, target, is_external: bool = False) -> str:
        rId = add_relationship(reltype, target, is_external)
        matching.setdefault((reltype, is_external, target), rId)
        return rId

    rels._get_matching = get_matching
    rels._add_relationship = add_and_index
    return True


class SlideCopies:
    """New slides and their notes slides, each after the first a copy of the first.

    python-pptx builds each slide by cloning its layout's placeholders, and each notes slide by
    cloning the notes master's, and numbers each slide by reading every slide id. That makes the
    same XML every time. Here every slide after the first is a deep copy of the first as it was
    before anything was written on it, related to the same parts in the same order as
    ``Slides.add_slide`` and ``SlidePart.notes_slide`` would relate it. Get one with
    :meth:`for_deck` (None where the patch does not apply); the first slide and notes slide
    are made by python-pptx and handed to :meth:`first_slide` and :meth:`first_notes`.
    """

    def __init__(self, prs, layout):
        self.prs, self.layout = prs, layout
        self.slide_template = self.notes_template = None
        self.next_id = 0
        self.title_path: list[int] = []
        self.notes_body_path: list[int] = []

    @classmethod
    def for_deck(cls, prs, layout) -> SlideCopies | None:
        return cls(prs, layout) if exact("pptx-slide-copies") else None

    def first_slide(self, slide, title) -> None:
        """Remember the first slide (made by python-pptx, nothing written on it) and its title element."""
        self.slide_template = copy.deepcopy(slide.element)
        ids = self.prs.part._element.get_or_add_sldIdLst().xpath("./p:sldId/@id")
        self.next_id = max([255] + [int(i) for i in ids]) + 1  # as CT_SlideIdList._next_id
        self.title_path = _path(title, slide.element)

    def new_slide(self):
        """A copy of the first slide, or None before there is one."""
        if self.slide_template is None:
            return None
        from pptx.opc.constants import CONTENT_TYPE as CT
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT
        from pptx.opc.packuri import PackURI
        from pptx.parts.slide import SlidePart

        presentation_part = self.prs.part
        ids = presentation_part._element.get_or_add_sldIdLst()
        partname = PackURI("/ppt/slides/slide%d.xml" % (len(ids) + 1))  # as PresentationPart.add_slide
        slide_part = SlidePart(partname, CT.PML_SLIDE, presentation_part.package, copy.deepcopy(self.slide_template))
        slide_part.relate_to(self.layout.part, RT.SLIDE_LAYOUT)
        ids._add_sldId(id=self.next_id, rId=presentation_part.relate_to(slide_part, RT.SLIDE))
        self.next_id += 1
        return slide_part.slide

    def title(self, slide):
        """The copied slide's title element (where the first slide's was), or None before there is one."""
        return _follow(slide.element, self.title_path) if self.slide_template is not None else None

    def first_notes(self, notes_slide, body) -> None:
        """Remember the first notes slide (made by python-pptx, still empty) and its notes body."""
        self.notes_template = copy.deepcopy(notes_slide.element)
        self.notes_body_path = _path(body, notes_slide.element)

    def notes_body(self, slide):
        """A new notes slide for ``slide``, copied from the first: its notes body, or None before there is one."""
        if self.notes_template is None:
            return None
        from pptx.opc.constants import CONTENT_TYPE as CT
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT
        from pptx.parts.slide import NotesSlidePart

        slide_part = slide.part
        package = slide_part.package
        element = copy.deepcopy(self.notes_template)
        notes_part = NotesSlidePart(package.next_partname("/ppt/notesSlides/notesSlide%d.xml"), CT.PML_NOTES_SLIDE,
                                    package, element)
        notes_part.relate_to(package.presentation_part.notes_master_part, RT.NOTES_MASTER)
        notes_part.relate_to(slide_part, RT.SLIDE)
        slide_part.relate_to(notes_part, RT.NOTES_SLIDE)
        return _follow(element, self.notes_body_path)


def _path(element, root) -> list[int]:
    """The child indexes that lead from ``root`` down to ``element``."""
    path: list[int] = []
    while element is not root:
        path.insert(0, element.getparent().index(element))
        element = element.getparent()
    return path


def _follow(element, path: list[int]):
    for index in path:
        element = element[index]
    return element


def serialize_now(part) -> bool:
    """Serialize a finished slide or notes slide now and let its element tree go; False where the
    patch does not apply. Nothing changes a slide once its notes are written, so its bytes are
    the ones ``XmlPart.blob`` would give when the package is saved.

    The slide's proxy (``part.slide``) is let go by the part, and its cached ``shapes`` and
    ``placeholders`` (lazyproperties, kept in its ``__dict__``) by the proxy: each of those holds
    the proxy as its parent, a reference cycle that only the cyclic collector would free, so the
    tree the proxy holds would outlive the slide until a full collection (a long deck's process
    kept every filled slide's tree: docs/performance.md). Once the caller drops the proxy, the
    tree is freed at once."""
    if not exact("pptx-serialize-early"):
        return False
    part._serialized = part.blob
    part.__class__ = _serialized_part_class()
    del part._element
    for name in ("slide", "notes_slide"):  # cached proxies that hold the tree
        proxy = part.__dict__.pop(name, None)
        if proxy is not None:
            for cached in ("shapes", "placeholders"):
                proxy.__dict__.pop(cached, None)
    return True


_SERIALIZED: list[type] = []


def _serialized_part_class() -> type:
    if not _SERIALIZED:
        from pptx.opc.package import XmlPart

        class SerializedPart(XmlPart):
            """A part whose XML was serialized when it was finished."""

            _serialized: bytes

            @property  # type: ignore[misc]  # read-only here: nothing writes a finished slide
            def blob(self) -> bytes:
                return self._serialized

        _SERIALIZED.append(SerializedPart)
    return _SERIALIZED[0]


def zip_once(prs) -> bytes | None:
    """The package as python-pptx's ``PackageWriter`` writes it (the same members in the same
    order), each member dated 1980-01-01 with mode 0644, written once; None where the patch does
    not apply (then the renderer saves with python-pptx and rewrites the zip with fixed dates)."""
    if not exact("pptx-zip-once"):
        return None
    from pptx.opc.serialized import PackageWriter

    package = prs.part.package
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        writer = PackageWriter(out, package._rels, tuple(package.iter_parts()))
        members: Any = _FixedDateMembers(target)  # what PackageWriter calls of its zip writer
        writer._write_content_types_stream(members)
        writer._write_pkg_rels(members)
        writer._write_parts(members)
    return out.getvalue()


class _FixedDateMembers:
    """The one method of python-pptx's zip writer that ``PackageWriter`` calls, with fixed dates."""

    def __init__(self, target: zipfile.ZipFile):
        self.target = target

    def write(self, pack_uri, blob: bytes) -> None:
        self.target.writestr(fixed_date(pack_uri.membername), blob)


def fixed_date(name: str) -> zipfile.ZipInfo:
    """A deflated zip member ``name`` dated 1980-01-01, mode 0644: its bytes depend on its content only."""
    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    return entry
