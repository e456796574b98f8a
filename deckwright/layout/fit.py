"""Fitting slides to their boxes: blocks as measured text flows, placed in layout.py's boxes."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from deckwright.diagnostics import Diagnostic, warning
from deckwright.layout.geometry import (
    Box,
    body_box,
    image_split,
    section_boxes,
    split_columns,
    title_box,
    title_slide_boxes,
)
from deckwright.layout.plan import (
    Bullet,
    CodeItem,
    ColumnsItem,
    ImageItem,
    Item,
    Para,
    Placed,
    Plan,
    SlidePlan,
    TableItem,
    TextItem,
)
from deckwright.layout.tables import CELL_PAD_X, CELL_PAD_Y, NOTE_SCALE, column_widths, min_table_width
from deckwright.layout.text import (
    WRAP_SLACK,
    TextRun,
    count_lines,
    max_line_width,
)
from deckwright.model.deck import (
    Align,
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
    ListItem,
    Paragraph,
    QRCode,
    Quote,
    RawHtml,
    Slide,
    Span,
    Table,
    iter_blocks,
)
from deckwright.model.theme import Theme
from deckwright.support.colors import rgb
from deckwright.support.diskcache import DiskCache, key_of, library_stamp, project_cache, source_stamp

# Padding inside a code block's filled box, px (not scaled: it frames text).
CODE_PAD_X, CODE_PAD_Y = 16.0, 10.0
# Images and QR codes are flexible: they take what text leaves, but never less than this.
IMAGE_MIN_HEIGHT = 96.0
QR_SIZE = 220.0
# A title may shrink to this fraction of its theme size before it is reported.
TITLE_FLOOR = 0.6
# Bullets by list depth, as PowerPoint's defaults.
BULLETS = ("•", "–", "◦", "–")
EM_DASH = "—"
HAIR_SPACE = "\u200a"


# --------------------------------------------------------------------------- text flow


def para_height(para: Para, theme: Theme, width: float) -> float:
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
    color = theme.color("link") if s.href else (theme.color("code_text") if s.code else None)
    return TextRun(text=s.text, font="code" if s.code else font, bold=bold or s.bold,
                   italic=italic or s.italic, strike=s.strike, href=s.href,
                   superscript=s.superscript, color=color,
                   background=theme.color("inline_code_background") if s.code else None)


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


# A highlighted line: (text, colour or None, bold, italic) per run, as highlight.py styles it.
CodeLine = tuple[tuple[str, str | None, bool, bool], ...]
# Highlighted code read back from the project's cache (prime_highlights), by (code, language, style).
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


# --------------------------------------------------------------------------- items


# --------------------------------------------------------------------------- items


_TEXT_BLOCKS = (Heading, Paragraph, ListBlock, Quote)


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
    too_wide = min_table_width(table, theme, sizes.table) > width
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


# --------------------------------------------------------------------------- slides


def text_color(slide: Slide, theme: Theme) -> str:
    """Body text colour: the theme's, or light text on a dark slide background."""
    if slide.layout is Layout.TITLE:
        return theme.color("title_text")
    if slide.layout is Layout.SECTION:
        return theme.color("section_text")
    if slide.background_color and is_dark(slide.background_color):
        return theme.color("background") if not is_dark(theme.color("background")) else "#ffffff"
    return theme.color("text")


def is_dark(color: str) -> bool:
    """Relative luminance below the middle grey (WCAG formula); a colour the writers cannot read
    (css_hex falls back to white) counts as light."""
    r, g, b = (c / 255 for c in rgb(color))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else float(((c + 0.055) / 1.055) ** 2.4)

    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b) < 0.18


def link_contrast(theme: Theme, para: Para) -> Para:
    """Links in the link colour only on a light background; on dark slides, the text's colour."""
    if is_dark(para.color):  # dark text: a light background, where the link colour reads well
        return para
    link = theme.color("link")
    return replace(para, runs=tuple(replace(r, color=None) if r.color == link else r for r in para.runs))


