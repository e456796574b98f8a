"""Reading one Markdown file: its text cleaned and parsed in its dialect, then read into slides."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from deckwright.diagnostics import Diagnostic, SourceRef, warning
from deckwright.model.deck import Slide
from deckwright.model.theme import theme_dir
from deckwright.reading.context import file_context
from deckwright.reading.dialects import Options, dialect_name
from deckwright.reading.dialects.detect import detect
from deckwright.reading.dialects.frontmatter import translate
from deckwright.reading.dialects.marp import comment_globals
from deckwright.reading.dialects.pandoc import pandoc_title_block
from deckwright.reading.dialects.reveal import reveal_chunks
from deckwright.reading.markdown import parse, parse_chunks, parse_inline
from deckwright.reading.markdown.nesting import limit_nesting
from deckwright.reading.meta import Meta, front_matter_yaml, normalize_meta
from deckwright.reading.slides import SlideReader
from deckwright.reading.source import (
    clean_text,
    front_matter_span,
    normalize_front_matter,
    quick_front_matter,
    unclosed_fence,
    zero_width_fences,
)
from deckwright.support.yamlsafe import YamlMap

__all__ = ["Meta", "ParsedFile", "parse_file", "read_markdown", "read_tokens"]


@dataclass
class ParsedFile:
    """One Markdown file parsed in its dialect: tokens, checked metadata, reading options."""

    tokens: list[Token]
    meta: Meta
    options: Options
    diags: list[Diagnostic]


def parse_file(text: str, path: str, root: Path, *, dialect: str | None = None) -> ParsedFile:
    """Clean, detect the dialect of, and parse one file; check its front matter.

    The dialect is the file's own `dialect:` key, else `dialect` (the CLI's --dialect or deck.yaml),
    else detected from the text (see dialects/detect.py).
    """
    text, diags = clean_text(text, path)
    unclosed = unclosed_fence(text.split("\n"))
    if unclosed is not None:
        # Markdown lets it run on, swallowing every slide after it: said at the line it opens.
        diags.append(warning(SourceRef(path, unclosed + 1), "this code fence is never closed: it runs to the "
                                                            "end of the file (add a closing ``` line)"))
    text = normalize_front_matter(text)
    diags += zero_width_fences(text, path)
    front = quick_front_matter(text)
    name = dialect_name(front.get("dialect")) or dialect_name(dialect) or detect(text, front)
    title_block: dict[str, tuple[str, int]] = {}
    if name == "pandoc":
        text, title_block = pandoc_title_block(text, path)
    span = front_matter_span(text)
    # reveal.js: only the front matter is parsed whole; the rest is split at separators first.
    tokens = parse(text[: span[1]] if span else "", name) if name == "reveal" else parse(text, name)
    data, fm_diags = _front_matter(tokens, path, title_block)
    diags += fm_diags
    translated = translate(data, name, path, text.split("\n"), _theme_exists(root))
    diags += translated.diags
    options = translated.options
    if name == "reveal":
        chunks, chunk_diags = reveal_chunks(text, path, translated.separators, span[1] if span else 0)
        diags += chunk_diags
        tokens = parse_chunks(chunks, "reveal")
    elif name == "marp":
        options, marp_diags = comment_globals(tokens, options, path)
        diags += marp_diags
    diags += limit_nesting(tokens, path)
    meta, meta_diags = normalize_meta(translated.meta, path)
    return ParsedFile(tokens, meta, options, diags + meta_diags)


def _front_matter(tokens: list[Token], path: str,
                  title_block: Mapping[str, tuple[str, int]]) -> tuple[YamlMap, list[Diagnostic]]:
    """The front matter's keys (empty when there is none), with a pandoc title block's under them."""
    data, diags = front_matter_yaml(tokens, path)
    if data is None:
        data = YamlMap()
        data.line, data.key_lines = 1, {}
    for key, (value, line) in title_block.items():
        if key not in data:
            data[key], data.key_lines[key] = value, line
    return data, diags


def _theme_exists(root: Path) -> Callable[[str], bool]:
    def exists(name: str) -> bool:
        valid = re.fullmatch(r"[A-Za-z0-9_.-]+", name) is not None
        return valid and (theme_dir(root, name) / "theme.yaml").is_file()

    return exists


def read_markdown(text: str, path: str, root: Path, *, defaults: Mapping[str, object] | None = None,
                  tables: Mapping[str, Any] | None = None, allow_dirs: tuple[Path, ...] = (),
                  dialect: str | None = None) -> tuple[list[Slide], dict[str, object], list[Diagnostic]]:
    """Read one Markdown file into slides.

    `path` is the file as shown to the user, relative to `root` (images resolve from its folder);
    `defaults` are deck settings (slide_level, notes_comments, url) that this file's front matter
    overrides; `tables` are the loaded data tables; `dialect` forces a dialect (None: detect).
    Returns (slides, front matter, diagnostics).
    """
    parsed = parse_file(text, path, root, dialect=dialect)
    slides, read_diags = read_tokens(parsed.tokens, path, root, settings={**(defaults or {}), **parsed.meta},
                                     tables=tables, allow_dirs=allow_dirs, options=parsed.options)
    return slides, dict(parsed.meta), parsed.diags + read_diags


def read_tokens(tokens: list[Token], path: str, root: Path, *, settings: Mapping[str, object],
                tables: Mapping[str, Any] | None = None, allow_dirs: tuple[Path, ...] = (),
                options: Options | None = None) -> tuple[list[Slide], list[Diagnostic]]:
    """Slides from already parsed tokens (front matter skipped); `settings` as merged by the caller."""
    nodes = SyntaxTreeNode(tokens).children
    ctx = file_context(path, root, settings, options or Options(), nodes, tables=tables,
                       allow_dirs=allow_dirs, parse_marp_inline=partial(parse_inline, dialect="marp"))
    return SlideReader(ctx).read(nodes), ctx.report.diags
