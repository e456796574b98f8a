"""Table cells as the PPTX and the PDF both style them: each cell's paragraph and its fill."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from deckwright.layout.plan import Para, TableItem
from deckwright.layout.text import TextRun
from deckwright.model.deck import Align, Cell, Table
from deckwright.model.theme import Theme


def is_header(table: Table, r: int) -> bool:
    """Whether row `r` (0-based, the header row counted) is the header."""
    return bool(table.header) and r == 0


def cell_para(theme: Theme, item: TableItem, r: int, c: int, runs: Sequence[TextRun]) -> Para:
    """Cell (r, c)'s text as fit sized it, in its column's alignment; in the header the header's
    colours for everything, links and inline code too (as the HTML's thead)."""
    table = item.block
    header = is_header(table, r)
    if header:
        runs = tuple(replace(run, color=None, background=None) for run in runs)
    color = theme.color("table_header_text") if header else theme.color("text")
    align = table.align[c] if c < len(table.align) else Align.DEFAULT
    return Para(tuple(runs), item.size, color, table.ref, align=align, line_height=theme.sizes["line_height"])


def cell_fill(theme: Theme, table: Table, r: int, cell: Cell | None) -> str | None:
    """A cell's background: the header's, a highlighted cell's, every other body row's stripe, or none."""
    if is_header(table, r):
        return theme.color("table_header_background")
    if cell is not None and cell.highlight:
        return theme.color("table_highlight")
    if (r - (1 if table.header else 0)) % 2 == 1:
        return theme.color("table_stripe")
    return None