def title_runs(slide: Slide, theme: Theme) -> tuple[TextRun, ...]:
    runs = inline_runs(slide.title, theme, "heading")
    if slide.continuation:
        runs = (*runs, TextRun(f" ({slide.continuation})", "heading", color=theme.color("muted")))
    return runs


def fit_text_size(runs: Sequence[TextRun], theme: Theme, base: float, box: Box,
                  line_height: float, floor: float = TITLE_FLOOR) -> tuple[float, float]:
    """The largest size (whole px, from `base` down to base × floor) at which runs fit `box`.

    Returns (size, overflow fraction at that size).
    """
    size = base
    lowest = base * floor
    while True:
        height = count_lines(runs, theme, size, box.w) * size * line_height
        if height <= box.h + 0.5 or size - 1 < lowest:
            return size, max(height - box.h, 0.0) / box.h if box.h else 0.0
        size -= 1


def _title_parts(slide: Slide, theme: Theme) -> tuple[Para | None, Box | None, Para | None, Box | None]:
    z = theme.sizes
    lh = z["line_height"]
    if slide.layout is Layout.BLANK or (not slide.title and not slide.subtitle):
        return None, None, None, None
    if slide.layout is Layout.TITLE:
        tbox, sbox, _ = title_slide_boxes(theme)
        base, align, color = z["title_slide"], Align.CENTER, theme.color("title_text")
    elif slide.layout is Layout.SECTION:
        tbox, _ = section_boxes(theme)
        sbox = Box(tbox.x, tbox.bottom, tbox.w, z["subtitle"] * lh * 2)
        base, align, color = z["section"], Align.CENTER, theme.color("section_text")
    else:
        tbox = title_box(theme)
        sbox = None
        base, align, color = z["title"], Align.DEFAULT, theme.color("heading")
    runs = title_runs(slide, theme)
    size, _ = fit_text_size(runs, theme, base, tbox, lh)
    title = Para(runs, size, color, slide.ref, align=align, line_height=lh) if runs else None
    subtitle = None
    if slide.subtitle and sbox is not None:
        sruns = inline_runs(slide.subtitle, theme)
        ssize, _ = fit_text_size(sruns, theme, z["subtitle"], sbox, lh)
        subtitle = Para(sruns, ssize, color, slide.ref, align=align, line_height=lh)
    return title, (tbox if title else None), subtitle, (sbox if subtitle else None)


def _title_overflow(slide: Slide, theme: Theme, title: Para | None, box: Box | None) -> float:
    if title is None or box is None:
        return 0.0
    h = count_lines(title.runs, theme, title.size, box.w) * title.size * title.line_height
    return max(h - box.h, 0.0) / box.h if box.h else 0.0


def plan_slide(slide: Slide, theme: Theme, aspects: Mapping[Path, float] | None = None,
               scale: float | None = None) -> SlidePlan:
    """Lay a slide out at `scale` (default: the slide's font_scale); images at `aspects` if known."""
    return _plan_slide(slide, theme, aspects, slide.font_scale if scale is None else scale)


def with_images(plan: SlidePlan, slide: Slide, theme: Theme, aspects: Mapping[Path, float]) -> SlidePlan:
    """The slide's plan with its images at their own proportions, which writers that embed them know.

    fit chooses the scale without them (an image only takes the room text leaves), so only slides
    that show one of these images are laid out again, at the same scale.
    """
    if not any(isinstance(b, Image) and b.path in aspects for b in iter_blocks(slide.blocks)):
        return plan
    return _plan_slide(slide, theme, aspects, plan.scale)


