"""The wheel works on its own: built from the checkout, installed in an empty venv, it builds a deck."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader
from testkit import REPO, require

from deckwright.support.packaged import REVEAL_VENDOR, THEMES_DIR
from deckwright.writers.html.writer import REVEAL_FILES

pytestmark = pytest.mark.wheel

NODE_REVEAL = REPO / "node_modules" / "reveal.js"
TITLES = ("Installed from a wheel", "Second slide")
INTRO = f"""\
# {TITLES[0]}

Built by a deckwright of its own, with its packaged theme and reveal.js.

---

# {TITLES[1]}

- one
- two
"""


def run(args: list[str | Path], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run outside the test's environment: PYTHONPATH (the checkout) would hide the installed wheel."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(PYTHONNOUSERSITE="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result


def checkout_copy(dest: Path) -> Path:
    """The checkout's files (tracked, and new ones not ignored) with node_modules linked in: the
    build then never sees a stale build/ folder, and leaves nothing in the checkout."""
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], capture_output=True, check=True).stdout
    for rel in filter(None, listed.decode().split("\0")):
        source = REPO / rel
        if source.is_file():  # a tracked file deleted in the working tree is not part of it
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)
    (dest / "node_modules").symlink_to(REPO / "node_modules", target_is_directory=True)
    return dest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require(all((NODE_REVEAL / rel).is_file() for rel in REVEAL_FILES), "reveal.js (run `npm ci`)")
    require(shutil.which("git") is not None and (REPO / ".git").exists(), "git and a git checkout")
    require(importlib.util.find_spec("ensurepip") is not None, "venv with ensurepip (Debian: python3-venv)")
    tmp = tmp_path_factory.mktemp("wheel")
    source = checkout_copy(tmp / "source")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", tmp / "out", source], cwd=tmp)
    (built,) = (tmp / "out").glob("deckwright-*.whl")
    return built


def test_the_wheel_holds_the_theme_the_template_and_reveal(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        vendor = f"deckwright/{REVEAL_VENDOR}"
        for rel in REVEAL_FILES:
            # The very bytes npm ci installed from the lockfile.
            assert archive.read(f"{vendor}/{rel}") == (NODE_REVEAL / rel).read_bytes(), rel
        for path in (THEMES_DIR / "default").rglob("*"):
            if path.is_file():
                name = f"deckwright/themes/default/{path.relative_to(THEMES_DIR / 'default').as_posix()}"
                assert archive.read(name) == path.read_bytes(), name
    assert {"deckwright/themes/default/theme.yaml", "deckwright/templates/reveal.html.j2",
            "deckwright/themes/default/fonts/LiberationSans-Regular.ttf",
            "deckwright/themes/default/fonts/LiberationMono-Regular.ttf"} <= names
    # Only the package and its metadata: no tests, slides, node_modules or build.py.
    metadata = wheel.name.split("-py3")[0] + ".dist-info"
    assert {name.split("/")[0] for name in names} == {"deckwright", metadata}


def test_the_installed_wheel_builds_every_format_on_its_own(wheel: Path, tmp_path: Path) -> None:
    env = tmp_path / "venv"
    run([sys.executable, "-m", "venv", env], cwd=tmp_path)
    python = env / "bin" / "python"
    run([python, "-m", "pip", "install", "-q", wheel], cwd=tmp_path)
    project = tmp_path / "project"
    (project / "slides").mkdir(parents=True)
    (project / "slides" / "intro.md").write_text(INTRO, encoding="utf-8")
    where = run([python, "-c", "import deckwright; print(deckwright.__file__)"], cwd=project).stdout
    assert Path(where.strip()).is_relative_to(env), where

    run([env / "bin" / "deckwright", "build", "-f", "all"], cwd=project)

    dist = project / "dist"
    deck = Presentation(str(dist / "deck.pptx"))
    assert len(deck.slides) == len(TITLES)
    for slide, title in zip(deck.slides, TITLES, strict=True):
        assert title in [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]

    pages = PdfReader(dist / "deck.pdf").pages
    assert len(pages) == len(TITLES)
    for page, title in zip(pages, TITLES, strict=True):
        assert title in page.extract_text()
    handout = "\n".join(page.extract_text() for page in PdfReader(dist / "deck-handout.pdf").pages)
    assert all(title in handout for title in TITLES)

    folder = dist / "deck"
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    for rel in REVEAL_FILES:
        copied = f"reveal/{rel.removeprefix('dist/')}"
        assert (folder / copied).read_bytes() == (NODE_REVEAL / rel).read_bytes(), copied
    index = (folder / "index.html").read_text(encoding="utf-8")
    css = (folder / "assets" / "deck.css").read_text(encoding="utf-8")
    assert all(title in index for title in TITLES)
    # Every reference is a file of the folder (or inline data); nothing names another host.
    for url in re.findall(r'(?:src|href)="([^"#]+)"', index):
        assert url.startswith("data:") or url in files, url
    for url in re.findall(r'url\("([^"]+)"\)', css):
        assert f"assets/{url}" in files, url
    assert not re.search(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}", index + css)
