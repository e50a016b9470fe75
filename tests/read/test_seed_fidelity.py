"""The trilateral outline carries the seed article faithfully: every paragraph, in order, word for word.

The seed (``../shared/seed/trilateral-alliance-article.txt``) is the article as published: its
first line is the cover photo's caption, then the article with its section headings, the author
bio, the licence credit and the cover credit; the lines after that are teasers of other articles.
"""

from __future__ import annotations

import re

import pytest

from reportgen.model import Document, Paragraph
from reportgen.read.loader import load_outline
from tests.conftest import REPO

HEADINGS = [
    "Political shifts weaken trilateral cooperation",
    "The importance of stability",
    "North Korea and China add to security concerns",
    "Wounds from the past",
    "China’s rising shadow weakens trilateral unity",
    "Prospects with Trump in power",
    "The need for strong alliances",
]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def document() -> Document:
    return load_outline(REPO / "outlines" / "trilateral-alliance.yaml").document


@pytest.fixture
def article(seed_text: str) -> dict:
    lines = [norm(line) for line in seed_text.splitlines() if line.strip()]
    bio_at = next(i for i, line in enumerate(lines) if line.startswith("Camilla Cavarape holds"))
    body = lines[1:bio_at]
    return {
        "paragraphs": [line for line in body if line not in HEADINGS],
        "headings": [line for line in body if line in HEADINGS],
        "bio": lines[bio_at],
        "licence": lines[bio_at + 1],
        "cover": lines[bio_at + 2],
    }


def test_every_body_paragraph_is_in_the_model_in_order_word_for_word(document: Document, article: dict) -> None:
    in_model = [norm(p.text.plain) for s in document.sections for p in s.body if isinstance(p, Paragraph)]
    assert in_model == article["paragraphs"]
    assert len(in_model) == 20


def test_the_sections_are_the_introduction_and_the_articles_headings(document: Document, article: dict) -> None:
    assert article["headings"] == HEADINGS
    assert [s.heading for s in document.sections] == ["Introduction", *HEADINGS]
    assert [len(s.paragraphs()) for s in document.sections] == [2, 2, 3, 2, 2, 3, 4, 2]


def test_the_author_bio_and_the_credits_are_carried(document: Document, article: dict) -> None:
    assert document.title == "Cracks in the trilateral: Japan, South Korea and the US under Trump"
    (author,) = document.authors
    assert author.name == "Camilla Cavarape"
    assert norm(" ".join(p.plain for p in author.bio)) == article["bio"]
    assert document.licence.attribution.plain == article["licence"] == "Originally published under Creative Commons by 360info™."
    cover = document.cover
    assert cover is not None and cover.caption == "Japan-South Korea summit meeting in 2024"
    assert cover.source_url == "https://commons.wikimedia.org/wiki/File:Japan-South_Korea_summit_meeting_(2024).jpg"
    assert cover.licence == "CC BY 4.0"
    assert f"{cover.caption}, available at {cover.source_url} Credits {cover.licence}" in article["cover"]
    assert [c.subject for c in document.credits] == ["Cover photo: Japan-South Korea summit meeting in 2024"]


def test_every_section_has_three_to_five_key_points(document: Document) -> None:
    assert all(3 <= len(s.key_points) <= 5 for s in document.sections)


def test_the_timeline_names_the_articles_dated_events_in_order(document: Document) -> None:
    from reportgen.model import Timeline

    (timeline,) = [b for s in document.sections for b in s.body if isinstance(b, Timeline)]
    whens = [e.when for e in timeline.events]
    assert whens[0] == "Summer 2023" and whens[-1] == "15 February 2025"
    assert {"October 2024", "November 2024"} <= set(whens)
    assert any("martial law" in e.text.plain for e in timeline.events)
