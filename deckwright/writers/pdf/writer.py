"""The PDF writer: the deck (one 16:9 page per slide) and an A4 handout with notes, drawn by fpdf2."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from deckwright.diagnostics import Diagnostic, error, warning
from deckwright.layout import fonts as fallback
from deckwright.layout.code import deck_code_blocks, prime_highlights
from deckwright.layout.fit import plan_of
from deckwright.layout.plan import Plan
from deckwright.model.deck import Deck, deck_images
from deckwright.model.theme import FONT_ROLES, Theme
from deckwright.support.atomic import write_bytes
from deckwright.support.diskcache import (
    NO_CACHE,
    DiskCache,
    key_of,
    library_stamp,
    project_cache,
    source_stamp,
)
from deckwright.support.packaged import PACKAGE_DIR
from deckwright.support.workers import cpu_workers, forked_pool
from deckwright.writers import output_names
from deckwright.writers.common.document import DocumentMeta, document_meta
from deckwright.writers.common.images import Picture, load_pictures, not_rendered
from deckwright.writers.common.svg import PT_PER_PX
from deckwright.writers.common.svglimits import parse_svg
from deckwright.writers.pdf.canvas import View
from deckwright.writers.pdf.document import (
    Drawn,
    bookmark,
    draw_document,
    outline_levels,
)
from deckwright.writers.pdf.handout import handout_pdf
from deckwright.writers.pdf.painter import Painter

_SLUG_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
# Below this many slides a second process costs more (fork, a second font set-up) than it saves.
PARALLEL_MIN_SLIDES = 40


# --------------------------------------------------------------------------- checks


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

    try:
        root = parse_svg(svg)
    except ValueError:
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


def slides_pdf(deck: Deck, plan: Plan, theme: Theme, pictures: Mapping[Path, Picture],
               doc: DocumentMeta, cache: DiskCache = NO_CACHE) -> Drawn:
    """One page per slide at the theme's size (1 px = 0.75 pt), every step shown."""

    def draw(pdf: Any, painter: Painter) -> None:
        view = View(0.0, 0.0, PT_PER_PX)
        levels = outline_levels(deck.slides)
        for number, (slide, level) in enumerate(zip(deck.slides, levels, strict=True), start=1):
            pdf.add_page()
            bookmark(pdf, slide, number, level, 0.0)
            painter.slide(view, slide, plan.slides[number - 1], number)

    size = (theme.width * PT_PER_PX, theme.height * PT_PER_PX)
    return draw_document(deck, theme, pictures, doc, cache, size, draw)


# --------------------------------------------------------------------------- cache across builds


# Libraries whose upgrade may change a document's bytes.
_LIBRARIES = ("fpdf", "pypdf", "cairosvg", "cairocffi", "PIL", "fontTools", "pygments", "segno")


def inputs_key(kind: str, deck: Deck, theme: Theme, pictures: Mapping[Path, Picture],
               doc: DocumentMeta) -> str:
    """A key for one document: the deck as laid out (the model is plain frozen data, so its repr
    says everything), its metadata with the date, the theme, every file drawn, and the code and
    libraries that draw it."""
    deck_text, theme_text = repr(deck), repr(theme)
    parts: list[str | bytes] = ["pdf", kind, deck_text, theme_text, repr(doc)]
    fonts = sorted({f for role in FONT_ROLES for f in theme.fonts[role].files.values()})
    for path in fonts:
        parts += [str(path), hashlib.sha256(path.read_bytes()).hexdigest()]
    for path in sorted(pictures):
        picture = pictures[path]
        # An SVG is drawn from its source (its PNG fallback, if any, derives from it).
        source = picture.svg if picture.svg is not None else picture.blob
        parts += [str(path), hashlib.sha256(source).hexdigest()]
    # Every module of the package: which of them shape a PDF is not worth keeping a list of.
    parts += [source_stamp(str(path)) for path in sorted(PACKAGE_DIR.rglob("*.py"))]
    parts += [library_stamp(name) for name in _LIBRARIES]
    if not (deck_text + theme_text).isascii():
        # Text beyond ASCII may be measured and drawn in system fonts: which are installed matters.
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


@dataclass(frozen=True, slots=True)
class Inputs:
    """What both documents are drawn from (plain data: a forked worker inherits it)."""

    deck: Deck
    plan: Plan
    theme: Theme
    pictures: Mapping[Path, Picture]
    doc: DocumentMeta
    cache: DiskCache

    def args(self) -> tuple[Deck, Plan, Theme, Mapping[Path, Picture], DocumentMeta, DiskCache]:
        return self.deck, self.plan, self.theme, self.pictures, self.doc, self.cache


# What a forked worker draws: set just before the fork, so the deck is not pickled across.
_FORKED: Inputs | None = None


def _handout_in_worker() -> Drawn:
    assert _FORKED is not None
    return handout_pdf(*_FORKED.args())


