"""Markdown → slides: slide breaks, titles, layouts, click steps, notes, columns, images (no writing)."""

from __future__ import annotations

import datetime as dt
import os.path
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from operator import attrgetter
from pathlib import Path
from typing import Any
from urllib.parse import unquote as unquote_url

from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from deckwright.diagnostics import Diagnostic, SourceRef, error, warning
from deckwright.model.deck import (
    Align,
    Block,
    Cell,
    CodeBlock,
    Column,
    Columns,
    Heading,
    Image,
    Inline,
    Layout,
    ListBlock,
    ListItem,
    Paragraph,
    QRCode,
    Quote,
    RawHtml,
    Slide,
    Span,
    Table,
)
from deckwright.reading.datatables import expand_fence
from deckwright.reading.dialects import DIALECTS, Options, as_bool, css_url, dialect_name
from deckwright.reading.dialects.detect import detect
from deckwright.reading.dialects.frontmatter import translate
from deckwright.reading.dialects.marp import MARP_GLOBAL, length_fraction, length_px, marp_image, unquote
from deckwright.reading.dialects.pandoc import pandoc_slide_level, pandoc_title_block
from deckwright.reading.dialects.reveal import reveal_chunks
from deckwright.reading.markdown import parse, parse_chunks, parse_inline
from deckwright.reading.markdown.attrs import parse_attrs
from deckwright.reading.sanitize import safe_url, sanitize_html
from deckwright.reading.source import (
    clean_text,
    front_matter_span,
    normalize_front_matter,
    quick_front_matter,
)
from deckwright.support.yamlsafe import YamlMap, key_line, load_yaml

# --------------------------------------------------------------------------- metadata

TEXT_KEYS = ("title", "subtitle", "author", "date", "url", "theme", "lang", "description", "slug", "notes")
META_KEYS = (*TEXT_KEYS, "keywords", "slide_level", "notes_comments", "dialect", "allow_scripts")
_THEME_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
LAYOUT_NAMES = tuple(layout.value for layout in Layout)


def normalize_meta(data: Mapping[str, Any], path: str, *, extra_keys: Sequence[str] = (),
                   what: str = "front-matter") -> tuple[Meta, list[Diagnostic]]:
    """Check deck metadata (front matter or deck.yaml) and bring values to their types.

    Text keys become str (YAML dates included), keywords a tuple of str, slide_level an int 0–6,
    notes_comments and allow_scripts a bool, dialect a dialect name. Unknown keys are reported and
    dropped; `extra_keys` are passed through.
    """
    out = Meta()
    out.lines = {key: key_line(data, key, 1) for key in data}
    diags: list[Diagnostic] = []
    for key, value in data.items():
        ref = SourceRef(path, key_line(data, key, 1))
        if key in extra_keys:
            out[key] = value
        elif key in TEXT_KEYS:
            text = _meta_text(value)
            if text is None:
                diags.append(error(ref, f"`{key}` must be text, not {_kind(value)}"))
            elif key == "theme" and not _THEME_NAME.match(text):
                diags.append(error(ref, f"invalid theme name {text!r} (letters, digits, '-', '_', '.')"))
            elif key == "slug" and not _SLUG.match(text):
                diags.append(error(ref, f"invalid slug {text!r} (lower-case letters, digits, '-', '_', '.')"))
            else:
                out[key] = text
        elif key == "keywords":
            words = _keywords(value)
            if words is None:
                diags.append(error(ref, "`keywords` must be a list of words or a comma-separated text"))
            else:
                out[key] = words
        elif key == "slide_level":
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
                diags.append(error(ref, f"`slide_level` must be a number from 0 to 6, not {value!r}"))
            else:
                out[key] = value
        elif key in ("notes_comments", "allow_scripts"):
            flag = as_bool(value)
            if flag is None:
                diags.append(error(ref, f"`{key}` must be true or false, not {value!r}"))
            else:
                out[key] = flag
        elif key == "dialect":
            name = dialect_name(value)
            if name is None:
                diags.append(error(ref, f"unknown dialect {value!r} (known: {', '.join(DIALECTS)})"))
            else:
                out[key] = name
        else:
            known = ", ".join((*META_KEYS, *extra_keys))
            diags.append(warning(ref, f"unknown {what} key `{key}` ignored (known: {known})"))
    return out, diags


