"""Comment directives and slide attributes applied to the slide being read: layout, classes, backgrounds."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from deckwright.diagnostics import SourceRef
from deckwright.model.deck import Block, Layout, Paragraph, Span
from deckwright.reading.colors import background_color
from deckwright.reading.context import FileContext
from deckwright.reading.dialects import css_url, marp
from deckwright.reading.draft import Draft
from deckwright.reading.inline import Directive
from deckwright.reading.markdown.attrs import parse_attrs
from deckwright.reading.steps import Steps, with_step

LAYOUT_NAMES = tuple(layout.value for layout in Layout)
_COLOR = re.compile(r"^(#[0-9A-Fa-f]{3,8}|(rgb|rgba|hsl|hsla)\(.*\)|[A-Za-z]+)$")
_NO_FRAGMENT = "`.element` comment without class=\"fragment\" is ignored"


class Directives:
    """Applies one file's comment directives to its slides; Marp's carry on from slide to slide."""

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        # Marp: the local directives in force, from the front matter and earlier slides.
        self.carry = marp.front_matter_locals(ctx)

    def apply_all(self, directives: Iterable[Directive], draft: Draft, out: list[Block] | None) -> None:
        for d in directives:
            self.apply(d, draft, out)

    def apply(self, d: Directive, draft: Draft, out: list[Block] | None) -> None:
        """Apply a comment directive; `.element` applies to the last block in `out`.

        A comment that is no directive (empty key) is a speaker note where comments are notes.
        """
        if not d.key:
            text = d.value.strip()
            if self.ctx.notes_comments and text:
                draft.notes.append(Paragraph(d.ref, (Span(text),)))
        elif self.ctx.options.dialect == "marp":
            marp.apply_directive(d, draft, self.carry, self.ctx)
        else:
            self._deckwright(d, draft, out)

    def _deckwright(self, d: Directive, draft: Draft, out: list[Block] | None) -> None:
        key = d.key.lstrip("_")  # Marp: `_class` applies to this slide only, as every directive here does
        if key == "layout":
            name = d.value.strip()
            if name not in LAYOUT_NAMES:
                self.ctx.report.error(d.ref, f"unknown layout {name!r} (known: {', '.join(LAYOUT_NAMES)})")
            else:
                draft.layout = Layout(name)
        elif key == "class":
            draft.classes.extend(d.value.split())
        elif key == "backgroundColor":
            draft.background_color = background_color(d.value, d.ref, self.ctx.report)
        elif key == "backgroundImage":
            value = d.value.strip()
            url = css_url(value)
            draft.background_image = self.ctx.file(url if url is not None else value, d.ref,
                                                   "background image")
        elif key == ".slide":
            attrs = parse_attrs(d.value)
            if attrs is None:
                self.ctx.report.warn_once(".slide", d.ref, f"`.slide` attributes {d.value[:40]!r} cannot be "
                                                           "read (write key=\"value\" pairs); ignored")
            slide_attrs(self.ctx, attrs or {}, d.ref, draft)
        elif key == ".element":
            self._element(d, draft, out)

    def _element(self, d: Directive, draft: Draft, out: list[Block] | None) -> None:
        attrs = parse_attrs(d.value) or {}
        if "fragment" not in attrs.get("class", "").split():
            self.ctx.report.warn_once(".element", d.ref, _NO_FRAGMENT)
        elif draft.in_notes or out is None:
            return
        elif not out:
            self.ctx.report.warn(d.ref, "`.element` comment has no block before it to make a fragment of")
        else:
            out[-1] = with_step(out[-1], draft.steps.fragment(attrs))

    def item_step(self, d: Directive, steps: Steps, step: int) -> int:
        """The step of a list item whose first line holds an `.element` comment."""
        attrs = parse_attrs(d.value) or {}
        if "fragment" in attrs.get("class", "").split():
            return steps.fragment(attrs)
        self.ctx.report.warn_once(".element", d.ref, _NO_FRAGMENT)
        return step


def slide_attrs(ctx: FileContext, attrs: Mapping[str, str], ref: SourceRef, draft: Draft) -> None:
    """Heading `{…}` or `<!-- .slide: … -->` attributes: classes and backgrounds."""
    for key, value in attrs.items():
        if key == "class":
            draft.classes.extend(value.split())
        elif key in ("background-color", "data-background-color"):
            draft.background_color = background_color(value, ref, ctx.report)
        elif key in ("background-image", "data-background-image"):
            draft.background_image = ctx.file(value, ref, "background image")
        elif key in ("background", "data-background"):
            if _COLOR.match(value) and "." not in value:
                draft.background_color = background_color(value, ref, ctx.report)
            else:
                draft.background_image = ctx.file(value, ref, "background image")
        elif key != "id":
            ctx.report.warn_once(f"attr:{key}", ref,
                                 f"slide attribute `{key}` is not supported and was ignored")
