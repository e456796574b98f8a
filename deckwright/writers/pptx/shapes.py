"""One slide's shapes from fit's placed items: text (in placeholders where the layout has them), quote
bars, code, tables and pictures, each shown at its click."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from deckwright.layout.flow import CODE_PAD_X, CODE_PAD_Y, para_height, sizes_at, table_rows
from deckwright.layout.geometry import Box, fit_image
from deckwright.layout.plan import CodeItem, ColumnsItem, ImageItem, Para, Placed, TableItem, TextItem
from deckwright.layout.slides import link_contrast
from deckwright.layout.tables import CELL_PAD_X, CELL_PAD_Y
from deckwright.model.deck import Align, QRCode, plain_text
from deckwright.model.theme import Theme
from deckwright.writers.common.images import qr_picture
from deckwright.writers.common.tables import cell_fill, cell_para, is_header
from deckwright.writers.pptx.opc import Part
from deckwright.writers.pptx.parts import Media
from deckwright.writers.pptx.timing import Clicks, Target, para_ranges
from deckwright.writers.pptx.xml import (
    CellXml,
    Insets,
    LinkFn,
    picture_pic,
    placeholder_sp,
    rect_sp,
    table_frame,
    text_box_sp,
    tx_body,
)

QUOTE_BAR = 4.0  # px


@dataclass
class Shapes:
    """The shapes of one slide being built, in drawing order, and what appears at each click."""

    part: Part
    link: LinkFn
    theme: Theme
    lang: str
    # Body text centred across (title and section slides, the `center` class).
    center: bool = False
    xml: list[str] = field(default_factory=list)
    next_id: int = 2
    clicks: Clicks = field(default_factory=Clicks)

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def appear(self, step: int, target: Target) -> None:
        self.clicks.appear(step, target)


def placed(shapes: Shapes, media: Media, items: Sequence[Placed], phs: list[str], step: int,
           column_phs: Sequence[str] = ()) -> None:
    """Shapes for placed items; `phs` are body placeholders still free for text, `column_phs` the
    columns' ("Two Content"): each column's first text goes into its own."""
    for p in items:
        item = p.item
        if isinstance(item, TextItem):
            text(shapes, item.paras, p.box, phs.pop(0) if phs else None, step)
        elif isinstance(item, CodeItem):
            code(shapes, item, p.box, max(step, item.block.step))
        elif isinstance(item, TableItem):
            table(shapes, item, p.box, max(step, item.block.step))
        elif isinstance(item, ImageItem):
            image(shapes, media, p, step)
        elif isinstance(item, ColumnsItem):
            inner = max(step, item.block.step)
            for k, col in enumerate(p.columns):
                col_phs = [column_phs[k]] if k < len(column_phs) else []
                placed(shapes, media, col, col_phs, inner)
            column_phs = ()


def text(shapes: Shapes, paras: Sequence[Para], box: Box, ph: str | None, step: int) -> None:
    """Paragraphs in the placeholder `ph` or a text box, with their quotes' bars; each run of
    paragraphs with the same step appears at its click."""
    theme = shapes.theme
    paras = [link_contrast(theme, p) for p in paras]
    if shapes.center:
        paras = [replace(p, align=Align.CENTER) if p.align is Align.DEFAULT else p for p in paras]
    _quote_bars(shapes, paras, box, step)
    sid = shapes.new_id()
    body = tx_body(paras, theme, shapes.link, shapes.lang)
    if ph:
        shapes.xml.append(placeholder_sp(sid, f"Content {sid - 1}", ph, box, body))
    else:
        shapes.xml.append(text_box_sp(sid, f"Text {sid - 1}", box, body))
    for k, first, last in para_ranges([max(step, p.step) for p in paras]):
        shapes.appear(k, Target(sid, first, last))


def _quote_bars(shapes: Shapes, paras: Sequence[Para], box: Box, step: int) -> None:
    """A bar left of each quote, over the lines fit measured for it (PPTX text has no borders)."""
    if all(para.bar is None for para in paras):
        return  # no quote: nothing to measure
    y = box.y
    runs: list[tuple[float, float, float, int]] = []  # (x offset, top, bottom, step)
    for para in paras:
        height = para_height(para, shapes.theme, box.w)
        top, y = y + para.space_before, y + height
        if para.bar is None:
            continue
        para_step = max(step, para.step)
        last = runs[-1] if runs else None
        if last is not None and last[0] == para.bar and last[2] >= top - para.space_before - 0.01:
            runs[-1] = (last[0], last[1], y, last[3])
        else:
            runs.append((para.bar, top, y, para_step))
    for offset, top, bottom, bar_step in runs:
        sid = shapes.new_id()
        bar = Box(box.x + offset, top, QUOTE_BAR, bottom - top)
        shapes.xml.append(rect_sp(sid, f"Quote Bar {sid - 1}", bar, shapes.theme.color("quote_border")))
        shapes.appear(bar_step, Target(sid))


def code(shapes: Shapes, item: CodeItem, box: Box, step: int) -> None:
    """A code block: a rounded text box on the code background, one paragraph per line."""
    sid = shapes.new_id()
    body = tx_body(item.paras, shapes.theme, None, shapes.lang,
                   Insets(CODE_PAD_X, CODE_PAD_Y, CODE_PAD_X, CODE_PAD_Y))
    lang = item.block.language or "text"
    shapes.xml.append(text_box_sp(sid, f"Code {sid - 1}", box, body, shapes.theme.color("code_background"),
                                  "roundRect", descr=f"Code ({lang})"))
    shapes.appear(step, Target(sid))


def table(shapes: Shapes, item: TableItem, box: Box, step: int) -> None:
    """A native table at fit's widths and heights, every cell styled; its notes in a text box below."""
    block, theme = item.block, shapes.theme
    tbox = Box(box.x, box.y, sum(item.widths), sum(item.row_heights))
    sid = shapes.new_id()
    shapes.xml.append(table_frame(sid, f"Table {sid - 1}", tbox, item.widths, item.row_heights,
                                  _cells(theme, item),
                                  theme, shapes.link, shapes.lang, (CELL_PAD_X, CELL_PAD_Y),
                                  first_row=bool(block.header), first_col=block.row_header,
                                  descr=plain_text(block.caption) or block.source or ""))
    shapes.appear(step, Target(sid, kind="graphic"))
    if item.notes:
        gap = sizes_at(theme, item.size / theme.sizes["table"]).gap / 2
        nbox = Box(box.x, tbox.bottom + gap, box.w, max(box.bottom - tbox.bottom - gap, 1.0))
        nid = shapes.new_id()
        shapes.xml.append(text_box_sp(nid, f"Table Notes {nid - 1}", nbox,
                                      tx_body(item.notes, theme, shapes.link, shapes.lang)))
        shapes.appear(step, Target(nid))


