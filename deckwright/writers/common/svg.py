"""SVG images as one-page vector PDFs (cairosvg) and their size, which every writer lays out with."""

from __future__ import annotations

import io

from deckwright.support.diskcache import NO_CACHE, DiskCache, key_of, library_stamp, source_stamp

PT_PER_PX = 0.75  # CSS px to PDF points


def svg_pdf(svg: bytes, cache: DiskCache = NO_CACHE) -> bytes:
    """The SVG as a one-page PDF (text as text, shapes as paths), from the project's cache or cairosvg.

    Without `unsafe`, cairosvg resolves no XML entities and reads no file or URL the SVG names.
    """
    key = key_of("svg-pdf", library_stamp("cairosvg"), library_stamp("cairocffi"),
                 source_stamp(__file__), svg)
    stored = cache.get("svg-pdf", key)
    if stored is not None and stored.startswith(b"%PDF"):
        return stored
    import cairosvg

    data: bytes = cairosvg.svg2pdf(bytestring=svg)
    cache.put("svg-pdf", key, data)
    return data


def svg_size_px(svg: bytes, cache: DiskCache = NO_CACHE) -> tuple[int, int]:
    """The SVG's size in CSS px, from the page of its vector PDF (which is made, checked and cached)."""
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(svg_pdf(svg, cache))).pages[0].mediabox
    return round(float(box.width) / PT_PER_PX), round(float(box.height) / PT_PER_PX)
