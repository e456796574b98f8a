"""```table NAME / ```glossary NAME fences expanded into Table blocks (rows, columns, highlight, sort)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from deckwright.diagnostics import Diagnostic, SourceRef, error, has_errors
from deckwright.model.deck import Align, Block, Cell, Inline, Span, Table, plain_text
from deckwright.reading.datatables.check import Check, suggest, type_name
from deckwright.reading.datatables.schema import DataRow, DataTable
from deckwright.reading.datatables.spans import merge
from deckwright.support.yamlsafe import YamlList, YamlMap, key_line, load_yaml

TABLE_OPTIONS = ("rows", "columns", "transpose", "caption", "highlight", "sort")
GLOSSARY_OPTIONS = ("rows", "caption")
GLOSSARY_HEADER = ("Term", "Definition")


@dataclass(frozen=True, slots=True)
class _Options:
    rows: tuple[tuple[str, int], ...] | None = None
    columns: tuple[tuple[str, int], ...] | None = None
    transpose: bool = False
    caption: Inline | None = None
    highlight: tuple[tuple[str, int], ...] = ()
    sort: tuple[str, int] | None = None


@dataclass(frozen=True, slots=True)
class _GridCell:
    """A cell before footnote numbering."""

    content: Inline
    note: Inline = ()
    empty: bool = False
    highlight: bool = False


def expand_fence(kind: str, name: str, body: str, ref: SourceRef,
                 tables: Mapping[str, DataTable]) -> tuple[list[Block], list[Diagnostic]]:
    """Turn a ```table NAME / ```glossary NAME fence (YAML options in `body`) into a Table block."""
    if kind not in ("table", "glossary"):
        return [], [error(ref, f"unknown data fence '{kind}' (use 'table' or 'glossary')")]
    if not name:
        return [], [error(ref, f"```{kind} needs the name of a data table (a file in slides/data/)")]
    table = tables.get(name)
    if table is None:
        known = sorted(tables)
        hint = suggest(name, known) or (f" (known: {', '.join(known)})" if known
                                         else " (slides/data/ has no .yaml files)")
        return [], [error(ref, f"unknown data table '{name}'{hint}")]
    if not table.usable:
        return [], []
    check = Check(ref.path)
    options = _fence_options(kind, body, ref, table, check)
    if options is None or any(d.is_error for d in check.diags):
        return [], check.diags
    if kind == "glossary":
        block = _glossary(table, options, ref, check)
    else:
        block = _table(table, options, ref, check)
    return ([block] if block is not None else []), check.diags


def _fence_options(kind: str, body: str, ref: SourceRef, table: DataTable,
                   check: Check) -> _Options | None:
    data, diags = load_yaml(body, ref.path, first_line=ref.line + 1)
    check.diags.extend(diags)
    if has_errors(diags):
        return None
    if data is None:
        return _Options()
    if not isinstance(data, YamlMap):
        check.error(ref.line, f"the ```{kind} fence holds options as YAML key: value lines, "
                              f"not {type_name(data)}")
        return None
    allowed = TABLE_OPTIONS if kind == "table" else GLOSSARY_OPTIONS
    check.keys(data, allowed, f"```{kind} options")
    row_ids = [r.id for r in table.rows]
    col_ids = [c.id for c in table.columns]
    rows = _id_list(data, "rows", row_ids, "row", table.name, check)
    columns = _id_list(data, "columns", col_ids, "column", table.name, check)
    options = _Options(rows=rows, columns=columns)
    if "transpose" in data:
        if not isinstance(data["transpose"], bool):
            check.error(key_line(data, "transpose"), "'transpose' must be true or false")
        options = replace(options, transpose=data["transpose"] is True)
    if "caption" in data:
        cap = data["caption"]
        options = replace(options, caption=() if cap is None else
                          check.inline(cap, key_line(data, "caption"), "'caption'"))
    if "highlight" in data:
        options = replace(options, highlight=_id_list(data, "highlight", row_ids + col_ids,
                                                      "row or column", table.name, check) or ())
    if "sort" in data:
        options = replace(options, sort=_sort(data, col_ids, table.name, check))
    return options


def _id_list(data: YamlMap, key: str, known: list[str], what: str, name: str,
             check: Check) -> tuple[tuple[str, int], ...] | None:
    """An option naming ids: one id or a list of ids, each checked against the table."""
    if key not in data:
        return None
    value, line = data[key], key_line(data, key)
    if isinstance(value, str):
        items, lines = [value], [line]
    elif isinstance(value, YamlList) and value:
        items, lines = list(value), value.item_lines
    else:
        check.error(line, f"'{key}' must be an id or a non-empty list of ids, not {type_name(value)}")
        return None
    result: list[tuple[str, int]] = []
    for item, item_line in zip(items, lines, strict=True):
        text = str(item) if isinstance(item, int) and not isinstance(item, bool) else item
        if not isinstance(text, str):
            check.error(item_line, f"'{key}' lists ids, not {type_name(item)}")
        elif text not in known:
            check.error(item_line, f"unknown {what} '{text}' in table '{name}'{suggest(text, known)}")
        elif any(text == seen for seen, _ in result):
            check.error(item_line, f"{what} '{text}' is listed twice in '{key}'")
        else:
            result.append((text, item_line))
    return tuple(result)


def _sort(data: YamlMap, col_ids: list[str], name: str, check: Check) -> tuple[str, int] | None:
    value, line = data["sort"], key_line(data, "sort")
    if not isinstance(value, str) or (value != "label" and value not in col_ids):
        shown = value if isinstance(value, str) else type_name(value)
        check.error(line, f"'sort' must be 'label' or a column id of table '{name}', not '{shown}'"
                          f"{suggest(str(value), [*col_ids, 'label'])}")
        return None
    return value, line


def _natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key where "v10" follows "v9": digit runs compare as numbers."""
    parts = re.split(r"(\d+)", text.casefold())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def _sorted_rows(rows: list[DataRow], sort: str | None) -> list[DataRow]:
    if sort is None:
        return rows
    if sort == "label":
        return sorted(rows, key=lambda r: _natural_key(plain_text(r.label)))

    def key(row: DataRow) -> tuple[bool, tuple[tuple[int, int | str], ...]]:
        value = row.values.get(sort)
        # Empty and missing values go last, whatever the order of the others.
        blank = value is None or value.empty
        return blank, _natural_key(plain_text(value.content)) if value and not blank else ()

    return sorted(rows, key=key)


