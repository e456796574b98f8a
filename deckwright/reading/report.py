"""One file's diagnostics, collected in order while it is read; some kinds of warning only once."""

from __future__ import annotations

from collections.abc import Iterable

from deckwright.diagnostics import Diagnostic, SourceRef, error, warning


class Report:
    """The diagnostics of one file being read (reading reports and carries on; it never raises)."""

    def __init__(self) -> None:
        self.diags: list[Diagnostic] = []
        self._once: set[str] = set()

    def error(self, ref: SourceRef, message: str) -> None:
        self.diags.append(error(ref, message))

    def warn(self, ref: SourceRef, message: str) -> None:
        self.diags.append(warning(ref, message))

    def warn_once(self, kind: str, ref: SourceRef, message: str) -> None:
        """One warning per kind of construct per file, at its first line (not one per use)."""
        if kind not in self._once:
            self._once.add(kind)
            self.warn(ref, message)

    def extend(self, diags: Iterable[Diagnostic]) -> None:
        self.diags.extend(diags)
