"""Markdown dialects (deckwright, Marp, reveal-md, pandoc): detection, clean-up, per-dialect options."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import yaml

from deckwright.diagnostics import Diagnostic, SourceRef, error, warning
from deckwright.support.yamlsafe import YamlList, YamlMap

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


# --------------------------------------------------------------------------- text clean-up

# What XML 1.0 forbids (C0 controls but tab and line ends, U+FFFE/U+FFFF, lone surrogates) and the
# C1 controls it discourages: none of them can be written to PPTX, and none is ever meant in a slide.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_MAX_CHAR_WARNINGS = 20


def clean_text(text: str, path: str) -> tuple[str, list[Diagnostic]]:
    """Text as the parser wants it: no BOM, "\\n" line ends, no characters XML cannot hold.

    Each line that lost characters is reported (the first 20, then a count), so the author can
    find invisible junk pasted from a terminal or a PDF.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not _FORBIDDEN.search(text):
        return text, []
    diags: list[Diagnostic] = []
    lines = text.split("\n")
    bad = 0
    for number, line in enumerate(lines, start=1):
        found = _FORBIDDEN.findall(line)
        if not found:
            continue
        bad += 1
        if bad <= _MAX_CHAR_WARNINGS:
            codes = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in found))
            diags.append(warning(SourceRef(path, number), f"removed {len(found)} control character(s) "
                                                          f"({codes}) that slides cannot hold"))
        lines[number - 1] = _FORBIDDEN.sub("", line)
    if bad > _MAX_CHAR_WARNINGS:
        more = bad - _MAX_CHAR_WARNINGS
        diags.append(warning(SourceRef(path, 1), f"control characters were removed from {more} more lines"))
    return "\n".join(lines), diags


def strip_forbidden(text: str) -> str:
    """`text` without characters XML cannot hold (for values that do not come from a source file)."""
    return _FORBIDDEN.sub("", text)


# --------------------------------------------------------------------------- front matter (text level)

_FM_CLOSE = re.compile(r"^(---|\.\.\.)[ \t]*$")


def front_matter_span(text: str) -> tuple[int, int] | None:
    """(index of the closing line, character offset just after it) of a leading `---` YAML block."""
    if not re.match(r"---[ \t]*(\n|$)", text):
        return None
    offset = text.find("\n") + 1 if "\n" in text else len(text)
    for index, line in enumerate(text[offset:].split("\n"), start=1):
        if _FM_CLOSE.match(line):
            end = offset + len(line)
            return index, min(end + 1, len(text))
        offset += len(line) + 1
    return None


def normalize_front_matter(text: str) -> str:
    """A YAML block closed with `...` (YAML's document end, common in pandoc) closed with `---`."""
    span = front_matter_span(text)
    if span is None:
        return text
    lines = text.split("\n")
    if lines[span[0]].startswith("..."):
        lines[span[0]] = "---" + lines[span[0]][3:]
    return "\n".join(lines)


def quick_front_matter(text: str) -> dict[str, Any]:
    """The front matter's top-level keys for detection only (broken YAML → {}; reported elsewhere)."""
    span = front_matter_span(text)
    if span is None:
        return {}
    body = "\n".join(text.split("\n")[1: span[0]])
    try:
        data = yaml.safe_load(body)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


# --------------------------------------------------------------------------- detection

MARP_GLOBAL = frozenset({"theme", "style", "headingDivider", "size", "math", "title", "description",
                         "author", "keywords", "url", "image", "lang", "marp", "inlineSVG"})
MARP_LOCAL = frozenset({"paginate", "header", "footer", "class", "backgroundColor", "backgroundImage",
                        "backgroundPosition", "backgroundRepeat", "backgroundSize", "color", "transition"})
MARP_ONLY_KEYS = frozenset({"headingDivider", "paginate", "header", "footer", "backgroundColor",
                            "backgroundImage", "size", "math", "class", "color"})
REVEAL_KEYS = frozenset({"revealOptions", "separator", "verticalSeparator", "notesSeparator",
                         "highlightTheme", "scripts", "preprocessor", "css", "template", "listingTemplate"})