def _can_fork(slides: int) -> bool:
    """A second process pays off for bigger decks on a multi-core machine, when forking is safe."""
    import multiprocessing
    import threading

    cores = cpu_workers()
    return (slides >= PARALLEL_MIN_SLIDES and cores >= 2 and threading.active_count() == 1
            and not multiprocessing.current_process().daemon
            and "fork" in multiprocessing.get_all_start_methods())


def _both_in_parallel(inputs: Inputs) -> tuple[Drawn, Drawn]:
    """The handout drawn in a forked worker while this process draws the slides."""
    global _FORKED
    import fpdf  # noqa: F401  # imported once, before the fork: the worker inherits it

    _FORKED = inputs
    try:
        with forked_pool(1) as pool:
            future = pool.submit(_handout_in_worker)
            slides = slides_pdf(*inputs.args())
            return slides, future.result()
    finally:
        _FORKED = None


def _inputs(deck: Deck, plan: Plan, theme: Theme, environ: Mapping[str, str],
            cache: DiskCache) -> tuple[Inputs, list[Diagnostic]]:
    """The deck's pictures loaded and checked."""
    # Raw HTML is for the HTML output only: fit lays out no RawHtml block, so the PDF has none.
    # SVG images are drawn as vectors: no PNG fallback is made for them (backgrounds make one
    # when drawn, to be cut to the slide).
    pictures, diags = load_pictures(deck, theme, svg_raster=False)
    diags += svg_references(deck, pictures)
    for slide in deck.slides:
        diags += not_rendered(slide.blocks, "PDF")
    return Inputs(deck, plan, theme, pictures, document_meta(deck.meta, environ), cache), diags


def render(deck: Deck, theme: Theme, environ: Mapping[str, str], parallel: bool | None = None,
           cache: DiskCache = NO_CACHE, plan: Plan | None = None) -> Rendered:
    """Both PDFs as bytes, drawn from fit's `plan` (without it, the slides are laid out at their scales).

    Documents found in `cache` (same inputs, same bytes) are not drawn again. When both must be,
    the handout is drawn in a forked worker while this process draws the slides (when `parallel`;
    by default for bigger decks on several cores).
    """
    inputs, diags = _inputs(deck, plan_of(deck, theme, plan), theme, environ, cache)
    if any(d.is_error for d in diags):
        return Rendered(b"", b"", diags)
    deck = inputs.deck
    # The slides do not show the notes: a notes edit leaves the slides' key alone.
    slides_only = replace(deck, slides=tuple(replace(s, notes=()) for s in deck.slides))
    keys = (inputs_key("slides", slides_only, theme, inputs.pictures, inputs.doc),
            inputs_key("handout", deck, theme, inputs.pictures, inputs.doc))
    cached = (cache_get(cache, "pdf-slides", keys[0]), cache_get(cache, "pdf-handout", keys[1]))
    if None in cached:
        # Notes' code too (fit primed the slides'): highlighted once, or read from the cache.
        prime_highlights(deck_code_blocks(deck), theme.pygments_style, cache)
    if cached[0] is None and cached[1] is None and (
            parallel if parallel is not None else _can_fork(len(deck.slides))):
        slides, handout = _both_in_parallel(inputs)
    else:
        slides = Drawn(cached[0], []) if cached[0] is not None else slides_pdf(*inputs.args())
        handout = Drawn(cached[1], []) if cached[1] is not None else handout_pdf(*inputs.args())
    # A document with problems is not kept: the next build reports them again.
    for kind, key, drawn, stored in zip(("pdf-slides", "pdf-handout"), keys, (slides, handout), cached,
                                        strict=True):
        if stored is None and not drawn.problems:
            cache_put(cache, kind, key, drawn.data)
    problems = list(dict.fromkeys([*slides.problems, *handout.problems]))
    return Rendered(slides.data, handout.data, [*diags, *problems])


def write(deck: Deck, theme: Theme, out_dir: Path, *,
          plan: Plan | None = None) -> tuple[list[Path], list[Diagnostic]]:
    """Write out_dir/<slug>.pdf (the slides) and out_dir/<slug>-handout.pdf (A4, with notes)."""
    first = deck.slides[0].ref if deck.slides else None
    if not _SLUG_RE.match(deck.meta.slug):
        return [], [error(first, f"invalid output name (slug) {deck.meta.slug!r}")]
    if not deck.slides:
        return [], [error(None, "the deck has no slides: no PDF written")]
    rendered = render(deck, theme, os.environ, cache=project_cache(deck.root), plan=plan)
    diags = rendered.diagnostics
    if any(d.is_error for d in diags):
        return [], diags
    slides_path, handout_path = (out_dir / name for name in output_names("pdf", deck.meta.slug))
    write_bytes(slides_path, rendered.slides)
    write_bytes(handout_path, rendered.handout)
    return [slides_path, handout_path], diags
