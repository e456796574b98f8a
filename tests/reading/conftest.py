"""Fixtures of the reading tests: a project whose slides/ folder is the reader fixture folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reading_helpers import FIXTURES


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project whose slides/ folder is a copy of the fixture folder (images included)."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES, project / "slides")
    return project
