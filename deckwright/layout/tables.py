"""Tables measured: cell text wrapped by the text measurer, column widths, row and table heights."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from deckwright.layout.text import WRAP_SLACK, TextRun, Token, count_lines, line_width, tokens, wrapped_lines
from deckwright.model.deck import (
    Inline,
    Span,
    Table,
)
from deckwright.model.theme import Theme

# Cell text is measured and wrapped by the text measurer (layout/text.py), the one fit and the
# writers use, so that a part split here is a part fit can place at the theme's size.

# Padding inside table cells, px (not scaled: it frames text).
CELL_PAD_X, CELL_PAD_Y = 8.0, 4.0
# A table's caption and footnotes, relative to its text size.
NOTE_SCALE = 0.85


@dataclass(frozen=True, slots=True)
class TableMetrics:
    """Sizes (CSS px) of a table's parts, as fit and the writers draw them."""

    size: float  # cell text
    line_height: float  # multiple of the size
    pad_x: float  # cell padding left and right
    pad_y: float  # cell padding top and bottom
    note_size: float  # caption and footnotes under the table
    gap: float  # between the table and its caption / footnotes


def table_metrics(theme: Theme, size: float | None = None) -> TableMetrics:
    """The table's metrics at `size` px (default: the theme's `sizes.table`)."""
    s = size if size is not None else theme.sizes["table"]
    return TableMetrics(size=s, line_height=theme.sizes["line_height"], pad_x=CELL_PAD_X, pad_y=CELL_PAD_Y,
                        note_size=NOTE_SCALE * s, gap=theme.spacing["gap"] / 2)


def span_runs(content: Inline, *, bold: bool = False, italic: bool = False) -> tuple[TextRun, ...]:
    """A cell's spans as runs to measure: code in the code font, links as one word each."""
    return tuple(TextRun(s.text, math="inline") if s.math else
                 TextRun(s.text, font="code" if s.code else "body", bold=bold or s.bold,
                         italic=italic or s.italic, href=s.href, superscript=s.superscript) for s in content)


def _cells(table: Table, theme: Theme, size: float) -> list[list[tuple[Token, ...]]]:
    """Tokens of every cell, header row first; the header and row labels are bold, as drawn."""
    header = [tokens(span_runs(c.content, bold=True), theme, size) for c in table.header]
    grid = [header] if table.header else []
    for row in table.rows:
        grid.append([tokens(span_runs(c.content, bold=table.row_header and i == 0), theme, size)
                     for i, c in enumerate(row)])
    return grid


def _extent(cells: list[list[tuple[Token, ...]]]) -> tuple[list[float], list[float]]:
    """Per column: the narrowest width (longest word) and the natural width (longest line), padded."""
    pad = 2 * CELL_PAD_X
    ncols = max((len(r) for r in cells), default=0)
    narrow, natural = [pad + 1.0] * ncols, [pad + 1.0] * ncols
    for row in cells:
        for i, cell in enumerate(row):
            longest = max((w for kind, w in cell if kind == "w"), default=0.0)
            narrow[i] = max(narrow[i], pad + longest / WRAP_SLACK + 2)
            natural[i] = max(natural[i], pad + line_width(cell) / WRAP_SLACK + 2)
    return narrow, natural


def column_widths(table: Table, theme: Theme, total_width: float, size: float | None = None) -> list[float]:
    """Column widths (px) summing to `total_width`, shared by every writer so that all outputs agree.

    Each column gets at least its longest word. If everything fits on one line, widths are
    proportional to the content. Otherwise the room left is given where it saves the most lines
    (the table gets as short as it can), and anything that saves nothing is shared in proportion
    to how much more each column would need to fit its text on one line, as browsers do.
    A table with `widths` (the parts of a split table) keeps those proportions.
    """
    if table.widths and len(table.widths) == max((len(r) for r in (table.header, *table.rows)), default=0):
        # A split table's parts share the widths chosen for the whole table.
        return [f * total_width / sum(table.widths) for f in table.widths]
    s = size if size is not None else theme.sizes["table"]
    return list(_widths(table, theme, s, float(total_width)))


