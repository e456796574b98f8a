"""A failed build changes nothing on real file systems: a full tmpfs, a read-only mount (not simulations)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from testkit import REPO, require

TALK = "---\ntitle: My Talk\n---\n\n## One\n\ntext\n"


def build(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "deckwright.cli", "build", "-f", "all", "--root", str(root),
                           "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "DECKWRIGHT_CACHE_DIR": str(root.parent / "cache")})


def outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def mounted(*args: str) -> bool:
    """Run mount(8); False where this machine does not let the tests mount (not root, no capability)."""
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def talk(tmp_path: Path) -> Path:
    root = tmp_path / "talk"
    (root / "slides").mkdir(parents=True)
    (root / "slides" / "01.md").write_text(TALK, encoding="utf-8")
    return root


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    require(mounted("-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)), "mounting a tmpfs (root)")
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


def test_a_build_that_fills_the_disk_is_an_error_and_leaves_the_last_build(talk: Path,
                                                                         small_disk: Path) -> None:
    out = small_disk / "out"
    assert build(talk, out).returncode == 0
    before = outputs(out)
    # 2 MB of noise: the HTML copies it, the PPTX and PDF embed it; the disk has about 1 MB left.
    Image.frombytes("RGB", (800, 800), os.urandom(800 * 800 * 3)).save(talk / "slides" / "noise.png")
    (talk / "slides" / "01.md").write_text(TALK + "\n![noise](noise.png)\n", encoding="utf-8")
    result = build(talk, out)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "No space left on device" in result.stderr
    assert "previous outputs left untouched" in result.stderr
    assert outputs(out) == before
    assert not list(out.rglob("*.tmp"))  # no staging left behind


def test_a_build_into_a_read_only_output_folder_is_an_error_naming_it(talk: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert build(talk, out).returncode == 0
    before = outputs(out)
    # A read-only bind mount: root ignores permission bits, not a read-only file system.
    require(mounted("--bind", str(out), str(out)), "bind mounts (root)")
    try:
        assert mounted("-o", "remount,ro,bind", str(out))
        (talk / "slides" / "01.md").write_text(TALK.replace("text", "changed"), encoding="utf-8")
        result = build(talk, out)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert f"cannot write into {out}: Read-only file system" in result.stderr
        assert outputs(out) == before
    finally:
        subprocess.run(["umount", str(out)], check=True)
