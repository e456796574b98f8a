"""```table / ```glossary fences: row and column choice, transpose, captions, highlight, sort, footnotes."""

from __future__ import annotations

import textwrap

from table_samples import BASIC, FENCE, fence, grid, table_of
from testkit import messages as shown

from deckwright.model.deck import Align, Cell, Span, plain_text
from deckwright.reading.datatables.fences import expand_fence


def fence_errors(body: str, text: str = BASIC, kind: str = "table") -> list[str]:
    blocks, diags = expand_fence(kind, "t", textwrap.dedent(body).lstrip("\n"), FENCE, table_of(text))
    assert blocks == []
    return [str(d) for d in diags]


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
