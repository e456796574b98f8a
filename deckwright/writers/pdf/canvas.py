"""The page drawn on: one fpdf2 document's fonts, fills, rectangles, clips, links and structure tags."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from deckwright.diagnostics import SourceRef
from deckwright.layout.fonts import Face, quiet_fonttools
from deckwright.layout.geometry import Box
from deckwright.model.theme import Theme
from deckwright.support.colors import rgb


@dataclass(frozen=True, slots=True)
class View:
    """Slide px onto a page: page point = origin + px × k (points, y down as fpdf2 counts)."""

    x: float
    y: float
    k: float

    def box(self, box: Box) -> tuple[float, float, float, float]:
        return self.x + box.x * self.k, self.y + box.y * self.k, box.w * self.k, box.h * self.k


class Canvas:
    """One fpdf2 document drawn in slide px (through a View); each font registered once.

    It also keeps what drawing text met, for the document's diagnostics: characters no font
    could draw, and lines drawn unshaped. `shaping` is fpdf2's text shaping: None until text
    needs it (text.py turns it on), then whether it could be turned on.
    """

    def __init__(self, pdf: Any, theme: Theme) -> None:
        self.pdf = pdf
        self.theme = theme
        self.fonts: dict[Face, str] = {}
        self._font: tuple[str, float] | None = None
        # Characters no font could draw, with where each first appears.
        self.missing: dict[str, SourceRef] = {}
        # Lines with right-to-left or joined scripts drawn unshaped (no uharfbuzz), with one such character.
        self.unshaped: dict[SourceRef, str] = {}
        self.shaping: bool | None = None

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