def _plan_slide(slide: Slide, theme: Theme, aspects: Mapping[Path, float] | None,
                scale: float) -> SlidePlan:
    sizes = sizes_at(theme, scale)
    color = text_color(slide, theme)
    title, tbox, subtitle, sbox = _title_parts(slide, theme)
    box = body_box(theme, slide.layout)
    if slide.layout is Layout.SECTION and subtitle is not None and sbox is not None:
        box = box.below(sbox.h, theme.spacing["gap"])
    blocks = slide.blocks
    image: Placed | None = None
    if slide.layout in (Layout.IMAGE_LEFT, Layout.IMAGE_RIGHT):
        first = next((b for b in blocks if isinstance(b, Image)), None)
        if first is not None:
            box, ibox = image_split(box, slide.layout, theme.spacing["column_gap"])
            image = Placed(ImageItem(first), ibox)
            blocks = tuple(b for b in blocks if b is not first)
    placed, need = place(blocks, box, theme, sizes, color, aspects)
    overflow = max(need - box.h, 0.0) / box.h if box.h > 0 else (1.0 if need > 0 else 0.0)
    if "center" in slide.classes and placed:
        # The author's `center` class: the body's content centred in its box (as in the HTML).
        used = max(p.box.bottom for p in placed) - box.y
        placed = [_shift(p, (box.h - used) / 2) for p in placed] if used < box.h else placed
    return SlidePlan(
        scale=scale, title=title, title_box=tbox, subtitle=subtitle, subtitle_box=sbox,
        body=tuple(placed), body_box=box, image=image, overflow=overflow,
        title_overflow=_title_overflow(slide, theme, title, tbox),
        code_wraps=_code_wraps(placed, theme), code_lines=_code_lines(placed, theme),
        too_wide=tuple(_too_wide(placed)),
    )


def _shift(placed: Placed, dy: float) -> Placed:
    b = placed.box
    return Placed(placed.item, Box(b.x, b.y + dy, b.w, b.h),
                  tuple(tuple(_shift(p, dy) for p in col) for col in placed.columns))


def centered(slide: Slide) -> bool:
    """Body text centred across: title and section slides, and the author's `center` class."""
    return slide.layout in (Layout.TITLE, Layout.SECTION) or "center" in slide.classes


def role_is_bold(theme: Theme, role: str) -> bool:
    """A font role whose regular face is a bold file (headings): PowerPoint must be told bold."""
    return _role_is_bold(theme, role)


@lru_cache(maxsize=64)
def _role_is_bold(theme: Theme, role: str) -> bool:
    # Cached: asked for every run written, and comparing paths is slow.
    files = theme.fonts[role].files
    return files.get("regular") is not None and files.get("regular") == files.get("bold")


def _walk(placed: Sequence[Placed]) -> list[Placed]:
    out: list[Placed] = []
    for p in placed:
        out.append(p)
        for col in p.columns:
            out.extend(_walk(col))
    return out


def _code_wraps(placed: Sequence[Placed], theme: Theme) -> bool:
    for p in _walk(placed):
        if isinstance(p.item, CodeItem):
            width = (p.box.w - 2 * CODE_PAD_X) * WRAP_SLACK
            if any(max_line_width(para.runs, theme, para.size) > width for para in p.item.paras):
                return True
    return False


def _code_lines(placed: Sequence[Placed], theme: Theme) -> int:
    return sum(count_lines(para.runs, theme, para.size, p.box.w - 2 * CODE_PAD_X)
               for p in _walk(placed) if isinstance(p.item, CodeItem) for para in p.item.paras)


def _too_wide(placed: Sequence[Placed]) -> list[Table]:
    return [p.item.block for p in _walk(placed) if isinstance(p.item, TableItem) and p.item.too_wide]


def _floor(slide: Slide, theme: Theme) -> float:
    """The lowest scale the slide's content allows: each kind of text has its own minimum."""
    z = theme.sizes
    ratios = {"body": z["body_min"] / z["body"], "code": z["code_min"] / z["code"],
              "table": z["table_min"] / z["table"]}
    kinds = _kinds(slide.blocks)
    return max((ratios[k] for k in kinds), default=1.0)


def _kinds(blocks: Sequence[Block]) -> set[str]:
    kinds: set[str] = set()
    for b in blocks:
        if isinstance(b, CodeBlock):
            kinds.add("code")
        elif isinstance(b, Table):
            kinds.add("table")
        elif isinstance(b, Columns):
            for c in b.columns:
                kinds |= _kinds(c.blocks)
        elif isinstance(b, Quote):
            kinds |= _kinds(b.blocks)
        elif isinstance(b, (Heading, Paragraph, ListBlock, ListItem)):
            kinds.add("body")
        elif isinstance(b, (Image, QRCode, RawHtml)):
            continue
    return kinds


