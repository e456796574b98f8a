"""Marp (Marpit) Markdown: its directives, image keywords and front matter, as deckwright reads them."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from PIL import Image as PILImage

from deckwright.diagnostics import Diagnostic, SourceRef, error
from deckwright.model.deck import Image, Inline, Layout, Span
from deckwright.reading.colors import background_color
from deckwright.reading.context import FileContext
from deckwright.reading.dialects import FrontMatter, FrontMatterRules, Options, as_bool, css_url
from deckwright.reading.draft import Draft
from deckwright.reading.inline import Directive, read_inline

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


def comment_globals(tokens: list[Token], options: Options, path: str) -> tuple[Options, list[Diagnostic]]:
    """`<!-- headingDivider: 2 -->` anywhere in the file sets it for the whole file (the last one wins)."""
    diags: list[Diagnostic] = []
    for token in tokens:
        for key, value in token.meta.get("comments") or () if token.type == "html_block" else ():
            if key == "headingDivider":
                level = unquote(value)
                if level.isdigit() and 1 <= int(level) <= 6:
                    options = replace(options, slide_level=int(level))
                else:
                    line = token.map[0] + 1 if token.map else 1
                    diags.append(error(SourceRef(path, line), f"`headingDivider` must be a heading level "
                                                              f"1–6, not {value!r}"))
    return options, diags


# --------------------------------------------------------------------------- parser rewrites
#
# Marpit's way: a Marp feature is a rewrite of the token stream. These run last on a Marp parser
# (see reading/markdown/__init__.py); the reader then honours the marks they leave.


def image_keywords_plugin(md: MarkdownIt) -> None:
    """Every image's alt text read for Marp's keywords: token.meta["marp"] is its MarpImage."""
    md.core.ruler.push("marp_image_keywords", _image_keywords_rule)


def _image_keywords_rule(state: StateCore) -> None:
    for token in state.tokens:
        for child in token.children or () if token.type == "inline" else ():
            if child.type == "image":
                child.meta = {**child.meta, "marp": marp_image(child.content.strip())}


def fragmented_lists_plugin(md: MarkdownIt) -> None:
    """`*` bullets and `1)` numbers make fragmented lists (one click per item): meta["fragmented"]."""
    md.core.ruler.push("marp_fragmented_lists", _fragmented_lists_rule)


def _fragmented_lists_rule(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in ("bullet_list_open", "ordered_list_open") and token.markup in ("*", ")"):
            token.meta = {**token.meta, "fragmented": True}


def fit_plugin(md: MarkdownIt) -> None:
    """`<!-- fit -->` (a heading that fills the slide) is dropped: deckwright fits every text anyway."""
    md.core.ruler.push("marp_fit", _fit_rule)


def _fit_rule(state: StateCore) -> None:
    for token in state.tokens:
        html = [token] if token.type == "html_block" else [
            c for c in token.children or [] if c.type == "html_inline"]
        for tok in html:
            comments = tok.meta.get("comments")
            if comments:
                tok.meta = {**tok.meta, "comments": [(k, v) for k, v in comments
                                                     if k or v.strip().lower() != "fit"]}


# --------------------------------------------------------------------------- directives while reading

_SKIP = object()  # a directive value that was reported and is not applied
# Global directives that are read elsewhere (headingDivider) or mean nothing for deckwright's output.
_SILENT_GLOBALS = frozenset({"headingDivider", "marp", "math", "size", "inlineSVG"})


def front_matter_locals(ctx: FileContext) -> dict[str, object]:
    """The local directives of the front matter, resolved: where every slide's carried values start."""
    carry: dict[str, object] = {}
    for key, (value, line) in ctx.options.marp_locals.items():
        resolved = _value(key, value, SourceRef(ctx.path, line), ctx)
        if resolved is not _SKIP:
            carry[key] = resolved
    return carry


def apply_directive(d: Directive, draft: Draft, carry: dict[str, object], ctx: FileContext) -> None:
    """A local directive applies from this slide on (it joins `carry`), its `_` form to this slide only."""
    spot = d.key.startswith("_")
    key = d.key[1:] if spot else d.key
    if key in MARP_GLOBAL:
        if key == "style":
            ctx.report.warn_once("style", d.ref, "Marp `style` CSS is not applied: deckwright styles slides "
                                                 "with its theme")
        elif key not in _SILENT_GLOBALS:
            ctx.report.warn_once(f"global:{key}", d.ref, f"global directive `{key}` in a comment is ignored; "
                                                         "set it in the front matter")
        return
    value = _value(key, d.value, d.ref, ctx)
    if value is _SKIP:
        return
    draft.marp[key] = value
    if not spot:
        carry[key] = value


