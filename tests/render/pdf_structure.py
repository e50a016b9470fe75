"""Reading a tagged PDF as a screen reader does: its structure tree, each element's text (from
the marked content it owns, by pdfplumber), what is left as artifacts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pikepdf


@dataclass
class Element:
    role: str
    attrs: dict
    kids: list = field(default_factory=list)
    """Elements, and (page number, MCID) pairs, and ("OBJR", annotation dictionary)."""
    page: int = 0

    def walk(self):
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.walk()

    def find(self, role: str) -> list[Element]:
        return [e for e in self.walk() if e.role == role]

    def contents(self) -> list[tuple[int, int]]:
        out = []
        for kid in self.kids:
            if isinstance(kid, Element):
                out += kid.contents()
            elif kid[0] != "OBJR":
                out.append(kid)
        return out


@dataclass
class Tagged:
    root: Element
    role_map: dict
    text: dict
    """(page number, MCID) → its text."""
    artifact_text: dict
    """Page number → the text drawn as artifacts."""
    untagged_text: dict
    """Page number → text drawn outside both."""
    pdf: pikepdf.Pdf

    def text_of(self, element: Element) -> str:
        return "".join(self.text.get(c, "") for c in element.contents())


def read(path: Path) -> Tagged:
    pdf = pikepdf.open(path)
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}
    tree = pdf.Root.StructTreeRoot
    role_map = {str(k): str(v) for k, v in tree.get("/RoleMap", {}).items()}

    def element(obj, inherited_page: int) -> Element:
        page = pages[obj.Pg.objgen] if "/Pg" in obj else inherited_page
        attrs = {str(k): obj[k] for k in obj.keys() if k not in ("/K", "/P", "/Pg", "/S", "/Type")}
        made = Element(str(obj.S)[1:], attrs, page=page)
        kids = obj.get("/K")
        if kids is None:
            kids = []
        elif not isinstance(kids, pikepdf.Array):
            kids = [kids]
        for kid in kids:
            if isinstance(kid, int):
                made.kids.append((page, int(kid)))
            elif kid.get("/Type") == "/MCR":
                made.kids.append((pages[kid.Pg.objgen], int(kid.MCID)))
            elif kid.get("/Type") == "/OBJR":
                made.kids.append(("OBJR", kid.Obj))
            else:
                made.kids.append(element(kid, page))
        return made

    kids = tree.K if isinstance(tree.K, pikepdf.Array) else [tree.K]
    root = Element("StructTreeRoot", {}, [element(k, 0) for k in kids])
    text: dict = {}
    artifacts: dict = {}
    untagged: dict = {}
    with pdfplumber.open(path) as plumbed:
        for page in plumbed.pages:
            for char in page.chars:
                mcid, tag = char.get("mcid"), char.get("tag")
                if mcid is not None:
                    key = (page.page_number, mcid)
                    text[key] = text.get(key, "") + char["text"]
                elif tag == "Artifact":
                    artifacts[page.page_number] = artifacts.get(page.page_number, "") + char["text"]
                else:
                    untagged[page.page_number] = untagged.get(page.page_number, "") + char["text"]
    return Tagged(root, role_map, text, artifacts, untagged, pdf)
