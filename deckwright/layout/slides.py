"""One slide laid out at a scale: title, subtitle, body and image boxes filled, what overflows measured."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from deckwright.layout.flow import CODE_PAD_X, inline_runs, place, sizes_at
from deckwright.layout.geometry import (
    Box,
    body_box,
    image_split,
    section_boxes,
    title_box,
    title_slide_boxes,
)
from deckwright.layout.plan import (
    CodeItem,
    Footer,
    ImageItem,
    Para,
    Placed,
    SlidePlan,
    TableItem,
)
from deckwright.layout.text import (
    WRAP_SLACK,
    TextRun,
    count_lines,
    max_line_width,
)
from deckwright.model.deck import (
    Align,
    Image,
    Layout,
    Slide,
    Span,
    Table,
    iter_blocks,
)
from deckwright.model.theme import Theme
from deckwright.support.colors import rgb

# A title may shrink to this fraction of its theme size before it is reported.
TITLE_FLOOR = 0.6


# --------------------------------------------------------------------------- slides


def text_color(slide: Slide, theme: Theme) -> str:
    """Body text colour: the theme's, or light text on a dark slide background."""
    if slide.layout is Layout.TITLE:
        return theme.color("title_text")
    if slide.layout is Layout.SECTION:
        return theme.color("section_text")
    if slide.background_color and is_dark(slide.background_color):
        return theme.color("background") if not is_dark(theme.color("background")) else "#ffffff"
    return theme.color("text")


def is_dark(color: str) -> bool:
    """Relative luminance below the middle grey (WCAG formula); a colour the writers cannot read
    (css_hex falls back to white) counts as light."""
    r, g, b = (c / 255 for c in rgb(color))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else float(((c + 0.055) / 1.055) ** 2.4)

    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b) < 0.18


def link_contrast(theme: Theme, para: Para) -> Para:
    """Links in the link colour only on a light background; on dark slides, the text's colour."""
    if is_dark(para.color):  # dark text: a light background, where the link colour reads well
        return para
    link = theme.color("link")
    return replace(para, runs=tuple(replace(r, color=None) if r.color == link else r for r in para.runs))


def title_runs(slide: Slide, theme: Theme) -> tuple[TextRun, ...]:
    runs = inline_runs(slide.title, theme, "heading")
    if slide.continuation:
        runs = (*runs, TextRun(f" ({slide.continuation})", "heading", color=theme.color("muted")))
    return runs


def fit_text_size(runs: Sequence[TextRun], theme: Theme, base: float, box: Box,
                  line_height: float, floor: float = TITLE_FLOOR) -> tuple[float, float]:
    """The largest size (whole px, from `base` down to base × floor) at which runs fit `box`.

    Returns (size, overflow fraction at that size).
    """
    size = base
    lowest = base * floor
    while True:
        height = count_lines(runs, theme, size, box.w) * size * line_height
        if height <= box.h + 0.5 or size - 1 < lowest:
            return size, max(height - box.h, 0.0) / box.h if box.h else 0.0
        size -= 1


def _title_parts(slide: Slide, theme: Theme) -> tuple[Para | None, Box | None, Para | None, Box | None]:
    z = theme.sizes
    lh = z["line_height"]
    if slide.layout is Layout.BLANK or (not slide.title and not slide.subtitle):
        return None, None, None, None
    if slide.layout is Layout.TITLE:
        tbox, sbox, _ = title_slide_boxes(theme)
        base, align, color = z["title_slide"], Align.CENTER, theme.color("title_text")
    elif slide.layout is Layout.SECTION:
        tbox, _ = section_boxes(theme)
        sbox = Box(tbox.x, tbox.bottom, tbox.w, z["subtitle"] * lh * 2)
        base, align, color = z["section"], Align.CENTER, theme.color("section_text")
    else:
        tbox = title_box(theme)
        sbox = None
        base, align, color = z["title"], Align.DEFAULT, theme.color("heading")
    runs = title_runs(slide, theme)
    size, _ = fit_text_size(runs, theme, base, tbox, lh)
    title = Para(runs, size, color, slide.ref, align=align, line_height=lh) if runs else None
    subtitle = None
    if slide.subtitle and sbox is not None:
        sruns = inline_runs(slide.subtitle, theme)
        ssize, _ = fit_text_size(sruns, theme, z["subtitle"], sbox, lh)
        subtitle = Para(sruns, ssize, color, slide.ref, align=align, line_height=lh)
    return title, (tbox if title else None), subtitle, (sbox if subtitle else None)


def _text_overflow(theme: Theme, para: Para | None, box: Box | None) -> float:
    if para is None or box is None:
        return 0.0
    h = count_lines(para.runs, theme, para.size, box.w) * para.size * para.line_height
    return max(h - box.h, 0.0) / box.h if box.h else 0.0


def plan_slide(slide: Slide, theme: Theme, aspects: Mapping[Path, float] | None = None,
               scale: float | None = None) -> SlidePlan:
    """Lay a slide out at `scale` (default: the slide's font_scale); images at `aspects` if known."""
    return _plan_slide(slide, theme, aspects, slide.font_scale if scale is None else scale)


