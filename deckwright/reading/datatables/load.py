"""Loading slides/data/*.yaml: every file read (from inside the project only) and validated."""

from __future__ import annotations

from pathlib import Path

from deckwright.diagnostics import Diagnostic, SourceRef, error
from deckwright.reading.datatables.schema import DataTable, parse_table
from deckwright.support.memo import memoise
from deckwright.support.paths import MAX_TEXT_BYTES, NOT_UTF8_NAME, inside, misnamed, unreadable

# Parsing depends on the text only: `watch` re-reads only the data files that changed.
_parse_table_cached = memoise(parse_table, 256)


def load_tables(root: Path, allowed: tuple[Path, ...] = ()) -> tuple[dict[str, DataTable], list[Diagnostic]]:
    """Read and validate every slides/data/*.yaml (name = file stem); report all problems at once.

    Files are read from inside the project (or the `allowed` folders, `--allow-dir`) only, and only
    regular files within the size limit: a pipe or a device named *.yaml is reported, not skipped.
    """
    data_dir = root / "slides" / "data"
    if not data_dir.is_dir():
        return {}, []
    tables: dict[str, DataTable] = {}
    diags: list[Diagnostic] = []
    files = sorted(p for p in data_dir.iterdir() if p.suffix in (".yaml", ".yml") and not p.is_dir())
    allowed = allowed or (root.resolve(),)
    for path in files:
        shown = f"slides/data/{path.name}"  # as named, not where a symlink leads
        bad_name = misnamed(path.name)
        if bad_name is not None:
            diags.append(error(SourceRef(f"slides/data/{bad_name}", 1), NOT_UTF8_NAME))
            continue
        if path.stem in tables:
            diags.append(error(SourceRef(shown, 1), f"a data table named '{path.stem}' already exists "
                                                    f"({tables[path.stem].ref.path})"))
            continue
        if not inside(path, *allowed):
            # A symlink out of the project: data is read only from inside it.
            diags.append(error(SourceRef(shown, 1), "data table is a symlink to outside the project "
                                                    "(use --allow-dir to allow a folder)"))
            tables[path.stem] = DataTable(path.stem, SourceRef(shown, 1), usable=False)
            continue
        problem = unreadable(path, MAX_TEXT_BYTES)
        if problem is not None:
            diags.append(error(SourceRef(shown, 1), f"cannot read data table: it {problem}"))
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
