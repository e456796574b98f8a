"""Data-table text: inline Markdown becomes merged, styled spans."""

from __future__ import annotations

from deckwright.model.deck import Span
from deckwright.reading.datatables.spans import parse_inline


def test_inline_markdown_becomes_styled_spans() -> None:
    assert parse_inline("**b** *i* ~~s~~ `c` [l](https://x.org) <br> a  \nb") == (
        Span("b", bold=True), Span(" "), Span("i", italic=True), Span(" "), Span("s", strike=True),
        Span(" "), Span("c", code=True), Span(" "), Span("l", href="https://x.org"),
        Span(" <br> a"), Span("\n"), Span("b"),
    )


def test_math_in_data_table_text_is_read_as_in_slides_and_prices_stay_text() -> None:
    assert parse_inline(r"$O(n \log n)$ at $5 or $HOME, $a$$b$") == (
        Span(r"O(n \log n)", math=True), Span(" at $5 or $HOME, "), Span("a", math=True),
        Span("b", math=True))
