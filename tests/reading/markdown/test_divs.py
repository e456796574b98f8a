"""Fenced divs: one left open ends at the next slide break, not at the end of the file."""

from __future__ import annotations

from pathlib import Path

from reading_helpers import inline_text, read
from testkit import messages

from deckwright.model.deck import Paragraph


def test_unclosed_block_ends_at_the_next_slide_break(root: Path) -> None:
    slides, _, diags = read(root, "## A\n\n::: notes\nforgotten\n\n---\n\n## B\n\ntext\n")
    assert messages(diags) == ["slides/test.md:3: error: `::: notes` is never closed: add a line `:::`"]
    assert [inline_text(s.title) for s in slides] == ["A", "B"]
    assert [inline_text(b.content) for b in slides[0].notes if isinstance(b, Paragraph)] == ["forgotten"]
