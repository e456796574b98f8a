"""HTML that holds only comments is marked: each comment a directive (`key: value`) or plain text."""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

# `<!-- layout: image-right -->`, `<!-- class: smaller -->`, `<!-- .element: class="fragment" -->`,
# `<!-- .slide: data-background="x.png" -->` and Marp's `_class` / `backgroundColor` are directives;
# any other comment is a plain comment (speaker notes with `notes_comments: true`). A Marp parser
# passes Marp's directive names instead (dialects/marp.py).
DIRECTIVE_KEYS = frozenset({
    "layout", "class", "_class", "_layout", "backgroundColor", "_backgroundColor",
    "backgroundImage", "_backgroundImage", ".slide", ".element",
})
_COMMENT = re.compile(r"<!--(?P<body>.*?)-->", re.DOTALL)
_DIRECTIVE = re.compile(r"^\s*(?P<key>[._]?[A-Za-z][\w-]*)\s*:\s*(?P<value>.*?)\s*$", re.DOTALL)
_DIRECTIVE_LINE = re.compile(r"^\s*(?P<key>_?[A-Za-z][\w-]*)\s*:\s*(?P<value>.*?)\s*$")


def parse_comments(html: str, keys: frozenset[str] = DIRECTIVE_KEYS) -> list[tuple[str, str]] | None:
    """The comments in an HTML fragment as (directive key or "", value or comment text).

    A comment of several `key: value` lines that are all directives gives one pair per line
    (Marp writes `<!--\npaginate: true\nfooter: x\n-->`). None when the fragment holds anything
    besides comments and whitespace.
    """
    found: list[tuple[str, str]] = []
    if _COMMENT.sub("", html).strip():
        return None
    for m in _COMMENT.finditer(html):
        body = m["body"]
        lines = [line for line in body.split("\n") if line.strip()]
        several = [_DIRECTIVE_LINE.match(line) for line in lines]
        d = _DIRECTIVE.match(body)
        if len(lines) > 1 and all(x and x["key"] in keys for x in several):
            found.extend((x["key"], x["value"]) for x in several if x)
        elif d and d["key"] in keys:
            found.append((d["key"], d["value"]))
        else:
            found.append(("", body.strip()))
    return found


def _comment_rule(keys: frozenset[str]) -> Callable[[StateCore], None]:
    def rule(state: StateCore) -> None:
        for token in state.tokens:
            candidates = [token] if token.type == "html_block" else [
                c for c in token.children or [] if c.type == "html_inline"]
            for tok in candidates:
                comments = parse_comments(tok.content, keys)
                if comments is not None:
                    tok.meta = {**tok.meta, "comments": comments}

    return rule


def comment_plugin(md: MarkdownIt, keys: frozenset[str] = DIRECTIVE_KEYS) -> None:
    """Mark HTML tokens that hold only comments with meta["comments"]: [(directive key or "", text)]."""
    md.core.ruler.push("comments", _comment_rule(keys))

