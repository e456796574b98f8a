"""Tables on the PDF page (tables.py): nested structure tags, fills and rules, on a recording stand-in."""

from __future__ import annotations

from typing import Any

from pdf_recorder import Recorder

from deckwright.diagnostics import SourceRef
from deckwright.layout.geometry import Box
from deckwright.layout.plan import TableItem
from deckwright.model.deck import Align, Cell, Span, Table
from deckwright.model.theme import Theme
from deckwright.support.colors import rgb
from deckwright.writers.pdf import tables
from deckwright.writers.pdf.canvas import Canvas, View

REF = SourceRef("slides/deck.md", 3)


def drawn(theme: Theme, block: Table) -> list[tuple[str, tuple[Any, ...]]]:
    recorder = Recorder()
    item = TableItem(block, 24.0, (300.0, 300.0), (40.0, 40.0, 40.0), ())
    tables.table(Canvas(recorder, theme), View(0, 0, 1), item, Box(0, 0, 600, 200))
    return recorder.calls


BLOCK = Table(REF, header=(Cell((Span("Term"),)), Cell((Span("Meaning"),))),
              rows=((Cell((Span("image"),)), Cell((Span("template"),))),
                    (Cell((Span("container"),)), Cell((Span("process"),), highlight=True))),
              align=(Align.LEFT, Align.RIGHT))


def test_a_table_is_a_table_of_rows_of_header_and_data_cells(theme: Theme) -> None:
    structure = [(name, args[0] if args else None) for name, args in drawn(theme, BLOCK)
                 if name in ("begin", "tag", "end")]
    assert structure == [
        ("begin", "/Table"),
        ("begin", "/TR"), ("tag", "/TH"), ("tag", "/TH"), ("end", None),
        ("begin", "/TR"), ("tag", "/TD"), ("tag", "/TD"), ("end", None),
        ("begin", "/TR"), ("tag", "/TD"), ("tag", "/TD"), ("end", None),
        ("end", None),
    ]


def test_cells_are_filled_header_stripe_and_highlight_with_a_rule_under_each_body_row(theme: Theme) -> None:
    fills = [args for name, args in drawn(theme, BLOCK) if name == "set_fill_color"]
    header, stripe = rgb(theme.color("table_header_background")), rgb(theme.color("table_stripe"))
    highlight, rule = rgb(theme.color("table_highlight")), rgb(theme.color("table_border"))
    assert fills == [header, header, rule, stripe, highlight, rule]
