"""`![alt](a.png){width=40%}`: braces right after an image become its attributes."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from deckwright.reading.markdown.attrs import parse_attrs

_LEADING_ATTRS = re.compile(r"^\{(?P<body>[^{}]*)\}")


def _image_attrs_rule(state: StateCore) -> None:
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children = token.children
        for i, child in enumerate(children[:-1]):
            nxt = children[i + 1]
            if child.type != "image" or nxt.type != "text":
                continue
            m = _LEADING_ATTRS.match(nxt.content)
            attrs = parse_attrs(m["body"]) if m else None
            if m is None or attrs is None:
                continue
            nxt.content = nxt.content[m.end():]
            for key, value in attrs.items():
                child.attrSet(key, value)
        token.children = [c for c in children if not (c.type == "text" and c.content == "")]


def image_attrs_plugin(md: MarkdownIt) -> None:
    """`![alt](a.png){width=40%}`: the braces right after an image become its attributes."""
    md.core.ruler.after("inline", "image_attrs", _image_attrs_rule)