PANDOC_KEYS = frozenset({"format", "output", "slide-level", "incremental", "revealjs-url", "header-includes",
                         "aspectratio", "institute", "classoption", "title-slide-attributes", "toc",
                         "toc-title", "bibliography", "execute", "jupyter", "editor", "knitr", "engine",
                         "colortheme", "fonttheme", "innertheme", "outertheme", "navigation", "logo",
                         "footer", "abstract", "subject", "fontsize", "mainfont", "monofont"})
MARP_THEMES = frozenset({"gaia", "uncover"})
REVEAL_THEMES = frozenset({"black", "white", "league", "beige", "sky", "night", "serif", "simple",
                           "solarized", "blood", "moon", "dracula", "black-contrast", "white-contrast"})

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_ATX12 = re.compile(r"^ {0,3}#{1,2}(?:[ \t]|$)")
_NOTES_START = re.compile(r"^(?:notes?:|:{3,}\s*(?:notes|\{\.notes\}))", re.I)
_MARP_BODY = re.compile(r"!\[[^\]\n]*\bbg\b|<!--\s*(?:_?(?:paginate|header|footer|headingDivider)|"
                        r"_(?:class|backgroundColor|backgroundImage|color))\s*:|<!--\s*fit\s*-->")


def code_lines(lines: list[str]) -> list[bool]:
    """For each line: is it inside (or a fence of) a fenced code block?"""
    inside: list[bool] = []
    fence = ""
    for line in lines:
        if fence:
            inside.append(True)
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = ""
            continue
        m = _FENCE.match(line)
        if m:
            fence = m.group(1)
        inside.append(bool(m))
    return inside


def detect(text: str, front: Mapping[str, Any]) -> str:
    """The dialect a file is written in, decided by fixed rules (see docs/syntax.md, "Dialects").

    Only signs that change meaning count: syntax the dialects share reads the same either way.
    """
    keys = set(front)
    theme = str(front.get("theme", "")).strip().lower()
    if str(front.get("marp", "")).strip().lower() == "true":
        return "marp"
    if keys & REVEAL_KEYS or theme in REVEAL_THEMES:
        return "reveal"
    if keys & PANDOC_KEYS - {"footer"} or text.startswith("% "):
        return "pandoc"
    if keys & MARP_ONLY_KEYS or theme in MARP_THEMES:
        return "marp"
    if "slide_level" in keys:
        return "deckwright"  # it says itself how headings split slides
    lines = text.split("\n")
    span = front_matter_span(text)
    start = span[0] + 1 if span else 0
    code = code_lines(lines)
    body = [(i, line) for i, line in enumerate(lines) if i >= start and not code[i]]
    if any(_MARP_BODY.search(line) for _, line in body):
        return "marp"
    if any(line.rstrip() == "----" and _blank(lines, i - 1) for i, line in body):
        return "reveal"
    headings, in_notes = 0, False
    for i, line in body:
        if _BREAK.match(line) and _blank(lines, i - 1):
            headings, in_notes = 0, False
        elif _NOTES_START.match(line):
            in_notes = True  # headings in speaker notes do not split slides in any dialect
        elif _ATX12.match(line) and not in_notes:
            headings += 1
            if headings >= 2:
                return "pandoc"
    return "deckwright"


def _blank(lines: list[str], index: int) -> bool:
    return index < 0 or not lines[index].strip()


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


