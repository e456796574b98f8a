"""Slide geometry from theme tokens (boxes in CSS px on the theme's slide), shared by fit and writers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from deckwright.model.deck import Layout
from deckwright.model.theme import Theme

# The image side of image-left/right layouts, as a fraction of the content width (text gets the rest).
IMAGE_SIDE = 0.45
# Bounds of the logo in the footer band: never wider than this, whatever the file's aspect.
LOGO_MAX_WIDTH = 160.0


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in px: x, y of the top-left corner, width and height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def shrink(self, dx: float, dy: float) -> Box:
        """The box with `dx` taken off left and right and `dy` off top and bottom."""
        return Box(self.x + dx, self.y + dy, max(self.w - 2 * dx, 0.0), max(self.h - 2 * dy, 0.0))

    def below(self, height: float, gap: float = 0.0) -> Box:
        """The part of this box under its first `height` px (and a gap)."""
        used = min(height + gap, self.h)
        return Box(self.x, self.y + used, self.w, self.h - used)


@dataclass(frozen=True, slots=True)
class FooterBoxes:
    text: Box
    number: Box
    logo: Box


def slide_box(theme: Theme) -> Box:
    return Box(0.0, 0.0, float(theme.width), float(theme.height))


def _inner_width(theme: Theme) -> float:
    return theme.width - 2 * theme.spacing["margin_x"]


def title_box(theme: Theme) -> Box:
    """The title of a content slide: full width at the top."""
    s = theme.spacing
    return Box(s["margin_x"], s["margin_top"], _inner_width(theme), s["title_height"])


def body_box(theme: Theme, layout: Layout) -> Box:
    """Where a slide's blocks go (before image or column splits)."""
    s = theme.spacing
    if layout is Layout.TITLE:
        return title_slide_boxes(theme)[2]
    if layout is Layout.SECTION:
        return section_boxes(theme)[1]
    top = s["margin_top"] if layout is Layout.BLANK else s["margin_top"] + s["title_height"] + s["gap"]
    return Box(s["margin_x"], top, _inner_width(theme), theme.height - top - s["margin_bottom"])


def title_slide_boxes(theme: Theme) -> tuple[Box, Box, Box]:
    """Title slide: (title, subtitle, body) stacked from a fifth of the height down."""
    s, z = theme.spacing, theme.sizes
    lh = z["line_height"]
    title = Box(s["margin_x"], theme.height * 0.18, _inner_width(theme), 2 * z["title_slide"] * lh)
    subtitle = Box(s["margin_x"], title.bottom + s["gap"], _inner_width(theme), 2 * z["subtitle"] * lh)
    top = subtitle.bottom + s["gap"]
    body = Box(s["margin_x"], top, _inner_width(theme), theme.height - top - s["margin_bottom"])
    return title, subtitle, body


def section_boxes(theme: Theme) -> tuple[Box, Box]:
    """Section slide: (title, body); the title sits a little above the middle."""
    s, z = theme.spacing, theme.sizes
    height = 2 * z["section"] * z["line_height"]
    title = Box(s["margin_x"], theme.height * 0.42 - height / 2, _inner_width(theme), height)
    top = title.bottom + s["gap"]
    return title, Box(s["margin_x"], top, _inner_width(theme), theme.height - top - s["margin_bottom"])


def column_widths(fractions: Sequence[float | None], total: float, gap: float) -> list[float]:
    """Widths of columns sharing `total` px with `gap` between them.

    Given fractions are of the whole width (as authors write 40% / 60%); columns without one
    share what is left equally. Fractions adding up to more than 1 are scaled down.
    """
    n = len(fractions)
    if n == 0:
        return []
    usable = max(total - gap * (n - 1), 0.0)
    given = sum(f for f in fractions if f is not None)
    free = [i for i, f in enumerate(fractions) if f is None]
    scale = 1.0 / given if given > 1.0 or (given > 0 and not free) else 1.0
    rest = max(1.0 - given * scale, 0.0)
    shares = [(f * scale if f is not None else rest / len(free)) for f in fractions]
    return [usable * share for share in shares]


def split_columns(box: Box, fractions: Sequence[float | None], gap: float) -> list[Box]:
    """Side-by-side boxes inside `box`, left to right."""
    boxes, x = [], box.x
    for width in column_widths(fractions, box.w, gap):
        boxes.append(Box(x, box.y, width, box.h))
        x += width + gap
    return boxes


def image_split(box: Box, layout: Layout, gap: float) -> tuple[Box, Box]:
    """(text box, image box) of an image-left/right slide's body."""
    image_w = (box.w - gap) * IMAGE_SIDE
    text_w = box.w - gap - image_w
    if layout is Layout.IMAGE_LEFT:
        return Box(box.x + image_w + gap, box.y, text_w, box.h), Box(box.x, box.y, image_w, box.h)
    return Box(box.x, box.y, text_w, box.h), Box(box.x + text_w + gap, box.y, image_w, box.h)


def fit_image(width: float, height: float, box: Box, max_width: float | None = None) -> Box:
    """The largest box with the image's aspect ratio inside `box`, centred across and at the top."""
    if width <= 0 or height <= 0 or box.w <= 0 or box.h <= 0:
        return Box(box.x, box.y, 0.0, 0.0)
    limit_w = min(box.w, max_width) if max_width else box.w
    scale = min(limit_w / width, box.h / height)
    w, h = width * scale, height * scale
    return Box(box.x + (box.w - w) / 2, box.y, w, h)


def header_box(theme: Theme) -> Box:
    """A running header (Marp's `header` directive): the band above the title."""
    s = theme.spacing
    height = min(s["margin_top"], theme.sizes["footer"] * theme.sizes["line_height"] * 1.5)
    return Box(s["margin_x"], (s["margin_top"] - height) / 2, _inner_width(theme), height)


def footer_boxes(theme: Theme) -> FooterBoxes:
    """The footer band under the body: logo at the left, then the footer text, number at the right."""
    s = theme.spacing
    band_h = max(s["margin_bottom"] - 16.0, theme.sizes["footer"] * theme.sizes["line_height"])
    y = theme.height - s["margin_bottom"] + (s["margin_bottom"] - band_h) / 2
    number_w = 120.0
    logo = Box(s["margin_x"], y, LOGO_MAX_WIDTH, band_h)
    text_x = s["margin_x"] + (LOGO_MAX_WIDTH + s["gap"] if theme.logo else 0.0)
    text = Box(text_x, y, theme.width - s["margin_x"] - number_w - s["gap"] - text_x, band_h)
    number = Box(theme.width - s["margin_x"] - number_w, y, number_w, band_h)
    return FooterBoxes(text=text, number=number, logo=logo)
