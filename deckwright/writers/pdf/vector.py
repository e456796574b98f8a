"""SVG images as vectors in the PDF: cairosvg makes each a one-page PDF, pypdf places it on its pages."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from deckwright.support.diskcache import NO_CACHE, DiskCache
from deckwright.writers.common.svg import svg_pdf


@dataclass(frozen=True, slots=True)
class Placement:
    """An SVG to draw on page `page` (0-based) into the box x, y, w, h (points, y down from the top)."""

    page: int
    svg: bytes
    x: float
    y: float
    w: float
    h: float


def _as_artifact(pdf: bytes) -> Any:
    """The SVG's page with its drawing marked as an artifact: the figure's structure element (with
    the alt text) is in the document already, and a tagged PDF has no untagged content."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ContentStream, DecodedStreamObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    page = writer.pages[0]
    contents = page.get_contents()
    raw = DecodedStreamObject()
    raw.set_data(b"/Artifact BMC\n" + (contents.get_data() if contents is not None else b"") + b"\nEMC\n")
    page.replace_contents(ContentStream(raw, writer))
    return page


def place_vectors(document: bytes, placements: Sequence[Placement], cache: DiskCache = NO_CACHE) -> bytes:
    """`document` with every placement drawn over its page (outline, tags and metadata kept).

    The result depends only on the inputs: pypdf keeps the document's /ID and writes no date.
    """
    if not placements:
        return document
    from pypdf import PdfReader, PdfWriter, Transformation

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(document)))
    sources: dict[bytes, object] = {}
    for spot in placements:
        source = sources.get(spot.svg)
        if source is None:
            source = sources[spot.svg] = _as_artifact(svg_pdf(spot.svg, cache))
        page = writer.pages[spot.page]
        width, height = float(source.mediabox.width), float(source.mediabox.height)  # type: ignore[attr-defined]
        if width <= 0 or height <= 0:
            continue
        page_h = float(page.mediabox.height)
        # One scale for both axes (the box's aspect comes from a rounded size), centred in the box.
        scale = min(spot.w / width, spot.h / height)
        dx, dy = (spot.w - width * scale) / 2, (spot.h - height * scale) / 2
        ctm = Transformation().scale(scale, scale).translate(spot.x + dx, page_h - spot.y - spot.h + dy)
        page.merge_transformed_page(source, ctm)  # type: ignore[arg-type]
    # pypdf writes a 1.3 header; the document and the SVGs' drawings (transparency groups) need more.
    writer.pdf_header = max(document[:8], b"%PDF-1.5")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
