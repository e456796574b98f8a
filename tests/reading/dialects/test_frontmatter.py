"""Front matter in every dialect: values YAML empties are explained."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import ProjectFactory

from deckwright.diagnostics import Diagnostic
from deckwright.model.deck import Slide, plain_text
from deckwright.reading.reader import read_markdown

PNG = (Path(__file__).resolve().parents[2] / "fixtures" / "reader" / "img" / "whale.png").read_bytes()


def read(root: Path, text: str, **kwargs: object) -> tuple[list[Slide], dict[str, object], list[Diagnostic]]:
    return read_markdown(text, "slides/test.md", root, **kwargs)  # type: ignore[arg-type]


def titles(slides: Sequence[Slide]) -> list[str]:
    return [plain_text(s.title) for s in slides]


def messages(diags: Sequence[Diagnostic]) -> list[str]:
    return [str(d) for d in diags]


@pytest.fixture
def root(make_project: ProjectFactory) -> Path:
    return make_project({"slides/img/whale.png": PNG})


def test_unquoted_hex_colour_elsewhere_is_explained(root: Path) -> None:
    _, meta, diags = read(root, "---\ntitle: #ccc\n---\n\n## A\n")
    assert messages(diags) == ["slides/test.md:2: warning: `title` is empty: `#` starts a YAML comment; "
                               "quote the value (e.g. title: '#ccc')"]
    assert meta == {}
