"""ziamath behind MathBox: its layout of a formula walked into size-free outlines, its errors as problems.

The only module that imports ziamath (lazily: importing this one costs nothing), so that the
typesetter could be replaced behind `typeset_now` and `layout`.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

from deckwright.layout.mathbox import MathBox, MathPath

# ziamath lays out at this size in px; every length is divided by it. Large, so that the few
# places where ziamath rounds or clamps in px (its smallest script size) never act.
NOMINAL_PX = 1000.0
# Coordinates are kept to 1e-5 em: 0.001 pt on a 100 pt formula, and the same floats whether a
# box was just computed or read back from the disk cache.
_DIGITS = 5


# ziamath's fonts, glyph caches and configuration are module state: one layout at a time. A
# forked worker makes its own lock: the one it inherits may have been held by another thread.
_LOCK = threading.Lock()
_LOCK_PID = os.getpid()


def _lock() -> threading.Lock:
    global _LOCK, _LOCK_PID
    if os.getpid() != _LOCK_PID:
        _LOCK, _LOCK_PID = threading.Lock(), os.getpid()
    return _LOCK


def typeset_now(source: str, display: bool, font: Path | None) -> tuple[MathBox | None, str | None]:
    """The formula laid out at NOMINAL_PX as a box in em, and a problem (see math.typeset)."""
    with _lock(), _ZiaLog() as log:
        try:
            box, missing = layout(source, display, font, NOMINAL_PX)
        except _TooDeep:
            _HEIGHT_PASSES[0] = 0
            return None, (f"cannot typeset the formula: it nests stretchy fences (\\left…\\right, matrices) "
                          f"more than {MAX_STRETCH_NESTING} deep")
        except Exception as exc:  # ziamath and latex2mathml raise anything on input they cannot read
            _HEIGHT_PASSES[0] = 0
            return None, _describe(exc)
    problems = list(dict.fromkeys(log.messages))
    if missing:
        problems.append("the math font has no glyph for " + " ".join(missing))
    return box, ("; ".join(problems) if problems else None)


def _describe(exc: Exception) -> str:
    if isinstance(exc, ImportError):
        return "math cannot be typeset: ziamath is not installed"
    text = str(exc).strip()
    if not text and type(exc).__module__.startswith("latex2mathml"):
        # Its errors carry only their class: MissingSuperScriptOrSubscriptError.
        name = type(exc).__name__.removesuffix("Error")
        text = "".join(" " + c.lower() if c.isupper() else c for c in name).strip()
    elif not text:
        text = "ziamath cannot lay it out"
    return f"cannot typeset the formula: {text}"


class _ZiaLog(logging.Handler):
    """Warnings ziamath and ziafont log (to the root logger) while a formula is laid out, kept
    instead of printed; other records go where they would have gone."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self._root = logging.getLogger()
        self._others = not self._root.handlers

    def emit(self, record: logging.LogRecord) -> None:
        if "ziamath" in record.pathname or "ziafont" in record.pathname:
            if record.msg == "Undefined element %s" and record.args:
                tag = getattr(record.args[0], "tag", record.args[0])  # type: ignore[index]
                self.messages.append(f"unsupported MathML element <{tag}> is left out")
            else:
                self.messages.append(record.getMessage())
        elif self._others and logging.lastResort is not None:
            logging.lastResort.handle(record)

    def __enter__(self) -> _ZiaLog:
        self._root.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        self._root.removeHandler(self)


_FAST = False
# Rows holding a stretchy operator (a fence grown to its row), nested: ziamath's layout time
# doubles with each level (11 levels: about a second), so deeper ones are refused.
MAX_STRETCH_NESTING = 10
_HEIGHT_PASSES = [0]


class _TooDeep(Exception):
    """A formula nests more rows with stretchy fences than MAX_STRETCH_NESTING."""


def _speed_up() -> None:
    """ziamath's costs cut, the layout unchanged (tests/layout/test_math.py compares them)."""
    global _FAST
    if _FAST:
        return
    _fewer_height_passes()
    _cheaper_styles()
    _lengths_parsed_once()
    _FAST = True


