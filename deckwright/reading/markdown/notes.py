"""A paragraph starting `Note:` (reveal.js) becomes a `notes_marker`: the rest of the slide is notes."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from deckwright.reading.markdown.paragraphs import top_paragraphs

_NOTE_LINE = re.compile(r"^notes?:[ \t]*", re.IGNORECASE)


def _note_line_rule(state: StateCore) -> None:
    tokens = state.tokens
    for i in reversed(top_paragraphs(tokens)):
        inline = tokens[i + 1]
        m = _NOTE_LINE.match(inline.content)
        if m is None:
            continue
        marker = Token("notes_marker", "", 0, map=tokens[i].map, markup=m.group(0).strip(), block=True)
        inline.content = inline.content[m.end():].lstrip()
        tokens[i: i + 3] = [marker] if not inline.content else [marker, *tokens[i: i + 3]]


def note_line_plugin(md: MarkdownIt) -> None:
    """A paragraph starting `Note:` (reveal.js) becomes a `notes_marker`: the rest of the slide is notes."""
    md.core.ruler.before("inline", "note_line", _note_line_rule)

