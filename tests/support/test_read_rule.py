"""What a build may read: regular files, inside the allowed folders, within a size; asked before opening."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from deckwright.cli import main
from deckwright.support.paths import MAX_IMAGE_BYTES, unreadable

TALK = "---\ntitle: T\n---\n\n## One\n\ntext\n"


def build(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "--root", str(root), *args])
    return result.exit_code, result.stderr


def project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    (root / "slides").mkdir(parents=True)
    (root / "slides" / "01.md").write_text(TALK, encoding="utf-8")
    return root


def test_a_pipe_a_device_and_a_huge_file_are_refused_without_opening_them(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    big = tmp_path / "big"
    with big.open("wb") as handle:
        handle.truncate(2**30)  # sparse: a gigabyte that takes no disk
    assert unreadable(fifo, 10) == "is not a regular file (a pipe, a socket or a device)"
    assert unreadable(Path("/dev/zero"), 10) == "is not a regular file (a pipe, a socket or a device)"
    assert unreadable(big, MAX_IMAGE_BYTES) == "is 1.0 GB, more than the 128 MB deckwright reads"
    assert unreadable(tmp_path, 10) == "is a folder, not a file"
    assert unreadable(tmp_path / "nothing", 10) == "not found"


def test_a_fifo_among_the_slides_is_an_error_not_a_hang(tmp_path: Path) -> None:
    root = project(tmp_path)
    os.mkfifo(root / "slides" / "02.md")
    start = time.perf_counter()
    code, err = build(root, "-f", "html")
    assert time.perf_counter() - start < 20
    assert code == 1 and "slides/02.md:1: error: slide file is not a regular file" in err


def test_a_gigabyte_image_is_refused_with_its_size(tmp_path: Path) -> None:
    root = project(tmp_path)
    with (root / "slides" / "huge.png").open("wb") as handle:
        handle.truncate(2**30)
    (root / "slides" / "01.md").write_text(TALK + "\n![a huge picture](huge.png)\n", encoding="utf-8")
    code, err = build(root, "-f", "pptx")
    assert code == 1 and "image huge.png is 1.0 GB, more than the 128 MB deckwright reads" in err
    assert not (root / "dist").exists()


@pytest.mark.parametrize(("font", "message"), [
    ("../../../../../../etc/passwd", "is outside the project (use --allow-dir to allow a folder)"),
    ("notes.txt", "is not a TrueType or OpenType font"),
])
def test_a_theme_font_outside_the_project_or_not_a_font_is_an_error(tmp_path: Path, font: str,
                                                                    message: str) -> None:
    root = project(tmp_path)
    (root / "slides" / "01.md").write_text("---\ntitle: T\ntheme: mine\n---\n\n## One\n", encoding="utf-8")
    default = Path(__file__).resolve().parents[2] / "deckwright" / "themes" / "default"
    theme = root / "themes" / "mine"
    (theme / "fonts").mkdir(parents=True)
    for file in (default / "fonts").iterdir():
        (theme / "fonts" / file.name).write_bytes(file.read_bytes())
    (theme / "notes.txt").write_text("not a font", encoding="utf-8")
    yaml = (default / "theme.yaml").read_text(encoding="utf-8")
    yaml = yaml.replace("fonts/LiberationSans-Regular.ttf", font, 1)
    assert font in yaml
    (theme / "theme.yaml").write_text(yaml, encoding="utf-8")
    code, err = build(root, "-f", "html")
    assert code == 1 and f"font file {font}: {message}" in err and "Traceback" not in err
    assert not (root / "dist").exists()
