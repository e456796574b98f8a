"""The handout: each slide in a frame with its speaker notes below, paginated on A4 and drawn."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from deckwright.diagnostics import SourceRef
from deckwright.layout import text as measure
from deckwright.layout.flow import NOTES_CODE_SCALE, notes_paras
from deckwright.layout.geometry import Box
from deckwright.layout.plan import Para, Plan
from deckwright.layout.text import Line, TextRun, break_lines
from deckwright.model.deck import Align, Deck, DeckMeta, Slide
from deckwright.model.theme import Theme
from deckwright.support.diskcache import NO_CACHE, DiskCache
from deckwright.writers.common.document import DocumentMeta
from deckwright.writers.common.images import Picture
from deckwright.writers.common.svg import PT_PER_PX
from deckwright.writers.pdf.canvas import View
from deckwright.writers.pdf.document import (
    Drawn,
    bookmark,
    draw_document,
    outline_levels,
)
from deckwright.writers.pdf.painter import Painter
from deckwright.writers.pdf.text import LinePlace

# The handout is laid out in CSS px (1 px = 0.75 pt), as slides are.
PX_PER_MM = 96 / 25.4
PAGE_W = 210.0 * PX_PER_MM
PAGE_H = 297.0 * PX_PER_MM
MARGIN_X = 20.0 * PX_PER_MM
MARGIN_TOP = 20.0 * PX_PER_MM
MARGIN_BOTTOM = 18.0 * PX_PER_MM
SLIDE_W = 140.0 * PX_PER_MM
# Header and footer: 9 pt, 4 mm from the text area.
BAND_SIZE = 12.0
BAND_GAP = 4.0 * PX_PER_MM
NOTES_SIZE = 14.0  # 10.5 pt
NOTES_LINE_HEIGHT = 1.4
FRAME_GAP = 4.0 * PX_PER_MM  # between a slide and its notes
ITEM_GAP = 8.0 * PX_PER_MM  # after a slide's notes


@dataclass(frozen=True, slots=True)
class Frame:
    """Slide `index` (0-based) drawn into `box` on the page."""

    index: int
    box: Box


@dataclass(frozen=True, slots=True)
class NoteLine:
    """One line of slide `index`'s notes paragraph with the top of its line box."""

    index: int
    para: Para
    line: Line
    first: bool
    y: float


@dataclass(frozen=True, slots=True)
class Page:
    frames: tuple[Frame, ...]
    lines: tuple[NoteLine, ...]


def text_width() -> float:
    return PAGE_W - 2 * MARGIN_X


def frame_box(theme: Theme, y: float) -> Box:
    """The slide's frame, centred across the text area, at `y`."""
    height = SLIDE_W * theme.height / theme.width
    return Box(MARGIN_X + (text_width() - SLIDE_W) / 2, y, SLIDE_W, height)


def header_text(meta: DeckMeta) -> tuple[str, str]:
    """(left, right) of the running header: the deck title, then author and date."""
    right = " · ".join(_one_line(p) for p in (meta.author, meta.date) if p)
    return _one_line(meta.title or meta.slug), right


def _one_line(text: str) -> str:
    # A YAML block scalar (`title: |`) or "\n" gives lines: the header has one, and the text
    # layout (raqm) fails on a line end.
    return " ".join(text.split()) if "\n" in text else text


def fit_header(left: str, right: str, theme: Theme, size: float = BAND_SIZE) -> tuple[str, str]:
    """The header's two parts shortened with "…" so that they never meet on the line."""
    font = theme.fonts["body"].file()
    gap = size * 2
    room = text_width()
    right = _shorten(right, font, size, room / 2 - gap / 2) if right else right
    used = measure.text_width(right, font, size) + gap if right else 0.0
    return _shorten(left, font, size, room - used), right


