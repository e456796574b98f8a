"""Deck model → HTML fragments (escaped) for the reveal.js writer."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from deckwright.layout.plan import SlidePlan
from deckwright.model.deck import (
    Align,
    Block,
    Cell,
    CodeBlock,
    Columns,
    Heading,
    Image,
    Inline,
    Layout,
    ListBlock,
    ListItem,
    MathBlock,
    Paragraph,
    QRCode,
    Quote,
    RawHtml,
    Slide,
    Span,
    Table,
)
from deckwright.model.theme import Theme
from deckwright.writers.common.links import safe_href
from deckwright.writers.html.css import scale_style

EM_DASH = "\u2014"
_CLASS_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What a fragment needs beyond the model: where files are, which code style, which chrome."""

    # Maps an image file (absolute path) to the URL written into src="…".
    asset_url: Callable[[Path], str]
    code_style: str = "friendly"
    # False: every step is shown at once and no fragment classes are written (a static page).
    fragments: bool = True
    footer_text: str = ""
    logo_url: str | None = None
    slide_numbers: bool = True


# --------------------------------------------------------------------------- helpers


def format_html(template: str, *args: object) -> Markup:
    """`Markup(template).format(*args)` without string.Formatter's slow Python loop: the template is
    trusted markup with plain `{}`/`{n}` fields, each argument is escaped unless it is Markup."""
    return Markup(template.format(*[escape(a) for a in args]))  # noqa: S704 - args escaped


_f = format_html


def join_html(sep: str, parts: Iterable[Markup]) -> Markup:
    """`Markup(sep).join(parts)` for parts that are all Markup already (typed so): nothing to escape."""
    return Markup(sep.join(parts))  # noqa: S704 - Markup parts, literal separator


def _attrs(**attrs: str | int | None) -> Markup:
    """` name="value"` pairs, escaped, in the given order; None drops an attribute."""
    # Names are Python identifiers (nothing to escape); values are escaped unless Markup.
    return Markup("".join([f' {name.rstrip("_").replace("_", "-")}="{escape(value)}"'  # noqa: S704
                           for name, value in attrs.items() if value is not None]))


def _class(*names: str | None) -> str | None:
    joined = " ".join(n for n in names if n)
    return joined or None


def fragment_attrs(step: int, opts: RenderOptions, *classes: str | None) -> Markup:
    """class="… fragment" data-fragment-index="k" for step k > 0 (reveal.js numbering)."""
    if step > 0 and opts.fragments:
        return _attrs(class_=_class(*classes, "fragment"), data_fragment_index=step)
    return _attrs(class_=_class(*classes))


def safe_classes(classes: Iterable[str]) -> tuple[str, ...]:
    """Author classes that are valid CSS identifiers, in order, without duplicates."""
    seen: dict[str, None] = {}
    for name in classes:
        if _CLASS_RE.match(name):
            seen.setdefault(name, None)
    return tuple(seen)


def column_fractions(widths: Iterable[float | None]) -> tuple[float, ...]:
    """Each column's share of the content width: given widths kept, the rest shared equally."""
    given = list(widths)
    fixed = sum(w for w in given if w is not None)
    free = [w for w in given if w is None]
    share = (1.0 - fixed) / len(free) if free and fixed < 1.0 else 1.0 / max(len(given), 1)
    return tuple(w if w is not None else share for w in given)


