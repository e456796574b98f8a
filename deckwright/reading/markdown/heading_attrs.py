"""`## Title {.smaller background-image="bg.png"}`: braces after a heading become its attributes."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from deckwright.reading.markdown.attrs import parse_attrs

_TRAILING_ATTRS = re.compile(r"\s*\{(?P<body>[^{}]*)\}\s*$")


def _heading_attrs_rule(state: StateCore) -> None:
    tokens = state.tokens
    for i, token in enumerate(tokens[:-1]):
        if token.type != "heading_open" or tokens[i + 1].type != "inline":
            continue
        inline = tokens[i + 1]
        m = _TRAILING_ATTRS.search(inline.content)
        attrs = parse_attrs(m["body"]) if m else None
        if m is None or attrs is None:
            continue
        inline.content = inline.content[: m.start()].rstrip()
        for key, value in attrs.items():
            token.attrSet(key, value)


def heading_attrs_plugin(md: MarkdownIt) -> None:
    """`## Title {.smaller background-image="bg.png"}`: the braces become the heading's attributes."""
    md.core.ruler.before("inline", "heading_attrs", _heading_attrs_rule)

