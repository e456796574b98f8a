"""`. . .` paragraphs become pause tokens, at the top level only."""

from __future__ import annotations

from deckwright.reading.markdown import parse


def test_a_pause_line_becomes_a_pause_token() -> None:
    tokens = parse("A\n\n. . .\n\nB\n")
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close", "pause",
                                        "paragraph_open", "inline", "paragraph_close"]
    assert tokens[3].map == [2, 3]


def test_dots_inside_a_list_or_a_sentence_are_text() -> None:
    assert "pause" not in [t.type for t in parse("- a\n\n  . . .\n\n...\n\n. . . and more\n")]


def test_marp_and_reveal_have_no_pauses() -> None:
    assert all("pause" not in [t.type for t in parse(". . .\n", d)] for d in ("marp", "reveal"))
