"""What the reading tests share: the reader fixture folder, reading one file, spans written back as text."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from deckwright.diagnostics import Diagnostic
from deckwright.model.deck import Inline, Slide, plain_text
from deckwright.reading.reader import read_markdown

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reader"


def inline_text(inline: Inline) -> str:
    """Spans written back as Markdown-like text: **bold**, *italic*, ~~strike~~, `code`, $math$, [a](href)."""
    out = []
    for span in inline:
        text = span.text
        if span.code:
            text = f"`{text}`"
        if span.math:
            text = f"${text}$"
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


def read(root: Path, text: str, name: str = "test.md", **kwargs: Any) -> tuple[
        list[Slide], dict[str, object], list[Diagnostic]]:
    """One Markdown text read as slides/<name> of the project at root."""
    return read_markdown(text, f"slides/{name}", root, **kwargs)


def titles(slides: Sequence[Slide]) -> list[str]:
    return [plain_text(s.title) for s in slides]
