"""Place the slide pages of the deck PDF, as vector Form XObjects, into the handout's empty frames.

The handout is laid out by WeasyPrint with an empty, exactly sized box where each slide goes;
the slides are then drawn into those boxes from the deck PDF, so every slide is laid out once
(not twice) and the handout shows the very same pages: same fonts, same line breaks.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

# 1 CSS px = 0.75 pt: WeasyPrint reports anchor positions in CSS px from the top-left corner.
PT_PER_PX = 0.75


@dataclass(frozen=True, slots=True)
class Slot:
    """Where slide `slide` (0-based) goes: page `page` (0-based), a box in CSS px from the top-left."""

    page: int
    slide: int
    x1: float
    y1: float
    x2: float
    y2: float


def placement(slot: Slot, page_height_pt: float, slide_width_pt: float) -> tuple[float, float, float]:
    """(scale, x, y) in pt that maps the slide page onto the slot (PDF origin: bottom-left)."""
    scale = (slot.x2 - slot.x1) * PT_PER_PX / slide_width_pt
    return scale, slot.x1 * PT_PER_PX, page_height_pt - slot.y2 * PT_PER_PX


def transform_rect(rect: list[float], scale: float, dx: float, dy: float) -> list[float]:
    """A rectangle of the slide page, in handout page coordinates."""
    x1, y1, x2, y2 = rect
    return [x1 * scale + dx, y1 * scale + dy, x2 * scale + dx, y2 * scale + dy]


def _num(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def draw_operator(name: str, scale: float, dx: float, dy: float) -> str:
    """Content-stream operators drawing Form XObject `name` scaled and moved into place."""
    return f"q {_num(scale)} 0 0 {_num(scale)} {_num(dx)} {_num(dy)} cm {name} Do Q\n"


def _raw_stream(stream: Any, writer: Any) -> Any:
    """A copy of `stream` (still encoded: no decompress/recompress) as a new stream of `writer`."""
    from pypdf.generic import EncodedStreamObject, NameObject

    copy = EncodedStreamObject()
    copy._data = stream._data  # the encoded bytes; set_data() would expect decoded ones
    for key in ("/Filter", "/DecodeParms"):
        if key in stream:
            copy[NameObject(key)] = stream[key]
    return copy


def _form(page: Any, writer: Any) -> Any:
    """The slide page as a Form XObject owned by `writer` (fonts and images cloned once)."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject

    contents: Any = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if contents is not None and not isinstance(contents, list):
        # WeasyPrint writes one compressed stream per page: reuse its bytes as they are.
        xobject = _raw_stream(contents, writer)
    else:
        xobject = DecodedStreamObject()
        content = page.get_contents()
        xobject.set_data(content.get_data() if content is not None else b"")
    resources: Any = page["/Resources"].get_object()
    xobject.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(v) for v in page.mediabox),
        NameObject("/Resources"): resources.clone(writer),
    })
    if "/Group" in page:  # transparency group: keeps the page's blending when drawn as a form
        group: Any = page["/Group"].get_object()
        xobject[NameObject("/Group")] = group.clone(writer)
    return writer._add_object(xobject)


def _copy_links(source: Any, page: Any, writer: Any, scale: float, dx: float, dy: float) -> None:
    """The slide's external links, moved onto the handout page (internal ones would point nowhere)."""
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NumberObject

    for annot in source.get("/Annots", []) or []:
        link: Any = annot.get_object()
        action: Any = link.get("/A")
        action = action.get_object() if action is not None else None
        if link.get("/Subtype") != "/Link" or action is None or action.get("/S") != "/URI":
            continue
        rect = transform_rect([float(v) for v in link["/Rect"]], scale, dx, dy)
        copy = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject(FloatObject(v) for v in rect),
            NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
            NameObject("/A"): action.clone(writer),
        })
        if "/Annots" not in page:
            page[NameObject("/Annots")] = ArrayObject()
        annots: Any = page["/Annots"].get_object()
        annots.append(writer._add_object(copy))


def stamp(handout: bytes, slides: bytes, slots: list[Slot]) -> bytes:
    """The handout PDF with each slot filled by its slide page; external links are kept clickable."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    reader = PdfReader(io.BytesIO(slides))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(handout)))
    draws: dict[int, list[str]] = {}
    for slot in slots:
        page: Any = writer.pages[slot.page]
        source = reader.pages[slot.slide]
        scale, dx, dy = placement(slot, float(page.mediabox.height), float(source.mediabox.width))
        name = f"/DwSlide{slot.slide + 1}"
        resources: Any = page["/Resources"].get_object()
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        resources["/XObject"].get_object()[NameObject(name)] = _form(source, writer)
        draws.setdefault(slot.page, []).append(draw_operator(name, scale, dx, dy))
        _copy_links(source, page, writer, scale, dx, dy)
    for index, lines in draws.items():
        # Slides first, then the handout's own content (transparent background) on top: text is
        # extracted slide then notes, and the frame's border is drawn over the slide's edge.
        # The page's own stream is kept as it is, between q and Q (it may leave the CTM changed).
        target: Any = writer.pages[index]
        first = DecodedStreamObject()
        first.set_data("".join(lines).encode("ascii") + b"q\n")
        last = DecodedStreamObject()
        last.set_data(b"\nQ\n")
        old: Any = target.get("/Contents")
        old_refs = list(old.get_object()) if isinstance(old.get_object(), list) else [old]
        target[NameObject("/Contents")] = ArrayObject(
            [writer._add_object(first), *old_refs, writer._add_object(last)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
