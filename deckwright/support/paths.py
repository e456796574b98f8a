"""The one rule for what a build may read: a regular file, inside the allowed folders, within a size."""

from __future__ import annotations

import os
import stat
from pathlib import Path

# Sizes past which a file is refused before it is read (a deck's text is kilobytes; fonts for
# whole scripts reach tens of megabytes; a photo a few).
MAX_TEXT_BYTES = 16 * 2**20
MAX_FONT_BYTES = 64 * 2**20
MAX_IMAGE_BYTES = 128 * 2**20
# A reference .pptx (the organisation's masters, layouts and their pictures).
MAX_DECK_BYTES = 128 * 2**20


def inside(path: Path, *folders: Path) -> bool:
    """A file may be read when, symlinks followed, it lies in one of `folders` (resolved)."""
    resolved = path.resolve()
    return any(resolved.is_relative_to(folder) for folder in folders)


def unreadable(path: Path, limit: int) -> str | None:
    """Why `path` must not be opened, or None: only regular files up to `limit` bytes are read.

    Asked of the file system (stat), never by opening: a FIFO would block the build forever and
    a device (/dev/zero) would never end.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return "not found"
    except (OSError, RuntimeError, ValueError) as exc:  # a symlink loop, a name the OS refuses
        return f"cannot be read ({getattr(exc, 'strerror', None) or exc})"
    if stat.S_ISDIR(info.st_mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a pipe, a socket or a device)"
    if info.st_size > limit:
        return f"is {_size(info.st_size)}, more than the {_size(limit)} deckwright reads"
    return None


def misnamed(name: str) -> str | None:
    """A file name that is not UTF-8, as it can be shown (bytes as \\xNN), or None when it is UTF-8.

    Such a name reaches Python as lone surrogates, which no output can hold (the HTML writer
    failed on one with a traceback): the file is reported and left out instead.
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return None


NOT_UTF8_NAME = "the file name is not UTF-8: rename it (file names are shown in the deck's outputs)"


def _size(n: int) -> str:
    return f"{n / 2**30:.1f} GB" if n >= 2**30 else f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n} bytes"