def choose_scale(slide: Slide, theme: Theme) -> tuple[float, SlidePlan]:
    """The largest scale (in 1 % steps, not below the floor) at which the slide's body fits."""

    def good(plan: SlidePlan) -> bool:
        return plan.overflow == 0.0 and not plan.code_wraps and not plan.too_wide

    full = plan_slide(slide, theme, scale=1.0)
    if good(full):
        return 1.0, full
    lo = math.ceil(_floor(slide, theme) * 100 - 1e-9)
    lowest = plan_slide(slide, theme, scale=lo / 100)
    if not good(lowest):
        if lowest.overflow > 0.0 or lowest.too_wide:
            return lo / 100, lowest
        # Code wraps even at the floor: shrink only as far as that saves wrapped lines.
        return _search(slide, theme, lo, lambda p: p.overflow == 0.0 and not p.too_wide
                       and p.code_lines <= lowest.code_lines, lowest)
    return _search(slide, theme, lo, good, lowest)


def _search(slide: Slide, theme: Theme, lo: int, good: Callable[[SlidePlan], bool],
            lowest: SlidePlan) -> tuple[float, SlidePlan]:
    """Binary search for the largest percent in [lo, 100) whose plan is good (lo is good)."""
    best, best_plan, hi = lo, lowest, 99
    while best < hi:
        mid = (best + hi + 1) // 2
        plan = plan_slide(slide, theme, scale=mid / 100)
        if good(plan):
            best, best_plan = mid, plan
        else:
            hi = mid - 1
    return best / 100, best_plan


def fit_slide(slide: Slide, theme: Theme, number: int) -> tuple[Slide, SlidePlan, list[Diagnostic]]:
    """The slide with font_scale set, its plan, and warnings for what still overflows at the floor."""
    scale, plan = choose_scale(slide, theme)
    diags: list[Diagnostic] = []
    for table in plan.too_wide:
        if table.widths:
            continue  # laid out by the pipeline's tables stage, which reports it (tables.py)
        columns = max((len(r) for r in (table.header, *table.rows)), default=0)
        diags.append(warning(table.ref, f"slide {number}: the table is wider than the slide: "
                                        f"{columns} columns do not fit {plan.body_box.w:.0f} px even "
                                        f"at the smallest table size ({theme.sizes['table_min']:g} px); "
                                        "select fewer columns or transpose it"))
    if plan.overflow > 0.0:
        diags.append(warning(slide.ref, f"slide {number} overflows its box by "
                                        f"{math.ceil(plan.overflow * 100)}%"))
    if plan.title_overflow > 0.0:
        diags.append(warning(slide.ref, f"slide {number}: the title overflows its box by "
                                        f"{math.ceil(plan.title_overflow * 100)}%"))
    fitted = slide if scale == slide.font_scale else replace(slide, font_scale=scale)
    return fitted, plan, diags


def fit_deck(deck: Deck, theme: Theme) -> tuple[Deck, Plan, list[Diagnostic]]:
    """The deck with each slide's font_scale set so its content fits, its plan, and what overflows.

    As pandoc's documentToPresentation: a pure stage returning its value and its log.
    """
    prime_highlights(deck_code_blocks(deck), theme.pygments_style, project_cache(deck.root))
    slides: list[Slide] = []
    plans: list[SlidePlan] = []
    diags: list[Diagnostic] = []
    for number, slide in enumerate(deck.slides, start=1):
        fitted, plan, d = fit_slide(slide, theme, number)
        slides.append(fitted)
        plans.append(plan)
        diags.extend(d)
    return replace(deck, slides=tuple(slides)), Plan(tuple(plans)), diags


def plan_deck(deck: Deck, theme: Theme) -> Plan:
    """The plan of a deck whose slides have their scale already (a writer called without fit's plan)."""
    return Plan(tuple(plan_slide(slide, theme) for slide in deck.slides))


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
