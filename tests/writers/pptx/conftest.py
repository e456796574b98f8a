"""Fixtures of the PPTX tests: the sample deck's images, and the sample deck built."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx_sample import build_sample, make_images

from deckwright.model.theme import Theme


@pytest.fixture
def images(tmp_path: Path) -> dict[str, Path]:
    return make_images(tmp_path)


@pytest.fixture
def built(images: dict[str, Path], theme: Theme, tmp_path: Path) -> Path:
    return build_sample(images, theme, tmp_path)
