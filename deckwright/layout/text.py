"""The text measurer: runs measured with the theme's font files, split into tokens and wrapped into lines.

Every place that needs line counts or line breaks (fit, tables, the PDF painter, the handout) calls
this module, so what fit counts is what the writers draw.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import ImageFont

from deckwright.model.theme import Theme

if TYPE_CHECKING:
    from deckwright.layout.mathbox import MathBox

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



@dataclass(frozen=True, slots=True)
class TextRun:
    """A run of text in a font role ("body", "heading", "code") with its own styles."""

    text: str
    font: str = "body"
    bold: bool = False
    italic: bool = False
    strike: bool = False
    href: str | None = None
    superscript: bool = False
    color: str | None = None
    # Inline code's background (a highlight behind the run), if any.
    background: str | None = None
    # A formula: `text` is its TeX, typeset "inline" (in the line) or "display" (its own
    # paragraph). One unbreakable word, measured by its typeset box, not by a font.
    math: str = ""


# Text is wrapped against a slightly narrower line than the box: PowerPoint and LibreOffice
# lay glyphs out on their own grids, and a word that just fits here must not wrap there.
WRAP_SLACK = 0.97
# Superscripts (footnote markers) are measured and drawn at this fraction of the size.
SUPERSCRIPT_SCALE = 0.6


def font_file(theme: Theme, run: TextRun) -> Path:
    return theme.fonts[run.font].file(run.bold, run.italic)


def run_size(run: TextRun, size: float) -> float:
    return size * (SUPERSCRIPT_SCALE if run.superscript else 1.0)


def formula_box(run: TextRun, theme: Theme) -> MathBox | None:
    """A math run's typeset box (in em), or None when it cannot be typeset (drawn as its TeX)."""
    from deckwright.layout.math import typeset

    box, _ = typeset(run.text, display=run.math == "display", font=math_font_file(theme))
    return box


def math_font_file(theme: Theme) -> Path | None:
    """The theme's math font file (None: STIX Two Math, bundled with the typesetter)."""
    return theme.math_font.files["regular"] if theme.math_font is not None else None


def _width(run: TextRun, text: str, theme: Theme, size: float) -> float:
    """Width in px of `text` (all or part of `run`) at the paragraph's `size`."""
    if run.math:
        box = formula_box(run, theme)
        if box is not None:
            return box.width * size
        # Not typeset: drawn as its TeX in the code font.
        return text_width(text, theme.fonts["code"].file(), size)
    return text_width(text, font_file(theme, run), run_size(run, size))


@lru_cache(maxsize=64)
def vertical_metrics(font: Path) -> tuple[float, float]:
    """(ascent, descent) of `font` as fractions of its size: where a baseline sits in a line box."""
    ascent, descent = _font(font).getmetrics()
    return ascent / _REF_SIZE, descent / _REF_SIZE


# --------------------------------------------------------------------------- tokens
#
# A run's text is cut at hard breaks and spaces; a link stays one word (LibreOffice draws a
# hyperlink as one field and breaks it only between characters, never at its spaces). A word may
# span runs ("**Docker**file"). Two views of the same cut: widths only, for counting lines, and
# the parts of each word, for drawing them.

Token = tuple[str, float]
# A word's parts, one per run it spans: (run, text, width).
Part = tuple[TextRun, str, float]

# Text is measured once per (runs, size): fit tries several scales per slide, the writer plans
# the chosen one again, and quote bars re-measure paragraphs. Bounded, so memory stays flat.
_TOKEN_CACHE = 1 << 16


def _cuts(runs: Sequence[TextRun]) -> Iterator[tuple[str, TextRun, str]]:
    """("w", run, word), (" ", run, " ") and ("\\n", run, "") in reading order."""
    for run in runs:
        for i, piece in enumerate(run.text.split("\n")):
            if i:
                yield "\n", run, ""
            for j, word in enumerate([piece] if run.href or run.math else piece.split(" ")):
                if j:
                    yield " ", run, " "
                if word:
                    yield "w", run, word


@lru_cache(maxsize=_TOKEN_CACHE)
def _tokens(runs: tuple[TextRun, ...], theme: Theme, size: float) -> tuple[Token, ...]:
    out: list[Token] = []
    for kind, run, text in _cuts(runs):
        w = _width(run, text, theme, size) if text else 0.0
        if kind == "w" and out and out[-1][0] == "w":
            out[-1] = ("w", out[-1][1] + w)
        else:
            out.append((kind, w))
    return tuple(out)


def tokens(runs: Sequence[TextRun], theme: Theme, size: float) -> tuple[Token, ...]:
    """("w", width) words, (" ", width) spaces and ("\\n", 0) breaks; words may span runs."""
    return _tokens(tuple(runs), theme, size)


