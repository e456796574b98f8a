"""Markdown dialects (deckwright, Marp, reveal-md, pandoc): their names and what their modules share."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from deckwright.diagnostics import Diagnostic, SourceRef, error, warning
from deckwright.support.yamlsafe import YamlMap

DIALECTS = ("deckwright", "marp", "reveal", "pandoc")
ALIASES = {
    "ours": "deckwright", "marpit": "marp", "marp-core": "marp", "reveal-md": "reveal",
    "revealjs": "reveal", "reveal.js": "reveal", "quarto": "pandoc", "rmarkdown": "pandoc",
}


def dialect_name(value: object) -> str | None:
    """The canonical dialect for a name or alias (case-insensitive), None if unknown."""
    if not isinstance(value, str):
        return None
    name = value.strip().lower()
    return name if name in DIALECTS else ALIASES.get(name)


# --------------------------------------------------------------------------- per-file options


@dataclass(frozen=True)
class Options:
    """How one file is read, from its dialect and its front matter."""

    dialect: str = "deckwright"
    # Headings up to this level start slides; None: from the deck settings (`slide_level`).
    slide_level: int | None = None
    # pandoc: compute the slide level from the headings when nothing sets it.
    auto_slide_level: bool = False
    # The deck's `title` makes a title slide (deckwright, pandoc); Marp and reveal-md decks have their own.
    title_slide: bool = True
    notes_comments: bool | None = None
    # Marp: a line break in a paragraph is a line break on the slide.
    breaks: bool = False
    # Marp: local directives from the front matter, the start of every slide's carried values.
    marp_locals: Mapping[str, tuple[object, int]] = field(default_factory=dict)
    incremental: bool = False
    # Thematic breaks (`---`) inside a slide start a new slide (all but reveal-md with own separators).
    hr_breaks: bool = True


# --------------------------------------------------------------------------- values


_BOOL_TEXT = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def as_bool(value: object) -> bool | None:
    """YAML and Marp booleans: true/false, and the text "true"/"false" a quoted value gives."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _BOOL_TEXT.get(value.strip().lower())
    return None


def css_url(value: str) -> str | None:
    """The path inside `url(…)` (or a bare path); None for gradients and other CSS values."""
    text = value.strip()
    m = re.fullmatch(r"url\(\s*(['\"]?)(.*?)\1\s*\)", text)
    if m:
        return m.group(2)
    return None if "(" in text or not text else text


# --------------------------------------------------------------------------- front matter


class FrontMatter:
    """A file's front matter being sorted into deck metadata and reading options, key by key."""

    def __init__(self, data: YamlMap, path: str) -> None:
        self.data = data
        self.path = path
        self.meta = YamlMap()
        self.meta.line, self.meta.key_lines = data.line, {}
        self.options: dict[str, Any] = {}
        self.separators: dict[str, tuple[str, int]] = {}
        self.marp_locals: dict[str, tuple[object, int]] = {}
        self.diags: list[Diagnostic] = []

    def line_of(self, key: str) -> int:
        return self.data.key_lines.get(key, self.data.line or 1)

    def keep(self, key: str, value: Any, line: int | None = None) -> None:
        """Pass a key on as deck metadata (under its own name or a deckwright one)."""
        self.meta[key] = value
        self.meta.key_lines[key] = line if line is not None else self.line_of(key)

    def error(self, line: int, message: str) -> None:
        self.diags.append(error(SourceRef(self.path, line), message))

    def warn(self, line: int, message: str) -> None:
        self.diags.append(warning(SourceRef(self.path, line), message))


def _no_own_keys(key: str, value: Any, line: int, found: FrontMatter) -> bool:
    return False


def _no_options(found: FrontMatter) -> None:
    return None


@dataclass(frozen=True)
class FrontMatterRules:
    """How a dialect's front matter differs from deckwright's."""

    tool: str  # the tool's name in messages
    # Keys the tool reads that mean nothing to deckwright: reported once, together, unless quiet.
    ignored: frozenset[str] = frozenset()
    quiet: frozenset[str] = frozenset()
    # The dialect's own keys: (key, value, line, front matter) → True when taken care of.
    own_key: Callable[[str, Any, int, FrontMatter], bool] = _no_own_keys
    # Reading options the dialect sets for every file, once all keys are seen.
    finish: Callable[[FrontMatter], None] = _no_options
    # The tool reads YAML loosely: `color: #ccc` is a colour, not an empty value and a comment.
    loose_values: bool = False
