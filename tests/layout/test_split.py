"""Splitting tall tables over continuation slides: balanced parts, repeated headers, footnotes per part."""

from __future__ import annotations

from dataclasses import replace

import pytest
from table_samples import BASIC, FENCE, grid, make_table, table_of
from testkit import REPO, ProjectFactory

from deckwright.build.pipeline import BuildOptions, prepare
from deckwright.diagnostics import SourceRef
from deckwright.layout.split import content_box, partition, split_tables
from deckwright.layout.tables import column_widths, min_table_width, table_height
from deckwright.model.deck import (
    Block,
    Deck,
    DeckMeta,
    Layout,
    Paragraph,
    Slide,
    Span,
    Table,
    plain_text,
)
from deckwright.model.theme import Theme
from deckwright.reading.datatables import expand_fence, load_tables


def many_rows(n: int, notes: bool = False) -> str:
    rows = "\n".join(
        f"  - {{id: r{i}, label: Row {i}, values: {{a: "
        + (f"{{value: value {i}, note: note {i % 3}}}" if notes else f"value {i}")
        + "}}" for i in range(1, n + 1))
    return f"columns:\n  - {{id: a, label: Alpha}}\nrows:\n{rows}\n"


def deck_of(*slides: Slide) -> Deck:
    return Deck(DeckMeta(), slides)


def slide(*blocks: Block, steps: int = 0) -> Slide:
    return Slide(SourceRef("slides/s.md", 1), Layout.CONTENT, title=(Span("Big"),),
                 blocks=tuple(blocks), notes=(Paragraph(SourceRef("slides/s.md", 9), (Span("say"),)),),
                 steps=steps)


# --------------------------------------------------------------------------- splitting


def test_a_40_row_table_is_split_over_balanced_continuation_slides_with_the_header_repeated(
        theme: Theme) -> None:
    table = make_table(40)
    width, height = content_box(theme)
    assert table_height(table, theme, width) > height
    deck, diags = split_tables(deck_of(slide(table)), theme)
    assert diags == []
    n = len(deck.slides)
    assert n >= 3
    assert [s.continuation for s in deck.slides] == [f"{k}/{n}" for k in range(1, n + 1)]
    assert all(plain_text(s.title) == "Big" for s in deck.slides)
    parts = [s.blocks[0] for s in deck.slides]
    assert all(isinstance(p, Table) and p.header == table.header for p in parts)
    assert tuple(r for p in parts for r in p.rows) == table.rows  # type: ignore[union-attr]
    sizes = [len(p.rows) for p in parts]  # type: ignore[union-attr]
    assert max(sizes) - min(sizes) <= 1, sizes
    assert all(table_height(p, theme, width) <= height for p in parts)  # type: ignore[arg-type]
    # Every part keeps the whole table's column widths, so the continuation slides line up.
    whole = column_widths(table, theme, width)
    for part in parts:
        assert column_widths(part, theme, width) == pytest.approx(whole)  # type: ignore[arg-type]
    # Speaker notes stay with the first slide only.
    assert deck.slides[0].notes and not any(s.notes for s in deck.slides[1:])


def test_a_table_that_fits_is_left_alone(theme: Theme) -> None:
    original = deck_of(slide(make_table(5)))
    assert split_tables(original, theme) == (original, [])


def test_text_before_stays_on_the_first_part_and_text_after_moves_to_the_last(theme: Theme) -> None:
    ref = SourceRef("slides/s.md", 2)
    before = Paragraph(ref, (Span("Intro"),))
    after = Paragraph(ref, (Span("Outro"),), step=2)
    table = make_table(30, row_header=False)  # a Markdown (GFM) table is split the same way
    deck, _ = split_tables(deck_of(slide(before, replace_step(table, 1), after, steps=2)), theme)
    first, last = deck.slides[0], deck.slides[-1]
    assert first.blocks[0] == before and isinstance(first.blocks[1], Table) and first.blocks[1].step == 1
    assert first.steps == 1
    assert isinstance(last.blocks[0], Table) and last.blocks[0].step == 0
    assert last.blocks[1] == Paragraph(ref, (Span("Outro"),), step=1) and last.steps == 1
    assert all(len(s.blocks) == 1 for s in deck.slides[1:-1])