def _parts(runs: Sequence[TextRun], theme: Theme, size: float) -> list[tuple[str, list[Part]]]:
    """The same tokens with their parts: ("w", parts), (" ", [part]) and ("\\n", [])."""
    out: list[tuple[str, list[Part]]] = []
    for kind, run, text in _cuts(runs):
        if kind == "\n":
            out.append(("\n", []))
            continue
        part = (run, text, _width(run, text, theme, size))
        if kind == "w" and out and out[-1][0] == "w":
            out[-1][1].append(part)
        else:
            out.append((kind, [part]))
    return out


# --------------------------------------------------------------------------- line counts


def count_lines(runs: Sequence[TextRun], theme: Theme, size: float, width: float) -> int:
    """Lines the runs take when wrapped greedily at spaces to `width` px (long words broken)."""
    return wrapped_lines(_tokens(tuple(runs), theme, size), width)


@lru_cache(maxsize=_TOKEN_CACHE)
def wrapped_lines(tokens: tuple[Token, ...], width: float) -> int:
    """Lines the tokens take wrapped greedily to `width` px (with the slack); the one wrapping rule."""
    width = max(width * WRAP_SLACK, 1.0)
    lines, x, space = 1, 0.0, 0.0
    # Spaces at the start of a hard line are indentation (code): they take room. After a soft
    # break, the space that broke the line is dropped.
    indent = True
    for kind, w in tokens:
        if kind == "\n":
            lines, x, space, indent = lines + 1, 0.0, 0.0, True
        elif kind == " ":
            if indent:
                x += w
            else:
                space += w if x > 0 else 0.0
        else:
            indent = False
            if x > 0 and x + space + w <= width:
                x += space + w
            else:
                if x > 0:
                    lines += 1
                extra = max(math.ceil(w / width) - 1, 0)
                lines += extra
                x = w - extra * width
            space = 0.0
    return lines


def line_width(tokens: Sequence[Token]) -> float:
    """Width of the longest hard line of the tokens, unwrapped."""
    best, x = 0.0, 0.0
    for kind, w in tokens:
        x = 0.0 if kind == "\n" else x + w
        best = max(best, x)
    return best


def max_line_width(runs: Sequence[TextRun], theme: Theme, size: float) -> float:
    """Width of the longest hard line, unwrapped."""
    return line_width(_tokens(tuple(runs), theme, size))


def longest_word(runs: Sequence[TextRun], theme: Theme, size: float) -> float:
    return max((w for kind, w in _tokens(tuple(runs), theme, size) if kind == "w"), default=0.0)


# --------------------------------------------------------------------------- line breaks


@dataclass(frozen=True, slots=True)
class Piece:
    """Text of one run on one line, `x` px from the line's start (spaces inside it are drawn).

    `lead` is the spaces before it that belong to no piece (between runs, or indentation): they
    take `lead_width` px left of `x`, measured in their own runs' fonts, and are drawn there so
    copied text keeps them.
    """

    run: TextRun
    text: str
    x: float
    width: float
    lead: str = ""
    lead_width: float = 0.0


@dataclass(frozen=True, slots=True)
class Line:
    pieces: tuple[Piece, ...]
    width: float


