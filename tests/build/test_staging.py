"""A failed build changes nothing: every writer writes into one staging folder, moved into place only
when all succeeded."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from click.testing import CliRunner
from testkit import PNG

from deckwright.cli import main

TALK = "---\ntitle: My Talk\n---\n\n## One\n\n![whale](whale.png)\n"


def build(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "--root", str(root), *args])
    return result.exit_code, result.stderr


def outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    project = tmp_path / "talk"
    (project / "slides").mkdir(parents=True)
    (project / "slides" / "01.md").write_text(TALK, encoding="utf-8")
    (project / "slides" / "whale.png").write_bytes(PNG)
    return project


def test_a_build_that_fails_in_one_writer_leaves_every_output_as_it_was(root: Path) -> None:
    assert build(root, "-f", "html", "-f", "pptx")[0] == 0
    before = outputs(root / "dist")
    (root / "slides" / "01.md").write_text(TALK.replace("## One", "## Changed"), encoding="utf-8")
    (root / "slides" / "whale.png").write_bytes(PNG[: len(PNG) // 3])  # truncated: PPTX fails
    code, err = build(root, "-f", "html", "-f", "pptx")
    assert code == 1 and "whale.png" in err
    assert outputs(root / "dist") == before  # index.html was not rewritten either
    assert not [p for p in (root / "dist").iterdir() if p.name.startswith(".deckwright-build.")]


def test_a_full_disk_is_an_error_and_changes_nothing(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert build(root, "-f", "html", "-f", "pdf")[0] == 0
    before = outputs(root / "dist")
    from deckwright.writers.pdf import writer as pdf_writer

    def full(*_args: object, **_kwargs: object) -> object:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pdf_writer, "write", full)
    (root / "slides" / "01.md").write_text(TALK.replace("## One", "## Changed"), encoding="utf-8")
    code, err = build(root, "-f", "html", "-f", "pdf")
    assert code == 1 and "cannot write the pdf output: No space left on device" in err
    assert "Traceback" not in err
    assert outputs(root / "dist") == before


def test_a_failed_first_build_leaves_no_output_folder(root: Path) -> None:
    (root / "slides" / "whale.png").write_bytes(b"not a png")
    assert build(root, "-f", "html", "-f", "pptx")[0] == 1
    assert not (root / "dist").exists()


def test_a_running_builds_staging_is_kept_and_a_dead_ones_removed(tmp_path: Path) -> None:
    import os

    from deckwright.build.outputs import staging_folder
    from deckwright.serve.rebuild import remove_temporaries

    out = tmp_path / "dist"
    with staging_folder(out) as mine:
        dead = out / ".deckwright-build.999999999.x.tmp"
        dead.mkdir()
        remove_temporaries(out)
        assert mine.is_dir() and not dead.exists() and str(os.getpid()) in mine.name
        dead.mkdir()
        with staging_folder(out) as again:
            assert not dead.exists() and mine.is_dir() and again.is_dir()
    assert not mine.exists() and not again.exists()
