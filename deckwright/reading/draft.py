"""The slide being read: what has been found for it so far, before it becomes a Slide."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from deckwright.diagnostics import SourceRef
from deckwright.model.deck import Block, Image, Inline, Layout
from deckwright.reading.steps import Steps


@dataclass
class Draft:
    """A slide while it is being read."""

    ref: SourceRef
    title: Inline = ()
    title_level: int = 0
    blocks: list[Block] = field(default_factory=list)
    notes: list[Block] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    layout: Layout | None = None
    background_color: str | None = None
    background_image: Path | None = None
    steps: Steps = field(default_factory=Steps)
    in_notes: bool = False
    # reveal.js: the break before this slide was a vertical one.
    vertical: bool = False
    # Marp: directives written on this slide (local and `_` spot ones), resolved.
    marp: dict[str, object] = field(default_factory=dict)
    # Marp `![bg left]` / `![bg right]`: the side and the image block placed there.
    side_image: tuple[str, Image] | None = None

    def is_empty(self) -> bool:
        return not (self.title or self.blocks or self.notes or self.classes or self.layout
                    or self.background_color or self.background_image or self.marp)
