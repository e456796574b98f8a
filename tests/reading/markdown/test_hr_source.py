"""Thematic breaks keep their source line, so messages quote it and reveal.js can tell `----`."""

from __future__ import annotations

from deckwright.reading.markdown import parse


def test_each_break_remembers_how_it_was_written() -> None:
    hrs = [t for t in parse("a\n\n---\n\nb\n\n* * *\n\nc\n\n----\n") if t.type == "hr"]
    assert [t.meta["source"] for t in hrs] == ["---", "* * *", "----"]
