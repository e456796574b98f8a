"""Click steps: none in speaker notes, and no gaps on a slide."""

from __future__ import annotations

from pathlib import Path

from reading_helpers import read

from deckwright.diagnostics import SourceRef
from deckwright.model.deck import ListBlock, ListItem, Paragraph, Quote, Span
from deckwright.reading.steps import Steps, gapless, renumber


def test_notes_never_get_steps(root: Path) -> None:
    text = "A\n\n. . .\n\n::: notes\nN\n<!-- .element: class=\"fragment\" -->\n\n<b>x</b>\n:::\n"
    slides, _, _ = read(root, text)
    assert [b.step for b in slides[0].notes] == [0, 0]
    assert slides[0].steps == 0


def test_steps_have_no_gaps_and_match_the_slide(root: Path) -> None:
    text = "A\n\n. . .\n\n. . .\n\nB\n<!-- .element: class=\"fragment\" -->\n\n. . .\n"
    slides, _, _ = read(root, text)
    assert [b.step for b in slides[0].blocks] == [0, 1]
    assert slides[0].steps == 1


# --------------------------------------------------------------------------- steps on their own


def test_indexed_fragments_come_before_counted_steps_and_steps_close_their_gaps() -> None:
    steps = Steps()
    steps.pause()
    assert (steps.current, steps.highest) == (1, 1)
    indexed = steps.fragment({"data-fragment-index": "2"})
    counted = steps.fragment({"class": "fragment"})
    assert indexed < 0 < counted == 2
    ref = SourceRef("s.md", 1)
    blocks = [Paragraph(ref, (Span("a"),), step=counted),
              ListBlock(ref, (ListItem(ref, (Span("b"),), step=indexed),), step=0),
              Quote(ref, (Paragraph(ref, (Span("c"),), step=7),))]
    mapping = gapless(blocks)
    assert mapping == {indexed: 1, counted: 2, 7: 3}
    renumbered = [renumber(b, mapping) for b in blocks]
    assert renumbered[0].step == 2
    assert isinstance(renumbered[1], ListBlock) and renumbered[1].items[0].step == 1
    assert isinstance(renumbered[2], Quote) and renumbered[2].blocks[0].step == 3
