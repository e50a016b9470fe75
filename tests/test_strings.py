"""Strings are checked where they enter (reportgen.records), links are http(s) or mailto
(reportgen.model.inline.check_link), and no problem line echoes a control character."""

from __future__ import annotations

import pytest
from pydantic_core import PydanticCustomError, ValidationError

from reportgen.errors import Problem, key_path
from reportgen.model import Credit, Document
from reportgen.model.inline import check_link
from reportgen.records import check_characters
from reportgen.theme import Theme
from tests.conftest import VALID


@pytest.mark.parametrize("written, meant", [
    ("www.example.org", "https://www.example.org"),
    ("example.org/data?x=1", "https://example.org/data?x=1"),
    ("doi.org/10.1000/182", "https://doi.org/10.1000/182"),
    ("//example.org/a", "https://example.org/a"),
    ("https:/example.org", "https://example.org"),
    ("http:example.org", "http://example.org"),
    ("ann@example.org", "mailto:ann@example.org"),
    ("www.report.pdf", "https://www.report.pdf"),
    ("appendix.pdf", None),
    ("#first", None),
    ("ftp://example.org", None),
    ("javascript:alert(1)", None),
    ("two words.org", None),
])
def test_a_target_without_a_scheme_is_refused_with_what_it_probably_means(written: str, meant: str | None) -> None:
    with pytest.raises(PydanticCustomError) as refused:
        check_link(written)
    message = str(refused.value)
    assert f"got '{written}'" in message
    assert (f"did you mean '{meant}'?" in message) if meant else "did you mean" not in message


@pytest.mark.parametrize("url", ["https://example.org", "HTTP://EXAMPLE.ORG/a", "mailto:ann@example.org",
                                 "  https://example.org/x  "])
def test_http_https_and_mailto_targets_pass(url: str) -> None:
    assert check_link(url) == url.strip()


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x0b", "\x1b", "\x7f", "\x85", "\x9f", "\ud800", "\udfff",
                                       "\ufffe", "\uffff"])
def test_a_record_built_in_code_refuses_what_no_output_can_store(character: str) -> None:
    with pytest.raises(ValidationError, match="which neither output can store"):
        Credit(subject=f"a{character}b", credit=None, licence=None, licence_url=None, source_url=None)
    with pytest.raises(ValueError, match="which neither output can store"):
        check_characters(f"a{character}")


def test_tab_and_line_breaks_are_stored() -> None:
    assert check_characters("a\tb\nc\r") == "a\tb\nc\r"


def test_every_string_of_a_document_is_checked_also_the_raw_value_of_a_converted_one() -> None:
    import yaml

    data = yaml.safe_load(VALID)
    for key, value in (("title", "A\x1b[2J"), ("language", "en\x07"), ("date", "2025-02-15\x07"),
                       ("theme", "poli\x00cy")):
        with pytest.raises(ValidationError, match="which neither output can store") as refused:
            Document.validate(data | {key: value})
        assert refused.value.errors()[0]["loc"] == (key,)


def test_a_theme_footer_and_font_name_are_checked() -> None:
    colours = dict.fromkeys(["primary", "accent", "text", "muted", "tint", "rule", "link", "background", "on_primary",
                             "on_primary_muted"], "#000000")
    with pytest.raises(ValidationError, match="U\\+0007"):
        Theme.validate({"name": "t", "colours": colours, "footer": "a\x07"})
    with pytest.raises(ValidationError, match="a font name is one line; this one holds U\\+0009"):
        Theme.validate({"name": "t", "colours": colours, "fonts": {"body": {"pdf": "serif", "deck": "Cal\tibri"}}})
    assert Theme.validate({"name": "t", "colours": colours, "footer": " Our\n brief "}).footer == "Our brief"


def test_a_problem_line_writes_control_characters_as_escapes() -> None:
    problem = Problem("o.yaml", 3, 1, key_path(("vars", "a\x1b[31m", 0)), "got 'x\x07\ud800\r\n'")
    assert str(problem) == "o.yaml:3:1: vars['a\\x1b[31m'][0]: got 'x\\x07\\ud800\\r\\n'"
    assert str(problem).isprintable()
