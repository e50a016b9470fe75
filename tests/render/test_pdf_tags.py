"""The tagged brief (issue 18): for the shipped outlines in both built-in themes, a structure tree
a screen reader reads in order, the running head and foot as artifacts, pdfua's PDF/UA-1 checks
and avalpdf's score, a clean file (qpdf), and text that extracts with words whole."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from reportgen.model import Paragraph
from reportgen.plan.brief import plan_brief
from reportgen.read.loader import load_outline
from tests.conftest import REPO, need, run
from tests.render.pdf_structure import Element, Tagged, read
from tests.read.test_seed_fidelity import HEADINGS

TRILATERAL = REPO / "outlines" / "trilateral-alliance.yaml"
EXAMPLE = REPO / "outlines" / "example.yaml"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module", params=[(o, t) for o in (TRILATERAL, EXAMPLE) for t in ("policy", "lecture")],
                ids=lambda p: f"{p[0].stem}-{p[1]}")
def brief(request, tmp_path_factory) -> tuple[Path, Path, str]:
    outline, theme = request.param
    out = tmp_path_factory.mktemp(f"{outline.stem}-{theme}")
    result = run("build", str(outline), "--format", "pdf", "--theme", theme, "--out", str(out), cwd=REPO)
    assert result.code == 0, result.err
    return out / f"{outline.stem}.pdf", outline, theme


@pytest.fixture(scope="module")
def tags(brief) -> Tagged:
    return read(brief[0])


def letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def test_the_brief_is_marked_tagged_and_says_its_language_title_and_pdf_ua(brief) -> None:
    path, outline, _ = brief
    document = load_outline(outline).document
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root and root.MarkInfo.Marked is True
        assert str(root.Lang) == document.language
        assert root.ViewerPreferences.DisplayDocTitle is True
        for page in pdf.pages:
            assert page.obj.Tabs == pikepdf.Name.S and "/StructParents" in page.obj
        xmp = root.Metadata.read_bytes().decode()
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
        assert f"<dc:language><rdf:Bag><rdf:li>{document.language}</rdf:li>" in xmp
        assert document.title.replace("&", "&amp;") in xmp
        assert "<xmp:CreateDate>2000-01-01T00:00:00+00:00</xmp:CreateDate>" in xmp  # reportlab's invariant date
        assert pdf.check_pdf_syntax() == []  # qpdf --check, through pikepdf


def test_every_character_is_in_the_tree_or_an_artifact_and_the_running_head_and_foot_are_artifacts(brief, tags) -> None:
    path, outline, _ = brief
    assert tags.untagged_text == {}
    plan = plan_brief(load_outline(outline).document, _theme(brief))
    tagged = "".join(tags.text.values())
    pages = len(tags.pdf.pages)
    for page in range(2, pages + 1):
        assert plan.running_title in tags.artifact_text[page]
        assert f"Page {page} of {pages}" in tags.artifact_text[page]
    assert f"Page 2 of {pages}" not in tagged
    # and nothing else is an artifact: no content hidden from a screen reader (a block drawn
    # without its element would be marked an artifact by the post-pass, and fail here)
    for page, text in tags.artifact_text.items():
        for chrome in (plan.running_title, plan.date_line, plan.licence_mark, f"Page {page} of {pages}"):
            text = text.replace(chrome, "", 1)
        assert re.sub(r"[.\d\s]", "", text) == "", page  # what is left: the contents' dots and numbers
    assert " . . . " not in tagged  # the contents' leader dots
    # and what is in the tree is each element's own: a Document of elements, each MCID owned once
    (document,) = tags.root.kids
    assert document.role == "Document"
    owned = [c for e in document.walk() for c in e.kids if isinstance(c, tuple) and c[0] != "OBJR"]
    assert len(owned) == len(set(owned)) and set(tags.text) <= set(owned)


def _theme(brief):
    return load_outline(brief[1], theme=brief[2]).theme


def test_headings_follow_the_sections_and_the_bookmarks(brief, tags) -> None:
    path, outline, _ = brief
    document = load_outline(outline).document
    h1 = [tags.text_of(e) for e in tags.root.find("H1")]
    sections = [s.heading for s in document.sections if "pdf" not in s.skip]
    assert letters(h1[0]) == letters(document.title)  # the cover's title
    assert [letters(h) for h in h1[1:len(sections) + 1]] == [letters(s) for s in sections]
    assert [tags.text_of(e) for e in tags.root.find("H2")] == ["Contents"]
    with pikepdf.open(path) as pdf:
        outlines = [item.title for item in pdf.open_outline().root]
    assert outlines == [*sections, h1[-2], h1[-1]]


def test_the_body_paragraphs_are_p_elements_in_reading_order(brief, tags) -> None:
    document = load_outline(brief[1]).document  # (the trilateral's are the seed article's: test_seed_fidelity)
    paragraphs = [b.text.plain for s in document.sections if "pdf" not in s.skip for b in s.body if isinstance(b, Paragraph)]
    assert len(paragraphs) >= 5
    texts = [letters(tags.text_of(e)) for e in tags.root.find("P")]
    at = 0
    for paragraph in paragraphs:
        at = texts.index(letters(paragraph), at) + 1  # ValueError: missing, or out of order


def test_lists_tables_figures_quotes_asides_and_the_contents_have_their_roles(brief, tags) -> None:
    path, outline, _ = brief
    document = load_outline(outline).document
    root = tags.root
    assert tags.role_map == {"/Aside": "/Note"}
    asides = root.find("Aside")
    assert letters(tags.text_of(asides[0])).startswith("executivesummary")
    sections = [s for s in document.sections if "pdf" not in s.skip]
    assert len(asides) >= 1 + sum(1 for s in sections if s.key_points)
    for element in root.find("L"):
        assert element.kids and all(isinstance(k, Element) and k.role == "LI" for k in element.kids)
        for item in element.kids:
            assert [k.role for k in item.kids] in (["LBody"], ["Lbl", "LBody"])
    (toc,) = root.find("TOC")
    entries = [e for e in toc.kids if isinstance(e, Element)]
    assert all(e.role == "TOCI" for e in entries) and len(entries) == len(sections) + 2
    for entry in entries:  # each entry a link to its section: the text, the dots and the number
        (link,) = entry.kids
        assert link.role == "Link" and len([k for k in link.kids if isinstance(k, tuple) and k[0] == "OBJR"]) == 2
        for kind, annotation in (k for k in link.kids if isinstance(k, tuple) and k[0] == "OBJR"):
            assert str(annotation.Contents) == f"Go to {tags.text_of(link)}"
    if outline == EXAMPLE:
        figures = root.find("Figure")
        alts = [str(f.attrs["/Alt"]) for f in figures]
        assert document.cover.alt in alts and all(alts)
        for figure in figures:
            x0, y0, x1, y1 = (float(v) for v in figure.attrs["/A"].BBox)
            assert 0 <= x0 < x1 <= 596 and 0 <= y0 < y1 <= 842
        table = root.find("Table")[0]
        head, body = [k for k in table.kids if isinstance(k, Element) and k.role in ("THead", "TBody")]
        (header_row,) = head.kids
        assert all(c.role == "TH" and c.attrs["/A"].Scope == "/Column" for c in header_row.kids)
        assert [tags.text_of(c) for c in header_row.kids] == ["Year", "Trips per day", "Main measure"]
        assert all(len(r.kids) == 3 and {c.role for c in r.kids} == {"TD"} for r in body.kids)
        assert [k.role for k in root.find("LI")[-1].kids] == ["Lbl", "LBody"]
        assert len(root.find("BlockQuote")) == 2 and root.find("Caption") and root.find("Lbl")


def test_every_annotation_is_a_link_element_with_a_description(brief, tags) -> None:
    with pikepdf.open(brief[0]) as pdf:
        parents = dict(zip(*[iter(pdf.Root.StructTreeRoot.ParentTree.Nums)] * 2))
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                assert str(annotation.get("/Contents", "")).strip()
                element = parents[int(annotation.StructParent)]
                assert element.S == "/Link"
                assert any(k.get("/Type") == "/OBJR" and k.Obj.objgen == annotation.objgen
                           for k in (element.K if isinstance(element.K, pikepdf.Array) else [element.K])
                           if isinstance(k, pikepdf.Dictionary))


def test_pdfua_finds_no_error_and_avalpdf_scores_at_least_95(brief) -> None:
    path = brief[0]
    pdfua = shutil.which("pdfua") or str(BIN / "pdfua")
    avalpdf = shutil.which("avalpdf") or str(BIN / "avalpdf")
    need(Path(pdfua).exists() and Path(avalpdf).exists(), "pdfua and avalpdf: pip install -e '.[test]'")
    done = subprocess.run([pdfua, "check", "--format", "json", str(path)], capture_output=True, text=True, check=False)
    report = json.loads(done.stdout)
    assert report["summary"]["errors"] == 0, report["findings"]
    assert report["summary"]["warnings"] == 0, report["findings"]
    assert report["summary"]["rules_skipped"] == 0, report["skipped"]
    done = subprocess.run([avalpdf, "--show-validation", str(path)], capture_output=True, text=True, check=False)
    score = re.search(r"Weighted Accessibility Score: ([\d.]+)%", done.stdout)
    assert score and float(score.group(1)) >= 95, done.stdout[-2000:]


def _pdftotext(path: Path, plan, *mode: str) -> str:
    """The body's text, the running head and foot cropped away (pages 2 on: the cover has none)."""
    need(shutil.which("pdftotext") is not None, "pdftotext missing: apt-get install poppler-utils")
    width, height = plan.page_size
    top, bottom = plan.margins.top - 12, plan.margins.bottom - 14  # the rules under the head, above the foot
    crop = ["-x", "0", "-y", f"{top:.0f}", "-W", f"{width:.0f}", "-H", f"{height - top - bottom:.0f}"]
    done = subprocess.run(["pdftotext", *mode, "-f", "2", *crop, str(path), "-"], capture_output=True, text=True,
                          check=True)
    return done.stdout