def _value(key: str, raw: object, ref: SourceRef, ctx: FileContext) -> object:
    """A local directive's value, checked and resolved (_SKIP when it cannot be applied)."""
    text = unquote(str(raw)) if raw is not None else ""
    if key == "class":
        return tuple(text.split())
    if key == "paginate":
        # Marp 3's `skip` (no number on this page) and `hold` (keep counting) count as false / true.
        flag = {"skip": False, "hold": True}.get(text.lower(), as_bool(raw))
        if flag is None:
            ctx.report.warn(ref, f"`paginate` must be true or false, not {text!r}")
            return _SKIP
        return flag
    if key in ("header", "footer"):
        content, _ = read_inline(ctx.parse_marp_inline(text), ref, ctx)
        return content
    if key == "backgroundColor":
        if not text:
            return None
        color = background_color(text, ref, ctx.report)
        return color if color is not None else _SKIP  # not a colour: as if it were not written
    if key == "backgroundImage":
        return _background_image(text, ref, ctx)
    ctx.report.warn_once(key, ref, f"Marp directive `{key}` is not supported and is ignored")
    return _SKIP


def _background_image(text: str, ref: SourceRef, ctx: FileContext) -> object:
    url = css_url(text)
    if url is None:
        ctx.report.warn_once("bg-css", ref, f"background {text!r} is not supported (only url(…) images)")
        return _SKIP
    path = ctx.file(url, ref, "background image")
    return path if path is not None else _SKIP


@dataclass(frozen=True)
class LocalValues:
    """What the local directives in force on a slide give it."""

    classes: tuple[str, ...] = ()
    background_color: str | None = None
    background_image: Path | None = None
    header: Inline = ()
    footer: Inline = ()
    paginate: bool | None = None


def local_values(values: Mapping[str, object]) -> LocalValues:
    """The carried directives merged with the slide's own (`{**carried, **own}`), as slide settings."""
    classes, paginate = values.get("class"), values.get("paginate")
    color, image = values.get("backgroundColor"), values.get("backgroundImage")
    return LocalValues(
        classes=tuple(str(v) for v in classes) if isinstance(classes, tuple) else (),
        background_color=color if isinstance(color, str) and color else None,
        background_image=image if isinstance(image, Path) else None,
        header=_inline(values.get("header")), footer=_inline(values.get("footer")),
        paginate=paginate if isinstance(paginate, bool) else None)


def _inline(value: object) -> Inline:
    return tuple(v for v in value if isinstance(v, Span)) if isinstance(value, tuple) else ()


# --------------------------------------------------------------------------- images while reading


def image(spec: MarpImage, src: str, title: str, ref: SourceRef, step: int, draft: Draft,
          ctx: FileContext) -> Image | None:
    """Marp image keywords: `bg` backgrounds, `bg left:40%` split slides, `w:`/`h:` sizes."""
    for kind in spec.unsupported:
        ctx.report.warn_once(kind, ref, f"Marp {kind} keywords are not supported and are ignored")
    if spec.bg:
        return _background(spec, src, title, ref, step, draft, ctx)
    path = ctx.file(src, ref, "image")
    if not spec.alt:
        ctx.report.warn(ref, f"image has no alt text: {src}")
    if path is None:
        return None
    width = _width(spec.width, spec.height, path, ref, ctx)
    return Image(ref, path, spec.alt, title, width, step)


def _background(spec: MarpImage, src: str, title: str, ref: SourceRef, step: int, draft: Draft,
                ctx: FileContext) -> Image | None:
    """A `bg` image: the slide's background, or (`bg left`/`bg right`) an image beside the text."""
    path = ctx.file(src, ref, "background image")
    if path is None:
        return None
    if spec.side is not None:
        placed = Image(ref, path, spec.alt, title, spec.split, step)
        if draft.side_image is not None:
            ctx.report.warn_once("bg-side", ref, "only one `bg left`/`bg right` image per slide is placed "
                                                 "beside the text; the others are shown in the text")
            return replace(placed, width=None)
        draft.side_image = (spec.side, placed)
        return placed
    if draft.background_image is None:
        draft.background_image = path
    else:
        ctx.report.warn_once("bg-many", ref, "several background images on one slide: the first is used")
    return None


def _width(width: str | None, height: str | None, path: Path, ref: SourceRef,
           ctx: FileContext) -> float | None:
    if width is not None:
        fraction = length_fraction(width)
        if fraction is None:
            ctx.report.warn(ref, f"image width {width!r} ignored: give px, cm, mm, in, pt or %")
        return fraction
    if height is None:
        return None
    px = length_px(height)
    size = _image_size(path)
    if px is None or size is None or not size[1]:
        ctx.report.warn(ref, f"image height {height!r} ignored: give px, cm, mm, in or pt")
        return None
    return length_fraction(f"{px * size[0] / size[1]:.2f}px")


def _image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in pixels from the file's header, None if Pillow cannot read it."""
    try:
        with PILImage.open(path) as picture:
            return picture.size
    # An unreadable image just means "size unknown" here; the writers report it at its line.
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
        return None


def place_split_image(draft: Draft) -> None:
    """A `bg left`/`bg right` image moves to its side of the slide, whose layout follows."""
    found = draft.side_image
    if found is None:
        return
    side, placed = found
    rest = [b for b in draft.blocks if b is not placed]
    if len(rest) < len(draft.blocks):  # a split background at the side it names
        draft.blocks = [placed, *rest] if side == "left" else [*rest, placed]
    draft.layout = draft.layout or (Layout.IMAGE_LEFT if side == "left" else Layout.IMAGE_RIGHT)
