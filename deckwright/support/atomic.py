"""Atomic outputs: write to a temporary path beside the target, then rename over it."""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Every folder a build writes into carries this file, listing what deckwright wrote there: a build
# replaces only what is listed (or an HTML folder holding its own marker), never anything else.
OUTPUT_MARKER = ".deckwright-output"


# Temporaries are `.<name>~<random>.tmp`: with a dot, `.talk.*.tmp` (the HTML folder's) also
# matched `.talk.pptx.<random>.tmp`, and the HTML writer removed the PPTX writer's temporary while
# it ran in a parallel worker. No output name holds a `~`.
def _temporary_prefix(target: Path) -> str:
    return f".{target.name}~"


def _remove_leftovers(target: Path) -> None:
    """Remove temporaries a killed build left beside `target` (ours are `.<name>~*.tmp`)."""
    for stale in target.parent.glob(f"{_temporary_prefix(target)}*.tmp"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp/mkdtemp create private (0600/0700) temporaries; outputs get the usual permissions,
# as if created plainly, so a web server or a colleague can read dist/.
_UMASK = _umask()


def write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see either the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(path)
    fd, tmp = tempfile.mkstemp(prefix=_temporary_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported.

    With two renames there is a moment with no folder at all: a reader (the live server, a
    browser reloading from disk) would find nothing, and a build killed then would lose the deck.
    """
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:  # a C library older than glibc 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # a file system without it
        return False
    raise OSError(code, os.strerror(code), str(b))


@contextmanager
def replace_dir(target: Path) -> Iterator[Path]:
    """Yield a fresh temporary directory; on success it replaces `target` as a whole.

    The swap is one exchange of the two folders where the system has it (Linux), else two renames
    (old aside, new in place), so a reader never sees a half-built folder; if the body raises,
    `target` is left untouched and the temporary folder removed.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    tmp = Path(tempfile.mkdtemp(prefix=_temporary_prefix(target), suffix=".tmp", dir=target.parent))
    os.chmod(tmp, 0o777 & ~_UMASK)
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    move_into_place(tmp, target)


def move_into_place(new: Path, target: Path) -> None:
    """Put the file or folder `new` where `target` is, replacing it in one step where possible."""
    if not new.is_dir():
        os.replace(new, target)
        return
    if target.is_dir() and not target.is_symlink() and _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # it holds the previous folder now
        return
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)
