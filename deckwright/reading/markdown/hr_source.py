"""A thematic break remembers its source line (`---`, `----`, `***`) for messages and reveal.js."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore


def _hr_source_rule(state: StateCore) -> None:
    lines: list[str] | None = None
    for token in state.tokens:
        if token.type == "hr" and token.map:
            lines = lines if lines is not None else state.src.split("\n")
            if token.map[0] < len(lines):
                token.meta = {**token.meta, "source": lines[token.map[0]].strip()}


def hr_source_plugin(md: MarkdownIt) -> None:
    """A thematic break remembers its source line: reveal.js tells `----` (vertical) from `---`."""
    md.core.ruler.push("hr_source", _hr_source_rule)

