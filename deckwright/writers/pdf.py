"""The PDF writer: the deck (one 16:9 page per slide) and an A4 handout with notes, by WeasyPrint."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from deckwright.atomic import write_bytes
from deckwright.css import theme_css
from deckwright.diagnostics import Diagnostic, SourceRef, error, warning
from deckwright.diskcache import NO_CACHE, DiskCache, key_of, library_stamp, project_cache, source_stamp
from deckwright.htmlrender import (
    RenderOptions,
    notes_html,
    slide_classes,
    slide_frame_html,
    slide_style,
    title_sizes,
)
from deckwright.model import (
    Block,
    Columns,
    Deck,
    DeckMeta,
    Image,
    Layout,
    ListBlock,
    QRCode,
    Quote,
    RawHtml,
    Slide,
    deck_images,
    iter_blocks,
    plain_text,
)
from deckwright.theme import FONT_ROLES, Theme
from deckwright.writers.pdf_css import RESET_CSS, handout_css, slides_css
from deckwright.writers.pdf_stamp import Slot, stamp

_SLUG_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
# Image formats WeasyPrint draws (through Pillow, or its own SVG renderer).
PDF_IMAGE_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".tif", ".tiff"})
# A background colour written by the author goes into a style attribute: colour syntax only.
_COLOR_RE = re.compile(r"^[#A-Za-z0-9(),.%\s-]{1,64}$")
# Below this many slides a second process costs more (fork, a second font set-up) than it saves.
PARALLEL_MIN_SLIDES = 40
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
    """The deck without raw HTML: it is for the HTML output only (the reader warns; fit and the
    PPTX skip it), and WeasyPrint must not fetch or run what an author's HTML points at."""
    return replace(deck, slides=tuple(replace(s, blocks=_without_raw_html(s.blocks),
                                              notes=_without_raw_html(s.notes))
                                      for s in deck.slides))


def slide_frames(deck: Deck, theme: Theme, opts: RenderOptions) -> list[Markup]:
    """Every slide's frame, built once and shared by both documents; all steps shown."""
    return [slide_frame_html(s, n, opts, *title_sizes(s, theme))
            for n, s in enumerate(deck.slides, start=1)]


def pdf_identifier(meta: DeckMeta, kind: str) -> bytes:
    """A stable /ID for the file (the same deck and kind give the same first half)."""
    return hashlib.md5(f"deckwright:{meta.slug}:{kind}".encode(), usedforsecurity=False).hexdigest().encode()


# --------------------------------------------------------------------------- checks


def message_ref(deck: Deck, message: str) -> SourceRef | None:
    """Where a WeasyPrint message belongs: the image it names, else the first slide."""
    for path, ref in deck_images(deck):
        if file_url(path) in message:
            return ref
    return deck.slides[0].ref if deck.slides else None


def check_files(deck: Deck, theme: Theme) -> list[Diagnostic]:
    """Missing images and fonts are errors; formats WeasyPrint cannot draw are warnings."""
    diags: list[Diagnostic] = []
    for path, ref in deck_images(deck):
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


@dataclass(frozen=True, slots=True)
class Documents:
    """The two documents as HTML and print CSS: all WeasyPrint needs beside the theme (plain
    strings, so a forked worker can take them)."""

    slides_html: str
    slides_css: str
    handout_html: str
    handout_css: str


def file_url(path: Path) -> str:
    return path.resolve().as_uri()


def render_options(theme: Theme) -> RenderOptions:
    """Print options: every step shown, files by file:// URL (WeasyPrint reads them directly)."""
    return RenderOptions(asset_url=file_url, code_style=theme.pygments_style, fragments=False,
                         footer_text=theme.footer_text,
                         logo_url=file_url(theme.logo) if theme.logo is not None else None,
                         slide_numbers=theme.slide_numbers)


def documents(deck: Deck, theme: Theme, date: str | None) -> Documents:
    opts = render_options(theme)
    frames = slide_frames(deck, theme, opts)
    return Documents(slides_document(deck, frames, file_url, date), slides_css(theme),
                     handout_document(deck, opts, date), handout_css(theme, deck.meta))


def _slots(pages: list[Any]) -> list[Slot]:
    """Where WeasyPrint put each handout slot (anchor boxes in CSS px), in slide order."""
    found = []
    for index, page in enumerate(pages):
        for name, (x1, y1, x2, y2) in page.anchors.items():
            if name.startswith("dw-slot-"):
                found.append(Slot(index, int(name.removeprefix("dw-slot-")) - 1, x1, y1, x2, y2))
    return sorted(found, key=lambda s: s.slide)


