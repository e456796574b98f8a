"""CSS colours as the PPTX and PDF writers need them: #rrggbb strings and RGB triples."""

from __future__ import annotations

from functools import lru_cache

import tinycss2.color3


@lru_cache(maxsize=256)
def parse_css_color(color: str) -> tuple[int, int, int, float] | None:
    """(r, g, b, alpha) of a CSS Color 3 value (#rgb, #rrggbb, #rgba, names, rgb(), hsl()…), else None.

    `currentColor` is None too: a slide background has no current colour to take.
    """
    parsed = tinycss2.color3.parse_color(color.strip())
    if not isinstance(parsed, tinycss2.color3.RGBA):
        return None
    return (round(parsed.red * 255), round(parsed.green * 255), round(parsed.blue * 255),
            float(parsed.alpha))


def css_hex(color: str) -> str:
    """A CSS colour as #rrggbb (its alpha dropped); anything that is not a colour falls back to white."""
    parsed = parse_css_color(color)
    if parsed is None:
        return "#ffffff"
    value = color.strip().lower()
    if value.startswith("#") and len(value) in (4, 7):
        return value  # as written: the PPTX writer expands #rgb itself
    return "#{:02x}{:02x}{:02x}".format(*parsed[:3])


@lru_cache(maxsize=256)
def rgb(color: str) -> tuple[int, int, int]:
    """(r, g, b) 0-255 of a CSS colour as css_hex reads it (#rgb expanded)."""
    value = css_hex(color)
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    try:
        return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)
    except ValueError:
        return 255, 255, 255