def _joined(raw: str) -> str:
    """Lines joined as a reader joins them: after a soft hyphen (a break inside a word) or a
    hyphen, with nothing, the soft hyphen dropped; else with a space."""
    out = []
    for line in raw.replace("\f", "\n").splitlines():
        line = line.strip()
        if not line:
            continue
        out.append(line)
        out.append("" if line.endswith(("\xad", "-")) else " ")
    return "".join(out).replace("\xad", "")


def test_pdftotext_raw_gives_every_paragraph_of_the_article_verbatim_and_in_order(seed_text) -> None:
    from tests.read.test_seed_fidelity import norm

    for theme in ("policy", "lecture"):
        loaded = load_outline(TRILATERAL, theme=theme)
        plan = plan_brief(loaded.document, loaded.theme)
        out = REPO / "tests" / "results" / f"tagged-{theme}"
        result = run("build", str(TRILATERAL), "--format", "pdf", "--theme", theme, "--out", str(out), cwd=REPO)
        assert result.code == 0, result.err
        path = out / "trilateral-alliance.pdf"
        raw = _pdftotext(path, plan, "-raw")
        assert not re.search(r"Page \d+ of \d+", raw) and f"{plan.running_title} {plan.date_line}" not in raw
        text = _joined(raw)
        lines = [norm(line) for line in seed_text.splitlines() if line.strip()]
        bio = next(i for i, line in enumerate(lines) if line.startswith("Camilla Cavarape holds"))
        paragraphs = [line for line in lines[1:bio + 1] if line not in HEADINGS]  # the body and the bio
        assert len(paragraphs) == 21
        at, missing = 0, []
        for paragraph in paragraphs:
            found = text.find(paragraph, at)
            if found < 0:
                missing.append(paragraph[:60])
            else:
                at = found + len(paragraph)
        assert missing == [], theme
        assert "multi-domain" in text  # a real hyphen, broken at or not, stays
        # no name is hyphenated, and no word that has a hyphen of its own
        assert not re.search(r"(^|\s)[A-Z]\w*\xad$", raw, re.M), theme
        assert not re.search(r"\w-\w+\xad$", raw, re.M), theme
        # the default mode joins a line that ends in a hyphen and drops it: there, hyphens aside
        default = re.sub(r"\xad\s*", "", _pdftotext(path, plan))  # (a soft hyphen at a page's foot: \xad\n\f)
        flat = re.sub(r"\s+", " ", default).replace("-", "")
        at = 0
        for paragraph in paragraphs:
            at = flat.index(paragraph.replace("-", ""), at) + 1


