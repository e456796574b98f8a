"""Formulas typeset once by ziamath into size-free boxes: metrics and filled outlines in em units."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import struct
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from deckwright.support.colors import rgb
from deckwright.support.diskcache import NO_CACHE, DiskCache, key_of, library_stamp, source_stamp

# A segment of an outline: ("M", x, y), ("L", x, y), ("C", x1, y1, x2, y2, x, y) or ("Z",), in em,
# x from the box's left edge, y up from the baseline. Quadratic curves are made cubic here, so
# every writer (PDF operators, SVG paths) draws the same three kinds.
Segment = tuple[Any, ...]
# How many coordinates each operator takes.
ARITY = {"M": 2, "L": 2, "C": 6, "Z": 0}

# ziamath lays out at this size in px; every length is divided by it. Large, so that the few
# places where ziamath rounds or clamps in px (its smallest script size) never act.
NOMINAL_PX = 1000.0
# Coordinates are kept to 1e-5 em: 0.001 pt on a 100 pt formula, and the disk cache's JSON
# reads back exactly the floats a miss computes.
_DIGITS = 5
# Changes when what a box holds or how it is computed changes (part of the disk-cache key).
_FORMAT = "2"  # 2: coordinates as doubles after the JSON line


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


# ------------------------------------------------------------------ typesetting


def typeset(source: str, *, display: bool, font: Path | None = None,
            cache: DiskCache = NO_CACHE) -> tuple[MathBox | None, str | None]:
    """A formula (TeX, or MathML when it starts with `<`) laid out as a box, and a problem.

    (box, None) when it typeset cleanly; (box, problem) when ziamath drew it but met something it
    does not know; (None, problem) when it could not be typeset. `font`: a font file with a MATH
    table (None: STIX Two Math, bundled with ziamath). Results are remembered in memory and in
    `cache`; a hit imports neither ziamath nor latex2mathml.
    """
    font_key = _font_key(font)
    if font_key is None:
        return None, f"math font {font} cannot be read"
    wanted = (source, display, font, font_key)
    found = _MEMORY.get(wanted)
    if found is not None:
        return found
    key = _disk_key(source, display, font_key)
    stored = cache.get("math", key)
    found = _decode(stored) if stored is not None else None
    if found is None:
        found = _typeset_now(source, display, font)
        cache.put("math", key, _encode(found))
    _remember(wanted, found)
    return found


# Results by (source, display, font, font hash), for the rest of the process: fit's shrink steps,
# the three writers and the handout ask for the same formulas.
_MEMORY: dict[tuple[str, bool, Path | None, str], tuple[MathBox | None, str | None]] = {}
_MEMORY_MAX = 8192


def prime(formulas: Iterable[tuple[str, bool]], *, font: Path | None = None, cache: DiskCache = NO_CACHE,
          workers: int = 1) -> None:
    """Typeset every (source, display) not yet known, so that `typeset` then answers from memory.

    Those the disk cache holds are read back; the rest are laid out, in `workers` forked
    processes when there are enough of them to pay for the pool (ziamath takes ~10-20 ms a
    formula and holds the GIL throughout, so threads would not help). Each result comes back in
    the cache's own form, so it is the same box whichever process computed it.
    """
    font_key = _font_key(font)
    if font_key is None:
        return
    missing: list[tuple[str, bool, str]] = []
    for source, display in dict.fromkeys(formulas):
        wanted = (source, display, font, font_key)
        if wanted in _MEMORY:
            continue
        key = _disk_key(source, display, font_key)
        stored = cache.get("math", key)
        found = _decode(stored) if stored is not None else None
        if found is not None:
            _remember(wanted, found)
        else:
            missing.append((source, display, key))
    if not missing:
        return
    jobs = [(source, display, font) for source, display, _ in missing]
    if workers > 1 and len(missing) >= _POOL_MIN:
        from deckwright.support.workers import forked_pool

        with forked_pool(min(workers, len(missing))) as pool:
            encoded = list(pool.map(_typeset_encoded, jobs, chunksize=max(1, len(jobs) // (workers * 4))))
    else:
        encoded = [_typeset_encoded(job) for job in jobs]
    for (source, display, key), data in zip(missing, encoded, strict=True):
        result = _decode(data)
        if result is None:  # cannot happen: the bytes were just encoded
            result = _typeset_now(source, display, font)
            data = _encode(result)
        cache.put("math", key, data)
        _remember((source, display, font, font_key), result)


# Fewer formulas than this are laid out in this process: forking and the workers' own import of
# ziamath (~0.3 s) cost more than they save.
_POOL_MIN = 24


def _typeset_encoded(job: tuple[str, bool, Path | None]) -> bytes:
    return _encode(_typeset_now(*job))


def _remember(wanted: tuple[str, bool, Path | None, str], result: tuple[MathBox | None, str | None]) -> None:
    if len(_MEMORY) >= _MEMORY_MAX:
        _MEMORY.clear()
    _MEMORY[wanted] = result


def _disk_key(source: str, display: bool, font_key: str) -> str:
    return key_of("math-box", _FORMAT, _library_key(), source_stamp(__file__), font_key,
                  "display" if display else "inline", source)


def _font_key(font: Path | None) -> str | None:
    """The content hash of the math font (the bundled one when None), or None when unreadable."""
    path = font if font is not None else _default_font()
    if path is None:
        return "ziamath:missing"  # typesetting reports it
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _file_hash(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=32)
def _file_hash(path: str, size: int, mtime_ns: int) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


@lru_cache(maxsize=1)
def _default_font() -> Path | None:
    """ziamath's STIX Two Math, found without importing ziamath."""
    spec = importlib.util.find_spec("ziamath")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "fonts" / "STIXTwoMath-Regular.ttf"


