"""Data tables: the YAML schema and its diagnostics, fence options, footnotes, glossaries, splitting."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ProjectFactory

from deckwright.build.pipeline import BuildOptions, prepare
from deckwright.diagnostics import Diagnostic, SourceRef
from deckwright.layout.split import content_box, partition, split_tables
from deckwright.layout.tables import column_widths, min_table_width, table_height
from deckwright.model.deck import (
    Align,
    Block,
    Cell,
    Deck,
    DeckMeta,
    Layout,
    Paragraph,
    Slide,
    Span,
    Table,
    plain_text,
)
from deckwright.model.theme import Theme, load_theme
from deckwright.reading.datatables import DataTable, expand_fence, load_tables, parse_inline, parse_table

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tables"
DATA = "slides/data/t.yaml"
FENCE = SourceRef("slides/s.md", 10)

BASIC = """
    corner: Thing
    caption: A **small** table
    columns:
      - {id: a, label: Alpha}
      - {id: b, label: Beta, link: "https://example.com/b"}
    rows:
      - id: one
        label: One
        def: The first one
        values: {a: "`x`", b: plain}
      - id: two
        label: Two
        def: Another one
        values: {a: "n/a", b: null}
    """


@pytest.fixture(scope="module")
def theme() -> Theme:
    loaded, diags = load_theme(REPO, "default", None)
    assert diags == [] and loaded is not None
    return loaded


def parse(text: str, name: str = "t") -> tuple[DataTable, list[Diagnostic]]:
    return parse_table(name, textwrap.dedent(text).lstrip("\n"), DATA)


def table_of(text: str = BASIC, name: str = "t") -> dict[str, DataTable]:
    table, diags = parse(text, name)
    assert diags == []
    return {name: table}


def fence(body: str = "", text: str = BASIC, kind: str = "table") -> tuple[Table, list[Diagnostic]]:
    blocks, diags = expand_fence(kind, "t", textwrap.dedent(body).lstrip("\n"), FENCE, table_of(text))
    assert len(blocks) == 1 and isinstance(blocks[0], Table), diags
    return blocks[0], diags


def fence_errors(body: str, text: str = BASIC, kind: str = "table") -> list[str]:
    blocks, diags = expand_fence(kind, "t", textwrap.dedent(body).lstrip("\n"), FENCE, table_of(text))
    assert blocks == []
    return [str(d) for d in diags]


def texts(cells: Sequence[Cell]) -> list[str]:
    return [plain_text(c.content) for c in cells]


def grid(table: Table) -> list[list[str]]:
    return [texts(table.header), *(texts(r) for r in table.rows)]


def shown(diags: Sequence[Diagnostic]) -> list[str]:
    return [str(d) for d in diags]


def many_rows(n: int, notes: bool = False) -> str:
    rows = "\n".join(
        f"  - {{id: r{i}, label: Row {i}, values: {{a: "
        + (f"{{value: value {i}, note: note {i % 3}}}" if notes else f"value {i}")
        + "}}" for i in range(1, n + 1))
    return f"columns:\n  - {{id: a, label: Alpha}}\nrows:\n{rows}\n"


# --------------------------------------------------------------------------- schema


def test_a_valid_table_loads_with_labels_definitions_and_inline_markdown() -> None:
    table, diags = parse(BASIC)
    assert diags == []
    assert table.name == "t" and table.ref == SourceRef(DATA, 1) and table.usable
    assert [c.id for c in table.columns] == ["a", "b"]
    assert table.column("b") is not None
    assert table.column("b").label == (Span("Beta", href="https://example.com/b"),)  # type: ignore[union-attr]
    assert [r.id for r in table.rows] == ["one", "two"]
    one = table.rows[0]
    assert one.ref == SourceRef(DATA, 7) and one.definition == (Span("The first one"),)
    assert one.values["a"].content == (Span("x", code=True),)
    assert one.values["a"].ref == SourceRef(DATA, 10)
    assert table.caption == (Span("A "), Span("small", bold=True), Span(" table"))
    assert table.corner == (Span("Thing"),)


def test_inline_markdown_becomes_styled_spans() -> None:
    assert parse_inline("**b** *i* ~~s~~ `c` [l](https://x.org) <br> a  \nb") == (
        Span("b", bold=True), Span(" "), Span("i", italic=True), Span(" "), Span("s", strike=True),
        Span(" "), Span("c", code=True), Span(" "), Span("l", href="https://x.org"),
        Span(" <br> a"), Span("\n"), Span("b"),
    )


@pytest.mark.parametrize("written", ["null", "~", '"n/a"', "N/A", '"—"', '""'])
def test_not_applicable_values_are_empty_cells_shown_as_an_em_dash(written: str) -> None:
    text = f"columns: [{{id: a, label: A}}]\nrows:\n  - {{id: r, label: R, values: {{a: {written}}}}}\n"
    table, diags = fence(text=text)
    assert diags == []
    assert table.rows[0][1] == Cell((Span("—"),), empty=True)


def test_a_missing_value_is_an_error_unless_the_column_is_optional() -> None:
    text = """
        columns: [{id: a, label: A}, {id: b, label: B}, {id: c, label: C}]
        rows:
          - id: r
            label: R
            values: {a: x}
        """
    _, diags = parse(text)
    assert shown(diags) == [f"{DATA}:5: error: row 'r' has no value for columns 'b', 'c' (write null for "
                            f"'not applicable', or list the column under 'optional:')"]
    table, diags = fence(text=text.replace("rows:", "optional: [b, c]\n        rows:"))
    assert diags == []
    # Missing (optional) is a blank cell, distinct from an em dash.
    assert table.rows[0][2] == Cell(()) and not table.rows[0][2].empty


def test_every_problem_in_a_file_is_reported_at_once_with_its_line() -> None:
    text = (FIXTURES / "all-errors.yaml").read_text(encoding="utf-8")
    table, diags = parse_table("t", text, DATA)
    lines = [(d.ref.line if d.ref else 0, d.message) for d in diags]
    assert all(d.is_error for d in diags)
    expected = [
        (2, "unknown key 'colour' in the data table"),
        (5, "duplicate column id 'a' (first at line 4)"),
        (6, "unknown key 'width' in a column"),
        (7, "column id 'bad id' must be letters, digits, '-' or '_'"),
        (11, "row 'one', column 'a' is a boolean (true); quote it"),
        (11, "row 'one', column 'b' is a number (1.1); quote it to keep its exact spelling"),
        (12, "duplicate row id 'one' (first at line 9)"),
        (17, "row 'two' has no value for column 'b'"),
        (19, "row 'two' has a value for unknown column 'c'"),
        (20, "each item of 'rows' must be a mapping, not str 'just text'"),
        (21, "row 'three' has no 'label'"),
        (22, "row 'three', column 'a' must be text or a mapping with 'value', 'note', 'link', not a list"),
        (22, "row 'three', column 'b' has no 'value'"),
    ]
    assert len(lines) == len(expected), lines
    for (line, message), (want_line, want) in zip(lines, expected, strict=True):
        assert line == want_line and message.startswith(want), (line, message)
    # What is valid is still usable, so fences naming good rows keep working.
    assert table.usable and [r.id for r in table.rows] == ["one", "two", "three"]


@pytest.mark.parametrize(("text", "line", "message"), [
    ("columns: {a: b}\nrows: []\n", 1, "'columns' must be a non-empty list"),
    ("columns: [{label: A}]\nrows: [{id: r, label: R}]\n", 1, "this column has no 'id'"),
    ("columns: [{id: 7, label: A}]\nrows: [{id: r, label: R}]\n", 1, "column id must be text, not int 7"),
    ("columns: [{id: label, label: A}]\nrows: [{id: r, label: R}]\n", 1, "column id 'label' is reserved"),
    ("columns: [{id: a, label: A}]\nrows:\n  - {id: r, label: R, values: [x]}\n", 3,
     "'values' of row 'r' must be a mapping of column id to value, not a list"),
    ("columns: [{id: a, label: A}]\noptional: [z]\nrows: [{id: r, label: R, values: {a: x}}]\n", 2,
     "'optional' names unknown column 'z'"),
    ("columns: [{id: a, label: {x: 1}}]\nrows: [{id: r, label: R, values: {a: x}}]\n", 1,
     "the label of column 'a' must be text, not a mapping"),
    ("columns: [{id: a, label: A}]\nrows:\n  - {id: r, label: R, values: {a: {value: x, colour: red}}}\n", 3,
     "unknown key 'colour' in row 'r', column 'a'"),
    ("columns: [{id: a, label: A}]\n", 1, "the data table has no 'rows:' list"),
    ("- just\n- a list\n", 1, "a data table must be a mapping with 'columns:' and 'rows:'"),
    ("columns: [{id: a, label: A}\nrows: []\n", 2, "invalid YAML"),
])
def test_structural_errors_name_the_line_and_the_fix(text: str, line: int, message: str) -> None:
    _, diags = parse_table("t", text, DATA)
    assert any(d.is_error and d.ref == SourceRef(DATA, line) and d.message.startswith(message)
               for d in diags), shown(diags)


def test_unknown_keys_suggest_the_closest_allowed_key() -> None:
    _, diags = parse("columns: [{id: a, lable: A}]\nrows: [{id: r, label: R, values: {a: x}}]\n")
    assert shown(diags)[0].startswith(
        f"{DATA}:1: error: unknown key 'lable' in a column (did you mean 'label'?)")


def test_links_that_are_not_https_are_warned_about() -> None:
    text = """
        columns: [{id: a, label: A, link: "http://example.com"}]
        rows:
          - {id: r, label: "[R](ftp://x)", values: {a: {value: x, link: "https://ok.example"}}}
        """
    table, diags = parse(text)
    assert shown(diags) == [
        f"{DATA}:1: warning: link of column 'a' should be an absolute https:// URL: http://example.com",
        f"{DATA}:3: warning: link of the label of row 'r' should be an absolute https:// URL: ftp://x",
    ]
    assert table.rows[0].values["a"].content == (Span("x", href="https://ok.example"),)


def test_broken_files_make_unusable_tables_whose_fences_stay_silent() -> None:
    table, diags = parse_table("t", "columns: [\n", DATA)
    assert not table.usable and len(diags) == 1
    assert expand_fence("table", "t", "rows: [x]", FENCE, {"t": table}) == ([], [])


def test_load_tables_reads_every_yaml_file_of_slides_data_named_by_its_stem(
        make_project: ProjectFactory) -> None:
    root = make_project({
        "slides/data/alpha.yaml": BASIC,
        "slides/data/beta.yml": BASIC,
        "slides/data/alpha.yml": BASIC,
        "slides/data/readme.txt": "not data",
        "slides/data/broken.yaml": "columns: [{id: a, label: A}]\nrows: [{id: r, label: R}]\n",
    })
    tables, diags = load_tables(root)
    assert sorted(tables) == ["alpha", "beta", "broken"]
    assert tables["alpha"].ref == SourceRef("slides/data/alpha.yaml", 1)
    assert shown(diags) == [
        "slides/data/alpha.yml:1: error: a data table named 'alpha' already exists (slides/data/alpha.yaml)",
        "slides/data/broken.yaml:2: error: row 'r' has no value for column 'a' (write null for "
        "'not applicable', or list the column under 'optional:')",
    ]


def test_a_project_without_data_has_no_tables(make_project: ProjectFactory) -> None:
    assert load_tables(make_project({})) == ({}, [])


# --------------------------------------------------------------------------- fences


def test_a_fence_without_options_shows_every_row_and_column() -> None:
    table, diags = fence()
    assert diags == []
    assert grid(table) == [["Thing", "Alpha", "Beta"], ["One", "x", "plain"], ["Two", "—", "—"]]
    assert table.ref == FENCE and table.source == "t" and table.row_header
    assert table.align == (Align.DEFAULT,) * 3
    assert table.caption == (Span("A "), Span("small", bold=True), Span(" table"))
    assert table.header[2].content == (Span("Beta", href="https://example.com/b"),)


def test_rows_and_columns_select_and_order() -> None:
    table, _ = fence("rows: [two, one]\ncolumns: [b]\n")
    assert grid(table) == [["Thing", "Beta"], ["Two", "—"], ["One", "plain"]]
    single, _ = fence("rows: one\ncolumns: a\n")
    assert grid(single) == [["Thing", "Alpha"], ["One", "x"]]


def test_transpose_swaps_rows_and_columns_keeping_the_corner() -> None:
    table, _ = fence("transpose: true\n")
    assert grid(table) == [["Thing", "One", "Two"], ["Alpha", "x", "—"], ["Beta", "plain", "—"]]
    assert table.rows[0][2].empty


def test_caption_option_replaces_the_tables_caption_and_the_source_follows() -> None:
    text = BASIC + "source: '[Docs](https://docs.example)'\n"
    table, _ = fence("caption: Mine\n", text=text)
    assert table.caption == (Span("Mine. Source: "), Span("Docs", href="https://docs.example"))
    hidden, _ = fence("caption: null\n")
    assert hidden.caption == ()


def test_highlight_marks_the_data_cells_and_label_of_a_row_or_column() -> None:
    table, _ = fence("highlight: two\n")
    assert [c.highlight for c in table.header] == [False, False, False]
    assert [[c.highlight for c in r] for r in table.rows] == [[False] * 3, [True] * 3]
    by_column, _ = fence("highlight: [b]\n")
    assert [[c.highlight for c in r] for r in by_column.rows] == [[False, False, True]] * 2
    assert not any(c.highlight for c in by_column.header)
    flipped, _ = fence("highlight: b\ntranspose: true\n")
    assert [[c.highlight for c in r] for r in flipped.rows] == [[False] * 3, [True] * 3]
    _, diags = fence("columns: [a]\nhighlight: [one, b]\n")
    assert shown(diags) == ["slides/s.md:12: warning: highlight 'b' is not shown in this table "
                            "(add it to 'rows' or 'columns')"]


def test_sort_by_a_column_puts_numbers_in_numeric_order_and_empty_cells_last() -> None:
    text = """
        columns: [{id: v, label: Version}]
        rows:
          - {id: a, label: Zed, values: {v: "v10"}}
          - {id: b, label: alpha, values: {v: null}}
          - {id: c, label: Mid, values: {v: "v9"}}
        """
    table, _ = fence("sort: v\n", text=text)
    assert [r[0].content[0].text for r in table.rows] == ["Mid", "Zed", "alpha"]
    by_label, _ = fence("sort: label\n", text=text)
    assert [r[0].content[0].text for r in by_label.rows] == ["alpha", "Mid", "Zed"]


def test_fence_errors_point_at_the_line_inside_the_fence() -> None:
    # Fence body line i is line FENCE.line + i.
    assert fence_errors("columns: [a]\nrows:\n  - one\n  - three\n") == [
        "slides/s.md:14: error: unknown row 'three' in table 't'"]
    assert fence_errors("colums: [a]\n") == [
        "slides/s.md:11: error: unknown key 'colums' in ```table options (did you mean 'columns'?) "
        "(allowed: rows, columns, transpose, caption, highlight, sort)"]
    assert fence_errors("columns: [a, c, a]\n") == [
        "slides/s.md:11: error: unknown column 'c' in table 't'",
        "slides/s.md:11: error: column 'a' is listed twice in 'columns'"]
    assert fence_errors("transpose: yes please\nhighlight: [nine]\nsort: zz\n") == [
        "slides/s.md:11: error: 'transpose' must be true or false",
        "slides/s.md:12: error: unknown row or column 'nine' in table 't'",
        "slides/s.md:13: error: 'sort' must be 'label' or a column id of table 't', not 'zz'"]
    assert fence_errors("rows: {a: 1}\n") == [
        "slides/s.md:11: error: 'rows' must be an id or a non-empty list of ids, not a mapping"]
    assert fence_errors("- a\n") == [
        "slides/s.md:10: error: the ```table fence holds options as YAML key: value lines, not a list"]
    assert fence_errors("rows: [one\n") == ["slides/s.md:12: error: invalid YAML: expected ',' or ']', "
                                            "but got '<stream end>'"]


def test_unknown_tables_and_fence_kinds_are_errors_at_the_fence() -> None:
    tables = table_of(name="terminology")
    assert shown(expand_fence("table", "terminologie", "", FENCE, tables)[1]) == [
        "slides/s.md:10: error: unknown data table 'terminologie' (did you mean 'terminology'?)"]
    assert shown(expand_fence("table", "zzz", "", FENCE, tables)[1]) == [
        "slides/s.md:10: error: unknown data table 'zzz' (known: terminology)"]
    assert shown(expand_fence("chart", "terminology", "", FENCE, tables)[1]) == [
        "slides/s.md:10: error: unknown data fence 'chart' (use 'table' or 'glossary')"]
    assert shown(expand_fence("table", "", "", FENCE, tables)[1]) == [
        "slides/s.md:10: error: ```table needs the name of a data table (a file in slides/data/)"]


# --------------------------------------------------------------------------- footnotes

NOTES = """
    columns:
      - {id: a, label: Alpha, note: About alpha}
      - {id: b, label: Beta}
    rows:
      - id: one
        label: One
        values:
          a: {value: x, note: Shared note}
          b: {value: y, note: Only here}
      - id: two
        label: Two
        note: About two
        values:
          a: {value: null, note: Shared note}
          b: z
    """


def test_cell_notes_become_superscript_markers_numbered_in_reading_order() -> None:
    table, _ = fence(text=NOTES)
    assert table.header[1].content == (Span("Alpha"), Span("1", superscript=True))
    assert table.rows[0][1].content == (Span("x"), Span("2", superscript=True))
    assert table.rows[0][2].content == (Span("y"), Span("3", superscript=True))
    assert table.rows[1][0].content == (Span("Two"), Span("4", superscript=True))
    # The same text shares one number; an empty cell keeps its em dash before the marker.
    assert table.rows[1][1] == Cell((Span("—"), Span("2", superscript=True)), empty=True)
    assert [plain_text(f) for f in table.footnotes] == [
        "About alpha", "Shared note", "Only here", "About two"]


def test_only_notes_of_shown_cells_are_listed_and_transposing_renumbers_them() -> None:
    table, _ = fence("columns: [b]\n", text=NOTES)
    assert [plain_text(f) for f in table.footnotes] == ["Only here", "About two"]
    flipped, _ = fence("transpose: true\n", text=NOTES)
    # Reading order of the transposed grid: header (One, Two), then Alpha's row, then Beta's.
    assert [plain_text(f) for f in flipped.footnotes] == [
        "About two", "About alpha", "Shared note", "Only here"]


# --------------------------------------------------------------------------- glossary


def test_a_glossary_lists_terms_and_definitions_sorted_by_term() -> None:
    text = BASIC.replace("label: One", "label: zebra")
    table, diags = fence(text=text, kind="glossary")
    assert diags == []
    assert grid(table) == [["Term", "Definition"], ["Two", "Another one"], ["zebra", "The first one"]]
    assert table.row_header and table.source == "t" and table.caption == ()
    only, _ = fence("rows: [one]\ncaption: Words\n", text=text, kind="glossary")
    assert grid(only) == [["Term", "Definition"], ["zebra", "The first one"]]
    assert only.caption == (Span("Words"),)


def test_a_glossary_reports_rows_without_a_definition_and_unknown_options() -> None:
    text = BASIC.replace("        def: Another one\n", "")
    table, diags = expand_fence("glossary", "t", "", FENCE, table_of(text))
    assert shown(diags) == ["slides/s.md:10: error: glossary of 't': no 'def' for row two"]
    assert len(table) == 1 and grid(table[0])[1:] == [["One", "The first one"]]  # type: ignore[arg-type]
    assert fence_errors("transpose: true\n", kind="glossary") == [
        "slides/s.md:11: error: unknown key 'transpose' in ```glossary options (allowed: rows, caption)"]


# --------------------------------------------------------------------------- measuring and splitting


def make_table(rows: int, cols: int = 2, word: str = "cell", row_header: bool = True) -> Table:
    ref = SourceRef("slides/s.md", 3)
    header = tuple(Cell((Span(f"Head {c}"),)) for c in range(cols))
    # The last rows are longer, so a part with only short rows would get other widths on its own.
    longer = " more words" if rows >= 10 else ""
    body = tuple(tuple(Cell((Span(f"{word} {r}.{c}" + (longer * c if r > rows - 3 else "")),))
                       for c in range(cols)) for r in range(rows))
    return Table(ref, header, body, (Align.DEFAULT,) * cols, row_header=row_header,
                 source="big" if row_header else None)


def deck_of(*slides: Slide) -> Deck:
    return Deck(DeckMeta(), slides)


def slide(*blocks: Block, steps: int = 0) -> Slide:
    return Slide(SourceRef("slides/s.md", 1), Layout.CONTENT, title=(Span("Big"),),
                 blocks=tuple(blocks), notes=(Paragraph(SourceRef("slides/s.md", 9), (Span("say"),)),),
                 steps=steps)


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


def test_partition_uses_the_fewest_parts_and_then_balances_them() -> None:
    assert partition([0, *[10.0] * 10, 0], 40) == [4, 3, 3]
    assert partition([0, *[10.0] * 8, 0], 40) == [4, 4]
    # Room taken before the table shrinks the first part; room after it, the last.
    first_short = partition([25, *[10.0] * 6, 0], 40)
    assert first_short[0] == 1 and len(first_short) == 3 and sum(first_short) == 6
    assert partition([0, *[10.0] * 4, 25], 40) == [3, 1]
    assert partition([0, 50.0, 0], 40) == [1]
    assert partition([0, 0], 40) == []


# --------------------------------------------------------------------------- the workshop's data

WORKSHOP_IDS = {
    "terminology": (["docker", "vm", "ec2", "python", "node"],
                    ["engine", "image", "container", "hub", "registry", "dockerfile", "tag", "volume",
                     "runconfig", "compose", "service"]),
    "containers-vs-vms": (["containers", "vms"],
                          ["isolation", "kernel", "security", "startup", "size", "performance", "density",
                           "together", "middle"]),
    "runtimes": (["role", "daemon", "rootless", "oci", "status", "first"],
                 ["docker", "podman", "containerd", "crio", "runc", "buildkit", "rkt"]),
}


def test_the_workshop_data_loads_cleanly_with_the_agreed_ids() -> None:
    tables, diags = load_tables(REPO)
    assert diags == []
    for name, (columns, rows) in WORKSHOP_IDS.items():
        assert [c.id for c in tables[name].columns] == columns
        assert [r.id for r in tables[name].rows] == rows
        assert all(r.definition for r in tables[name].rows), name
    labels = [plain_text(c.label) for c in tables["terminology"].columns]
    assert labels == ["Docker", "Virtual machines", "AWS EC2", "Python", "Node.js"]


def test_the_workshop_data_has_no_unknowns_and_flags_disputable_analogies() -> None:
    tables, _ = load_tables(REPO)
    for table in tables.values():
        for row in table.rows:
            for value in row.values.values():
                assert "?" not in plain_text(value.content), (table.name, row.id)
                assert all(s.href is None or s.href.startswith("https://") for s in value.content)
    term = tables["terminology"]
    image_vm = term.row("image").values["vm"]  # type: ignore[union-attr]
    assert "template" in plain_text(image_vm.content) and "snapshot" in plain_text(image_vm.note)
    assert term.row("volume").values["python"].empty  # type: ignore[union-attr]


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


def test_the_documented_example_is_a_valid_data_table() -> None:
    doc = (REPO / "docs" / "data-tables.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    table, diags = parse_table("terminology", example, "docs/data-tables.md")
    assert diags == [] and table.usable
    (block,), diags = expand_fence("table", "terminology", "", FENCE, {"terminology": table})
    assert diags == [] and isinstance(block, Table)
    assert grid(block)[1] == ["Image", "image, e.g. nginx:1.28-alpine", "VM template2", "—"]
    assert [plain_text(f) for f in block.footnotes] == [
        "Node.js 22 and later", "Not a snapshot: a snapshot is one VM's state at a point in time."]
