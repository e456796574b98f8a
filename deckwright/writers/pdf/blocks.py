"""Paragraphs as blocks on the page: runs of paragraphs tagged as lists, headings or one code block, with
their quote bars; code blocks on their tinted box."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from deckwright.layout.flow import CODE_PAD_X, CODE_PAD_Y
from deckwright.layout.geometry import Box
from deckwright.layout.plan import CodeItem, Para
from deckwright.writers.pdf.canvas import Canvas, View
from deckwright.writers.pdf.text import LinePlace, draw_lines, lay_out

# Quote bars, px.
QUOTE_BAR = 4.0
CODE_RADIUS = 6.0

# (x offset from the text box's left, top, bottom) of a quote bar, px.
Bar = tuple[float, float, float]


def extend_bars(bars: list[Bar], para: Para, top: float, bottom: float) -> list[Bar]:
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

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.levels: list[_ListLevel] = []

    def place(self, para: Para) -> tuple[str, Any]:
        """(tag, element to continue or None) for the paragraph."""
        self.close(para.level)
        if para.bullet is not None:
            if not self.levels or self.levels[-1].level < para.level:
                under = self.levels[-1].item if self.levels else None
                self.canvas.begin_group("/L", under)
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
            self.canvas.end_group()


def paras(canvas: Canvas, view: View, paragraphs: Sequence[Para], box: Box, *, center: bool = False,
          top: float | None = None, tag: str | None = "/P") -> float:
    """Draw paragraphs from the top of `box` (or `top`); returns the y (px) under the last.

    Each paragraph is one `tag` element (see `groups`); None: artifacts.
    """
    y = box.y if top is None else top
    laid_out: list[tuple[Para, list[LinePlace]]] = []
    for para in paragraphs:
        y += para.space_before
        places, y = lay_out(canvas.theme, para, box.x, y, box.w, center)
        laid_out.append((para, places))
    groups(canvas, view, laid_out, box.x, tag)
    return y


def groups(canvas: Canvas, view: View, laid_out: Sequence[tuple[Para, Sequence[LinePlace]]], x: float,
           tag: str | None) -> None:
    """Paragraphs already laid out, in reading order, with their quote bars (x: the text box's
    left). Tagged `tag` each, except: a heading /H2, a list /L of /LI (nested lists inside, an
    item's later paragraphs part of it), `tag` "/Code" one element for all (a code block)."""
    bars: list[Bar] = []
    lists = ListTags(canvas) if tag == "/P" else None
    with canvas.tagged(tag) if tag == "/Code" else nullcontext():
        try:
            for para, places in laid_out:
                kind, into = _kind(lists, para, tag)
                element = draw_lines(canvas, view, para, places, kind if tag != "/Code" else "", into)
                if lists is not None and kind == "/LI" and into is None:
                    lists.started(para, element)
                if para.bar is not None and places:
                    # A nested quote's paragraphs continue the outer bar too (its offset is smaller).
                    bottom = places[-1].top + para.size * para.line_height
                    bars = extend_bars(bars, para, places[0].top, bottom)
        finally:
            if lists is not None:
                lists.close(-1)
    draw_bars(canvas, view, bars, x)


def _kind(lists: ListTags | None, para: Para, tag: str | None) -> tuple[str | None, Any]:
    """(tag, element to continue or None) of one paragraph: where `lists` puts it, a paragraph
    of headings runs alone an /H2; without lists, `tag` as it is."""
    if lists is None:
        return tag, None
    kind, into = lists.place(para)
    if kind == "/P" and para.runs and all(r.font == "heading" for r in para.runs):
        kind = "/H2"
    return kind, into


def draw_bars(canvas: Canvas, view: View, bars: Sequence[Bar], x: float) -> None:
    """Quote bars (x offset from `x`, top, bottom), px."""
    for offset, bar_top, bar_bottom in bars:
        canvas.rect(view, Box(x + offset, bar_top, QUOTE_BAR, bar_bottom - bar_top),
                    canvas.theme.color("quote_border"))


def code(canvas: Canvas, view: View, item: CodeItem, box: Box) -> None:
    """A code block: its rounded tinted box, and its lines as one /Code element."""
    canvas.rect(view, box, canvas.theme.color("code_background"), radius=CODE_RADIUS)
    paras(canvas, view, item.paras, box.shrink(CODE_PAD_X, CODE_PAD_Y), tag="/Code")