def _shorten(text: str, font: Path, size: float, width: float) -> str:
    if measure.text_width(text, font, size) <= width:
        return text
    while text and measure.text_width(text.rstrip() + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""


def notes_for(slide: Slide, theme: Theme) -> list[Para]:
    """The slide's notes as paragraphs; text a little more open than on slides, code as it is."""
    return [p if is_code(p) else replace(p, line_height=NOTES_LINE_HEIGHT)
            for p in notes_paras(slide.notes, theme, NOTES_SIZE)]


def is_code(para: Para) -> bool:
    """A line of a code block in the notes (notes_paras sets code at 0.9 × the notes size)."""
    return para.size == NOTES_SIZE * NOTES_CODE_SCALE and all(r.font == "code" and not r.background
                                                              for r in para.runs)


def paginate(slides: Sequence[Slide], theme: Theme) -> list[Page]:
    """Pages of frames and notes lines. A slide and its notes stay together when they fit on a
    page (short notes put two slides on a page); longer notes continue on the next page."""
    top, bottom = MARGIN_TOP, PAGE_H - MARGIN_BOTTOM
    pages: list[Page] = []
    frames: list[Frame] = []
    lines: list[NoteLine] = []
    y = top

    def new_page() -> None:
        nonlocal frames, lines, y
        pages.append(Page(tuple(frames), tuple(lines)))
        frames, lines, y = [], [], top

    width = text_width()
    for index, slide in enumerate(slides):
        frame_h = frame_box(theme, 0).h
        entries = _note_entries(notes_for(slide, theme), theme, width)
        need = frame_h + (FRAME_GAP + _height(entries) if entries else 0.0)
        if (frames or lines) and y + need > bottom:
            new_page()
        frames.append(Frame(index, frame_box(theme, y)))
        y += frame_h + (FRAME_GAP if entries else 0.0)
        for para, line, first in entries:
            space = para.space_before if first else 0.0
            height = para.size * para.line_height
            if y + space + height > bottom and (frames or lines):
                new_page()
                space = 0.0
            lines.append(NoteLine(index, para, line, first, y + space))
            y += space + height
        y += ITEM_GAP
    if frames or lines:
        pages.append(Page(tuple(frames), tuple(lines)))
    return pages


def _note_entries(paras: Sequence[Para], theme: Theme, width: float) -> list[tuple[Para, Line, bool]]:
    """Every notes line: (paragraph, line, whether it is the paragraph's first)."""
    return [(para, line, k == 0) for para in paras
            for k, line in enumerate(break_lines(para.runs, theme, para.size, width - para.margin))]


def _height(entries: Sequence[tuple[Para, Line, bool]]) -> float:
    return sum(p.size * p.line_height + (p.space_before if first else 0.0) for p, _, first in entries)


def footer_text(number: int, total: int) -> str:
    return f"{number} / {total}"


# --------------------------------------------------------------------------- drawing


FRAME_LINE = 1.0  # px, the frame around each slide


def handout_pdf(deck: Deck, plan: Plan, theme: Theme, pictures: Mapping[Path, Picture],
                doc: DocumentMeta, cache: DiskCache = NO_CACHE) -> Drawn:
    """A4 pages: each slide in a frame with its notes below, the deck title above, page n / N below."""
    size = (PAGE_W * PT_PER_PX, PAGE_H * PT_PER_PX)
    return draw_document(deck, theme, pictures, doc, cache, size,
                         lambda pdf, painter: _draw(pdf, painter, deck, plan, theme), " (handout)")


def _draw(pdf: Any, painter: Painter, deck: Deck, plan: Plan, theme: Theme) -> None:
    page_view = View(0.0, 0.0, PT_PER_PX)
    pages = paginate(deck.slides, theme)
    levels = outline_levels(deck.slides)
    left, right = fit_header(*header_text(deck.meta), theme)
    for number, page in enumerate(pages, start=1):
        pdf.add_page()
        _bands(painter, page_view, theme, left, right, footer_text(number, len(pages)))
        # Reading order: notes continued from the page before, then each slide and its notes.
        framed = {frame.index for frame in page.frames}
        _notes(painter, page_view, theme, [e for e in page.lines if e.index not in framed])
        for frame in page.frames:
            slide = deck.slides[frame.index]
            bookmark(pdf, slide, frame.index + 1, levels[frame.index], frame.box.y * PT_PER_PX)
            k = frame.box.w * PT_PER_PX / theme.width
            view = View(frame.box.x * PT_PER_PX, frame.box.y * PT_PER_PX, k)
            painter.slide(view, slide, plan.slides[frame.index], frame.index + 1, clip=True)
            painter.outline(page_view, frame.box, theme.color("table_border"), FRAME_LINE)
            _notes(painter, page_view, theme, [e for e in page.lines if e.index == frame.index])


def _notes(painter: Painter, view: View, theme: Theme, lines: Sequence[NoteLine]) -> None:
    """Notes lines: code lines on a tinted band; tagged and with quote bars as on the slides,
    each paragraph's lines on this page one group."""
    groups: list[tuple[Para, list[LinePlace]]] = []
    for entry in lines:
        para = entry.para
        width = text_width() - para.margin
        if is_code(para):
            band = Box(MARGIN_X + para.margin - 4, entry.y, width + 8, para.size * para.line_height)
            painter.rect(view, band, theme.color("code_background"))
        place = painter.place(para, entry.line, MARGIN_X, entry.y, width, para.align, first=entry.first)
        if groups and groups[-1][0] is para:
            groups[-1][1].append(place)
        else:
            groups.append((para, [place]))
    # Runs of code lines are one /Code each; everything else as on the slides.
    start = 0
    while start < len(groups):
        code = is_code(groups[start][0])
        end = start
        while end < len(groups) and is_code(groups[end][0]) == code:
            end += 1
        painter.groups(view, groups[start:end], MARGIN_X, "/Code" if code else "/P")
        start = end


def _bands(painter: Painter, view: View, theme: Theme, left: str, right: str, footer: str) -> None:
    """The running header (title left, author and date right) and the page number, centred."""

    muted = theme.color("muted")
    ref = SourceRef("")
    width = text_width()
    top = MARGIN_TOP - BAND_GAP - BAND_SIZE * 1.25
    for text, align in ((left, Align.LEFT), (right, Align.RIGHT)):
        if text:
            para = Para((TextRun(text),), BAND_SIZE, muted, ref, align=align)
            painter.paras(view, [para], Box(MARGIN_X, top, width, BAND_SIZE * 1.25), tag=None)
    para = Para((TextRun(footer),), BAND_SIZE, muted, ref, align=Align.CENTER)
    painter.paras(view, [para], Box(MARGIN_X, PAGE_H - MARGIN_BOTTOM + BAND_GAP, width, BAND_SIZE * 1.25),
                  tag=None)
