"""reveal.js Markdown as reveal-md reads it: separator regexes split the text into slides and notes."""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from deckwright.diagnostics import Diagnostic, SourceRef, error, warning
from deckwright.reading.dialects import FrontMatter, FrontMatterRules
from deckwright.reading.source import code_lines

REVEAL_KEYS = frozenset({"revealOptions", "separator", "verticalSeparator", "notesSeparator",
                         "highlightTheme", "scripts", "preprocessor", "css", "template", "listingTemplate"})
REVEAL_THEMES = frozenset({"black", "white", "league", "beige", "sky", "night", "serif", "simple",
                           "solarized", "blood", "moon", "dracula", "black-contrast", "white-contrast"})

# --------------------------------------------------------------------------- front matter

_IGNORED = frozenset({"revealOptions", "highlightTheme", "scripts", "preprocessor", "css", "template",
                      "listingTemplate"})
_SEPARATOR_KEYS = ("separator", "verticalSeparator", "notesSeparator")


def _own_key(key: str, value: Any, line: int, found: FrontMatter) -> bool:
    if key in _SEPARATOR_KEYS:
        found.separators[key] = (str(value), line)
        return True
    return False


def _finish(found: FrontMatter) -> None:
    found.options["title_slide"] = False  # a reveal-md deck makes its own title slide
    if "separator" in found.separators:
        found.options["hr_breaks"] = False  # its own separator is what breaks slides


FRONT_MATTER = FrontMatterRules("reveal.js", _IGNORED, frozenset(), _own_key, _finish)


# --------------------------------------------------------------------------- reveal.js separators

# reveal-md's defaults (lib/defaults.json): a whole `---` / `----` line, blank lines around it or not.
# They are split off before Markdown, so a `---` under a paragraph line starts a slide (not a heading).
REVEAL_SEPARATOR = r"\r?\n---\r?\n"
REVEAL_VERTICAL = r"\r?\n----\r?\n"
REVEAL_NOTES = r"^\s*notes?:"
# `--` between blank lines: the vertical separator of reveal.js's Markdown demo (no tool's default).
_SHORT_VERTICAL = re.compile(r"^\n--\n$", re.M)


@dataclass(frozen=True)
class Chunk:
    """A piece of a reveal.js file between separators: one slide (its notes split off)."""

    text: str
    line: int  # 0-based line of the chunk's first character
    vertical: bool = False
    notes: str | None = None
    notes_line: int = 0


def js_regex(source: str, flags: int) -> re.Pattern[str]:
    """A JavaScript regular expression (as reveal.js takes it) compiled for Python."""
    return re.compile(re.sub(r"\(\?<(?=[A-Za-z_])", "(?P<", source), flags)


# A deck's own separators run with the `regex` module under this budget for the whole file:
# Python's re cannot be stopped, and `(a|a)+$` over one long line backtracks for hours.
SEPARATOR_BUDGET_S = 2.0


@dataclass
class _Budget:
    """Time left for the deck's own separator regexes; which one ran out."""

    left: float = SEPARATOR_BUDGET_S
    spent_by: str | None = None
    keys: dict[int, str] = field(default_factory=dict)  # id(pattern) -> its front-matter key

    def matches(self, pattern: Any, text: str, pos: int) -> list[Any]:
        """Every match of `pattern` from `pos`; raises TimeoutError once the budget is spent."""
        if isinstance(pattern, re.Pattern):
            return list(pattern.finditer(text, pos))
        started = time.monotonic()
        try:
            return list(pattern.finditer(text, pos, timeout=max(self.left, 0.001)))
        except TimeoutError:
            self.spent_by = self.keys.get(id(pattern))
            raise
        finally:
            self.left -= time.monotonic() - started


def _own_regex(source: str, flags: int) -> Any:
    import regex  # only for decks with their own separators

    return regex.compile(re.sub(r"\(\?<(?=[A-Za-z_])", "(?P<", source), flags)


def reveal_chunks(text: str, path: str, separators: Mapping[str, tuple[str, int]],
                  body_start: int) -> tuple[list[Chunk], list[Diagnostic]]:
    """Split a reveal.js Markdown file as reveal-md does: separator regexes over the text.

    Matches inside fenced code are skipped (a YAML `---` in a code block is not a new slide), each with
    a warning: reveal-md does split there.
    Text before `body_start` (the front matter) is never split. A deck's own separator that runs
    past SEPARATOR_BUDGET_S is an error, and the default is used instead.
    """
    patterns, diags = _patterns(path, separators)
    budget = _Budget(keys={id(p): k for k, p in patterns.items() if k in separators})
    while True:
        try:
            chunks, split_diags = _split(text, path, patterns, separators, body_start, budget)
            return chunks, diags + split_diags
        except TimeoutError:
            key = budget.spent_by or "separator"
            diags.append(error(SourceRef(path, separators.get(key, ("", 1))[1] or 1), (
                f"`{key}` takes more than {SEPARATOR_BUDGET_S:g} s on this file (a regular expression that "
                "backtracks without end, such as (a|a)+): the default is used")))
            patterns[key] = _DEFAULTS[key][1]
            budget = _Budget(keys={id(p): k for k, p in patterns.items()
                                   if k in separators and p is not _DEFAULTS[k][1]})


