"""Where a build may write: the output folder checked against the sources, and what it may replace."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from deckwright.diagnostics import Diagnostic, error
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
    listed = written_here(out)
    # dist/ in the project is deckwright's own folder (it is made there by default): outputs that a
    # deckwright older than the marker wrote there may be replaced.
    ours = listed if listed is not None else (set(names) if out == (root / "dist").resolve() else set())
    return [d for name in names if (d := _check_target(out, name, ours)) is not None]


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


def _check_target(out: Path, name: str, ours: set[str]) -> Diagnostic | None:
    target = out / name.rstrip("/")
    if target.is_symlink():
        return error(None, f"refusing to replace {target}: it is a symbolic link")
    if not target.exists():
        return None
    folder = name.endswith("/")
    if folder != target.is_dir():
        return error(None, f"refusing to replace {target}: a {'file' if folder else 'folder'} is in the way")
    if name in ours or (folder and (target / OUTPUT_MARKER).is_file()):
        return None
    return error(None, f"refusing to replace {target}: deckwright did not write it (no {OUTPUT_MARKER}); "
                       "move it away or choose another --out")


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


def staging_folder(out_dir: Path) -> Path:
    """A fresh folder inside `out_dir` where one build's writers put everything (same file system,
    so moving it into place is a rename); stagings of builds that were killed are removed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(f"{_STAGING}*.tmp"):
        if not _alive(stale.name.removeprefix(_STAGING).split(".", 1)[0]):
            shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{_STAGING}{os.getpid()}.", suffix=".tmp", dir=out_dir))


def live_staging(path: Path) -> bool:
    """Whether `path` is the staging folder of a build that is still running."""
    name = path.name
    return name.startswith(_STAGING) and _alive(name.removeprefix(_STAGING).split(".", 1)[0])


def _alive(pid_text: str) -> bool:
    # Another build running into the same folder keeps its staging; a dead one's is left over.
    try:
        os.kill(int(pid_text), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


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