@lru_cache(maxsize=256)
def _widths(table: Table, theme: Theme, size: float, total: float) -> tuple[float, ...]:
    cells = _cells(table, theme, size)
    narrow, natural = _extent(cells)
    if not narrow:
        return ()
    if sum(narrow) >= total:
        return tuple(w * total / sum(narrow) for w in narrow)
    if sum(natural) <= total:
        return tuple(w * total / sum(natural) for w in natural)
    steps = [[_breakpoints(cell, narrow[i], natural[i], total) for i, cell in enumerate(row)]
             for row in cells]
    shared = _share(narrow, narrow, natural, total)
    best = _least_lines(steps, narrow, natural, total)
    return tuple(best if _lines(steps, best) < _lines(steps, shared) else shared)


Steps = list[tuple[float, int]]


# A cell still this many lines tall at the table's whole width overflows every slide whatever
# the widths: finding each of its thousands of breakpoints would take minutes (a line count per
# step costs a pass over the cell), so it gets only its two ends.
HOPELESS_LINES = 200


def _breakpoints(cell: tuple[Token, ...], low: float, high: float, total: float) -> Steps:
    """(width, lines) pairs: from each column width on, the cell takes that many lines."""
    def lines(width: float) -> int:
        return wrapped_lines(cell, width - 2 * CELL_PAD_X)

    points = [(low, lines(low))]
    if points[0][1] > HOPELESS_LINES and lines(max(total, low)) > HOPELESS_LINES:
        return [*points, (high, lines(high))] if high > low else points
    while points[-1][1] > 1 and lines(high) < points[-1][1]:
        lo, hi, target = points[-1][0], high, points[-1][1] - 1
        while hi - lo > 0.5:
            mid = (lo + hi) / 2
            lo, hi = (lo, mid) if lines(mid) <= target else (mid, hi)
        points.append((hi, lines(hi)))
    return points


def _cell_lines(steps: Steps, width: float) -> int:
    """Lines the cell takes at `width` (steps are sorted by width, lines falling)."""
    lines = steps[0][1]
    for w, n in steps:
        if w > width + 1e-6:
            break
        lines = n
    return lines


def _lines(steps: list[list[Steps]], widths: Sequence[float]) -> int:
    """Total height of the table in lines: each row is as tall as its tallest cell."""
    return sum(max((_cell_lines(c, w) for c, w in zip(row, widths, strict=False)), default=1)
               for row in steps)


def _share(widths: Sequence[float], narrow: Sequence[float], natural: Sequence[float],
           total: float) -> list[float]:
    """Spread the room left over in proportion to what each column still lacks (browser auto layout)."""
    spare = total - sum(widths)
    wants = [max(b - w, 0.0) for w, b in zip(widths, natural, strict=True)]
    weights = wants if sum(wants) > 0 else list(natural)
    return [w + spare * k / sum(weights) for w, k in zip(widths, weights, strict=True)]


# Widths tried per column and step: enough to find the good ones, few enough for big tables.
_CANDIDATES = 24
_ROW_MOVES = 16


def _least_lines(steps: list[list[Steps]], narrow: list[float], natural: list[float],
                 total: float) -> list[float]:
    """Greedy: repeatedly widen the column(s) that save the most lines per pixel, then share the rest."""
    widths = list(narrow)
    while total - sum(widths) > 1e-6:
        lines = [[_cell_lines(c, w) for c, w in zip(row, widths, strict=False)] for row in steps]
        current = sum(max(r, default=1) for r in lines)
        moved = _best_column_move(steps, lines, widths, current, total) \
            or _best_row_move(steps, lines, widths, current, total)
        if moved is None:
            break
        widths = moved
    return _share(widths, narrow, natural, total)