def _meta_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _keywords(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return tuple(w.strip() for w in value.split(",") if w.strip())
    if isinstance(value, list) and all(isinstance(w, (str, int, float)) for w in value):
        return tuple(str(w).strip() for w in value if str(w).strip())
    return None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty" if value is None else type(value).__name__


class Meta(dict[str, object]):
    """Checked deck metadata that remembers the line of each key."""

    lines: dict[str, int]


def front_matter(tokens: Sequence[Token], path: str) -> tuple[Meta, list[Diagnostic]]:
    """The front matter of a parsed file (empty when there is none), checked."""
    data, diags = front_matter_yaml(tokens, path)
    if data is None:
        return _empty_meta(), diags
    return normalize_meta(data, path)


def _empty_meta() -> Meta:
    empty = Meta()
    empty.lines = {}
    return empty


def front_matter_yaml(tokens: Sequence[Token], path: str) -> tuple[YamlMap | None, list[Diagnostic]]:
    """The front matter's YAML mapping (None when there is none or it is broken), unchecked."""
    token = tokens[0] if tokens and tokens[0].type == "front_matter" else None
    if token is None or token.map is None:
        return None, []
    first_line = token.map[0] + 2  # the line after the opening `---`, 1-based
    data, diags = load_yaml(token.content, path, first_line)
    if diags:
        lines = token.content.split("\n")
        bad = diags[0].ref.line - first_line if diags[0].ref else -1
        if 0 <= bad < len(lines) and "\t" in lines[bad]:
            diags = [error(diags[0].ref, f"{diags[0].message} (YAML does not allow tabs for indentation; "
                                         "use spaces)")]
        return None, diags
    if data is None:
        if token.content.strip():
            return None, [warning(SourceRef(path, token.map[0] + 1),
                                  "the lines between the first two `---` are read as front matter but hold "
                                  "no YAML keys; start the file with a slide, not `---`")]
        return None, []
    if not isinstance(data, YamlMap):
        return None, [error(SourceRef(path, first_line), "front matter must be YAML `key: value` lines")]
    return data, []


# --------------------------------------------------------------------------- steps

# reveal.js `data-fragment-index="k"`: indexed fragments come first, by index, then the others in
# order (reveal's sortFragments). Raw steps below this offset sort before every counted step.
_INDEXED = -1_000_000


@dataclass
class _Steps:
    """Click steps on the slide being read: `current` for new blocks, `highest` handed out so far."""

    current: int = 0
    highest: int = 0
    incremental: bool = False

    def next(self) -> int:
        self.highest += 1
        return self.highest

    def pause(self) -> None:
        self.current = self.next()

    def fragment(self, attrs: Mapping[str, str]) -> int:
        """The raw step of a `class="fragment"` element, honouring `data-fragment-index`."""
        index = attrs.get("data-fragment-index", "").strip()
        if index.isdigit() and len(index) < 6:
            return _INDEXED + int(index)
        return self.next()


@dataclass
class _Draft:
    """A slide while it is being read."""

    ref: SourceRef
    title: Inline = ()
    title_level: int = 0
    blocks: list[Block] = field(default_factory=list)
    notes: list[Block] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    layout: Layout | None = None
    background_color: str | None = None
    background_image: Path | None = None
    steps: _Steps = field(default_factory=_Steps)
    in_notes: bool = False
    # reveal.js: the break before this slide was a vertical one.
    vertical: bool = False
    # Marp: directives written on this slide (local and `_` spot ones), resolved.
    marp: dict[str, object] = field(default_factory=dict)
    # Marp `![bg left]` / `![bg right]`: the side and the image block placed there.
    side_image: tuple[str, Image] | None = None

    def is_empty(self) -> bool:
        return not (self.title or self.blocks or self.notes or self.classes or self.layout
                    or self.background_color or self.background_image or self.marp)


@dataclass(frozen=True)
class _Directive:
    key: str
    value: str
    ref: SourceRef


_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_COLOR = re.compile(r"^(#[0-9A-Fa-f]{3,8}|(rgb|rgba|hsl|hsla)\(.*\)|[A-Za-z]+)$")
_BR = re.compile(r"^<br\s*/?>$", re.IGNORECASE)
_TAG = re.compile(r"^</?([A-Za-z][\w-]*)")
_STYLE_BLOCK = re.compile(r"^\s*<style[\s>].*</style>\s*$", re.IGNORECASE | re.DOTALL)
_KNOWN_DIVS = frozenset({"notes", "columns", "column", "incremental", "nonincremental", "fragment"})
_DIAGRAMS = frozenset({"mermaid", "dot", "graphviz", "plantuml"})
_SKIP = object()  # a directive value that was reported and is not applied
MATH_WARNING = "math is shown as its TeX source in a code span: deckwright does not typeset formulas"


# --------------------------------------------------------------------------- the reader


class _Reader:
    """Reads one file's tokens into slides; collects diagnostics instead of raising."""

    def __init__(self, path: str, root: Path, settings: Mapping[str, object],
                 tables: Mapping[str, Any] | None, allow_dirs: tuple[Path, ...],
                 options: Options) -> None:
        self.path = path
        self.root = root.resolve()
        self.base = (self.root / path).parent
        self.allowed = (self.root, *(d.resolve() for d in allow_dirs))
        self.opts = options
        self.dialect = options.dialect
        self.marp = options.dialect == "marp"
        level = settings.get("slide_level", 0)
        if options.slide_level is not None:
            level = options.slide_level
        self.slide_level = level if isinstance(level, int) else 0
        self.auto_level = options.auto_slide_level and "slide_level" not in settings
        notes = settings.get("notes_comments")
        self.notes_comments = notes is True or (notes is None and options.notes_comments is True)
        self.allow_scripts = settings.get("allow_scripts") is True
        url = settings.get("url", "")
        self.url = url if isinstance(url, str) else ""
        self.tables = tables
        self.diags: list[Diagnostic] = []
        self.slides: list[Slide] = []
        self.draft: _Draft | None = None
        self.once: set[str] = set()
        self.vertical = False
        self.stacks = 0
        self.carry: dict[str, object] = {}
        for key, (value, line) in options.marp_locals.items():
            resolved = self.marp_value(key, value, SourceRef(path, line))
            if resolved is not _SKIP:
                self.carry[key] = resolved

    # ----------------------------------------------------------------- helpers

    def ref(self, node: SyntaxTreeNode | Token | None, fallback: SourceRef | None = None) -> SourceRef:
        line_map = node.map if node is not None else None
        if line_map:
            return SourceRef(self.path, line_map[0] + 1)
        return fallback or SourceRef(self.path, 1)

    def error(self, ref: SourceRef, message: str) -> None:
        self.diags.append(error(ref, message))

    def warn(self, ref: SourceRef, message: str) -> None:
        self.diags.append(warning(ref, message))

    def warn_once(self, kind: str, ref: SourceRef, message: str) -> None:
        """One warning per kind of construct per file, at its first line (not one per use)."""
        if kind not in self.once:
            self.once.add(kind)
            self.warn(ref, message)

    def slide(self, node: SyntaxTreeNode) -> _Draft:
        if self.draft is None:
            self.draft = _Draft(self.ref(node), vertical=self.vertical)
            self.draft.steps.incremental = self.opts.incremental
            self.vertical = False
        return self.draft

    @property
    def title_max(self) -> int:
        """Headings up to this level can be a slide's title."""
        return max(2, self.slide_level)

    @property
    def section_max(self) -> int:
        """Titles up to this level make section slides (pandoc: the levels above the slide level)."""
        if self.dialect == "pandoc" and self.slide_level >= 1:
            return self.slide_level - 1
        return 1

    # ----------------------------------------------------------------- slides

    def read(self, tokens: list[Token]) -> list[Slide]:
        nodes = SyntaxTreeNode(tokens).children
        if self.auto_level:
            self.slide_level = pandoc_slide_level([_block_kind(n) for n in nodes if n.type != "front_matter"])
        for node in nodes:
            self.top(node)
        self.finish()
        return self.slides

    def top(self, node: SyntaxTreeNode) -> None:
        kind = node.type
        if kind == "front_matter":
            return
        if kind == "slide_break":
            self.finish()
            self.vertical = bool(node.meta.get("vertical"))
            return
        if kind == "hr" and self.opts.hr_breaks:
            self.finish()
            self.vertical = self.dialect == "reveal" and node.meta.get("source") == "----"
            return
        if kind == "heading":
            level = int(node.tag[1:])
            if self.slide_level and level <= self.slide_level:
                self.finish()
            draft = self.slide(node)
            if level <= self.title_max and not draft.title and not draft.in_notes:
                self.take_title(node, draft, level)
                return
        draft = self.slide(node)
        if kind == "notes_marker":
            draft.in_notes = True
            return
        if kind == "pause" and not draft.in_notes:
            draft.steps.pause()
            return
        if draft.in_notes:
            self.node(node, draft.notes, None)
        else:
            self.node(node, draft.blocks, draft.steps)

    def take_title(self, node: SyntaxTreeNode, draft: _Draft, level: int) -> None:
        ref = self.ref(node)
        draft.title, directives = self.inline(node.children[0] if node.children else None, ref)
        draft.title_level = level
        self.slide_attrs({k: str(v) for k, v in node.attrs.items()}, ref, draft)
        for d in directives:
            self.directive(d, draft, None)

    def finish(self) -> None:
        draft, self.draft = self.draft, None
        if draft is None or draft.is_empty():
            return
        found = draft.side_image
        if found is not None:
            side, image = found
            rest = [b for b in draft.blocks if b is not image]
            if len(rest) < len(draft.blocks):  # a split background at the side it names
                draft.blocks = [image, *rest] if side == "left" else [*rest, image]
            draft.layout = draft.layout or (Layout.IMAGE_LEFT if side == "left" else Layout.IMAGE_RIGHT)
        mapping = {old: new for new, old in enumerate(sorted(_steps_used(draft.blocks)), start=1)}
        blocks = tuple(_renumber(b, mapping) for b in draft.blocks)
        subtitle: Inline = ()
        layout = draft.layout or _auto_layout(draft.title_level, blocks, self.section_max)
        if layout is Layout.SECTION and len(blocks) == 1 and isinstance(blocks[0], Paragraph):
            subtitle, blocks = blocks[0].content, ()
        marp = {**self.carry, **draft.marp}
        classes = [*_as_classes(marp.get("class")), *draft.classes]
        background_color = draft.background_color or _as_str(marp.get("backgroundColor"))
        background_image = draft.background_image or _as_path(marp.get("backgroundImage"))
        paginate = marp.get("paginate")
        slide = Slide(
            ref=draft.ref, layout=layout, title=draft.title, subtitle=subtitle, blocks=blocks,
            notes=tuple(draft.notes), classes=tuple(dict.fromkeys(classes)),
            background_color=background_color, background_image=background_image,
            steps=len(mapping), header=_as_inline(marp.get("header")), footer=_as_inline(marp.get("footer")),
            paginate=paginate if isinstance(paginate, bool) else None,
        )
        if draft.vertical and self.slides:
            previous = self.slides[-1]
            if previous.stack == 0:
                self.stacks += 1
                previous = self.slides[-1] = replace(previous, stack=self.stacks)
            slide = replace(slide, stack=previous.stack)
        self.slides.append(slide)

    # ----------------------------------------------------------------- directives

    def directive(self, d: _Directive, draft: _Draft, out: list[Block] | None) -> None:
        """Apply a comment directive; `.element` applies to the last block in `out`.

        A comment that is no directive (empty key) is a speaker note where comments are notes.
        """
        if not d.key:
            text = d.value.strip()
            if self.marp and text.lower() == "fit":
                return  # Marp's `<!-- fit -->` heading: deckwright fits every text anyway
            if self.notes_comments and text:
                draft.notes.append(Paragraph(d.ref, (Span(text),)))
            return
        if self.marp:
            self.marp_directive(d, draft)
            return
        key = d.key.lstrip("_")  # Marp: `_class` applies to this slide only, as every directive here does
        if key == "layout":
            name = d.value.strip()
            if name not in LAYOUT_NAMES:
                self.error(d.ref, f"unknown layout {name!r} (known: {', '.join(LAYOUT_NAMES)})")
            else:
                draft.layout = Layout(name)
        elif key == "class":
            draft.classes.extend(d.value.split())
        elif key == "backgroundColor":
            draft.background_color = d.value.strip() or None
        elif key == "backgroundImage":
            value = d.value.strip()
            url = css_url(value)
            draft.background_image = self.image_file(url if url is not None else value, d.ref,
                                                     "background image")
        elif key == ".slide":
            attrs = parse_attrs(d.value)
            if attrs is None:
                self.warn_once(".slide", d.ref, f"`.slide` attributes {d.value[:40]!r} cannot be read "
                                                "(write key=\"value\" pairs); ignored")
            self.slide_attrs(attrs or {}, d.ref, draft)
        elif key == ".element":
            self.element(d, draft, out)

    def marp_directive(self, d: _Directive, draft: _Draft) -> None:
        """Marp: a local directive applies from this slide on, its `_` form to this slide only."""
        spot = d.key.startswith("_")
        key = d.key[1:] if spot else d.key
        if key in MARP_GLOBAL:
            if key == "style":
                self.warn_once("style", d.ref, "Marp `style` CSS is not applied: deckwright styles slides "
                                               "with its theme")
            elif key not in ("headingDivider", "marp", "math", "size", "inlineSVG"):
                self.warn_once(f"global:{key}", d.ref, f"global directive `{key}` in a comment is ignored; "
                                                       "set it in the front matter")
            return
        value = self.marp_value(key, d.value, d.ref)
        if value is _SKIP:
            return
        draft.marp[key] = value
        if not spot:
            self.carry[key] = value

    def marp_value(self, key: str, raw: object, ref: SourceRef) -> object:
        """A Marp local directive's value, checked and resolved (_SKIP when it cannot be applied)."""
        text = unquote(str(raw)) if raw is not None else ""
        if key == "class":
            return tuple(text.split())
        if key == "paginate":
            # Marp 3's `skip` (no number on this page) and `hold` (keep counting) count as false / true.
            flag = {"skip": False, "hold": True}.get(text.lower(), as_bool(raw))
            if flag is None:
                self.warn(ref, f"`paginate` must be true or false, not {text!r}")
                return _SKIP
            return flag
        if key in ("header", "footer"):
            content, _ = self.inline_tokens(parse_inline(text, "marp"), ref)
            return content
        if key == "backgroundColor":
            return text or None
        if key == "backgroundImage":
            url = css_url(text)
            if url is None:
                self.warn_once("bg-css", ref, f"background {text!r} is not supported (only url(…) images)")
                return _SKIP
            path = self.image_file(url, ref, "background image")
            return path if path is not None else _SKIP
        self.warn_once(key, ref, f"Marp directive `{key}` is not supported and is ignored")
        return _SKIP

    def element(self, d: _Directive, draft: _Draft, out: list[Block] | None) -> None:
        attrs = parse_attrs(d.value) or {}
        if "fragment" not in attrs.get("class", "").split():
            self.warn_once(".element", d.ref, "`.element` comment without class=\"fragment\" is ignored")
        elif draft.in_notes or out is None:
            return
        elif not out:
            self.warn(d.ref, "`.element` comment has no block before it to make a fragment of")
        else:
            out[-1] = _with_step(out[-1], draft.steps.fragment(attrs))

    def slide_attrs(self, attrs: Mapping[str, str], ref: SourceRef, draft: _Draft) -> None:
        """Heading `{…}` or `<!-- .slide: … -->` attributes: classes and backgrounds."""
        for key, value in attrs.items():
            if key == "class":
                draft.classes.extend(value.split())
            elif key in ("background-color", "data-background-color"):
                draft.background_color = value
            elif key in ("background-image", "data-background-image"):
                draft.background_image = self.image_file(value, ref, "background image")
            elif key in ("background", "data-background"):
                if _COLOR.match(value) and "." not in value:
                    draft.background_color = value
                else:
                    draft.background_image = self.image_file(value, ref, "background image")
            elif key != "id":
                self.warn_once(f"attr:{key}", ref,
                               f"slide attribute `{key}` is not supported and was ignored")

    # ----------------------------------------------------------------- blocks

    def node(self, node: SyntaxTreeNode, out: list[Block], steps: _Steps | None) -> None:
        """Convert one block node and append the result to `out` (steps None: speaker notes)."""
        ref = self.ref(node)
        step = steps.current if steps else 0
        kind = node.type
        if kind == "paragraph":
            self.paragraph(node, ref, out, steps)
        elif kind == "heading":
            content, directives = self.inline(node.children[0] if node.children else None, ref)
            out.append(Heading(ref, int(node.tag[1:]), content, step))
            self.apply(directives, out)
        elif kind in ("bullet_list", "ordered_list"):
            out.append(self.list_block(node, ref, steps))
        elif kind == "fence":
            self.fence(node, ref, out, step)
        elif kind == "code_block":
            out.append(CodeBlock(ref, node.content.removesuffix("\n"), None, step))
        elif kind in ("math_block", "math_block_label"):
            self.warn_once("math", ref, MATH_WARNING)
            out.append(CodeBlock(ref, node.content.strip("\n"), "math", step))
        elif kind == "table":
            out.append(self.table(node, ref, step))
        elif kind == "blockquote":
            self.blockquote(node, ref, out, steps)
        elif kind == "html_block":
            self.html_block(node, ref, out if steps is not None else None)
        elif kind == "div":
            self.div(node, ref, out, steps)
        elif kind == "pause":
            if steps is not None:
                steps.pause()
        elif kind in ("hr", "notes_marker", "slide_break"):
            markup = node.meta.get("source") or node.markup or "---"
            self.warn(ref, f"`{markup}` inside a block does not start a new slide or notes; ignored")
        else:
            self.warn_once(f"block:{kind}", ref, f"unsupported Markdown ({kind}) ignored")

    def blockquote(self, node: SyntaxTreeNode, ref: SourceRef, out: list[Block],
                   steps: _Steps | None) -> None:
        step = steps.current if steps else 0
        only = node.children[0] if len(node.children) == 1 else None
        if self.dialect == "pandoc" and steps is not None and only is not None and only.type in (
                "bullet_list", "ordered_list"):
            # pandoc: a list in a block quote is incremental when lists are not, and vice versa.
            saved = steps.incremental
            steps.incremental = not saved
            out.append(self.list_block(only, self.ref(only, ref), steps))
            steps.incremental = saved
            return
        inner: list[Block] = []
        for child in node.children:
            self.node(child, inner, steps)
        out.append(Quote(ref, tuple(inner), step))

    def apply(self, directives: Iterable[_Directive], out: list[Block] | None) -> None:
        draft = self.draft
        if draft is not None:
            for d in directives:
                self.directive(d, draft, out)

    def paragraph(self, node: SyntaxTreeNode, ref: SourceRef, out: list[Block],
                  steps: _Steps | None) -> None:
        inline = node.children[0] if node.children else None
        step = steps.current if steps else 0
        pieces: list[Block] = []
        directives: list[_Directive] = []
        tokens = inline.token.children if inline is not None and inline.token is not None else None
        for part in _split_images(tokens or []):
            if isinstance(part, Token):
                image = self.image(part, _offset(ref, part.meta.get("line", 0)), step)
                if image is not None:
                    pieces.append(image)
                continue
            content, found = self.inline_tokens(part, ref)
            directives.extend(found)
            if content:
                pieces.append(Paragraph(ref, content, step))
        elements = [d for d in directives if d.key == ".element"]
        self.apply([d for d in directives if d.key != ".element"], out)
        out.extend(pieces)
        if elements and steps is not None:
            self.apply(elements[:1], out)  # one paragraph is one fragment, however many comments

    def list_block(self, node: SyntaxTreeNode, ref: SourceRef, steps: _Steps | None) -> ListBlock:
        step = steps.current if steps else 0
        # Marp: `*` bullets and `1)` numbers are fragmented lists (each item one click).
        stepped = steps is not None and (steps.incremental or (self.marp and node.markup in ("*", ")")))
        items: list[ListItem] = []
        for item in node.children:
            item_ref = self.ref(item, ref)
            item_step = steps.next() if steps and stepped else step
            content: Inline = ()
            children: list[Block] = []
            rest = list(item.children)
            if rest and rest[0].type == "paragraph" and not _has_image(rest[0]):
                para = rest.pop(0)
                content, directives = self.inline(para.children[0] if para.children else None, item_ref)
                for d in directives:
                    if d.key != ".element":
                        self.apply([d], None)
                    elif steps is not None and self.draft and not self.draft.in_notes:
                        attrs = parse_attrs(d.value) or {}
                        if "fragment" in attrs.get("class", "").split():
                            item_step = steps.fragment(attrs)
                        else:
                            self.warn_once(".element", d.ref,
                                           "`.element` comment without class=\"fragment\" is ignored")
            for child in rest:
                self.node(child, children, steps)
            items.append(ListItem(item_ref, content, tuple(children), item_step))
        ordered = node.type == "ordered_list"
        start = int(node.attrs.get("start", 1)) if ordered else 1
        return ListBlock(ref, tuple(items), ordered, start, step)

    def fence(self, node: SyntaxTreeNode, ref: SourceRef, out: list[Block], step: int) -> None:
        info = node.info.strip()
        # `python`, `{python}` (Quarto), `{r, echo=FALSE}` (R Markdown), `{.python}` (pandoc).
        m = re.match(r"\{?\s*\.?([^\s,{}]*)[\s,]*(.*?)\}?$", info)
        word, rest = (m.group(1), m.group(2)) if m else ("", "")
        if word in ("table", "glossary"):
            name = rest.strip()
            if not name:
                self.error(ref, f"```{word} needs the name of a data table, e.g. ```{word} terminology")
                return
            blocks, diags = expand_fence(word, name, node.content, ref, self.tables or {})
            self.diags.extend(diags)
            out.extend(_with_step(b, step) if step else b for b in blocks)
        elif word == "qr":
            url = node.content.strip() or self.url
            if not url:
                self.error(ref, "```qr needs a URL inside, or a `url` in the deck's metadata")
            else:
                out.append(QRCode(ref, url, step))
        else:
            if word.lower() in _DIAGRAMS:
                self.warn_once("diagram", ref, f"```{word} diagrams are shown as their source code: "
                                               "deckwright does not draw them (export an image instead)")
            out.append(CodeBlock(ref, node.content.removesuffix("\n"), word or None, step))

    def table(self, node: SyntaxTreeNode, ref: SourceRef, step: int) -> Table:
        header: tuple[Cell, ...] = ()
        align: tuple[Align, ...] = ()
        rows: list[tuple[Cell, ...]] = []
        for section in node.children:
            for tr in section.children:
                cells = tuple(self.cell(c, ref) for c in tr.children)
                if section.type == "thead":
                    header = cells
                    align = tuple(_align(c.attrs.get("style")) for c in tr.children)
                else:
                    rows.append(cells)
        return Table(ref, header, tuple(rows), align, step=step)

    def cell(self, node: SyntaxTreeNode, ref: SourceRef) -> Cell:
        content, directives = self.inline(node.children[0] if node.children else None, ref)
        self.apply(directives, None)
        return Cell(content)

    def html_block(self, node: SyntaxTreeNode, ref: SourceRef, out: list[Block] | None) -> None:
        """Comments are directives (or notes); other HTML is kept for the HTML output.

        `out` is where the HTML goes and what `.element` applies to; None in speaker notes.
        """
        comments = node.meta.get("comments")
        draft = self.draft
        if comments is None or draft is None:
            self.raw_html(node.content.rstrip("\n"), ref, out)
            return
        for key, value in comments:
            self.directive(_Directive(key, value, ref), draft, out)

    def raw_html(self, html: str, ref: SourceRef, out: list[Block] | None) -> None:
        """Author HTML, sanitized unless the deck opts in with `allow_scripts: true`."""
        draft = self.draft
        if not self.allow_scripts:
            if _STYLE_BLOCK.match(html):
                self.warn_once("style", ref, "<style> CSS is not applied: deckwright styles slides with its "
                                             "theme (`allow_scripts: true` keeps it in the HTML output)")
                return
            html, removed = sanitize_html(html)
            if removed:
                self.warn_once("unsafe-html", ref, f"unsafe HTML removed ({', '.join(removed[:4])}); "
                                                   "`allow_scripts: true` in the front matter keeps it")
            if not html.strip():
                return
        self.warn_once("html", ref, "raw HTML is rendered in the HTML output only")
        target = out if out is not None else draft.notes if draft is not None else []
        step = draft.steps.current if draft is not None and out is not None else 0
        target.append(RawHtml(ref, html, step))

    def div(self, node: SyntaxTreeNode, ref: SourceRef, out: list[Block], steps: _Steps | None) -> None:
        meta = node.meta
        name, classes = str(meta.get("name", "")), set(meta.get("classes", ()))
        if meta.get("unclosed"):
            self.error(ref, f"`{node.markup} {node.info}` is never closed: add a line `{node.markup}`")
        draft = self.draft
        if "notes" in classes and draft is not None:
            for child in node.children:
                self.node(child, draft.notes, None)
        elif "columns" in classes:
            out.append(self.columns(node, ref, steps))
        elif steps is not None and classes & {"incremental", "nonincremental"}:
            saved = steps.incremental
            steps.incremental = "incremental" in classes
            self.children(node, out, steps)
            steps.incremental = saved
        elif steps is not None and "fragment" in classes:
            saved_current = steps.current
            steps.current = steps.fragment(meta.get("attrs", {}))
            self.children(node, out, steps)
            steps.current = saved_current
        else:
            if "column" in classes:
                self.warn(ref, "`::: column` outside `:::: columns`: its content is kept as is")
            elif not classes & _KNOWN_DIVS:
                self.warn_once(f"div:{name or node.info}", ref,
                               f"unknown block `::: {name or node.info}`: its content is kept as is "
                               f"(known: {', '.join(sorted(_KNOWN_DIVS))})")
            self.children(node, out, steps)

    def children(self, node: SyntaxTreeNode, out: list[Block], steps: _Steps | None) -> None:
        for child in node.children:
            self.node(child, out, steps)

    def columns(self, node: SyntaxTreeNode, ref: SourceRef, steps: _Steps | None) -> Columns:
        step = steps.current if steps else 0
        columns: list[Column] = []
        for child in node.children:
            child_ref = self.ref(child, ref)
            if child.type == "div" and "column" in child.meta.get("classes", ()):
                if child.meta.get("unclosed"):
                    self.error(child_ref, f"`{child.markup} {child.info}` is never closed: "
                                          f"add a line `{child.markup}`")
                blocks: list[Block] = []
                self.children(child, blocks, steps)
                width = self.width(child.meta.get("attrs", {}).get("width"), child_ref)
                columns.append(Column(child_ref, tuple(blocks), width))
            elif child.type == "html_block" and child.meta.get("comments") is not None:
                self.html_block(child, child_ref, None)
            else:
                self.warn(child_ref, "content in `:::: columns` outside any `::: column` was put in a "
                                     "column of its own")
                blocks = []
                self.node(child, blocks, steps)
                columns.append(Column(child_ref, tuple(blocks)))
        total = sum(c.width for c in columns if c.width)
        if total > 1.0001:
            self.warn(ref, f"column widths add up to {total:.0%}, more than 100%")
        if not columns:
            self.warn(ref, "`:::: columns` holds no `::: column`")
        return Columns(ref, tuple(columns), step)

    # ----------------------------------------------------------------- images and files

    def width(self, value: str | None, ref: SourceRef) -> float | None:
        if value is None:
            return None
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%\s*", value)
        if m is None or not 0 < float(m.group(1)) <= 100:
            self.warn(ref, f"width {value!r} ignored: give a percentage from 1% to 100%, e.g. width=40%")
            return None
        return round(float(m.group(1)) / 100, 4)

    def image(self, token: Token, ref: SourceRef, step: int) -> Image | None:
        src = str(token.attrs.get("src", ""))
        alt = token.content.strip()
        if self.marp:
            return self.marp_image(token, src, alt, ref, step)
        path = self.image_file(src, ref, "image")
        if not alt:
            self.warn(ref, f"image has no alt text: {src}")
        if path is None:
            return None
        width = self.width(_str_attr(token, "width"), ref)
        return Image(ref, path, alt, _str_attr(token, "title") or "", width, step)

    def marp_image(self, token: Token, src: str, alt: str, ref: SourceRef, step: int) -> Image | None:
        """Marp image keywords: `bg` backgrounds, `bg left:40%` split slides, `w:`/`h:` sizes."""
        spec = marp_image(alt)
        for kind in spec.unsupported:
            self.warn_once(kind, ref, f"Marp {kind} keywords are not supported and are ignored")
        draft = self.draft
        if spec.bg:
            path = self.image_file(src, ref, "background image")
            if path is None or draft is None:
                return None
            if spec.side is not None:
                image = Image(ref, path, spec.alt, _str_attr(token, "title") or "", spec.split, step)
                if draft.side_image is not None:
                    self.warn_once("bg-side", ref, "only one `bg left`/`bg right` image per slide is placed "
                                                   "beside the text; the others are shown in the text")
                    return replace(image, width=None)
                draft.side_image = (spec.side, image)
                return image
            if draft.background_image is None:
                draft.background_image = path
            else:
                self.warn_once("bg-many", ref, "several background images on one slide: the first is used")
            return None
        path = self.image_file(src, ref, "image")
        if not spec.alt:
            self.warn(ref, f"image has no alt text: {src}")
        if path is None:
            return None
        width = self.marp_width(spec.width, spec.height, path, ref)
        return Image(ref, path, spec.alt, _str_attr(token, "title") or "", width, step)

    def marp_width(self, width: str | None, height: str | None, path: Path, ref: SourceRef) -> float | None:
        if width is not None:
            fraction = length_fraction(width)
            if fraction is None:
                self.warn(ref, f"image width {width!r} ignored: give px, cm, mm, in, pt or %")
            return fraction
        if height is None:
            return None
        px = length_px(height)
        size = _image_size(path)
        if px is None or size is None or not size[1]:
            self.warn(ref, f"image height {height!r} ignored: give px, cm, mm, in or pt")
            return None
        return length_fraction(f"{px * size[0] / size[1]:.2f}px")

    def image_file(self, src: str, ref: SourceRef, what: str) -> Path | None:
        """Like local_file; in decks from other tools a remote image is left out with a warning."""
        if self.dialect != "deckwright" and re.match(r"^(https?:)?//", src, re.IGNORECASE):
            self.warn(ref, f"{what} {src!r} is not downloaded (deckwright reads no network) and is left "
                           "out: save it in the project and link it by path")
            return None
        return self.local_file(src, ref, what)

    def local_file(self, src: str, ref: SourceRef, what: str) -> Path | None:
        """The absolute path of a file the deck refers to, checked to be inside the project."""
        if (_URL_SCHEME.match(src) and not re.match(r"^[A-Za-z]:[\\/]", src)) or src.startswith("//"):
            self.error(ref, f"{what} {src!r} is not a local file: deckwright reads no network; "
                            "save it in the project and link it by path")
            return None
        rel = unquote_url(src.split("#", 1)[0].split("?", 1)[0])
        if not rel or "\x00" in rel:
            self.error(ref, f"{what} has no path")
            return None
        candidate = (self.root / rel.lstrip("/")) if rel.startswith("/") else (self.base / rel)
        try:
            resolved = candidate.resolve()
        except (OSError, RuntimeError, ValueError):  # a symlink loop, a name the OS refuses
            self.error(ref, f"{what} cannot be read: {src}")
            return None
        if not any(resolved.is_relative_to(d) for d in self.allowed):
            lexical_inside = Path(os.path.normpath(candidate)).is_relative_to(self.root)
            how = " through a symlink" if lexical_inside else ""
            self.error(ref, f"{what} is outside the project{how}: {src} (use --allow-dir to allow a folder)")
            return None
        try:
            found = resolved.is_file()
        except (OSError, ValueError):
            found = False
        if not found:
            self.error(ref, f"{what} not found: {src}")
            return None
        return resolved

    # ----------------------------------------------------------------- inline

    def inline(self, node: SyntaxTreeNode | None, ref: SourceRef) -> tuple[Inline, list[_Directive]]:
        if node is None:
            return (), []
        return self.inline_tokens(node.token.children or [] if node.token else [], ref)

    def inline_tokens(self, tokens: Sequence[Token], ref: SourceRef) -> tuple[Inline, list[_Directive]]:
        spans: list[Span] = []
        directives: list[_Directive] = []
        bold = italic = strike = 0
        links: list[str | None] = []
        line = 0

        def styled(text: str, code: bool = False) -> Span:
            # The styles in force at this token (only tokens that add no span change them).
            return Span(text, bold=bold > 0, italic=italic > 0, strike=strike > 0, code=code,
                        href=links[-1] if links else None)

        for tok in tokens:
            kind = tok.type
            if kind == "text":
                spans.append(styled(tok.content))
            elif kind == "code_inline":
                spans.append(styled(tok.content, True))
            elif kind in ("math_inline", "math_inline_double"):
                self.warn_once("math", _offset(ref, line), MATH_WARNING)
                spans.append(styled(tok.content.strip(), True))
            elif kind == "softbreak":
                line += 1
                spans.append(styled("\n" if self.opts.breaks else " "))
            elif kind == "hardbreak":
                line += 1
                spans.append(styled("\n"))
            elif kind in ("strong_open", "strong_close"):
                bold += 1 if kind.endswith("open") else -1
            elif kind in ("em_open", "em_close"):
                italic += 1 if kind.endswith("open") else -1
            elif kind in ("s_open", "s_close"):
                strike += 1 if kind.endswith("open") else -1
            elif kind == "link_open":
                links.append(self.href(str(tok.attrs.get("href", "")), _offset(ref, line)))
            elif kind == "link_close" and links:
                links.pop()
            elif kind == "image":
                self.warn(_offset(ref, line), "an image here cannot be placed; its alt text is shown instead")
                spans.append(styled(tok.content))
            elif kind == "html_inline":
                comments = tok.meta.get("comments")
                if comments is not None:
                    directives.extend(_Directive(k, v, _offset(ref, line)) for k, v in comments)
                elif _BR.match(tok.content.strip()):
                    spans.append(styled("\n"))
                elif not tok.content.startswith("</"):  # one warning per element, not per tag
                    m = _TAG.match(tok.content)
                    tag = f"<{m.group(1).lower()}>" if m else tok.content
                    self.warn_once(f"inline:{tag}", _offset(ref, line),
                                   f"inline HTML {tag} ignored (only its text is kept)")
            else:
                self.warn_once(f"inline:{kind}", _offset(ref, line),
                               f"unsupported inline Markdown ({kind}) shown as text")
                spans.append(styled(tok.content))
        return _merge(_trim(spans)), directives

    def href(self, href: str, ref: SourceRef) -> str | None:
        """A link target, or None (the text stays) when it could run code in the HTML deck."""
        if self.allow_scripts or safe_url(href):
            return href
        self.warn_once("unsafe-link", ref, f"link to {href[:60]!r} removed: only web, mail and relative "
                                           "links are kept (`allow_scripts: true` keeps it)")
        return None


# --------------------------------------------------------------------------- helpers


def _block_kind(node: SyntaxTreeNode) -> tuple[str, int]:
    """A top-level block as pandoc's slide-level rule sees it: (kind, heading level or 0)."""
    if node.type == "heading":
        return "heading", int(node.tag[1:])
    if node.type == "hr" or node.type == "slide_break":
        return "hr", 0
    if node.type == "html_block" and node.meta.get("comments") is not None:
        return "comment", 0
    return "content", 0


def _as_classes(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, tuple) else ()


def _as_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _as_path(value: object) -> Path | None:
    return value if isinstance(value, Path) else None


def _as_inline(value: object) -> Inline:
    return tuple(v for v in value if isinstance(v, Span)) if isinstance(value, tuple) else ()


def _image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in pixels from the file's header, None if Pillow cannot read it."""
    try:
        from PIL import Image as PILImage

        with PILImage.open(path) as picture:
            return picture.size
    except Exception:  # any unreadable image just means "size unknown"
        return None


def _str_attr(token: Token, key: str) -> str | None:
    value = token.attrs.get(key)
    return None if value is None else str(value)


def _offset(ref: SourceRef, lines: int) -> SourceRef:
    return SourceRef(ref.path, ref.line + lines) if lines else ref


def _align(style: object) -> Align:
    text = str(style or "")
    for align in (Align.LEFT, Align.CENTER, Align.RIGHT):
        if f"text-align:{align.value}" in text:
            return align
    return Align.DEFAULT


def _has_image(node: SyntaxTreeNode) -> bool:
    inline = node.children[0] if node.children else None
    return bool(inline and inline.token and any(t.type == "image" for t in inline.token.children or []))


def _split_images(tokens: Sequence[Token]) -> Iterator[list[Token] | Token]:
    """Split an inline run at images: lists of inline tokens and image tokens, in order.

    Each image token gets meta["line"], its line offset within the paragraph.
    """
    run: list[Token] = []
    line = 0
    for tok in tokens:
        if tok.type == "image" and not any(t.type == "link_open" for t in run[-1:]):
            if run:
                yield run
            tok.meta = {**tok.meta, "line": line}
            yield tok
            run = []
            continue
        if tok.type in ("softbreak", "hardbreak"):
            line += 1
            if not run:
                continue  # a line break right after an image separates blocks, it is not text
        run.append(tok)
    if run:
        yield run


def _trim(spans: list[Span]) -> list[Span]:
    """Drop whitespace at the edges (left over by removed comments and line breaks around images)."""
    while spans and not spans[0].code and not spans[0].text.strip():
        spans.pop(0)
    while spans and not spans[-1].code and not spans[-1].text.strip():
        spans.pop()
    if spans and not spans[0].code and spans[0].text[:1].isspace():
        spans[0] = replace(spans[0], text=spans[0].text.lstrip())
    if spans and not spans[-1].code and spans[-1].text[-1:].isspace():
        spans[-1] = replace(spans[-1], text=spans[-1].text.rstrip())
    return spans


# A span's styles: every field but its text (compared to merge neighbouring runs).
_span_style = attrgetter(*(f.name for f in fields(Span) if f.name != "text"))


def _merge(spans: list[Span]) -> Inline:
    """Join neighbouring runs with the same style (text split by the parser at `*`, `_`, breaks).

    Spaces next to a hard break (`<br>` written inside a line) are dropped.
    """
    merged: list[Span] = []
    for i, span in enumerate(spans):
        if not span.code and i + 1 < len(spans) and spans[i + 1].text == "\n" and span.text.endswith(" "):
            span = replace(span, text=span.text.rstrip(" "))
        if not span.code and i > 0 and spans[i - 1].text == "\n" and span.text.startswith(" "):
            span = replace(span, text=span.text.lstrip(" "))
        if not span.text:
            continue
        if merged and _span_style(merged[-1]) == _span_style(span) and "\n" not in (
                merged[-1].text, span.text):
            merged[-1] = replace(merged[-1], text=merged[-1].text + span.text)
        else:
            merged.append(span)
    return tuple(merged)


def _with_step(block: Block, step: int) -> Block:
    return replace(block, step=step)


def _steps_used(blocks: Iterable[Block]) -> set[int]:
    used: set[int] = set()
    for block in blocks:
        if block.step:
            used.add(block.step)
        if isinstance(block, ListBlock):
            for item in block.items:
                if item.step:
                    used.add(item.step)
                used |= _steps_used(item.children)
        elif isinstance(block, Quote):
            used |= _steps_used(block.blocks)
        elif isinstance(block, Columns):
            for column in block.columns:
                used |= _steps_used(column.blocks)
    return used


def _renumber(block: Block, mapping: Mapping[int, int]) -> Block:
    """Steps without gaps (1, 2, 3 …): a pause followed by a fragment leaves a step unused."""
    new: Block = replace(block, step=mapping.get(block.step, 0))
    if isinstance(new, ListBlock):
        items = tuple(replace(i, step=mapping.get(i.step, 0),
                              children=tuple(_renumber(c, mapping) for c in i.children))
                      for i in new.items)
        new = replace(new, items=items)
    elif isinstance(new, Quote):
        new = replace(new, blocks=tuple(_renumber(c, mapping) for c in new.blocks))
    elif isinstance(new, Columns):
        new = replace(new, columns=tuple(
            replace(col, blocks=tuple(_renumber(c, mapping) for c in col.blocks)) for col in new.columns))
    return new


def _auto_layout(title_level: int, blocks: Sequence[Block], section_max: int = 1) -> Layout:
    alone = not blocks or (len(blocks) == 1 and isinstance(blocks[0], Paragraph) and blocks[0].step == 0)
    if 0 < title_level <= section_max and alone:
        return Layout.SECTION
    if any(isinstance(b, Columns) for b in blocks):
        return Layout.TWO_COLUMNS
    images = [i for i, b in enumerate(blocks) if isinstance(b, Image)]
    if len(images) == 1 and len(blocks) >= 2:
        return Layout.IMAGE_LEFT if images[0] == 0 else Layout.IMAGE_RIGHT
    return Layout.CONTENT


# --------------------------------------------------------------------------- entry point


@dataclass
class ParsedFile:
    """One Markdown file parsed in its dialect: tokens, checked metadata, reading options."""

    tokens: list[Token]
    meta: Meta
    options: Options
    diags: list[Diagnostic]


def parse_file(text: str, path: str, root: Path, *, dialect: str | None = None) -> ParsedFile:
    """Clean, detect the dialect of, and parse one file; check its front matter.

    The dialect is the file's own `dialect:` key, else `dialect` (the CLI's --dialect or deck.yaml),
    else detected from the text (see dialects.detect).
    """
    text, diags = clean_text(text, path)
    text = normalize_front_matter(text)
    front = quick_front_matter(text)
    name = dialect_name(front.get("dialect")) or dialect_name(dialect) or detect(text, front)
    title_block: dict[str, tuple[str, int]] = {}
    if name == "pandoc":
        text, title_block = pandoc_title_block(text, path)
    span = front_matter_span(text)
    if name == "reveal":
        head = parse(text[: span[1]] if span else "", "reveal")
    else:
        tokens = parse(text, name)
        head = tokens
    data, fm_diags = front_matter_yaml(head, path)
    diags += fm_diags
    if data is None:
        data = YamlMap()
        data.line, data.key_lines = 1, {}
    for key, (value, line) in title_block.items():
        if key not in data:
            data[key], data.key_lines[key] = value, line
    translated = translate(data, name, path, text.split("\n"), _theme_exists(root))
    diags += translated.diags
    if name == "reveal":
        chunks, chunk_diags = reveal_chunks(text, path, translated.separators, span[1] if span else 0)
        diags += chunk_diags
        tokens = parse_chunks(chunks, "reveal")
    options = translated.options
    if name == "marp":
        options = _marp_comment_globals(tokens, options, path, diags)
    meta, meta_diags = normalize_meta(translated.meta, path)
    return ParsedFile(tokens, meta, options, diags + meta_diags)


def _theme_exists(root: Path) -> Any:
    def exists(name: str) -> bool:
        from deckwright.model.theme import theme_dir

        valid = re.fullmatch(r"[A-Za-z0-9_.-]+", name) is not None
        return valid and (theme_dir(root, name) / "theme.yaml").is_file()

    return exists


def _marp_comment_globals(tokens: list[Token], options: Options, path: str,
                          diags: list[Diagnostic]) -> Options:
    """Marp: a `<!-- headingDivider: 2 -->` comment anywhere sets it for the whole file (last wins)."""
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
    return options


def read_markdown(text: str, path: str, root: Path, *, defaults: Mapping[str, object] | None = None,
                  tables: Mapping[str, Any] | None = None, allow_dirs: tuple[Path, ...] = (),
                  dialect: str | None = None) -> tuple[list[Slide], dict[str, object], list[Diagnostic]]:
    """Read one Markdown file into slides.

    `path` is the file as shown to the user, relative to `root` (images resolve from its folder);
    `defaults` are deck settings (slide_level, notes_comments, url) that this file's front matter
    overrides; `tables` are the loaded data tables; `dialect` forces a dialect (None: detect).
    Returns (slides, front matter, diagnostics).
    """
    parsed = parse_file(text, path, root, dialect=dialect)
    slides, read_diags = read_tokens(parsed.tokens, path, root, settings={**(defaults or {}), **parsed.meta},
                                     tables=tables, allow_dirs=allow_dirs, options=parsed.options)
    return slides, dict(parsed.meta), parsed.diags + read_diags


def read_tokens(tokens: list[Token], path: str, root: Path, *, settings: Mapping[str, object],
                tables: Mapping[str, Any] | None = None, allow_dirs: tuple[Path, ...] = (),
                options: Options | None = None) -> tuple[list[Slide], list[Diagnostic]]:
    """Slides from already parsed tokens (front matter skipped); `settings` as merged by the caller."""
    reader = _Reader(path, root, settings, tables, allow_dirs, options or Options())
    return reader.read(tokens), reader.diags