def _num(value: float) -> str:
    """A short, stable decimal for CSS (no exponent, at most 4 places)."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


# --------------------------------------------------------------------------- inline


def _text(text: str) -> Markup:
    """Escaped text with hard line breaks as <br>."""
    if "\n" not in text:
        return escape(text)
    return Markup("<br>").join(escape(part) for part in text.split("\n"))


def span_html(span: Span) -> Markup:
    html = _text(span.text)
    if span.code or span.math:  # math: its TeX as code until it is typeset (issue 15)
        html = _f("<code>{}</code>", html)
    if span.strike:
        html = _f("<s>{}</s>", html)
    if span.italic:
        html = _f("<em>{}</em>", html)
    if span.bold:
        html = _f("<strong>{}</strong>", html)
    if span.superscript:
        html = _f('<sup class="dw-fn-ref">{}</sup>', html)
    if span.href is not None:
        href = safe_href(span.href)
        if href is not None:
            external = href.lower().startswith(("http:", "https:"))
            extra = _attrs(target="_blank", rel="noopener noreferrer") if external else Markup("")
            html = _f("<a{}{}>{}</a>", _attrs(href=href), extra, html)
    return html


def inline_html(inline: Inline) -> Markup:
    """A run of spans as escaped HTML."""
    return join_html("", [span_html(s) for s in inline])


# --------------------------------------------------------------------------- blocks


@lru_cache(maxsize=1024)
def code_html(code: str, language: str | None, style: str) -> Markup:
    """Highlighted code: inline colours from the same Pygments runs the PPTX writer uses."""
    # fit's runs: read back from the project's cache when fit primed them (no Pygments lexer
    # compiled in this process), else highlight.py's, from which they are made.
    from deckwright.layout.code import highlighted

    lines = []
    for line in highlighted(code, language, style):
        parts = []
        for run_text, color, bold, italic in line:
            css = []
            if color:
                css.append(f"color:{color}")
            if bold:
                css.append("font-weight:bold")
            if italic:
                css.append("font-style:italic")
            text = escape(run_text)
            parts.append(_f("<span{}>{}</span>", _attrs(style=";".join(css)), text)
                         if css else text)
        lines.append(Markup("").join(parts))
    return Markup("\n").join(lines)


def _align_class(align: Align) -> str | None:
    return f"dw-align-{align.value}" if align is not Align.DEFAULT else None


def _table_open(widths: tuple[float, ...]) -> Markup:
    """<table>, with the widths fit measured as a <colgroup> of percentages when the table has them.

    A fixed layout makes the browser use exactly these columns (the PPTX's), instead of sharing
    the width by its own rules and wrapping cells where fit did not.
    """
    total = sum(widths)
    if not widths or total <= 0:
        return Markup("<table>")
    cols = Markup("").join(_f("<col{}>", _attrs(style=f"width:{_num(100 * w / total)}%"))
                           for w in widths)
    return _f('<table class="dw-fixed"><colgroup>{}</colgroup>', cols)


def table_html(table: Table, opts: RenderOptions) -> Markup:
    """A table in a <figure>: caption above, footnotes numbered below."""

    def align(i: int) -> str | None:
        return _align_class(table.align[i]) if i < len(table.align) else None

    def cell(tag: str, c: Cell, i: int, scope: str | None) -> Markup:
        content = inline_html(c.content)
        classes = [align(i)]
        if c.empty:
            # Not applicable: an em dash, keeping any footnote marker the cell carries.
            markers = tuple(s for s in c.content if s.superscript)
            content = _f('<span class="dw-empty-mark">{}</span>', EM_DASH) + inline_html(markers)
            classes.append("dw-empty")
        if c.highlight:
            classes.append("dw-highlight")
        template = "<th{}>{}</th>" if tag == "th" else "<td{}>{}</td>"
        return _f(template, _attrs(scope=scope, class_=_class(*classes)), content)

    parts = [_f("<figure{}{}>",
        fragment_attrs(table.step, opts, "dw-table", "dw-row-header" if table.row_header else None),
        _attrs(data_source=table.source))]
    parts.append(_table_open(table.widths))
    if table.header:
        head = Markup("").join(cell("th", c, i, "col") for i, c in enumerate(table.header))
        parts.append(_f("<thead><tr>{}</tr></thead>", head))
    body = []
    for row in table.rows:
        cells = [cell("th" if i == 0 and table.row_header else "td", c, i,
                      "row" if i == 0 and table.row_header else None) for i, c in enumerate(row)]
        body.append(_f("<tr>{}</tr>", Markup("").join(cells)))
    parts.append(_f("<tbody>{}</tbody></table>", Markup("").join(body)))
    # Caption and numbered notes go under the table, as fit measures them and PPTX writes them.
    notes = []
    if table.caption:
        notes.append(_f('<p class="dw-caption">{}</p>', inline_html(table.caption)))
    if table.footnotes:
        note = '<li><sup class="dw-fn-ref">{}</sup> {}</li>'
        items = Markup("").join(_f(note, n, inline_html(t)) for n, t in enumerate(table.footnotes, 1))
        notes.append(_f('<ol class="dw-footnotes">{}</ol>', items))
    if notes:
        parts.append(_f("<figcaption>{}</figcaption>", Markup("").join(notes)))
    parts.append(Markup("</figure>"))
    return Markup("").join(parts)


def _list_item_html(item: ListItem, opts: RenderOptions) -> Markup:
    children = blocks_html(item.children, opts)
    return _f("<li{}>{}{}</li>", fragment_attrs(item.step, opts), inline_html(item.content),
                                            children)


def list_html(block: ListBlock, opts: RenderOptions) -> Markup:
    template = "<ol{}{}>{}</ol>" if block.ordered else "<ul{}{}>{}</ul>"
    start = block.start if block.ordered and block.start != 1 else None
    items = join_html("", [_list_item_html(i, opts) for i in block.items])
    return _f(template, fragment_attrs(block.step, opts, "dw-list"), _attrs(start=start), items)


def image_html(block: Image, opts: RenderOptions) -> Markup:
    style = f"width:{_num(block.width * 100)}%" if block.width else None
    img = _f("<img{}>", _attrs(src=opts.asset_url(block.path), alt=block.alt,
                                          title=block.title or None, style=style))
    return _f("<figure{}>{}</figure>", fragment_attrs(block.step, opts, "dw-figure"), img)


def qr_html(block: QRCode, opts: RenderOptions) -> Markup:
    """The QR code as inline SVG (its <title> is the URL), a link to the URL when it is safe."""
    from deckwright.writers.common.qr import (
        qr_svg,  # segno (and the urllib/ssl it loads) only for decks with QR codes
    )

    svg = Markup(qr_svg(block.url))  # noqa: S704 - segno's SVG escapes the URL in <title>
    href = safe_href(block.url)
    if href is not None:
        svg = _f("<a{}>{}</a>", _attrs(href=href), svg)
    return _f("<figure{}>{}</figure>", fragment_attrs(block.step, opts, "dw-qr-figure"), svg)


def block_html(block: Block, opts: RenderOptions) -> Markup:
    """One block as HTML; a block with step k > 0 is a reveal.js fragment with index k."""
    render = _BLOCK_HTML.get(type(block))
    if render is None:
        raise TypeError(f"unknown block type {type(block).__name__}")
    return render(block, opts)


def _paragraph_html(block: Paragraph, opts: RenderOptions) -> Markup:
    return _f("<p{}>{}</p>", fragment_attrs(block.step, opts), inline_html(block.content))


def _heading_html(block: Heading, opts: RenderOptions) -> Markup:
    # The slide title is h1/h2; body headings start at h3 (# and ## alike: fit sizes
    # levels 1-2 at 1.3 × body and deeper ones at 1.15 ×, which h3 and h4-h6 follow).
    level = 3 if block.level <= 2 else min(block.level + 1, 6)
    return _f("<h{0}{1}>{2}</h{0}>", level, fragment_attrs(block.step, opts), inline_html(block.content))


def _code_block_html(block: CodeBlock, opts: RenderOptions) -> Markup:
    return _f("<pre{}><code{}>{}</code></pre>",
              fragment_attrs(block.step, opts, "dw-code"), _attrs(data_lang=block.language),
              code_html(block.code, block.language, opts.code_style))


def _quote_html(block: Quote, opts: RenderOptions) -> Markup:
    return _f("<blockquote{}>{}</blockquote>", fragment_attrs(block.step, opts, "dw-quote"),
              blocks_html(block.blocks, opts))


def _columns_html(block: Columns, opts: RenderOptions) -> Markup:
    fractions = column_fractions(c.width for c in block.columns)
    template = "grid-template-columns:" + " ".join(f"{_num(f)}fr" for f in fractions)
    cols = Markup("").join(_f('<div class="dw-column">{}</div>', blocks_html(c.blocks, opts))
                           for c in block.columns)
    return _f("<div{}{}>{}</div>", fragment_attrs(block.step, opts, "dw-columns"), _attrs(style=template),
              cols)


def _raw_html(block: RawHtml, opts: RenderOptions) -> Markup:
    # Emitted as written (the author's HTML); only a stepped block gets a wrapper.
    raw = Markup(block.html)  # noqa: S704 - RawHtml is the author's HTML by definition
    if block.step > 0 and opts.fragments:
        return _f("<div{}>{}</div>", fragment_attrs(block.step, opts, "dw-raw"), raw)
    return raw


# Each block type's renderer: one table, so a new block type is one entry (and a TypeError until then).
_BLOCK_HTML: dict[type, Callable[[Any, RenderOptions], Markup]] = {
    Paragraph: _paragraph_html, Heading: _heading_html, ListBlock: list_html, CodeBlock: _code_block_html,
    Table: table_html, Image: image_html, Quote: _quote_html, Columns: _columns_html, RawHtml: _raw_html,
    QRCode: qr_html, MathBlock: lambda block, opts: _code_block_html(block.as_code(), opts),
}


def blocks_html(blocks: Iterable[Block], opts: RenderOptions) -> Markup:
    return join_html("\n", [block_html(b, opts) for b in blocks])


def notes_html(notes: Iterable[Block], opts: RenderOptions) -> Markup:
    """Speaker notes: the same blocks, never fragments (the presenter needs all of it)."""
    plain = RenderOptions(asset_url=opts.asset_url, code_style=opts.code_style, fragments=False)
    return blocks_html(notes, plain)


# --------------------------------------------------------------------------- slides


def _is_dark(color: str) -> bool:
    from deckwright.layout.slides import is_dark

    return is_dark(color)


def slide_classes(slide: Slide) -> str:
    """Classes of a slide's outer element: our own, the layout's, then the author's."""
    ours = ["dw-slide", f"dw-layout-{slide.layout.value}"]
    if slide.layout is Layout.SECTION and slide.subtitle:
        ours.append("dw-has-subtitle")
    if (slide.layout not in (Layout.TITLE, Layout.SECTION) and slide.background_color
            and _is_dark(slide.background_color)):
        # Light text on a dark background, as layout.slides.text_color decides for the PPTX.
        ours.append("dw-dark")
    return " ".join((*ours, *safe_classes(slide.classes)))


def slide_style(slide: Slide) -> str | None:
    """The per-slide `--scale` custom property set by the fit stage (None at 1.0)."""
    return None if slide.font_scale == 1.0 else scale_style(slide.font_scale)


def title_sizes(plan: SlidePlan, slide: Slide, theme: Theme) -> tuple[float | None, float | None]:
    """Title and subtitle sizes in px where fit shrank them to their boxes (None = theme size)."""
    z = theme.sizes
    base = {Layout.TITLE: z["title_slide"], Layout.SECTION: z["section"]}.get(slide.layout, z["title"])
    title = plan.title.size if plan.title is not None and plan.title.size != base else None
    sub = plan.subtitle.size if plan.subtitle is not None and plan.subtitle.size != z["subtitle"] else None
    return title, sub


def _size_style(px: float | None) -> str | None:
    return f"font-size:{_num(px)}px" if px is not None else None


def _title_html(slide: Slide, level: int, css_class: str, px: float | None) -> Markup:
    if not slide.title and not slide.continuation:
        return Markup("")
    cont = (_f(' <span class="dw-continuation">({})</span>', slide.continuation)
            if slide.continuation else Markup(""))
    template = "<h1{}>{}{}</h1>" if level == 1 else "<h2{}>{}{}</h2>"
    return _f(template, _attrs(class_=css_class, style=_size_style(px)),
                           inline_html(slide.title), cont)


def _subtitle_html(slide: Slide, px: float | None) -> Markup:
    if not slide.subtitle:
        return Markup("")
    return _f("<p{}>{}</p>", _attrs(class_="dw-subtitle", style=_size_style(px)),
                                        inline_html(slide.subtitle))


def _split_html(slide: Slide, opts: RenderOptions) -> Markup | None:
    """Body of an image-left/right slide: text blocks beside the slide's first image."""
    image = next((b for b in slide.blocks if isinstance(b, Image)), None)
    if image is None:
        return None
    text = _f('<div class="dw-split-text">{}</div>',
        blocks_html((b for b in slide.blocks if b is not image), opts))
    picture = _f("<figure{}>{}</figure>",
        fragment_attrs(image.step, opts, "dw-figure", "dw-split-image"),
        _f("<img{}>", _attrs(src=opts.asset_url(image.path), alt=image.alt,
                                        title=image.title or None)))
    cells = (picture, text) if slide.layout is Layout.IMAGE_LEFT else (text, picture)
    return _f('<div class="dw-body dw-split">{}{}</div>', *cells)


def _footer_html(slide: Slide, number: int, opts: RenderOptions) -> Markup:
    if slide.layout is Layout.TITLE:
        return Markup("")
    parts = []
    if opts.logo_url:
        parts.append(_f("<img{}>", _attrs(class_="dw-logo", src=opts.logo_url, alt="")))
    # A slide's own footer / paginate (Marp directives) override the theme's.
    footer = inline_html(slide.footer) if slide.footer else opts.footer_text
    if footer:
        parts.append(_f('<span class="dw-footer-text">{}</span>', footer))
    if opts.slide_numbers if slide.paginate is None else slide.paginate:
        parts.append(_f('<span class="dw-slide-number">{}</span>', number))
    if not parts:
        return Markup("")
    return _f('<footer class="dw-footer">{}</footer>', Markup("").join(parts))


def slide_frame_html(slide: Slide, number: int, opts: RenderOptions,
                     title_px: float | None = None, subtitle_px: float | None = None) -> Markup:
    """The visible slide (title, body, footer) in layout.py's boxes, independent of reveal.js.

    `number` is the slide's 1-based position in the deck, shown when slide numbers are on;
    `title_px`/`subtitle_px` are the sizes fit chose when a title had to shrink (title_sizes).
    """
    parts: list[Markup] = []
    body: Markup | None = None
    if slide.header:
        parts.append(_f('<header class="dw-header">{}</header>', inline_html(slide.header)))
    if slide.layout in (Layout.TITLE, Layout.SECTION):
        css_class = "dw-deck-title" if slide.layout is Layout.TITLE else "dw-section-title"
        title = _title_html(slide, 1, css_class, title_px)
        if title:
            parts.append(_f('<div class="dw-title-box">{}</div>', title))
        if slide.subtitle:
            parts.append(_f('<div class="dw-subtitle-box">{}</div>',
                _subtitle_html(slide, subtitle_px)))
    else:
        head = _title_html(slide, 2, "dw-title", title_px) + _subtitle_html(slide, subtitle_px)
        if head:
            parts.append(_f('<div class="dw-title-box">{}</div>', head))
        if slide.layout in (Layout.IMAGE_LEFT, Layout.IMAGE_RIGHT):
            body = _split_html(slide, opts)
    if body is None and slide.blocks:
        body = _f('<div class="dw-body">{}</div>', blocks_html(slide.blocks, opts))
    if body is not None:
        parts.append(body)
    parts.append(_footer_html(slide, number, opts))
    return _f('<div class="dw-frame">{}</div>', join_html("", parts))
