"""Where a build may write: the output folder checked against the sources, and what it may replace."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from deckwright.diagnostics import Diagnostic, error
from deckwright.support import locking
from deckwright.support.atomic import OUTPUT_MARKER, move_into_place, write_text

_SOURCE_FOLDERS = ("slides", "assets", "themes")
_HEADER = "# Written by deckwright: the next build may replace what is listed here, and nothing else.\n"


def check_destination(out_dir: Path, root: Path, sources: Sequence[Path],
                      names: Iterable[str]) -> list[Diagnostic]:
    """Problems with writing `names` into `out_dir`, all at once; none means the build may write."""
    out = out_dir.resolve()
    problems = _refused_folder(out, root.resolve(), [s.resolve().parent for s in sources])
    if problems:
        return problems
    if out.exists() and not out.is_dir():
        return [error(None, f"the output folder {out} is a file, not a folder")]
    names = list(names)
    # The targets are looked at before the marker is read: a build lists a name before it puts the
    # output there (`commit`), so a target another build just put in place is in the marker read next.
    looked = [(name, _check_target(out, name)) for name in names]
    listed = written_here(out)
    # dist/ in the project is deckwright's own folder (it is made there by default): outputs that a
    # deckwright older than the marker wrote there may be replaced.
    ours = listed if listed is not None else (set(names) if out == (root / "dist").resolve() else set())
    problems = []
    for name, (problem, if_listed) in looked:
        if problem is None and if_listed and name not in ours:
            problem = error(None, f"refusing to replace {out / name.rstrip('/')}: deckwright did not "
                                  f"write it (no {OUTPUT_MARKER}); move it away or choose another --out")
        if problem is not None:
            problems.append(problem)
    return problems


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except RuntimeError:  # no home directory known (no HOME, no passwd entry)
        return None


def _refused_folder(out: Path, root: Path, source_parents: list[Path]) -> list[Diagnostic]:
    if out == Path(out.anchor) or out == _home():
        return [error(None, f"refusing to write into {out}: give --out a folder of its own")]
    if out == root or root.is_relative_to(out):
        return [error(None, f"refusing to write into {out}: it holds the project's sources ({root}); "
                            "the default is dist/ inside the project")]
    folders = [root / name for name in _SOURCE_FOLDERS] + [p for p in source_parents if p != root]
    for folder in folders:
        if out.is_relative_to(folder.resolve()) or folder.resolve().is_relative_to(out):
            return [error(None, f"refusing to write into {out}: it is, holds or lies inside the source "
                                f"folder {folder}")]
    return []


def _check_target(out: Path, name: str) -> tuple[Diagnostic | None, bool]:
    """What is in the way of `name`, and whether it may be replaced only if the marker lists it."""
    target = out / name.rstrip("/")
    if target.is_symlink():
        return error(None, f"refusing to replace {target}: it is a symbolic link"), False
    if not target.exists():
        return None, False
    folder = name.endswith("/")
    if folder != target.is_dir():
        kind = "file" if folder else "folder"
        return error(None, f"refusing to replace {target}: a {kind} is in the way"), False
    return None, not (folder and (target / OUTPUT_MARKER).is_file())


def written_here(out: Path) -> set[str] | None:
    """The names the marker in `out` lists, or None if `out` has no marker."""
    try:
        text = (out / OUTPUT_MARKER).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError):
        return set()
    return {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}


def record_outputs(out_dir: Path, names: Iterable[str]) -> None:
    """Add `names` to the marker of `out_dir` (after they were written)."""
    out = out_dir.resolve()
    listed = (written_here(out) or set()) | set(names)
    write_text(out / OUTPUT_MARKER, _HEADER + "".join(f"{name}\n" for name in sorted(listed)))


_STAGING = ".deckwright-build."
# A build holds the lock of the output folder while it changes what the folder shares (stagings
# made or removed, outputs put in place, the marker), so builds into one folder take turns. Those
# steps take milliseconds: a lock held this long belongs to a build that is stuck or stopped.
LOCK_TIMEOUT = 60.0

Notify = Callable[[str], None]


@contextlib.contextmanager
def output_lock(out_dir: Path, on_wait: Notify | None = None, timeout: float | None = None) -> Iterator[None]:
    """Hold the lock of `out_dir` (made if missing), waiting for another build that holds it
    (`on_wait` is told so after a second); `locking.Busy` after `timeout` (LOCK_TIMEOUT) seconds."""
    message = f"deckwright: waiting for another build into {out_dir} to finish"
    tell = (lambda: on_wait(message)) if on_wait is not None else None
    with locking.hold(out_dir, LOCK_TIMEOUT if timeout is None else timeout, tell):
        yield


@contextlib.contextmanager
def staging_folder(out_dir: Path, on_wait: Notify | None = None) -> Iterator[Path]:
    """A fresh folder inside `out_dir` where one build's writers put everything (same file system,
    so moving it into place is a rename), removed afterwards; stagings of builds that were killed
    are removed.

    It is made and locked by its build under the folder's lock, and the stagings of other builds
    are judged under it too: an unlocked staging has no build left.
    """
    with output_lock(out_dir, on_wait):
        for stale in out_dir.glob(f"{_STAGING}*.tmp"):
            if not live_staging(stale):
                shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING}{os.getpid()}.", suffix=".tmp", dir=out_dir))
        try:
            owner = locking.own(staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if owner is not None:
            os.close(owner)


def live_staging(path: Path) -> bool:
    """Whether `path` is the staging folder of a build that is still running (ask it holding the
    output folder's lock: a staging is made and locked under it)."""
    name = path.name
    if not name.startswith(_STAGING):
        return False
    # Locked by its build for as long as it, or a worker it forked, runs (a killed build's workers
    # may outlive it); its pid in the name is alive as long as the build is (a deckwright before
    # these locks, a file system without flock). Only with neither is it left over.
    return locking.is_free(path) is False or _alive(name.removeprefix(_STAGING).split(".", 1)[0])


def _alive(pid_text: str) -> bool:
    # Another build running into the same folder keeps its staging; a dead one's is left over.
    try:
        os.kill(int(pid_text), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def commit(staging: Path, out_dir: Path, names: Sequence[str], root: Path,
           sources: Sequence[Path], on_wait: Notify | None = None) -> list[Diagnostic]:
    """Put the staged outputs into `out_dir`, holding its lock: checked again (the folder may have
    changed while the writers ran), listed in the marker, then each moved into place.

    Listing before moving keeps every output deckwright put there listed at all times, which a
    build checking the folder without the lock relies on (`check_destination`). Raises OSError
    (nothing moved if the marker could not be written) or `locking.Busy`.
    """
    with output_lock(out_dir, on_wait):
        problems = check_destination(out_dir, root, sources, names)
        if problems:
            return problems
        record_outputs(out_dir, names)
        publish(staging, out_dir, names)
    return []


def remove_if_empty(out_dir: Path) -> None:
    """Remove `out_dir` if it is empty (a failed first build made it), unless another build is
    using it."""
    if not out_dir.is_dir() or out_dir.is_symlink():
        return
    with contextlib.suppress(OSError, locking.Busy), output_lock(out_dir, timeout=0):
        out_dir.rmdir()  # only if empty


def publish(staging: Path, out_dir: Path, names: Iterable[str]) -> list[Path]:
    """Move what the writers staged into `out_dir`, each output in one step; the paths now in place."""
    placed = []
    for name in names:
        staged = staging / name.rstrip("/")
        if staged.exists():
            target = out_dir / name.rstrip("/")
            move_into_place(staged, target)
            placed.append(target)
    return placed
