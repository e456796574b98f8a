"""YAML data tables: load and validate slides/data/*.yaml, expand table/glossary fences, split tall tables."""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from deckwright.diagnostics import Diagnostic, SourceRef, display_path, error, warning
from deckwright.layout import text as measure
from deckwright.layout.geometry import body_box, image_split
from deckwright.layout.geometry import column_widths as _box_columns
from deckwright.model.deck import (
    Align,
    Block,
    Cell,
    CodeBlock,
    Columns,
    Deck,
    Heading,
    Image,
    Inline,
    Layout,
    ListBlock,
    Paragraph,
    Quote,
    Slide,
    Span,
    Table,
    plain_text,
)
from deckwright.model.theme import Theme
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


# --------------------------------------------------------------------------- measuring
#
# The same rules as deckwright/fit.py (cell padding, wrap slack, caption and notes at 0.85 × the
# table size after half a gap, superscripts at 0.6), so that a part split here is a part fit can
# place at the theme's size; tests/test_tables.py checks that the constants agree.

CELL_PAD_X, CELL_PAD_Y = 8.0, 4.0
WRAP_SLACK = 0.97
NOTE_SCALE = 0.85
SUPERSCRIPT_SCALE = 0.6


@dataclass(frozen=True, slots=True)
class TableMetrics:
    """Sizes (CSS px) of a table's parts, as fit and the writers draw them."""

    size: float  # cell text
    line_height: float  # multiple of the size
    pad_x: float  # cell padding left and right
    pad_y: float  # cell padding top and bottom
    note_size: float  # caption and footnotes under the table
    gap: float  # between the table and its caption / footnotes


def table_metrics(theme: Theme, size: float | None = None) -> TableMetrics:
    """The table's metrics at `size` px (default: the theme's `sizes.table`)."""
    s = size if size is not None else theme.sizes["table"]
    return TableMetrics(size=s, line_height=theme.sizes["line_height"], pad_x=CELL_PAD_X, pad_y=CELL_PAD_Y,
                        note_size=NOTE_SCALE * s, gap=theme.spacing["gap"] / 2)


@dataclass(frozen=True, slots=True)
class _Fonts:
    """The font files a table's text is drawn with (hashable, so measurements can be cached)."""

    body: tuple[Path, ...]  # regular, bold, italic, bold italic
    code: tuple[Path, ...]

    def file(self, code: bool, bold: bool, italic: bool) -> Path:
        return (self.code if code else self.body)[int(bold) + 2 * int(italic)]


def _fonts(theme: Theme) -> _Fonts:
    def faces(role: str) -> tuple[Path, ...]:
        spec = theme.fonts[role]
        return spec.file(), spec.file(bold=True), spec.file(italic=True), spec.file(bold=True, italic=True)

    return _Fonts(faces("body"), faces("code"))


Token = tuple[str, float]


def _tokens(content: Inline, fonts: _Fonts, size: float, bold: bool = False,
            italic: bool = False) -> tuple[Token, ...]:
    """("w", width) words, (" ", width) spaces and ("\n", 0) breaks; a word may span several spans."""
    out: list[Token] = []
    for span in content:
        font = fonts.file(span.code, bold or span.bold, italic or span.italic)
        span_size = size * (SUPERSCRIPT_SCALE if span.superscript else 1.0)
        for i, piece in enumerate(span.text.split("\n")):
            if i:
                out.append(("\n", 0.0))
            # A link is one unbreakable word: LibreOffice draws it as one field (see fit._tokens).
            for j, word in enumerate([piece] if span.href else piece.split(" ")):
                if j:
                    out.append((" ", measure.text_width(" ", font, span_size)))
                if not word:
                    continue
                w = measure.text_width(word, font, span_size)
                if out and out[-1][0] == "w":
                    out[-1] = ("w", out[-1][1] + w)
                else:
                    out.append(("w", w))
    return tuple(out)


