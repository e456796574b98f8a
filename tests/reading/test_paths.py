"""The path policy: images are read from the project (and --allow-dir folders) only."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from deckwright.diagnostics import Diagnostic
from deckwright.model.deck import Image, Paragraph, Slide
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


def test_missing_image_is_an_error_and_the_image_is_left_out(root: Path) -> None:
    slides, _, diags = read(root, "## A\n\ntext\n\n![Gone](img/gone.png)\n")
    assert messages(diags) == ["slides/test.md:5: error: image not found: img/gone.png"]
    assert [type(b) for b in slides[0].blocks] == [Paragraph]


def test_image_outside_the_project_is_refused(root: Path) -> None:
    (root.parent / "secret.png").write_bytes((FIXTURES / "img" / "whale.png").read_bytes())
    _, _, diags = read(root, "![Secret](../../secret.png)\n")
    assert messages(diags) == ["slides/test.md:1: error: image is outside the project: ../../secret.png "
                               "(use --allow-dir to allow a folder)"]


def test_image_symlink_escaping_the_project_is_refused(root: Path) -> None:
    outside = root.parent / "secret.png"
    outside.write_bytes((FIXTURES / "img" / "whale.png").read_bytes())
    (root / "slides" / "img" / "link.png").symlink_to(outside)
    _, _, diags = read(root, "text\n\n![Linked](img/link.png)\n")
    assert messages(diags) == ["slides/test.md:3: error: image is outside the project through a symlink: "
                               "img/link.png (use --allow-dir to allow a folder)"]


def test_allowed_directory_outside_the_project(root: Path) -> None:
    shared = root.parent / "shared"
    shared.mkdir()
    (shared / "logo.png").write_bytes((FIXTURES / "img" / "whale.png").read_bytes())
    slides, _, diags = read(root, "![Logo](../../shared/logo.png)\n", allow_dirs=(shared,))
    assert diags == []
    image = slides[0].blocks[0]
    assert isinstance(image, Image) and image.path == (shared / "logo.png").resolve()


def test_image_path_from_project_root_with_leading_slash(root: Path) -> None:
    slides, _, diags = read(root, "![Whale](/slides/img/whale.png)\n")
    assert diags == []
    assert isinstance(slides[0].blocks[0], Image)
