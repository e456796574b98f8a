"""One PDF document drawn with fpdf2: its metadata and date set, outline entries, and its bytes
with the problems met drawing it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deckwright.diagnostics import Diagnostic, SourceRef, warning
from deckwright.model.deck import Deck, DeckMeta, Layout, Slide, plain_text
from deckwright.model.theme import Theme
from deckwright.support.diskcache import DiskCache
from deckwright.writers.common.document import DocumentMeta
from deckwright.writers.common.images import Picture
from deckwright.writers.pdf.painter import Painter
from deckwright.writers.pdf.tags import structure_builder
from deckwright.writers.pdf.vector import place_vectors

# --------------------------------------------------------------------------- outline


def bookmark_level(slide: Slide) -> int:
    """Outline depth: the title slide and section dividers are chapters, other slides below them."""
    return 1 if slide.layout in (Layout.TITLE, Layout.SECTION) else 2


def bookmark_label(slide: Slide, number: int) -> str:
    """The outline entry: the slide's title (with its continuation), or "Slide n" without one."""
    title = " ".join(plain_text(slide.title).split())
    if slide.continuation:
        title = f"{title} ({slide.continuation})".strip()
    return title or f"Slide {number}"


def outline_levels(slides: Sequence[Slide]) -> list[int]:
    """0-based outline levels: slides go under the chapter before them; before any, at the top."""
    levels: list[int] = []
    chapter = False
    for slide in slides:
        level = bookmark_level(slide) - 1
        chapter = chapter or level == 0
        levels.append(level if chapter else 0)
    return levels


# --------------------------------------------------------------------------- the document


class Collect(logging.Handler):
    """fpdf2's warnings (a glyph missing from a font), kept as diagnostics."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        # Missing glyphs are reported by the painter, at the line that uses them.
        if "missing the following glyphs" not in message:
            self.messages.append(message)


@contextmanager
def collected() -> Iterator[Collect]:
    handler = Collect()
    logger = logging.getLogger("fpdf")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def new_document(meta: DeckMeta, doc: DocumentMeta, width_pt: float, height_pt: float,
                 title_suffix: str = "") -> Any:
    """An empty fpdf2 document with the deck's metadata and a fixed date (or none).

    `doc` is the rule the PPTX follows too (common/document.py); the PDF has no description entry.
    """
    from fpdf import FPDF

    pdf: Any = FPDF(orientation="P", unit="pt", format=(width_pt, height_pt))
    pdf.struct_builder = structure_builder(pdf)
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_compression(True)
    # Viewers show the title in their window bar (the file name when there is none): never empty.
    pdf.set_title((doc.title or meta.slug) + title_suffix)
    if doc.author:
        pdf.set_author(doc.author)
    if doc.subject:
        pdf.set_subject(doc.subject)
    if doc.keywords:
        pdf.set_keywords(doc.keywords)
    pdf.set_lang(meta.lang or "en")
    pdf.set_creator("deckwright")
    pdf.set_producer("deckwright")
    pdf.creation_date = doc.date
    return pdf


def document_bytes(pdf: Any) -> bytes:
    """The finished document. Without a date, no /CreationDate at all (fpdf2 would write "now")."""
    from fpdf.output import OutputProducer, PDFInfo

    class Producer(OutputProducer):
        def _add_info(self) -> PDFInfo:
            if self.fpdf.creation_date is not None:
                return super()._add_info()
            fpdf = self.fpdf
            info = PDFInfo(title=fpdf.title, subject=getattr(fpdf, "subject", None),
                           author=getattr(fpdf, "author", None), keywords=getattr(fpdf, "keywords", None),
                           creator=getattr(fpdf, "creator", None), producer=getattr(fpdf, "producer", None),
                           creation_date=None)  # type: ignore[arg-type]  # None: left out
            self._add_pdf_obj(info)
            return info

    return bytes(pdf.output(output_producer_class=Producer))


def bookmark(pdf: Any, slide: Slide, number: int, level: int, y_pt: float) -> None:
    pdf.set_y(y_pt)
    pdf.start_section(bookmark_label(slide, number), level)


def draw_document(deck: Deck, theme: Theme, pictures: Mapping[Path, Picture], doc: DocumentMeta,
                  cache: DiskCache, size_pt: tuple[float, float], draw: Callable[[Any, Painter], None],
                  title_suffix: str = "") -> Drawn:
    """A document of pages `size_pt` that `draw` fills (with fpdf2's document and a painter on it);
    its bytes and the problems met while drawing."""
    with collected() as collect:
        pdf = new_document(deck.meta, doc, *size_pt, title_suffix)
        painter = Painter(pdf, theme, pictures, cache)
        draw(pdf, painter)
        return finish(pdf, painter, cache, collect, deck.slides[0].ref if deck.slides else None)


@dataclass(frozen=True, slots=True)
class Drawn:
    """One document's bytes and what went wrong drawing it (nothing wrong: it may be cached)."""

    data: bytes
    problems: list[Diagnostic]


def finish(pdf: Any, painter: Painter, cache: DiskCache, collect: Collect,
            first: SourceRef | None) -> Drawn:
    """The document's bytes, with its SVG images drawn as vectors, and its problems."""
    data = place_vectors(document_bytes(pdf), painter.pictures.vectors, cache)
    unshaped = [warning(ref, f"PDF: {char!r} needs text shaping (right-to-left or joined letters), which "
                             "needs the uharfbuzz package: drawn unshaped")
                for ref, char in painter.canvas.unshaped.items()]
    return Drawn(data, [*missing_glyphs(painter.canvas.missing), *unshaped,
                        *(warning(first, f"PDF: {m}") for m in dict.fromkeys(collect.messages))])


def missing_glyphs(missing: Mapping[str, SourceRef]) -> list[Diagnostic]:
    """One warning per source line naming the characters no font could draw."""
    by_ref: dict[SourceRef, list[str]] = {}
    for char, ref in missing.items():
        by_ref.setdefault(ref, []).append(f"{char} (U+{ord(char):04X})")
    return [warning(ref, f"PDF: no installed font has {', '.join(chars)}: shown as an empty box")
            for ref, chars in by_ref.items()]


