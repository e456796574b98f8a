"""CSS colours as the PPTX and PDF writers need them: #rrggbb strings and RGB triples."""

from __future__ import annotations

from functools import lru_cache

_NAMES = {"black": "#000000", "white": "#ffffff", "red": "#ff0000", "green": "#008000",
          "blue": "#0000ff", "gray": "#808080", "grey": "#808080", "navy": "#000080",
          "yellow": "#ffff00", "orange": "#ffa500", "purple": "#800080", "aqua": "#00ffff"}


def css_hex(color: str) -> str:
    """A CSS colour as #rrggbb: hex forms and a few names; anything else falls back to white."""
    value = color.strip().lower()
    if value in _NAMES:
        return _NAMES[value]
    if value.startswith("#") and len(value) in (4, 7):
        return value
    return "#ffffff"


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