def test_the_tagged_example_is_byte_identical_across_builds(tmp_path: Path) -> None:
    """The example has every kind of block, a cover photo, links: two builds, the same bytes."""
    built = []
    for name in ("one", "two"):
        result = run("build", str(EXAMPLE), "--format", "pdf", "--out", str(tmp_path / name), cwd=REPO)
        assert result.code == 0, result.err
        built.append((tmp_path / name / "example.pdf").read_bytes())
    assert built[0] == built[1]


def test_contents_longer_than_a_page_split_and_stay_one_toc(project: Path) -> None:
    """The heading kept with the contents (keepWithNext) must let go of them once platypus has
    kept the two together, through the tags' wrapper too: else the build never ends."""
    from tests.conftest import VALID

    (project / "o.yaml").write_text(VALID + "".join(
        f"  - heading: Section {n}\n    key_points: [Point {n}]\n    body: [Prose {n}.]\n" for n in range(2, 61)))
    result = run("build", "o.yaml", "--format", "pdf", "--out", "out", cwd=project)
    assert result.code == 0, result.err
    tagged = read(project / "out" / "o.pdf")
    (toc,) = tagged.root.find("TOC")
    entries = [tagged.text_of(e) for e in toc.kids]
    assert entries[:2] == ["First", "Section 2"] and entries[-3] == "Section 60" and len(entries) == 62
    assert len({p for e in toc.walk() for p, _ in e.contents()}) == 2  # the contents take two pages, one TOC
