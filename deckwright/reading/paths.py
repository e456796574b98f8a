"""Where a deck's Markdown may read files from: support.paths' rule for every image and include."""

from __future__ import annotations

import os.path
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote as unquote_url

from deckwright.diagnostics import Diagnostic, SourceRef, error, warning
from deckwright.support.paths import MAX_IMAGE_BYTES, inside, unreadable

_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_REMOTE = re.compile(r"^(https?:)?//", re.IGNORECASE)
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


@dataclass(frozen=True)
class PathPolicy:
    """The folders one Markdown file may read from, and where its relative paths start."""

    root: Path  # the project, resolved
    base: Path  # the folder of the file being read
    allowed: tuple[Path, ...]  # the project and the --allow-dir folders, resolved
    # Decks written for other tools link web images; those are left out with a warning, not an error.
    remote_is_warning: bool = False

    @classmethod
    def for_file(cls, root: Path, path: str, allow_dirs: tuple[Path, ...] = (),
                 remote_is_warning: bool = False) -> PathPolicy:
        """The policy for the file `path` (as shown to the user, relative to `root`)."""
        resolved = root.resolve()
        return cls(resolved, (resolved / path).parent, (resolved, *(d.resolve() for d in allow_dirs)),
                   remote_is_warning)


def project_file(policy: PathPolicy, src: str, ref: SourceRef,
                 what: str) -> tuple[Path | None, list[Diagnostic]]:
    """The absolute path of a file the deck refers to (`what`: "image"…), if the policy lets it be read."""
    if policy.remote_is_warning and _REMOTE.match(src):
        return None, [warning(ref, f"{what} {src!r} is not downloaded (deckwright reads no network) and is "
                                   "left out: save it in the project and link it by path")]
    if (_URL_SCHEME.match(src) and not _DRIVE.match(src)) or src.startswith("//"):
        return None, [error(ref, f"{what} {src!r} is not a local file: deckwright reads no network; "
                                 "save it in the project and link it by path")]
    rel = unquote_url(src.split("#", 1)[0].split("?", 1)[0])
    if not rel or "\x00" in rel:
        return None, [error(ref, f"{what} has no path")]
    candidate = (policy.root / rel.lstrip("/")) if rel.startswith("/") else (policy.base / rel)
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a name the OS refuses
        return None, [error(ref, f"{what} cannot be read: {src}")]
    if not inside(resolved, *policy.allowed):
        lexical_inside = Path(os.path.normpath(candidate)).is_relative_to(policy.root)
        how = " through a symlink" if lexical_inside else ""
        return None, [error(ref, f"{what} is outside the project{how}: {src} (use --allow-dir to allow a "
                                 "folder)")]
    # Asked before anything opens it: a pipe would hang the build, a device or a sparse file of
    # a gigabyte would be read (and copied beside the HTML) to the end.
    problem = unreadable(resolved, MAX_IMAGE_BYTES)
    if problem == "not found":
        return None, [error(ref, f"{what} not found: {src}")]
    if problem is not None:
        return None, [error(ref, f"{what} {src} {problem}")]
    return resolved, []