def _best_column_move(steps: list[list[Steps]], lines: list[list[int]], widths: list[float],
                      current: int, total: float) -> list[float] | None:
    """Widen one column to a width where cells lose lines, saving the most lines per pixel."""
    spare = total - sum(widths)
    best: tuple[float, float, int, float] | None = None
    for i, width in enumerate(widths):
        rest = [max((n for j, n in enumerate(r) if j != i), default=1) for r in lines]
        for w in _candidates(steps, i, width, width + spare):
            saved = current - sum(max(rest[k], _cell_lines(row[i], w)) if i < len(row) else rest[k]
                                  for k, row in enumerate(steps))
            key = (saved / (w - width), width - w)
            if saved > 0 and (best is None or key > best[:2]):
                best = (*key, i, w)
    if best is None:
        return None
    return [best[3] if j == best[2] else x for j, x in enumerate(widths)]


def _candidates(steps: list[list[Steps]], column: int, low: float, high: float) -> list[float]:
    found = sorted({w for row in steps if column < len(row)
                    for w, _ in row[column] if low < w <= high + 1e-6})
    if len(found) <= _CANDIDATES:
        return found
    return [found[k * len(found) // _CANDIDATES] for k in range(_CANDIDATES)]


def _best_row_move(steps: list[list[Steps]], lines: list[list[int]], widths: list[float],
                   current: int, total: float) -> list[float] | None:
    """Widen every tallest cell of one row at once (no single column alone shortens that row)."""
    spare = total - sum(widths)
    tallest_rows = sorted(range(len(steps)), key=lambda k: -max(lines[k], default=1))[:_ROW_MOVES]
    best: tuple[float, float, list[float]] | None = None
    for k in tallest_rows:
        tallest = max(lines[k], default=1)
        if tallest <= 1:
            continue
        moved = list(widths)
        for i, (cell, n) in enumerate(zip(steps[k], lines[k], strict=False)):
            if n == tallest:
                moved[i] = max(moved[i], next((w for w, m in cell if m < tallest), math.inf))
        cost = sum(moved) - sum(widths)
        if not math.isfinite(cost) or cost <= 0 or cost > spare + 1e-6:
            continue
        saved = current - _lines(steps, moved)
        if saved > 0 and (best is None or (saved / cost, -cost) > best[:2]):
            best = (saved / cost, -cost, moved)
    return best[2] if best else None


def min_table_width(table: Table, theme: Theme, size: float | None = None) -> float:
    """The width below which some column would be narrower than its longest word (default size:
    the theme's minimum table size, `sizes.table_min`)."""
    s = size if size is not None else theme.sizes["table_min"]
    return narrowest(_cells(table, theme, s))


def narrowest(cells: list[list[tuple[Token, ...]]]) -> float:
    """The width of a grid of measured cells with every column at its longest word, padded."""
    return sum(_extent(cells)[0])


def row_heights(table: Table, theme: Theme, widths: Sequence[float], size: float) -> list[float]:
    """Height of each row (header first) with cells wrapped to their column widths."""
    m = table_metrics(theme, size)
    line = size * m.line_height
    return [max((wrapped_lines(cell, w - 2 * m.pad_x) for cell, w in zip(row, widths, strict=False)),
                default=1) * line + 2 * m.pad_y
            for row in _cells(table, theme, size)]


def note_height(content: Inline, theme: Theme, width: float, m: TableMetrics, italic: bool = False) -> float:
    lines = count_lines(span_runs(content, italic=italic), theme, m.note_size, width)
    return lines * m.note_size * m.line_height


def footnote(number: int, note: Inline) -> Inline:
    return (Span(str(number), superscript=True), Span(" "), *note)


def notes_height(table: Table, theme: Theme, width: float, m: TableMetrics) -> float:
    """Caption (italic) and numbered footnotes under the table, with the gap above them."""
    if not table.caption and not table.footnotes:
        return 0.0
    caption = note_height(table.caption, theme, width, m, italic=True) if table.caption else 0.0
    return m.gap + caption + sum(note_height(footnote(i, n), theme, width, m)
                                 for i, n in enumerate(table.footnotes, start=1))


def table_height(table: Table, theme: Theme, total_width: float, size: float | None = None) -> float:
    """Height (px) of the table with its caption and footnotes at `total_width`."""
    m = table_metrics(theme, size)
    widths = column_widths(table, theme, total_width, m.size)
    return sum(row_heights(table, theme, widths, m.size)) + notes_height(table, theme, total_width, m)