class _Builder:
    """Collects pieces into lines, joining neighbours of the same run into one piece."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.pieces: list[Piece] = []
        self.x = 0.0

    def add(self, run: TextRun, text: str, width: float, gap: float, space: str) -> None:
        last = self.pieces[-1] if self.pieces else None
        if last is not None and last.run is run:
            self.pieces[-1] = Piece(run, last.text + space + text, last.x, last.width + gap + width,
                                    last.lead, last.lead_width)
        else:
            self.pieces.append(Piece(run, text, self.x + gap, width, space, gap))
        self.x += gap + width

    def end(self) -> None:
        self.lines.append(Line(tuple(self.pieces), self.x))
        self.pieces, self.x = [], 0.0


def break_lines(runs: Sequence[TextRun], theme: Theme, size: float, width: float) -> tuple[Line, ...]:
    """The runs as lines no wider than `width` px (with fit's slack); as many as count_lines says
    except where a word longer than a line is split (at characters here, by width there)."""
    return _break(tuple(runs), theme, size, width)


@lru_cache(maxsize=1 << 14)
def _break(runs: tuple[TextRun, ...], theme: Theme, size: float, width: float) -> tuple[Line, ...]:
    limit = max(width * WRAP_SLACK, 1.0)
    out = _Builder()
    spaces: list[Part] = []
    # Spaces at the start of a hard line are indentation (code): they take room, as fit counts
    # them, and are drawn before the first word so copied code keeps them.
    indent: list[Part] = []
    at_start = True
    for kind, parts in _parts(runs, theme, size):
        if kind == "\n":
            out.end()
            spaces, indent, at_start = [], [], True
        elif kind == " ":
            if at_start:
                indent.extend(parts)
            elif out.x > 0:
                spaces.extend(parts)
        else:
            w = sum(p[2] for p in parts)
            if at_start and indent:
                if sum(p[2] for p in indent) + w <= limit:
                    _place_word(out, parts, indent)
                    spaces, indent, at_start = [], [], False
                    continue
                out.x = sum(p[2] for p in indent)
                out.end()  # the indentation alone fills a line: fit counts it so
            at_start, indent = False, []
            _add_word(out, parts, spaces, w, (theme, size, limit))
            spaces = []
    if at_start and indent:
        out.x = sum(p[2] for p in indent)  # a line of spaces only
    out.end()
    return tuple(out.lines)


def _add_word(out: _Builder, parts: list[Part], spaces: list[Part], w: float,
              fonts: tuple[Theme, float, float]) -> None:
    """A word after `spaces`: on this line if it fits, else on the next (split if no line holds it)."""
    theme, size, limit = fonts
    gap = sum(p[2] for p in spaces)
    if out.x > 0 and out.x + gap + w <= limit:
        _place_word(out, parts, spaces)
        return
    if out.x > 0:
        out.end()
    if w <= limit:
        _place_word(out, parts, [])
    else:
        _split_word(out, parts, theme, size, limit)


def _place_word(out: _Builder, parts: list[Part], spaces: list[Part]) -> None:
    gap = sum(p[2] for p in spaces)
    space_text = "".join(p[1] for p in spaces)
    for k, (run, text, w) in enumerate(parts):
        if k == 0:
            out.add(run, text, w, gap, space_text)
        else:
            out.add(run, text, w, 0.0, "")


def _split_word(out: _Builder, parts: list[Part], theme: Theme, size: float, limit: float) -> None:
    """A word wider than the line, broken between characters (browsers' overflow-wrap); a formula
    is never broken: it stands alone on its line, wider than the line."""
    for run, text, w in parts:
        if run.math:
            if out.x > 0:
                out.end()
            out.add(run, text, w, 0.0, "")
            continue
        font = font_file(theme, run)
        rsize = run_size(run, size)
        pos = 0
        while pos < len(text):
            count = _fitting(text, pos, limit - out.x, font, rsize)
            if count == 0 and out.x > 0:
                out.end()  # not one more character fits after what the line holds
                continue
            count = max(count, 1)  # a character wider than a whole line stands alone
            chunk = text[pos:pos + count]
            out.add(run, chunk, text_width(chunk, font, rsize), 0.0, "")
            pos += count
            if pos < len(text):
                out.end()


def _fitting(text: str, pos: int, room: float, font: Path, size: float) -> int:
    """How many characters of `text` from `pos` fit in `room` px: the most whose width does.

    Found by doubling then halving (a few measurements a line), not by measuring every longer
    prefix in turn, which took 25 s for a few thousand emoji.
    """
    def fits(count: int) -> bool:
        return text_width(text[pos:pos + count], font, size) <= room

    rest = len(text) - pos
    low, high = 0, min(16, rest)
    while high < rest and fits(high):
        low, high = high, min(high * 2, rest)
    if fits(high):
        return high
    while high - low > 1:  # fits(low) and not fits(high)
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return low


# --------------------------------------------------------------------------- lines with formulas


@dataclass(frozen=True, slots=True)
class LineBox:
    """A line's height in px and its baseline's distance from the line's top."""

    height: float
    baseline: float


def line_boxes(lines: Sequence[Line], theme: Theme, font: Path, size: float,
               line_height: float) -> tuple[LineBox, ...]:
    """Each line's box: the line pitch, grown where a formula rises or hangs past the text's
    ascent or descent (a fraction, a matrix), as browsers and PowerPoint grow a line for it."""
    ascent, descent = vertical_metrics(font)
    pitch = size * line_height
    # Half the leading above the text and half below, as CSS places a line's text.
    lead = (pitch - (ascent + descent) * size) / 2
    out = []
    for line in lines:
        up, down = ascent * size, descent * size
        for piece in line.pieces:
            if piece.run.math:
                box = formula_box(piece.run, theme)
                if box is not None:
                    up, down = max(up, box.height * size), max(down, box.depth * size)
        out.append(LineBox(max(pitch, up + down + 2 * lead), lead + up))
    return tuple(out)


def has_math(runs: Sequence[TextRun]) -> bool:
    return any(r.math for r in runs)
