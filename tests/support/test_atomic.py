"""Outputs are replaced atomically: a failed or killed build leaves the previous files intact."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from deckwright.support.atomic import replace_dir, write_bytes


def test_write_bytes_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "deck.pptx"
    write_bytes(target, b"old")
    write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["deck.pptx"]


def test_a_failing_folder_build_keeps_the_previous_folder(tmp_path: Path) -> None:
    target = tmp_path / "deck"
    with replace_dir(target) as tmp:
        (tmp / "index.html").write_text("good")
    with pytest.raises(RuntimeError), replace_dir(target) as tmp:
        (tmp / "index.html").write_text("half")
        raise RuntimeError("writer failed")
    assert (target / "index.html").read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["deck"]


KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from deckwright.support.atomic import replace_dir, write_bytes
    target = Path(sys.argv[1])
    if sys.argv[2] == "file":
        # a writer that never finishes: the temporary file is half written when killed
        import deckwright.support.atomic as atomic
        def stall(*a):
            print("ready", flush=True); time.sleep(60)
        atomic.os.replace = stall
        write_bytes(target / "deck.pptx", b"half" * 1000)
    else:
        with replace_dir(target / "deck") as tmp:
            (tmp / "index.html").write_text("half")
            print("ready", flush=True)
            time.sleep(60)
    """
)


@pytest.mark.parametrize("kind", ["file", "dir"])
def test_sigkill_mid_write_leaves_the_previous_output(tmp_path: Path, kind: str) -> None:
    write_bytes(tmp_path / "deck.pptx", b"previous")
    with replace_dir(tmp_path / "deck") as tmp:
        (tmp / "index.html").write_text("previous")
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(tmp_path), kind],
                            stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert (tmp_path / "deck.pptx").read_bytes() == b"previous"
    assert (tmp_path / "deck" / "index.html").read_text() == "previous"
    assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir()), "the killed writer left its temporary"
    # The next good build removes what the killed one left behind.
    write_bytes(tmp_path / "deck.pptx", b"next")
    with replace_dir(tmp_path / "deck") as tmp:
        (tmp / "index.html").write_text("next")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck", "deck.pptx"]


def test_outputs_get_the_usual_permissions_not_the_temporaries_private_ones(tmp_path: Path) -> None:
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    write_bytes(tmp_path / "deck.pdf", b"x")
    with replace_dir(tmp_path / "deck") as tmp:
        (tmp / "index.html").write_text("x")
    assert (tmp_path / "deck.pdf").stat().st_mode & 0o777 == 0o666 & ~mask
    assert (tmp_path / "deck").stat().st_mode & 0o777 == 0o777 & ~mask