_BOOL_TEXT = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def as_bool(value: object) -> bool | None:
    """YAML and Marp booleans: true/false, and the text "true"/"false" a quoted value gives."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _BOOL_TEXT.get(value.strip().lower())
    return None


@dataclass
class Translated:
    """Front matter split into deck metadata (checked by the reader) and reading options."""

    meta: YamlMap
    options: Options
    separators: dict[str, tuple[str, int]]
    diags: list[Diagnostic]


_IGNORED = {
    "marp": frozenset({"marp", "size", "math", "image", "inlineSVG", "style"}),
    "reveal": frozenset({"revealOptions", "highlightTheme", "scripts", "preprocessor", "css", "template",
                         "listingTemplate"}),
    "pandoc": PANDOC_KEYS - {"slide-level", "incremental", "institute", "abstract", "subject"},
}
_QUIET = frozenset({"marp", "math", "image", "inlineSVG", "editor", "jupyter", "knitr", "engine", "execute"})


def translate(data: YamlMap, dialect: str, path: str, source_lines: list[str],
              theme_exists: Any = None) -> Translated:
    """Dialect-specific front-matter keys taken out of `data`; what is left is deck metadata.

    `theme_exists(name) -> bool` tells whether a deckwright theme of that name exists: a Marp or
    reveal.js theme name (gaia, black…) means nothing to deckwright and is replaced by the default.
    """
    meta = YamlMap()
    meta.line, meta.key_lines = data.line, {}
    diags: list[Diagnostic] = []
    opts: dict[str, Any] = {"dialect": dialect}
    separators: dict[str, tuple[str, int]] = {}
    marp_locals: dict[str, tuple[object, int]] = {}
    ignored: list[tuple[str, int]] = []

    def line_of(key: str) -> int:
        return data.key_lines.get(key, data.line or 1)

    def keep(key: str, value: Any) -> None:
        meta[key] = value
        meta.key_lines[key] = line_of(key)

    for key, value in data.items():
        line = line_of(key)
        ref = SourceRef(path, line)
        if value is None and dialect == "marp":
            value = _loose_value(source_lines, line, key)  # Marp reads `color: #ccc` as text
        elif value is None and "#" in _line_text(source_lines, line):
            diags.append(warning(ref, f"`{key}` is empty: `#` starts a YAML comment; quote the value "
                                      f"(e.g. {key}: '#ccc')"))
            continue
        if key == "theme" and dialect != "deckwright" and _THEME_NAME.match(str(value)) and not (
                theme_exists and theme_exists(str(value))):
            diags.append(warning(ref, f"theme {value!r} is a {_TOOL[dialect]} theme, not a deckwright theme: "
                                      "the default theme is used"))
        elif dialect == "marp" and key in MARP_LOCAL:
            marp_locals[key] = (value, line)
        elif dialect == "marp" and key == "headingDivider":
            level = _heading_divider(value)
            if level is None:
                diags.append(error(ref, f"`headingDivider` must be a heading level 1–6, not {value!r}"))
            else:
                opts["slide_level"] = level
        elif dialect == "reveal" and key in ("separator", "verticalSeparator", "notesSeparator"):
            separators[key] = (str(value), line)
        elif dialect == "pandoc" and key == "slide-level":
            meta["slide_level"], meta.key_lines["slide_level"] = value, line
        elif dialect == "pandoc" and key == "incremental":
            opts["incremental"] = as_bool(value) is True
        elif dialect == "pandoc" and key == "author":
            keep(key, _authors(value))
        elif dialect == "pandoc" and key in ("institute", "abstract", "subject"):
            target = "description" if key != "institute" else "subtitle"
            if target not in data and isinstance(value, str):
                meta[target], meta.key_lines[target] = value, line
        elif key in _IGNORED.get(dialect, ()):
            if key not in _QUIET:
                ignored.append((key, line))
        else:
            keep(key, value)
    if ignored:
        names = ", ".join(f"`{k}`" for k, _ in ignored)
        diags.append(warning(SourceRef(path, ignored[0][1]),
                             f"{_TOOL[dialect]} settings ignored by deckwright: {names}"))
    if dialect == "pandoc":
        opts["auto_slide_level"] = True  # unless the deck or the file sets `slide_level`
    if dialect in ("marp", "reveal"):
        opts["title_slide"] = False
    if dialect == "marp":
        opts["notes_comments"], opts["breaks"] = True, True
    if dialect == "reveal" and ("separator" in separators):
        opts["hr_breaks"] = False
    options = Options(**opts, marp_locals=marp_locals)
    return Translated(meta, options, separators, diags)


_THEME_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TOOL = {"marp": "Marp", "reveal": "reveal.js", "pandoc": "pandoc", "deckwright": "deckwright"}


def _line_text(lines: list[str], line: int) -> str:
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _loose_value(lines: list[str], line: int, key: str) -> str | None:
    """The raw text after `key:` on its line (Marp's loose YAML: `#fff` is a colour, not a comment)."""
    m = re.match(rf"\s*{re.escape(key)}\s*:\s*(.*?)\s*$", _line_text(lines, line))
    return m.group(1) if m and m.group(1) else None


def _heading_divider(value: object) -> int | None:
    if isinstance(value, list) and value and all(isinstance(v, int) for v in value):
        value = max(value)  # [1, 3]: deckwright splits at every level up to the deepest one
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 6:
        return None
    return value


def _authors(value: object) -> object:
    """pandoc/Quarto authors: a text, a list of texts, or a list of {name: …} mappings → one text."""
    if isinstance(value, (list, YamlList)):
        names = [str(v.get("name", "")) if isinstance(v, dict) else str(v) for v in value]
        return ", ".join(n for n in names if n)
    if isinstance(value, dict):
        return str(value.get("name", ""))
    return value


# --------------------------------------------------------------------------- pandoc


def pandoc_title_block(text: str, path: str) -> tuple[str, dict[str, tuple[str, int]]]:
    """`% title` / `% author; author` / `% date` at the top: values with their lines, and the text
    with those lines blanked (so every later line keeps its number)."""
    lines = text.split("\n")
    found: dict[str, tuple[str, int]] = {}
    fields = ("title", "author", "date")
    index = 0
    for name in fields:
        if index >= len(lines) or not lines[index].startswith("%"):
            break
        start = index
        parts = [lines[index][1:].strip()]
        lines[index] = ""
        index += 1
        while index < len(lines) and lines[index][:1] in (" ", "\t") and lines[index].strip():
            parts.append(lines[index].strip())
            lines[index] = ""
            index += 1
        value = " ".join(p for p in parts if p)
        if name == "author":
            value = ", ".join(a.strip() for a in value.split(";") if a.strip())
        if value:
            found[name] = (value, start + 1)
    return "\n".join(lines), found


def pandoc_slide_level(blocks: list[tuple[str, int]]) -> int:
    """pandoc's slide level: the highest heading level followed directly by content (not a heading).

    `blocks` are the top-level blocks in order as (kind, heading level or 0); 0 when no heading
    is followed by content (then only `---` breaks slides).
    """
    levels = [level for (kind, level), (nxt, _) in pairwise(blocks)
              if kind == "heading" and nxt not in ("heading", "hr", "comment")]
    return min(levels) if levels else 0


# --------------------------------------------------------------------------- reveal.js separators

REVEAL_SEPARATOR = r"^\r?\n---\r?\n$"
REVEAL_VERTICAL = r"^\r?\n----\r?\n$"
REVEAL_NOTES = r"^\s*notes?:"
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

    Matches inside fenced code are skipped (a YAML `---` in a code block is not a new slide).
    Text before `body_start` (the front matter) is never split.
    """
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
    fenced = _fence_offsets(text)
    cuts: list[tuple[int, int, bool]] = []
    for key, vertical in (("separator", False), ("verticalSeparator", True)):
        for m in patterns[key].finditer(text, body_start):
            if m.end() > m.start() and not _in_fence(fenced, m.start()):
                cuts.append((m.start(), m.end(), vertical))
    if "verticalSeparator" not in separators:
        cuts += [(m.start(), m.end(), True) for m in _SHORT_VERTICAL.finditer(text, body_start)
                 if not _in_fence(fenced, m.start())]
    chunks: list[Chunk] = []
    position, vertical = 0, False
    for start, end, is_vertical in sorted(cuts):
        if start < position:
            continue  # overlapping matches of the two patterns: the first wins
        chunks.append(_chunk(text, position, start, vertical, patterns["notesSeparator"], fenced, body_start))
        position, vertical = end, is_vertical
    chunks.append(_chunk(text, position, len(text), vertical, patterns["notesSeparator"], fenced, body_start))
    return chunks, diags


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


# --------------------------------------------------------------------------- Marp images

_FILTERS = frozenset({"blur", "brightness", "contrast", "drop-shadow", "grayscale", "hue-rotate", "invert",
                      "opacity", "saturate", "sepia"})
_BG_SIZES = frozenset({"contain", "fit", "auto"})
_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(px|cm|mm|in|pt|pc|q|%)?$", re.I)
_PX_PER = {"px": 1.0, "cm": 96 / 2.54, "mm": 96 / 25.4, "in": 96.0, "pt": 96 / 72, "pc": 16.0,
           "q": 96 / 101.6}
# Marp's default slide is 1280 px wide with about 80 px padding on each side.
MARP_CONTENT_PX = 1120.0


@dataclass(frozen=True)
class MarpImage:
    """An image's alt text with Marp's keywords taken out."""

    alt: str
    bg: bool = False
    side: str | None = None  # "left" or "right": a split background (image beside the text)
    split: float | None = None  # the image side's share of the slide width
    width: str | None = None
    height: str | None = None
    unsupported: tuple[str, ...] = ()


def marp_image(alt: str) -> MarpImage:
    """Parse Marp's image keywords (`bg left:40%`, `w:200px`, `blur:4px` …) out of an alt text."""
    words = alt.split()
    bg = any(w.lower() == "bg" for w in words)
    rest: list[str] = []
    side: str | None = None
    split: float | None = None
    width = height = None
    unsupported: list[str] = []
    for word in words:
        lower = word.lower()
        name, _, value = lower.partition(":")
        if lower == "bg":
            continue
        if bg and name in ("left", "right"):
            side = name
            m = _LENGTH.match(value)
            if m and (m.group(2) or "%") == "%" and 0 < float(m.group(1)) < 100:
                split = round(float(m.group(1)) / 100, 4)
        elif bg and (lower in ("cover", "vertical") or re.fullmatch(r"\d+(\.\d+)?%", lower)):
            if lower not in ("cover", "vertical"):
                unsupported.append("background size")
        elif bg and lower in _BG_SIZES:
            unsupported.append("background size")
        elif name in ("w", "width") and value:
            width = value
        elif name in ("h", "height") and value:
            height = value
        elif name in _FILTERS:
            unsupported.append("image filter")
        else:
            rest.append(word)
    return MarpImage(" ".join(rest), bg, side, split, width, height, tuple(dict.fromkeys(unsupported)))


def length_px(value: str) -> float | None:
    """A CSS length in px (`200px`, `5cm`, `300`); None for anything else (em, auto…)."""
    m = _LENGTH.match(value.strip())
    if m is None or (m.group(2) or "px").lower() == "%":
        return None
    return float(m.group(1)) * _PX_PER[(m.group(2) or "px").lower()]


def length_fraction(value: str) -> float | None:
    """A Marp image width as a fraction of the content width (`50%` → 0.5, `560px` → 0.5)."""
    text = value.strip()
    if text.endswith("%"):
        m = _LENGTH.match(text)
        return min(round(float(m.group(1)) / 100, 4), 1.0) if m and float(m.group(1)) > 0 else None
    px = length_px(text)
    if px is None or px <= 0:
        return None
    return max(min(round(px / MARP_CONTENT_PX, 4), 1.0), 0.01)


# --------------------------------------------------------------------------- Marp directive values


def unquote(value: str) -> str:
    """A directive value as Marp's loose YAML reads it: surrounding quotes removed."""
    text = value.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def css_url(value: str) -> str | None:
    """The path inside `url(…)` (or a bare path); None for gradients and other CSS values."""
    text = value.strip()
    m = re.fullmatch(r"url\(\s*(['\"]?)(.*?)\1\s*\)", text)
    if m:
        return m.group(2)
    return None if "(" in text or not text else text


def iter_marp_globals(comments: list[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """The global directives among a comment's (key, value) pairs."""
    for key, value in comments:
        if key in MARP_GLOBAL:
            yield key, value
