"""The PDF writer: the deck (one 16:9 page per slide) and an A4 handout with notes, by WeasyPrint."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from deckwright.atomic import write_bytes
from deckwright.css import theme_css
from deckwright.diagnostics import Diagnostic, SourceRef, error, warning
from deckwright.htmlrender import (
    RenderOptions,
    iter_blocks,
    notes_html,
    slide_classes,
    slide_frame_html,
    slide_style,
    title_sizes,
)
from deckwright.model import Deck, DeckMeta, Image, Layout, QRCode, RawHtml, Slide, plain_text
from deckwright.theme import FONT_ROLES, Theme
from deckwright.writers.pdf_css import RESET_CSS, handout_css, slides_css
from deckwright.writers.pdf_stamp import Slot, stamp

_SLUG_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
# Image formats WeasyPrint draws (through Pillow, or its own SVG renderer).
PDF_IMAGE_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".tif", ".tiff"})
# A background colour written by the author goes into a style attribute: colour syntax only.
_COLOR_RE = re.compile(r"^[#A-Za-z0-9(),.%\s-]{1,64}$")
_W3C_DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


# --------------------------------------------------------------------------- pure parts


def pdf_date(meta: DeckMeta, environ: Mapping[str, str]) -> str | None:
    """The creation/modification date written into both PDFs, fixed so rebuilds are identical.

    SOURCE_DATE_EPOCH (the reproducible-builds convention) wins; else the deck's `date`
    when it is a W3C date (2026, 2026-05, 2026-05-14); else no date at all (never "now").
    """
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    date = meta.date.strip()
    return date if _W3C_DATE_RE.match(date) else None


def bookmark_level(slide: Slide) -> int:
    """Outline depth: the title slide and section dividers are chapters, other slides below them."""
    return 1 if slide.layout in (Layout.TITLE, Layout.SECTION) else 2


def bookmark_label(slide: Slide, number: int) -> str:
    """The outline entry: the slide's title (with its continuation), or "Slide n" without one."""
    title = " ".join(plain_text(slide.title).split())
    if slide.continuation:
        title = f"{title} ({slide.continuation})".strip()
    return title or f"Slide {number}"


def background_style(slide: Slide, url: Callable[[Path], str]) -> str | None:
    """The slide's own background (colour and/or cover image) as CSS, or None."""
    parts = []
    if slide.background_color and _COLOR_RE.match(slide.background_color):
        parts.append(f"background-color:{slide.background_color}")
    if slide.background_image is not None:
        parts.append(f'background-image:url("{url(slide.background_image)}");'
                     "background-size:cover;background-position:center")
    return ";".join(parts) or None


def _style(*parts: str | None) -> str | None:
    joined = ";".join(p for p in parts if p)
    return joined or None


def flows_as_blocks(slide: Slide) -> bool:
    """Whether the slide's body can be laid out as plain blocks rather than a flex column.

    Same result, three times faster in WeasyPrint. Flex stays where it does work: images and
    QR codes shrink to the space left, title and section slides and `.center` centre content.
    """
    if slide.layout not in (Layout.CONTENT, Layout.TWO_COLUMNS, Layout.BLANK) or "center" in slide.classes:
        return False
    return not any(isinstance(b, (Image, QRCode, RawHtml)) for b in iter_blocks(slide.blocks))


def slide_html(slide: Slide, number: int, frame: Markup, url: Callable[[Path], str]) -> Markup:
    """One slide as a page-sized <section> carrying its outline entry."""
    classes = slide_classes(slide) + (" dw-print-block" if flows_as_blocks(slide) else "")
    attrs = Markup(' class="{}"').format(classes)
    style = _style(slide_style(slide), background_style(slide, url))
    if style:
        attrs += Markup(' style="{}"').format(style)
    attrs += Markup(' data-bookmark="{}" data-level="{}"').format(
        bookmark_label(slide, number), bookmark_level(slide))
    return Markup("<section{}>{}</section>").format(attrs, frame)


