"""Shared fixtures: tiny projects on disk, the default theme, the real clients (Chromium, LibreOffice)."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from testkit import CHROMIUM, REPO, ProjectFactory, require

from deckwright.model.theme import Theme, load_theme


def pytest_configure(config: pytest.Config) -> None:
    # Builds of the repository's own deck keep their cache in a temporary folder, not in the
    # checkout: the suite leaves the repository as it found it. Subprocesses inherit it.
    # Its own folder even when the developer has one set: tests must not fill (or read) a real cache.
    import tempfile

    folder = tempfile.mkdtemp(prefix="deckwright-test-cache-")
    os.environ["DECKWRIGHT_CACHE_DIR"] = folder
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of Debian's chromium, for Playwright's `executable_path`."""
    require(Path(CHROMIUM).is_file(), f"Chromium ({CHROMIUM})")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        require(False, "the playwright Python package")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Any]:
    """One headless Chromium for the whole session (Debian's, never a downloaded build).

    Shared by every test module: Playwright's sync API cannot start a second instance while
    one is running in the same thread.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, headless=True,
                                     args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def soffice() -> str:
    """Path of LibreOffice's soffice."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    require(path is not None, "LibreOffice (soffice)")
    assert path is not None
    return path


@pytest.fixture(scope="session")
def pdftotext() -> str:
    path = shutil.which("pdftotext")
    require(path is not None, "poppler-utils (pdftotext)")
    assert path is not None
    return path


@pytest.fixture
def make_project(tmp_path: Path) -> ProjectFactory:
    """Write a small project: {relative path: text or bytes}; text is dedented.

    Every project gets an empty slides/ folder; the default theme comes from the engine.
    """

    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "project"
        (root / "slides").mkdir(parents=True, exist_ok=True)
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return root

    return make


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="module")
def theme() -> Theme:
    """The default theme, loaded cleanly."""
    loaded, diags = load_theme(REPO, "default", None)
    assert diags == [] and loaded is not None, diags
    return loaded
