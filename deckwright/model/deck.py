"""The typed, immutable deck model: readers produce it, writers consume it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from deckwright.diagnostics import SourceRef

# --------------------------------------------------------------------------- inline


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with one set of styles. A hard line break is a Span with text "\\n"."""

    text: str
    bold: bool = False
    italic: bool = False
    strike: bool = False
    code: bool = False
    href: str | None = None
    # Footnote marker (e.g. "1" for a data-table cell note): written as superscript.
    superscript: bool = False
    # Inline math: `text` is its TeX (checked by the reader), without the dollars.
    math: bool = False


Inline = tuple[Span, ...]


def plain_text(inline: Inline) -> str:
    """The text of an inline sequence without styles."""
    return "".join(s.text for s in inline)


# --------------------------------------------------------------------------- blocks
#
# Every block carries `ref` (its source path:line) and `step`: 0 means visible when the
# slide opens, k > 0 means it appears at the k-th click (reveal.js fragment index k,
# PowerPoint click animation k). Steps on one slide are numbered 1, 2, 3 … without gaps.


class Align(str, Enum):
    DEFAULT = ""
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class Heading:
    ref: SourceRef
    level: int
    content: Inline
    step: int = 0


@dataclass(frozen=True, slots=True)
class Paragraph:
    ref: SourceRef
    content: Inline
    step: int = 0


@dataclass(frozen=True, slots=True)
class ListItem:
    ref: SourceRef
    # The item's own text (first paragraph) and what follows it: more paragraphs, nested lists.
    content: Inline
    children: tuple[Block, ...] = ()
    step: int = 0


@dataclass(frozen=True, slots=True)
class ListBlock:
    ref: SourceRef
    items: tuple[ListItem, ...]
    ordered: bool = False
    start: int = 1
    step: int = 0


@dataclass(frozen=True, slots=True)
class CodeBlock:
    ref: SourceRef
    code: str
    language: str | None = None
    step: int = 0


@dataclass(frozen=True, slots=True)
class MathBlock:
    """Display math (`$$…$$`, `\\[…\\]`): its TeX, checked by the reader, without the delimiters."""

    ref: SourceRef
    tex: str
    step: int = 0

    def as_code(self) -> CodeBlock:
        """Its TeX as a code block: how outputs that do not typeset math yet show it."""
        return CodeBlock(self.ref, self.tex, "math", self.step)


@dataclass(frozen=True, slots=True)
class Cell:
    content: Inline
    # An empty / not-applicable value (rendered as an em dash), distinct from missing data.
    empty: bool = False
    highlight: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    ref: SourceRef
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    align: tuple[Align, ...]
    caption: Inline = ()
    # Notes under the table, numbered from 1; cells refer to them with superscript markers.
    footnotes: tuple[Inline, ...] = ()
    # The first column holds row labels (data tables): writers may style it like a header.
    row_header: bool = False
    # Name of the data table this came from, if generated ("terminology"), else None.
    source: str | None = None
    step: int = 0
    # Column widths as fractions of the table's width, fixed when a table is split so that its
    # continuation parts line up, then for every table by tables.fix_column_widths (so all outputs
    # draw the same columns); () = decided from the content. Use tables.column_widths().
    widths: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Image:
    ref: SourceRef
    # Absolute path of a file inside the project (checked by the reader).
    path: Path
    alt: str
    title: str = ""
    # Requested width as a fraction of the available width (None = fit).
    width: float | None = None
    step: int = 0


@dataclass(frozen=True, slots=True)
class Quote:
    ref: SourceRef
    blocks: tuple[Block, ...]
    step: int = 0


@dataclass(frozen=True, slots=True)
class Column:
    ref: SourceRef
    blocks: tuple[Block, ...]
    # Width as a fraction of the slide's content width (0 < width <= 1), None = share equally.
    width: float | None = None


@dataclass(frozen=True, slots=True)
class Columns:
    ref: SourceRef
    columns: tuple[Column, ...]
    step: int = 0


@dataclass(frozen=True, slots=True)
class RawHtml:
    """HTML written in the Markdown: emitted by the HTML writer only (reported elsewhere)."""

    ref: SourceRef
    html: str
    step: int = 0


@dataclass(frozen=True, slots=True)
class QRCode:
    """A QR code for a URL (the deck's `url` on title and closing slides)."""

    ref: SourceRef
    url: str
    step: int = 0


Block = (Heading | Paragraph | ListBlock | CodeBlock | MathBlock | Table | Image | Quote | Columns | RawHtml
         | QRCode)


# --------------------------------------------------------------------------- slides


class Layout(str, Enum):
    """Named layouts; the PPTX writer maps them to slide layouts by these names."""

    TITLE = "title"  # title slide from the deck metadata
    SECTION = "section"  # section divider: a big title
    CONTENT = "content"  # title and content
    TWO_COLUMNS = "two-columns"  # title and Columns (widths honoured)
    IMAGE_RIGHT = "image-right"  # text on the left, one image on the right
    IMAGE_LEFT = "image-left"
    BLANK = "blank"  # no title placeholder


