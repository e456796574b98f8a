"""Lines and runs onto the page: where a paragraph's lines go, and each run drawn in its fonts (fallbacks
for missing characters, shaping for right-to-left and joined scripts, kerning taken up by spacing)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from deckwright.diagnostics import SourceRef
from deckwright.layout.fonts import Face, segments
from deckwright.layout.geometry import Box
from deckwright.layout.plan import Para
from deckwright.layout.text import (
    Line,
    TextRun,
    break_lines,
    font_file,
    run_size,
    spaced_width,
    text_width,
    vertical_metrics,
)
from deckwright.model.deck import Align
from deckwright.model.theme import Theme
from deckwright.support.colors import rgb
from deckwright.writers.common.links import safe_href
from deckwright.writers.pdf.canvas import Canvas, View

# A superscript's baseline is raised by this fraction of the paragraph's size.
SUPERSCRIPT_RISE = 0.35


def link_target(href: str | None) -> str | None:
    """A link worth a PDF annotation: web and mail addresses (relative ones lead nowhere in a PDF)."""
    if not href:
        return None
    target = safe_href(href)
    if target is None or target.startswith("#") or ":" not in target.split("/", 1)[0]:
        return None
    return target


def baseline(para: Para, theme: Theme) -> float:
    """Where the first line's baseline sits below the line's top, px (half-leading as in CSS)."""
    run = para.runs[0] if para.runs else TextRun("")
    ascent, descent = vertical_metrics(font_file(theme, run))
    return (para.size * para.line_height - (ascent + descent) * para.size) / 2 + ascent * para.size


def lines_height(paras: Sequence[Para], theme: Theme, width: float) -> float:
    """Height of paragraphs as drawn (the same as fit's para heights)."""
    return sum(p.space_before + len(break_lines(p.runs, theme, p.size, width - p.margin))
               * p.size * p.line_height for p in paras)


# Scripts whose letters must be reordered (right to left) or joined/reordered by a shaper:
# Hebrew, Arabic, Syriac, Thaana, N'Ko; the Indic and South-East Asian blocks; Arabic forms.
_SHAPED_RANGES = ((0x0590, 0x08FF), (0x0900, 0x0DFF), (0x0F00, 0x0FFF), (0x1000, 0x109F),
                  (0x1780, 0x17FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))


def _needs_shaping(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _SHAPED_RANGES)


# --------------------------------------------------------------------------- where lines go


@dataclass(frozen=True, slots=True)
class LinePlace:
    """A line of a paragraph where it is drawn: its text box's left `x`, where its text starts
    (`left`), its line box's `top` and its baseline, px; `first`: the paragraph's first line."""

    line: Line
    x: float
    left: float
    top: float
    base: float
    first: bool


def lay_out(theme: Theme, para: Para, x: float, y: float, width: float,
            center: bool = False) -> tuple[list[LinePlace], float]:
    """Where a paragraph's lines go from `y` in a text box at `x` `width` px wide; and the y
    under its last line."""
    inner = width - para.margin
    align = Align.CENTER if center and para.align is Align.DEFAULT else para.align
    places = []
    for number, line in enumerate(break_lines(para.runs, theme, para.size, inner)):
        places.append(place(theme, para, line, x, y, inner, align, first=number == 0))
        y += para.size * para.line_height
    return places, y


def place(theme: Theme, para: Para, line: Line, x: float, y: float, width: float, align: Align, *,
          first: bool = False) -> LinePlace:
    """Where one line of a paragraph goes, its line box starting at (x, y) (the text box's left)."""
    left = x + para.margin
    if align is Align.CENTER:
        left += (width - line.width) / 2
    elif align is Align.RIGHT:
        left += width - line.width
    return LinePlace(line, x, left, y, y + baseline(para, theme), first)


# --------------------------------------------------------------------------- drawing lines


def draw_lines(canvas: Canvas, view: View, para: Para, places: Sequence[LinePlace], kind: str | None,
               into: Any = None) -> Any:
    """Lines of one paragraph: inline-code backgrounds, then the text as one structure element
    (`kind`; None: an artifact; "": inside the element already open), then strike lines.
    Decoration is kept out of the tagged content (an artifact inside a paragraph's marked
    content hides the paragraph from some readers). Returns the element."""
    for line_place in places:
        for piece in line_place.line.pieces:
            if piece.run.background:
                _run_background(canvas, view, piece.run, line_place.left + piece.x, line_place.base,
                                piece.width, run_size(piece.run, para.size))
    with canvas.tagged(kind, into=into) if kind != "" else nullcontext() as element:
        for line_place in places:
            _line_text(canvas, view, para, line_place)
    for line_place in places:
        for piece in line_place.line.pieces:
            if piece.run.strike:
                size = run_size(piece.run, para.size)
                canvas.rect(view, Box(line_place.left + piece.x, line_place.base - size * 0.3, piece.width,
                                      max(size * 0.06, 1.0)), piece.run.color or para.color)
    return element


def _line_text(canvas: Canvas, view: View, para: Para, line_place: LinePlace) -> None:
    if line_place.first and para.bullet is not None:
        _bullet(canvas, view, para, line_place.x + para.margin, line_place.base)
    for piece in line_place.line.pieces:
        run = piece.run
        rise = para.size * SUPERSCRIPT_RISE if run.superscript else 0.0
        size = run_size(run, para.size)
        color = run.color or para.color
        left, base = line_place.left + piece.x, line_place.base - rise
        if piece.lead:
            # The spaces before the piece, in their own width: copied text keeps them.
            spaces(canvas, view, run, piece.lead, left - piece.lead_width, base, size, color)
        draw_run(canvas, view, run, piece.text, left, base, size, color, para.ref, piece.width)
        target = link_target(run.href)
        if target is not None:
            canvas.link(view, Box(left, line_place.top, piece.width, para.size * para.line_height), target)


def spaces(canvas: Canvas, view: View, run: TextRun, text: str, x: float, base: float, size: float,
           color: str) -> None:
    """Invisible spaces at (x, base): they only make copied and read-aloud text whole."""
    canvas.font(Face(font_file(canvas.theme, run)), size * view.k)
    canvas.pdf.set_text_color(*rgb(color))
    canvas.pdf.text(view.x + x * view.k, view.y + base * view.k, text)


def _bullet(canvas: Canvas, view: View, para: Para, text_left: float, base: float) -> None:
    """A bullet at the hanging indent; a number right-aligned before the text (as browsers
    put list markers), so "100." does not run into its item."""
    assert para.bullet is not None
    mark = para.bullet.char or f"{para.bullet.start}."
    run = TextRun(mark)
    x = text_left - para.hanging
    if not para.bullet.char:
        gap = para.size * 0.3
        x = min(x, text_left - gap - text_width(mark, font_file(canvas.theme, run), para.size))
    draw_run(canvas, view, run, mark, x, base, para.size, para.color, para.ref)


def _run_background(canvas: Canvas, view: View, run: TextRun, x: float, base: float, width: float,
                    size: float) -> None:
    ascent, descent = vertical_metrics(font_file(canvas.theme, run))
    pad = size * 0.15
    assert run.background is not None
    canvas.rect(view, Box(x - pad, base - ascent * size, width + 2 * pad, (ascent + descent) * size),
                run.background, radius=size * 0.2)


# --------------------------------------------------------------------------- drawing runs


# Bidi marks, embeddings, overrides and isolates, the word joiner and the BOM: format characters with
# no glyph of their own, which a PDF would draw as empty boxes (browsers and PowerPoint draw nothing).
_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069"
                                    "\ufeff"))


