"""Marp (Marpit) Markdown: its directives, image keywords and front matter, as deckwright reads them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from deckwright.reading.dialects import FrontMatter, FrontMatterRules

# --------------------------------------------------------------------------- directive names and signs

MARP_GLOBAL = frozenset({"theme", "style", "headingDivider", "size", "math", "title", "description",
                         "author", "keywords", "url", "image", "lang", "marp", "inlineSVG"})
MARP_LOCAL = frozenset({"paginate", "header", "footer", "class", "backgroundColor", "backgroundImage",
                        "backgroundPosition", "backgroundRepeat", "backgroundSize", "color", "transition"})
# Marp's directives: global ones, and local ones with their one-slide `_` forms (Marpit's names).
MARP_DIRECTIVE_KEYS = frozenset({*MARP_GLOBAL, *MARP_LOCAL, *(f"_{k}" for k in MARP_LOCAL)})
MARP_ONLY_KEYS = frozenset({"headingDivider", "paginate", "header", "footer", "backgroundColor",
                            "backgroundImage", "size", "math", "class", "color"})
MARP_THEMES = frozenset({"gaia", "uncover"})
# In the text (outside code): a `bg` image or a directive only Marp has.
MARP_BODY = re.compile(r"!\[[^\]\n]*\bbg\b|<!--\s*(?:_?(?:paginate|header|footer|headingDivider)|"
                       r"_(?:class|backgroundColor|backgroundImage|color))\s*:|<!--\s*fit\s*-->")


# --------------------------------------------------------------------------- front matter

_IGNORED = frozenset({"marp", "size", "math", "image", "inlineSVG", "style"})
_QUIET = frozenset({"marp", "math", "image", "inlineSVG"})


def _own_key(key: str, value: Any, line: int, found: FrontMatter) -> bool:
    """Local directives are carried from the first slide on; `headingDivider` sets the slide level."""
    if key in MARP_LOCAL:
        found.marp_locals[key] = (value, line)
        return True
    if key == "headingDivider":
        level = _heading_divider(value)
        if level is None:
            found.error(line, f"`headingDivider` must be a heading level 1–6, not {value!r}")
        else:
            found.options["slide_level"] = level
        return True
    return False


def _finish(found: FrontMatter) -> None:
    # A Marp deck makes its own title slide; its comments are speaker notes; a line break is kept.
    found.options.update(title_slide=False, notes_comments=True, breaks=True)


def _heading_divider(value: object) -> int | None:
    if isinstance(value, list) and value and all(isinstance(v, int) for v in value):
        value = max(value)  # [1, 3]: deckwright splits at every level up to the deepest one
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 6:
        return None
    return value



FRONT_MATTER = FrontMatterRules("Marp", _IGNORED, _QUIET, _own_key, _finish, loose_values=True)


# --------------------------------------------------------------------------- image keywords

_FILTERS = frozenset({"blur", "brightness", "contrast", "drop-shadow", "grayscale", "hue-rotate", "invert",
                      "opacity", "saturate", "sepia"})
_BG_SIZES = frozenset({"contain", "fit", "auto"})
_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(px|cm|mm|in|pt|pc|q|%)?$", re.I)
_PX_PER = {"px": 1.0, "cm": 96 / 2.54, "mm": 96 / 25.4, "in": 96.0, "pt": 96 / 72, "pc": 16.0,
           "q": 96 / 101.6}
# Marp's default slide is 1280 px wide with about 80 px padding on each side.
MARP_CONTENT_PX = 1120.0


@dataclass(frozen=True)
class MarpImage:
    """An image's alt text with Marp's keywords taken out."""

    alt: str
    bg: bool = False
    side: str | None = None  # "left" or "right": a split background (image beside the text)
    split: float | None = None  # the image side's share of the slide width
    width: str | None = None
    height: str | None = None
    unsupported: tuple[str, ...] = ()


def marp_image(alt: str) -> MarpImage:
    """Parse Marp's image keywords (`bg left:40%`, `w:200px`, `blur:4px` …) out of an alt text."""
    words = alt.split()
    bg = any(w.lower() == "bg" for w in words)
    rest: list[str] = []
    side: str | None = None
    split: float | None = None
    width = height = None
    unsupported: list[str] = []
    for word in words:
        lower = word.lower()
        name, _, value = lower.partition(":")
        if lower == "bg":
            continue
        if bg and name in ("left", "right"):
            side, split = name, _split(value, split)
        elif bg and (size := _background_size(lower)) is not None:
            unsupported += [size] if size else []
        elif name in ("w", "width") and value:
            width = value
        elif name in ("h", "height") and value:
            height = value
        elif name in _FILTERS:
            unsupported.append("image filter")
        else:
            rest.append(word)
    return MarpImage(" ".join(rest), bg, side, split, width, height, tuple(dict.fromkeys(unsupported)))


def _split(value: str, before: float | None) -> float | None:
    """The image side's share in `left:40%` (a share from 0 to 100% exclusive), else the one `before`."""
    m = _LENGTH.match(value)
    if m and (m.group(2) or "%") == "%" and 0 < float(m.group(1)) < 100:
        return round(float(m.group(1)) / 100, 4)
    return before


def _background_size(word: str) -> str | None:
    """A background size keyword: "" for cover and vertical (drawn so anyway), "background size" for
    the others (not supported); None when the word is no size."""
    if word in ("cover", "vertical"):
        return ""
    if word in _BG_SIZES or re.fullmatch(r"\d+(\.\d+)?%", word):
        return "background size"
    return None


def length_px(value: str) -> float | None:
    """A CSS length in px (`200px`, `5cm`, `300`); None for anything else (em, auto…)."""
    m = _LENGTH.match(value.strip())
    if m is None or (m.group(2) or "px").lower() == "%":
        return None
    return float(m.group(1)) * _PX_PER[(m.group(2) or "px").lower()]


def length_fraction(value: str) -> float | None:
    """A Marp image width as a fraction of the content width (`50%` → 0.5, `560px` → 0.5)."""
    text = value.strip()
    if text.endswith("%"):
        m = _LENGTH.match(text)
        return min(round(float(m.group(1)) / 100, 4), 1.0) if m and float(m.group(1)) > 0 else None
    px = length_px(text)
    if px is None or px <= 0:
        return None
    return max(min(round(px / MARP_CONTENT_PX, 4), 1.0), 0.01)


# --------------------------------------------------------------------------- directive values


def unquote(value: str) -> str:
    """A directive value as Marp's loose YAML reads it: surrounding quotes removed."""
    text = value.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def iter_marp_globals(comments: list[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """The global directives among a comment's (key, value) pairs."""
    for key, value in comments:
        if key in MARP_GLOBAL:
            yield key, value
