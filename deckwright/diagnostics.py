"""Source positions and the diagnostics every stage of the pipeline reports."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


@dataclass(frozen=True, slots=True, order=True)
class SourceRef:
    """A place in a source file: the path as shown to the user and a 1-based line."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the sources, printed as ``path:line: severity: message``."""

    ref: SourceRef | None
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"{self.ref}: " if self.ref is not None else ""
        return f"{where}{self.severity.value}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(ref: SourceRef | None, message: str) -> Diagnostic:
    return Diagnostic(ref, Severity.ERROR, message)


def warning(ref: SourceRef | None, message: str) -> Diagnostic:
    return Diagnostic(ref, Severity.WARNING, message)


def has_errors(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> bool:
    return any(d.is_error for d in diagnostics)


def sort_key(d: Diagnostic) -> tuple[str, int, str]:
    """Order diagnostics by file and line so a report reads top to bottom."""
    return (d.ref.path, d.ref.line, d.message) if d.ref else ("", 0, d.message)


def display_path(path: Path, root: Path) -> str:
    """The path as the user should see it: relative to the project root when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
