"""The records the model and theme are made of (reportgen/records.py): validated by
pydantic-core, frozen, compared by value, carried whole to the renderers' processes."""

from __future__ import annotations

import pickle
from typing import Annotated, Any, Union

import pytest
from pydantic_core import PydanticCustomError, ValidationError

from reportgen.read.loader import load_outline
from reportgen.records import Before, Field, OneOf, Record

from .conftest import REPO


def _loud(value: Any) -> Any:
    if value == "quiet":
        raise PydanticCustomError("loud", "expected something loud, got {v!r}", {"v": value})
    return value.upper() if isinstance(value, str) else value


class Leaf(Record):
    name: Annotated[str, Before(_loud)]
    size: float = Field(1.0, ge=0, le=10)

    @classmethod
    def _before(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value


class Other(Record):
    count: int


def _tag(value: Any) -> str | None:
    return value.get("kind") if isinstance(value, dict) else None


class Tree(Record):
    leaves: tuple[Leaf, ...] = Field(min_length=1)
    children: tuple[Tree, ...] = ()
    labels: dict[str, int] = {}
    extra: Annotated[Union[Leaf, Other], OneOf({"leaf": Leaf, "other": Other}, _tag, "kind", "expected a kind")] | None = None

    @classmethod
    def _before(cls, value: Any) -> Any:
        return {"leaves": value} if isinstance(value, list) else value

    def _after(self) -> Tree:
        if len(self.leaves) > 3:
            raise PydanticCustomError("too_many", "at most 3 leaves")
        return self


def test_a_record_is_validated_with_defaults_hooks_and_itself_nested() -> None:
    tree = Tree.validate({"leaves": [{"name": "a"}], "children": [["b", {"name": "c", "size": 2}]]})
    assert tree.leaves == (Leaf(name="A"),)
    assert tree.children[0].leaves == (Leaf(name="B", size=1.0), Leaf(name="C", size=2.0))
    assert tree.children[0].children == () and tree.labels == {} and tree.extra is None
    assert Tree.validate(["a"]).labels is not Tree.validate(["b"]).labels  # a mutable default is never shared


def test_every_error_is_collected_with_its_location_and_type() -> None:
    with pytest.raises(ValidationError) as caught:
        Tree.validate({"leaves": [{"name": "quiet"}, {"size": 11, "colour": 1}], "children": [[]],
                       "extra": {"kind": "tree"}, "labels": {"x": "y"}})
    found = sorted((e["loc"], e["type"]) for e in caught.value.errors())
    assert found == sorted([
        (("leaves",), "too_short"),  # as pydantic says it when items fail (validate.py drops the echo)
        (("leaves", 0, "name"), "loud"),
        (("leaves", 1, "name"), "missing"),
        (("leaves", 1, "size"), "less_than_equal"),
        (("leaves", 1, "colour"), "extra_forbidden"),
        (("children", 0, "leaves"), "too_short"),
        (("extra",), "kind"),
        (("labels", "x"), "int_parsing"),
    ])
    with pytest.raises(ValidationError, match="at most 3 leaves"):
        Tree.validate(["a", "b", "c", "d"])


def test_a_record_is_frozen_compared_by_value_and_copied_with_replace() -> None:
    leaf = Leaf(name="a")
    with pytest.raises(AttributeError):
        leaf.name = "b"  # type: ignore[misc]
    assert leaf == Leaf(name="A") and hash(leaf) == hash(Leaf(name="A")) and leaf != Leaf(name="B")
    assert leaf != Other(count=1) and dict(leaf) == {"name": "A", "size": 1.0}
    bigger = leaf.replace(size=5.0)
    assert (bigger.name, bigger.size, leaf.size) == ("A", 5.0, 1.0)
    with pytest.raises(ValidationError):
        Leaf(name="a", size=-1)


def test_a_document_survives_the_trip_to_a_renderers_process() -> None:
    document = load_outline(REPO / "outlines" / "trilateral-alliance.yaml").document
    copy = pickle.loads(pickle.dumps(document))
    assert copy == document and copy.credits == document.credits
    assert copy.sections[0].body[0].text.plain == document.sections[0].body[0].text.plain


def test_an_annotation_records_cannot_hold_is_refused() -> None:
    class Odd(Record):
        when: complex

    with pytest.raises(TypeError, match="cannot be"):
        Odd.validate({"when": 1})
