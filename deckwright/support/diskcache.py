"""A content-addressed cache across builds, in <project>/.deckwright-cache/ (git-ignored).

Only for results that are pure functions of their inputs and cost more to compute than to read
back (an SVG's PNG fallback, highlighted code). The key hashes every input, the code that
computes the result and the version of the library it uses, so a hit returns exactly the bytes a
miss would compute: outputs are byte-identical with or without the cache, and deleting the
folder only costs time. A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CACHE_DIR = ".deckwright-cache"
# Set to 1 to build without reading or writing the cache (for timing cold builds).
DISABLE_ENV = "DECKWRIGHT_NO_CACHE"
# Set to a folder to keep every project's cache there, one subfolder per project, instead of in
# the project (a read-only checkout, a test run that must leave no trace). Entries are read back
# as outputs, so the folder must be writable by its user only.
DIR_ENV = "DECKWRIGHT_CACHE_DIR"


@dataclass(frozen=True, slots=True)
class DiskCache:
    """Values by key under `folder`; `folder` None = no cache."""

    folder: Path | None

    def get(self, kind: str, key: str) -> bytes | None:
        if self.folder is None:
            return None
        try:
            return self._path(kind, key).read_bytes()
        except OSError:
            return None

    def put(self, kind: str, key: str, value: bytes) -> None:
        if self.folder is None:
            return
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(value)
                os.replace(tmp, path)  # readers see the whole value or none
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            return

    def _path(self, kind: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / kind / key[:2] / key


def project_cache(root: Path) -> DiskCache:
    """The cache of the project at `root` (none when DECKWRIGHT_NO_CACHE=1 or when its folder is
    refused, see `cache_problem`; under DECKWRIGHT_CACHE_DIR when that is set)."""
    if os.environ.get(DISABLE_ENV, "").strip() in ("1", "true", "yes"):
        return DiskCache(None)
    elsewhere = os.environ.get(DIR_ENV, "").strip()
    if elsewhere:
        # `~` expanded and a relative folder taken from where deckwright started, once, as a shell would.
        project = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]
        return DiskCache(Path(elsewhere).expanduser().resolve() / project)
    if cache_problem(root) is not None:
        return DiskCache(None)
    return DiskCache(root / CACHE_DIR)


def cache_problem(root: Path) -> str | None:
    """Why the project's own cache folder is refused, or None.

    Entries are read back as outputs and written with the user's rights: a .deckwright-cache that
    is a symbolic link out of the project (a checkout can carry one) would have builds write into,
    and read outputs from, a folder elsewhere on the machine.
    """
    if os.environ.get(DISABLE_ENV, "").strip() in ("1", "true", "yes") or os.environ.get(DIR_ENV, "").strip():
        return None
    folder = root / CACHE_DIR
    if not folder.is_symlink():
        return None
    try:
        target = folder.resolve(strict=False)
    except (OSError, RuntimeError):  # a symlink loop
        return f"{folder} is a symbolic link that cannot be followed: remove it"
    if target.is_relative_to(root.resolve()):
        return None
    return (f"{folder} is a symbolic link to {target}, outside the project: remove it "
            f"(or set {DIR_ENV} to keep the cache in another folder)")


def cache_folders(root: Path) -> list[Path]:
    """Every folder the cache of the project at `root` may write into, whole (<root>/.deckwright-cache
    and DECKWRIGHT_CACHE_DIR with every project's subfolder): a watcher ignores them."""
    folders = [root / CACHE_DIR]
    elsewhere = os.environ.get(DIR_ENV, "").strip()
    if elsewhere:
        folders.append(Path(elsewhere).expanduser().resolve())
    return folders


NO_CACHE = DiskCache(None)


def key_of(*parts: str | bytes) -> str:
    """A hex digest of the parts, each length-prefixed so that no two lists of parts collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


@lru_cache(maxsize=32)
def library_stamp(package: str) -> str:
    """Which installation of a package computes a result: its location, size and time, found
    without importing it (importing is what a cache hit saves). An upgrade changes the stamp."""
    spec = importlib.util.find_spec(package)
    origin = spec.origin if spec is not None else None
    if not origin:
        return f"{package}:missing"
    try:
        stat = os.stat(origin)
    except OSError:
        return f"{package}:{origin}"
    return f"{package}:{origin}:{stat.st_size}:{stat.st_mtime_ns}"


@lru_cache(maxsize=32)
def source_stamp(path: str) -> str:
    """A hash of one of our own source files: changing how a result is computed changes its key."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return path


__all__ = ["CACHE_DIR", "DISABLE_ENV", "NO_CACHE", "DiskCache", "cache_folders", "cache_problem", "key_of",
           "library_stamp", "project_cache", "source_stamp"]