class _Collect(logging.Handler):
    """Keeps WeasyPrint's warnings (bad CSS, unreadable images) as text, to report as diagnostics."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def allowed_roots(deck: Deck, theme: Theme) -> tuple[Path, ...]:
    """Folders WeasyPrint may read from: the project, the theme, and those of the deck's images
    (the reader checked them, --allow-dir included)."""
    folders = {deck.root.resolve(), theme.directory.resolve()}
    folders |= {path.resolve().parent for path, _ in deck_images(deck)}
    return tuple(sorted(folders))


def is_allowed(url: str, roots: tuple[Path, ...]) -> bool:
    """Only data: URLs and files inside `roots`: no network (an SVG may point anywhere), no /etc."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path)).resolve()
    return any(path.is_relative_to(root) for root in roots)


def _fetcher(roots: tuple[Path, ...]) -> Any:
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not is_allowed(url, roots):
                raise ValueError(f"not fetched (only files of the project and theme): {url}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file", "data"))


# Collections while WeasyPrint builds its box trees: Python's default thresholds start a
# full-heap scan every few hundred thousand allocations, over millions of live objects.
# Rarer young collections (the trees are freed by reference counting, not by the collector)
# take ~35% off the CPU time of both documents, for no more memory (tested).
_GC_THRESHOLDS = (100_000, 50, 1000)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the block with rare garbage collections, then restore the thresholds."""
    old = gc.get_threshold()
    gc.set_threshold(*_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _cached_page_references() -> None:
    """Make pydyf's `PDF.page_references` cost O(1) instead of O(pages).

    pydyf 0.13 builds the tuple of every page's reference on each access, and WeasyPrint reads
    it once per tagged element and per link: quadratic in pages (~0.7 s of 2.5 s of writing at
    400 slides). The tuple is kept until a page is added; the bytes are the same.
    """
    import pydyf

    if getattr(pydyf.PDF, "_deckwright_cached", False):
        return
    build = pydyf.PDF.page_references.fget

    def page_references(self: Any) -> tuple[bytes, ...]:
        count = len(self.pages["Kids"])
        cached = self.__dict__.get("_deckwright_page_references")
        if cached is None or cached[0] != count:
            cached = (count, build(self))
            self.__dict__["_deckwright_page_references"] = cached
        result: tuple[bytes, ...] = cached[1]
        return result

    pydyf.PDF.page_references = property(page_references)
    pydyf.PDF._deckwright_cached = True


# WeasyPrint's user-agent sheet gives every element six pseudo-elements (::marker and the
# footnote/note calls and markers) whose styles are cascaded and computed for each element: 6 of
# every 8 computed styles in a deck. Slides have no footnote floats, and only list items markers.
# Its @page rule styles the 16 margin boxes (alignment only): WeasyPrint then computes those 16
# styles anew for every page, ~15% of a slide's layout. Slides have no margin boxes; the handout
# aligns its three itself (pdf_css.handout_css).
_UA_DROPPED = re.compile(r"^::(footnote|note)-[a-z]+\s*\{[^}]*\}\s*$|^@counter-style[^\n]*$"
                         r"|^@page \{.*?^\}", re.M | re.S)


def lean_user_agent_css(ua: str) -> str:
    """WeasyPrint's user-agent sheet without the rules matching pseudo-elements of every element.

    Footnote and note calls go (nothing in a deck floats to a footnote), `::marker` becomes
    `li::marker`, the @page rule goes (both documents set their page size, margins and margin
    boxes), the counter styles go (WeasyPrint registered them when it parsed its own sheet).
    """
    return _UA_DROPPED.sub("", ua.replace("\n::marker {", "\nli::marker {"))


def _html_class() -> Any:
    """weasyprint.HTML with the lean user-agent sheet (same rendering, a third fewer styles)."""
    from weasyprint import CSS, HTML
    from weasyprint.html import UA

    lean = CSS(string=lean_user_agent_css(UA))

    class LeanHTML(HTML):  # type: ignore[misc]
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [lean]

    return LeanHTML


# The shared sheet sets box-sizing on every ::before/::after of a slide, so WeasyPrint cascades
# two pseudo-element styles per element; the slide markup generates no ::before/::after content.
_EVERY_PSEUDO = ".dw-slide *, .dw-slide *::before, .dw-slide *::after {"


def print_theme_css(theme: Theme) -> str:
    """theme_css for WeasyPrint: the same rules, without those matching every pseudo-element."""
    return theme_css(theme, file_url).replace(_EVERY_PSEUDO, ".dw-slide * {")


class Engine:
    """WeasyPrint with the theme's fonts and stylesheet parsed once, for one or both documents.

    WeasyPrint is imported here only, so the CLI starts without it.
    """

    def __init__(self, theme: Theme, base_url: str, roots: tuple[Path, ...]) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        _cached_page_references()
        self.html = _html_class()
        self.base_url = base_url
        self.fetcher = _fetcher(roots)
        self.fonts = FontConfiguration()
        self.shared = [CSS(string=RESET_CSS, url_fetcher=self.fetcher),
                       CSS(string=print_theme_css(theme), font_config=self.fonts, base_url=base_url,
                           url_fetcher=self.fetcher)]
        # Images (SVG diagrams, photos) are decoded once for both documents.
        self.cache: dict[str, Any] = {}

    def _document(self, html: str, css: str, tags: bool) -> Any:
        from weasyprint import CSS

        return self.html(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
            stylesheets=[*self.shared, CSS(string=css, font_config=self.fonts, url_fetcher=self.fetcher)],
            font_config=self.fonts, cache=self.cache, pdf_tags=tags)

    def slides_layout(self, html: str, css: str) -> Any:
        """The deck laid out (a weasyprint Document), ready to be written tagged and untagged."""
        return self._document(html, css, tags=True)

    def slides(self, html: str, css: str, identifier: bytes) -> tuple[bytes, bytes]:
        """(the deck PDF, tagged; the same pages untagged, which pdf_stamp reads 8x faster)."""
        document = self.slides_layout(html, css)
        return tagged_pdf(document, identifier), document.write_pdf()

    def handout(self, html: str, css: str, identifier: bytes) -> tuple[bytes, list[Slot]]:
        """The handout with empty slide frames, and where those frames are."""
        document = self._document(html, css, tags=False)
        return document.write_pdf(pdf_identifier=identifier), _slots(document.pages)


def tagged_pdf(document: Any, identifier: bytes) -> bytes:
    """The deck PDF: tagged, so images carry their alt text, reading order and language are declared."""
    result: bytes = document.write_pdf(pdf_tags=True, pdf_identifier=identifier)
    return result


# What the second forked worker works on, set just before it forks (nothing is pickled on the
# way in): the laid-out deck, the handout skeleton and its slots.
_FORKED: tuple[Any, bytes, list[Slot]] | None = None


def _untagged_and_stamped_in_worker() -> tuple[bytes, bytes, list[str]]:
    """(the untagged deck, the handout with the slides stamped in, WeasyPrint's warnings)."""
    assert _FORKED is not None
    document, skeleton, slots = _FORKED
    collect = _Collect()
    logging.getLogger("weasyprint").addHandler(collect)
    source = document.write_pdf()
    return source, stamp(skeleton, source, slots), collect.messages


def _handout_in_worker(theme: Theme, base_url: str, roots: tuple[Path, ...], html: str, css: str,
                       identifier: bytes) -> tuple[bytes, list[Slot], list[str]]:
    collect = _Collect()
    logging.getLogger("weasyprint").addHandler(collect)
    skeleton, slots = Engine(theme, base_url, roots).handout(html, css, identifier)
    return skeleton, slots, collect.messages


def _can_fork(slides: int) -> bool:
    """A second process pays off for bigger decks on a multi-core machine, when forking is safe."""
    import multiprocessing
    import threading

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return (slides >= PARALLEL_MIN_SLIDES and cores >= 2 and threading.active_count() == 1
            and not multiprocessing.current_process().daemon
            and "fork" in multiprocessing.get_all_start_methods())


# --------------------------------------------------------------------------- cache across builds


def inputs_key(deck: Deck, theme: Theme, *texts: str) -> str:
    """A key for a document: its HTML and CSS, every file it may read, and the code and libraries
    that render it. Equal keys give equal bytes (the output is deterministic)."""
    files = sorted({p for p, _ in deck_images(deck)} | set(
        f for role in FONT_ROLES for f in theme.fonts[role].files.values())
        | ({theme.logo} if theme.logo is not None else set()))
    parts: list[str | bytes] = ["pdf", *texts, theme_css(theme, file_url), RESET_CSS]
    for path in files:
        parts += [str(path), hashlib.sha256(path.read_bytes()).hexdigest()]
    here = Path(__file__).resolve().parent
    parts += [source_stamp(str(here / name)) for name in ("pdf.py", "pdf_css.py", "pdf_stamp.py")]
    parts += [library_stamp(name) for name in ("weasyprint", "pydyf", "pypdf")]
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


def _encode_slots(slots: list[Slot]) -> bytes:
    return json.dumps([[s.page, s.slide, s.x1, s.y1, s.x2, s.y2] for s in slots]).encode("ascii")


def _decode_slots(data: bytes) -> list[Slot] | None:
    try:
        return [Slot(int(a), int(b), float(c), float(d), float(e), float(f))
                for a, b, c, d, e, f in json.loads(data)]
    except (ValueError, TypeError):
        return None


def render(deck: Deck, theme: Theme, environ: Mapping[str, str], parallel: bool | None = None,
           cache: DiskCache = NO_CACHE) -> Rendered:
    """Both PDFs as bytes.

    Documents found in `cache` (same inputs, same bytes) are not laid out again. When both must
    be, the handout is laid out in a forked worker while this process does the slides (when
    `parallel`; by default for bigger decks on several cores). Then the slides are stamped
    into the handout's frames.
    """
    with fewer_collections():
        return _render(deck, theme, environ, parallel, cache)


def _render(deck: Deck, theme: Theme, environ: Mapping[str, str], parallel: bool | None,
            cache: DiskCache) -> Rendered:
    deck = printable(deck)
    docs = documents(deck, theme, pdf_date(deck.meta, environ))
    base_url = deck.root.resolve().as_uri() + "/"
    roots = allowed_roots(deck, theme)
    slides_key = inputs_key(deck, theme, docs.slides_html, docs.slides_css)
    handout_key = inputs_key(deck, theme, docs.handout_html, docs.handout_css)
    slides = cache_get(cache, "pdf-slides", slides_key)
    source = cache_get(cache, "pdf-slides-untagged", slides_key)
    skeleton = cache_get(cache, "pdf-handout", handout_key)
    slots = _decode_slots(cache_get(cache, "pdf-handout-slots", handout_key) or b"null")
    slides_id, handout_id = pdf_identifier(deck.meta, "slides"), pdf_identifier(deck.meta, "handout")
    need_slides = slides is None or source is None
    need_handout = skeleton is None or slots is None
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    messages: list[str] = []
    handout: bytes | None = None
    try:
        fork = need_slides and need_handout and (
            parallel if parallel is not None else _can_fork(len(deck.slides)))
        if fork:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            global _FORKED
            context = multiprocessing.get_context("fork")
            # Two workers: the handout's layout while this process lays out the deck, then the
            # untagged deck and the stamping while this process writes the tagged deck.
            with ProcessPoolExecutor(1, mp_context=context) as pool:
                future = pool.submit(_handout_in_worker, theme, base_url, roots, docs.handout_html,
                                     docs.handout_css, handout_id)
                document = Engine(theme, base_url, roots).slides_layout(docs.slides_html, docs.slides_css)
                skeleton, slots, messages = future.result()
            _FORKED = (document, skeleton, slots)
            # Frozen, the laid-out deck is not walked by the worker's collector: its pages stay
            # shared with this process instead of being copied on write.
            gc.freeze()
            try:
                with ProcessPoolExecutor(1, mp_context=context) as pool:
                    second = pool.submit(_untagged_and_stamped_in_worker)
                    slides = tagged_pdf(document, slides_id)
                    source, handout, more = second.result()
            finally:
                gc.unfreeze()
                _FORKED = None
            messages = [*messages, *more]
        elif need_slides or need_handout:
            engine = Engine(theme, base_url, roots)
            if need_slides:
                slides, source = engine.slides(docs.slides_html, docs.slides_css, slides_id)
            if need_handout:
                skeleton, slots = engine.handout(docs.handout_html, docs.handout_css, handout_id)
    finally:
        logger.removeHandler(collect)
    assert slides is not None and source is not None and skeleton is not None and slots is not None
    messages = list(dict.fromkeys([*collect.messages, *messages]))
    # A document WeasyPrint complained about is not kept: the next build reports it again.
    if need_slides and not messages:
        cache_put(cache, "pdf-slides", slides_key, slides)
        cache_put(cache, "pdf-slides-untagged", slides_key, source)
    if need_handout and not messages:
        cache_put(cache, "pdf-handout", handout_key, skeleton)
        cache_put(cache, "pdf-handout-slots", handout_key, _encode_slots(slots))
    if handout is None:
        handout = stamp(skeleton, source, slots)
    return Rendered(slides, handout, [warning(message_ref(deck, m), f"PDF: {m}") for m in messages])


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
    slides_path = out_dir / f"{deck.meta.slug}.pdf"
    handout_path = out_dir / f"{deck.meta.slug}-handout.pdf"
    write_bytes(slides_path, rendered.slides)
    write_bytes(handout_path, rendered.handout)
    return [slides_path, handout_path], [*diags, *rendered.diagnostics]