def _fewer_height_passes() -> None:
    r"""Every row lays each child out twice, the first time only to learn the row's height for
    stretchy operators (a `\left(` grown to the row); rows nest, so a formula was laid out
    2^depth times: two thirds of all typesetting time. A row with no operator that could stretch
    skips that first pass (its result is only read by such an operator), and rows nested past
    MAX_STRETCH_NESTING are refused."""
    from ziamath import operators
    from ziamath.nodes import mrow, nodetools

    table = operators.operators
    stretchy = {name for (name, _), params in table.items() if params.get("stretchy", "false") != "false"}

    def may_stretch(line: list[Any]) -> bool:
        for child in line:
            for node in child.iter():
                if node.tag == "mo" and (node.get("stretchy", "false") != "false"
                                         or nodetools.elementtext(node) in stretchy):
                    return True
        return False

    measured = mrow.Mrow._get_height_nostretch

    def height_nostretch(self: Any, line: list[Any], **kwargs: Any) -> tuple[float, float]:
        if not may_stretch(line):
            return 0.0, 0.0
        if _HEIGHT_PASSES[0] >= MAX_STRETCH_NESTING:
            raise _TooDeep
        _HEIGHT_PASSES[0] += 1
        try:
            return measured(self, line, **kwargs)
        finally:
            _HEIGHT_PASSES[0] -= 1

    mrow.Mrow._get_height_nostretch = height_nostretch  # type: ignore[method-assign]


def _cheaper_styles() -> None:
    """Every node's style copies its parent's with dataclasses.asdict, which copies deeply, and
    reads it through a ChainMap under the node's attributes; the style reads only plain fields,
    so a shallow copy merged into one dict gives the same values."""
    from dataclasses import fields

    from ziamath import styles

    def merged(attrib: dict[str, Any], parent: dict[str, Any]) -> dict[str, Any]:
        return {**parent, **attrib}

    def shallow(obj: Any) -> dict[str, Any]:
        return {f.name: getattr(obj, f.name) for f in fields(obj)}

    styles.asdict = shallow  # type: ignore[attr-defined,assignment]
    styles.ChainMap = merged  # type: ignore[attr-defined,assignment]


def _lengths_parsed_once() -> None:
    """A length attribute ("thinmathspace", "0.2em") is parsed again at each use, building a
    table of fourteen strings each time; its value depends only on the text and the font size."""
    from functools import lru_cache

    from ziamath.nodes import mnode

    original = mnode.Mnode.size_px

    @lru_cache(maxsize=4096)
    def parse_length(size: str, fontsize: float) -> float:
        return float(original(None, size, fontsize))  # type: ignore[arg-type]  # reads no node given a size

    def size_px(self: Any, size: str, fontsize: float | None = None) -> float:
        return parse_length(size, self.glyphsize if fontsize is None else fontsize)

    mnode.Mnode.size_px = size_px  # type: ignore[method-assign]


# The content hash of each font file ziamath has loaded, by path.
_LOADED: dict[str, tuple[int, int] | None] = {}


def layout(source: str, display: bool, font: Path | None, size: float) -> tuple[MathBox, list[str]]:
    """ziamath's layout of the formula at `size` px, walked into a box in em, and the characters
    the font has no glyph for (drawn as its .notdef box)."""
    import warnings
    import xml.etree.ElementTree as ET

    with warnings.catch_warnings():  # its font lookup uses a deprecated importlib.resources call
        warnings.simplefilter("ignore", DeprecationWarning)
        from ziamath import zmath
        from ziamath.config import config
    _speed_up()

    fontname = str(font) if font is not None else None
    if fontname is not None:
        # ziamath keeps each font by path: a file changed since it was read is read again.
        try:
            stat = os.stat(fontname)
            now: tuple[int, int] | None = (stat.st_size, stat.st_mtime_ns)
        except OSError:
            now = None
        if _LOADED.get(fontname, now) != now:
            zmath.loadedfonts.pop(fontname, None)
        _LOADED[fontname] = now
    text = source.strip()
    if text.startswith("<"):
        if "<!" in text:  # a DTD or entity declarations: nothing MathML from our reader has
            raise ValueError("MathML with a DOCTYPE or entity declarations is not read")
        element = ET.fromstring(text)  # noqa: S314 (no DTD, so no entity expansion; expat reads no files)
        element.set("display", "block" if display else "inline")
        math = zmath.Math(element, size=size, font=fontname, margin=0)
    else:
        math = zmath.Math.fromlatex(text, size=size, font=fontname, inline=not display, margin=0)
    bbox = math.node.bbox
    walker = _Walker(x0=bbox.xmin, size=size, default_color=config.math.color)
    walker.walk(math.node, 0.0, 0.0)
    box = MathBox(width=_r((bbox.xmax - bbox.xmin) / size), height=_r(max(bbox.ymax, 0.0) / size),
                  depth=_r(max(-bbox.ymin, 0.0) / size), paths=walker.finish())
    return box, list(dict.fromkeys(walker.missing))


def _r(value: float) -> float:
    return round(value, _DIGITS) + 0.0  # + 0.0: no -0.0 in the output