def _count_lines(tokens: Sequence[Token], width: float) -> int:
    """Lines the tokens take wrapped greedily at spaces to `width` px (long words broken)."""
    width = max(width * WRAP_SLACK, 1.0)
    lines, x, space = 1, 0.0, 0.0
    for kind, w in tokens:
        if kind == "\n":
            lines, x, space = lines + 1, 0.0, 0.0
        elif kind == " ":
            space += w if x > 0 else 0.0
        else:
            if x > 0 and x + space + w <= width:
                x += space + w
            else:
                lines += 1 if x > 0 else 0
                extra = max(math.ceil(w / width) - 1, 0)
                lines += extra
                x = w - extra * width
            space = 0.0
    return lines


def _line_width(tokens: Sequence[Token]) -> float:
    """Width of the longest hard line, unwrapped."""
    best, x = 0.0, 0.0
    for kind, w in tokens:
        x = 0.0 if kind == "\n" else x + w
        best = max(best, x)
    return best


def _cells(table: Table, fonts: _Fonts, size: float) -> list[list[tuple[Token, ...]]]:
    """Tokens of every cell, header row first; the header and row labels are bold, as drawn."""
    grid = [[_tokens(c.content, fonts, size, bold=True) for c in table.header]] if table.header else []
    for row in table.rows:
        grid.append([_tokens(c.content, fonts, size, bold=table.row_header and i == 0)
                     for i, c in enumerate(row)])
    return grid


def _extent(cells: list[list[tuple[Token, ...]]]) -> tuple[list[float], list[float]]:
    """Per column: the narrowest width (longest word) and the natural width (longest line), padded."""
    pad = 2 * CELL_PAD_X
    ncols = max((len(r) for r in cells), default=0)
    narrow, natural = [pad + 1.0] * ncols, [pad + 1.0] * ncols
    for row in cells:
        for i, tokens in enumerate(row):
            longest = max((w for kind, w in tokens if kind == "w"), default=0.0)
            narrow[i] = max(narrow[i], pad + longest / WRAP_SLACK + 2)
            natural[i] = max(natural[i], pad + _line_width(tokens) / WRAP_SLACK + 2)
    return narrow, natural


def column_widths(table: Table, theme: Theme, total_width: float, size: float | None = None) -> list[float]:
    """Column widths (px) summing to `total_width`, shared by every writer so that all outputs agree.

    Each column gets at least its longest word. If everything fits on one line, widths are
    proportional to the content. Otherwise the room left is given where it saves the most lines
    (the table gets as short as it can), and anything that saves nothing is shared in proportion
    to how much more each column would need to fit its text on one line, as browsers do.
    A table with `widths` (the parts of a split table) keeps those proportions.
    """
    if table.widths and len(table.widths) == max((len(r) for r in (table.header, *table.rows)), default=0):
        # A split table's parts share the widths chosen for the whole table.
        return [f * total_width / sum(table.widths) for f in table.widths]
    s = size if size is not None else theme.sizes["table"]
    return list(_widths(table, _fonts(theme), s, float(total_width)))


@lru_cache(maxsize=256)
def _widths(table: Table, fonts: _Fonts, size: float, total: float) -> tuple[float, ...]:
    cells = _cells(table, fonts, size)
    narrow, natural = _extent(cells)
    if not narrow:
        return ()
    if sum(narrow) >= total:
        return tuple(w * total / sum(narrow) for w in narrow)
    if sum(natural) <= total:
        return tuple(w * total / sum(natural) for w in natural)
    steps = [[_breakpoints(tokens, narrow[i], natural[i]) for i, tokens in enumerate(row)] for row in cells]
    shared = _share(narrow, narrow, natural, total)
    best = _least_lines(steps, narrow, natural, total)
    return tuple(best if _lines(steps, best) < _lines(steps, shared) else shared)


Steps = list[tuple[float, int]]


def _breakpoints(tokens: Sequence[Token], low: float, high: float) -> Steps:
    """(width, lines) pairs: from each column width on, the cell takes that many lines."""
    def lines(width: float) -> int:
        return _count_lines(tokens, width - 2 * CELL_PAD_X)

    points = [(low, lines(low))]
    while points[-1][1] > 1 and lines(high) < points[-1][1]:
        lo, hi, target = points[-1][0], high, points[-1][1] - 1
        while hi - lo > 0.5:
            mid = (lo + hi) / 2
            lo, hi = (lo, mid) if lines(mid) <= target else (mid, hi)
        points.append((hi, lines(hi)))
    return points


