"""Slides drawn onto PDF pages (fpdf2) from fit's plan: the boxes, sizes and lines every writer shares."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from deckwright.diagnostics import SourceRef
from deckwright.layout.fit import (
    CODE_PAD_X,
    CODE_PAD_Y,
    centered,
    inline_runs,
    link_contrast,
    sizes_at,
    table_rows,
    text_color,
    with_images,
)
from deckwright.layout.fonts import Face, quiet_fonttools, segments
from deckwright.layout.geometry import Box, fit_image, footer_boxes, header_box, slide_box
from deckwright.layout.plan import (
    CodeItem,
    ColumnsItem,
    ImageItem,
    Para,
    Placed,
    SlidePlan,
    TableItem,
    TextItem,
)
from deckwright.layout.tables import CELL_PAD_X, CELL_PAD_Y
from deckwright.layout.text import (
    Line,
    TextRun,
    break_lines,
    font_file,
    run_size,
    spaced_width,
    text_width,
    vertical_metrics,
)
from deckwright.model.deck import Align, Cell, Layout, QRCode, Slide, Span
from deckwright.model.theme import Theme
from deckwright.support.colors import rgb
from deckwright.support.diskcache import NO_CACHE, DiskCache
from deckwright.writers.common.images import Picture, downscaled, rasterise
from deckwright.writers.common.links import safe_href
from deckwright.writers.pdf.vector import Placement

# Quote bars and table rules, px.
QUOTE_BAR = 4.0
RULE = 1.0
CODE_RADIUS = 6.0
# Pixels an image keeps in the PDF: twice a 1280×720 slide across and down, enough to zoom in or
# print; a 64-megapixel photo embedded whole cost seconds and most of a gigabyte.
PDF_MAX_PIXELS = 4 * 1280 * 720
# A superscript's baseline is raised by this fraction of the paragraph's size.
SUPERSCRIPT_RISE = 0.35


@dataclass(frozen=True, slots=True)
class View:
    """Slide px onto a page: page point = origin + px × k (points, y down as fpdf2 counts)."""

    x: float
    y: float
    k: float

    def box(self, box: Box) -> tuple[float, float, float, float]:
        return self.x + box.x * self.k, self.y + box.y * self.k, box.w * self.k, box.h * self.k


def link_target(href: str | None) -> str | None:
    """A link worth a PDF annotation: web and mail addresses (relative ones lead nowhere in a PDF)."""
    if not href:
        return None
    target = safe_href(href)
    if target is None or target.startswith("#") or ":" not in target.split("/", 1)[0]:
        return None
    return target


def baseline(para: Para, theme: Theme) -> float:
    """Where the first line's baseline sits below the line's top, px (half-leading as in CSS)."""
    run = para.runs[0] if para.runs else TextRun("")
    ascent, descent = vertical_metrics(font_file(theme, run))
    return (para.size * para.line_height - (ascent + descent) * para.size) / 2 + ascent * para.size


def lines_height(paras: Sequence[Para], theme: Theme, width: float) -> float:
    """Height of paragraphs as drawn (the same as fit's para heights)."""
    return sum(p.space_before + len(break_lines(p.runs, theme, p.size, width - p.margin))
               * p.size * p.line_height for p in paras)


# Scripts whose letters must be reordered (right to left) or joined/reordered by a shaper:
# Hebrew, Arabic, Syriac, Thaana, N'Ko; the Indic and South-East Asian blocks; Arabic forms.
_SHAPED_RANGES = ((0x0590, 0x08FF), (0x0900, 0x0DFF), (0x0F00, 0x0FFF), (0x1000, 0x109F),
                  (0x1780, 0x17FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))


def _needs_shaping(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _SHAPED_RANGES)


def extend_bars(bars: list[tuple[float, float, float]], para: Para, top: float,
                bottom: float) -> list[tuple[float, float, float]]:
    """Quote bars (x offset, top, bottom) with `para` added: its own bar, and every bar of an
    enclosing quote (a smaller offset) that reaches down to it is lengthened across it."""
    assert para.bar is not None
    out = list(bars)
    own = next((k for k in range(len(out) - 1, -1, -1) if out[k][0] == para.bar), None)
    if own is not None and out[own][2] >= top - para.space_before - 0.01:
        out[own] = (para.bar, out[own][1], bottom)
    else:
        out.append((para.bar, top, bottom))
    for k, (offset, bar_top, bar_bottom) in enumerate(out):
        if offset < para.bar and bar_bottom >= top - para.space_before - 0.01:
            out[k] = (offset, bar_top, max(bar_bottom, bottom))
    return out


@dataclass(slots=True)
class _ListLevel:
    level: int
    item: Any = None  # the open /LI element
    para: Para | None = None  # the paragraph that began it


class ListTags:
    """The /L groups open while a run of paragraphs is drawn, and where each paragraph belongs:
    a bullet begins an /LI (in a new /L when deeper, inside the item above it); a paragraph with
    the item's level, indent and quote bar continues that item; anything else ends the lists."""

    def __init__(self, painter: Painter) -> None:
        self.painter = painter
        self.levels: list[_ListLevel] = []

    def place(self, para: Para) -> tuple[str, Any]:
        """(tag, element to continue or None) for the paragraph."""
        self.close(para.level)
        if para.bullet is not None:
            if not self.levels or self.levels[-1].level < para.level:
                under = self.levels[-1].item if self.levels else None
                self.painter.begin_group("/L", under)
                self.levels.append(_ListLevel(para.level))
            return "/LI", None
        top = self.levels[-1] if self.levels else None
        if top is not None and top.para is not None and (top.para.level, top.para.margin, top.para.bar) == (
                para.level, para.margin, para.bar):
            return "/LI", top.item
        self.close(-1)
        return "/P", None

    def started(self, para: Para, element: Any) -> None:
        self.levels[-1].item, self.levels[-1].para = element, para

    def close(self, level: int) -> None:
        """End the lists deeper than `level` (-1: all)."""
        while self.levels and self.levels[-1].level > level:
            self.levels.pop()
            self.painter.end_group()


@dataclass(frozen=True, slots=True)
class LinePlace:
    """A line of a paragraph where it is drawn: its text box's left `x`, where its text starts
    (`left`), its line box's `top` and its baseline, px; `first`: the paragraph's first line."""

    line: Line
    x: float
    left: float
    top: float
    base: float
    first: bool


class Painter:
    """Draws slides, paragraphs and shapes on one fpdf2 document; fonts registered once each."""

    def __init__(self, pdf: Any, theme: Theme, pictures: Mapping[Path, Picture],
                 cache: DiskCache = NO_CACHE) -> None:
        self.pdf = pdf
        self.cache = cache
        self.theme = theme
        self.pictures = pictures
        # Images' width / height: fit sizes them no taller than their full-width size (as in PPTX).
        self.aspects = {path: picture.aspect for path, picture in pictures.items()}
        self.fonts: dict[Face, str] = {}
        # Characters no font could draw, with where each first appears.
        self.missing: dict[str, SourceRef] = {}
        # Lines with right-to-left or joined scripts drawn unshaped (no uharfbuzz), with one such character.
        self.unshaped: dict[SourceRef, str] = {}
        self._shaping: bool | None = None
        # SVG images placed on pages, to be drawn as vectors once the document is written (pdf_vector.py).
        self.vectors: list[Placement] = []
        self._font: tuple[str, float] | None = None

    # ------------------------------------------------------------- structure

    @contextmanager
    def tagged(self, kind: str | None, alt: str | None = None, into: Any = None) -> Iterator[Any]:
        """What is drawn inside as one structure element (/H1, /P, /Code, /Figure…) in reading
        order, or as an artifact (decoration a screen reader skips) when `kind` is None. `into`:
        drawn as more content of that element (a list item's next paragraph). Yields the element.

        fpdf2 tags only the images it draws; the structure tree and marked content are its own,
        used through its (private) builder so both stay one tree.
        """
        pdf = self.pdf
        element = None
        if kind is None:
            pdf._out("/Artifact BMC")
        elif into is not None and hasattr(pdf.struct_builder, "extend"):
            element = into
            mcid = pdf.struct_builder.extend(into, pdf.page)
            pdf._out(f"{kind} <</MCID {mcid}>> BDC")
        else:
            mcid = pdf.struct_builder.next_mcid_for_page(pdf.page)
            element = pdf._add_marked_content(struct_type=kind, mcid=mcid, alt_text=alt)
            pdf._out(f"{kind} <</MCID {mcid}>> BDC")
        try:
            yield element
        finally:
            pdf._out("EMC")

    @contextmanager
    def group(self, kind: str, under: Any = None) -> Iterator[None]:
        """A structure element holding the elements tagged inside (a table, a row, a list)."""
        self.begin_group(kind, under)
        try:
            yield
        finally:
            self.end_group()

    def begin_group(self, kind: str, under: Any = None) -> None:
        builder = self.pdf.struct_builder
        if hasattr(builder, "begin"):
            builder.begin(kind, self.pdf.page, under)

    def end_group(self) -> None:
        builder = self.pdf.struct_builder
        if hasattr(builder, "end"):
            builder.end()

    # ------------------------------------------------------------- primitives

    def font(self, face: Face, size_pt: float) -> None:
        name = self.fonts.get(face)
        if name is None:
            name = f"dw{len(self.fonts)}"
            with quiet_fonttools():
                self.pdf.add_font(name, "", str(face.path), collection_font_number=face.index)
            self.fonts[face] = name
        if self._font != (name, size_pt):
            self.pdf.set_font(name, "", size_pt)
            self._font = (name, size_pt)

    def fill(self, color: str) -> None:
        self.pdf.set_fill_color(*rgb(color))

    def rect(self, view: View, box: Box, color: str, radius: float = 0.0, *, artifact: bool = True) -> None:
        """A filled rectangle; decoration (an artifact) unless it is part of a figure."""
        x, y, w, h = view.box(box)
        if w <= 0 or h <= 0:
            return
        with self.tagged(None) if artifact else nullcontext():
            self.fill(color)
            if radius > 0:
                self.pdf.rect(x, y, w, h, style="F", round_corners=True, corner_radius=radius * view.k)
            else:
                self.pdf.rect(x, y, w, h, style="F")

    def outline(self, view: View, box: Box, color: str, width: float) -> None:
        """A stroked rectangle `width` px wide around `box`."""
        x, y, w, h = view.box(box)
        with self.tagged(None):
            self.pdf.set_draw_color(*rgb(color))
            self.pdf.set_line_width(width * view.k)
            self.pdf.rect(x, y, w, h, style="D")

    def clip(self, view: View, box: Box) -> AbstractContextManager[Any]:
        x, y, w, h = view.box(box)
        clip: Callable[..., AbstractContextManager[Any]] = self.pdf.rect_clip
        return clip(x, y, w, h)

    def link(self, view: View, box: Box, url: str) -> None:
        x, y, w, h = view.box(box)
        self.pdf.link(x, y, w, h, url)

    # ------------------------------------------------------------- text

    def paras(self, view: View, paras: Sequence[Para], box: Box, *, center: bool = False,
              top: float | None = None, tag: str | None = "/P") -> float:
        """Draw paragraphs from the top of `box` (or `top`); returns the y (px) under the last.

        Each paragraph is one `tag` element (see `groups`); None: artifacts.
        """
        y = box.y if top is None else top
        groups: list[tuple[Para, list[LinePlace]]] = []
        for para in paras:
            y += para.space_before
            places, y = self.lay_out(para, box.x, y, box.w, center)
            groups.append((para, places))
        self.groups(view, groups, box.x, tag)
        return y

    def groups(self, view: View, groups: Sequence[tuple[Para, Sequence[LinePlace]]], x: float,
               tag: str | None) -> None:
        """Paragraphs already laid out, in reading order, with their quote bars (x: the text box's
        left). Tagged `tag` each, except: a heading /H2, a list /L of /LI (nested lists inside, an
        item's later paragraphs part of it), `tag` "/Code" one element for all (a code block)."""
        bars: list[tuple[float, float, float]] = []  # (x offset, top, bottom) of quote bars
        lists = ListTags(self) if tag == "/P" else None
        with self.tagged(tag) if tag == "/Code" else nullcontext():
            try:
                for para, places in groups:
                    kind, into = tag, None
                    if lists is not None:
                        kind, into = lists.place(para)
                        if kind == "/P" and para.runs and all(r.font == "heading" for r in para.runs):
                            kind = "/H2"
                    element = self.draw_lines(view, para, places, kind if tag != "/Code" else "", into)
                    if lists is not None and kind == "/LI" and into is None:
                        lists.started(para, element)
                    if para.bar is not None and places:
                        # A nested quote's paragraphs continue the outer bar too (its offset is smaller).
                        bottom = places[-1].top + para.size * para.line_height
                        bars = extend_bars(bars, para, places[0].top, bottom)
            finally:
                if lists is not None:
                    lists.close(-1)
        self.bars(view, bars, x)

    def bars(self, view: View, bars: Sequence[tuple[float, float, float]], x: float) -> None:
        """Quote bars (x offset from `x`, top, bottom), px."""
        for offset, bar_top, bar_bottom in bars:
            self.rect(view, Box(x + offset, bar_top, QUOTE_BAR, bar_bottom - bar_top),
                      self.theme.color("quote_border"))

    def lay_out(self, para: Para, x: float, y: float, width: float,
                center: bool = False) -> tuple[list[LinePlace], float]:
        """Where a paragraph's lines go from `y` in a text box at `x` `width` px wide; and the y
        under its last line."""
        inner = width - para.margin
        align = Align.CENTER if center and para.align is Align.DEFAULT else para.align
        places = []
        for number, line in enumerate(break_lines(para.runs, self.theme, para.size, inner)):
            places.append(self.place(para, line, x, y, inner, align, first=number == 0))
            y += para.size * para.line_height
        return places, y

    def place(self, para: Para, line: Line, x: float, y: float, width: float, align: Align, *,
              first: bool = False) -> LinePlace:
        """Where one line of a paragraph goes, its line box starting at (x, y) (the text box's left)."""
        left = x + para.margin
        if align is Align.CENTER:
            left += (width - line.width) / 2
        elif align is Align.RIGHT:
            left += width - line.width
        return LinePlace(line, x, left, y, y + baseline(para, self.theme), first)

    def draw_lines(self, view: View, para: Para, places: Sequence[LinePlace], kind: str | None,
                   into: Any = None) -> Any:
        """Lines of one paragraph: inline-code backgrounds, then the text as one structure element,
        then strike lines. Decoration is kept out of the tagged content (an artifact inside a
        paragraph's marked content hides the paragraph from some readers)."""
        for place in places:
            for piece in place.line.pieces:
                if piece.run.background:
                    self._run_background(view, piece.run, place.left + piece.x, place.base, piece.width,
                                         run_size(piece.run, para.size))
        with self.tagged(kind, into=into) if kind != "" else nullcontext() as element:
            for place in places:
                self._line_text(view, para, place)
        for place in places:
            for piece in place.line.pieces:
                if piece.run.strike:
                    size = run_size(piece.run, para.size)
                    self.rect(view, Box(place.left + piece.x, place.base - size * 0.3, piece.width,
                                        max(size * 0.06, 1.0)), piece.run.color or para.color)
        return element

    def _line_text(self, view: View, para: Para, place: LinePlace) -> None:
        if place.first and para.bullet is not None:
            self._bullet(view, para, place.x + para.margin, place.base)
        for piece in place.line.pieces:
            run = piece.run
            rise = para.size * SUPERSCRIPT_RISE if run.superscript else 0.0
            size = run_size(run, para.size)
            color = run.color or para.color
            if piece.lead:
                # The spaces before the piece, in their own width: copied text keeps them.
                self.spaces(view, run, piece.lead, place.left + piece.x - piece.lead_width, place.base - rise,
                            size, color)
            self.piece(view, run, piece.text, place.left + piece.x, place.base - rise, size, color,
                       para.ref, piece.width)
            target = link_target(run.href)
            if target is not None:
                self.link(view, Box(place.left + piece.x, place.top, piece.width,
                                    para.size * para.line_height), target)

    def spaces(self, view: View, run: TextRun, text: str, x: float, base: float, size: float,
               color: str) -> None:
        """Invisible spaces at (x, base): they only make copied and read-aloud text whole."""
        self.font(Face(font_file(self.theme, run)), size * view.k)
        self.pdf.set_text_color(*rgb(color))
        self.pdf.text(view.x + x * view.k, view.y + base * view.k, text)

    def _bullet(self, view: View, para: Para, text_left: float, base: float) -> None:
        """A bullet at the hanging indent; a number right-aligned before the text (as browsers
        put list markers), so "100." does not run into its item."""
        assert para.bullet is not None
        mark = para.bullet.char or f"{para.bullet.start}."
        run = TextRun(mark)
        x = text_left - para.hanging
        if not para.bullet.char:
            gap = para.size * 0.3
            x = min(x, text_left - gap - text_width(mark, font_file(self.theme, run), para.size))
        self.piece(view, run, mark, x, base, para.size, para.color, para.ref)

    def _run_background(self, view: View, run: TextRun, x: float, base: float, width: float,
                        size: float) -> None:
        ascent, descent = vertical_metrics(font_file(self.theme, run))
        pad = size * 0.15
        assert run.background is not None
        self.rect(view, Box(x - pad, base - ascent * size, width + 2 * pad, (ascent + descent) * size),
                  run.background, radius=size * 0.2)

    def piece(self, view: View, run: TextRun, text: str, x: float, base: float, size: float,
              color: str, ref: SourceRef | None = None, width: float | None = None) -> None:
        """Text of one run from `x` on the baseline `base` (px); `width`: as measured, if known."""
        if not text.strip():
            return
        path = font_file(self.theme, run)
        self.pdf.set_text_color(*rgb(color))
        parts = segments(text, Face(path))
        # Characters the theme's font lacks go to the system font that has them (as measured).
        for part, face, drawable in parts:
            if not drawable and ref is not None:
                for char in part:
                    self.missing.setdefault(char, ref)
            if width is None or len(parts) > 1:
                # As the line was measured: the run's font for spaces, fallbacks inside words.
                width = spaced_width(part, path, size)
            self.font(face, size * view.k)
            if not part.isascii() and any(_needs_shaping(c) for c in part) and self._can_shape(part, ref):
                self._shaped(view.x + x * view.k, view.y + base * view.k, part, width * view.k, size * view.k)
            else:
                self._text(view.x + x * view.k, view.y + base * view.k, part, width * view.k, size * view.k)
            x += width

    def _text(self, x: float, y: float, text: str, width: float, size: float) -> None:
        """`text` with its baseline at (x, y) points, spread to end where it was measured to end.

        Measuring applies the font's kerning (as browsers and LibreOffice draw); fpdf2 draws
        without it. The difference, up to a few percent ("AVATAR"), is taken up by character
        spacing, so a run never overlaps the next one or leaves its box.
        """
        drawn = self.pdf.current_font.get_text_width(text, size, None)[1]
        spacing = (width - drawn) / (len(text) - 1) if len(text) > 1 else 0.0
        if abs(spacing) < 0.005:
            self.pdf.text(x, y, text)
            return
        self.pdf.set_char_spacing(spacing)
        self.pdf.text(x, y, text)
        self.pdf.set_char_spacing(0)

    def _can_shape(self, text: str, ref: SourceRef | None) -> bool:
        """Whether fpdf2's shaper (HarfBuzz, with the Unicode bidi algorithm) is on; it is turned on
        at the first text that needs it. Without uharfbuzz the text is drawn unshaped, and said so."""
        if self._shaping is None:
            try:
                self.pdf.set_text_shaping(True)
                self.pdf.c_margin = 0
                self._shaping = True
            except Exception:  # fpdf2 raises its own exception when uharfbuzz is missing
                self._shaping = False
        if not self._shaping and ref is not None:
            self.unshaped.setdefault(ref, next(c for c in text if _needs_shaping(c)))
        return bool(self._shaping)

    def _shaped(self, x: float, y: float, text: str, width: float, size: float) -> None:
        """Right-to-left or joined script through fpdf2's shaping line layout, its baseline at y
        (fpdf2 puts a cell's baseline at top + h / 2 + 0.3 × size), stretched to its measured width."""
        pdf = self.pdf
        drawn = pdf.get_string_width(text)
        stretch = 100.0 * width / drawn if drawn > 0 else 100.0
        if abs(stretch - 100.0) > 0.05:
            pdf.set_stretching(stretch)
        pdf.set_xy(x, y - 0.8 * size)
        pdf.cell(w=width, h=size, text=text)
        if abs(stretch - 100.0) > 0.05:
            pdf.set_stretching(100)

    # ------------------------------------------------------------- slides

    def slide(self, view: View, slide: Slide, plan: SlidePlan, number: int, *, clip: bool = False) -> None:
        """The whole slide: background, title, body, footer; every step shown. `clip` cuts off what
        leaves the slide (a page's edge does that for the slides PDF, not for the handout's frames)."""
        theme = self.theme
        plan = with_images(plan, slide, theme, self.aspects)
        page = slide_box(theme)
        with self.clip(view, page) if clip else nullcontext():
            self._background(view, slide, page)
            self._title(view, slide, plan)
            self._placed(view, plan.body, centered(slide))
            if plan.image is not None:
                self._image(view, plan.image)
            self._footer(view, slide, number)

    def _background(self, view: View, slide: Slide, page: Box) -> None:
        theme = self.theme
        if slide.layout is Layout.TITLE:
            color = theme.color("title_background")
        elif slide.layout is Layout.SECTION:
            color = theme.color("section_background")
        else:
            color = slide.background_color or theme.color("background")
        self.rect(view, page, color)
        picture = self.pictures.get(slide.background_image) if slide.background_image else None
        if picture is not None and slide.background_image is not None:
            # Cover: the image fills the slide, centred, its overflow cut off by the clip.
            scale = max(page.w / picture.width, page.h / picture.height)
            w, h = picture.width * scale, picture.height * scale
            with self.clip(view, page):
                self._picture(view, slide.background_image, picture,
                              Box((page.w - w) / 2, (page.h - h) / 2, w, h), "", vector=False)

    def _title(self, view: View, slide: Slide, plan: SlidePlan) -> None:
        lh_title = plan.title
        if lh_title is not None and plan.title_box is not None:
            box = plan.title_box
            para = link_contrast(self.theme, lh_title)
            height = lines_height([para], self.theme, box.w)
            if slide.layout in (Layout.TITLE, Layout.SECTION):
                top = box.y + (box.h - height) / 2
            else:
                top = box.bottom - height  # content titles sit on the body, as PowerPoint's do
            self.paras(view, [para], box, top=top, tag="/H1")
        if plan.subtitle is not None and plan.subtitle_box is not None:
            self.paras(view, [link_contrast(self.theme, plan.subtitle)], plan.subtitle_box)

    def _placed(self, view: View, placed: Sequence[Placed], center: bool) -> None:
        for p in placed:
            item = p.item
            if isinstance(item, TextItem):
                paras = [link_contrast(self.theme, para) for para in item.paras]
                self.paras(view, paras, p.box, center=center)
            elif isinstance(item, CodeItem):
                self._code(view, item, p.box)
            elif isinstance(item, TableItem):
                self._table(view, item, p.box)
            elif isinstance(item, ImageItem):
                self._image(view, p)
            elif isinstance(item, ColumnsItem):
                for column in p.columns:
                    self._placed(view, column, center)

    def _code(self, view: View, item: CodeItem, box: Box) -> None:
        self.rect(view, box, self.theme.color("code_background"), radius=CODE_RADIUS)
        self.paras(view, item.paras, box.shrink(CODE_PAD_X, CODE_PAD_Y), tag="/Code")

    def _table(self, view: View, item: TableItem, box: Box) -> None:
        """Cells, fills and rules at fit's column widths and row heights; tagged Table/TR/TH/TD."""
        theme = self.theme
        table = item.block
        model_rows = ([table.header] if table.header else []) + list(table.rows)
        y = box.y
        with self.group("/Table"):
            for r, (row, model_row, height) in enumerate(zip(table_rows(table, theme), model_rows,
                                                             item.row_heights, strict=True)):
                with self.group("/TR"):
                    self._row(view, item, r, row, model_row, Box(box.x, y, sum(item.widths), height))
                y += height
        if item.notes:
            gap = sizes_at(theme, item.size / theme.sizes["table"]).gap / 2
            self.paras(view, item.notes, Box(box.x, y + gap, box.w, max(box.bottom - y - gap, 1.0)))

    def _row(self, view: View, item: TableItem, r: int, row: Sequence[tuple[TextRun, ...]],
             model_row: Sequence[Cell], box: Box) -> None:
        theme = self.theme
        table = item.block
        header = bool(table.header) and r == 0
        x = box.x
        for c, (runs, width) in enumerate(zip(row, item.widths, strict=False)):
            cell = model_row[c] if c < len(model_row) else None
            fill = None
            if header:
                fill = theme.color("table_header_background")
                runs = tuple(replace(run, color=None, background=None) for run in runs)
            elif cell is not None and cell.highlight:
                fill = theme.color("table_highlight")
            elif (r - (1 if table.header else 0)) % 2 == 1:
                fill = theme.color("table_stripe")
            cell_box = Box(x, box.y, width, box.h)
            if fill:
                self.rect(view, cell_box, fill)
            color = theme.color("table_header_text") if header else theme.color("text")
            align = table.align[c] if c < len(table.align) else Align.DEFAULT
            lh = theme.sizes["line_height"]
            para = Para(runs, item.size, color, table.ref, align=align, line_height=lh)
            self.paras(view, [para], cell_box.shrink(CELL_PAD_X, CELL_PAD_Y), tag="/TH" if header else "/TD")
            x += width
        if not header:
            self.rect(view, Box(box.x, box.bottom - RULE, box.w, RULE), theme.color("table_border"))

    def _image(self, view: View, placed: Placed) -> None:
        if not isinstance(placed.item, ImageItem):
            return
        block = placed.item.block
        if isinstance(block, QRCode):
            self.qr(view, block.url, placed.box)
            return
        picture = self.pictures.get(block.path)
        if picture is None:
            return  # reported when loading
        max_width = placed.box.w * block.width if block.width else None
        box = fit_image(float(picture.width), float(picture.height), placed.box, max_width)
        self._picture(view, block.path, picture, box, block.alt or block.title)

    def _picture(self, view: View, path: Path, picture: Picture, box: Box, alt: str,
                 vector: bool = True) -> None:
        x, y, w, h = view.box(box)
        if w <= 0 or h <= 0:
            return
        if vector and picture.svg is not None:
            self.vectors.append(Placement(self.pdf.page - 1, picture.svg, x, y, w, h))
            if alt:
                # The figure's alt text in the structure tree; its drawing is added afterwards.
                with self.tagged("/Figure", alt=alt):
                    pass
            return
        # Raster files are embedded as they are, an SVG as its rasterised PNG; fpdf2 keys images by
        # content, so an image on many slides is stored once.
        source: Any = downscaled(picture, PDF_MAX_PIXELS)
        if not source and picture.svg is not None:
            source = rasterise(picture.svg, self.cache)[0]
        if isinstance(source, bytes):
            source = io.BytesIO(source)
        # With alt text fpdf2 tags the image as a figure; without, it is decoration.
        with nullcontext() if alt else self.tagged(None):
            self.pdf.image(source, x=x, y=y, w=w, h=h, alt_text=alt or None)

    def qr(self, view: View, url: str, box: Box) -> None:
        """A vector QR code (dark modules as filled rectangles, a quiet zone), linked to its URL."""
        from deckwright.writers.common.qr import qr_matrix

        matrix = qr_matrix(url)
        modules = len(matrix) + 8  # the quiet zone: four modules each side
        side = min(box.w, box.h)
        square = Box(box.x + (box.w - side) / 2, box.y, side, side)
        dark = self.theme.color("text")
        unit = side / modules
        with self.tagged("/Figure", alt=f"QR code for {url}"):
            self._modules(view, matrix, square, unit, dark)
        target = link_target(url)
        if target is not None:  # the same schemes as text links: no javascript: or file: actions
            self.link(view, square, target)

    def _modules(self, view: View, matrix: tuple[tuple[bool, ...], ...], square: Box, unit: float,
                 dark: str) -> None:
        self.rect(view, square, "#ffffff", artifact=False)
        for r, row in enumerate(matrix):
            c = 0
            while c < len(row):
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < len(row) and row[c]:
                    c += 1
                self.rect(view, Box(square.x + (start + 4) * unit, square.y + (r + 4) * unit,
                                    (c - start) * unit, unit), dark, artifact=False)

    def _footer(self, view: View, slide: Slide, number: int) -> None:
        """Footer text, slide number, running header and logo; the slide's own directives win."""
        if slide.layout is Layout.TITLE:
            return
        theme = self.theme
        boxes = footer_boxes(theme)
        body_color = text_color(slide, theme)
        color = theme.color("muted") if body_color == theme.color("text") else body_color
        size, lh = theme.sizes["footer"], theme.sizes["line_height"]
        footer = slide.footer or ((Span(theme.footer_text),) if theme.footer_text else ())
        if footer:
            self._band(view, Para(inline_runs(footer, theme), size, color, slide.ref, line_height=lh),
                       boxes.text)
        if slide.paginate if slide.paginate is not None else theme.slide_numbers:
            self._band(view, Para((TextRun(str(number)),), size, color, slide.ref, align=Align.RIGHT,
                                  line_height=lh), boxes.number)
        if slide.header:
            self._band(view, Para(inline_runs(slide.header, theme), size, color, slide.ref, line_height=lh),
                       header_box(theme))
        if theme.logo is not None and theme.logo in self.pictures:
            picture = self.pictures[theme.logo]
            logo = fit_image(float(picture.width), float(picture.height), boxes.logo)
            # Left and vertically centred in its band.
            logo = Box(boxes.logo.x, boxes.logo.y + (boxes.logo.h - logo.h) / 2, logo.w, logo.h)
            self._picture(view, theme.logo, picture, logo, "")

    def _band(self, view: View, para: Para, box: Box) -> None:
        """One paragraph centred vertically in a footer or header box."""
        para = link_contrast(self.theme, para)
        height = lines_height([para], self.theme, box.w)
        self.paras(view, [para], box, top=box.y + (box.h - height) / 2, tag=None)
