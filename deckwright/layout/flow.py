"""Blocks as measured text flows: paragraphs, items and their heights, stacked in a box."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from deckwright.layout.code import highlighted
from deckwright.layout.geometry import (
    Box,
    split_columns,
)
from deckwright.layout.plan import (
    Bullet,
    CodeItem,
    ColumnsItem,
    ImageItem,
    Item,
    Para,
    Placed,
    TableItem,
    TextItem,
)
from deckwright.layout.tables import CELL_PAD_X, CELL_PAD_Y, NOTE_SCALE, column_widths, narrowest
from deckwright.layout.text import TextRun, break_lines, count_lines, has_math, line_boxes, tokens
from deckwright.model.deck import (
    Align,
    Block,
    Cell,
    CodeBlock,
    Columns,
    Heading,
    Image,
    Inline,
    ListBlock,
    MathBlock,
    Paragraph,
    QRCode,
    Quote,
    Span,
    Table,
)
from deckwright.model.theme import Theme

# Padding inside a code block's filled box, px (not scaled: it frames text).
CODE_PAD_X, CODE_PAD_Y = 16.0, 10.0
# Images and QR codes are flexible: they take what text leaves, but never less than this.
IMAGE_MIN_HEIGHT = 96.0
QR_SIZE = 220.0
# Bullets by list depth, as PowerPoint's defaults.
BULLETS = ("•", "–", "◦", "–")
EM_DASH = "—"
HAIR_SPACE = "\u200a"


# --------------------------------------------------------------------------- text flow


def para_height(para: Para, theme: Theme, width: float) -> float:
    if has_math(para.runs):  # lines grow around tall formulas: measured line by line
        broken = break_lines(para.runs, theme, para.size, width - para.margin)
        boxes = line_boxes(broken, theme, theme.fonts["body"].file(), para.size, para.line_height)
        return para.space_before + sum(b.height for b in boxes)
    lines = count_lines(para.runs, theme, para.size, width - para.margin)
    return para.space_before + lines * para.size * para.line_height


def paras_height(paras: Sequence[Para], theme: Theme, width: float) -> float:
    return sum(para_height(p, theme, width) for p in paras)


# --------------------------------------------------------------------------- blocks -> paragraphs


@dataclass(frozen=True, slots=True)
class Sizes:
    """Theme sizes at a scale, px."""

    body: float
    code: float
    table: float
    gap: float
    indent: float
    line_height: float


def sizes_at(theme: Theme, scale: float) -> Sizes:
    z, s = theme.sizes, theme.spacing
    return Sizes(body=z["body"] * scale, code=z["code"] * scale, table=z["table"] * scale,
                 gap=s["gap"] * scale, indent=s["indent"] * scale, line_height=z["line_height"])


def inline_runs(inline: Inline, theme: Theme, font: str = "body", *, bold: bool = False,
                italic: bool = False) -> tuple[TextRun, ...]:
    """Model spans as runs: code spans in the code font, links in the link colour."""
    return tuple(_span_run(s, theme, font, bold, italic) for s in inline if s.text)


def _span_run(s: Span, theme: Theme, font: str, bold: bool, italic: bool) -> TextRun:
    if s.math:  # a formula, in the text's colour
        return TextRun(text=s.text, font=font, href=s.href, math="inline")
    color = theme.color("link") if s.href else (theme.color("code_text") if s.code else None)
    return TextRun(text=s.text, font="code" if s.code else font, bold=bold or s.bold,
                   italic=italic or s.italic, strike=s.strike, href=s.href,
                   superscript=s.superscript, color=color,
                   background=theme.color("inline_code_background") if s.code else None)


def math_para(block: MathBlock, sizes: Sizes, color: str, margin: float = 0.0, step: int = 0) -> Para:
    """Display math: one formula, centred in its own paragraph at the body size."""
    return Para((TextRun(block.tex, math="display"),), sizes.body, color, block.ref, margin=margin,
                step=max(step, block.step), align=Align.CENTER, line_height=sizes.line_height)


@dataclass(frozen=True, slots=True)
class _Ctx:
    """How text blocks inside a quote or list look: extra indent, colour, italics, step."""

    margin: float = 0.0
    italic: bool = False
    color: str = ""
    step: int = 0
    depth: int = 0


def text_paras(blocks: Sequence[Block], theme: Theme, sizes: Sizes, color: str,
               ctx: _Ctx | None = None) -> list[Para]:
    """Paragraphs for a run of text blocks (headings, paragraphs, lists, quotes)."""
    ctx = ctx or _Ctx(color=color)
    out: list[Para] = []
    for block in blocks:
        paras = _block_paras(block, theme, sizes, ctx)
        if paras and out:
            paras[0] = replace(paras[0], space_before=max(paras[0].space_before, sizes.gap))
        out.extend(paras)
    return out


def _block_paras(block: Block, theme: Theme, sizes: Sizes, ctx: _Ctx) -> list[Para]:
    step = max(ctx.step, block.step)
    if isinstance(block, Heading):
        size = sizes.body * (1.3 if block.level <= 2 else 1.15)
        return [Para(inline_runs(block.content, theme, "heading"), size, theme.color("heading"),
                     block.ref, margin=ctx.margin, step=step, line_height=sizes.line_height)]
    if isinstance(block, Paragraph):
        return [Para(inline_runs(block.content, theme, italic=ctx.italic), sizes.body, ctx.color,
                     block.ref, level=ctx.depth, margin=ctx.margin, step=step,
                     line_height=sizes.line_height)]
    if isinstance(block, ListBlock):
        return _list_paras(block, theme, sizes, replace(ctx, step=step))
    if isinstance(block, Quote):
        inner = replace(ctx, margin=ctx.margin + sizes.indent, italic=True,
                        color=theme.color("muted"), step=step)
        # The bar at the quote's left edge; a nested quote keeps its own.
        return [p if p.bar is not None else replace(p, bar=ctx.margin)
                for p in text_paras(block.blocks, theme, sizes, ctx.color, inner)]
    if isinstance(block, MathBlock):
        return [math_para(block, sizes, ctx.color, ctx.margin, step)]
    if isinstance(block, CodeBlock):
        # Code inside a list item: monospaced lines in the text (a separate box cannot nest).
        return [replace(p, margin=p.margin + ctx.margin, step=step)
                for p in code_paras(block, theme, sizes)]
    return []


def _list_paras(block: ListBlock, theme: Theme, sizes: Sizes, ctx: _Ctx) -> list[Para]:
    out: list[Para] = []
    hang = sizes.indent
    margin = ctx.margin + hang
    for number, item in enumerate(block.items, start=block.start):
        step = max(ctx.step, item.step)
        bullet = Bullet(start=number) if block.ordered else Bullet(BULLETS[ctx.depth % len(BULLETS)])
        space = sizes.body * 0.25 if out else 0.0
        out.append(Para(inline_runs(item.content, theme, italic=ctx.italic), sizes.body, ctx.color,
                        item.ref, level=ctx.depth, margin=margin, hanging=hang, bullet=bullet,
                        space_before=space, step=step, line_height=sizes.line_height))
        inner = replace(ctx, margin=margin, step=step, depth=ctx.depth + 1)
        for child in item.children:
            paras = _block_paras(child, theme, sizes, inner if isinstance(child, ListBlock)
                                 else replace(inner, depth=ctx.depth))
            if paras and not isinstance(child, ListBlock):
                paras[0] = replace(paras[0], space_before=sizes.body * 0.15)
            out.extend(paras)
    return out


def code_paras(block: CodeBlock, theme: Theme, sizes: Sizes) -> list[Para]:
    """One paragraph per source line, runs coloured as highlight.py colours them."""
    default = theme.color("code_text")
    out: list[Para] = []
    for line in highlighted(block.code, block.language, theme.pygments_style):
        runs = tuple(TextRun(text, "code", bold=bold, italic=italic, color=color or default)
                     for text, color, bold, italic in line)
        out.append(Para(runs, sizes.code, default, block.ref, step=block.step,
                        line_height=sizes.line_height))
    return out or [Para((), sizes.code, default, block.ref, step=block.step)]


# Highlighted code read back from the project's cache (prime_highlights), by (code, language, style).


# --------------------------------------------------------------------------- items


# --------------------------------------------------------------------------- items


# Display math is text: a centred paragraph with the text around it, as in a document.
_TEXT_BLOCKS = (Heading, Paragraph, ListBlock, Quote, MathBlock)


def items_for(blocks: Sequence[Block], theme: Theme, sizes: Sizes, width: float,
              color: str) -> list[Item]:
    """Consecutive text blocks become one text item; code, tables, images stand alone."""
    items: list[Item] = []
    run: list[Block] = []

    def flush() -> None:
        if run:
            items.append(TextItem(tuple(text_paras(run, theme, sizes, color))))
            run.clear()

    for block in blocks:
        if isinstance(block, _TEXT_BLOCKS):
            run.append(block)
            continue
        flush()
        if isinstance(block, CodeBlock):
            items.append(CodeItem(block, tuple(code_paras(block, theme, sizes))))
        elif isinstance(block, Table):
            items.append(table_item(block, theme, sizes, width))
        elif isinstance(block, (Image, QRCode)):
            items.append(ImageItem(block))
        elif isinstance(block, Columns):
            items.append(ColumnsItem(block))
        # RawHtml is for the HTML writer only (the reader reports it).
    flush()
    return items


# --------------------------------------------------------------------------- tables


def cell_runs(cell: Cell, theme: Theme, *, bold: bool = False) -> tuple[TextRun, ...]:
    if cell.empty:
        # Not applicable: the em dash, keeping any footnote marker (as the HTML writer does).
        markers = tuple(s for s in cell.content if s.superscript)
        dash = TextRun(EM_DASH, bold=bold, color=theme.color("muted"))
        return _marker_space((dash, *inline_runs(markers, theme, bold=bold)))
    return _marker_space(inline_runs(cell.content, theme, bold=bold))


def _marker_space(runs: tuple[TextRun, ...]) -> tuple[TextRun, ...]:
    """A hair space before a footnote marker: text extraction then reads "gVisor 2", not "gVisor2"."""
    out: list[TextRun] = []
    for run in runs:
        if run.superscript and out and out[-1].text and not out[-1].text[-1].isspace():
            out.append(replace(run, text=HAIR_SPACE, superscript=False, href=None))
        out.append(run)
    return tuple(out)


def table_rows(table: Table, theme: Theme) -> list[list[tuple[TextRun, ...]]]:
    """Runs of every cell, header row first (header and row labels in bold), short rows padded."""
    rows = [[cell_runs(c, theme, bold=True) for c in table.header]] if table.header else []
    for row in table.rows:
        rows.append([cell_runs(c, theme, bold=table.row_header and i == 0) for i, c in enumerate(row)])
    # Every row gets every column (PowerPoint repairs a table with short rows).
    width = max((len(r) for r in rows), default=0)
    return [r + [()] * (width - len(r)) for r in rows]


def table_item(table: Table, theme: Theme, sizes: Sizes, width: float) -> TableItem:
    rows = table_rows(table, theme)
    # The one column-width algorithm (layout/tables.py): HTML, PPTX and PDF draw the same columns.
    widths = column_widths(table, theme, width, size=sizes.table)
    # Too wide when some word cannot fit its column, measured in the runs as drawn (with the hair
    # space before footnote markers), by the tables' own rule.
    too_wide = narrowest([[tokens(runs, theme, sizes.table) for runs in row] for row in rows]) > width
    line = sizes.table * sizes.line_height
    heights = []
    for row in rows:
        lines = max((count_lines(runs, theme, sizes.table, w - 2 * CELL_PAD_X)
                     for runs, w in zip(row, widths, strict=False)), default=1)
        heights.append(lines * line + 2 * CELL_PAD_Y)
    return TableItem(table, sizes.table, tuple(widths), tuple(heights),
                     tuple(table_note_paras(table, theme, sizes)), too_wide)


def table_note_paras(table: Table, theme: Theme, sizes: Sizes) -> list[Para]:
    size = sizes.table * NOTE_SCALE
    muted = theme.color("muted")
    out: list[Para] = []
    if table.caption:
        out.append(Para(inline_runs(table.caption, theme, italic=True), size, muted, table.ref,
                        step=table.step, line_height=sizes.line_height))
    for n, note in enumerate(table.footnotes, start=1):
        runs = (TextRun(str(n), superscript=True), TextRun(" "), *inline_runs(note, theme))
        out.append(Para(runs, size, muted, table.ref, step=table.step, line_height=sizes.line_height))
    return out


# --------------------------------------------------------------------------- placement


def item_height(item: Item, theme: Theme, sizes: Sizes, width: float, color: str) -> float:
    """The height an item needs at a width; flexible items (images) their minimum."""
    if isinstance(item, TextItem):
        return paras_height(item.paras, theme, width)
    if isinstance(item, CodeItem):
        return paras_height(item.paras, theme, width - 2 * CODE_PAD_X) + 2 * CODE_PAD_Y
    if isinstance(item, TableItem):
        notes = paras_height(item.notes, theme, width)
        return sum(item.row_heights) + (sizes.gap / 2 + notes if item.notes else 0.0)
    if isinstance(item, ImageItem):
        return min(QR_SIZE, IMAGE_MIN_HEIGHT) if isinstance(item.block, QRCode) else IMAGE_MIN_HEIGHT
    return max((flow_height(col.blocks, theme, sizes, box.w, color)
                for col, box in zip(item.block.columns, _column_boxes(item.block, theme, width, 0.0),
                                    strict=True)), default=0.0)


def _column_boxes(block: Columns, theme: Theme, width: float, height: float,
                  x: float = 0.0, y: float = 0.0) -> list[Box]:
    return split_columns(Box(x, y, width, height), [c.width for c in block.columns],
                         theme.spacing["column_gap"])


def flow_height(blocks: Sequence[Block], theme: Theme, sizes: Sizes, width: float, color: str) -> float:
    _, heights = measured_items(blocks, theme, sizes, width, color)
    return sum(heights) + sizes.gap * max(len(heights) - 1, 0)


def measured_items(blocks: Sequence[Block], theme: Theme, sizes: Sizes, width: float,
                   color: str) -> tuple[tuple[Item, ...], tuple[float, ...]]:
    """The blocks' items and the height each needs at `width` (flexible ones their minimum).

    Cached: the writer lays out each slide again at the scale fit chose, and columns are measured
    both for their height and for their placement.
    """
    return _measured_items(tuple(blocks), theme, sizes, width, color)


@lru_cache(maxsize=4096)
def _measured_items(blocks: tuple[Block, ...], theme: Theme, sizes: Sizes, width: float,
                    color: str) -> tuple[tuple[Item, ...], tuple[float, ...]]:
    items = items_for(blocks, theme, sizes, width, color)
    return tuple(items), tuple(item_height(i, theme, sizes, width, color) for i in items)


def _flexible(item: Item) -> bool:
    return isinstance(item, ImageItem) or (
        isinstance(item, ColumnsItem)
        and any(isinstance(b, (Image, QRCode)) for c in item.block.columns for b in c.blocks))


def place(blocks: Sequence[Block], box: Box, theme: Theme, sizes: Sizes, color: str,
          aspects: Mapping[Path, float] | None = None) -> tuple[list[Placed], float]:
    """Stack the blocks' items from the top of `box`; images share the height text leaves.

    Returns the placements and the height the fixed content needs (more than box.h = overflow).
    `aspects` (width / height by image path) lets images be no taller than their full-width size.
    """
    items, measured = measured_items(blocks, theme, sizes, box.w, color)
    heights = list(measured)
    need = sum(heights) + sizes.gap * max(len(items) - 1, 0)
    flex = [k for k, item in enumerate(items) if _flexible(item)]
    spare = max(box.h - need, 0.0)
    for k in flex:
        heights[k] += spare / len(flex)
        natural = _natural_height(items[k], box.w, aspects)
        if natural is not None:
            heights[k] = max(min(heights[k], natural), min(IMAGE_MIN_HEIGHT, natural))
    placed: list[Placed] = []
    y = box.y
    for item, h in zip(items, heights, strict=True):
        item_box = Box(box.x, y, box.w, h)
        columns: tuple[tuple[Placed, ...], ...] = ()
        if isinstance(item, ColumnsItem):
            boxes = _column_boxes(item.block, theme, box.w, h, box.x, y)
            columns = tuple(tuple(place(col.blocks, cbox, theme, sizes, color, aspects)[0])
                            for col, cbox in zip(item.block.columns, boxes, strict=True))
        placed.append(Placed(item, item_box, columns))
        y += h + sizes.gap
    return placed, need


def _natural_height(item: Item, width: float, aspects: Mapping[Path, float] | None) -> float | None:
    if isinstance(item, ImageItem):
        if isinstance(item.block, QRCode):
            return QR_SIZE
        if aspects and item.block.path in aspects and aspects[item.block.path] > 0:
            frac = item.block.width or 1.0
            return width * min(frac, 1.0) / aspects[item.block.path]
    return None


# --------------------------------------------------------------------------- speaker notes


NOTES_CODE_SCALE = 0.9  # code in speaker notes, relative to their text


def notes_paras(blocks: Sequence[Block], theme: Theme, size: float) -> list[Para]:
    """Speaker notes as paragraphs at body size `size` px: text, lists and code (NOTES_CODE_SCALE);
    tables as one line per row. Every step shown."""
    sizes = replace(sizes_at(theme, size / theme.sizes["body"]), code=size * NOTES_CODE_SCALE)
    color = theme.color("text")
    out: list[Para] = []
    run: list[Block] = []

    def flush() -> None:
        if run:
            out.extend(p if p.step == 0 else replace(p, step=0) for p in text_paras(run, theme, sizes, color))
            run.clear()

    for block in blocks:
        if isinstance(block, CodeBlock):
            flush()
            out.extend(replace(p, step=0) for p in code_paras(block, theme, sizes))
        elif isinstance(block, Table):
            flush()
            for row in table_rows(block, theme):
                runs: list[TextRun] = []
                for i, cell in enumerate(row):
                    if i:
                        runs.append(TextRun(" | "))
                    runs.extend(cell)
                out.append(Para(tuple(runs), sizes.body, color, block.ref))
        else:
            run.append(block)
    flush()
    return out
