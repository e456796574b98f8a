"""Tall tables split into continuation slides, and column widths fixed for every writer."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from deckwright.diagnostics import Diagnostic, warning
from deckwright.layout.geometry import body_box, image_split
from deckwright.layout.geometry import column_widths as _box_columns
from deckwright.layout.tables import (
    column_widths,
    footnote,
    min_table_width,
    note_height,
    notes_height,
    row_heights,
    table_height,
    table_metrics,
)
from deckwright.layout.text import WRAP_SLACK, TextRun, count_lines
from deckwright.model.deck import (
    Block,
    Cell,
    CodeBlock,
    Columns,
    Deck,
    Heading,
    Image,
    Inline,
    Layout,
    ListBlock,
    MathBlock,
    Paragraph,
    Quote,
    Slide,
    Table,
    plain_text,
)
from deckwright.model.theme import Theme

# --------------------------------------------------------------------------- splitting


def content_box(theme: Theme, layout: Layout = Layout.CONTENT) -> tuple[float, float]:
    """(width, height) in px of a slide's content area below the title."""
    sp = theme.spacing
    title = 0.0 if layout is Layout.BLANK else sp["title_height"]
    return (theme.width - 2 * sp["margin_x"],
            theme.height - sp["margin_top"] - title - sp["margin_bottom"])


def split_tables(deck: Deck, theme: Theme) -> tuple[Deck, list[Diagnostic]]:
    """Split tables taller than the slide's content box over continuation slides; warn on too-wide ones."""
    diags: list[Diagnostic] = []
    slides: list[Slide] = []
    for slide in deck.slides:
        width, _ = content_box(theme, slide.layout)
        diags.extend(_wide_warnings(slide.blocks, theme, width))
        slides.extend(_split_slide(slide, theme))
    return replace(deck, slides=tuple(slides)), diags


def fix_column_widths(deck: Deck, theme: Theme) -> Deck:
    """Every table with `Table.widths` set for the box fit lays it out in (split parts keep theirs).

    fit (and so the PPTX and PDF writers) draws these widths and the HTML writer writes them as a
    <colgroup>: left to itself, a browser's automatic table layout would share the width differently
    and wrap cells where fit did not measure them. Run after split_tables, before fit.
    """
    slides = tuple(replace(s, blocks=_fixed_widths(s.blocks, theme, _body_width(s, theme)))
                   for s in deck.slides)
    return replace(deck, slides=slides)


def _body_width(slide: Slide, theme: Theme) -> float:
    """The width fit gives a slide's blocks (layout.py's boxes, as fit.plan_slide uses them)."""
    box = body_box(theme, slide.layout)
    beside_image = slide.layout in (Layout.IMAGE_LEFT, Layout.IMAGE_RIGHT)
    if beside_image and any(isinstance(b, Image) for b in slide.blocks):
        box = image_split(box, slide.layout, theme.spacing["column_gap"])[0]
    return box.w


def _fixed_widths(blocks: Sequence[Block], theme: Theme, width: float) -> tuple[Block, ...]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table) and not block.widths:
            widths = column_widths(block, theme, width)
            if widths and sum(widths) > 0:
                block = replace(block, widths=tuple(w / sum(widths) for w in widths))
        elif isinstance(block, Columns):
            inner = _box_columns([c.width for c in block.columns], width, theme.spacing["column_gap"])
            block = replace(block, columns=tuple(replace(c, blocks=_fixed_widths(c.blocks, theme, w))
                                                 for c, w in zip(block.columns, inner, strict=True)))
        # Tables in quotes and lists are not laid out as tables by fit: browsers size those.
        out.append(block)
    return tuple(out)


def _wide_warnings(blocks: Sequence[Block], theme: Theme, width: float) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for block in blocks:
        if isinstance(block, Table):
            need = min_table_width(block, theme)
            if need > width + 0.5:
                what = f"table '{block.source}'" if block.source else "this table"
                diags.append(warning(block.ref, (
                    f"{what} is too wide: at the minimum table size ({theme.sizes['table_min']:g} px) "
                    f"its longest words need {need:.0f} px but only {width:.0f} px are available; "
                    f"show fewer columns, transpose it, or use shorter words")))
        elif isinstance(block, Columns):
            for column, col_width in zip(block.columns, _column_widths(block, theme, width), strict=True):
                diags.extend(_wide_warnings(column.blocks, theme, col_width))
        elif isinstance(block, Quote):
            diags.extend(_wide_warnings(block.blocks, theme, width - theme.spacing["indent"]))
    return diags


def _column_widths(block: Columns, theme: Theme, width: float) -> list[float]:
    n = len(block.columns)
    usable = width - theme.spacing["column_gap"] * max(n - 1, 0)
    fixed = [c.width for c in block.columns]
    rest = 1.0 - sum(w for w in fixed if w is not None)
    free = sum(1 for w in fixed if w is None)
    return [usable * (w if w is not None else max(rest, 0.0) / max(free, 1)) for w in fixed]