def head_html(meta: DeckMeta, date: str | None, title_suffix: str = "") -> Markup:
    """<head> metadata WeasyPrint turns into the PDF's Title/Author/Subject/Keywords/dates."""
    title = (meta.title or meta.slug) + title_suffix
    parts = [Markup('<meta charset="utf-8">'), Markup("<title>{}</title>").format(title),
             Markup('<meta name="generator" content="deckwright">')]
    if meta.author:
        parts.append(Markup('<meta name="author" content="{}">').format(meta.author))
    description = meta.description or meta.subtitle
    if description:
        parts.append(Markup('<meta name="description" content="{}">').format(description))
    if meta.keywords:
        parts.append(Markup('<meta name="keywords" content="{}">').format(", ".join(meta.keywords)))
    if date:
        parts.append(Markup('<meta name="dcterms.created" content="{}">').format(date))
        parts.append(Markup('<meta name="dcterms.modified" content="{}">').format(date))
    return Markup("\n").join(parts)


def page_html(meta: DeckMeta, date: str | None, body_class: str, body: Markup,
              title_suffix: str = "") -> str:
    lang = meta.lang or "en"
    return str(Markup('<!DOCTYPE html>\n<html lang="{}">\n<head>\n{}\n</head>\n'
                      '<body class="{}">\n{}\n</body>\n</html>\n').format(
        lang, head_html(meta, date, title_suffix), body_class, body))


def slides_document(deck: Deck, frames: list[Markup], url: Callable[[Path], str],
                    date: str | None) -> str:
    """The deck's HTML: one <section> per slide, in order (vertical stacks become consecutive pages)."""
    sections = [slide_html(s, n, f, url)
                for n, (s, f) in enumerate(zip(deck.slides, frames, strict=True), start=1)]
    return page_html(deck.meta, date, "dw-print dw-print-slides", Markup("\n").join(sections))


def slot_id(number: int) -> str:
    """The id of the empty box where slide `number` (1-based) goes in the handout."""
    return f"dw-slot-{number}"


def handout_document(deck: Deck, opts: RenderOptions, date: str | None) -> str:
    """The handout's HTML: per slide, an empty framed box of the slide's shape, then its notes.

    The boxes are filled afterwards with the slide pages themselves (pdf_stamp.py).
    """
    items = []
    for number, slide in enumerate(deck.slides, start=1):
        frame = Markup('<div class="dw-handout-frame"><div class="dw-handout-slot" id="{}">'
                       "</div></div>").format(slot_id(number))
        notes = (Markup('<div class="dw-notes">{}</div>').format(notes_html(slide.notes, opts))
                 if slide.notes else Markup(""))
        items.append(Markup('<article class="dw-handout-item" data-bookmark="{}" data-level="{}">'
                            "{}{}</article>").format(bookmark_label(slide, number),
                                                     bookmark_level(slide), frame, notes))
    return page_html(deck.meta, date, "dw-print dw-print-handout", Markup("\n").join(items),
                     title_suffix=" (handout)")


def slide_frames(deck: Deck, theme: Theme, opts: RenderOptions) -> list[Markup]:
    """Every slide's frame, built once and shared by both documents; all steps shown."""
    return [slide_frame_html(s, n, opts, *title_sizes(s, theme))
            for n, s in enumerate(deck.slides, start=1)]


def pdf_identifier(meta: DeckMeta, kind: str) -> bytes:
    """A stable /ID for the file (the same deck and kind give the same first half)."""
    return hashlib.md5(f"deckwright:{meta.slug}:{kind}".encode(), usedforsecurity=False).hexdigest().encode()


# --------------------------------------------------------------------------- checks


def _images(deck: Deck) -> list[tuple[Path, SourceRef]]:
    found: list[tuple[Path, SourceRef]] = []
    for slide in deck.slides:
        if slide.background_image is not None:
            found.append((slide.background_image, slide.ref))
        for block in iter_blocks((*slide.blocks, *slide.notes)):
            if isinstance(block, Image):
                found.append((block.path, block.ref))
    return found


def check_files(deck: Deck, theme: Theme) -> list[Diagnostic]:
    """Missing images and fonts are errors; formats WeasyPrint cannot draw are warnings."""
    diags: list[Diagnostic] = []
    for path, ref in _images(deck):
        if not path.is_file():
            diags.append(error(ref, f"image not found: {path.name}"))
        elif path.suffix.lower() not in PDF_IMAGE_TYPES:
            diags.append(warning(ref, f"the PDF cannot show {path.suffix or 'extension-less'} images "
                                      f"({path.name}); use PNG, JPEG or SVG"))
    for role in FONT_ROLES:
        for file in theme.fonts[role].files.values():
            if not file.is_file():
                diags.append(error(None, f"theme font not found: {file}"))
    return diags


