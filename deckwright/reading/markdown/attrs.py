"""Pandoc-style attributes `{#id .class key=value key="quoted value"}`: the syntax every plugin reads."""

from __future__ import annotations

import re

# Written here rather than taken from mdit_py_plugins.attrs because that (djot) syntax treats `%`
# as a comment, so pandoc's ubiquitous `{width=40%}` would not parse.

_ATTR_ITEM = re.compile(
    r"""\s*(?:\#(?P<id>[\w:-]+)|\.(?P<cls>[\w:-]+)|(?P<key>[\w:-]+)\s*=\s*"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'{}]+)))"""
)


def parse_attrs(text: str) -> dict[str, str] | None:
    """Parse the inside of `{…}` (or a bare `key=value …` list); None if it is not attribute syntax.

    Classes are joined into "class"; the id is "id".
    """
    attrs: dict[str, str] = {}
    classes: list[str] = []
    pos, text = 0, text.strip()
    while pos < len(text):
        m = _ATTR_ITEM.match(text, pos)
        if m is None or m.end() == pos:
            return None
        if m["id"]:
            attrs["id"] = m["id"]
        elif m["cls"]:
            classes.append(m["cls"])
        else:
            value = m["dq"] if m["dq"] is not None else m["sq"] if m["sq"] is not None else m["bare"]
            attrs[m["key"]] = value or ""
        pos = m.end()
    if classes:
        attrs["class"] = " ".join(classes)
    return attrs