def _split_slide(slide: Slide, theme: Theme) -> list[Slide]:
    width, height = content_box(theme, slide.layout)
    for index, block in enumerate(slide.blocks):
        if isinstance(block, Table) and block.rows and table_height(block, theme, width) > height:
            before, after = slide.blocks[:index], slide.blocks[index + 1:]
            parts = _split_table(block, theme, width, height,
                                 _blocks_height(before, theme, width), _blocks_height(after, theme, width))
            if len(parts) > 1:
                return _continuations(slide, before, parts, after, theme)
    return [slide]


def _continuations(slide: Slide, before: Sequence[Block], parts: list[Table], after: Sequence[Block],
                   theme: Theme) -> list[Slide]:
    """One slide per part: text before the table on the first, text after it on the last."""
    n = len(parts)
    out: list[Slide] = []
    for k, part in enumerate(parts):
        blocks: list[Block] = []
        if k == 0:
            blocks.extend(before)
        # Later parts appear with their slide: the click that revealed the table is already done.
        blocks.append(part if k == 0 else replace(part, step=0))
        if k == n - 1:
            blocks.extend(after)
        renumbered, steps = renumber_steps(blocks)
        out.append(replace(slide, blocks=tuple(renumbered), steps=steps, continuation=f"{k + 1}/{n}",
                           notes=slide.notes if k == 0 else ()))
    # A later table on the last slide may be tall too.
    return [*out[:-1], *_split_tail(out[-1], theme)]


def _split_tail(slide: Slide, theme: Theme) -> list[Slide]:
    head, tail = slide.blocks[:1], slide.blocks[1:]
    if not any(isinstance(b, Table) for b in tail):
        return [slide]
    rest = _split_slide(replace(slide, blocks=tail), theme)
    if len(rest) == 1:
        return [slide]
    first = rest[0]
    blocks, steps = renumber_steps([*head, *first.blocks])
    return [replace(first, blocks=tuple(blocks), steps=steps), *rest[1:]]


def _split_table(table: Table, theme: Theme, width: float, height: float,
                 before: float, after: float) -> list[Table]:
    """Cut the body rows into parts that each fit `height`, header repeated, as even as possible."""
    m = table_metrics(theme)
    widths = column_widths(table, theme, width, m.size)
    heights = row_heights(table, theme, widths, m.size)
    header = heights[0] if table.header else 0.0
    body = heights[1:] if table.header else heights
    fixed = header + notes_height(replace(table, footnotes=()), theme, width, m)
    if table.footnotes and not table.caption:
        fixed += m.gap
    # A row also brings the footnotes it refers to (counted per row: a shared note may count twice).
    costs = [h + sum(note_height(footnote(i, table.footnotes[i - 1]), theme, width, m)
                     for i in set(_markers(row)) if i <= len(table.footnotes))
             for h, row in zip(body, table.rows, strict=True)]
    gap = theme.spacing["gap"]
    lead = before + gap if before else 0.0
    tail = after + gap if after else 0.0
    sizes = partition([lead, *costs, tail], height - fixed)
    fractions = tuple(w / width for w in widths)
    parts: list[Table] = []
    start = 0
    for count in sizes:
        parts.append(_renumbered(replace(table, rows=table.rows[start:start + count], widths=fractions)))
        start += count
    return parts


def partition(costs: Sequence[float], capacity: float) -> list[int]:
    """Sizes of consecutive parts of costs[1:-1] so that, with costs[0] added to the first part and
    costs[-1] to the last, each part's sum fits `capacity`: as few parts as possible, then as even
    as possible. Every part has at least one item; a single item too big for any part gets its own.
    """
    lead, items, tail = costs[0], list(costs[1:-1]), costs[-1]
    if not items:
        return []
    fewest = _greedy(lead, items, tail, capacity)
    if len(items) > _EVEN_LIMIT:
        return fewest
    return _even(lead, items, tail, capacity, len(fewest)) or fewest


# Dynamic programming is quadratic in rows; beyond this a greedy split is good enough.
_EVEN_LIMIT = 400


def _greedy(lead: float, items: list[float], tail: float, capacity: float) -> list[int]:
    """Fill each part as far as it goes."""
    sizes: list[int] = []
    used, count = lead, 0
    for cost in items:
        if count and used + cost > capacity:
            sizes.append(count)
            used, count = 0.0, 0
        used += cost
        count += 1
    if count > 1 and used + tail > capacity:
        # The text after the table does not fit beside the last part: move the last row down.
        sizes.extend([count - 1, 1])
    else:
        sizes.append(count)
    return sizes


