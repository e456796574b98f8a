"""What test modules import (a conftest.py is for fixtures): the repository, CI, real clients, samples.

Test modules import these from here, never `from testkit import …`: with a conftest.py in a
subdirectory, the name `conftest` is whichever of them pytest loaded last.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from deckwright.diagnostics import Diagnostic, SourceRef
from deckwright.model.deck import Span
from deckwright.writers import FORMATS

REPO = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The reader fixtures' picture, for projects written by `make_project`.
PNG = (REPO / "tests" / "fixtures" / "reader" / "img" / "whale.png").read_bytes()

ProjectFactory = Callable[[dict[str, str | bytes]], Path]


def require(ok: bool, what: str) -> None:
    """Skip when a real client is missing on a developer machine; fail when CI=true."""
    if ok:
        return
    if IN_CI:
        pytest.fail(f"{what} is required when CI=true but is not installed")
    pytest.skip(f"{what} is not installed")


def messages(diags: Sequence[Diagnostic]) -> list[str]:
    """Diagnostics as they are printed: `path:line: severity: message`."""
    return [str(d) for d in diags]


def usable_formats() -> tuple[str, ...]:
    """The output formats whose writer imports on this machine."""
    usable = []
    for name, module in FORMATS.items():
        try:
            importlib.import_module(module)
        except ImportError:
            continue
        usable.append(name)
    return tuple(usable)


def ref(line: int) -> SourceRef:
    return SourceRef("slides/deck.md", line)


def text(s: str, **style: Any) -> tuple[Span, ...]:
    return (Span(s, **style),)
