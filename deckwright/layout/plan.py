"""The plan: where everything on each slide goes, at the size fit chose; the value writers translate."""

from __future__ import annotations

from dataclasses import dataclass

from deckwright.diagnostics import SourceRef
from deckwright.layout.geometry import Box
from deckwright.layout.text import TextRun
from deckwright.model.deck import Align, CodeBlock, Columns, Image, QRCode, Table


@dataclass(frozen=True, slots=True)
class Bullet:
    """A bullet character, or automatic numbering from `start` when `char` is empty."""

    char: str = ""
    start: int = 1


@dataclass(frozen=True, slots=True)
class Para:
    """One paragraph as every writer lays it out: sizes in px, already scaled."""

    runs: tuple[TextRun, ...]
    size: float
    color: str
    ref: SourceRef
    level: int = 0
    margin: float = 0.0
    hanging: float = 0.0
    bullet: Bullet | None = None
    space_before: float = 0.0
    align: Align = Align.DEFAULT
    step: int = 0
    line_height: float = 1.25
    # A quote's bar: its x offset in px from the text box's left edge (None = not in a quote).
    bar: float | None = None

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True, slots=True)
class TextItem:
    paras: tuple[Para, ...]


@dataclass(frozen=True, slots=True)
class CodeItem:
    block: CodeBlock
    paras: tuple[Para, ...]


@dataclass(frozen=True, slots=True)
class TableItem:
    block: Table
    size: float
    widths: tuple[float, ...]
    row_heights: tuple[float, ...]
    # Caption and footnotes, written in a text box under the table.
    notes: tuple[Para, ...]
    # The columns do not fit the width even with every word on its own line.
    too_wide: bool = False


@dataclass(frozen=True, slots=True)
class ImageItem:
    block: Image | QRCode


@dataclass(frozen=True, slots=True)
class ColumnsItem:
    block: Columns


Item = TextItem | CodeItem | TableItem | ImageItem | ColumnsItem


@dataclass(frozen=True, slots=True)
class Placed:
    item: Item
    box: Box
    # For columns: the placements inside each column.
    columns: tuple[tuple[Placed, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Footer:
    """A slide's footer band and running header, in the band's colour and size (None: not shown)."""

    text: Para | None
    header: Para | None
    # Whether the slide number shows (each writer writes the number its own way: text, or a field).
    numbered: bool
    size: float
    color: str
    line_height: float


@dataclass(frozen=True, slots=True)
class SlidePlan:
    """Where everything on one slide goes, at the slide's font scale."""

    scale: float
    title: Para | None
    title_box: Box | None
    subtitle: Para | None
    subtitle_box: Box | None
    body: tuple[Placed, ...]
    body_box: Box
    # image-left/right: the slide's first image in its own box.
    image: Placed | None
    # How much the body needs beyond its box, as a fraction of the box (0 = fits).
    overflow: float
    title_overflow: float
    # The title slide's or section's subtitle, likewise (0 = fits, or no subtitle).
    subtitle_overflow: float
    # A code line wraps at this scale (fit shrinks to avoid it while it can).
    code_wraps: bool
    # Lines of code on the slide once wrapped.
    code_lines: int
    too_wide: tuple[Table, ...]
    # The footer band; None on a title slide.
    footer: Footer | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """The deck laid out: one SlidePlan per slide of the fitted deck, in order (pandoc's Presentation)."""

    slides: tuple[SlidePlan, ...]