def _cells(theme: Theme, item: TableItem) -> list[list[CellXml]]:
    """Every cell's paragraph and fill, header row first; a rule under each body row's cells."""
    block = item.block
    model_rows = ([block.header] if block.header else []) + list(block.rows)
    cells: list[list[CellXml]] = []
    for r, (row, model_row) in enumerate(zip(table_rows(block, theme), model_rows, strict=True)):
        cells.append([CellXml((cell_para(theme, item, r, c, runs),),
                              cell_fill(theme, block, r, model_row[c] if c < len(model_row) else None),
                              rule=not is_header(block, r))
                      for c, runs in enumerate(row)])
    return cells


def image(shapes: Shapes, media: Media, item: Placed, step: int) -> None:
    """A picture fitted into its box (no wider than its `width` share); a QR code as a picture
    that links to its URL."""
    if not isinstance(item.item, ImageItem):
        return
    block = item.item.block
    step = max(step, block.step)
    link_rid = None
    if isinstance(block, QRCode):
        dark = shapes.theme.color("text")
        picture = qr_picture(block.url, dark=dark if dark != "#ffffff" else "#000000", light="#ffffff")
        descr, title = f"QR code for {block.url}", block.url
        link_rid = shapes.link(block.url)
        max_width: float | None = None
    else:
        found = media.pictures.get(block.path)
        if found is None:
            return  # reported when loading
        picture, descr, title = found, block.alt, block.title
        max_width = item.box.w * block.width if block.width else None
    box = fit_image(float(picture.width), float(picture.height), item.box, max_width)
    rid, svg_rid = media.relate(shapes.part, picture)
    sid = shapes.new_id()
    shapes.xml.append(picture_pic(sid, f"Picture {sid - 1}", box, rid, descr, title, svg_rid, link_rid))
    shapes.appear(step, Target(sid, kind="pic"))
