"""Comment directives: an unknown layout is an error; `.element` needs class="fragment"."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from deckwright.diagnostics import Diagnostic, SourceRef
from deckwright.model.deck import Layout, Slide
from deckwright.reading.reader import read_markdown

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reader"


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


def test_unknown_layout_is_an_error_at_its_line(root: Path) -> None:
    slides, _, diags = read(root, "## A\n\ntext\n\n<!-- layout: two-cols -->\n")
    assert [(d.ref, d.is_error) for d in diags] == [(SourceRef("slides/test.md", 5), True)]
    assert "unknown layout 'two-cols'" in diags[0].message and "two-columns" in diags[0].message
    assert slides[0].layout is Layout.CONTENT


def test_element_comment_without_fragment_class_is_warned(root: Path) -> None:
    slides, _, diags = read(root, "text\n<!-- .element: class=\"red\" -->\n")
    assert messages(diags) == [
        "slides/test.md:2: warning: `.element` comment without class=\"fragment\" is ignored"]
    assert slides[0].steps == 0
