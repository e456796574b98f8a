"""Theme tokens → CSS: @font-face rules, custom properties and the slide layout rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from deckwright.layout.geometry import (
    IMAGE_SIDE,
    Box,
    body_box,
    footer_boxes,
    header_box,
    section_boxes,
    title_box,
    title_slide_boxes,
)
from deckwright.model.deck import Layout
from deckwright.model.theme import FONT_ROLES, Theme

# Face name → (font-weight, font-style).
_FACES = {"regular": (400, "normal"), "bold": (700, "normal"),
          "italic": (400, "italic"), "bold_italic": (700, "italic")}
_FORMATS = {".ttf": "truetype", ".otf": "opentype", ".woff": "woff", ".woff2": "woff2"}
# A fallback list such as `Arial, "Helvetica Neue", sans-serif`: nothing that could end a rule.
_FALLBACK_RE = re.compile(r"^[A-Za-z0-9 ,'\"_-]*$")


def _name(key: str) -> str:
    return key.replace("_", "-")


def _num(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def font_family(role: str) -> str:
    """The CSS family name of a theme font role.

    One family per role (not the theme's family name): the heading role may map its
    "regular" face to a bold file, which must not clash with the body's regular face.
    """
    return f"dw-{role}"


def font_stack(theme: Theme, role: str) -> str:
    fallback = theme.fonts[role].fallback
    if not _FALLBACK_RE.match(fallback):
        fallback = "monospace" if role == "code" else "sans-serif"
    return f'"{font_family(role)}", {fallback}' if fallback else f'"{font_family(role)}"'


def font_faces(theme: Theme, font_url: Callable[[Path], str]) -> str:
    """@font-face rules for every role and face, pointing at `font_url(file)` (offline copies)."""
    rules = []
    for role in FONT_ROLES:
        spec = theme.fonts[role]
        for face, (weight, style) in _FACES.items():
            file = spec.files[face]
            fmt = _FORMATS.get(file.suffix.lower(), "truetype")
            rules.append(
                f"@font-face {{ font-family: \"{font_family(role)}\"; "
                f"src: url(\"{font_url(file)}\") format(\"{fmt}\"); "
                f"font-weight: {weight}; font-style: {style}; font-display: block; }}")
    return "\n".join(rules) + "\n"


def custom_properties(theme: Theme, selector: str = ":root") -> str:
    """Every colour, size and spacing token as a custom property (--dw-color-*, --dw-size-*, …)."""
    lines = [f"{selector} {{",
             f"  --dw-slide-width: {theme.width}px;",
             f"  --dw-slide-height: {theme.height}px;"]
    lines += [f"  --dw-color-{_name(k)}: {theme.color(k)};" for k in sorted(theme.colors)]
    for key in sorted(theme.sizes):
        unit = "" if key == "line_height" else "px"
        lines.append(f"  --dw-size-{_name(key)}: {_num(theme.sizes[key])}{unit};")
    lines += [f"  --dw-space-{_name(k)}: {_num(theme.spacing[k])}px;" for k in sorted(theme.spacing)]
    lines += [f"  --dw-font-{role}: {font_stack(theme, role)};" for role in FONT_ROLES]
    lines.append("}")
    return "\n".join(lines) + "\n"


# The slide layout, written only in terms of the custom properties above (and the boxes from
# layout.py below), so that a second theme is a data file. The metrics are fit.py's: text,
# gaps and indents scale with the slide's --scale (set by the fit stage); code and cell padding
# do not; every line is line_height × size; list items are 0.25 em apart. Change both together.
LAYOUT_CSS = """\
.dw-slide {
  --scale: 1;
  --dw-body: calc(var(--dw-size-body) * var(--scale));
  --dw-code: calc(var(--dw-size-code) * var(--scale));
  --dw-table: calc(var(--dw-size-table) * var(--scale));
  --dw-gap: calc(var(--dw-space-gap) * var(--scale));
  --dw-indent: calc(var(--dw-space-indent) * var(--scale));
  box-sizing: border-box;
  width: var(--dw-slide-width);
  height: var(--dw-slide-height);
  position: relative;
  font-family: var(--dw-font-body);
  font-size: var(--dw-body);
  line-height: var(--dw-size-line-height);
  color: var(--dw-color-text);
  text-align: left;
  overflow-wrap: break-word;
}
.dw-slide *, .dw-slide *::before, .dw-slide *::after { box-sizing: border-box; }
.dw-slide.dw-dark { color: var(--dw-color-background); }
.dw-frame { position: absolute; inset: 0; }
.dw-title-box, .dw-subtitle-box, .dw-body, .dw-footer > * { position: absolute; }
.dw-title-box { display: flex; flex-direction: column; justify-content: flex-end; }
.dw-subtitle-box { display: flex; flex-direction: column; justify-content: flex-start; }
.dw-title, .dw-deck-title, .dw-section-title { font-family: var(--dw-font-heading); font-weight: 400;
  line-height: var(--dw-size-line-height); }
.dw-title { font-size: var(--dw-size-title); color: var(--dw-color-heading); }
.dw-dark .dw-title { color: inherit; }
.dw-subtitle { font-size: var(--dw-size-subtitle); }
.dw-continuation { color: var(--dw-color-muted); }
.dw-body { display: flex; flex-direction: column; gap: var(--dw-gap); }
.dw-slide strong { font-weight: 700; }
.dw-slide em { font-style: italic; }
.dw-slide s { text-decoration: line-through; }
.dw-slide sup { font-size: 0.6em; vertical-align: super; line-height: 0; }
.dw-slide a { color: var(--dw-color-link); text-decoration: underline; text-underline-offset: 0.12em; }
.dw-slide code { font-family: var(--dw-font-code); color: var(--dw-color-code-text);
  background: var(--dw-color-inline-code-background); border-radius: 0.2em; padding: 0 0.15em; }
.dw-body h3, .dw-body h4, .dw-body h5, .dw-body h6 { font-family: var(--dw-font-heading);
  font-weight: 400; color: var(--dw-color-heading); }
.dw-body h3 { font-size: 1.3em; }
.dw-body h4, .dw-body h5, .dw-body h6 { font-size: 1.15em; }
.dw-list { padding-left: var(--dw-indent); }
ul.dw-list { list-style: disc outside; }
ul.dw-list ul.dw-list { list-style-type: "\\2013  "; }
ul.dw-list ul.dw-list ul.dw-list { list-style-type: "\\25E6  "; }
ul.dw-list ul.dw-list ul.dw-list ul.dw-list { list-style-type: "\\2013  "; }
ol.dw-list { list-style: decimal outside; }
.dw-list li + li { margin-top: 0.25em; }
.dw-list li > p, .dw-list li > blockquote, .dw-list li > pre { margin-top: 0.15em; }
.dw-list li::marker { color: var(--dw-color-accent); }
pre.dw-code { font-family: var(--dw-font-code); font-size: var(--dw-code);
  background: var(--dw-color-code-background); color: var(--dw-color-code-text);
  padding: 10px 16px; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere;
  tab-size: 4; flex: 0 0 auto; }
pre.dw-code code { background: none; padding: 0; border-radius: 0; }
.dw-table { font-size: var(--dw-table); flex: 0 0 auto; width: 100%; }
.dw-table table { border-collapse: collapse; width: 100%; }
/* Columns from fit's widths (a <colgroup>); a token longer than its column (rare: fit gives each
   column its longest word) breaks rather than leaving the cell. */
.dw-table table.dw-fixed { table-layout: fixed; }
.dw-table table.dw-fixed th, .dw-table table.dw-fixed td { overflow-wrap: anywhere; }
.dw-table th, .dw-table td { padding: 4px 8px; border-bottom: 1px solid var(--dw-color-table-border);
  text-align: left; vertical-align: top; }
.dw-table thead th { background: var(--dw-color-table-header-background);
  color: var(--dw-color-table-header-text); font-weight: 700; border-bottom: 0; }
.dw-table thead a { color: inherit; }
.dw-table thead code { background: none; color: inherit; }
.dw-table tbody tr:nth-child(even) { background: var(--dw-color-table-stripe); }
.dw-table tbody th { font-weight: 700; }
.dw-table .dw-align-left { text-align: left; }
.dw-table .dw-align-center { text-align: center; }
.dw-table .dw-align-right { text-align: right; }
.dw-table .dw-highlight { background: var(--dw-color-table-highlight); }
.dw-table .dw-empty-mark { color: var(--dw-color-muted); }
.dw-table figcaption { margin-top: calc(var(--dw-gap) / 2); font-size: 0.85em;
  color: var(--dw-color-muted); }
.dw-caption { font-style: italic; }
.dw-footnotes { list-style: none; }
.dw-figure { flex: 0 1 auto; min-height: min(96px, 100%); display: flex; flex-direction: column;
  align-items: center; }
.dw-figure img { flex: 0 1 auto; min-height: 0; width: 100%; object-fit: contain;
  object-position: top center; }
.dw-quote { border-left: 4px solid var(--dw-color-quote-border);
  padding-left: calc(var(--dw-indent) - 4px); color: var(--dw-color-muted); font-style: italic;
  display: flex; flex-direction: column; gap: var(--dw-gap); }
.dw-columns { display: grid; column-gap: var(--dw-space-column-gap); align-items: start;
  flex: 0 1 auto; min-height: 0; }
.dw-column { display: flex; flex-direction: column; gap: var(--dw-gap); min-width: 0; }
.dw-split { display: grid; column-gap: var(--dw-space-column-gap); }
.dw-split-text { display: flex; flex-direction: column; gap: var(--dw-gap); min-width: 0; }
.dw-split-image { height: 100%; min-height: 0; }
.dw-split-image img { height: 100%; }
.dw-qr-figure { flex: 0 1 220px; min-height: 96px; display: flex; }
.dw-qr-figure a, .dw-qr-figure > svg { height: 100%; }
.dw-qr { height: 100%; width: auto; display: block; }
.dw-footer { color: var(--dw-color-muted); font-size: var(--dw-size-footer); line-height: 1.2; }
.dw-header { position: absolute; display: flex; align-items: center; color: var(--dw-color-muted);
  font-size: var(--dw-size-footer); line-height: 1.2; }
.dw-footer > * { display: flex; align-items: center; }
.dw-slide-number { justify-content: flex-end; font-variant-numeric: tabular-nums; }
.dw-logo { object-fit: contain; object-position: left center; }
.dw-layout-title .dw-frame { background: var(--dw-color-title-background); }
.dw-layout-title { color: var(--dw-color-title-text); }
.dw-layout-section .dw-frame { background: var(--dw-color-section-background); }
.dw-layout-section { color: var(--dw-color-section-text); }
.dw-layout-title .dw-deck-title { font-size: var(--dw-size-title-slide); }
.dw-layout-section .dw-section-title { font-size: var(--dw-size-section); }
.dw-layout-title .dw-title-box, .dw-layout-title .dw-subtitle-box, .dw-layout-title .dw-body,
.dw-layout-section .dw-title-box, .dw-layout-section .dw-subtitle-box, .dw-layout-section .dw-body {
  text-align: center; align-items: center; }
.dw-layout-title a, .dw-layout-section a, .dw-dark a { color: inherit; }
.dw-layout-title .dw-footer, .dw-layout-section .dw-footer, .dw-dark .dw-footer { color: inherit;
  opacity: 0.75; }
.dw-slide.center .dw-body { justify-content: center; align-items: center; text-align: center; }
"""


def _box(selector: str, box: Box) -> str:
    return (f"{selector} {{ left: {_num(box.x)}px; top: {_num(box.y)}px; "
            f"width: {_num(box.w)}px; height: {_num(box.h)}px; }}")


def geometry_css(theme: Theme) -> str:
    """Absolute boxes of titles, bodies and the footer: layout.py's, as fit and PPTX use them."""
    title, subtitle, body = title_slide_boxes(theme)
    section_title, section_body = section_boxes(theme)
    section_sub = Box(section_title.x, section_title.bottom, section_title.w,
                      theme.sizes["subtitle"] * theme.sizes["line_height"] * 2)
    footer = footer_boxes(theme)
    rules = [
        _box(".dw-title-box", title_box(theme)),
        _box(".dw-body", body_box(theme, Layout.CONTENT)),
        _box(".dw-layout-blank .dw-body", body_box(theme, Layout.BLANK)),
        _box(".dw-layout-title .dw-title-box", title),
        _box(".dw-layout-title .dw-subtitle-box", subtitle),
        _box(".dw-layout-title .dw-body", body),
        _box(".dw-layout-section .dw-title-box", section_title),
        _box(".dw-layout-section .dw-subtitle-box", section_sub),
        _box(".dw-layout-section .dw-body", section_body),
        _box(".dw-layout-section.dw-has-subtitle .dw-body",
             section_body.below(section_sub.h, theme.spacing["gap"])),
        _box(".dw-header", header_box(theme)),
        _box(".dw-footer-text", footer.text),
        _box(".dw-slide-number", footer.number),
        _box(".dw-logo", footer.logo),
        f".dw-split {{ grid-template-columns: {_num(1 - IMAGE_SIDE)}fr {_num(IMAGE_SIDE)}fr; }}",
        f".dw-layout-image-left .dw-split {{ grid-template-columns: {_num(IMAGE_SIDE)}fr "
        f"{_num(1 - IMAGE_SIDE)}fr; }}",
    ]
    return "\n".join(rules) + "\n"


def theme_css(theme: Theme, font_url: Callable[[Path], str]) -> str:
    """The HTML output's stylesheet: fonts, tokens, layout."""
    return font_faces(theme, font_url) + custom_properties(theme) + LAYOUT_CSS + geometry_css(theme)


def scale_style(font_scale: float) -> str:
    """The inline style that applies a slide's fit scale to its text sizes."""
    return f"--scale:{_num(font_scale)}"
