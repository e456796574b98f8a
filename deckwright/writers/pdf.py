"""The PDF writer: the deck (one 16:9 page per slide) and an A4 handout with notes, drawn by fpdf2."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from deckwright import fallback
from deckwright.atomic import write_bytes
from deckwright.diagnostics import Diagnostic, SourceRef, error, warning
from deckwright.diskcache import NO_CACHE, DiskCache, key_of, library_stamp, project_cache, source_stamp
from deckwright.fit import Para, TextRun, deck_code_blocks, prime_highlights
from deckwright.layout import Box
from deckwright.model import (
    Align,
    Block,
    Columns,
    Deck,
    DeckMeta,
    Layout,
    ListBlock,
    Quote,
    RawHtml,
    Slide,
    deck_images,
    plain_text,
)
from deckwright.theme import FONT_ROLES, Theme
from deckwright.writers.pdf_draw import ListTags, Painter, View, extend_bars
from deckwright.writers.pdf_handout import (
    BAND_GAP,
    BAND_SIZE,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_H,
    PAGE_W,
    NoteLine,
    fit_header,
    footer_text,
    header_text,
    is_code,
    paginate,
    text_width,
)
from deckwright.writers.pdf_tags import structure_builder
from deckwright.writers.pdf_vector import place_vectors
from deckwright.writers.pptx_images import Picture, load_pictures, not_rendered

_SLUG_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_W3C_DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
# CSS px to PDF points.
PT_PER_PX = 0.75
# Below this many slides a second process costs more (fork, a second font set-up) than it saves.
PARALLEL_MIN_SLIDES = 40
FRAME_LINE = 1.0  # px, the handout's frame around each slide


# --------------------------------------------------------------------------- pure parts


def pdf_date(meta: DeckMeta, environ: Mapping[str, str]) -> str | None:
    """The creation date written into both PDFs, fixed so rebuilds are identical.

    SOURCE_DATE_EPOCH (the reproducible-builds convention) wins; else the deck's `date`
    when it is a W3C date (2026, 2026-05, 2026-05-14); else no date at all (never "now").
    """
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        except (ValueError, OverflowError, OSError):
            return None  # beyond what a date can hold: no date rather than a wrong one
    date = meta.date.strip()
    if not _W3C_DATE_RE.match(date):
        return None
    try:
        date_value(date)
    except ValueError:  # 2026-02-30, year 0000
        return None
    return date


def date_value(date: str | None) -> datetime | None:
    """pdf_date's text as a UTC datetime (a year or month alone means its first day)."""
    if date is None:
        return None
    if "T" in date:
        return datetime.strptime(date, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return datetime(parts[0], parts[1], parts[2], tzinfo=UTC)


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


def _without_raw_html(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    kept: list[Block] = []
    for block in blocks:
        if isinstance(block, RawHtml):
            continue
        if isinstance(block, ListBlock):
            block = replace(block, items=tuple(replace(i, children=_without_raw_html(i.children))
                                               for i in block.items))
        elif isinstance(block, Quote):
            block = replace(block, blocks=_without_raw_html(block.blocks))
        elif isinstance(block, Columns):
            block = replace(block, columns=tuple(replace(c, blocks=_without_raw_html(c.blocks))
                                                 for c in block.columns))
        kept.append(block)
    return tuple(kept)


def printable(deck: Deck) -> Deck:
    """The deck without raw HTML: it is for the HTML output only (the reader warns)."""
    return replace(deck, slides=tuple(replace(s, blocks=_without_raw_html(s.blocks),
                                              notes=_without_raw_html(s.notes))
                                      for s in deck.slides))


# --------------------------------------------------------------------------- checks


def check_files(deck: Deck, theme: Theme) -> list[Diagnostic]:
    """Missing theme fonts are errors (missing images are reported when they are loaded)."""
    diags: list[Diagnostic] = []
    for role in FONT_ROLES:
        for file in theme.fonts[role].files.values():
            if not file.is_file():
                diags.append(error(None, f"theme font not found: {file}"))
    return diags


def svg_references(deck: Deck, pictures: Mapping[Path, Picture]) -> list[Diagnostic]:
    """Files an SVG image points at are never read (only its own data: URLs are drawn): say so."""
    diags: list[Diagnostic] = []
    for path, ref in dict.fromkeys(deck_images(deck)):
        picture = pictures.get(path)
        if picture is None or picture.svg is None:
            continue
        for url in external_references(picture.svg):
            diags.append(warning(ref, f"PDF: {path.name} refers to {url}: not fetched "
                                      "(an SVG image may only embed data: URLs)"))
    return diags


def external_references(svg: bytes) -> list[str]:
    """What an SVG's elements would load (<image>, <use>, <feImage>…): every href that is not
    within the file or a data: URL. Links (<a>) load nothing and are left out."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(svg, parser)
    except etree.XMLSyntaxError:
        return []  # reported when the image is read
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str) or etree.QName(element).localname == "a":
            continue
        for name, value in element.attrib.items():
            if etree.QName(name).localname == "href":
                url = value.strip()
                if url and not url.startswith(("#", "data:")):
                    found.append(url)
    return found


# --------------------------------------------------------------------------- drawing (fpdf2)


class _Collect(logging.Handler):
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
def collected() -> Iterator[_Collect]:
    handler = _Collect()
    logger = logging.getLogger("fpdf")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def new_document(meta: DeckMeta, date: str | None, width_pt: float, height_pt: float,
                 title_suffix: str = "") -> Any:
    """An empty fpdf2 document with the deck's metadata and a fixed date (or none)."""
    from fpdf import FPDF

    pdf: Any = FPDF(orientation="P", unit="pt", format=(width_pt, height_pt))
    pdf.struct_builder = structure_builder(pdf)
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_compression(True)
    pdf.set_title((meta.title or meta.slug) + title_suffix)
    if meta.author:
        pdf.set_author(meta.author)
    if meta.description:
        pdf.set_subject(meta.description)
    if meta.keywords:
        pdf.set_keywords(", ".join(meta.keywords))
    pdf.set_lang(meta.lang or "en")
    pdf.set_creator("deckwright")
    pdf.set_producer("deckwright")
    pdf.creation_date = date_value(date)
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


def _bookmark(pdf: Any, slide: Slide, number: int, level: int, y_pt: float) -> None:
    pdf.set_y(y_pt)
    pdf.start_section(bookmark_label(slide, number), level)


def _painter(pdf: Any, theme: Theme, pictures: Mapping[Path, Picture], cache: DiskCache) -> Painter:
    painter = Painter(pdf, theme, pictures, cache)
    painter.vectors = []
    return painter


@dataclass(frozen=True, slots=True)
class Drawn:
    """One document's bytes and what went wrong drawing it (nothing wrong: it may be cached)."""

    data: bytes
    problems: list[Diagnostic]


def _finish(pdf: Any, painter: Painter, cache: DiskCache, collect: _Collect,
            first: SourceRef | None) -> Drawn:
    """The document's bytes, with its SVG images drawn as vectors, and its problems."""
    data = place_vectors(document_bytes(pdf), painter.vectors or [], cache)
    unshaped = [warning(ref, f"PDF: {char!r} needs text shaping (right-to-left or joined letters), which "
                             "needs the uharfbuzz package: drawn unshaped")
                for ref, char in painter.unshaped.items()]
    return Drawn(data, [*missing_glyphs(painter.missing), *unshaped,
                        *(warning(first, f"PDF: {m}") for m in dict.fromkeys(collect.messages))])


def missing_glyphs(missing: Mapping[str, SourceRef]) -> list[Diagnostic]:
    """One warning per source line naming the characters no font could draw."""
    by_ref: dict[SourceRef, list[str]] = {}
    for char, ref in missing.items():
        by_ref.setdefault(ref, []).append(f"{char} (U+{ord(char):04X})")
    return [warning(ref, f"PDF: no installed font has {', '.join(chars)}: shown as an empty box")
            for ref, chars in by_ref.items()]


def slides_pdf(deck: Deck, theme: Theme, pictures: Mapping[Path, Picture],
               aspects: Mapping[Path, float], date: str | None, cache: DiskCache = NO_CACHE) -> Drawn:
    """One page per slide at the theme's size (1 px = 0.75 pt), every step shown."""
    with collected() as collect:
        return _slides(deck, theme, pictures, aspects, date, cache, collect)


def _slides(deck: Deck, theme: Theme, pictures: Mapping[Path, Picture], aspects: Mapping[Path, float],
            date: str | None, cache: DiskCache, collect: _Collect) -> Drawn:
    pdf = new_document(deck.meta, date, theme.width * PT_PER_PX, theme.height * PT_PER_PX)
    painter = _painter(pdf, theme, pictures, cache)
    view = View(0.0, 0.0, PT_PER_PX)
    for number, (slide, level) in enumerate(zip(deck.slides, outline_levels(deck.slides), strict=True),
                                            start=1):
        pdf.add_page()
        _bookmark(pdf, slide, number, level, 0.0)
        painter.slide(view, slide, number, aspects)
    return _finish(pdf, painter, cache, collect, deck.slides[0].ref if deck.slides else None)


def handout_pdf(deck: Deck, theme: Theme, pictures: Mapping[Path, Picture],
                aspects: Mapping[Path, float], date: str | None, cache: DiskCache = NO_CACHE) -> Drawn:
    """A4 pages: each slide in a frame with its notes below, the deck title above, page n / N below."""
    with collected() as collect:
        return _handout(deck, theme, pictures, aspects, date, cache, collect)


def _handout(deck: Deck, theme: Theme, pictures: Mapping[Path, Picture], aspects: Mapping[Path, float],
             date: str | None, cache: DiskCache, collect: _Collect) -> Drawn:
    pdf = new_document(deck.meta, date, PAGE_W * PT_PER_PX, PAGE_H * PT_PER_PX, " (handout)")
    painter = _painter(pdf, theme, pictures, cache)
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
            _bookmark(pdf, slide, frame.index + 1, levels[frame.index], frame.box.y * PT_PER_PX)
            k = frame.box.w * PT_PER_PX / theme.width
            view = View(frame.box.x * PT_PER_PX, frame.box.y * PT_PER_PX, k)
            painter.slide(view, slide, frame.index + 1, aspects, clip=True)
            painter.outline(page_view, frame.box, theme.color("table_border"), FRAME_LINE)
            _notes(painter, page_view, theme, [e for e in page.lines if e.index == frame.index])
    return _finish(pdf, painter, cache, collect, deck.slides[0].ref if deck.slides else None)


def _notes(painter: Painter, view: View, theme: Theme, lines: Sequence[NoteLine]) -> None:
    """Notes lines: code lines on a tinted band, quotes with their bar; each paragraph's lines on
    this page one element (/P, /LI in /L, /Code), as on the slides."""
    for entry in lines:
        if is_code(entry.para):
            para = entry.para
            band = Box(MARGIN_X + para.margin - 4, entry.y, text_width() - para.margin + 8,
                       para.size * para.line_height)
            painter.rect(view, band, theme.color("code_background"))
    lists = ListTags(painter)
    bars: list[tuple[float, float, float]] = []
    start = 0
    try:
        while start < len(lines):
            para = lines[start].para
            end = start
            while end < len(lines) and lines[end].para is para:
                end += 1
            width = text_width() - para.margin
            places = [painter.place(para, e.line, MARGIN_X, e.y, width, para.align, first=e.first)
                      for e in lines[start:end]]
            kind, into = ("/Code", None) if is_code(para) else lists.place(para)
            element = painter.draw_lines(view, para, places, kind, into)
            if kind == "/LI" and into is None:
                lists.started(para, element)
            if para.bar is not None:
                bottom = lines[end - 1].y + para.size * para.line_height
                bars = extend_bars(bars, para, lines[start].y, bottom)
            start = end
    finally:
        lists.close(-1)
    painter.bars(view, bars, MARGIN_X)


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


# --------------------------------------------------------------------------- cache across builds


# What a document's bytes depend on besides the deck, the theme and its files.
_WRITER_SOURCES = ("pdf.py", "pdf_draw.py", "pdf_handout.py", "pdf_vector.py", "pptx_images.py")
_ENGINE_SOURCES = ("fit.py", "linebreak.py", "layout.py", "measure.py", "colors.py", "qr.py", "fallback.py",
                   "tables.py", "highlight.py", "htmlrender.py")
_LIBRARIES = ("fpdf", "pypdf", "cairosvg", "cairocffi", "PIL", "fontTools", "pygments", "segno")


def inputs_key(kind: str, deck: Deck, theme: Theme, pictures: Mapping[Path, Picture],
               date: str | None) -> str:
    """A key for one document: the deck as laid out (the model is plain frozen data, so its repr
    says everything), the theme, every file drawn, and the code and library that draw it."""
    deck_text = repr(deck)
    if not deck_text.isascii():
        # Text beyond ASCII may be drawn from system fonts: list them now, so that the key says
        # which were installed even when nothing was measured yet (the handout's notes).
        fallback.system_fonts()
    parts: list[str | bytes] = ["pdf", kind, deck_text, repr(theme), date or ""]
    fonts = sorted({f for role in FONT_ROLES for f in theme.fonts[role].files.values()})
    for path in fonts:
        parts += [str(path), hashlib.sha256(path.read_bytes()).hexdigest()]
    for path in sorted(pictures):
        picture = pictures[path]
        # An SVG is drawn from its source (its PNG fallback, if any, derives from it).
        source = picture.svg if picture.svg is not None else picture.blob
        parts += [str(path), hashlib.sha256(source).hexdigest()]
    here = Path(__file__).resolve().parent
    parts += [source_stamp(str(here / name)) for name in _WRITER_SOURCES]
    package = here.parent
    parts += [source_stamp(str(package / name)) for name in _ENGINE_SOURCES]
    parts += [library_stamp(name) for name in _LIBRARIES]
    # Characters the theme's fonts lack were measured (and are drawn) in system fonts: which
    # fonts are installed then matters too.
    parts.append(fallback.installed_stamp())
    return key_of(*parts)


# Each document keeps one entry, the latest build's (its key inside): a deck edited all day
# does not fill the disk with old PDFs, and an unchanged rebuild still finds its own.
_LATEST = "latest"


def cache_get(cache: DiskCache, kind: str, key: str) -> bytes | None:
    """The value stored under `kind` if it was stored for `key`."""
    stored = cache.get(kind, _LATEST)
    if stored is None:
        return None
    head, _, data = stored.partition(b"\n")
    return data if head == key.encode("ascii") else None


def cache_put(cache: DiskCache, kind: str, key: str, data: bytes) -> None:
    cache.put(kind, _LATEST, key.encode("ascii") + b"\n" + data)


# --------------------------------------------------------------------------- rendering


@dataclass(frozen=True, slots=True)
class Rendered:
    slides: bytes
    handout: bytes
    diagnostics: list[Diagnostic]


# What a forked worker draws: set just before the fork, so the deck is not pickled across.
_FORKED: tuple[Deck, Theme, Mapping[Path, Picture], Mapping[Path, float], str | None, DiskCache] | None = None


def _handout_in_worker() -> Drawn:
    assert _FORKED is not None
    return handout_pdf(*_FORKED)


def _can_fork(slides: int) -> bool:
    """A second process pays off for bigger decks on a multi-core machine, when forking is safe."""
    import multiprocessing
    import threading

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return (slides >= PARALLEL_MIN_SLIDES and cores >= 2 and threading.active_count() == 1
            and not multiprocessing.current_process().daemon
            and "fork" in multiprocessing.get_all_start_methods())


def render(deck: Deck, theme: Theme, environ: Mapping[str, str], parallel: bool | None = None,
           cache: DiskCache = NO_CACHE) -> Rendered:
    """Both PDFs as bytes.

    Documents found in `cache` (same inputs, same bytes) are not drawn again. When both must be,
    the handout is drawn in a forked worker while this process draws the slides (when `parallel`;
    by default for bigger decks on several cores).
    """
    global _FORKED
    deck = printable(deck)
    # SVG images are drawn as vectors: no PNG fallback is made for them (backgrounds make one
    # when drawn, to be cut to the slide).
    pictures, diags = load_pictures(deck, theme, svg_raster=False)
    diags += svg_references(deck, pictures)
    for slide in deck.slides:
        diags += not_rendered(slide.blocks, "PDF")
    if any(d.is_error for d in diags):
        return Rendered(b"", b"", diags)
    prime_highlights(deck_code_blocks(deck), theme.pygments_style, cache)
    aspects = {path: picture.aspect for path, picture in pictures.items()}
    date = pdf_date(deck.meta, environ)
    # The slides do not show the notes: a notes edit leaves the slides' key alone.
    slides_only = replace(deck, slides=tuple(replace(s, notes=()) for s in deck.slides))
    slides_key = inputs_key("slides", slides_only, theme, pictures, date)
    handout_key = inputs_key("handout", deck, theme, pictures, date)
    cached_slides = cache_get(cache, "pdf-slides", slides_key)
    cached_handout = cache_get(cache, "pdf-handout", handout_key)
    slides = Drawn(cached_slides, []) if cached_slides is not None else None
    handout = Drawn(cached_handout, []) if cached_handout is not None else None
    fork = slides is None and handout is None and (
        parallel if parallel is not None else _can_fork(len(deck.slides)))
    if fork:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        import fpdf  # noqa: F401  # imported once, before the fork: the worker inherits it

        _FORKED = (deck, theme, pictures, aspects, date, cache)
        try:
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
                future = pool.submit(_handout_in_worker)
                slides = slides_pdf(deck, theme, pictures, aspects, date, cache)
                handout = future.result()
        finally:
            _FORKED = None
    if slides is None:
        slides = slides_pdf(deck, theme, pictures, aspects, date, cache)
    if handout is None:
        handout = handout_pdf(deck, theme, pictures, aspects, date, cache)
    # A document with problems is not kept: the next build reports them again.
    for kind, key, drawn, fresh in (("pdf-slides", slides_key, slides, cached_slides is None),
                                    ("pdf-handout", handout_key, handout, cached_handout is None)):
        if fresh and not drawn.problems:
            cache_put(cache, kind, key, drawn.data)
    problems = list(dict.fromkeys([*slides.problems, *handout.problems]))
    return Rendered(slides.data, handout.data, [*diags, *problems])


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
    rendered = render(deck, theme, os.environ, cache=project_cache(deck.root))
    diags += rendered.diagnostics
    if any(d.is_error for d in diags):
        return [], diags
    slides_path = out_dir / f"{deck.meta.slug}.pdf"
    handout_path = out_dir / f"{deck.meta.slug}-handout.pdf"
    write_bytes(slides_path, rendered.slides)
    write_bytes(handout_path, rendered.handout)
    return [slides_path, handout_path], diags
