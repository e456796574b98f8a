"""The writer registry: a format name maps to a module with `write(deck, theme, out_dir, plan=)`.

Each writer returns (paths written, diagnostics) and writes atomically (see atomic.py).
Modules are imported only when their format is built, so `--help` stays fast.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Protocol

from deckwright.diagnostics import Diagnostic
from deckwright.layout.plan import Plan
from deckwright.model.deck import Deck
from deckwright.model.theme import Theme


class WriterFn(Protocol):
    """A writer translates fit's plan of the deck into files under out_dir."""

    def __call__(self, deck: Deck, theme: Theme, out_dir: Path, *,
                 plan: Plan | None = None) -> tuple[list[Path], list[Diagnostic]]: ...

# Build order when several formats are asked for: HTML first (it is what the preview shows).
FORMATS: dict[str, str] = {
    "html": "deckwright.writers.html.writer",
    "pptx": "deckwright.writers.pptx.writer",
    "pdf": "deckwright.writers.pdf.writer",
}


# What each writer writes into the output folder (a name ending in "/" is a folder). The build
# checks these names before any writer runs, and the writers name their outputs by them.
_OUTPUTS: dict[str, tuple[str, ...]] = {
    "html": ("{slug}/",),
    "pptx": ("{slug}.pptx",),
    "pdf": ("{slug}.pdf", "{slug}-handout.pdf"),
}


def output_names(fmt: str, slug: str) -> tuple[str, ...]:
    """The names the `fmt` writer gives its outputs for a deck named `slug`."""
    return tuple(name.format(slug=slug) for name in _OUTPUTS[fmt])


def get_writer(fmt: str) -> WriterFn:
    module = importlib.import_module(FORMATS[fmt])
    writer: WriterFn = module.write
    return writer