# --------------------------------------------------------------------------- rendering (I/O)


@dataclass(frozen=True, slots=True)
class Rendered:
    slides: bytes
    handout: bytes
    diagnostics: list[Diagnostic]


def _slots(pages: list[Any]) -> list[Slot]:
    """Where WeasyPrint put each handout slot (anchor boxes in CSS px), in slide order."""
    found = []
    for index, page in enumerate(pages):
        for name, (x1, y1, x2, y2) in page.anchors.items():
            if name.startswith("dw-slot-"):
                found.append(Slot(index, int(name.removeprefix("dw-slot-")) - 1, x1, y1, x2, y2))
    return sorted(found, key=lambda s: s.slide)


def render(deck: Deck, theme: Theme, environ: Mapping[str, str]) -> Rendered:
    """Both PDFs as bytes. WeasyPrint is imported here only (the CLI starts without it)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    def url(path: Path) -> str:
        return path.resolve().as_uri()

    opts = RenderOptions(asset_url=url, code_style=theme.pygments_style, fragments=False,
                         footer_text=theme.footer_text,
                         logo_url=url(theme.logo) if theme.logo is not None else None,
                         slide_numbers=theme.slide_numbers)
    date = pdf_date(deck.meta, environ)
    base_url = deck.root.resolve().as_uri() + "/"
    # One font configuration and one parsed theme stylesheet for both documents: the
    # @font-face files are read once; the image cache is shared too.
    fonts = FontConfiguration()
    shared = [CSS(string=RESET_CSS),
              CSS(string=theme_css(theme, url), font_config=fonts, base_url=base_url)]
    options: dict[str, Any] = {"font_config": fonts, "cache": {}}

    messages: list[str] = []
    handler = _Collect(messages)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        slides = HTML(string=slides_document(deck, slide_frames(deck, theme, opts), url, date),
                      base_url=base_url).write_pdf(
            stylesheets=[*shared, CSS(string=slides_css(theme), font_config=fonts)],
            # Tagged: images carry their alt text, reading order and language are declared.
            pdf_tags=True, pdf_identifier=pdf_identifier(deck.meta, "slides"), **options)
        skeleton = HTML(string=handout_document(deck, opts, date), base_url=base_url).render(
            stylesheets=[*shared, CSS(string=handout_css(theme, deck.meta), font_config=fonts)],
            **options)
        handout = skeleton.write_pdf(pdf_identifier=pdf_identifier(deck.meta, "handout"))
    finally:
        logger.removeHandler(handler)
    handout = stamp(handout, slides, _slots(skeleton.pages))
    first = deck.slides[0].ref if deck.slides else None
    diags = [warning(first, f"PDF: {m}") for m in dict.fromkeys(messages)]
    return Rendered(slides, handout, diags)


class _Collect(logging.Handler):
    """Keeps WeasyPrint's warnings (bad CSS, unreadable images) as text, to report as diagnostics."""

    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record.getMessage())


def write(deck: Deck, theme: Theme, out_dir: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Write out_dir/<slug>.pdf (the slides) and out_dir/<slug>-handout.pdf (A4, with notes)."""
    first = deck.slides[0].ref if deck.slides else None
    if not _SLUG_RE.match(deck.meta.slug):
        return [], [error(first, f"invalid output name (slug) {deck.meta.slug!r}")]
    if not deck.slides:
        return [], [error(None, "the deck has no slides: no PDF written")]
    diags = check_files(deck, theme)
    if any(d.is_error for d in diags):
        return [], diags
    rendered = render(deck, theme, os.environ)
    slides_path = out_dir / f"{deck.meta.slug}.pdf"
    handout_path = out_dir / f"{deck.meta.slug}-handout.pdf"
    write_bytes(slides_path, rendered.slides)
    write_bytes(handout_path, rendered.handout)
    return [slides_path, handout_path], [*diags, *rendered.diagnostics]

