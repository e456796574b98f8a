"""`. . .` on a line of its own becomes a `pause` token: what follows appears at the next click."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from deckwright.reading.markdown.paragraphs import top_paragraphs

_PAUSE = re.compile(r"^\.[ \t]+\.[ \t]+\.$")


def _pause_rule(state: StateCore) -> None:
    tokens = state.tokens
    for i in reversed(top_paragraphs(tokens)):
        if _PAUSE.match(tokens[i + 1].content.strip()):
            pause = Token("pause", "", 0, map=tokens[i].map, markup=". . .", block=True)
            tokens[i: i + 3] = [pause]


def pause_plugin(md: MarkdownIt) -> None:
    """A paragraph `. . .` becomes a `pause` token: what follows appears at the next click."""
    md.core.ruler.before("inline", "pause", _pause_rule)