class _Walker:
    """Draws ziamath's node tree as Mnode.draw does (each child at its offset), collecting
    outlines instead of SVG elements: no SVG text is written or parsed."""

    def __init__(self, x0: float, size: float, default_color: str) -> None:
        self.x0 = x0
        self.size = size
        self.default_color = default_color
        self.paths: list[MathPath] = []
        self._ops: list[str] = []
        self._xy: list[float] = []
        self._glyph_color: str | None = None
        self.missing: list[str] = []

    # Positions are ziamath's: px, y down from the baseline.
    def walk(self, node: Any, x: float, y: float) -> None:
        from ziamath.nodes.mnode import Mnode

        if isinstance(node, Mnode):
            background = node.style.mathbackground
            if background not in ("none", None, ""):
                b = node.bbox
                self._rect(x + b.xmin, y - b.ymax, b.xmax - b.xmin, b.ymax - b.ymin, background)
            for (dx, dy), child in zip(node.nodexy, node.nodes, strict=False):
                self.walk(child, x + dx, y + dy)
        elif not getattr(node, "phantom", False):
            self._drawable(node, x, y)

    def _drawable(self, node: Any, x: float, y: float) -> None:
        from ziamath import drawable

        if isinstance(node, drawable.Glyph):
            self._glyph(node, x, y)
        elif isinstance(node, drawable.HLine):
            self._rect(x, y, node.length, node.lw, self._color(node.style))
        elif isinstance(node, drawable.VLine):
            self._rect(x - node.lw / 2, y, node.lw, node.height, self._color(node.style))
        elif isinstance(node, drawable.Box):
            self._frame(x, y - node.height, node.width, node.height, node.lw, self._color(node.style))
        elif isinstance(node, drawable.Diagonal):
            self._line(x, y - node.height, x + node.width, y, node.lw, self._color(node.style))
        elif isinstance(node, drawable.Ellipse):
            self._ellipse(x + node.width / 2, y - node.height / 2, node.width / 2, node.height / 2,
                          node.lw, self._color(node.style))

    def finish(self) -> tuple[MathPath, ...]:
        self._flush()
        return tuple(self.paths)

    def _color(self, style: Any) -> str | None:
        color = getattr(style, "mathcolor", None)
        return None if not color or color == self.default_color else str(color)

    def _X(self, px: float) -> float:
        return _r((px - self.x0) / self.size)

    def _Y(self, py: float) -> float:
        return _r(-py / self.size)

    def _glyph(self, node: Any, x: float, y: float) -> None:
        from ziamath.mathtable import AssembledGlyph

        color = self._color(node.style)
        if color != self._glyph_color:
            self._flush()
            self._glyph_color = color
        glyph = node.glyph
        if glyph.index == 0 and node.char and not node.char.isspace():
            self.missing.append(node.char)
        scale = node.size / glyph.font.info.layout.unitsperem
        if isinstance(glyph, AssembledGlyph):
            for part, offset in zip(glyph.glyphs, glyph.offsets, strict=False):
                if glyph.vert:
                    self._outline(part.operators, x, y - offset * scale, scale)
                else:
                    self._outline(part.operators, x + offset * scale, y, scale)
        else:
            self._outline(glyph.operators, x, y, scale)

    def _outline(self, operators: Any, x: float, y: float, scale: float) -> None:
        """A glyph's contours (font units, y up) placed with its origin at (x, y)."""
        ops, units = _contours(operators)
        # Straight to em, y up: font units × k + the origin's offset.
        k = scale / self.size
        ox, oy = (x - self.x0) / self.size, -y / self.size
        self._ops.append(ops)
        self._xy += [round(ox + u * k, _DIGITS) if i % 2 == 0 else round(oy + u * k, _DIGITS)
                     for i, u in enumerate(units)]

    def _flush(self) -> None:
        if self._ops:
            self.paths.append(MathPath("".join(self._ops), _clean(self._xy), self._glyph_color))
            self._ops, self._xy = [], []

    def _shape(self, points: list[tuple[float, float]], color: str | None) -> None:
        # Bars are their own paths: an outline overlapping a glyph of the other winding
        # direction would cut a hole in it under the nonzero rule.
        self._flush()
        coords = [c for px, py in points for c in (self._X(px), self._Y(py))]
        self.paths.append(MathPath("M" + "L" * (len(points) - 1) + "Z", _clean(coords), color))

    def _rect(self, x: float, y: float, w: float, h: float, color: str | None) -> None:
        """A filled rectangle, top-left (x, y) in px, y down."""
        if w > 0 and h > 0:
            self._shape([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], color)

    def _frame(self, x: float, y: float, w: float, h: float, lw: float, color: str | None) -> None:
        """A stroked rectangle (menclose box) as four filled bars centred on its edges."""
        half = lw / 2
        self._rect(x - half, y - half, w + lw, lw, color)
        self._rect(x - half, y + h - half, w + lw, lw, color)
        self._rect(x - half, y + half, lw, h - lw, color)
        self._rect(x + w - half, y + half, lw, h - lw, color)

    def _line(self, x1: float, y1: float, x2: float, y2: float, lw: float, color: str | None) -> None:
        """A stroked straight line (menclose strikes) as a filled parallelogram."""
        import math

        length = math.hypot(x2 - x1, y2 - y1)
        if length <= 0:
            return
        nx, ny = -(y2 - y1) / length * lw / 2, (x2 - x1) / length * lw / 2
        self._shape([(x1 + nx, y1 + ny), (x2 + nx, y2 + ny), (x2 - nx, y2 - ny), (x1 - nx, y1 - ny)], color)

    def _ellipse(self, cx: float, cy: float, rx: float, ry: float, lw: float, color: str | None) -> None:
        """A stroked ellipse (menclose circle) as a ring: outer and inner outlines wound opposite ways."""
        self._flush()
        outer = _ellipse_coords(cx, cy, rx + lw / 2, ry + lw / 2, self._X, self._Y, reverse=False)
        inner = _ellipse_coords(cx, cy, max(rx - lw / 2, 0), max(ry - lw / 2, 0), self._X, self._Y,
                                reverse=True)
        self.paths.append(MathPath("MCCCCZ" * 2, _clean(outer + inner), color))


