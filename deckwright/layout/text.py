"""Text measurement with real font files (Pillow/FreeType), cached; shared by fit and writers."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

# Fonts are loaded at a fixed large size and widths scaled linearly: FreeType advance widths
# are linear in size (no hinting in getlength), and one font object serves every size.
_REF_SIZE = 100


@lru_cache(maxsize=64)
def _font(path: Path, index: int = 0) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), _REF_SIZE, index=index)


@lru_cache(maxsize=65536)
def _word_width(path: Path, word: str) -> float:
    if word.isascii():  # every theme font has ASCII: no fallback to look for
        return float(_font(path).getlength(word))
    from deckwright.layout.fonts import Face, segments

    # Characters the font lacks are measured in the font that will draw them (as browsers,
    # PowerPoint and the PDF writer fall back to another font), not as the font's empty box.
    return sum(float(_font(face.path, face.index).getlength(piece))
               for piece, face, _ in segments(word, Face(path)))


def spaced_width(text: str, font: Path, size: float) -> float:
    """Width in px of `text` as lines are measured: word by word (with fallbacks), spaces in `font`."""
    words = text.split(" ")
    return sum(text_width(w, font, size) for w in words if w) + (len(words) - 1) * text_width(" ", font, size)


def text_width(text: str, font: Path, size: float) -> float:
    """Width in px of `text` on one line in `font` at `size` px."""
    return _word_width(font, text) * size / _REF_SIZE


def wrap_lines(text: str, font: Path, size: float, width: float) -> list[str]:
    """Greedy word wrap of `text` into lines no wider than `width` px (hard breaks kept).

    A single word wider than the line is split at characters, as browsers and PowerPoint do
    for unbreakable runs with overflow-wrap.
    """
    lines: list[str] = []
    space = text_width(" ", font, size)
    for para in text.split("\n"):
        current, current_w = "", 0.0
        for word in para.split(" "):
            w = text_width(word, font, size)
            if current and current_w + space + w <= width:
                current, current_w = f"{current} {word}", current_w + space + w
                continue
            if current or not word:
                lines.append(current) if current else None
            if w <= width:
                current, current_w = word, w
                continue
            # Break an over-long word at characters.
            chunk = ""
            for ch in word:
                if chunk and text_width(chunk + ch, font, size) > width:
                    lines.append(chunk)
                    chunk = ""
                chunk += ch
            current, current_w = chunk, text_width(chunk, font, size)
        lines.append(current)
    return lines


def line_count(text: str, font: Path, size: float, width: float) -> int:
    """How many lines `text` takes when wrapped to `width` px."""
    return len(wrap_lines(text, font, size, width))


def text_height(text: str, font: Path, size: float, width: float, line_height: float) -> float:
    """Height in px of `text` wrapped to `width` px with `line_height` × size per line."""
    return line_count(text, font, size, width) * size * line_height


@lru_cache(maxsize=64)
def vertical_metrics(font: Path) -> tuple[float, float]:
    """(ascent, descent) of `font` as fractions of its size: where a baseline sits in a line box."""
    ascent, descent = _font(font).getmetrics()
    return ascent / _REF_SIZE, descent / _REF_SIZE
