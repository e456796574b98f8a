"""Data tables: the YAML schema and its diagnostics, line by line; what a broken file leaves usable."""

from __future__ import annotations

from pathlib import Path

import pytest
from table_samples import BASIC, DATA, FENCE, fence, grid, parse
from testkit import REPO
from testkit import messages as shown

from deckwright.diagnostics import SourceRef
from deckwright.model.deck import Cell, Span, Table, plain_text
from deckwright.reading.datatables.fences import expand_fence
from deckwright.reading.datatables.schema import parse_table

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "tables"
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
        f"{DATA}:3: warning: link of the label of row 'r' to 'ftp://x' removed: only web, mail and relative "
        "links are kept",
    ]
    assert table.rows[0].values["a"].content == (Span("x", href="https://ok.example"),)
    assert table.rows[0].label == (Span("R"),)


def test_script_links_in_cells_and_fields_are_removed_and_said_the_text_stays() -> None:
    # markdown-it alone left `[click](javascript:…)` in a cell as literal text, with no word.
    text = """
        columns: [{id: a, label: A, link: "javascript:alert(1)"}]
        rows:
          - {id: r, label: R, values: {a: "[click](javascript:alert(2)) and [ok](https://ok.example)"}}
        """
    table, diags = parse(text)
    assert shown(diags) == [
        f"{DATA}:1: warning: link of column 'a' to 'javascript:alert(1)' removed: only web, mail and "
        "relative links are kept",
        f"{DATA}:3: warning: link of row 'r', column 'a' to 'javascript:alert(2)' removed: only web, mail "
        "and relative links are kept",
    ]
    assert table.columns[0].label == (Span("A"),)
    assert table.rows[0].values["a"].content == (Span("click and "), Span("ok", href="https://ok.example"))


def test_broken_files_make_unusable_tables_whose_fences_stay_silent() -> None:
    table, diags = parse_table("t", "columns: [\n", DATA)
    assert not table.usable and len(diags) == 1
    assert expand_fence("table", "t", "rows: [x]", FENCE, {"t": table}) == ([], [])


# --------------------------------------------------------------------------- the documented example


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


def test_bad_tex_in_a_cell_is_a_warning_at_its_line_and_shown_as_code() -> None:
    text = """
        columns: [{id: a, label: "Cost $O(n^2)$"}]
        rows:
          - {id: r, label: R, values: {a: "$\\\\frac{1}{n$ per item"}}
        """
    table, diags = parse(text)
    assert shown(diags) == [
        f"{DATA}:3: warning: row 'r', column 'a': bad TeX in $\\frac{{1}}{{n$: unbalanced braces: a `{{` is "
        "never closed; shown as its TeX source"]
    assert table.columns[0].label == (Span("Cost "), Span("O(n^2)", math=True))
    assert table.rows[0].values["a"].content == (Span("\\frac{1}{n", code=True), Span(" per item"))
