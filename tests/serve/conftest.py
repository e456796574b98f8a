"""Fixtures of the watch, rebuild and serve tests: the live deck on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from serve_helpers import DECK, SECOND, png
from testkit import ProjectFactory


@pytest.fixture
def project(make_project: ProjectFactory) -> Path:
    """The live deck: two Markdown files and a picture."""
    return make_project({"slides/01-deck.md": DECK, "slides/02-more.md": SECOND, "assets/pic.png": png()})
