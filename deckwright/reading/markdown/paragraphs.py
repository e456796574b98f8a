"""Top-level paragraphs of a token stream: where the line-marker plugins (`. . .`, `Note:`) look."""

from __future__ import annotations

from markdown_it.token import Token


def top_paragraphs(tokens: list[Token]) -> list[int]:
    """Indexes of top-level paragraph_open tokens followed by their inline token."""
    return [i for i, t in enumerate(tokens[:-2])
            if t.type == "paragraph_open" and t.level == 0 and tokens[i + 1].type == "inline"]

