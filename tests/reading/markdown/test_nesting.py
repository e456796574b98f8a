"""Deep nesting is read, flattened or refused, and always said: never dropped silently, never a crash."""

from __future__ import annotations

import time
from pathlib import Path

from reading_helpers import read
from testkit import messages

from deckwright.model.deck import ListBlock, Paragraph, Quote, iter_blocks, plain_text


def _list(depth: int) -> str:
    return "".join("  " * i + f"- item{i}\n" for i in range(depth))


def test_a_list_eleven_levels_deep_keeps_every_item_and_warns_at_the_tenth(tmp_path: Path) -> None:
    slides, _, diags = read(tmp_path, "## Deep\n\n" + _list(11) + "\nafter the list\n")
    items = [plain_text(item.content) for block in iter_blocks(slides[0].blocks)
             if isinstance(block, ListBlock) for item in block.items]
    assert items == [f"item{i}" for i in range(11)]
    paragraphs = [plain_text(b.content) for b in slides[0].blocks if isinstance(b, Paragraph)]
    assert paragraphs == ["after the list"]
    assert messages(diags) == ["slides/test.md:12: warning: lists and quotes are nested more than 9 levels "
                               "deep here: PowerPoint shows 9, so deeper ones are drawn at the 9th"]


def test_quotes_eleven_deep_keep_their_text_and_what_follows(tmp_path: Path) -> None:
    slides, _, diags = read(tmp_path, "## Q\n\n" + "> " * 11 + "deep\n\nafter\n")
    quotes = [b for b in iter_blocks(slides[0].blocks) if isinstance(b, Quote)]
    assert len(quotes) == 11
    texts = [plain_text(b.content) for b in iter_blocks(slides[0].blocks) if isinstance(b, Paragraph)]
    assert texts == ["deep", "after"]
    assert [d.ref.line for d in diags if d.ref] == [3]


def test_nesting_past_what_the_parser_reads_is_an_error_at_its_line_not_a_silent_cut(tmp_path: Path) -> None:
    started = time.monotonic()
    for source in ("> " * 1000 + "deep\n\n## Next\n", _list(300) + "\n## Next\n", "1. " * 3000 + "x\n"):
        _, _, diags = read(tmp_path, "## Q\n\n" + source)
        errors = [m for m in messages(diags) if ": error: " in m]
        assert len(errors) == 1, messages(diags)
        assert errors[0].startswith("slides/test.md:")
        assert "past what the Markdown parser reads: the rest of the file is not read" in errors[0]
    assert time.monotonic() - started < 20


def test_emphasis_nested_a_thousand_deep_keeps_its_text_and_warns(tmp_path: Path) -> None:
    stars = "*" * 1000
    brackets = "[" * 3000 + "a" + "]" * 3000
    slides, _, diags = read(tmp_path, f"## E\n\nbefore {stars}core{stars} after\n\n{brackets}\n")
    text = "".join(plain_text(b.content) for b in slides[0].blocks if isinstance(b, Paragraph))
    assert "core" in text and "before" in text and "after" in text
    assert messages(diags)[0] == ("slides/test.md:3: warning: emphasis or links are nested more than 20 "
                                  "levels deep here: the deeper markup is dropped and its text kept")


def test_ordinary_emphasis_and_lists_read_without_a_word(tmp_path: Path) -> None:
    _, _, diags = read(tmp_path, "## Plain\n\n" + _list(9) + "\n***bold italic*** and **[link](https://x.org)**\n")
    assert diags == []