def _cell_lines(steps: Steps, width: float) -> int:
    """Lines the cell takes at `width` (steps are sorted by width, lines falling)."""
    lines = steps[0][1]
    for w, n in steps:
        if w > width + 1e-6:
            break
        lines = n
    return lines


def _lines(steps: list[list[Steps]], widths: Sequence[float]) -> int:
    """Total height of the table in lines: each row is as tall as its tallest cell."""
    return sum(max((_cell_lines(c, w) for c, w in zip(row, widths, strict=False)), default=1)
               for row in steps)


def _share(widths: Sequence[float], narrow: Sequence[float], natural: Sequence[float],
           total: float) -> list[float]:
    """Spread the room left over in proportion to what each column still lacks (browser auto layout)."""
    spare = total - sum(widths)
    wants = [max(b - w, 0.0) for w, b in zip(widths, natural, strict=True)]
    weights = wants if sum(wants) > 0 else list(natural)
    return [w + spare * k / sum(weights) for w, k in zip(widths, weights, strict=True)]


# Widths tried per column and step: enough to find the good ones, few enough for big tables.
_CANDIDATES = 24
_ROW_MOVES = 16


def _least_lines(steps: list[list[Steps]], narrow: list[float], natural: list[float],
                 total: float) -> list[float]:
    """Greedy: repeatedly widen the column(s) that save the most lines per pixel, then share the rest."""
    widths = list(narrow)
    while total - sum(widths) > 1e-6:
        lines = [[_cell_lines(c, w) for c, w in zip(row, widths, strict=False)] for row in steps]
        current = sum(max(r, default=1) for r in lines)
        moved = _best_column_move(steps, lines, widths, current, total) \
            or _best_row_move(steps, lines, widths, current, total)
        if moved is None:
            break
        widths = moved
    return _share(widths, narrow, natural, total)


def _best_column_move(steps: list[list[Steps]], lines: list[list[int]], widths: list[float],
                      current: int, total: float) -> list[float] | None:
    """Widen one column to a width where cells lose lines, saving the most lines per pixel."""
    spare = total - sum(widths)
    best: tuple[float, float, int, float] | None = None
    for i, width in enumerate(widths):
        rest = [max((n for j, n in enumerate(r) if j != i), default=1) for r in lines]
        for w in _candidates(steps, i, width, width + spare):
            saved = current - sum(max(rest[k], _cell_lines(row[i], w)) if i < len(row) else rest[k]
                                  for k, row in enumerate(steps))
            key = (saved / (w - width), width - w)
            if saved > 0 and (best is None or key > best[:2]):
                best = (*key, i, w)
    if best is None:
        return None
    return [best[3] if j == best[2] else x for j, x in enumerate(widths)]