@dataclass(frozen=True, slots=True)
class Slide:
    ref: SourceRef
    layout: Layout
    title: Inline = ()
    subtitle: Inline = ()
    blocks: tuple[Block, ...] = ()
    # Speaker notes as blocks (paragraphs, lists, code…).
    notes: tuple[Block, ...] = ()
    # Extra CSS classes asked for by the author (e.g. "smaller", "center").
    classes: tuple[str, ...] = ()
    # Background colour (CSS colour string) or image (absolute path), if any.
    background_color: str | None = None
    background_image: Path | None = None
    # reveal.js vertical stacks: slides with the same `stack` number > 0 form one column.
    # 0 = a plain horizontal slide. Other writers show slides in order regardless.
    stack: int = 0
    # The number of clicks this slide needs (the highest step on it).
    steps: int = 0
    # When a table is split over several slides, "2/3" etc.; shown after the title.
    continuation: str = ""
    # Set by fit: the factor applied to the theme's text sizes so the content fits its box
    # (1.0 = theme size; never below the theme's floor, e.g. body_min / body).
    font_scale: float = 1.0
    # Marp's header / footer / paginate directives: a running header and footer text and the slide
    # number (None = the theme's default). Writers place them in the footer band.
    header: Inline = ()
    footer: Inline = ()
    paginate: bool | None = None


@dataclass(frozen=True, slots=True)
class DeckMeta:
    title: str = ""
    subtitle: str = ""
    author: str = ""
    date: str = ""
    url: str = ""
    theme: str = "default"
    lang: str = "en"
    description: str = ""
    keywords: tuple[str, ...] = ()
    # Output base name: dist/<slug>.pptx, dist/<slug>/index.html …
    slug: str = "deck"
    # Speaker notes of the generated title slide (front-matter `notes:`), paragraphs split by blank lines.
    notes: str = ""
    # Where `theme` was set (deck.yaml or front matter), for diagnostics about the theme.
    theme_ref: SourceRef | None = None
    # Some file (or deck.yaml) set `allow_scripts: true`: the HTML page lets the deck's own scripts run.
    allow_scripts: bool = False


@dataclass(frozen=True, slots=True)
class Deck:
    meta: DeckMeta
    slides: tuple[Slide, ...]
    # The project root: writers resolve nothing outside it.
    root: Path = field(default_factory=Path)


def iter_blocks(blocks: Iterable[Block]) -> Iterator[Block]:
    """Every block, depth first, including those nested in lists, quotes and columns."""
    for block in blocks:
        yield block
        if isinstance(block, ListBlock):
            for item in block.items:
                yield from iter_blocks(item.children)
        elif isinstance(block, Quote):
            yield from iter_blocks(block.blocks)
        elif isinstance(block, Columns):
            for column in block.columns:
                yield from iter_blocks(column.blocks)


def deck_images(deck: Deck) -> list[tuple[Path, SourceRef]]:
    """Every image file the deck shows (backgrounds, blocks, notes) with where it is named."""
    found: list[tuple[Path, SourceRef]] = []
    for slide in deck.slides:
        if slide.background_image is not None:
            found.append((slide.background_image, slide.ref))
        for block in iter_blocks((*slide.blocks, *slide.notes)):
            if isinstance(block, Image):
                found.append((block.path, block.ref))
    return found


def _inlines(block: Block) -> Iterator[Inline]:
    """The inline content a block holds itself (not that of blocks nested in it)."""
    if isinstance(block, (Heading, Paragraph)):
        yield block.content
    elif isinstance(block, ListBlock):
        yield from (item.content for item in block.items)
    elif isinstance(block, Table):
        yield from (cell.content for cell in block.header)
        yield from (cell.content for row in block.rows for cell in row)
        yield block.caption
        yield from block.footnotes


def deck_formulas(deck: Deck) -> Iterator[tuple[str, bool, SourceRef]]:
    """Every formula of the deck as (TeX, display, where), in reading order, repeats included.
    `where` is the line of the block that holds it (the slide's, for titles and footers)."""
    for slide in deck.slides:
        for part in (slide.title, slide.subtitle, slide.header, slide.footer):
            yield from ((s.text, False, slide.ref) for s in part if s.math)
        for block in iter_blocks((*slide.blocks, *slide.notes)):
            if isinstance(block, MathBlock):
                yield block.tex, True, block.ref
            for inline in _inlines(block):
                yield from ((s.text, False, block.ref) for s in inline if s.math)


def first_math(deck: Deck) -> SourceRef | None:
    """Where the deck's first formula is (inline or display), None if it has none."""
    for slide in deck.slides:
        if any(s.math for part in (slide.title, slide.subtitle, slide.header, slide.footer) for s in part):
            return slide.ref
        for block in iter_blocks((*slide.blocks, *slide.notes)):
            if isinstance(block, MathBlock) or any(s.math for inline in _inlines(block) for s in inline):
                return block.ref
    return None
