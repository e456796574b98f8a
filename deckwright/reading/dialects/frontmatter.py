"""Front matter per dialect: another tool's keys turned into deckwright metadata and reading options."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from deckwright.diagnostics import Diagnostic
from deckwright.reading.dialects import FrontMatter, FrontMatterRules, Options, marp, pandoc, reveal
from deckwright.support.yamlsafe import YamlMap

_THEME_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_DECKWRIGHT = FrontMatterRules("deckwright")


@dataclass
class Translated:
    """Front matter split into deck metadata (checked by the reader) and reading options."""

    meta: YamlMap
    options: Options
    separators: dict[str, tuple[str, int]]
    diags: list[Diagnostic]


def rules(dialect: str) -> FrontMatterRules:
    """The front-matter rules of a dialect (deckwright's: none besides its own keys)."""
    if dialect == "marp":
        return marp.FRONT_MATTER
    if dialect == "reveal":
        return reveal.FRONT_MATTER
    if dialect == "pandoc":
        return pandoc.FRONT_MATTER
    return _DECKWRIGHT


def translate(data: YamlMap, dialect: str, path: str, source_lines: list[str],
              theme_exists: Callable[[str], bool] | None = None) -> Translated:
    """Dialect-specific front-matter keys taken out of `data`; what is left is deck metadata.

    `theme_exists(name) -> bool` tells whether a deckwright theme of that name exists: a Marp or
    reveal.js theme name (gaia, black…) means nothing to deckwright and is replaced by the default.
    """
    own = rules(dialect)
    found = FrontMatter(data, path)
    ignored: list[tuple[str, int]] = []
    for key, raw in data.items():
        line = found.line_of(key)
        value = _value(key, raw, line, own, source_lines, found)
        if value is _EMPTY:
            continue
        if key == "theme" and dialect != "deckwright" and _THEME_NAME.match(str(value)) and not (
                theme_exists and theme_exists(str(value))):
            found.warn(line, f"theme {value!r} is a {own.tool} theme, not a deckwright theme: "
                             "the default theme is used")
        elif own.own_key(key, value, line, found):
            continue
        elif key in own.ignored:
            if key not in own.quiet:
                ignored.append((key, line))
        else:
            found.keep(key, value)
    if ignored:
        names = ", ".join(f"`{k}`" for k, _ in ignored)
        found.warn(ignored[0][1], f"{own.tool} settings ignored by deckwright: {names}")
    own.finish(found)
    options = Options(dialect=dialect, **found.options, marp_locals=found.marp_locals)
    return Translated(found.meta, options, found.separators, found.diags)


_EMPTY = object()  # a key left empty by a `#` the author meant as text: reported and dropped


def _value(key: str, value: Any, line: int, own: FrontMatterRules, source_lines: list[str],
           found: FrontMatter) -> Any:
    """A key's value; an empty one is re-read loosely (Marp) or explained when a `#` emptied it."""
    if value is not None:
        return value
    if own.loose_values:
        return _loose_value(source_lines, line, key)
    if "#" in _line_text(source_lines, line):
        found.warn(line, f"`{key}` is empty: `#` starts a YAML comment; quote the value (e.g. {key}: '#ccc')")
        return _EMPTY
    return None


def _line_text(lines: list[str], line: int) -> str:
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _loose_value(lines: list[str], line: int, key: str) -> str | None:
    """The raw text after `key:` on its line (Marp's loose YAML: `#fff` is a colour, not a comment)."""
    m = re.match(rf"\s*{re.escape(key)}\s*:\s*(.*?)\s*$", _line_text(lines, line))
    return m.group(1) if m and m.group(1) else None