def _candidates(steps: list[list[Steps]], column: int, low: float, high: float) -> list[float]:
    found = sorted({w for row in steps if column < len(row)
                    for w, _ in row[column] if low < w <= high + 1e-6})
    if len(found) <= _CANDIDATES:
        return found
    return [found[k * len(found) // _CANDIDATES] for k in range(_CANDIDATES)]


def _best_row_move(steps: list[list[Steps]], lines: list[list[int]], widths: list[float],
                   current: int, total: float) -> list[float] | None:
    """Widen every tallest cell of one row at once (no single column alone shortens that row)."""
    spare = total - sum(widths)
    tallest_rows = sorted(range(len(steps)), key=lambda k: -max(lines[k], default=1))[:_ROW_MOVES]
    best: tuple[float, float, list[float]] | None = None
    for k in tallest_rows:
        tallest = max(lines[k], default=1)
        if tallest <= 1:
            continue
        moved = list(widths)
        for i, (cell, n) in enumerate(zip(steps[k], lines[k], strict=False)):
            if n == tallest:
                moved[i] = max(moved[i], next((w for w, m in cell if m < tallest), math.inf))
        cost = sum(moved) - sum(widths)
        if not math.isfinite(cost) or cost <= 0 or cost > spare + 1e-6:
            continue
        saved = current - _lines(steps, moved)
        if saved > 0 and (best is None or (saved / cost, -cost) > best[:2]):
            best = (saved / cost, -cost, moved)
    return best[2] if best else None


def min_table_width(table: Table, theme: Theme, size: float | None = None) -> float:
    """The width below which some column would be narrower than its longest word (default size:
    the theme's minimum table size, `sizes.table_min`)."""
    s = size if size is not None else theme.sizes["table_min"]
    return sum(_extent(_cells(table, _fonts(theme), s))[0])


def _row_heights(table: Table, theme: Theme, widths: Sequence[float], size: float) -> list[float]:
    """Height of each row (header first) with cells wrapped to their column widths."""
    m = table_metrics(theme, size)
    line = size * m.line_height
    return [max((_count_lines(tokens, w - 2 * m.pad_x) for tokens, w in zip(row, widths, strict=False)),
                default=1) * line + 2 * m.pad_y
            for row in _cells(table, _fonts(theme), size)]


def _note_height(content: Inline, theme: Theme, width: float, m: TableMetrics, italic: bool = False) -> float:
    tokens = _tokens(content, _fonts(theme), m.note_size, italic=italic)
    return _count_lines(tokens, width) * m.note_size * m.line_height


def _footnote(number: int, note: Inline) -> Inline:
    return (Span(str(number), superscript=True), Span(" "), *note)


def _notes_height(table: Table, theme: Theme, width: float, m: TableMetrics) -> float:
    """Caption (italic) and numbered footnotes under the table, with the gap above them."""
    if not table.caption and not table.footnotes:
        return 0.0
    caption = _note_height(table.caption, theme, width, m, italic=True) if table.caption else 0.0
    return m.gap + caption + sum(_note_height(_footnote(i, n), theme, width, m)
                                 for i, n in enumerate(table.footnotes, start=1))


def table_height(table: Table, theme: Theme, total_width: float, size: float | None = None) -> float:
    """Height (px) of the table with its caption and footnotes at `total_width`."""
    m = table_metrics(theme, size)
    widths = column_widths(table, theme, total_width, m.size)
    return sum(_row_heights(table, theme, widths, m.size)) + _notes_height(table, theme, total_width, m)


# --------------------------------------------------------------------------- splitting


def content_box(theme: Theme, layout: Layout = Layout.CONTENT) -> tuple[float, float]:
    """(width, height) in px of a slide's content area below the title."""
    sp = theme.spacing
    title = 0.0 if layout is Layout.BLANK else sp["title_height"]
    return (theme.width - 2 * sp["margin_x"],
            theme.height - sp["margin_top"] - title - sp["margin_bottom"])


def split_tables(deck: Deck, theme: Theme) -> tuple[Deck, list[Diagnostic]]:
    """Split tables taller than the slide's content box over continuation slides; warn on too-wide ones."""
    diags: list[Diagnostic] = []
    slides: list[Slide] = []
    for slide in deck.slides:
        width, _ = content_box(theme, slide.layout)
        diags.extend(_wide_warnings(slide.blocks, theme, width))
        slides.extend(_split_slide(slide, theme))
    return replace(deck, slides=tuple(slides)), diags


def fix_column_widths(deck: Deck, theme: Theme) -> Deck:
    """Every table with `Table.widths` set for the box fit lays it out in (split parts keep theirs).

    fit (and so the PPTX and PDF writers) draws these widths and the HTML writer writes them as a
    <colgroup>: left to itself, a browser's automatic table layout would share the width differently
    and wrap cells where fit did not measure them. Run after split_tables, before fit.
    """
    slides = tuple(replace(s, blocks=_fixed_widths(s.blocks, theme, _body_width(s, theme)))
                   for s in deck.slides)
    return replace(deck, slides=slides)


def _body_width(slide: Slide, theme: Theme) -> float:
    """The width fit gives a slide's blocks (layout.py's boxes, as fit.plan_slide uses them)."""
    box = body_box(theme, slide.layout)
    beside_image = slide.layout in (Layout.IMAGE_LEFT, Layout.IMAGE_RIGHT)
    if beside_image and any(isinstance(b, Image) for b in slide.blocks):
        box = image_split(box, slide.layout, theme.spacing["column_gap"])[0]
    return box.w


def _fixed_widths(blocks: Sequence[Block], theme: Theme, width: float) -> tuple[Block, ...]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table) and not block.widths:
            widths = column_widths(block, theme, width)
            if widths and sum(widths) > 0:
                block = replace(block, widths=tuple(w / sum(widths) for w in widths))
        elif isinstance(block, Columns):
            inner = _box_columns([c.width for c in block.columns], width, theme.spacing["column_gap"])
            block = replace(block, columns=tuple(replace(c, blocks=_fixed_widths(c.blocks, theme, w))
                                                 for c, w in zip(block.columns, inner, strict=True)))
        # Tables in quotes and lists are not laid out as tables by fit: browsers size those.
        out.append(block)
    return tuple(out)


def _wide_warnings(blocks: Sequence[Block], theme: Theme, width: float) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for block in blocks:
        if isinstance(block, Table):
            need = min_table_width(block, theme)
            if need > width + 0.5:
                what = f"table '{block.source}'" if block.source else "this table"
                diags.append(warning(block.ref, (
                    f"{what} is too wide: at the minimum table size ({theme.sizes['table_min']:g} px) "
                    f"its longest words need {need:.0f} px but only {width:.0f} px are available; "
                    f"show fewer columns, transpose it, or use shorter words")))
        elif isinstance(block, Columns):
            for column, col_width in zip(block.columns, _column_widths(block, theme, width), strict=True):
                diags.extend(_wide_warnings(column.blocks, theme, col_width))
        elif isinstance(block, Quote):
            diags.extend(_wide_warnings(block.blocks, theme, width - theme.spacing["indent"]))
    return diags


def _column_widths(block: Columns, theme: Theme, width: float) -> list[float]:
    n = len(block.columns)
    usable = width - theme.spacing["column_gap"] * max(n - 1, 0)
    fixed = [c.width for c in block.columns]
    rest = 1.0 - sum(w for w in fixed if w is not None)
    free = sum(1 for w in fixed if w is None)
    return [usable * (w if w is not None else max(rest, 0.0) / max(free, 1)) for w in fixed]


def _split_slide(slide: Slide, theme: Theme) -> list[Slide]:
    width, height = content_box(theme, slide.layout)
    for index, block in enumerate(slide.blocks):
        if isinstance(block, Table) and block.rows and table_height(block, theme, width) > height:
            before, after = slide.blocks[:index], slide.blocks[index + 1:]
            parts = _split_table(block, theme, width, height,
                                 _blocks_height(before, theme, width), _blocks_height(after, theme, width))
            if len(parts) > 1:
                return _continuations(slide, before, parts, after, theme)
    return [slide]


def _continuations(slide: Slide, before: Sequence[Block], parts: list[Table], after: Sequence[Block],
                   theme: Theme) -> list[Slide]:
    """One slide per part: text before the table on the first, text after it on the last."""
    n = len(parts)
    out: list[Slide] = []
    for k, part in enumerate(parts):
        blocks: list[Block] = []
        if k == 0:
            blocks.extend(before)
        # Later parts appear with their slide: the click that revealed the table is already done.
        blocks.append(part if k == 0 else replace(part, step=0))
        if k == n - 1:
            blocks.extend(after)
        renumbered, steps = renumber_steps(blocks)
        out.append(replace(slide, blocks=tuple(renumbered), steps=steps, continuation=f"{k + 1}/{n}",
                           notes=slide.notes if k == 0 else ()))
    # A later table on the last slide may be tall too.
    return [*out[:-1], *_split_tail(out[-1], theme)]


def _split_tail(slide: Slide, theme: Theme) -> list[Slide]:
    head, tail = slide.blocks[:1], slide.blocks[1:]
    if not any(isinstance(b, Table) for b in tail):
        return [slide]
    rest = _split_slide(replace(slide, blocks=tail), theme)
    if len(rest) == 1:
        return [slide]
    first = rest[0]
    blocks, steps = renumber_steps([*head, *first.blocks])
    return [replace(first, blocks=tuple(blocks), steps=steps), *rest[1:]]


def _split_table(table: Table, theme: Theme, width: float, height: float,
                 before: float, after: float) -> list[Table]:
    """Cut the body rows into parts that each fit `height`, header repeated, as even as possible."""
    m = table_metrics(theme)
    widths = column_widths(table, theme, width, m.size)
    heights = _row_heights(table, theme, widths, m.size)
    header = heights[0] if table.header else 0.0
    body = heights[1:] if table.header else heights
    fixed = header + _notes_height(replace(table, footnotes=()), theme, width, m)
    if table.footnotes and not table.caption:
        fixed += m.gap
    # A row also brings the footnotes it refers to (counted per row: a shared note may count twice).
    costs = [h + sum(_note_height(_footnote(i, table.footnotes[i - 1]), theme, width, m)
                     for i in set(_markers(row)) if i <= len(table.footnotes))
             for h, row in zip(body, table.rows, strict=True)]
    gap = theme.spacing["gap"]
    lead = before + gap if before else 0.0
    tail = after + gap if after else 0.0
    sizes = partition([lead, *costs, tail], height - fixed)
    fractions = tuple(w / width for w in widths)
    parts: list[Table] = []
    start = 0
    for count in sizes:
        parts.append(_renumbered(replace(table, rows=table.rows[start:start + count], widths=fractions)))
        start += count
    return parts


def partition(costs: Sequence[float], capacity: float) -> list[int]:
    """Sizes of consecutive parts of costs[1:-1] so that, with costs[0] added to the first part and
    costs[-1] to the last, each part's sum fits `capacity`: as few parts as possible, then as even
    as possible. Every part has at least one item; a single item too big for any part gets its own.
    """
    lead, items, tail = costs[0], list(costs[1:-1]), costs[-1]
    if not items:
        return []
    fewest = _greedy(lead, items, tail, capacity)
    if len(items) > _EVEN_LIMIT:
        return fewest
    return _even(lead, items, tail, capacity, len(fewest)) or fewest


# Dynamic programming is quadratic in rows; beyond this a greedy split is good enough.
_EVEN_LIMIT = 400


def _greedy(lead: float, items: list[float], tail: float, capacity: float) -> list[int]:
    """Fill each part as far as it goes."""
    sizes: list[int] = []
    used, count = lead, 0
    for cost in items:
        if count and used + cost > capacity:
            sizes.append(count)
            used, count = 0.0, 0
        used += cost
        count += 1
    if count > 1 and used + tail > capacity:
        # The text after the table does not fit beside the last part: move the last row down.
        sizes.extend([count - 1, 1])
    else:
        sizes.append(count)
    return sizes


def _even(lead: float, items: list[float], tail: float, capacity: float, parts: int) -> list[int]:
    """`parts` parts that fit, minimising the sum of squared part heights (so all are alike)."""
    m = len(items)
    prefix = [0.0]
    for cost in items:
        prefix.append(prefix[-1] + cost)

    def height(i: int, j: int) -> float:
        return prefix[j] - prefix[i] + (lead if i == 0 else 0.0) + (tail if j == m else 0.0)

    inf = math.inf
    best = [[inf] * (m + 1) for _ in range(parts + 1)]
    cut = [[0] * (m + 1) for _ in range(parts + 1)]
    best[0][0] = 0.0
    for k in range(1, parts + 1):
        for j in range(k, m + 1):
            for i in range(k - 1, j):
                h = height(i, j)
                if best[k - 1][i] == inf or (h > capacity and j - i > 1):
                    continue
                score = best[k - 1][i] + h * h
                # On a tie, the later cut wins: earlier parts take the extra row (14, 13, 13).
                if score <= best[k][j]:
                    best[k][j], cut[k][j] = score, i
    if best[parts][m] == inf:
        return []
    sizes: list[int] = []
    j = m
    for k in range(parts, 0, -1):
        sizes.append(j - cut[k][j])
        j = cut[k][j]
    return sizes[::-1]


def _markers(row: Sequence[Cell]) -> list[int]:
    """Footnote numbers referred to by a row's cells."""
    return [int(s.text) for c in row for s in c.content if s.superscript and s.text.isdigit()]


def _renumbered(table: Table) -> Table:
    """Keep only the footnotes a part refers to, renumbered from 1 in reading order."""
    if not table.footnotes:
        return table
    mapping: dict[int, int] = {}
    for row in (table.header, *table.rows):
        for old in _markers(row):
            mapping.setdefault(old, len(mapping) + 1)

    def cell(c: Cell) -> Cell:
        content = tuple(replace(s, text=str(mapping[int(s.text)]))
                        if s.superscript and s.text.isdigit() and int(s.text) in mapping else s
                        for s in c.content)
        return replace(c, content=content)

    footnotes = tuple(table.footnotes[old - 1] for old in mapping if old <= len(table.footnotes))
    return replace(table, header=tuple(cell(c) for c in table.header),
                   rows=tuple(tuple(cell(c) for c in row) for row in table.rows), footnotes=footnotes)


def _blocks_height(blocks: Sequence[Block], theme: Theme, width: float) -> float:
    """A rough height of other blocks on the slide (fit measures them exactly later)."""
    gap = theme.spacing["gap"]
    heights = [_block_height(b, theme, width) for b in blocks]
    return sum(heights) + gap * max(len(heights) - 1, 0)


def _block_height(block: Block, theme: Theme, width: float) -> float:
    sizes = theme.sizes
    lh = sizes["line_height"]
    body = theme.fonts["body"].file()
    if isinstance(block, Paragraph):
        return measure.text_height(plain_text(block.content), body, sizes["body"], width, lh)
    if isinstance(block, Heading):
        font = theme.fonts["heading"].file()
        return measure.text_height(plain_text(block.content), font, sizes["subtitle"], width, lh)
    if isinstance(block, ListBlock):
        indent = theme.spacing["indent"]
        return sum(measure.text_height(plain_text(i.content), body, sizes["body"], width - indent, lh)
                   + _blocks_height(i.children, theme, width - indent) for i in block.items)
    if isinstance(block, CodeBlock):
        return (block.code.count("\n") + 1) * sizes["code"] * lh + sizes["code"]
    if isinstance(block, Table):
        return table_height(block, theme, width)
    if isinstance(block, Quote):
        return _blocks_height(block.blocks, theme, width - theme.spacing["indent"])
    if isinstance(block, Columns):
        widths = _column_widths(block, theme, width)
        return max((_blocks_height(c.blocks, theme, w) for c, w in zip(block.columns, widths, strict=True)),
                   default=0.0)
    # Images, QR codes and raw HTML take the room fit gives them.
    return 0.0


def renumber_steps(blocks: Sequence[Block]) -> tuple[list[Block], int]:
    """Renumber click steps (here and in nested blocks) to 1, 2, 3 … without gaps; return the highest."""
    used = sorted(s for s in _steps(blocks) if s > 0)
    mapping = {old: new for new, old in enumerate(used, start=1)}
    return list(_restep(blocks, mapping)), len(mapping)


_NESTED = ("items", "children", "blocks", "columns")


def _steps(nodes: Sequence[Any]) -> set[int]:
    found: set[int] = set()
    for node in nodes:
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if f.name == "step":
                found.add(value)
            elif f.name in _NESTED and isinstance(value, tuple):
                found |= _steps(value)
    return found


def _restep(nodes: Sequence[Any], mapping: Mapping[int, int]) -> tuple[Any, ...]:
    out: list[Any] = []
    for node in nodes:
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if f.name == "step":
                changes["step"] = mapping.get(value, 0)
            elif f.name in _NESTED and isinstance(value, tuple):
                changes[f.name] = _restep(value, mapping)
        out.append(replace(node, **changes))
    return tuple(out)


__all__ = [
    "CELL_PAD_X", "CELL_PAD_Y", "NOTE_SCALE", "WRAP_SLACK", "DataColumn", "DataRow", "DataTable",
    "DataValue", "TableMetrics", "column_widths", "content_box", "expand_fence", "fix_column_widths",
    "load_tables", "min_table_width", "parse_inline", "parse_table", "partition", "renumber_steps",
    "split_tables", "table_height", "table_metrics",
]
