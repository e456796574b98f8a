"""Tables on the page: cells, fills and rules at fit's column widths and row heights; Table/TR/TH/TD tags."""

from __future__ import annotations

from collections.abc import Sequence

from deckwright.layout.flow import sizes_at, table_rows
from deckwright.layout.geometry import Box
from deckwright.layout.plan import TableItem
from deckwright.layout.tables import CELL_PAD_X, CELL_PAD_Y
from deckwright.layout.text import TextRun
from deckwright.model.deck import Cell
from deckwright.writers.common.tables import cell_fill, cell_para, is_header
from deckwright.writers.pdf.blocks import paras
from deckwright.writers.pdf.canvas import Canvas, View

# Rules under the body rows, px.
RULE = 1.0


def table(canvas: Canvas, view: View, item: TableItem, box: Box) -> None:
    """The table's rows from the top of `box`, then its notes (caption, source, footnotes) below."""
    theme = canvas.theme
    block = item.block
    model_rows = ([block.header] if block.header else []) + list(block.rows)
    y = box.y
    with canvas.group("/Table"):
        for r, (row, model_row, height) in enumerate(zip(table_rows(block, theme), model_rows,
                                                         item.row_heights, strict=True)):
            with canvas.group("/TR"):
                _row(canvas, view, item, r, row, model_row, Box(box.x, y, sum(item.widths), height))
            y += height
    if item.notes:
        gap = sizes_at(theme, item.size / theme.sizes["table"]).gap / 2
        paras(canvas, view, item.notes, Box(box.x, y + gap, box.w, max(box.bottom - y - gap, 1.0)))


def _row(canvas: Canvas, view: View, item: TableItem, r: int, row: Sequence[tuple[TextRun, ...]],
         model_row: Sequence[Cell], box: Box) -> None:
    """One row's cells left to right, each its fill then its text; a rule under a body row."""
    theme = canvas.theme
    header = is_header(item.block, r)
    x = box.x
    for c, (runs, width) in enumerate(zip(row, item.widths, strict=False)):
        cell_box = Box(x, box.y, width, box.h)
        fill = cell_fill(theme, item.block, r, model_row[c] if c < len(model_row) else None)
        if fill:
            canvas.rect(view, cell_box, fill)
        paras(canvas, view, [cell_para(theme, item, r, c, runs)], cell_box.shrink(CELL_PAD_X, CELL_PAD_Y),
              tag="/TH" if header else "/TD")
        x += width
    if not header:
        canvas.rect(view, Box(box.x, box.bottom - RULE, box.w, RULE), theme.color("table_border"))
