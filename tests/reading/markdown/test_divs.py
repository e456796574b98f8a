"""Fenced divs: one left open ends at the next slide break, not at the end of the file."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from deckwright.diagnostics import Diagnostic
from deckwright.model.deck import Inline, Paragraph, Slide
from deckwright.reading.reader import read_markdown

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "reader"


def inline_text(inline: Inline) -> str:
    """Spans written back as Markdown-like text: **bold**, *italic*, ~~strike~~, `code`, [text](href)."""
    out = []
    for span in inline:
        text = span.text
        if span.code:
            text = f"`{text}`"
        if span.italic:
            text = f"*{text}*"
        if span.bold:
            text = f"**{text}**"
        if span.strike:
            text = f"~~{text}~~"
        if span.href is not None:
            text = f"[{text}]({span.href})"
        out.append(text)
    return "".join(out)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project whose slides/ folder is a copy of the fixture folder (images included)."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES, project / "slides")
    return project


def read(root: Path, text: str, name: str = "test.md", **kwargs: Any) -> tuple[
        list[Slide], dict[str, object], list[Diagnostic]]:
    return read_markdown(text, f"slides/{name}", root, **kwargs)


def messages(diags: list[Diagnostic]) -> list[str]:
    return [str(d) for d in diags]


def test_unclosed_block_ends_at_the_next_slide_break(root: Path) -> None:
    slides, _, diags = read(root, "## A\n\n::: notes\nforgotten\n\n---\n\n## B\n\ntext\n")
    assert messages(diags) == ["slides/test.md:3: error: `::: notes` is never closed: add a line `:::`"]
    assert [inline_text(s.title) for s in slides] == ["A", "B"]
    assert [inline_text(b.content) for b in slides[0].notes if isinstance(b, Paragraph)] == ["forgotten"]
