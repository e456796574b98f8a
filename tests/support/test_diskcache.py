"""The disk cache: in the project by default, elsewhere when asked, never inside the checkout in tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from testkit import REPO

from deckwright.support.diskcache import CACHE_DIR, DIR_ENV, project_cache


def test_the_cache_is_in_the_project_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DIR_ENV, raising=False)
    cache = project_cache(tmp_path)
    cache.put("kind", "abcdef", b"value")
    assert cache.folder == tmp_path / CACHE_DIR
    assert (tmp_path / CACHE_DIR / "kind" / "ab" / "abcdef").read_bytes() == b"value"


def test_a_cache_folder_elsewhere_keeps_one_subfolder_per_project(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    monkeypatch.setenv(DIR_ENV, str(shared))
    one, two = project_cache(tmp_path / "one"), project_cache(tmp_path / "two")
    one.put("kind", "abcdef", b"1")
    two.put("kind", "abcdef", b"2")
    assert one.folder != two.folder and one.folder is not None and one.folder.parent == shared
    assert one.get("kind", "abcdef") == b"1" and two.get("kind", "abcdef") == b"2"
    assert not (tmp_path / "one" / CACHE_DIR).exists()
    assert project_cache(tmp_path / "one") == one  # the same project finds its cache again


def test_the_suite_keeps_builds_of_the_repository_out_of_the_checkout() -> None:
    folder = project_cache(REPO).folder
    assert os.environ.get(DIR_ENV) and folder is not None
    assert not folder.resolve().is_relative_to(REPO)