@lru_cache(maxsize=1)
def _library_key() -> str:
    """Which ziamath, ziafont and latex2mathml typeset: each one's version (read from its
    __init__.py: importlib.metadata costs ~50 ms, a warm build's whole budget for math) and
    installation stamp."""
    import re

    assignment = re.compile(r"""__version__\s*=\s*['"]([^'"]+)['"]""")
    parts = []
    for name in ("ziamath", "ziafont", "latex2mathml"):
        stamp = library_stamp(name)
        version = "?"
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            try:
                found = assignment.search(Path(spec.origin).read_text("utf-8"))
            except (OSError, UnicodeDecodeError):
                found = None
            version = found.group(1) if found else "?"
        parts.append(f"{name}=={version}:{stamp}")
    return ";".join(parts)


# ziamath's fonts, glyph caches and configuration are module state: one layout at a time. A
# forked worker makes its own lock: the one it inherits may have been held by another thread.
_LOCK = threading.Lock()
_LOCK_PID = os.getpid()


def _lock() -> threading.Lock:
    global _LOCK, _LOCK_PID
    if os.getpid() != _LOCK_PID:
        _LOCK, _LOCK_PID = threading.Lock(), os.getpid()
    return _LOCK


def _typeset_now(source: str, display: bool, font: Path | None) -> tuple[MathBox | None, str | None]:
    with _lock(), _ZiaLog() as log:
        try:
            box, missing = _layout(source, display, font, NOMINAL_PX)
        except Exception as exc:  # ziamath and latex2mathml raise anything on input they cannot read
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


# The content hash of each font file ziamath has loaded, by path.
_LOADED: dict[str, str | None] = {}


def _layout(source: str, display: bool, font: Path | None, size: float) -> tuple[MathBox, list[str]]:
    """ziamath's layout of the formula at `size` px, walked into a box in em, and the characters
    the font has no glyph for (drawn as its .notdef box)."""
    import warnings
    import xml.etree.ElementTree as ET

    with warnings.catch_warnings():  # its font lookup uses a deprecated importlib.resources call
        warnings.simplefilter("ignore", DeprecationWarning)
        from ziamath import zmath
        from ziamath.config import config

    fontname = str(font) if font is not None else None
    if fontname is not None:
        # ziamath keeps each font by path: a file changed since it was read is read again.
        now = _font_key(font)
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
        ops, xy = self._ops, self._xy
        # Straight to em, y up: font units × k + the origin's offset.
        k = scale / self.size
        ox, oy = (x - self.x0) / self.size, -y / self.size
        open_contour = False
        cx = cy = 0.0  # the current point, for raising quadratics to cubics
        for op in operators:
            kind = op.__class__.__name__
            if kind == "Moveto":
                if open_contour:
                    ops.append("Z")
                cx, cy = ox + op.p.x * k, oy + op.p.y * k
                ops.append("M")
                xy += (round(cx, _DIGITS), round(cy, _DIGITS))
                open_contour = True
            elif kind == "Lineto":
                cx, cy = ox + op.p.x * k, oy + op.p.y * k
                ops.append("L")
                xy += (round(cx, _DIGITS), round(cy, _DIGITS))
            elif kind == "Quad":
                qx, qy = ox + op.p1.x * k, oy + op.p1.y * k
                ex, ey = ox + op.p2.x * k, oy + op.p2.y * k
                ops.append("C")
                xy += (round(cx + 2 / 3 * (qx - cx), _DIGITS), round(cy + 2 / 3 * (qy - cy), _DIGITS),
                       round(ex + 2 / 3 * (qx - ex), _DIGITS), round(ey + 2 / 3 * (qy - ey), _DIGITS),
                       round(ex, _DIGITS), round(ey, _DIGITS))
                cx, cy = ex, ey
            elif kind == "Cubic":
                ex, ey = ox + op.p3.x * k, oy + op.p3.y * k
                ops.append("C")
                xy += (round(ox + op.p1.x * k, _DIGITS), round(oy + op.p1.y * k, _DIGITS),
                       round(ox + op.p2.x * k, _DIGITS), round(oy + op.p2.y * k, _DIGITS),
                       round(ex, _DIGITS), round(ey, _DIGITS))
                cx, cy = ex, ey
        if open_contour:
            ops.append("Z")

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


