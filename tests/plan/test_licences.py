"""Every licence worded right, everywhere it is shown: the cover, the footers, the credits page
and slide. A known id needs nothing else, and no output shows a raw id."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from reportgen.build import build
from reportgen.plan.brief import plan_brief
from reportgen.plan.deck import plan_deck
from reportgen.plan.shared import first_published, plain
from reportgen.read.loader import load_outline
from tests.conftest import VALID

CASES = {
    "public-domain": ("Public domain", "This brief is in the public domain.", "Public domain"),
    "us-government-work": (
        "Public domain: a work of the United States Government",
        "A work of the United States Government, not subject to copyright in the United States.",
        "Public domain",
    ),
    "CC0-1.0": ("Public domain (CC0 1.0)",
                "This brief is dedicated to the public domain under CC0 1.0 Universal (CC0 1.0).", "CC0 1.0"),
    "all-rights-reserved": ("© 2025 Ann Author. All rights reserved", "© 2025 Ann Author. All rights reserved.",
                            "© 2025 Ann Author"),
    "cc-by-nc-sa-4.0": (
        "Published under CC BY-NC-SA 4.0",
        "This brief is published under the Creative Commons Attribution-NonCommercial-ShareAlike 4.0 "
        "International licence (CC BY-NC-SA 4.0).",
        "CC BY-NC-SA 4.0",
    ),
}


def _outline(project: Path, licence: str) -> Path:
    path = project / "o.yaml"
    path.write_text(VALID.replace("  id: CC-BY-4.0", licence))
    return path


@pytest.mark.parametrize("licence_id", list(CASES))
def test_a_known_licence_is_worded_for_its_kind_in_the_plans(project: Path, licence_id: str) -> None:
    notice, statement, mark = CASES[licence_id]
    loaded = load_outline(_outline(project, f"  id: {licence_id}"))
    brief = plan_brief(loaded.document, loaded.theme)
    assert brief.cover.notice == notice
    assert plain(brief.end.licence) == statement
    assert brief.licence_mark == mark
    deck = plan_deck(loaded.document, loaded.theme)
    assert deck.licence_mark == mark


def test_public_domain_builds_and_no_output_shows_the_raw_id(project: Path) -> None:
    loaded = load_outline(_outline(project, "  id: public-domain"))
    build(loaded, "o", ["pdf", "pptx"], project / "out")
    pdf = "\n".join(page.extract_text() for page in PdfReader(project / "out" / "o.pdf").pages)
    assert "public-domain" not in pdf
    assert pdf.count("Public domain") >= 3  # the cover, each page's footer, the credits page
    assert "This brief is in the public domain." in pdf
    with zipfile.ZipFile(project / "out" / "o.pptx") as deck:
        xml = "".join(deck.read(name).decode() for name in deck.namelist() if name.endswith(".xml"))
    assert "public-domain" not in xml
    assert "In the public domain:" in xml  # the credits slide, its URL printed
    assert "Public domain" in xml  # the footers


def test_a_licence_of_ones_own_needs_only_a_name_and_is_not_called_a_licence_twice(project: Path) -> None:
    loaded = load_outline(_outline(project, "  id: OGL-UK-3.0\n  name: Open Government Licence v3.0"))
    brief = plan_brief(loaded.document, loaded.theme)
    assert plain(brief.end.licence) == "This brief is published under the Open Government Licence v3.0."
    assert brief.licence_mark == "Open Government Licence v3.0"
    assert "OGL-UK-3.0" not in brief.cover.notice


def test_all_rights_reserved_names_the_publisher_or_the_given_holder(project: Path) -> None:
    (project / "o.yaml").write_text(VALID.replace("  id: CC-BY-4.0", "  id: all-rights-reserved")
                                    + "publisher: Example Institute\n")
    loaded = load_outline(project / "o.yaml")
    assert plan_brief(loaded.document, loaded.theme).licence_mark == "© 2025 Example Institute"
    (project / "o.yaml").write_text(VALID.replace("  id: CC-BY-4.0", "  id: all-rights-reserved\n  holder: Ann's Estate"))
    loaded = load_outline(project / "o.yaml")
    assert plan_brief(loaded.document, loaded.theme).licence_mark == "© 2025 Ann's Estate"


def test_the_source_line_names_title_and_publisher_and_prints_the_url(project: Path) -> None:
    (project / "o.yaml").write_text(VALID + "source:\n  publication: The Journal\n  title: The piece\n"
                                    "  url: https://example.org/piece\n")
    loaded = load_outline(project / "o.yaml")
    spans = first_published(loaded.document.source)
    assert plain(spans) == "First published as The piece by The Journal, https://example.org/piece."
    assert [s.text for s in spans if s.italic] == ["The piece"]


def test_the_suggested_citation_names_authors_year_title_publisher_and_doi(tmp_path: Path) -> None:
    from reportgen.plan.shared import suggested_citation

    outline = tmp_path / "assets"
    outline.mkdir()
    path = tmp_path / "o.yaml"
    path.write_text(VALID.replace("authors:\n  - name: Ann Author\n    bio: Ann writes.\n",
                                  "authors:\n  - name: Ann Author\n    bio: Ann writes.\n  - name: Bo Writer\n"
                                  "  - name: Cy Third\npublisher: The Institute\ndoi: 10.5555/brief.2025\n"),
                    encoding="utf-8")
    document = load_outline(path).document
    citation = suggested_citation(document)
    assert plain(citation) == ("Suggested citation: Ann Author, Bo Writer and Cy Third (2025). A brief. The Institute. "
                               "https://doi.org/10.5555/brief.2025.")
    assert [span.text for span in citation if span.italic] == ["A brief"]
    assert [span.href for span in citation if span.href] == ["https://doi.org/10.5555/brief.2025"]
    brief = plan_brief(document, load_outline(path).theme)
    assert brief.end.citation == citation
    deck = plan_deck(document, load_outline(path).theme)
    credits = next(slide for slide in deck.slides if slide.kind == "credits")
    assert any(plain(p.spans) == plain(citation) for shape in credits.shapes for p in getattr(shape, "paras", ()))


def test_a_doi_that_is_not_one_is_refused_at_its_line(tmp_path: Path) -> None:
    from reportgen.errors import OutlineError

    (tmp_path / "assets").mkdir()
    path = tmp_path / "o.yaml"
    path.write_text(VALID.replace("date: 2025-02-15\n", "date: 2025-02-15\ndoi: https://doi.org/10.1/x\n"),
                    encoding="utf-8")
    with pytest.raises(OutlineError) as caught:
        load_outline(path)
    assert str(caught.value).startswith(f"{path}:3:6: doi: expected a DOI such as 10.1234/abc.5678")