def _split(text: str, path: str, patterns: Mapping[str, Any], separators: Mapping[str, tuple[str, int]],
           body_start: int, budget: _Budget) -> tuple[list[Chunk], list[Diagnostic]]:
    diags: list[Diagnostic] = []
    fenced = _fence_offsets(text)
    cuts: list[tuple[int, int, bool]] = []
    # (match, vertical, is it reveal-md's own separator)
    found = [(m, vertical, True) for key, vertical in (("separator", False), ("verticalSeparator", True))
             for m in budget.matches(patterns[key], text, body_start)]
    if "verticalSeparator" not in separators:
        found += [(m, True, False) for m in _SHORT_VERTICAL.finditer(text, body_start)]
    warned: set[int] = set()
    for m, vertical, reveal_md in found:
        if m.end() <= m.start():
            continue
        if not _in_fence(fenced, _separator_start(m)):
            cuts.append((m.start(), m.end(), vertical))
        elif reveal_md and (line := text.count("\n", 0, _separator_start(m)) + 1) not in warned:
            # reveal.js splits the raw text, code and all: following it would cut the code block in two.
            warned.add(line)
            slide = "a vertical slide" if vertical else "a slide"
            diags.append(warning(SourceRef(path, line), (
                f"reveal-md starts {slide} at this `{m.group(0).strip()}` although it is inside a code block "
                "(it splits the text before reading Markdown); deckwright keeps the code block whole")))
    chunks: list[Chunk] = []
    position, vertical = 0, False
    for start, end, is_vertical in sorted(cuts):
        if start < position:
            continue  # overlapping matches of the two patterns: the first wins
        chunks.append(_chunk(text, position, start, vertical, patterns["notesSeparator"], fenced, body_start,
                             budget))
        position, vertical = end, is_vertical
    chunks.append(_chunk(text, position, len(text), vertical, patterns["notesSeparator"], fenced, body_start,
                         budget))
    return chunks, diags


def _separator_start(m: re.Match[str]) -> int:
    """Where the separator's own line starts: the default separators begin with the line end before it."""
    return m.start() + len(m.group(0)) - len(m.group(0).lstrip("\r\n"))


_DEFAULTS = {key: (source, js_regex(source, re.M | (re.I if key == "notesSeparator" else 0)))
             for key, source in (("separator", REVEAL_SEPARATOR), ("verticalSeparator", REVEAL_VERTICAL),
                                 ("notesSeparator", REVEAL_NOTES))}


def _patterns(path: str, separators: Mapping[str, tuple[str, int]]
              ) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The three separator regexes, the file's own where usable (a broken one is reported)."""
    diags: list[Diagnostic] = []
    patterns: dict[str, Any] = {}
    for key, (_, default) in _DEFAULTS.items():
        if key not in separators:
            patterns[key] = default
            continue
        import regex  # only for decks with their own separators

        source, line = separators[key]
        flags = re.M | (re.I if key == "notesSeparator" else 0)
        try:
            pattern = _own_regex(source, flags)
            if pattern.search("") is not None and pattern.fullmatch("") is not None:
                raise ValueError("it matches empty text")
            patterns[key] = pattern
        except (re.error, ValueError, regex.error) as exc:
            diags.append(error(SourceRef(path, line or 1), f"`{key}` is not a usable regular expression "
                                                           f"({exc}); the default is used"))
            patterns[key] = default
    return patterns, diags


def _chunk(text: str, start: int, end: int, vertical: bool, notes: Any,
           fenced: list[tuple[int, int]], body_start: int, budget: _Budget) -> Chunk:
    line = text.count("\n", 0, start)
    body = text[start:end]
    for m in budget.matches(notes, body, max(body_start - start, 0)):
        if not _in_fence(fenced, start + m.start()):
            note_start = start + m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            return Chunk(body[: m.start()], line, vertical, body[m.end():], text.count("\n", 0, note_start))
    return Chunk(body, line, vertical)


def _fence_offsets(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    offset = 0
    opened: int | None = None
    for line, inside in zip(text.split("\n"), code_lines(text.split("\n")), strict=True):
        if inside and opened is None:
            opened = offset
        elif not inside and opened is not None:
            spans.append((opened, offset))
            opened = None
        offset += len(line) + 1
    if opened is not None:
        spans.append((opened, offset))
    return spans


def _in_fence(spans: list[tuple[int, int]], position: int) -> bool:
    """Is `position` inside one of the sorted, disjoint `spans`?"""
    index = bisect_right(spans, (position, _FAR)) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


_FAR = 2**62  # an end offset beyond any text, for bisecting (start, end) pairs



# --------------------------------------------------------------------------- parser rewrites


def vertical_breaks_plugin(md: MarkdownIt) -> None:
    """A `----` thematic break (where breaks split slides) starts a vertical slide: meta["vertical"]."""
    md.core.ruler.push("reveal_vertical_breaks", _vertical_breaks_rule)


def _vertical_breaks_rule(state: StateCore) -> None:
    for token in state.tokens:
        if token.type == "hr" and token.meta.get("source") == "----":  # the source line, from hr_source
            token.meta = {**token.meta, "vertical": True}
