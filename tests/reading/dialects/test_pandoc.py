"""pandoc Markdown read as pandoc reads it: slide level, title block, incremental lists, `$` math."""

from __future__ import annotations

from pathlib import Path

import pytest
from reading_helpers import read, titles
from testkit import messages

from deckwright.model.deck import Layout, ListBlock, plain_text
from deckwright.reading.dialects.pandoc import pandoc_slide_level
from deckwright.reading.markdown import parse

# --------------------------------------------------------------------------- pandoc


@pytest.mark.parametrize(("blocks", "level"), [
    ([("heading", 1), ("heading", 2), ("content", 0)], 2),
    ([("heading", 1), ("content", 0), ("heading", 2), ("content", 0)], 1),
    ([("heading", 1), ("heading", 2), ("heading", 3), ("content", 0)], 3),
    ([("heading", 2), ("hr", 0), ("content", 0)], 0),
    ([("content", 0)], 0),
])


def test_pandoc_slide_level_is_the_highest_heading_followed_by_content(
        blocks: list[tuple[str, int]], level: int) -> None:
    assert pandoc_slide_level(blocks) == level


def test_pandoc_slide_level_override_and_title_block(root: Path) -> None:
    text = "% T\n% A; B\n\n# One\n\n## Two\n\ntext\n\n## Three\n\ntext\n"
    slides, meta, _ = read(root, text)
    assert meta == {"title": "T", "author": "A, B"}
    assert [(plain_text(s.title), s.layout) for s in slides] == [
        ("One", Layout.SECTION), ("Two", Layout.CONTENT), ("Three", Layout.CONTENT)]
    slides, _, _ = read(root, "---\nslide-level: 1\n---\n" + text.split("\n", 2)[2])
    assert titles(slides) == ["One"]


def test_pandoc_incremental_meta_and_nonincremental_div(root: Path) -> None:
    text = ("---\nincremental: true\noutput: beamer_presentation\n---\n\n## A\n\n- a\n- b\n\n"
            "::: nonincremental\n- c\n:::\n\n> - d\n")
    slides, _, diags = read(root, text)
    lists = [b for b in slides[0].blocks if isinstance(b, ListBlock)]
    assert [[i.step for i in lb.items] for lb in lists] == [[1, 2], [0], [0]]
    assert messages(diags) == ["slides/test.md:3: warning: pandoc settings ignored by deckwright: `output`"]


def test_pandoc_heading_attributes_without_title(root: Path) -> None:
    text = "## A\n\ntext\n\n## {background-image=\"img/whale.png\" .dark}\n\nmore\n"
    slides, _, diags = read(root, text)
    assert diags == []
    assert slides[1].title == () and slides[1].classes == ("dark",)
    assert slides[1].background_image == root / "slides/img/whale.png"


def test_dollar_amounts_are_not_math(root: Path) -> None:
    slides, _, diags = read(root, "% T\n\n## A\n\nIt costs $5 and $10, use $HOME and $PATH.\n")
    assert diags == []
    assert plain_text(slides[0].blocks[0].content) == "It costs $5 and $10, use $HOME and $PATH."  # type: ignore[union-attr]


# --------------------------------------------------------------------------- pandoc's token rewrite


def test_pandoc_parser_marks_quotes_that_hold_only_a_list() -> None:
    text = "> - a\n> - b\n\n> - a\n>\n> text\n\n> - a\n> * b\n\n> text\n\n> > - deep\n"
    quotes = [t for t in parse(text, "pandoc") if t.type == "blockquote_open"]
    marked = [bool(t.meta.get("inverts_incremental")) for t in quotes]
    assert marked == [True, False, False, False, False, True]
    assert not any(t.meta.get("inverts_incremental") for t in parse("> - a\n"))


def test_pandoc_quoted_list_in_the_notes_stays_a_quote(root: Path) -> None:
    slides, _, _ = read(root, "% T\n\n## A\n\ntext\n\n::: notes\n> - a\n> - b\n:::\n")
    assert [type(b).__name__ for b in slides[0].notes] == ["Quote"]
    assert slides[0].steps == 0
