"""Fixtures of the dialect tests: an empty project with one picture (not the reader fixture folder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import PNG, ProjectFactory


@pytest.fixture
def root(make_project: ProjectFactory) -> Path:
    return make_project({"slides/img/whale.png": PNG})
