"""Advisory locks (flock) on folders: one process at a time changes what an output folder shares.

The folder itself is locked (a descriptor of it), so no lock file is left among the outputs.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

# A file system without flock on folders (some network mounts): the folder is used unlocked, as before.
_UNSUPPORTED = (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL, errno.EBADF)
_POLL = 0.05


class Busy(Exception):
    """The lock stayed held by another process for the whole time allowed."""

    def __init__(self, folder: Path, seconds: float) -> None:
        super().__init__(f"{folder} stayed locked for {seconds:.0f} s")
        self.folder, self.seconds = folder, seconds


def _open(folder: Path) -> int:
    return os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)


def _try_lock(fd: int) -> bool | None:
    """Take the exclusive lock on `fd` if it is free: True, False when held, None without flock."""
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        if exc.errno in _UNSUPPORTED:
            return None
        raise
    return True


def _same_folder(fd: int, folder: Path) -> bool:
    """Whether `folder` still names the folder open as `fd` (it may have been removed and made anew)."""
    try:
        return os.path.samestat(os.fstat(fd), os.stat(folder))
    except FileNotFoundError:
        return False


@contextmanager
def hold(folder: Path, timeout: float, on_wait: Callable[[], None] | None = None,
         quiet: float = 1.0) -> Iterator[None]:
    """Hold the exclusive lock of `folder` (made, with its parents, if missing).

    While another process holds it, wait up to `timeout` seconds, calling `on_wait` once after
    `quiet` seconds (short waits are not worth a message); then raise `Busy`. The holder may remove
    the folder: a waiter that then gets the lock of the removed one makes the folder anew and tries
    again. Where there is no flock (not POSIX, a file system without it), nothing is locked.
    """
    if os.name != "posix":
        yield
        return
    start = time.monotonic()
    told = False
    while True:
        folder.mkdir(parents=True, exist_ok=True)
        try:
            fd = _open(folder)
        except FileNotFoundError:
            got: bool | None = False  # removed by its holder between the two calls
        else:
            try:
                got = _try_lock(fd)
            except BaseException:
                os.close(fd)
                raise
            if got is None or (got and _same_folder(fd, folder)):
                break
            os.close(fd)
            if got:
                continue  # the folder was removed while we waited: lock the one there now
        waited = time.monotonic() - start
        if waited >= timeout:
            raise Busy(folder, waited)
        if not told and waited >= quiet and on_wait is not None:
            on_wait()
            told = True
        time.sleep(min(_POLL, max(timeout - waited, 0.0)))
    try:
        yield
    finally:
        os.close(fd)  # releases the lock


def own(folder: Path) -> int | None:
    """Take the lock of the folder `folder`, which the caller has just made, for as long as the
    returned descriptor is open: it marks the folder as in use (see `is_free`). None where there
    is no flock."""
    if os.name != "posix":
        return None
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC | os.O_NOFOLLOW)
    try:
        got = _try_lock(fd)
    except BaseException:
        os.close(fd)
        raise
    if not got:
        os.close(fd)
        return None
    return fd


def is_free(folder: Path) -> bool | None:
    """Whether no process holds the lock of `folder`; None when that cannot be told (no such
    folder, a symbolic link, no flock)."""
    if os.name != "posix":
        return None
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        return _try_lock(fd)  # closing the descriptor releases the lock just taken
    finally:
        os.close(fd)