def _even(lead: float, items: list[float], tail: float, capacity: float, parts: int) -> list[int]:
    """`parts` parts that fit, minimising the sum of squared part heights (so all are alike)."""
    m = len(items)
    prefix = [0.0]
    for cost in items:
        prefix.append(prefix[-1] + cost)

    def height(i: int, j: int) -> float:
        return prefix[j] - prefix[i] + (lead if i == 0 else 0.0) + (tail if j == m else 0.0)

    inf = math.inf
    best = [[inf] * (m + 1) for _ in range(parts + 1)]
    cut = [[0] * (m + 1) for _ in range(parts + 1)]
    best[0][0] = 0.0
    for k in range(1, parts + 1):
        for j in range(k, m + 1):
            for i in range(k - 1, j):
                h = height(i, j)
                if best[k - 1][i] == inf or (h > capacity and j - i > 1):
                    continue
                score = best[k - 1][i] + h * h
                # On a tie, the later cut wins: earlier parts take the extra row (14, 13, 13).
                if score <= best[k][j]:
                    best[k][j], cut[k][j] = score, i
    if best[parts][m] == inf:
        return []
    sizes: list[int] = []
    j = m
    for k in range(parts, 0, -1):
        sizes.append(j - cut[k][j])
        j = cut[k][j]
    return sizes[::-1]


def _markers(row: Sequence[Cell]) -> list[int]:
    """Footnote numbers referred to by a row's cells."""
    return [int(s.text) for c in row for s in c.content if s.superscript and s.text.isdigit()]


def _renumbered(table: Table) -> Table:
    """Keep only the footnotes a part refers to, renumbered from 1 in reading order."""
    if not table.footnotes:
        return table
    mapping: dict[int, int] = {}
    for row in (table.header, *table.rows):
        for old in _markers(row):
            mapping.setdefault(old, len(mapping) + 1)

    def cell(c: Cell) -> Cell:
        content = tuple(replace(s, text=str(mapping[int(s.text)]))
                        if s.superscript and s.text.isdigit() and int(s.text) in mapping else s
                        for s in c.content)
        return replace(c, content=content)

    footnotes = tuple(table.footnotes[old - 1] for old in mapping if old <= len(table.footnotes))
    return replace(table, header=tuple(cell(c) for c in table.header),
                   rows=tuple(tuple(cell(c) for c in row) for row in table.rows), footnotes=footnotes)


def _blocks_height(blocks: Sequence[Block], theme: Theme, width: float) -> float:
    """A rough height of other blocks on the slide (fit measures them exactly later)."""
    gap = theme.spacing["gap"]
    heights = [_block_height(b, theme, width) for b in blocks]
    return sum(heights) + gap * max(len(heights) - 1, 0)


def _text_height(content: Inline, theme: Theme, font: str, size: float, width: float) -> float:
    # A rough estimate of the text around a table, wrapped at the box's full width (without fit's
    # slack), as the splitter has always estimated it: where tables split does not move.
    runs = (TextRun(plain_text(content), font),)
    return count_lines(runs, theme, size, width / WRAP_SLACK) * size * theme.sizes["line_height"]


def _block_height(block: Block, theme: Theme, width: float) -> float:
    sizes = theme.sizes
    lh = sizes["line_height"]
    if isinstance(block, Paragraph):
        return _text_height(block.content, theme, "body", sizes["body"], width)
    if isinstance(block, Heading):
        return _text_height(block.content, theme, "heading", sizes["subtitle"], width)
    if isinstance(block, ListBlock):
        indent = theme.spacing["indent"]
        return sum(_text_height(i.content, theme, "body", sizes["body"], width - indent)
                   + _blocks_height(i.children, theme, width - indent) for i in block.items)
    if isinstance(block, MathBlock):  # a display formula: about two lines (a fraction's height)
        return 2 * sizes["body"] * lh
    if isinstance(block, CodeBlock):
        return (block.code.count("\n") + 1) * sizes["code"] * lh + sizes["code"]
    if isinstance(block, Table):
        return table_height(block, theme, width)
    if isinstance(block, Quote):
        return _blocks_height(block.blocks, theme, width - theme.spacing["indent"])
    if isinstance(block, Columns):
        widths = _column_widths(block, theme, width)
        return max((_blocks_height(c.blocks, theme, w) for c, w in zip(block.columns, widths, strict=True)),
                   default=0.0)
    # Images, QR codes and raw HTML take the room fit gives them.
    return 0.0


def renumber_steps(blocks: Sequence[Block]) -> tuple[list[Block], int]:
    """Renumber click steps (here and in nested blocks) to 1, 2, 3 … without gaps; return the highest."""
    used = sorted(s for s in _steps(blocks) if s > 0)
    mapping = {old: new for new, old in enumerate(used, start=1)}
    return list(_restep(blocks, mapping)), len(mapping)


_NESTED = ("items", "children", "blocks", "columns")


def _steps(nodes: Sequence[Any]) -> set[int]:
    found: set[int] = set()
    for node in nodes:
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if f.name == "step":
                found.add(value)
            elif f.name in _NESTED and isinstance(value, tuple):
                found |= _steps(value)
    return found


def _restep(nodes: Sequence[Any], mapping: Mapping[int, int]) -> tuple[Any, ...]:
    out: list[Any] = []
    for node in nodes:
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if f.name == "step":
                changes["step"] = mapping.get(value, 0)
            elif f.name in _NESTED and isinstance(value, tuple):
                changes[f.name] = _restep(value, mapping)
        out.append(replace(node, **changes))
    return tuple(out)