def _table(table: DataTable, options: _Options, ref: SourceRef, check: Check) -> Table:
    rows = list(table.rows) if options.rows is None else \
        [r for rid, _ in options.rows if (r := table.row(rid)) is not None]
    rows = _sorted_rows(rows, options.sort[0] if options.sort else None)
    cols = list(table.columns) if options.columns is None else \
        [c for cid, _ in options.columns if (c := table.column(cid)) is not None]
    marked = {i for i, _ in options.highlight}
    shown = {r.id for r in rows} | {c.id for c in cols}
    for hid, at in options.highlight:
        if hid not in shown:
            check.warning(at, f"highlight '{hid}' is not shown in this table "
                              f"(add it to 'rows' or 'columns')")
    header = [_GridCell(table.corner)] + [_GridCell(c.label, c.note, highlight=c.id in marked) for c in cols]
    body: list[list[_GridCell]] = []
    for row in rows:
        line = [_GridCell(row.label, row.note, highlight=row.id in marked)]
        for col in cols:
            value = row.values.get(col.id)
            hl = row.id in marked or col.id in marked
            line.append(_GridCell(value.content, value.note, value.empty, hl) if value is not None
                        else _GridCell((), highlight=hl))
        body.append(line)
    if options.transpose:
        header, body = _transposed(header, body)
    # Highlight marks data cells and the row's label; the header row keeps the header style.
    header = [replace(c, highlight=False) for c in header]
    caption = table.caption if options.caption is None else options.caption
    return _numbered(ref, header, body, _with_source(caption, table.source), table.name)


def _transposed(header: list[_GridCell], body: list[list[_GridCell]]
                ) -> tuple[list[_GridCell], list[list[_GridCell]]]:
    """Swap rows and columns; the corner stays in the corner."""
    flipped = [list(col) for col in zip(header, *body, strict=True)]
    return flipped[0], flipped[1:]


def _with_source(caption: Inline, source: Inline) -> Inline:
    if not source:
        return caption
    text = plain_text(caption).rstrip()
    # "Caption. Source: …" reads as two sentences; a caption ending in punctuation keeps its own.
    lead = "" if not text else (" " if text[-1] in ".!?:;" else ". ")
    return merge((*caption, Span(f"{lead}Source: "), *source))


def _numbered(ref: SourceRef, header: list[_GridCell], body: list[list[_GridCell]],
              caption: Inline, name: str) -> Table:
    """Number cell notes in reading order (the same text shares a number) and build the Table."""
    numbers: dict[Inline, int] = {}

    def cell(c: _GridCell) -> Cell:
        if not c.note:
            return Cell(c.content, empty=c.empty, highlight=c.highlight)
        number = numbers.setdefault(c.note, len(numbers) + 1)
        marker = Span(str(number), superscript=True)
        return Cell((*c.content, marker), empty=c.empty, highlight=c.highlight)

    head = tuple(cell(c) for c in header)
    rows = tuple(tuple(cell(c) for c in line) for line in body)
    return Table(ref=ref, header=head, rows=rows, align=tuple(Align.DEFAULT for _ in header),
                 caption=caption, footnotes=tuple(numbers), row_header=True, source=name)


def _glossary(table: DataTable, options: _Options, ref: SourceRef, check: Check) -> Table | None:
    rows = list(table.rows) if options.rows is None else \
        [r for rid, _ in options.rows if (r := table.row(rid)) is not None]
    undefined = [r.id for r in rows if not r.definition]
    if undefined:
        check.error(ref.line, f"glossary of '{table.name}': no 'def' for row"
                              f"{'s' if len(undefined) > 1 else ''} {', '.join(undefined)}")
    rows = _sorted_rows([r for r in rows if r.definition], "label")
    header = [_GridCell((Span(GLOSSARY_HEADER[0]),)), _GridCell((Span(GLOSSARY_HEADER[1]),))]
    body = [[_GridCell(r.label, r.note), _GridCell(r.definition)] for r in rows]
    caption = options.caption if options.caption is not None else ()
    return _numbered(ref, header, body, caption, table.name) if body else None
