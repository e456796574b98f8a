"""A typeset formula as writers draw it: metrics and filled outlines in em, as SVG or as PDF operators."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from deckwright.support.colors import rgb

# A segment of an outline: ("M", x, y), ("L", x, y), ("C", x1, y1, x2, y2, x, y) or ("Z",), in em,
# x from the box's left edge, y up from the baseline. Quadratic curves are made cubic here, so
# every writer (PDF operators, SVG paths) draws the same three kinds.
Segment = tuple[Any, ...]
# How many coordinates each operator takes.
ARITY = {"M": 2, "L": 2, "C": 6, "Z": 0}


@dataclass(frozen=True, slots=True)
class MathPath:
    """One filled outline (nonzero winding): glyphs of one colour, or one bar. `color` None: the
    text colour around the formula; else a CSS colour the formula set (\\color, mathcolor).

    Flat, to be cheap to read back from the cache and to walk: `ops` has one letter per segment
    (M, L, C, Z) and `coords` their coordinates in turn (ARITY of them each)."""

    ops: str
    coords: tuple[float, ...]
    color: str | None = None

    def segments(self) -> list[Segment]:
        out: list[Segment] = []
        at = 0
        for op in self.ops:
            n = ARITY[op]
            out.append((op, *self.coords[at:at + n]))
            at += n
        return out


@dataclass(frozen=True, slots=True)
class MathBox:
    """A typeset formula in em units (multiply by the font size): the advance `width`, `height`
    above the baseline and `depth` below it, and its drawing, painted in order."""

    width: float
    height: float
    depth: float
    paths: tuple[MathPath, ...]


# ------------------------------------------------------------------ drawing a box


def ink_bounds(box: MathBox) -> tuple[float, float, float, float] | None:
    """The drawing's extent (xmin, ymin, xmax, ymax) in em, y up; control points included."""
    xs: list[float] = []
    ys: list[float] = []
    for path in box.paths:
        xs.extend(path.coords[0::2])
        ys.extend(path.coords[1::2])
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def _num(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def svg(box: MathBox, size_px: float, color: str = "#000000") -> str:
    """The formula as a standalone SVG of (width × size_px) by ((height + depth) × size_px) px."""
    w, h = box.width * size_px, (box.height + box.depth) * size_px
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_num(w)}" height="{_num(h)}" '
             f'viewBox="0 {_num(-box.height)} {_num(box.width)} {_num(box.height + box.depth)}">']
    for path in box.paths:
        parts.append(f'<path fill="{_xml_attr(path.color or color)}" d="{svg_path_data(path)}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _xml_attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def svg_path_data(path: MathPath) -> str:
    """A path's `d` in em, y down (SVG's direction)."""
    coords = path.coords
    flipped = tuple(v if i % 2 == 0 else -v for i, v in enumerate(coords))
    # One %-format for the whole path: formatting number by number costs ten times as much.
    return ("".join(_SVG_FORMAT[op] for op in path.ops) % flipped).rstrip()


def pdf_path_ops(box: MathBox, x: float, y: float, size: float, color: str | None = None) -> str:
    """PDF content operators drawing the formula with its baseline origin (left edge) at (x, y)
    in PDF user space (y up) and 1 em = `size`: one `cm` scales the size-free outlines. Wrapped in
    q/Q, so the fill colour set here does not leak into what is drawn next."""
    head = f"q {_num(size)} 0 0 {_num(size)} {_num(x)} {_num(y)} cm"
    if color is not None:
        head += " " + _rg(color)
    return f"{head} {_pdf_body(box)} Q"


@lru_cache(maxsize=1024)
def _pdf_body(box: MathBox) -> str:
    out = []
    for path in box.paths:
        if path.color is not None:
            out.append("q " + _rg(path.color) + " ")
        out.append("".join(_PDF_FORMAT[op] for op in path.ops) % path.coords)
        out.append("f Q " if path.color is not None else "f ")
    return "".join(out).rstrip()


# Four decimals of an em: 0.01 pt on a 100 pt formula.
_PDF_FORMAT = {"M": "%.4f %.4f m ", "L": "%.4f %.4f l ", "C": "%.4f %.4f %.4f %.4f %.4f %.4f c ", "Z": "h "}
_SVG_FORMAT = {"M": "M%.4f %.4f ", "L": "L%.4f %.4f ", "C": "C%.4f %.4f %.4f %.4f %.4f %.4f ", "Z": "Z "}


def _rg(color: str) -> str:
    r, g, b = rgb(color)
    return f"{_num(r / 255)} {_num(g / 255)} {_num(b / 255)} rg"


__all__ = ["ARITY", "MathBox", "MathPath", "Segment", "ink_bounds", "pdf_path_ops", "svg", "svg_path_data"]
