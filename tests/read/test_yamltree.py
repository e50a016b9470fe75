"""The two YAML parsers (libyaml for speed, pure Python for errors) give the same nodes.

The loader reads positions, tags and values off the nodes; whichever parser made them, an
outline must load to the same data with the same positions. Errors always come from the Python
parser, so their wording does not depend on which one was tried first.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reportgen.read import yamltree

REPO = Path(__file__).resolve().parents[2]


def _tree(node: yaml.Node):
    marks = (node.start_mark.name, node.start_mark.line, node.start_mark.column,
             node.end_mark.line, node.end_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return "scalar", node.tag, node.value, marks
    if isinstance(node, yaml.SequenceNode):
        return "sequence", node.tag, [_tree(item) for item in node.value], marks
    return "mapping", node.tag, [(_tree(key), _tree(value)) for key, value in node.value], marks


def _slow(text: str, name: str) -> yaml.Node:
    loader = yamltree._Loader(text, name)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


SNIPPETS = {
    "block scalars": "a: |\n  one\n  two\nb: >-\n  folded\n  text\n\nc: x\n",
    "quotes and escapes": "a: 'it''s'\nb: \"tab\\tand \\u00e9\"\nc: \"*emphasis*\"\n",
    "flow collections": "a: [1, two, {c: d}]\nb: {x: [y, z]}\n",
    "CRLF line ends": "a: 1\r\nb:\r\n  - x\r\n  - y\r\n",
    "a byte-order mark": "\ufeffa: 1\nb: 2\n",
    "non-Latin text": "title: 日米韓の安全保障協力\nsummary: 한미일 협력\n",
    "scalars YAML would read as other types": "a: 2025-02-15\nb: 11.30\nc: 010\nd: yes\ne: ~\nf: true\n",
    "an anchor that is never used": "a: &name value\nb: other\n",
    "comments and blank lines": "# head\n\na: 1  # after\n\n# between\nb: 2\n",
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_both_parsers_give_the_same_nodes(name):
    text = SNIPPETS[name]
    fast = yamltree._fast_compose(text, "x.yaml")
    assert fast is not None, "libyaml should take this text"
    assert _tree(fast) == _tree(_slow(text, "x.yaml"))


@pytest.mark.parametrize("path", sorted(p.relative_to(REPO).as_posix() for p in
                                        [*REPO.glob("outlines/**/*.yaml"), *REPO.glob("reportgen/**/*.yaml")]))
def test_the_shipped_outlines_and_themes_parse_the_same_both_ways(path):
    text = (REPO / path).read_text(encoding="utf-8")
    assert _tree(yamltree._fast_compose(text, path)) == _tree(_slow(text, path))


@pytest.mark.parametrize("text, message", [
    ("a: &x [1]\nb: *x\n", "aliases (*x) are not allowed"),
    ("a:\n" + "".join("  " * depth + "- \n" for depth in range(1, 70)), "nesting is deeper than 64 levels"),
    ("a: 1\n---\nb: 2\n", "several YAML documents"),
    ("a:\n\tb: 1\n", "a tab character"),
    ("a: [1\n", "expected ',' or ']'"),
])
def test_what_libyaml_passes_on_is_reported_by_the_python_parser(text, message):
    assert yamltree._fast_compose(text, "x.yaml") is None
    with pytest.raises(yamltree.YamlProblem) as caught:
        yamltree.compose(text, "x.yaml")
    assert message in caught.value.message
