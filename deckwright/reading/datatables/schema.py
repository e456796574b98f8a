"""The data-table schema: its data classes, and validation of one YAML file against it."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from deckwright.diagnostics import Diagnostic, SourceRef, has_errors
from deckwright.model.deck import Inline, Span
from deckwright.reading.datatables.check import Check, suggest, type_name
from deckwright.reading.datatables.spans import linked
from deckwright.support.yamlsafe import YamlList, YamlMap, key_line, load_yaml

# --------------------------------------------------------------------------- data model

TOP_KEYS = ("title", "caption", "source", "corner", "optional", "columns", "rows")
COLUMN_KEYS = ("id", "label", "link", "note")
ROW_KEYS = ("id", "label", "def", "link", "note", "values")
CELL_KEYS = ("value", "note", "link")
# Written values that mean "not applicable" (besides YAML null / ~): rendered as an em dash.
EMPTY_MARKERS = frozenset({"", "n/a", "—"})
EM_DASH = "—"


@dataclass(frozen=True, slots=True)
class DataColumn:
    id: str
    label: Inline
    ref: SourceRef
    note: Inline = ()


@dataclass(frozen=True, slots=True)
class DataValue:
    """One cell of the data: inline content, or empty (not applicable), with an optional note."""

    content: Inline
    ref: SourceRef
    empty: bool = False
    note: Inline = ()


@dataclass(frozen=True, slots=True)
class DataRow:
    id: str
    label: Inline
    ref: SourceRef
    definition: Inline = ()
    note: Inline = ()
    # Column id -> value; a column listed under `optional:` may be absent.
    values: Mapping[str, DataValue] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DataTable:
    """A validated slides/data/<name>.yaml file."""

    name: str
    ref: SourceRef
    columns: tuple[DataColumn, ...] = ()
    rows: tuple[DataRow, ...] = ()
    title: str = ""
    caption: Inline = ()
    source: Inline = ()
    corner: Inline = ()
    optional: frozenset[str] = frozenset()
    # False when the file could not be used at all (its errors are already reported):
    # fences naming it then produce nothing rather than a cascade of "unknown row" errors.
    usable: bool = True

    def column(self, column_id: str) -> DataColumn | None:
        return next((c for c in self.columns if c.id == column_id), None)

    def row(self, row_id: str) -> DataRow | None:
        return next((r for r in self.rows if r.id == row_id), None)


# --------------------------------------------------------------------------- validation


def parse_table(name: str, text: str, path: str) -> tuple[DataTable, list[Diagnostic]]:
    """Validate one data table's YAML text; `path` is how the file is shown in diagnostics."""
    data, diags = load_yaml(text, path)
    unusable = DataTable(name, SourceRef(path, 1), usable=False)
    if has_errors(diags):
        return unusable, diags
    check = Check(path)
    check.diags.extend(diags)  # warnings: a key given twice, characters removed
    if not isinstance(data, YamlMap):
        check.error(1, "a data table must be a mapping with 'columns:' and 'rows:'")
        return unusable, check.diags
    check.keys(data, TOP_KEYS, "the data table")
    top = {k: check.inline(data[k], key_line(data, k), f"'{k}'")
           for k in ("caption", "source", "corner") if data.get(k) is not None}
    title = check.text(data.get("title", ""), key_line(data, "title"), "'title'") or ""
    columns = _columns(data, check)
    optional = _optional(data, columns, check)
    rows = _rows(data, columns, optional, check)
    check.diags.sort(key=lambda d: d.ref.line if d.ref else 0)
    if not columns or not rows:
        return unusable, check.diags
    return DataTable(
        name=name, ref=SourceRef(path, 1), columns=columns, rows=rows, title=title,
        caption=top.get("caption", ()), source=top.get("source", ()), corner=top.get("corner", ()),
        optional=frozenset(optional),
    ), check.diags



def _items(data: YamlMap, key: str, check: Check) -> list[tuple[YamlMap, int]]:
    """The mapping items of a required list (`columns:` or `rows:`), each with its line."""
    value = data.get(key)
    line = key_line(data, key, 1)
    if key not in data:
        check.error(1, f"the data table has no '{key}:' list")
        return []
    if not isinstance(value, YamlList) or not value:
        check.error(line, f"'{key}' must be a non-empty list")
        return []
    items: list[tuple[YamlMap, int]] = []
    for item, item_line in zip(value, value.item_lines, strict=True):
        if isinstance(item, YamlMap):
            items.append((item, item_line))
        else:
            check.error(item_line, f"each item of '{key}' must be a mapping, not {type_name(item)}")
    return items


def _columns(data: YamlMap, check: Check) -> tuple[DataColumn, ...]:
    columns: list[DataColumn] = []
    seen: dict[str, int] = {}
    for item, line in _items(data, "columns", check):
        check.keys(item, COLUMN_KEYS, "a column")
        cid = _required_id(item, line, "column", check)
        label = _required_label(item, line, f"column '{cid}'", check)
        link = check.link(item["link"], key_line(item, "link"), f"column '{cid}'") if "link" in item else None
        note = check.inline(item["note"], key_line(item, "note"), f"the note of column '{cid}'") \
            if "note" in item else ()
        if cid is None:
            continue
        if cid == "label":
            # `sort: label` sorts by the row labels, so a column cannot use that id.
            check.error(key_line(item, "id"),
                        "column id 'label' is reserved (sort: label sorts by row labels)")
            continue
        if cid in seen:
            check.error(key_line(item, "id"), f"duplicate column id '{cid}' (first at line {seen[cid]})")
            continue
        seen[cid] = key_line(item, "id")
        columns.append(DataColumn(cid, linked(label, link), check.at(line), note))
    return tuple(columns)


