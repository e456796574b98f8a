"""What every part of reading one file shares: its settings, its path policy and its report."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from deckwright.diagnostics import SourceRef
from deckwright.reading.dialects import Options
from deckwright.reading.dialects.pandoc import block_kinds, pandoc_section_max, pandoc_slide_level
from deckwright.reading.paths import PathPolicy, project_file
from deckwright.reading.report import Report
from deckwright.support.diskcache import NO_CACHE, DiskCache, project_cache


@dataclass(frozen=True)
class FileContext:
    """One Markdown file being read into slides."""

    path: str  # as shown to the user
    options: Options
    slide_level: int  # headings up to this level start slides (0: only breaks do)
    section_max: int  # titles up to this level make section slides
    notes_comments: bool  # plain comments are speaker notes
    allow_scripts: bool  # the deck opted in to raw HTML and script links as written
    url: str  # the deck's url (a ```qr fence without one shows it)
    tables: Mapping[str, Any] | None  # the loaded data tables, by name
    paths: PathPolicy
    report: Report
    # Marp's header and footer directives hold inline Markdown, read with Marp's parser. Handed in
    # by the entry point: the parser's package imports the dialects, which use this context.
    parse_marp_inline: Callable[[str], list[Token]]
    # The project's cache: formulas checked in an earlier build are not checked again.
    cache: DiskCache = NO_CACHE

    @property
    def title_max(self) -> int:
        """Headings up to this level can be a slide's title."""
        return max(2, self.slide_level)

    def ref(self, node: SyntaxTreeNode | Token | None, fallback: SourceRef | None = None) -> SourceRef:
        """Where a node starts (1-based), else `fallback`, else the file's first line."""
        line_map = node.map if node is not None else None
        if line_map:
            return SourceRef(self.path, line_map[0] + 1)
        return fallback or SourceRef(self.path, 1)

    def file(self, src: str, ref: SourceRef, what: str) -> Path | None:
        """A file the deck refers to, through the path policy; a refusal is reported."""
        path, diags = project_file(self.paths, src, ref, what)
        self.report.extend(diags)
        return path


def file_context(path: str, root: Path, settings: Mapping[str, object], options: Options,
                 nodes: Sequence[SyntaxTreeNode], *, tables: Mapping[str, Any] | None,
                 allow_dirs: tuple[Path, ...],
                 parse_marp_inline: Callable[[str], list[Token]]) -> FileContext:
    """The context for reading `nodes` (the file's top-level blocks) with deck `settings` merged in."""
    level = settings.get("slide_level", 0)
    if options.slide_level is not None:
        level = options.slide_level
    slide_level = level if isinstance(level, int) else 0
    if options.auto_slide_level and "slide_level" not in settings:
        slide_level = pandoc_slide_level(block_kinds(n for n in nodes if n.type != "front_matter"))
    notes = settings.get("notes_comments")
    url = settings.get("url", "")
    return FileContext(
        path=path, options=options, slide_level=slide_level,
        section_max=pandoc_section_max(slide_level) if options.dialect == "pandoc" else 1,
        notes_comments=notes is True or (notes is None and options.notes_comments is True),
        allow_scripts=settings.get("allow_scripts") is True, url=url if isinstance(url, str) else "",
        tables=tables, paths=PathPolicy.for_file(root, path, allow_dirs, options.dialect != "deckwright"),
        report=Report(), parse_marp_inline=parse_marp_inline, cache=project_cache(root))


def offset(ref: SourceRef, lines: int) -> SourceRef:
    """`ref` moved down by `lines` (a line inside a paragraph)."""
    return SourceRef(ref.path, ref.line + lines) if lines else ref
