"""A build never deletes or replaces what deckwright did not write: output folders are marked and checked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from deckwright.cli import main
from deckwright.support.atomic import OUTPUT_MARKER

TALK = "---\ntitle: My Talk\n---\n\n## One\n\ntext\n"


def project(parent: Path, name: str = "my-talk", front: str = TALK) -> Path:
    root = parent / name
    (root / "slides").mkdir(parents=True)
    (root / "slides" / "01-intro.md").write_text(front, encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    return root


def build(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "--root", str(root), *args])
    return result.exit_code, result.stderr


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes: what must survive a refused build."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_default_dist_is_marked_and_replaced_on_the_next_build(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert build(root, "-f", "html", "-f", "pptx")[0] == 0
    assert (root / "dist" / "my-talk" / OUTPUT_MARKER).is_file()
    listed = (root / "dist" / OUTPUT_MARKER).read_text(encoding="utf-8").splitlines()
    assert "my-talk/" in listed and "my-talk.pptx" in listed
    assert build(root, "-f", "html", "-f", "pptx")[0] == 0


@pytest.mark.parametrize("out", ["..", ".", "slides", "slides/sub", "/"])
def test_an_output_folder_that_is_holds_or_lies_in_the_sources_is_refused(tmp_path: Path, out: str) -> None:
    root = project(tmp_path / "parent")
    (tmp_path / "parent" / "other.txt").write_text("keep me", encoding="utf-8")
    before = tree(tmp_path / "parent")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        code, err = build(root, "-f", "html", "--out", out)
    finally:
        os.chdir(cwd)
    assert code == 1 and "refusing to write into" in err
    assert tree(tmp_path / "parent") == before  # the slides and .git are all there


def test_the_home_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    code, err = build(root, "-f", "pdf", "--out", str(home))
    assert code == 1 and f"refusing to write into {home.resolve()}" in err
    assert list(home.iterdir()) == []


def test_a_slug_naming_a_source_never_replaces_it(tmp_path: Path) -> None:
    root = project(tmp_path, front="---\ntitle: T\nslug: slides\n---\n\n## One\n")
    code, err = build(root, "-f", "html", "--out", str(root))
    assert code == 1 and "refusing" in err
    assert (root / "slides" / "01-intro.md").is_file()


def test_a_folder_deckwright_did_not_write_is_not_replaced(tmp_path: Path) -> None:
    root = project(tmp_path)
    out = tmp_path / "site"
    (out / "my-talk").mkdir(parents=True)
    (out / "my-talk" / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "my-talk.pdf").write_bytes(b"%PDF-1.4 my own")
    code, err = build(root, "-f", "html", "-f", "pdf", "--out", str(out))
    assert code == 1
    assert f"refusing to replace {out.resolve() / 'my-talk'}: deckwright did not write it" in err
    assert f"refusing to replace {out.resolve() / 'my-talk.pdf'}" in err  # every problem at once
    assert (out / "my-talk" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "my-talk.pdf").read_bytes() == b"%PDF-1.4 my own"


def test_an_existing_folder_of_ones_own_is_written_into_and_then_rebuilt(tmp_path: Path) -> None:
    root = project(tmp_path)
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("my site", encoding="utf-8")
    assert build(root, "-f", "html", "--out", str(out))[0] == 0
    assert build(root, "-f", "html", "--out", str(out))[0] == 0  # its marker now lists my-talk/
    assert (out / "index.html").read_text(encoding="utf-8") == "my site"
    assert (out / OUTPUT_MARKER).read_text(encoding="utf-8").splitlines()[-1] == "my-talk/"


def test_a_symbolic_link_or_a_file_in_the_way_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious").write_text("x", encoding="utf-8")
    (root / "dist").mkdir()
    (root / "dist" / "my-talk").symlink_to(elsewhere)
    code, err = build(root, "-f", "html")
    assert code == 1 and "it is a symbolic link" in err
    assert (elsewhere / "precious").is_file()
    (root / "dist" / "my-talk").unlink()
    (root / "dist" / "my-talk").write_text("a file", encoding="utf-8")
    code, err = build(root, "-f", "html")
    assert code == 1 and "a file is in the way" in err


def test_an_output_folder_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "dist").write_text("not a folder", encoding="utf-8")
    code, err = build(root, "-f", "pptx")
    assert code == 1 and "is a file, not a folder" in err and "Traceback" not in err
