"""pandoc slides (also Quarto, R Markdown): title block, slide level, incremental lists, front matter."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

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



def block_kinds(nodes: Iterable[SyntaxTreeNode]) -> list[tuple[str, int]]:
    """Top-level blocks as pandoc's slide-level rule sees them: (kind, heading level or 0)."""
    return [_block_kind(node) for node in nodes]


def _block_kind(node: SyntaxTreeNode) -> tuple[str, int]:
    if node.type == "heading":
        return "heading", int(node.tag[1:])
    if node.type == "hr" or node.type == "slide_break":
        return "hr", 0
    if node.type == "html_block" and node.meta.get("comments") is not None:
        return "comment", 0
    return "content", 0


def pandoc_section_max(slide_level: int) -> int:
    """Titles up to this level make section slides: pandoc's levels above the slide level."""
    return slide_level - 1 if slide_level >= 1 else 1


# --------------------------------------------------------------------------- parser rewrites


def quoted_lists_plugin(md: MarkdownIt) -> None:
    """A block quote holding only a list inverts that list's incremental setting (pandoc's rule):
    meta["inverts_incremental"]."""
    md.core.ruler.push("pandoc_quoted_lists", _quoted_lists_rule)


def _quoted_lists_rule(state: StateCore) -> None:
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type == "blockquote_open" and _holds_only_a_list(tokens, i):
            token.meta = {**token.meta, "inverts_incremental": True}


def _holds_only_a_list(tokens: list[Token], start: int) -> bool:
    """Is the block quote opened at `start` one list and nothing else?"""
    if start + 1 >= len(tokens) or tokens[start + 1].type not in ("bullet_list_open", "ordered_list_open"):
        return False
    depth = 0
    for end in range(start + 1, len(tokens)):
        depth += tokens[end].nesting
        if depth == 0:  # the list's own close: the quote must close right after it
            return end + 1 < len(tokens) and tokens[end + 1].type == "blockquote_close"
    return False
