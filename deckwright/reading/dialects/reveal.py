"""reveal.js Markdown as reveal-md reads it: separator regexes split the text into slides and notes."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
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


def reveal_chunks(text: str, path: str, separators: Mapping[str, tuple[str, int]],
                  body_start: int) -> tuple[list[Chunk], list[Diagnostic]]:
    """Split a reveal.js Markdown file as reveal-md does: separator regexes over the text.

    Matches inside fenced code are skipped (a YAML `---` in a code block is not a new slide), each with
    a warning: reveal-md does split there.
    Text before `body_start` (the front matter) is never split.
    """
    patterns, diags = _patterns(path, separators)
    fenced = _fence_offsets(text)
    cuts: list[tuple[int, int, bool]] = []
    # (match, vertical, is it reveal-md's own separator)
    found = [(m, vertical, True) for key, vertical in (("separator", False), ("verticalSeparator", True))
             for m in patterns[key].finditer(text, body_start)]
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
        chunks.append(_chunk(text, position, start, vertical, patterns["notesSeparator"], fenced, body_start))
        position, vertical = end, is_vertical
    chunks.append(_chunk(text, position, len(text), vertical, patterns["notesSeparator"], fenced, body_start))
    return chunks, diags


def _separator_start(m: re.Match[str]) -> int:
    """Where the separator's own line starts: the default separators begin with the line end before it."""
    return m.start() + len(m.group(0)) - len(m.group(0).lstrip("\r\n"))


def _patterns(path: str, separators: Mapping[str, tuple[str, int]]
              ) -> tuple[dict[str, re.Pattern[str]], list[Diagnostic]]:
    """The three separator regexes, the file's own where usable (a broken one is reported)."""
    diags: list[Diagnostic] = []
    patterns: dict[str, re.Pattern[str]] = {}
    defaults = {"separator": REVEAL_SEPARATOR, "verticalSeparator": REVEAL_VERTICAL,
                "notesSeparator": REVEAL_NOTES}
    for key, default in defaults.items():
        source, line = separators.get(key, (default, 0))
        flags = re.M | (re.I if key == "notesSeparator" else 0)
        try:
            pattern = js_regex(source, flags)
            if pattern.search("") is not None and pattern.fullmatch("") is not None:
                raise re.error("it matches empty text")
            patterns[key] = pattern
        except re.error as exc:
            diags.append(error(SourceRef(path, line or 1), f"`{key}` is not a usable regular expression "
                                                           f"({exc}); the default is used"))
            patterns[key] = js_regex(default, flags)
    return patterns, diags


def _chunk(text: str, start: int, end: int, vertical: bool, notes: re.Pattern[str],
           fenced: list[tuple[int, int]], body_start: int) -> Chunk:
    line = text.count("\n", 0, start)
    body = text[start:end]
    for m in notes.finditer(body, max(body_start - start, 0)):
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
