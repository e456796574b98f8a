"""Fonts for characters a theme font lacks: the system's outline fonts, as fontconfig lists them."""

from __future__ import annotations

import bisect
import logging
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Outline formats fpdf2 embeds and Pillow measures; colour fonts (bitmap emoji) are neither.
_OUTLINE_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
_FC_FORMAT = "%{file}|%{index}|%{color}|%{spacing}|%{weight}|%{charset}\n"
_FC_MONO = 100  # fontconfig's spacing for monospaced faces
_FC_BOLD = 180  # fontconfig weights: 80 regular, 200 bold


@contextmanager
def quiet_fonttools() -> Iterator[None]:
    """fontTools logs harmless remarks about system fonts ("timestamp seems very low") to stderr."""
    logger = logging.getLogger("fontTools")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@dataclass(frozen=True, slots=True, order=True)
class Face:
    """One face of a font file (collections hold several)."""

    path: Path
    index: int = 0


@dataclass(frozen=True, slots=True)
class _SystemFont:
    face: Face
    mono: bool
    bold: bool
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def has(self, code: int) -> bool:
        i = bisect.bisect_right(self.starts, code) - 1
        return i >= 0 and code <= self.ends[i]


def _ranges(charset: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    starts: list[int] = []
    ends: list[int] = []
    for part in charset.split():
        low, _, high = part.partition("-")
        try:
            starts.append(int(low, 16))
            ends.append(int(high or low, 16))
        except ValueError:
            continue
    return tuple(starts), tuple(ends)


@lru_cache(maxsize=1)
def system_fonts() -> tuple[_SystemFont, ...]:
    """Every outline font fontconfig knows, in a fixed order (none without fontconfig)."""
    tool = shutil.which("fc-list")
    if tool is None:
        return ()
    try:
        listed = subprocess.run([tool, f"--format={_FC_FORMAT}"], capture_output=True, text=True,
                                timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    fonts: list[_SystemFont] = []
    for line in listed.splitlines():
        fields = line.split("|")
        if len(fields) != 6 or fields[2] == "True" or not fields[0].lower().endswith(_OUTLINE_SUFFIXES):
            continue
        path, index, _, spacing, weight, charset = fields
        try:
            face = Face(Path(path), int(index or 0))
            mono = int(spacing or 0) >= _FC_MONO
            bold = int(float(weight or 80)) >= _FC_BOLD
        except ValueError:
            continue
        fonts.append(_SystemFont(face, mono, bold, *_ranges(charset)))
    return tuple(sorted(fonts, key=lambda f: f.face))


def installed_stamp() -> str:
    """Which system fonts fallbacks may come from: a cache key part."""
    return ";".join(f"{f.face.path}:{f.face.index}" for f in system_fonts())


@lru_cache(maxsize=64)
def coverage(face: Face) -> frozenset[int]:
    """The code points `face` has glyphs for (its cmap)."""
    from fontTools.ttLib import TTFont

    try:
        with quiet_fonttools():
            font = TTFont(str(face.path), lazy=True, fontNumber=face.index)
            return frozenset(font.getBestCmap() or {})
    except Exception:  # an unreadable font covers nothing; the theme check reports missing files
        return frozenset()


@lru_cache(maxsize=64)
def style(face: Face) -> tuple[bool, bool]:
    """(monospaced, bold) of a face, from its own tables."""
    from fontTools.ttLib import TTFont

    try:
        with quiet_fonttools():
            font = TTFont(str(face.path), lazy=True, fontNumber=face.index)
            mono = bool(font["post"].isFixedPitch)
            bold = font["OS/2"].usWeightClass >= 600 if "OS/2" in font else False
            return mono, bold
    except Exception:
        return False, False


@lru_cache(maxsize=8192)
def fallback(code: int, mono: bool, bold: bool) -> Face | None:
    """The system face to draw `code` with: same spacing and weight first, sans before serif."""
    best: tuple[tuple[bool, bool, bool, bool], Face] | None = None
    for font in system_fonts():
        if not font.has(code):
            continue
        name = font.face.path.name.lower()
        key = (font.mono != mono, font.bold != bold, "serif" in name,
               "italic" in name or "oblique" in name)
        if best is None or key < best[0]:
            best = (key, font.face)
    if best is None:
        return None
    return best[1] if code in coverage(best[1]) else None


def segments(text: str, face: Face) -> list[tuple[str, Face, bool]]:
    """`text` cut where the face to draw it with changes: (piece, face, drawable).

    Characters `face` lacks go to a fallback; those no font has stay with `face` (drawn as its
    empty box) and are marked not drawable.
    """
    if text.isascii():
        return [(text, face, True)]
    have = coverage(face)
    if all(ord(c) in have for c in text):
        return [(text, face, True)]
    mono, bold = style(face)
    out: list[tuple[str, Face, bool]] = []
    for char in text:
        code = ord(char)
        chosen, ok = face, True
        if char.isspace() and out and out[-1][2] and code in coverage(out[-1][1]):
            # A space stays with the text before it: words of a fallback script stay one piece,
            # which a shaper can then order (right to left) as a whole.
            chosen = out[-1][1]
        elif code not in have and not char.isspace():
            found = fallback(code, mono, bold)
            chosen, ok = (found, True) if found is not None else (face, False)
        if out and out[-1][1] == chosen and out[-1][2] == ok:
            out[-1] = (out[-1][0] + char, chosen, ok)
        else:
            out.append((char, chosen, ok))
    return _neutrals_between(_spaces_between(out, face), face)


def _neutrals_between(pieces: list[tuple[str, Face, bool]], face: Face) -> list[tuple[str, Face, bool]]:
    """Digits, spaces and punctuation between two pieces of the same fallback font join them:
    a shaper then orders "مرحبا 2024 بالعالم" as one right-to-left phrase, not piece by piece."""
    out: list[tuple[str, Face, bool]] = []
    k = 0
    while k < len(pieces):
        text, chosen, ok = pieces[k]
        if (out and k + 1 < len(pieces) and chosen == face and out[-1][1] != face and out[-1][2]
                and pieces[k + 1][1] == out[-1][1] and pieces[k + 1][2]
                and not any(c.isalpha() for c in text)
                and all(ord(c) in coverage(out[-1][1]) for c in text)):
            out[-1] = (out[-1][0] + text + pieces[k + 1][0], out[-1][1], True)
            k += 2
            continue
        out.append((text, chosen, ok))
        k += 1
    return out


def _spaces_between(pieces: list[tuple[str, Face, bool]], face: Face) -> list[tuple[str, Face, bool]]:
    """Spaces that end a fallback piece go back to `face`: a shaper would put a right-to-left
    piece's trailing space on its left, away from the next word."""
    out: list[tuple[str, Face, bool]] = []
    for k, (text, chosen, ok) in enumerate(pieces):
        stripped = text.rstrip()
        if chosen != face and stripped != text and k + 1 < len(pieces):
            out.append((stripped, chosen, ok))
            spaces = text[len(stripped):]
            nxt = pieces[k + 1]
            if nxt[1] == face and nxt[2]:
                pieces[k + 1] = (spaces + nxt[0], face, True)
            else:
                out.append((spaces, face, True))
        else:
            out.append((text, chosen, ok))
    return out