def with_images(plan: SlidePlan, slide: Slide, theme: Theme, aspects: Mapping[Path, float]) -> SlidePlan:
    """The slide's plan with its images at their own proportions, which writers that embed them know.

    fit chooses the scale without them (an image only takes the room text leaves), so only slides
    that show one of these images are laid out again, at the same scale.
    """
    if not any(isinstance(b, Image) and b.path in aspects for b in iter_blocks(slide.blocks)):
        return plan
    return _plan_slide(slide, theme, aspects, plan.scale)


def _plan_slide(slide: Slide, theme: Theme, aspects: Mapping[Path, float] | None,
                scale: float) -> SlidePlan:
    sizes = sizes_at(theme, scale)
    color = text_color(slide, theme)
    title, tbox, subtitle, sbox = _title_parts(slide, theme)
    box = body_box(theme, slide.layout)
    if slide.layout is Layout.SECTION and subtitle is not None and sbox is not None:
        box = box.below(sbox.h, theme.spacing["gap"])
    blocks = slide.blocks
    image: Placed | None = None
    if slide.layout in (Layout.IMAGE_LEFT, Layout.IMAGE_RIGHT):
        first = next((b for b in blocks if isinstance(b, Image)), None)
        if first is not None:
            box, ibox = image_split(box, slide.layout, theme.spacing["column_gap"])
            image = Placed(ImageItem(first), ibox)
            blocks = tuple(b for b in blocks if b is not first)
    placed, need = place(blocks, box, theme, sizes, color, aspects)
    overflow = max(need - box.h, 0.0) / box.h if box.h > 0 else (1.0 if need > 0 else 0.0)
    if "center" in slide.classes and placed:
        # The author's `center` class: the body's content centred in its box (as in the HTML).
        used = max(p.box.bottom for p in placed) - box.y
        placed = [_shift(p, (box.h - used) / 2) for p in placed] if used < box.h else placed
    return SlidePlan(
        scale=scale, title=title, title_box=tbox, subtitle=subtitle, subtitle_box=sbox,
        body=tuple(placed), body_box=box, image=image, overflow=overflow,
        title_overflow=_text_overflow(theme, title, tbox),
        subtitle_overflow=_text_overflow(theme, subtitle, sbox),
        code_wraps=_code_wraps(placed, theme), code_lines=_code_lines(placed, theme),
        too_wide=tuple(_too_wide(placed)),
        footer=footer_band(slide, theme),
    )


def footer_band(slide: Slide, theme: Theme) -> Footer | None:
    """Footer text, slide number and running header: the slide's own directives win over the theme."""
    if slide.layout is Layout.TITLE:
        return None
    # Muted on the theme's background; on a dark slide the slide's own (light) text colour.
    body_color = text_color(slide, theme)
    color = theme.color("muted") if body_color == theme.color("text") else body_color
    size, lh = theme.sizes["footer"], theme.sizes["line_height"]
    footer = slide.footer or ((Span(theme.footer_text),) if theme.footer_text else ())
    text = Para(inline_runs(footer, theme), size, color, slide.ref, line_height=lh) if footer else None
    header = (Para(inline_runs(slide.header, theme), size, color, slide.ref, line_height=lh)
              if slide.header else None)
    numbered = slide.paginate if slide.paginate is not None else theme.slide_numbers
    return Footer(text, header, numbered, size, color, lh)


def _shift(placed: Placed, dy: float) -> Placed:
    b = placed.box
    return Placed(placed.item, Box(b.x, b.y + dy, b.w, b.h),
                  tuple(tuple(_shift(p, dy) for p in col) for col in placed.columns))


def centered(slide: Slide) -> bool:
    """Body text centred across: title and section slides, and the author's `center` class."""
    return slide.layout in (Layout.TITLE, Layout.SECTION) or "center" in slide.classes


def role_is_bold(theme: Theme, role: str) -> bool:
    """A font role whose regular face is a bold file (headings): PowerPoint must be told bold."""
    return _role_is_bold(theme, role)


@lru_cache(maxsize=64)
def _role_is_bold(theme: Theme, role: str) -> bool:
    # Cached: asked for every run written, and comparing paths is slow.
    files = theme.fonts[role].files
    return files.get("regular") is not None and files.get("regular") == files.get("bold")


def _walk(placed: Sequence[Placed]) -> list[Placed]:
    out: list[Placed] = []
    for p in placed:
        out.append(p)
        for col in p.columns:
            out.extend(_walk(col))
    return out


def _code_wraps(placed: Sequence[Placed], theme: Theme) -> bool:
    for p in _walk(placed):
        if isinstance(p.item, CodeItem):
            width = (p.box.w - 2 * CODE_PAD_X) * WRAP_SLACK
            if any(max_line_width(para.runs, theme, para.size) > width for para in p.item.paras):
                return True
    return False


def _code_lines(placed: Sequence[Placed], theme: Theme) -> int:
    return sum(count_lines(para.runs, theme, para.size, p.box.w - 2 * CODE_PAD_X)
               for p in _walk(placed) if isinstance(p.item, CodeItem) for para in p.item.paras)


def _too_wide(placed: Sequence[Placed]) -> list[Table]:
    return [p.item.block for p in _walk(placed) if isinstance(p.item, TableItem) and p.item.too_wide]
