"""Formulas typeset once into size-free boxes (metrics, outlines in em), kept in memory and on disk."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import struct
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from deckwright.layout.mathbox import (
    ARITY,
    MathBox,
    MathPath,
    Segment,
    ink_bounds,
    pdf_path_ops,
    svg,
    svg_path_data,
)
from deckwright.support.diskcache import NO_CACHE, DiskCache, key_of, library_stamp, source_stamp

# Changes when what a box holds or how it is computed changes (part of the disk-cache key).
_FORMAT = "2"  # 2: coordinates as doubles after the JSON line


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
        from deckwright.layout.typesetter import typeset_now

        found = typeset_now(source, display, font)
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
            result = _decode(_typeset_encoded((source, display, font)))
            assert result is not None
        cache.put("math", key, data)
        _remember((source, display, font, font_key), result)


# Fewer formulas than this are laid out in this process: forking and the workers' own import of
# ziamath (~0.3 s) cost more than they save.
_POOL_MIN = 24


def _typeset_encoded(job: tuple[str, bool, Path | None]) -> bytes:
    from deckwright.layout.typesetter import typeset_now

    return _encode(typeset_now(*job))


def _remember(wanted: tuple[str, bool, Path | None, str], result: tuple[MathBox | None, str | None]) -> None:
    if len(_MEMORY) >= _MEMORY_MAX:
        _MEMORY.clear()
    _MEMORY[wanted] = result


def _disk_key(source: str, display: bool, font_key: str) -> str:
    # typesetter.py computes the box: its source is part of the key (read, not imported).
    return key_of("math-box", _FORMAT, _library_key(), source_stamp(str(_TYPESETTER)), source_stamp(__file__),
                  font_key, "display" if display else "inline", source)


_TYPESETTER = Path(__file__).with_name("typesetter.py")


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


# MathBox and its drawing are mathbox.py's; typeset() is the way to one.
__all__ = ["ARITY", "MathBox", "MathPath", "Segment", "ink_bounds", "pdf_path_ops", "prime", "svg",
           "svg_path_data", "typeset"]