def draw_run(canvas: Canvas, view: View, run: TextRun, text: str, x: float, base: float, size: float,
             color: str, ref: SourceRef | None = None, width: float | None = None) -> None:
    """Text of one run from `x` on the baseline `base` (px); `width`: as measured, if known."""
    if not text.strip():
        return
    path = font_file(canvas.theme, run)
    canvas.pdf.set_text_color(*rgb(color))
    parts = segments(text, Face(path))
    # Characters the theme's font lacks go to the system font that has them (as measured).
    for part, face, drawable in parts:
        if width is None or len(parts) > 1:
            # As the line was measured: the run's font for spaces, fallbacks inside words.
            width = spaced_width(part, path, size)
        shown = part.translate(_INVISIBLE)
        if shown != part and not shown:
            x += width
            continue
        if not drawable and ref is not None:
            for char in shown:
                canvas.missing.setdefault(char, ref)
        part = shown
        canvas.font(face, size * view.k)
        at_x, at_y = view.x + x * view.k, view.y + base * view.k
        if not part.isascii() and any(_needs_shaping(c) for c in part) and _can_shape(canvas, part, ref):
            _shaped(canvas, at_x, at_y, part, width * view.k, size * view.k)
        else:
            _spread(canvas, at_x, at_y, part, width * view.k, size * view.k)
        x += width


def _spread(canvas: Canvas, x: float, y: float, text: str, width: float, size: float) -> None:
    """`text` with its baseline at (x, y) points, spread to end where it was measured to end.

    Measuring applies the font's kerning (as browsers and LibreOffice draw); fpdf2 draws
    without it. The difference, up to a few percent ("AVATAR"), is taken up by character
    spacing, so a run never overlaps the next one or leaves its box.
    """
    pdf = canvas.pdf
    drawn = pdf.current_font.get_text_width(text, size, None)[1]
    spacing = (width - drawn) / (len(text) - 1) if len(text) > 1 else 0.0
    if abs(spacing) < 0.005:
        pdf.text(x, y, text)
        return
    pdf.set_char_spacing(spacing)
    pdf.text(x, y, text)
    pdf.set_char_spacing(0)


def _can_shape(canvas: Canvas, text: str, ref: SourceRef | None) -> bool:
    """Whether fpdf2's shaper (HarfBuzz, with the Unicode bidi algorithm) is on; it is turned on
    at the first text that needs it. Without uharfbuzz the text is drawn unshaped, and said so."""
    if canvas.shaping is None:
        from fpdf.errors import FPDFException

        try:
            canvas.pdf.set_text_shaping(True)
            canvas.pdf.c_margin = 0
            canvas.shaping = True
        # uharfbuzz is a dependency; an install without it draws these lines unshaped and says so
        # at each line (the `unshaped` report), never silently.
        except FPDFException:
            canvas.shaping = False
    if not canvas.shaping and ref is not None:
        canvas.unshaped.setdefault(ref, next(c for c in text if _needs_shaping(c)))
    return bool(canvas.shaping)


def _shaped(canvas: Canvas, x: float, y: float, text: str, width: float, size: float) -> None:
    """Right-to-left or joined script through fpdf2's shaping line layout, its baseline at y
    (fpdf2 puts a cell's baseline at top + h / 2 + 0.3 × size), stretched to its measured width."""
    pdf = canvas.pdf
    drawn = pdf.get_string_width(text)
    stretch = 100.0 * width / drawn if drawn > 0 else 100.0
    if abs(stretch - 100.0) > 0.05:
        pdf.set_stretching(stretch)
    pdf.set_xy(x, y - 0.8 * size)
    pdf.cell(w=width, h=size, text=text)
    if abs(stretch - 100.0) > 0.05:
        pdf.set_stretching(100)
