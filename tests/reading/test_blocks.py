"""Blocks: what cannot be drawn everywhere (math, diagrams, HTML) is kept with one warning per kind."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import ProjectFactory

from deckwright.diagnostics import Diagnostic
from deckwright.model.deck import CodeBlock, Paragraph, RawHtml, Slide, Span, plain_text
from deckwright.reading.reader import read_markdown

PNG = (Path(__file__).resolve().parents[1] / "fixtures" / "reader" / "img" / "whale.png").read_bytes()


def read(root: Path, text: str, **kwargs: object) -> tuple[list[Slide], dict[str, object], list[Diagnostic]]:
    return read_markdown(text, "slides/test.md", root, **kwargs)  # type: ignore[arg-type]


def titles(slides: Sequence[Slide]) -> list[str]:
    return [plain_text(s.title) for s in slides]


def messages(diags: Sequence[Diagnostic]) -> list[str]:
    return [str(d) for d in diags]


@pytest.fixture
def root(make_project: ProjectFactory) -> Path:
    return make_project({"slides/img/whale.png": PNG})


def test_math_mermaid_and_html_are_kept_with_one_warning_per_kind(root: Path) -> None:
    text = ("---\nmarp: true\n---\n\n# A\n\n$a$ and $b$\n\n$$\nx^2\n$$\n\n```mermaid\ngraph TD\n```\n\n"
            "```mermaid\ngraph LR\n```\n\n<div>one</div>\n\n<div>two</div>\n")
    slides, _, diags = read(root, text)
    kinds = [type(b).__name__ for b in slides[0].blocks]
    assert kinds == ["Paragraph", "CodeBlock", "CodeBlock", "CodeBlock", "RawHtml", "RawHtml"]
    paragraph = slides[0].blocks[0]
    assert isinstance(paragraph, Paragraph) and paragraph.content[0] == Span("a", code=True)
    math = slides[0].blocks[1]
    assert isinstance(math, CodeBlock) and (math.language, math.code) == ("math", "x^2")
    assert [d.ref.line for d in diags if d.ref] == [7, 13, 21]
    assert all(not d.is_error for d in diags)


def test_raw_html_reaches_the_model_sanitized(root: Path) -> None:
    slides, _, _ = read(root, "## A\n\n<div class=\"box\" onclick=\"steal()\">Hi<script>x()</script></div>\n")
    html = [b for b in slides[0].blocks if isinstance(b, RawHtml)]
    assert [h.html for h in html] == ['<div class="box">Hi</div>']