def _ellipse_coords(cx: float, cy: float, rx: float, ry: float, X: Any, Y: Any, *,
                    reverse: bool) -> list[float]:
    """An ellipse as M and four C segments' coordinates (then Z)."""
    k = 0.5522847498  # four cubics per ellipse
    sign = -1 if reverse else 1
    pts = [(cx + rx, cy), (cx, cy + sign * ry), (cx - rx, cy), (cx, cy - sign * ry)]
    out = [X(pts[0][0]), Y(pts[0][1])]
    for i in range(4):
        (ax, ay), (bx, by) = pts[i], pts[(i + 1) % 4]
        c1 = (ax + k * (bx - cx) if ax == cx else ax, ay + k * (by - cy) if ay == cy else ay)
        c2 = (bx + k * (ax - cx) if bx == cx else bx, by + k * (ay - cy) if by == cy else by)
        out += [X(c1[0]), Y(c1[1]), X(c2[0]), Y(c2[1]), X(bx), Y(by)]
    return out


# A glyph's outline as operators and coordinates in font units, quadratics raised to cubics; by
# the identity of ziafont's operator list, which it keeps for each glyph it has loaded (the list
# is held here too, so an id is never reused while it is a key).
_CONTOURS: dict[int, tuple[Any, str, tuple[float, ...]]] = {}


def _contours(operators: Any) -> tuple[str, tuple[float, ...]]:
    found = _CONTOURS.get(id(operators))
    if found is not None and found[0] is operators:
        return found[1], found[2]
    ops: list[str] = []
    xy: list[float] = []
    open_contour = False
    cx = cy = 0.0  # the current point, for raising quadratics to cubics
    for op in operators:
        kind = op.__class__.__name__
        if kind == "Moveto":
            if open_contour:
                ops.append("Z")
            cx, cy = op.p.x, op.p.y
            ops.append("M")
            xy += (cx, cy)
            open_contour = True
        elif kind == "Lineto":
            cx, cy = op.p.x, op.p.y
            ops.append("L")
            xy += (cx, cy)
        elif kind == "Quad":
            qx, qy, ex, ey = op.p1.x, op.p1.y, op.p2.x, op.p2.y
            ops.append("C")
            xy += (cx + 2 / 3 * (qx - cx), cy + 2 / 3 * (qy - cy),
                   ex + 2 / 3 * (qx - ex), ey + 2 / 3 * (qy - ey), ex, ey)
            cx, cy = ex, ey
        elif kind == "Cubic":
            ops.append("C")
            xy += (op.p1.x, op.p1.y, op.p2.x, op.p2.y, op.p3.x, op.p3.y)
            cx, cy = op.p3.x, op.p3.y
    if open_contour:
        ops.append("Z")
    if len(_CONTOURS) >= 8192:
        _CONTOURS.clear()
    result = ("".join(ops), tuple(float(v) for v in xy))
    _CONTOURS[id(operators)] = (operators, *result)
    return result


def _clean(coords: list[float]) -> tuple[float, ...]:
    # -0.0 reads back from JSON as -0.0 but prints as "-0": one spelling for zero.
    return tuple(c + 0.0 for c in coords)


__all__ = ["NOMINAL_PX", "layout", "typeset_now"]
