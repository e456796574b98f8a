"""pandoc slides (also Quarto, R Markdown): title block, slide level, incremental lists, front matter."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from deckwright.reading.dialects import FrontMatter, FrontMatterRules, as_bool
from deckwright.support.yamlsafe import YamlList

PANDOC_KEYS = frozenset({"format", "output", "slide-level", "incremental", "revealjs-url", "header-includes",
                         "aspectratio", "institute", "classoption", "title-slide-attributes", "toc",
                         "toc-title", "bibliography", "execute", "jupyter", "editor", "knitr", "engine",
                         "colortheme", "fonttheme", "innertheme", "outertheme", "navigation", "logo",
                         "footer", "abstract", "subject", "fontsize", "mainfont", "monofont"})

# --------------------------------------------------------------------------- front matter

_IGNORED = PANDOC_KEYS - {"slide-level", "incremental", "institute", "abstract", "subject"}
_QUIET = frozenset({"editor", "jupyter", "knitr", "engine", "execute"})


def _own_key(key: str, value: Any, line: int, found: FrontMatter) -> bool:
    if key == "slide-level":
        found.keep("slide_level", value, line)
    elif key == "incremental":
        found.options["incremental"] = as_bool(value) is True
    elif key == "author":
        found.keep(key, _authors(value))
    elif key in ("institute", "abstract", "subject"):
        target = "description" if key != "institute" else "subtitle"
        if target not in found.data and isinstance(value, str):
            found.keep(target, value, line)
    else:
        return False
    return True


def _finish(found: FrontMatter) -> None:
    found.options["auto_slide_level"] = True  # unless the deck or the file sets `slide_level`


def _authors(value: object) -> object:
    """pandoc/Quarto authors: a text, a list of texts, or a list of {name: …} mappings → one text."""
    if isinstance(value, (list, YamlList)):
        names = [str(v.get("name", "")) if isinstance(v, dict) else str(v) for v in value]
        return ", ".join(n for n in names if n)
    if isinstance(value, dict):
        return str(value.get("name", ""))
    return value



FRONT_MATTER = FrontMatterRules("pandoc", _IGNORED, _QUIET, _own_key, _finish)


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

