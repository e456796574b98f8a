"""Code blocks highlighted once: lines of styled runs, kept in memory and in the project's cache."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from deckwright.model.deck import Block, CodeBlock, Deck, iter_blocks
from deckwright.support.diskcache import DiskCache, key_of, library_stamp, source_stamp

# A highlighted line: (text, colour or None, bold, italic) per run, as highlight.py styles it.
CodeLine = tuple[tuple[str, str | None, bool, bool], ...]

_PRIMED: dict[tuple[str, str | None, str], tuple[CodeLine, ...]] = {}
_PRIMED_MAX = 4096
_HIGHLIGHT_FORMAT = "2"  # 2: tabs expanded


def highlighted(code: str, language: str | None, style: str) -> tuple[CodeLine, ...]:
    """Code as lines of styled runs: from the cache when primed, else from Pygments."""
    found = _PRIMED.get((code, language, style))
    return found if found is not None else _pygments_lines(code, language, style)


@lru_cache(maxsize=1024)
def _pygments_lines(code: str, language: str | None, style: str) -> tuple[CodeLine, ...]:
    # Imported here: loading Pygments' lexers costs more than a small deck's whole layout.
    from deckwright.layout.highlight import highlight_lines

    return tuple(_expand_tabs(tuple((r.text, r.style.color, r.style.bold, r.style.italic) for r in line))
                 for line in highlight_lines(code, language, style))


TAB_SIZE = 4  # as the HTML's `tab-size`


def _expand_tabs(line: CodeLine) -> CodeLine:
    """Tabs as spaces to the next stop (fonts have no tab glyph; PowerPoint and the PDF would draw
    one space), counting columns across the line's runs."""
    if not any("\t" in text for text, *_ in line):
        return line
    out = []
    column = 0
    for text, color, bold, italic in line:
        expanded = []
        for char in text:
            if char == "\t":
                width = TAB_SIZE - column % TAB_SIZE
                expanded.append(" " * width)
                column += width
            else:
                expanded.append(char)
                column += 1
        out.append(("".join(expanded), color, bold, italic))
    return tuple(out)


def prime_highlights(blocks: Iterable[CodeBlock], style: str, cache: DiskCache) -> None:
    """Read the blocks' highlighted code from the project's cache; compute and store what is missing.

    Pygments compiles each lexer's patterns afresh in every process; a rebuild reads the runs back.
    """
    import json

    for block in blocks:
        wanted = (block.code, block.language, style)
        if wanted in _PRIMED or cache.folder is None:
            continue
        key = key_of("highlight", _HIGHLIGHT_FORMAT, library_stamp("pygments"),
                     source_stamp(str(Path(__file__).with_name("highlight.py"))), style,
                     block.language or "", block.code)
        lines: tuple[CodeLine, ...] | None = None
        stored = cache.get("highlight", key)
        if stored is not None:
            try:
                lines = tuple(tuple((str(t), c, bool(b), bool(i)) for t, c, b, i in line)
                              for line in json.loads(stored))
            except (ValueError, TypeError):
                lines = None  # damaged: computed again and rewritten below
        if lines is None:
            lines = _pygments_lines(*wanted)
            cache.put("highlight", key, json.dumps(lines, ensure_ascii=False,
                                                   separators=(",", ":")).encode("utf-8"))
        if len(_PRIMED) >= _PRIMED_MAX:
            _PRIMED.clear()
        _PRIMED[wanted] = lines


def code_blocks(blocks: Iterable[Block]) -> Iterator[CodeBlock]:
    """Every code block, also inside columns, quotes and list items."""
    return (b for b in iter_blocks(blocks) if isinstance(b, CodeBlock))


def deck_code_blocks(deck: Deck) -> Iterator[CodeBlock]:
    for slide in deck.slides:
        yield from code_blocks(slide.blocks)
        yield from code_blocks(slide.notes)
