"""The disk cache: in the project by default, elsewhere when asked, never inside the checkout in tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from testkit import REPO

from deckwright.support.diskcache import CACHE_DIR, DIR_ENV, cache_problem, project_cache


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


def test_a_cache_folder_linked_out_of_the_project_is_refused(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DIR_ENV, raising=False)
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    (project / CACHE_DIR).symlink_to(elsewhere, target_is_directory=True)
    problem = cache_problem(project)
    assert problem is not None and "symbolic link" in problem and str(elsewhere) in problem
    cache = project_cache(project)
    cache.put("kind", "abcdef", b"value")
    assert cache.folder is None and list(elsewhere.iterdir()) == []


def test_a_cache_folder_linked_inside_the_project_is_used(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DIR_ENV, raising=False)
    (tmp_path / "kept").mkdir()
    (tmp_path / CACHE_DIR).symlink_to("kept", target_is_directory=True)
    assert cache_problem(tmp_path) is None
    assert project_cache(tmp_path).folder == tmp_path / CACHE_DIR


def test_every_command_refuses_a_cache_folder_linked_out_of_the_project(tmp_path: Path) -> None:
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    (project / "slides").mkdir(parents=True)
    (project / "slides" / "01.md").write_text("## A slide\n\nbody\n", encoding="utf-8")
    elsewhere.mkdir()
    (project / CACHE_DIR).symlink_to(elsewhere, target_is_directory=True)
    env = {k: v for k, v in os.environ.items() if k != DIR_ENV}
    for command in ("build", "check", "watch", "serve"):
        done = subprocess.run([sys.executable, "-m", "deckwright.cli", command, "--root", str(project)],
                              cwd=REPO, capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 1, (command, done.stderr)
        assert f"{project / CACHE_DIR} is a symbolic link to {elsewhere}, outside the project" in done.stderr
        assert "Traceback" not in done.stderr
    assert list(elsewhere.iterdir()) == [] and not (project / "dist").exists()
