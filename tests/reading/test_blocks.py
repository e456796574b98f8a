"""Blocks: divs, columns, QR codes, data-table fences; what cannot be drawn is kept, with a warning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from reading_helpers import inline_text, read
from testkit import messages

from deckwright.diagnostics import Diagnostic, SourceRef, error
from deckwright.model.deck import Block, Columns, MathBlock, Paragraph, QRCode, RawHtml, Span
from deckwright.reading import blocks as blocks_module

# --------------------------------------------------------------------------- divs and columns


def test_unclosed_block_is_reported_at_its_opening_line(root: Path) -> None:
    slides, _, diags = read(root, "## A\n\n:::: columns\n::: column\ntext\n:::\n")
    assert messages(diags) == [
        "slides/test.md:3: error: `:::: columns` is never closed: add a line `::::`"]
    assert isinstance(slides[0].blocks[0], Columns)  # the content is still read


def test_unknown_div_and_stray_column_are_warned_and_kept(root: Path) -> None:
    slides, _, diags = read(root, "::: callout\nBoxed.\n:::\n\n::: column\nAlone.\n:::\n")
    assert [d.ref.line for d in diags if d.ref] == [1, 5]
    assert "unknown block `::: callout`" in diags[0].message
    assert "outside `:::: columns`" in diags[1].message
    assert [inline_text(b.content) for b in slides[0].blocks if isinstance(b, Paragraph)] == [
        "Boxed.", "Alone."]


# --------------------------------------------------------------------------- QR codes


def test_qr_without_any_url_is_an_error(root: Path) -> None:
    _, _, diags = read(root, "```qr\n```\n")
    assert messages(diags) == [
        "slides/test.md:1: error: ```qr needs a URL inside, or a `url` in the deck's metadata"]


def test_deck_url_from_defaults_feeds_qr(root: Path) -> None:
    slides, _, diags = read(root, "```qr\n```\n", defaults={"url": "https://x.org"})
    assert diags == [] and slides[0].blocks == (QRCode(SourceRef("slides/test.md", 1), "https://x.org"),)


# --------------------------------------------------------------------------- data tables (contract)


def test_table_fence_is_expanded_by_the_tables_module(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []

    def expand_fence(kind: str, name: str, body: str, ref: SourceRef,
                     tables: Any) -> tuple[list[Block], list[Diagnostic]]:
        calls.append((kind, name, body, ref, dict(tables)))
        return [Paragraph(ref, (Span(f"{kind}:{name}"),))], [error(ref, "from tables")]

    monkeypatch.setattr(blocks_module, "expand_fence", expand_fence)
    text = "## Data\n\n. . .\n\n```table terminology\ncolumns: [docker, vm]\n```\n\n```glossary terms\n```\n"
    slides, _, diags = read(root, text, tables={"terminology": "T"})
    assert calls == [
        ("table", "terminology", "columns: [docker, vm]\n", SourceRef("slides/test.md", 5),
         {"terminology": "T"}),
        ("glossary", "terms", "", SourceRef("slides/test.md", 9), {"terminology": "T"}),
    ]
    assert messages(diags) == ["slides/test.md:5: error: from tables", "slides/test.md:9: error: from tables"]
    # Generated blocks take the step they stand at (here after a pause).
    assert [(inline_text(b.content), b.step) for b in slides[0].blocks if isinstance(b, Paragraph)] == [
        ("table:terminology", 1), ("glossary:terms", 1)]


def test_table_fence_naming_no_data_table_is_an_error_at_its_line(root: Path) -> None:
    # The data tables are part of the reader (imported directly): an unknown name is the author's error.
    _, _, diags = read(root, "```table terminology\n```\n")
    assert messages(diags) == ["slides/test.md:1: error: unknown data table 'terminology' "
                               "(slides/data/ has no .yaml files)"]


def test_table_fence_needs_a_name(root: Path) -> None:
    _, _, diags = read(root, "```table\n```\n")
    assert messages(diags) == [
        "slides/test.md:1: error: ```table needs the name of a data table, e.g. ```table terminology"]


# --------------------------------------------------------------------------- what cannot be drawn everywhere


def test_math_is_read_and_mermaid_and_html_are_kept_with_one_warning_per_kind(root: Path) -> None:
    text = ("---\nmarp: true\n---\n\n# A\n\n$a$ and $b$\n\n$$\nx^2\n$$\n\n```mermaid\ngraph TD\n```\n\n"
            "```mermaid\ngraph LR\n```\n\n<div>one</div>\n\n<div>two</div>\n")
    slides, _, diags = read(root, text)
    kinds = [type(b).__name__ for b in slides[0].blocks]
    assert kinds == ["Paragraph", "MathBlock", "CodeBlock", "CodeBlock", "RawHtml", "RawHtml"]
    paragraph = slides[0].blocks[0]
    assert isinstance(paragraph, Paragraph) and paragraph.content[0] == Span("a", math=True)
    assert slides[0].blocks[1] == MathBlock(SourceRef("slides/test.md", 9), "x^2")
    assert [d.ref.line for d in diags if d.ref] == [13, 21]  # good math is no problem of the source
    assert all(not d.is_error for d in diags)


def test_raw_html_reaches_the_model_sanitized(root: Path) -> None:
    slides, _, _ = read(root, "## A\n\n<div class=\"box\" onclick=\"steal()\">Hi<script>x()</script></div>\n")
    html = [b for b in slides[0].blocks if isinstance(b, RawHtml)]
    assert [h.html for h in html] == ['<div class="box">Hi</div>']
