"""Click steps: none in speaker notes, and no gaps on a slide."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from deckwright.diagnostics import Diagnostic
from deckwright.model.deck import Slide
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


def test_notes_never_get_steps(root: Path) -> None:
    text = "A\n\n. . .\n\n::: notes\nN\n<!-- .element: class=\"fragment\" -->\n\n<b>x</b>\n:::\n"
    slides, _, _ = read(root, text)
    assert [b.step for b in slides[0].notes] == [0, 0]
    assert slides[0].steps == 0


def test_steps_have_no_gaps_and_match_the_slide(root: Path) -> None:
    text = "A\n\n. . .\n\n. . .\n\nB\n<!-- .element: class=\"fragment\" -->\n\n. . .\n"
    slides, _, _ = read(root, text)
    assert [b.step for b in slides[0].blocks] == [0, 1]
    assert slides[0].steps == 1
