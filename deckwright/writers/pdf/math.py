"""Typeset formulas drawn into an fpdf2 page as filled vector paths, tagged /Formula with their TeX."""

from __future__ import annotations

from typing import Any

from deckwright.layout.mathbox import MathBox, pdf_path_ops
from deckwright.writers.pdf.canvas import Canvas


def draw_formula(pdf: Any, box: MathBox, x: float, baseline: float, size: float, color: str) -> None:
    """The formula's paths with its left edge at `x` and its baseline at `baseline` (fpdf2 user
    units, y down from the page's top, as fpdf2 counts), 1 em = `size` user units.

    fpdf2 has no call for a raw path with curves from our own data, so the operators go in as
    page content (as Canvas.tagged writes its marked content); q/Q around them keeps fpdf2's
    idea of the current fill colour true.
    """
    k = pdf.k
    pdf._out(pdf_path_ops(box, x * k, (pdf.h - baseline) * k, size * k, color))


def draw_tagged_formula(canvas: Canvas, box: MathBox, x: float, baseline: float, size: float,
                        color: str, tex: str) -> None:
    """`draw_formula` inside a /Formula structure element whose alternate text is the TeX: a screen
    reader reads the source, and the text layer holds none of it."""
    with canvas.tagged("/Formula", alt=tex):
        draw_formula(canvas.pdf, box, x, baseline, size, color)


__all__ = ["draw_formula", "draw_tagged_formula"]
