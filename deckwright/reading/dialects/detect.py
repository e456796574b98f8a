"""Which dialect a file is written in, decided by fixed rules (see docs/syntax.md, "Dialects")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from deckwright.reading.dialects.marp import MARP_BODY, MARP_ONLY_KEYS, MARP_THEMES
from deckwright.reading.dialects.pandoc import PANDOC_KEYS
from deckwright.reading.dialects.reveal import REVEAL_KEYS, REVEAL_THEMES
from deckwright.reading.source import (
    code_lines,
    front_matter_span,
    quick_front_matter,
    without_zero_width_fences,
)

_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_ATX12 = re.compile(r"^ {0,3}#{1,2}(?:[ \t]|$)")
_NOTES_START = re.compile(r"^(?:notes?:|:{3,}\s*(?:notes|\{\.notes\}))", re.I)


def detect(text: str, front: Mapping[str, Any]) -> str:
    """The dialect a file is written in: its front matter first, then signs in its text.

    Only signs that change meaning count: syntax the dialects share reads the same either way.
    Front matter hidden by a zero-width character before a fence still names the tool it was written
    for (Marp reads such a file as Marp, its YAML as text).
    """
    if not front and (meant := without_zero_width_fences(text)) != text:
        front = quick_front_matter(meant)
    return _by_header(text, front) or _by_body(text)


def _by_header(text: str, front: Mapping[str, Any]) -> str | None:
    """The dialect that front-matter keys, a theme name or a pandoc title block name; None if none."""
    keys = set(front)
    theme = str(front.get("theme", "")).strip().lower()
    if str(front.get("marp", "")).strip().lower() == "true":
        return "marp"
    if keys & REVEAL_KEYS or theme in REVEAL_THEMES:
        return "reveal"
    if keys & PANDOC_KEYS - {"footer"} or text.startswith("% "):
        return "pandoc"
    if keys & MARP_ONLY_KEYS or theme in MARP_THEMES:
        return "marp"
    if "slide_level" in keys:
        return "deckwright"  # it says itself how headings split slides
    return None


def _by_body(text: str) -> str:
    """The dialect that signs outside code name: Marp directives, `----` breaks, heading-split slides."""
    lines = text.split("\n")
    span = front_matter_span(text)
    start = span[0] + 1 if span else 0
    code = code_lines(lines)
    body = [(i, line) for i, line in enumerate(lines) if i >= start and not code[i]]
    if any(MARP_BODY.search(line) for _, line in body):
        return "marp"
    if any(line.rstrip() == "----" and _blank(lines, i - 1) for i, line in body):
        return "reveal"
    return "pandoc" if _headings_split_slides(lines, body) else "deckwright"


def _headings_split_slides(lines: list[str], body: list[tuple[int, str]]) -> bool:
    """Two level-1/2 headings between slide breaks: only pandoc makes them two slides."""
    headings, in_notes = 0, False
    for i, line in body:
        if _BREAK.match(line) and _blank(lines, i - 1):
            headings, in_notes = 0, False
        elif _NOTES_START.match(line):
            in_notes = True  # headings in speaker notes do not split slides in any dialect
        elif _ATX12.match(line) and not in_notes:
            headings += 1
            if headings >= 2:
                return True
    return False


def _blank(lines: list[str], index: int) -> bool:
    return index < 0 or not lines[index].strip()
