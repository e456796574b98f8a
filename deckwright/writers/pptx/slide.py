"""One slide part from its SlidePlan: title, body and footer shapes in the layout's placeholders where it
has them, the slide's background, and its clicks."""

from __future__ import annotations

from deckwright.layout.geometry import footer_boxes, header_box
from deckwright.layout.plan import ColumnsItem, Footer, SlidePlan
from deckwright.layout.slides import centered, link_contrast, with_images
from deckwright.model.deck import Layout, Slide
from deckwright.model.theme import Theme
from deckwright.support.colors import css_hex
from deckwright.writers.pptx import shapes as body
from deckwright.writers.pptx.opc import RT, Part
from deckwright.writers.pptx.parts import Media
from deckwright.writers.pptx.shapes import Shapes
from deckwright.writers.pptx.template import LayoutInfo
from deckwright.writers.pptx.xml import (
    background,
    placeholder_sp,
    slide_number_body,
    slide_xml,
    text_box_sp,
    tx_body,
)


def fill_slide(part: Part, media: Media, info: LayoutInfo, slide: Slide, plan: SlidePlan, number: int,
               theme: Theme, lang: str) -> None:
    """Write slide `number`'s XML into `part` (already related to its layout `info`); pictures and
    links are related from it as they are placed.

    The part holds the finished XML as text: parsing it into lxml only to serialise it again
    cost more than writing it.
    """

    def link(url: str) -> str:
        return part.relate_to(url, RT.HYPERLINK, external=True)

    shapes = Shapes(part, link, theme, lang, center=centered(slide))
    plan = with_images(plan, slide, theme, media.aspects)
    _title(shapes, slide, plan, info)
    _body(shapes, media, slide, plan, info)
    _footer(shapes, plan.footer, number, info)
    bg = _background(part, media, slide)
    part.blob = slide_xml(shapes.xml, bg, shapes.clicks.xml()).encode("utf-8")


def _title(shapes: Shapes, slide: Slide, plan: SlidePlan, info: LayoutInfo) -> None:
    """Title and subtitle in the layout's placeholders (text boxes where it has none); content
    titles sit on the body (anchored at the bottom), title and section titles centred."""
    theme, lang = shapes.theme, shapes.lang
    anchor = "b" if slide.layout not in (Layout.TITLE, Layout.SECTION) else "ctr"
    if plan.title is not None and plan.title_box is not None:
        title = link_contrast(theme, plan.title)
        text = tx_body([title], theme, shapes.link, lang, anchor=anchor)
        sid = shapes.new_id()
        if info.title:
            shapes.xml.append(placeholder_sp(sid, f"Title {sid - 1}", info.title, plan.title_box, text))
        else:
            shapes.xml.append(text_box_sp(sid, f"Title {sid - 1}", plan.title_box, text))
    if plan.subtitle is not None and plan.subtitle_box is not None:
        text = tx_body([link_contrast(theme, plan.subtitle)], theme, shapes.link, lang)
        sid = shapes.new_id()
        if info.subtitle:
            shapes.xml.append(placeholder_sp(sid, f"Subtitle {sid - 1}", info.subtitle, plan.subtitle_box,
                                             text))
        else:
            shapes.xml.append(text_box_sp(sid, f"Subtitle {sid - 1}", plan.subtitle_box, text))


def _body(shapes: Shapes, media: Media, slide: Slide, plan: SlidePlan, info: LayoutInfo) -> None:
    free = list(info.bodies)
    first = plan.body[0] if plan.body else None
    if (slide.layout is Layout.TWO_COLUMNS and len(free) >= 2 and first is not None
            and isinstance(first.item, ColumnsItem) and len(first.columns) == 2):
        # Each column's first text goes into that column's placeholder of "Two Content".
        body.placed(shapes, media, plan.body, [], 0, column_phs=free[:2])
    else:
        body.placed(shapes, media, plan.body, free[:1], 0)
    if plan.image is not None:
        body.image(shapes, media, plan.image, 0)


def _footer(shapes: Shapes, band: Footer | None, number: int, info: LayoutInfo) -> None:
    """The plan's footer band: text, slide number (a field) and running header."""
    if band is None:
        return
    theme, lang = shapes.theme, shapes.lang
    boxes = footer_boxes(theme)
    if band.text is not None:
        text = tx_body([band.text], theme, shapes.link, lang, anchor="ctr")
        sid = shapes.new_id()
        shapes.xml.append(placeholder_sp(sid, f"Footer {sid - 1}", info.footer, boxes.text, text)
                          if info.footer else text_box_sp(sid, f"Footer {sid - 1}", boxes.text, text))
    if band.numbered:
        text = slide_number_body(band.size, band.color, theme, lang, number)
        sid = shapes.new_id()
        shapes.xml.append(placeholder_sp(sid, f"Slide Number {sid - 1}", info.number, boxes.number, text)
                          if info.number else
                          text_box_sp(sid, f"Slide Number {sid - 1}", boxes.number, text))
    if band.header is not None:
        sid = shapes.new_id()
        shapes.xml.append(text_box_sp(sid, f"Header {sid - 1}", header_box(theme),
                                      tx_body([band.header], theme, shapes.link, lang, anchor="ctr")))


def _background(part: Part, media: Media, slide: Slide) -> str:
    """The slide's own background (a picture, or a colour); "" for the layout's."""
    if slide.background_image is not None and slide.background_image in media.pictures:
        rid, _ = media.relate(part, media.pictures[slide.background_image])
        return background(image_rid=rid)
    if slide.background_color:
        return background(color=css_hex(slide.background_color))
    return ""
