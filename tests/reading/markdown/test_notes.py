"""A paragraph starting `Note:` becomes a notes marker, its rest the first paragraph of the notes."""

from __future__ import annotations

from deckwright.reading.markdown import parse


def test_note_line_splits_its_paragraph() -> None:
    tokens = parse("Shown\n\nNote: said aloud\nand more\n")
    kinds = [t.type for t in tokens]
    assert kinds == ["paragraph_open", "inline", "paragraph_close", "notes_marker",
                     "paragraph_open", "inline", "paragraph_close"]
    assert tokens[3].markup == "Note:" and tokens[5].content == "said aloud\nand more"


def test_a_bare_notes_line_is_only_the_marker() -> None:
    assert [t.type for t in parse("notes:\n")] == ["notes_marker"]


def test_only_deckwright_reads_note_lines_in_the_parser() -> None:
    # pandoc has `::: notes`; reveal.js splits its notes off before parsing.
    assert all("notes_marker" not in [t.type for t in parse("Note: x\n", d)] for d in ("pandoc", "reveal"))
