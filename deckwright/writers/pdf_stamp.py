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


def stamp(handout: bytes, slides: bytes, slots: list[Slot]) -> bytes:
    """The handout PDF with each slot filled by its slide page; external links are kept clickable."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
    )

    reader = PdfReader(io.BytesIO(slides))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(handout)))
    forms: dict[int, Any] = {}

    def form(index: int) -> Any:
        """The slide page as a Form XObject in the writer (made once per slide)."""
        if index in forms:
            return forms[index]
        page = reader.pages[index]
        content = page.get_contents()
        data = content.get_data() if content is not None else b""
        xobject = DecodedStreamObject()
        xobject.set_data(data)
        xobject.update({
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in page.mediabox),
            NameObject("/Resources"): page["/Resources"].get_object().clone(writer),
        })
        if "/Group" in page:
            xobject[NameObject("/Group")] = page["/Group"].get_object().clone(writer)
        forms[index] = writer._add_object(xobject.flate_encode())
        return forms[index]

    for slot in slots:
        page = writer.pages[slot.page]
        source = reader.pages[slot.slide]
        scale, dx, dy = placement(slot, float(page.mediabox.height), float(source.mediabox.width))
        name = f"/DwSlide{slot.slide + 1}"
        resources = page["/Resources"].get_object()
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        resources["/XObject"].get_object()[NameObject(name)] = form(slot.slide)
        # The page's own content may leave its transformation matrix changed: wrap it in q/Q.
        draw = f"q {_num(scale)} 0 0 {_num(scale)} {_num(dx)} {_num(dy)} cm {name} Do Q\n"
        old = page.get_contents()
        page.replace_contents(None)
        combined = DecodedStreamObject()
        combined.set_data(b"q\n" + (old.get_data() if old is not None else b"") + b"\nQ\n" +
                          draw.encode("ascii"))
        page[NameObject("/Contents")] = writer._add_object(combined.flate_encode())
        for annot in source.get("/Annots", []) or []:
            link = annot.get_object()
            action = link.get("/A")
            if link.get("/Subtype") != "/Link" or action is None or action.get_object().get("/S") != "/URI":
                continue
            rect = transform_rect([float(v) for v in link["/Rect"]], scale, dx, dy)
            copy = DictionaryObject({
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject(FloatObject(v) for v in rect),
                NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
                NameObject("/A"): action.get_object().clone(writer),
            })
            if "/Annots" not in page:
                page[NameObject("/Annots")] = ArrayObject()
            page["/Annots"].get_object().append(writer._add_object(copy))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
