"""How much a deck may hold before it is refused: text per slide, slides, lines, a QR code's URL."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from deckwright.diagnostics import Diagnostic, SourceRef, error
from deckwright.model.deck import (
    Block,
    CodeBlock,
    Heading,
    Inline,
    ListBlock,
    MathBlock,
    Paragraph,
    QRCode,
    RawHtml,
    Slide,
    Table,
    iter_blocks,
)

# Ten times what the smallest text fills on a slide: more can only overflow, and laying it out
# costs seconds per 100,000 characters (fit tries several sizes).
MAX_SLIDE_CHARS = 50_000
# Far past any talk; 5,000 slides build in a few seconds.
MAX_SLIDES = 5_000
# The most bytes a QR code holds at its error level M (version 40, byte mode).
MAX_QR_BYTES = 2_331
# Lines of Markdown in the whole deck: 100,000 one-line list items take markdown-it about 10 s.
MAX_DECK_LINES = 100_000


def too_many_lines(path: str, line: int) -> Diagnostic:
    """The error at the line of `path` that takes the deck past MAX_DECK_LINES."""
    return error(SourceRef(path, line), f"the deck's Markdown runs past {MAX_DECK_LINES:,} lines here, "
                                        f"more than deckwright reads: split it into several decks")


def limit_diags(slides: Sequence[Slide]) -> list[Diagnostic]:
    """Errors at each slide past MAX_SLIDE_CHARS, QR code past MAX_QR_BYTES, and the slide past MAX_SLIDES."""
    diags: list[Diagnostic] = []
    if len(slides) > MAX_SLIDES:
        diags.append(error(slides[MAX_SLIDES].ref, f"the deck has {len(slides):,} slides, more than the "
                                                   f"{MAX_SLIDES:,} deckwright builds: split it into "
                                                   "several decks"))
    for number, slide in enumerate(slides, 1):
        for block in iter_blocks(slide.blocks):
            if isinstance(block, QRCode) and len(block.url.encode("utf-8", "surrogatepass")) > MAX_QR_BYTES:
                diags.append(error(block.ref, f"the QR code's URL has {len(block.url):,} characters, more "
                                              f"than a QR code holds ({MAX_QR_BYTES:,} bytes): shorten it"))
        size = slide_chars(slide)
        if size > MAX_SLIDE_CHARS:
            diags.append(error(slide.ref, f"slide {number} holds {size:,} characters, more than the "
                                          f"{MAX_SLIDE_CHARS:,} a slide may hold: split it into "
                                          "several slides"))
    return diags


def slide_chars(slide: Slide) -> int:
    """Characters on a slide and in its notes: titles, text, list items, code, math, cells, link targets."""
    return (_text(slide.title) + _text(slide.subtitle)
            + _chars(slide.blocks) + _chars(slide.notes))


def _text(inline: Inline) -> int:
    # A link's target counts: a 100,000-character URL is as much to write as its text.
    return sum(len(span.text) + len(span.href or "") for span in inline)


def _chars(blocks: Iterable[Block]) -> int:
    total = 0
    for block in iter_blocks(blocks):
        if isinstance(block, Heading | Paragraph):
            total += _text(block.content)
        elif isinstance(block, ListBlock):
            total += sum(_text(item.content) for item in block.items)
        elif isinstance(block, CodeBlock):
            total += len(block.code)
        elif isinstance(block, MathBlock):
            total += len(block.tex)
        elif isinstance(block, Table):
            total += sum(_text(cell.content) for row in (block.header, *block.rows) for cell in row)
        elif isinstance(block, RawHtml):
            total += len(block.html)
        elif isinstance(block, QRCode):
            total += len(block.url)
    return total
