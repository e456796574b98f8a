"""One slide onto the page from its SlidePlan: background, title, body items, picture and footer."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext

from deckwright.layout.geometry import Box, fit_image, footer_boxes, header_box, slide_box
from deckwright.layout.plan import (
    CodeItem,
    ColumnsItem,
    Footer,
    ImageItem,
    Para,
    Placed,
    SlidePlan,
    TableItem,
    TextItem,
)
from deckwright.layout.slides import centered, link_contrast, with_images
from deckwright.layout.text import TextRun
from deckwright.model.deck import Align, Layout, Slide
from deckwright.writers.pdf import blocks
from deckwright.writers.pdf.canvas import Canvas, View
from deckwright.writers.pdf.images import Pictures
from deckwright.writers.pdf.tables import table
from deckwright.writers.pdf.text import lines_height


def draw_slide(canvas: Canvas, pictures: Pictures, view: View, slide: Slide, plan: SlidePlan, number: int, *,
               clip: bool = False) -> None:
    """The whole slide: background, title, body, footer; every step shown. `clip` cuts off what
    leaves the slide (a page's edge does that for the slides PDF, not for the handout's frames)."""
    plan = with_images(plan, slide, canvas.theme, pictures.aspects)
    page = slide_box(canvas.theme)
    with canvas.clip(view, page) if clip else nullcontext():
        _background(canvas, pictures, view, slide, page)
        _title(canvas, view, slide, plan)
        _placed(canvas, pictures, view, plan.body, centered(slide))
        if plan.image is not None:
            pictures.image(canvas, view, plan.image)
        _footer(canvas, view, slide, plan.footer, number)
        _logo(canvas, pictures, view, slide)


def _background(canvas: Canvas, pictures: Pictures, view: View, slide: Slide, page: Box) -> None:
    theme = canvas.theme
    if slide.layout is Layout.TITLE:
        color = theme.color("title_background")
    elif slide.layout is Layout.SECTION:
        color = theme.color("section_background")
    else:
        color = slide.background_color or theme.color("background")
    canvas.rect(view, page, color)
    picture = pictures.pictures.get(slide.background_image) if slide.background_image else None
    if picture is not None:
        # Cover: the image fills the slide, centred, its overflow cut off by the clip.
        scale = max(page.w / picture.width, page.h / picture.height)
        w, h = picture.width * scale, picture.height * scale
        with canvas.clip(view, page):
            pictures.draw(canvas, view, picture, Box((page.w - w) / 2, (page.h - h) / 2, w, h), "",
                          vector=False)


def _title(canvas: Canvas, view: View, slide: Slide, plan: SlidePlan) -> None:
    theme = canvas.theme
    if plan.title is not None and plan.title_box is not None:
        box = plan.title_box
        para = link_contrast(theme, plan.title)
        height = lines_height([para], theme, box.w)
        if slide.layout in (Layout.TITLE, Layout.SECTION):
            top = box.y + (box.h - height) / 2
        else:
            top = box.bottom - height  # content titles sit on the body, as PowerPoint's do
        blocks.paras(canvas, view, [para], box, top=top, tag="/H1")
    if plan.subtitle is not None and plan.subtitle_box is not None:
        blocks.paras(canvas, view, [link_contrast(theme, plan.subtitle)], plan.subtitle_box)


def _placed(canvas: Canvas, pictures: Pictures, view: View, placed: Sequence[Placed], center: bool) -> None:
    for p in placed:
        item = p.item
        if isinstance(item, TextItem):
            paras = [link_contrast(canvas.theme, para) for para in item.paras]
            blocks.paras(canvas, view, paras, p.box, center=center)
        elif isinstance(item, CodeItem):
            blocks.code(canvas, view, item, p.box)
        elif isinstance(item, TableItem):
            table(canvas, view, item, p.box)
        elif isinstance(item, ImageItem):
            pictures.image(canvas, view, p)
        elif isinstance(item, ColumnsItem):
            for column in p.columns:
                _placed(canvas, pictures, view, column, center)


def _footer(canvas: Canvas, view: View, slide: Slide, band: Footer | None, number: int) -> None:
    """The plan's footer band: text, slide number and running header."""
    if band is None:
        return
    theme = canvas.theme
    boxes = footer_boxes(theme)
    if band.text is not None:
        _band(canvas, view, band.text, boxes.text)
    if band.numbered:
        _band(canvas, view, Para((TextRun(str(number)),), band.size, band.color, slide.ref, align=Align.RIGHT,
                                 line_height=band.line_height), boxes.number)
    if band.header is not None:
        _band(canvas, view, band.header, header_box(theme))


def _logo(canvas: Canvas, pictures: Pictures, view: View, slide: Slide) -> None:
    """The theme's logo, left and vertically centred in its band (not on the title slide)."""
    theme = canvas.theme
    if slide.layout is Layout.TITLE or theme.logo is None or theme.logo not in pictures.pictures:
        return
    band = footer_boxes(theme).logo
    picture = pictures.pictures[theme.logo]
    logo = fit_image(float(picture.width), float(picture.height), band)
    pictures.draw(canvas, view, picture, Box(band.x, band.y + (band.h - logo.h) / 2, logo.w, logo.h), "")


def _band(canvas: Canvas, view: View, para: Para, box: Box) -> None:
    """One paragraph centred vertically in a footer or header box."""
    para = link_contrast(canvas.theme, para)
    height = lines_height([para], canvas.theme, box.w)
    blocks.paras(canvas, view, [para], box, top=box.y + (box.h - height) / 2, tag=None)
