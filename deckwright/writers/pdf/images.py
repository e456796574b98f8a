"""Pictures and QR codes on the page: raster images embedded (at most a few megapixels), SVG images placed
to be drawn as vectors once the document is written, QR codes as vector modules with their link."""

from __future__ import annotations

import io
from collections.abc import Mapping
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from deckwright.layout.geometry import Box, fit_image
from deckwright.layout.plan import ImageItem, Placed
from deckwright.model.deck import QRCode
from deckwright.support.diskcache import NO_CACHE, DiskCache
from deckwright.writers.common.images import Picture, downscaled, rasterise
from deckwright.writers.pdf.canvas import Canvas, View
from deckwright.writers.pdf.text import link_target
from deckwright.writers.pdf.vector import Placement

# Pixels an image keeps in the PDF: twice a 1280×720 slide across and down, enough to zoom in or
# print; a 64-megapixel photo embedded whole cost seconds and most of a gigabyte.
PDF_MAX_PIXELS = 4 * 1280 * 720


class Pictures:
    """The deck's pictures as one document draws them, and the SVG placements it collects (drawn as
    vectors by vector.py once the document is written)."""

    def __init__(self, pictures: Mapping[Path, Picture], cache: DiskCache = NO_CACHE) -> None:
        self.pictures = pictures
        self.cache = cache
        # Images' width / height: fit sizes them no taller than their full-width size (as in PPTX).
        self.aspects = {path: picture.aspect for path, picture in pictures.items()}
        self.vectors: list[Placement] = []

    def image(self, canvas: Canvas, view: View, placed: Placed) -> None:
        """A placed image or QR code, fitted into its box (no wider than its `width` share)."""
        if not isinstance(placed.item, ImageItem):
            return
        block = placed.item.block
        if isinstance(block, QRCode):
            qr(canvas, view, block.url, placed.box)
            return
        picture = self.pictures.get(block.path)
        if picture is None:
            return  # reported when loading
        max_width = placed.box.w * block.width if block.width else None
        box = fit_image(float(picture.width), float(picture.height), placed.box, max_width)
        self.draw(canvas, view, picture, box, block.alt or block.title)

    def draw(self, canvas: Canvas, view: View, picture: Picture, box: Box, alt: str,
             vector: bool = True) -> None:
        """`picture` into `box`: a /Figure with `alt`, decoration without. `vector`: an SVG is drawn
        as vectors (a background is not: it is cut to the slide, which a placement cannot be)."""
        x, y, w, h = view.box(box)
        if w <= 0 or h <= 0:
            return
        if vector and picture.svg is not None:
            self.vectors.append(Placement(canvas.pdf.page - 1, picture.svg, x, y, w, h))
            if alt:
                # The figure's alt text in the structure tree; its drawing is added afterwards.
                with canvas.tagged("/Figure", alt=alt):
                    pass
            return
        # Raster files are embedded as they are, an SVG as its rasterised PNG; fpdf2 keys images by
        # content, so an image on many slides is stored once.
        source: Any = downscaled(picture, PDF_MAX_PIXELS)
        if not source and picture.svg is not None:
            source = rasterise(picture.svg, self.cache)[0]
        if isinstance(source, bytes):
            source = io.BytesIO(source)
        # With alt text fpdf2 tags the image as a figure; without, it is decoration.
        with nullcontext() if alt else canvas.tagged(None):
            canvas.pdf.image(source, x=x, y=y, w=w, h=h, alt_text=alt or None)


def qr(canvas: Canvas, view: View, url: str, box: Box) -> None:
    """A vector QR code (dark modules as filled rectangles, a quiet zone), linked to its URL."""
    from deckwright.writers.common.qr import qr_matrix  # segno only for decks that show a QR code

    matrix = qr_matrix(url)
    modules = len(matrix) + 8  # the quiet zone: four modules each side
    side = min(box.w, box.h)
    square = Box(box.x + (box.w - side) / 2, box.y, side, side)
    dark = canvas.theme.color("text")
    unit = side / modules
    with canvas.tagged("/Figure", alt=f"QR code for {url}"):
        _modules(canvas, view, matrix, square, unit, dark)
    target = link_target(url)
    if target is not None:  # the same schemes as text links: no javascript: or file: actions
        canvas.link(view, square, target)


def _modules(canvas: Canvas, view: View, matrix: tuple[tuple[bool, ...], ...], square: Box, unit: float,
             dark: str) -> None:
    canvas.rect(view, square, "#ffffff", artifact=False)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            canvas.rect(view, Box(square.x + (start + 4) * unit, square.y + (r + 4) * unit,
                                  (c - start) * unit, unit), dark, artifact=False)
