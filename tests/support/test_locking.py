"""Folder locks: one holder at a time, waiters told and timed out, a removed folder made anew."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from deckwright.support.locking import Busy, hold, is_free, own

pytestmark = pytest.mark.skipif(os.name != "posix", reason="flock is POSIX")


def test_is_free_tells_an_owned_folder_from_a_free_one(tmp_path: Path) -> None:
    folder = tmp_path / "staging"
    assert is_free(folder) is None  # no such folder
    folder.mkdir()
    assert is_free(folder) is True
    fd = own(folder)
    assert fd is not None
    assert is_free(folder) is False
    os.close(fd)
    assert is_free(folder) is True


def test_a_waiter_is_told_once_and_gives_up_after_its_timeout(tmp_path: Path) -> None:
    told: list[float] = []
    with hold(tmp_path / "out", timeout=5):
        start = time.monotonic()
        with pytest.raises(Busy), hold(tmp_path / "out", timeout=0.6, on_wait=lambda: told.append(1),
                                       quiet=0.2):
            pass
        assert 0.6 <= time.monotonic() - start < 3
    assert told == [1]
    with hold(tmp_path / "out", timeout=0):  # free again: taken at once
        pass


def test_a_waiter_locks_the_folder_made_anew_after_its_holder_removed_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    holding, removed = threading.Event(), threading.Event()
    got: list[bool] = []

    def first() -> None:
        with hold(out, timeout=5):
            holding.set()
            time.sleep(0.3)  # the second is waiting on this very folder by now
            removed.set()  # before: the second may lock the new folder the moment this one is gone
            out.rmdir()

    def second() -> None:
        holding.wait(5)
        with hold(out, timeout=5):
            got.append(removed.is_set() and out.is_dir() and is_free(out) is False)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert got == [True]
