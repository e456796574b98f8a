"""Limits an SVG must keep before cairosvg draws it: no entities, bounded nesting, elements and size."""

from __future__ import annotations

import re
from typing import Any

# Elements cairosvg would draw, each <use> and url(#…) reference counted as the copy it makes, and
# every CHARS_PER_ELEMENT characters of text as one more: cairosvg takes about 0.15 ms an element
# (and 0.04 ms a character), so an SVG at this limit takes it about 7 s.
MAX_SVG_ELEMENTS = 50_000
CHARS_PER_ELEMENT = 4
# Nesting, counting the references followed (cairosvg draws recursively; libxml2 reads 256 levels).
MAX_SVG_DEPTH = 256
# Pixels of an SVG's declared width × height (CSS px, 96 per inch): the raster limit of images.
MAX_SVG_PIXELS = 80_000_000

_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_URL_REF = re.compile(r"url\(\s*['\"]?#([^'\")\s]+)")
_REF_ATTRS = ("fill", "stroke", "clip-path", "mask", "filter", "marker-start", "marker-mid",
              "marker-end", "style")
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*(px|in|cm|mm|pt|pc)?\s*$", re.I)
_PX_PER_UNIT = {"px": 1.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4, "pt": 96 / 72, "pc": 16.0}


class _TooBig(Exception):
    """The SVG passed a limit: the message names it."""


def svg_length_px(value: str | None) -> float | None:
    """A width or height in CSS px (a plain number, px or an absolute unit); None otherwise."""
    found = _LENGTH.match(value or "")
    if found is None:
        return None
    return float(found.group(1)) * _PX_PER_UNIT[(found.group(2) or "px").lower()]


def parse_svg(data: bytes) -> Any:
    """The SVG's root (lxml) without entities, DTDs or the network; raises ValueError."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(str(exc)) from None
    return root


def _references(element: Any) -> list[str]:
    refs = [href[1:] for href in (element.get("href"), element.get(_XLINK_HREF))
            if href and href.startswith("#")]
    for name in _REF_ATTRS:
        value = element.get(name)
        if value and "url(" in value:
            refs.extend(_URL_REF.findall(value))
    return refs


def _text_length(element: Any) -> int:
    """Characters an element's text draws (its own text and its children's tails)."""
    if not element.tag.endswith(("text", "tspan", "textPath")):
        return 0
    return len(element.text or "") + sum(len(child.tail or "") for child in element)


class _Counter:
    """Elements after every reference is expanded, counted without expanding them (memoised by element)."""

    def __init__(self, root: Any) -> None:
        self.ids = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
        self.done: dict[Any, int] = {}
        self.open: set[Any] = set()

    def count(self, element: Any, depth: int) -> int:
        if element in self.done:
            return self.done[element]
        if depth > MAX_SVG_DEPTH:
            raise _TooBig(f"nesting (references followed) exceeds the limit of {MAX_SVG_DEPTH} levels")
        if element in self.open:
            raise _TooBig(f"element {element.get('id') or element.tag!r} refers to itself")
        self.open.add(element)
        total = 1 + _text_length(element) // CHARS_PER_ELEMENT
        parts = [child for child in element if isinstance(child.tag, str)]
        parts += [self.ids[ref] for ref in _references(element) if ref in self.ids]
        for part in parts:
            total += self.count(part, depth + 1)
            if total > MAX_SVG_ELEMENTS:
                raise _TooBig(f"{total:,}+ elements (after <use> and other references are expanded, "
                              f"{CHARS_PER_ELEMENT} characters of text counted as one) exceeds the "
                              f"limit of {MAX_SVG_ELEMENTS:,}")
        self.open.discard(element)
        self.done[element] = total
        return total


def svg_problem(data: bytes) -> str | None:
    """Why cairosvg must not be given this SVG (each message names its limit), or None.

    Raises ValueError for what is not XML (entities past libxml2's amplification limit, nesting
    past its 256 levels included).
    """
    root = parse_svg(data)
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        return "declares XML entities (refused: they can expand without limit)"
    width, height = svg_length_px(root.get("width")), svg_length_px(root.get("height"))
    if width is not None and height is not None and width * height > MAX_SVG_PIXELS:
        return (f"size {root.get('width')} × {root.get('height')} ({width * height:,.0f} pixels at 96 "
                f"per inch) exceeds the limit of {MAX_SVG_PIXELS:,} pixels")
    try:
        _Counter(root).count(root, 0)
    except _TooBig as exc:
        return str(exc)
    return None