def _clean(coords: list[float]) -> tuple[float, ...]:
    # -0.0 reads back from JSON as -0.0 but prints as "-0": one spelling for zero.
    return tuple(c + 0.0 for c in coords)


# ------------------------------------------------------------------ the disk cache's form


# An entry: one line of JSON (metrics, problem, each path's colour and operators), then every
# path's coordinates as little-endian doubles. Parsing a thousand floats from JSON text costs
# more than the rest of a warm build's work on a formula; unpacking them is exact and quick.
def _encode(result: tuple[MathBox | None, str | None]) -> bytes:
    box, problem = result
    head: dict[str, Any] = {"problem": problem}
    coords: list[float] = []
    if box is not None:
        head["box"] = [box.width, box.height, box.depth, [[p.color, p.ops] for p in box.paths]]
        for path in box.paths:
            coords.extend(path.coords)
    return (json.dumps(head, separators=(",", ":")).encode("utf-8") + b"\n"
            + struct.pack(f"<{len(coords)}d", *coords))


def _arity(ops: str) -> int:
    """How many coordinates `ops` takes; -1 when it has a letter that is not an operator."""
    n = 2 * (ops.count("M") + ops.count("L")) + 6 * ops.count("C")
    return n if len(ops) == ops.count("M") + ops.count("L") + ops.count("C") + ops.count("Z") else -1


def _decode(stored: bytes) -> tuple[MathBox | None, str | None] | None:
    """The stored result, or None when damaged (it is computed again and rewritten)."""
    try:
        line, _, raw = stored.partition(b"\n")
        head = json.loads(line)
        problem = head["problem"]
        if problem is not None and not isinstance(problem, str):
            return None
        if "box" not in head:
            return (None, problem) if problem is not None and not raw else None
        width, height, depth, paths = head["box"]
        coords = struct.unpack(f"<{len(raw) // 8}d", raw)
        counts = [_arity(ops) for _, ops in paths]
        if len(raw) % 8 or sum(counts) != len(coords):
            return None
        out = []
        at = 0
        for (color, ops), n in zip(paths, counts, strict=True):
            out.append(MathPath(str(ops), coords[at:at + n], None if color is None else str(color)))
            at += n
        return MathBox(float(width), float(height), float(depth), tuple(out)), problem
    except (ValueError, TypeError, KeyError, struct.error):
        return None


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
    out = []
    at = 0
    coords = path.coords
    for op in path.ops:
        out.append(op)
        for i in range(at, at + ARITY[op]):
            out.append(_num(coords[i]) if i % 2 == 0 else _num(-coords[i]))
        at += ARITY[op]
    return " ".join(out)


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
            out.append("q " + _rg(path.color))
        at = 0
        coords = path.coords
        for op in path.ops:
            n = ARITY[op]
            out.extend(_num(v) for v in coords[at:at + n])
            out.append(_PDF_OP[op])
            at += n
        out.append("f Q" if path.color is not None else "f")
    return " ".join(out)


_PDF_OP = {"M": "m", "L": "l", "C": "c", "Z": "h"}


def _rg(color: str) -> str:
    r, g, b = rgb(color)
    return f"{_num(r / 255)} {_num(g / 255)} {_num(b / 255)} rg"


__all__ = ["ARITY", "NOMINAL_PX", "MathBox", "MathPath", "Segment", "ink_bounds", "pdf_path_ops", "prime",
           "svg", "svg_path_data", "typeset"]
