"""Measuring tables: column widths that fill the width and save lines, by the same rules as fit."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from table_samples import FENCE, make_table
from testkit import REPO

from deckwright.diagnostics import SourceRef
from deckwright.layout.split import content_box
from deckwright.layout.tables import column_widths, min_table_width, table_height
from deckwright.model.deck import Align, Cell, Span, Table
from deckwright.model.theme import Theme
from deckwright.reading.datatables import expand_fence, load_tables


def test_column_widths_fill_the_width_and_never_cut_a_word_when_there_is_room(theme: Theme) -> None:
    table = make_table(3, cols=3, row_header=False)
    widths = column_widths(table, theme, 900)
    assert sum(widths) == pytest.approx(900) and len(widths) == 3
    # Equal content gets equal columns.
    assert widths[0] == pytest.approx(widths[1]) == pytest.approx(widths[2])
    ragged = Table(SourceRef("s.md", 1), (Cell((Span("A"),)), Cell((Span("B"),))),
                   ((Cell((Span("short"),)), Cell((Span("a much longer cell that wraps " * 6),))),),
                   (Align.DEFAULT,) * 2)
    narrow = column_widths(ragged, theme, 400)
    assert sum(narrow) == pytest.approx(400) and narrow[1] > narrow[0]
    assert narrow[0] >= min_table_width(Table(ragged.ref, ragged.header[:1], ((ragged.rows[0][0],),),
                                              (Align.DEFAULT,)), theme, theme.sizes["table"]) - 1e-6


def test_column_widths_spend_spare_room_where_it_saves_lines(theme: Theme) -> None:
    from deckwright.layout.tables import _cells, _extent, _share

    tables, _ = load_tables(REPO)
    (table,), _ = expand_fence("table", "terminology", "rows: [engine, image, container, hub, registry]",
                               FENCE, tables)
    assert isinstance(table, Table)
    width = content_box(theme)[0]
    narrow, natural = _extent(_cells(table, theme, theme.sizes["table"]))
    # Sharing the spare room by need alone (browser auto layout) is the baseline to beat.
    shared = _share(narrow, narrow, natural, width)
    baseline = replace(table, widths=tuple(w / width for w in shared))
    chosen = column_widths(table, theme, width)
    assert sum(chosen) == pytest.approx(width)
    assert all(c >= n - 1e-6 for c, n in zip(chosen, narrow, strict=True))
    assert table_height(table, theme, width) < table_height(baseline, theme, width) - 30


def test_measuring_constants_are_defined_once() -> None:
    # One measurer: wrap slack, superscript and cell padding live in one module each, never copied.
    from deckwright.layout import flow, slides, tables, text

    assert flow.CELL_PAD_X is tables.CELL_PAD_X and flow.NOTE_SCALE is tables.NOTE_SCALE
    assert tables.WRAP_SLACK is text.WRAP_SLACK and slides.WRAP_SLACK is text.WRAP_SLACK
    sources = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "deckwright").rglob("*.py")}
    for name in ("WRAP_SLACK =", "SUPERSCRIPT_SCALE =", "CELL_PAD_X, CELL_PAD_Y =", "NOTE_SCALE ="):
        assert [f for f, src in sources.items() if name in src] in (["text.py"], ["tables.py"]), name


def test_a_cell_of_ten_thousand_words_is_measured_in_seconds_and_still_fills_the_width(theme: Theme) -> None:
    # It overflows every slide whatever the widths; measuring each of its breakpoints took 16 s.
    huge = Cell((Span(" ".join(["word"] * 10_000)),))
    table = Table(SourceRef("s.md", 1), (Cell((Span("A"),)), Cell((Span("B"),))),
                  ((huge, Cell((Span("short"),))),), (Align.DEFAULT,) * 2)
    started = time.monotonic()
    widths = column_widths(table, theme, 1100)
    assert time.monotonic() - started < 10
    assert sum(widths) == pytest.approx(1100) and widths[0] > widths[1]
