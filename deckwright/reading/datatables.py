"""YAML data tables: slides/data/*.yaml loaded and checked, table and glossary fences expanded."""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from deckwright.diagnostics import Diagnostic, SourceRef, display_path, error, warning
from deckwright.model.deck import (
    Align,
    Block,
    Cell,
    Inline,
    Span,
    Table,
    plain_text,
)
from deckwright.support.memo import memoise
from deckwright.support.yamlsafe import YamlList, YamlMap, key_line, load_yaml

# --------------------------------------------------------------------------- data model

TOP_KEYS = ("title", "caption", "source", "corner", "optional", "columns", "rows")
COLUMN_KEYS = ("id", "label", "link", "note")
ROW_KEYS = ("id", "label", "def", "link", "note", "values")
CELL_KEYS = ("value", "note", "link")
TABLE_OPTIONS = ("rows", "columns", "transpose", "caption", "highlight", "sort")
GLOSSARY_OPTIONS = ("rows", "caption")
# Written values that mean "not applicable" (besides YAML null / ~): rendered as an em dash.
EMPTY_MARKERS = frozenset({"", "n/a", "—"})
EM_DASH = "—"
GLOSSARY_HEADER = ("Term", "Definition")
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


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


# --------------------------------------------------------------------------- inline Markdown

_MD = MarkdownIt("commonmark", {"html": False}).enable("strikethrough")


def parse_inline(text: str) -> Inline:
    """Inline Markdown (bold, italic, strike, code, links, hard breaks) to merged Spans."""
    tokens = _MD.parseInline(text)
    children = tokens[0].children if tokens and tokens[0].children else []
    spans: list[Span] = []
    bold = italic = strike = False
    href: str | None = None
    for tok in children:
        kind = tok.type
        if kind in ("strong_open", "strong_close"):
            bold = kind == "strong_open"
        elif kind in ("em_open", "em_close"):
            italic = kind == "em_open"
        elif kind in ("s_open", "s_close"):
            strike = kind == "s_open"
        elif kind == "link_open":
            href = str(tok.attrs.get("href", "")) or None
        elif kind == "link_close":
            href = None
        elif kind == "code_inline":
            spans.append(Span(tok.content, bold=bold, italic=italic, strike=strike, code=True, href=href))
        elif kind in ("text", "image", "html_inline", "softbreak", "hardbreak"):
            text_of = {"softbreak": " ", "hardbreak": "\n"}.get(kind, tok.content)
            spans.append(Span(text_of, bold=bold, italic=italic, strike=strike, href=href))
    return _merge(spans)


def _merge(spans: Iterable[Span]) -> Inline:
    """Join neighbouring spans of the same style, so writers emit fewer runs."""
    out: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        # A hard line break stays a Span of its own ("\n"), as the model defines it.
        same = bool(out) and replace(out[-1], text="") == replace(span, text="")
        if same and "\n" not in (out[-1].text, span.text):
            out[-1] = replace(out[-1], text=out[-1].text + span.text)
        else:
            out.append(span)
    return tuple(out)


def _linked(content: Inline, href: str | None) -> Inline:
    """Make the whole content a link (spans that already link elsewhere keep their target)."""
    if not href:
        return content
    return tuple(s if s.href else replace(s, href=href) for s in content)


# --------------------------------------------------------------------------- loading