def _required_id(item: YamlMap, line: int, what: str, check: Check) -> str | None:
    if "id" not in item:
        check.error(line, f"this {what} has no 'id'")
        return None
    return check.ident(item["id"], key_line(item, "id"), what)


def _required_label(item: YamlMap, line: int, what: str, check: Check) -> Inline:
    if "label" not in item:
        check.error(line, f"{what} has no 'label'")
        return ()
    return check.inline(item["label"], key_line(item, "label"), f"the label of {what}")


def _optional(data: YamlMap, columns: tuple[DataColumn, ...], check: Check) -> set[str]:
    if "optional" not in data:
        return set()
    value, line = data["optional"], key_line(data, "optional")
    if not isinstance(value, YamlList):
        check.error(line, f"'optional' must be a list of column ids, not {type_name(value)}")
        return set()
    known = {c.id for c in columns}
    result: set[str] = set()
    for item, item_line in zip(value, value.item_lines, strict=True):
        if not isinstance(item, str):
            check.error(item_line, f"'optional' lists column ids, not {type_name(item)}")
        elif item not in known:
            check.error(item_line, f"'optional' names unknown column '{item}'{suggest(item, known)}")
        else:
            result.add(item)
    return result


def _rows(data: YamlMap, columns: tuple[DataColumn, ...], optional: set[str],
          check: Check) -> tuple[DataRow, ...]:
    rows: list[DataRow] = []
    seen: dict[str, int] = {}
    for item, line in _items(data, "rows", check):
        check.keys(item, ROW_KEYS, "a row")
        rid = _required_id(item, line, "row", check)
        what = f"row '{rid}'" if rid else "this row"
        label = _required_label(item, line, what, check)
        link = check.link(item["link"], key_line(item, "link"), what) if "link" in item else None
        definition = check.inline(item["def"], key_line(item, "def"), f"the definition of {what}") \
            if "def" in item else ()
        note = check.inline(item["note"], key_line(item, "note"), f"the note of {what}") \
            if "note" in item else ()
        values = _values(item, line, what, columns, optional, check)
        if rid is None:
            continue
        if rid in seen:
            check.error(key_line(item, "id"), f"duplicate row id '{rid}' (first at line {seen[rid]})")
            continue
        seen[rid] = key_line(item, "id")
        rows.append(DataRow(rid, linked(label, link), check.at(line), definition, note, values))
    return tuple(rows)


def _values(item: YamlMap, line: int, what: str, columns: tuple[DataColumn, ...],
            optional: set[str], check: Check) -> dict[str, DataValue]:
    raw = item.get("values")
    if "values" in item and not isinstance(raw, YamlMap):
        check.error(key_line(item, "values"), f"'values' of {what} must be a mapping of column id to "
                                              f"value, not {type_name(raw)}")
        return {}
    raw = raw if isinstance(raw, YamlMap) else YamlMap()
    known = [c.id for c in columns]
    values: dict[str, DataValue] = {}
    for cid, cell in raw.items():
        cell_line = key_line(raw, cid)
        if cid not in known:
            check.error(cell_line, f"{what} has a value for unknown column '{cid}'{suggest(cid, known)}")
            continue
        value = _value(cell, cell_line, f"{what}, column '{cid}'", check)
        if value is not None:
            values[cid] = value
    missing = [c for c in known if c not in raw and c not in optional]
    if missing:
        where = key_line(item, "values", line)
        check.error(where, f"{what} has no value for column{'s' if len(missing) > 1 else ''} "
                           f"{', '.join(repr(c) for c in missing)} (write null for 'not applicable', "
                           f"or list the column under 'optional:')")
    return values


def _value(cell: Any, line: int, what: str, check: Check) -> DataValue | None:
    """A cell: text, null / "n/a" / "—" (not applicable), or {value, note, link}."""
    note: Inline = ()
    link: str | None = None
    if isinstance(cell, YamlMap):
        check.keys(cell, CELL_KEYS, what)
        if "note" in cell:
            note = check.inline(cell["note"], key_line(cell, "note"), f"the note of {what}")
        if "link" in cell:
            link = check.link(cell["link"], key_line(cell, "link"), what)
        if "value" not in cell:
            check.error(cell.line, f"{what} has no 'value' (write 'value: null' for 'not applicable')")
            return None
        line, cell = key_line(cell, "value"), cell["value"]
    if cell is None or (isinstance(cell, str) and cell.strip().lower() in EMPTY_MARKERS):
        return DataValue((Span(EM_DASH),), check.at(line), empty=True, note=note)
    if isinstance(cell, (dict, list)):
        check.error(line, f"{what} must be text or a mapping with 'value', 'note', 'link', "
                          f"not {type_name(cell)}")
        return None
    content = check.inline(cell, line, what)
    return DataValue(linked(content, link), check.at(line), note=note) if content else None

