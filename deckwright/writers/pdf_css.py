"""Print stylesheets for the PDF writer: a reset, slide pages, and the A4 handout (CSS paged media)."""

from __future__ import annotations

from deckwright.css import font_stack
from deckwright.model import DeckMeta
from deckwright.theme import Theme

# The same zeroing reveal.js's reset.css does for the HTML output, so that text sits where
# layout.py and fit put it: WeasyPrint's user-agent sheet gives <p>, <figure>, <h1>… margins.
RESET_CSS = """\
html, body, div, span, h1, h2, h3, h4, h5, h6, p, blockquote, pre, a, code, em, img, s, strong,
sub, sup, ol, ul, li, table, caption, tbody, tfoot, thead, tr, th, td, article, aside, figure,
figcaption, footer, header, section, svg {
  font-size: 100%; font: inherit; vertical-align: baseline; border: 0; margin: 0; padding: 0; }
article, aside, figcaption, figure, footer, header, section { display: block; }
"""

# The outline: the title slide and sections are chapters (level 1), other slides level 2;
# headings inside slides and notes add nothing (WeasyPrint bookmarks h1-h6 by default).
OUTLINE_CSS = """\
h1, h2, h3, h4, h5, h6 { bookmark-level: none; }
[data-level="1"] { bookmark-level: 1; bookmark-label: attr(data-bookmark); }
[data-level="2"] { bookmark-level: 2; bookmark-label: attr(data-bookmark); }
"""

# A4 portrait, in millimetres: page margins and the width of the scaled-down slide.
A4_WIDTH_MM = 210.0
HANDOUT_MARGIN_X_MM = 20.0
HANDOUT_MARGIN_TOP_MM = 20.0
HANDOUT_MARGIN_BOTTOM_MM = 18.0
HANDOUT_SLIDE_WIDTH_MM = 140.0
PX_PER_MM = 96 / 25.4


def _num(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def css_string(text: str) -> str:
    """`text` as a quoted CSS string: quotes, backslashes and control characters escaped."""
    out = []
    for char in text:
        if char in '"\\' or not char.isprintable():
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def slides_css(theme: Theme) -> str:
    """One page per slide at the theme's size; nothing drawn outside it."""
    return OUTLINE_CSS + f"""\
@page {{ size: {theme.width}px {theme.height}px; margin: 0; }}
html, body {{ background: var(--dw-color-background); }}
.dw-print-slides > .dw-slide {{ break-after: page; overflow: hidden;
  background-color: var(--dw-color-background); }}
.dw-print-slides > .dw-slide:last-child {{ break-after: auto; }}
/* Inline code is Liberation Mono, whose ascent and descent differ from the body font's: at the
   inherited line-height its inline box would stretch the line box (1.6 px a table row), and a
   table fit measured as fitting would overflow. At line-height 1 it stays inside the strut;
   its background (the content area) is unchanged. */
.dw-slide code {{ line-height: 1; }}
/* WeasyPrint makes no link for an <a> blockified as a flex item: say it is a block. */
.dw-qr-figure > a {{ display: block; }}
.dw-print-block .dw-body, .dw-print-block .dw-column, .dw-print-block .dw-quote {{ display: block; }}
.dw-print-block .dw-body > * + *, .dw-print-block .dw-column > * + *,
.dw-print-block .dw-quote > * + * {{ margin-top: var(--dw-gap); }}
"""


def handout_header(meta: DeckMeta) -> tuple[str, str]:
    """(left, right) of the running header: the deck title, then author and date."""
    right = " · ".join(p for p in (meta.author, meta.date) if p)
    return meta.title or meta.slug, right


def handout_css(theme: Theme, meta: DeckMeta) -> str:
    """A4 pages: deck title in the header, page n / N in the footer, slide frames, notes below.

    Each slide and its notes stay together (break-inside: avoid), so short notes put two
    slides on a page and long ones one; notes longer than a page continue on the next.
    The frame is an empty box of the slide's shape that pdf_stamp fills with the slide page.
    """
    text_w = A4_WIDTH_MM - 2 * HANDOUT_MARGIN_X_MM
    slide_h = HANDOUT_SLIDE_WIDTH_MM * theme.height / theme.width
    left, right = handout_header(meta)
    body = font_stack(theme, "body")
    muted = theme.color("muted")
    margin_box = f"font-family: {body}; font-size: 9pt; color: {muted};"
    top = f"{margin_box} vertical-align: bottom; padding-bottom: 4mm;"
    return OUTLINE_CSS + f"""\
@page {{
  size: A4 portrait;
  margin: {_num(HANDOUT_MARGIN_TOP_MM)}mm {_num(HANDOUT_MARGIN_X_MM)}mm {_num(HANDOUT_MARGIN_BOTTOM_MM)}mm;
  @top-left {{ content: {css_string(left)}; text-align: left; {top} }}
  @top-right {{ content: {css_string(right)}; text-align: right; {top} }}
  @bottom-center {{ content: counter(page) " / " counter(pages); text-align: center; {margin_box}
    vertical-align: top; padding-top: 4mm; }}
}}
.dw-print-handout {{ font-family: var(--dw-font-body); font-size: 10.5pt; line-height: 1.4;
  color: var(--dw-color-text); }}
.dw-handout-item {{ break-inside: avoid; padding-bottom: 8mm; }}
.dw-handout-frame {{ box-sizing: content-box; width: {_num(HANDOUT_SLIDE_WIDTH_MM)}mm;
  height: {_num(slide_h)}mm; margin-left: {_num((text_w - HANDOUT_SLIDE_WIDTH_MM) / 2)}mm;
  border: 0.75pt solid {theme.color("table_border")}; break-inside: avoid; break-after: avoid; }}
.dw-handout-slot {{ width: 100%; height: 100%; }}
.dw-notes {{ --scale: 1; --dw-body: 10.5pt; --dw-code: 8.5pt; --dw-table: 9pt; --dw-gap: 2mm;
  --dw-indent: 6mm; margin-top: 4mm; }}
.dw-notes > * + * {{ margin-top: 2mm; }}
.dw-notes strong {{ font-weight: 700; }}
.dw-notes em {{ font-style: italic; }}
.dw-notes s {{ text-decoration: line-through; }}
.dw-notes a {{ color: var(--dw-color-link); text-decoration: underline; }}
.dw-notes code {{ font-family: var(--dw-font-code); font-size: 0.9em;
  background: var(--dw-color-inline-code-background); padding: 0 0.15em; border-radius: 0.2em; }}
.dw-notes h3, .dw-notes h4, .dw-notes h5, .dw-notes h6 {{ font-family: var(--dw-font-heading);
  color: var(--dw-color-heading); break-after: avoid; }}
.dw-notes h3 {{ font-size: 1.2em; }}
.dw-notes li + li {{ margin-top: 1mm; }}
.dw-notes pre.dw-code {{ font-size: var(--dw-code); padding: 2mm 3mm; border-radius: 1mm; }}
.dw-notes pre.dw-code code {{ font-size: 1em; background: none; padding: 0; }}
.dw-notes .dw-table {{ font-size: var(--dw-table); }}
.dw-notes .dw-figure img {{ max-height: 60mm; width: auto; max-width: 100%; }}
.dw-notes .dw-qr-figure {{ height: 30mm; }}
"""
