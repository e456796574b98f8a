"""Data-table samples for the reading and layout tests: a small table's YAML, parsed, fenced, as a grid."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from deckwright.diagnostics import Diagnostic, SourceRef
from deckwright.model.deck import Align, Cell, Span, Table, plain_text
from deckwright.reading.datatables.fences import expand_fence
from deckwright.reading.datatables.schema import DataTable, parse_table

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


def texts(cells: Sequence[Cell]) -> list[str]:
    return [plain_text(c.content) for c in cells]


def grid(table: Table) -> list[list[str]]:
    return [texts(table.header), *(texts(r) for r in table.rows)]


def make_table(rows: int, cols: int = 2, word: str = "cell", row_header: bool = True) -> Table:
    ref = SourceRef("slides/s.md", 3)
    header = tuple(Cell((Span(f"Head {c}"),)) for c in range(cols))
    # The last rows are longer, so a part with only short rows would get other widths on its own.
    longer = " more words" if rows >= 10 else ""
    body = tuple(tuple(Cell((Span(f"{word} {r}.{c}" + (longer * c if r > rows - 3 else "")),))
                       for c in range(cols)) for r in range(rows))
    return Table(ref, header, body, (Align.DEFAULT,) * cols, row_header=row_header,
                 source="big" if row_header else None)
