"""The page layouts' one handle on drawing: a document's canvas and pictures, with what they draw on them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from deckwright.layout.geometry import Box
from deckwright.layout.plan import Para, SlidePlan
from deckwright.layout.text import Line
from deckwright.model.deck import Align, Slide
from deckwright.model.theme import Theme
from deckwright.support.diskcache import NO_CACHE, DiskCache
from deckwright.writers.common.images import Picture
from deckwright.writers.pdf import blocks, text
from deckwright.writers.pdf.canvas import Canvas, View
from deckwright.writers.pdf.images import Pictures
from deckwright.writers.pdf.slide import draw_slide


class Painter:
    """Draws slides, paragraphs and frames on one fpdf2 document for the slides PDF and the handout;
    the drawing itself is in canvas.py, text.py, blocks.py, tables.py, images.py and slide.py."""

    def __init__(self, pdf: Any, theme: Theme, pictures: Mapping[Path, Picture],
                 cache: DiskCache = NO_CACHE) -> None:
        self.canvas = Canvas(pdf, theme)
        self.pictures = Pictures(pictures, cache)

    def slide(self, view: View, slide: Slide, plan: SlidePlan, number: int, *, clip: bool = False) -> None:
        draw_slide(self.canvas, self.pictures, view, slide, plan, number, clip=clip)

    def paras(self, view: View, paras: Sequence[Para], box: Box, *, center: bool = False,
              top: float | None = None, tag: str | None = "/P") -> float:
        return blocks.paras(self.canvas, view, paras, box, center=center, top=top, tag=tag)

    def groups(self, view: View, groups: Sequence[tuple[Para, Sequence[text.LinePlace]]], x: float,
               tag: str | None) -> None:
        blocks.groups(self.canvas, view, groups, x, tag)

    def place(self, para: Para, line: Line, x: float, y: float, width: float, align: Align, *,
              first: bool = False) -> text.LinePlace:
        return text.place(self.canvas.theme, para, line, x, y, width, align, first=first)

    def rect(self, view: View, box: Box, color: str) -> None:
        self.canvas.rect(view, box, color)

    def outline(self, view: View, box: Box, color: str, width: float) -> None:
        self.canvas.outline(view, box, color, width)