class _Check:
    """Collects diagnostics for one YAML file so validators can report everything at once."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diags: list[Diagnostic] = []

    def at(self, line: int) -> SourceRef:
        return SourceRef(self.path, line)

    def error(self, line: int, message: str) -> None:
        self.diags.append(error(self.at(line), message))

    def warning(self, line: int, message: str) -> None:
        self.diags.append(warning(self.at(line), message))

    def keys(self, mapping: YamlMap, allowed: Sequence[str], where: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.error(key_line(mapping, key), f"unknown key '{key}' in {where}{_suggest(key, allowed)}"
                           f" (allowed: {', '.join(allowed)})")

    def text(self, value: Any, line: int, what: str) -> str | None:
        """A text field: strings and integers are text; anything else is reported."""
        if isinstance(value, bool):
            # YAML 1.1 turns yes/no/on/off into booleans and the original spelling is lost.
            self.error(line, f"{what} is a boolean ({str(value).lower()}); quote it, e.g. \"yes\"")
            return None
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            # 1.10 would become 1.1: only the author knows the intended spelling.
            self.error(line, f"{what} is a number ({value}); quote it to keep its exact spelling")
            return None
        if not isinstance(value, str):
            self.error(line, f"{what} must be text, not {_type_name(value)}")
            return None
        return value

    def inline(self, value: Any, line: int, what: str) -> Inline:
        text = self.text(value, line, what)
        if text is None:
            return ()
        content = parse_inline(text.strip())
        for span in content:
            if span.href is not None:
                self.link(span.href, line, what)
        return content

    def link(self, href: Any, line: int, what: str) -> str | None:
        if not isinstance(href, str) or not href:
            self.error(line, f"link of {what} must be a URL, not {_type_name(href)}")
            return None
        if not href.startswith("https://"):
            self.warning(line, f"link of {what} should be an absolute https:// URL: {href}")
        return href

    def ident(self, value: Any, line: int, what: str) -> str | None:
        if not isinstance(value, str) or isinstance(value, bool):
            self.error(line, f"{what} id must be text, not {_type_name(value)}")
            return None
        if not _ID_RE.match(value):
            self.error(line, f"{what} id '{value}' must be letters, digits, '-' or '_'")
            return None
        return value


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def load_tables(root: Path) -> tuple[dict[str, DataTable], list[Diagnostic]]:
    """Read and validate every slides/data/*.yaml (name = file stem); report all problems at once."""
    data_dir = root / "slides" / "data"
    if not data_dir.is_dir():
        return {}, []
    tables: dict[str, DataTable] = {}
    diags: list[Diagnostic] = []
    files = sorted(p for p in data_dir.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    for path in files:
        shown = display_path(path, root)
        if path.stem in tables:
            diags.append(error(SourceRef(shown, 1), f"a data table named '{path.stem}' already exists "
                                                    f"({tables[path.stem].ref.path})"))
            continue
        if not path.resolve().is_relative_to(root.resolve()):
            # A symlink out of the project: data is read only from inside it.
            diags.append(error(SourceRef(shown, 1), "data table is a symlink to outside the project"))
            tables[path.stem] = DataTable(path.stem, SourceRef(shown, 1), usable=False)
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            diags.append(error(SourceRef(shown, 1), f"cannot read data table: {exc}"))
            tables[path.stem] = DataTable(path.stem, SourceRef(shown, 1), usable=False)
            continue
        table, tdiags = _parse_table_cached(path.stem, text, shown)  # watch: unchanged files
        tables[path.stem] = table
        diags.extend(tdiags)
    return tables, diags


def parse_table(name: str, text: str, path: str) -> tuple[DataTable, list[Diagnostic]]:
    """Validate one data table's YAML text; `path` is how the file is shown in diagnostics."""
    data, diags = load_yaml(text, path)
    unusable = DataTable(name, SourceRef(path, 1), usable=False)
    if diags:
        return unusable, diags
    check = _Check(path)
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


# Parsing depends on the text only: `watch` re-reads only the data files that changed.
_parse_table_cached = memoise(parse_table, 256)


def _items(data: YamlMap, key: str, check: _Check) -> list[tuple[YamlMap, int]]:
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
            check.error(item_line, f"each item of '{key}' must be a mapping, not {_type_name(item)}")
    return items


def _columns(data: YamlMap, check: _Check) -> tuple[DataColumn, ...]:
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
        columns.append(DataColumn(cid, _linked(label, link), check.at(line), note))
    return tuple(columns)


def _required_id(item: YamlMap, line: int, what: str, check: _Check) -> str | None:
    if "id" not in item:
        check.error(line, f"this {what} has no 'id'")
        return None
    return check.ident(item["id"], key_line(item, "id"), what)


def _required_label(item: YamlMap, line: int, what: str, check: _Check) -> Inline:
    if "label" not in item:
        check.error(line, f"{what} has no 'label'")
        return ()
    return check.inline(item["label"], key_line(item, "label"), f"the label of {what}")


def _optional(data: YamlMap, columns: tuple[DataColumn, ...], check: _Check) -> set[str]:
    if "optional" not in data:
        return set()
    value, line = data["optional"], key_line(data, "optional")
    if not isinstance(value, YamlList):
        check.error(line, f"'optional' must be a list of column ids, not {_type_name(value)}")
        return set()
    known = {c.id for c in columns}
    result: set[str] = set()
    for item, item_line in zip(value, value.item_lines, strict=True):
        if not isinstance(item, str):
            check.error(item_line, f"'optional' lists column ids, not {_type_name(item)}")
        elif item not in known:
            check.error(item_line, f"'optional' names unknown column '{item}'{_suggest(item, known)}")
        else:
            result.add(item)
    return result


def _rows(data: YamlMap, columns: tuple[DataColumn, ...], optional: set[str],
          check: _Check) -> tuple[DataRow, ...]:
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
        rows.append(DataRow(rid, _linked(label, link), check.at(line), definition, note, values))
    return tuple(rows)


def _values(item: YamlMap, line: int, what: str, columns: tuple[DataColumn, ...],
            optional: set[str], check: _Check) -> dict[str, DataValue]:
    raw = item.get("values")
    if "values" in item and not isinstance(raw, YamlMap):
        check.error(key_line(item, "values"), f"'values' of {what} must be a mapping of column id to "
                                              f"value, not {_type_name(raw)}")
        return {}
    raw = raw if isinstance(raw, YamlMap) else YamlMap()
    known = [c.id for c in columns]
    values: dict[str, DataValue] = {}
    for cid, cell in raw.items():
        cell_line = key_line(raw, cid)
        if cid not in known:
            check.error(cell_line, f"{what} has a value for unknown column '{cid}'{_suggest(cid, known)}")
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


def _value(cell: Any, line: int, what: str, check: _Check) -> DataValue | None:
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
                          f"not {_type_name(cell)}")
        return None
    content = check.inline(cell, line, what)
    return DataValue(_linked(content, link), check.at(line), note=note) if content else None


# --------------------------------------------------------------------------- fences


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
        hint = _suggest(name, known) or (f" (known: {', '.join(known)})" if known
                                         else " (slides/data/ has no .yaml files)")
        return [], [error(ref, f"unknown data table '{name}'{hint}")]
    if not table.usable:
        return [], []
    check = _Check(ref.path)
    options = _fence_options(kind, body, ref, table, check)
    if options is None or any(d.is_error for d in check.diags):
        return [], check.diags
    if kind == "glossary":
        block = _glossary(table, options, ref, check)
    else:
        block = _table(table, options, ref, check)
    return ([block] if block is not None else []), check.diags


def _fence_options(kind: str, body: str, ref: SourceRef, table: DataTable,
                   check: _Check) -> _Options | None:
    data, diags = load_yaml(body, ref.path, first_line=ref.line + 1)
    check.diags.extend(diags)
    if diags:
        return None
    if data is None:
        return _Options()
    if not isinstance(data, YamlMap):
        check.error(ref.line, f"the ```{kind} fence holds options as YAML key: value lines, "
                              f"not {_type_name(data)}")
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
             check: _Check) -> tuple[tuple[str, int], ...] | None:
    """An option naming ids: one id or a list of ids, each checked against the table."""
    if key not in data:
        return None
    value, line = data[key], key_line(data, key)
    if isinstance(value, str):
        items, lines = [value], [line]
    elif isinstance(value, YamlList) and value:
        items, lines = list(value), value.item_lines
    else:
        check.error(line, f"'{key}' must be an id or a non-empty list of ids, not {_type_name(value)}")
        return None
    result: list[tuple[str, int]] = []
    for item, item_line in zip(items, lines, strict=True):
        text = str(item) if isinstance(item, int) and not isinstance(item, bool) else item
        if not isinstance(text, str):
            check.error(item_line, f"'{key}' lists ids, not {_type_name(item)}")
        elif text not in known:
            check.error(item_line, f"unknown {what} '{text}' in table '{name}'{_suggest(text, known)}")
        elif any(text == seen for seen, _ in result):
            check.error(item_line, f"{what} '{text}' is listed twice in '{key}'")
        else:
            result.append((text, item_line))
    return tuple(result)


def _sort(data: YamlMap, col_ids: list[str], name: str, check: _Check) -> tuple[str, int] | None:
    value, line = data["sort"], key_line(data, "sort")
    if not isinstance(value, str) or (value != "label" and value not in col_ids):
        shown = value if isinstance(value, str) else _type_name(value)
        check.error(line, f"'sort' must be 'label' or a column id of table '{name}', not '{shown}'"
                          f"{_suggest(str(value), [*col_ids, 'label'])}")
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


def _table(table: DataTable, options: _Options, ref: SourceRef, check: _Check) -> Table:
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
    return _merge((*caption, Span(f"{lead}Source: "), *source))


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


def _glossary(table: DataTable, options: _Options, ref: SourceRef, check: _Check) -> Table | None:
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