def replace_step(table: Table, step: int) -> Table:
    return replace(table, step=step)


def test_each_part_keeps_only_its_own_footnotes_renumbered_from_one(theme: Theme) -> None:
    (table,), _ = expand_fence("table", "t", "", FENCE, table_of(many_rows(40, notes=True)))
    assert isinstance(table, Table) and len(table.footnotes) == 3
    deck, _ = split_tables(deck_of(slide(table)), theme)
    assert len(deck.slides) > 1
    for s in deck.slides:
        part = s.blocks[0]
        assert isinstance(part, Table)
        markers = [c.content[-1].text for r in part.rows for c in r if c.content[-1].superscript]
        assert sorted(set(markers), key=int) == [str(i) for i in range(1, len(part.footnotes) + 1)]
        for row in part.rows:
            number = int(row[1].content[-1].text)
            assert plain_text(part.footnotes[number - 1]) == f"note {int(row[0].content[0].text[4:]) % 3}"


def test_a_table_too_wide_even_at_the_minimum_size_is_warned_about(theme: Theme) -> None:
    wide = make_table(2, cols=14, word="Supercalifragilistic")
    _, diags = split_tables(deck_of(slide(wide)), theme)
    assert len(diags) == 1 and not diags[0].is_error and diags[0].ref == SourceRef("slides/s.md", 3)
    assert diags[0].message.startswith("table 'big' is too wide: at the minimum table size (11 px)")
    assert min_table_width(wide, theme) > content_box(theme)[0]
    assert split_tables(deck_of(slide(make_table(2, cols=5))), theme)[1] == []


def test_partition_uses_the_fewest_parts_and_then_balances_them() -> None:
    assert partition([0, *[10.0] * 10, 0], 40) == [4, 3, 3]
    assert partition([0, *[10.0] * 8, 0], 40) == [4, 4]
    # Room taken before the table shrinks the first part; room after it, the last.
    first_short = partition([25, *[10.0] * 6, 0], 40)
    assert first_short[0] == 1 and len(first_short) == 3 and sum(first_short) == 6
    assert partition([0, *[10.0] * 4, 25], 40) == [3, 1]
    assert partition([0, 50.0, 0], 40) == [1]
    assert partition([0, 0], 40) == []


# --------------------------------------------------------------------------- the workshop's tables


@pytest.mark.parametrize(("name", "body"), [
    ("terminology", "rows: [engine, image, container, hub, registry]"),
    ("terminology", "rows: [dockerfile, tag, volume, runconfig, compose, service]"),
    ("containers-vs-vms", ""),
    ("runtimes", ""),
    ("terminology", ""),
])


def test_workshop_tables_as_the_slides_use_them_fit_or_split_cleanly(
        theme: Theme, name: str, body: str) -> None:
    tables, _ = load_tables(REPO)
    (table,), diags = expand_fence("table", name, body, FENCE, tables)
    assert diags == [] and isinstance(table, Table)
    width, height = content_box(theme)
    if body or name != "terminology":
        # The slides show these at the theme's size, without continuation slides.
        assert table_height(table, theme, width) <= height
    deck, diags = split_tables(deck_of(slide(table)), theme)
    assert diags == []
    assert all(table_height(s.blocks[0], theme, width) <= height for s in deck.slides)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- through the pipeline


def test_prepare_expands_fences_and_splits_a_long_table(make_project: ProjectFactory) -> None:
    root = make_project({
        "slides/data/big.yaml": many_rows(40),
        "slides/data/small.yaml": BASIC,
        "slides/01.md": """
            ## Small

            ```table small
            rows: [two]
            ```

            ---

            ## Long

            ```table big
            ```
            """,
    })
    result = prepare(BuildOptions(root=root))
    assert [d for d in result.diagnostics if d.is_error] == []
    assert result.deck is not None
    small = next(s for s in result.deck.slides if plain_text(s.title) == "Small")
    assert isinstance(small.blocks[0], Table) and grid(small.blocks[0]) == [
        ["Thing", "Alpha", "Beta"], ["Two", "—", "—"]]
    assert small.blocks[0].ref == SourceRef("slides/01.md", 3)
    long = [s for s in result.deck.slides if plain_text(s.title) == "Long"]
    assert len(long) >= 3 and long[0].continuation == f"1/{len(long)}"
