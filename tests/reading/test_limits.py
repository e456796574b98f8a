"""What a deck may hold: text per slide, slides per deck, lines of Markdown; each refused with its limit."""

from __future__ import annotations

import time

from testkit import ProjectFactory
from testkit import messages as shown

from deckwright.reading.limits import MAX_DECK_LINES, MAX_QR_BYTES, MAX_SLIDE_CHARS, MAX_SLIDES
from deckwright.reading.project import load_project


def test_a_slide_past_the_text_limit_is_refused_at_its_line_before_layout(
        make_project: ProjectFactory) -> None:
    words = " ".join(["word"] * (MAX_SLIDE_CHARS // 5 + 10))
    root = make_project({"slides/01.md": f"## Fine\n\ntext\n\n---\n\n## Huge\n\n{words}\n"})
    started = time.monotonic()
    deck, diags = load_project(root)
    assert deck is None and time.monotonic() - started < 20
    assert shown(diags) == [f"slides/01.md:7: error: slide 2 holds {len(words) + 4:,} characters, more than "
                            f"the {MAX_SLIDE_CHARS:,} a slide may hold: split it into several slides"]


def test_code_tables_and_notes_count_towards_a_slides_text(make_project: ProjectFactory) -> None:
    code = "x = 1\n" * (MAX_SLIDE_CHARS // 6 + 1)
    cell = "w" * (MAX_SLIDE_CHARS + 1)
    root = make_project({"slides/01.md": f"## Code\n\n```\n{code}```\n\n---\n\n"
                                         f"## Table\n\n| a |\n|---|\n| {cell} |\n\n---\n\n"
                                         f"## Notes\n\n::: notes\n{cell}\n:::\n"})
    _, diags = load_project(root)
    assert [d.message.split(" holds")[0] for d in diags] == ["slide 1", "slide 2", "slide 3"]
    formula = "x+" * (MAX_SLIDE_CHARS // 2 + 1)
    _, diags = load_project(make_project({"slides/01.md": f"## Math\n\n$$\n{formula}\n$$\n"}))
    assert [d.message.split(" holds")[0] for d in diags if d.is_error] == ["slide 1"]


def test_a_deck_past_the_slide_limit_is_refused_at_the_first_slide_too_many(
        make_project: ProjectFactory) -> None:
    slides = "".join(f"## S{i}\n\n---\n\n" for i in range(MAX_SLIDES + 5))
    root = make_project({"slides/01.md": slides})
    deck, diags = load_project(root)
    assert deck is None
    assert shown(diags) == [f"slides/01.md:{4 * MAX_SLIDES + 1}: error: the deck has {MAX_SLIDES + 5:,} "
                            f"slides, more than the {MAX_SLIDES:,} deckwright builds: split it into "
                            "several decks"]


def test_markdown_past_the_line_limit_is_refused_before_it_is_parsed(make_project: ProjectFactory) -> None:
    half = "- item\n" * (MAX_DECK_LINES // 2)
    root = make_project({"slides/01.md": "## A\n\n" + half, "slides/02.md": "## B\n\n" + half})
    started = time.monotonic()
    deck, diags = load_project(root)
    assert deck is None and time.monotonic() - started < 10
    # 01.md has MAX/2 + 3 lines (its last line is empty): 02.md's line MAX/2 - 3 is the first one too many.
    assert shown(diags) == [f"slides/02.md:{MAX_DECK_LINES // 2 - 2}: error: the deck's Markdown runs past "
                            f"{MAX_DECK_LINES:,} lines here, more than deckwright reads: split it into "
                            "several decks"]


def test_a_qr_code_longer_than_a_qr_code_holds_is_an_error_not_a_writer_crash(
        make_project: ProjectFactory) -> None:
    root = make_project({"slides/01.md": "## Q\n\n```qr\nhttps://example.org/" + "a" * 10_000 + "\n```\n\n"
                                         "```qr\nhttps://example.org/fits\n```\n"})
    _, diags = load_project(root)
    assert shown(diags) == ["slides/01.md:3: error: the QR code's URL has 10,020 characters, more than a QR "
                            f"code holds ({MAX_QR_BYTES:,} bytes): shorten it"]
