"""Outputs are replaced atomically: a failed or killed build leaves the previous files intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from deckwright.support import atomic
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


def test_writing_one_output_never_removes_the_temporary_of_another_being_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The HTML folder `talk` and `talk.pptx` are written at once by parallel writers: the leftovers
    # of `talk` (`.talk.*.tmp`) used to include the PPTX writer's temporary, removed under it.
    started, go = threading.Event(), threading.Event()
    real = os.replace

    def paused(src: str, dst: str) -> None:
        if str(dst).endswith(".pptx"):
            started.set()
            go.wait(10)
        real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", paused)
    failed: list[BaseException] = []

    def write_pptx() -> None:
        try:
            atomic.write_bytes(tmp_path / "talk.pptx", b"pptx")
        except BaseException as exc:  # reported by the assertion below
            failed.append(exc)

    writer = threading.Thread(target=write_pptx)
    writer.start()
    assert started.wait(10)
    atomic.write_bytes(tmp_path / "talk", b"html")
    go.set()
    writer.join(10)
    assert failed == [] and (tmp_path / "talk.pptx").read_bytes() == b"pptx"
