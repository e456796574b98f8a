"""Images in the text: the file through the path policy, its alt text and width (Marp's keywords aside)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from deckwright.diagnostics import Diagnostic, SourceRef, warning
from deckwright.model.deck import Image
from deckwright.reading.context import FileContext
from deckwright.reading.dialects import marp
from deckwright.reading.draft import Draft


def read_image(token: Token, ref: SourceRef, step: int, draft: Draft, ctx: FileContext) -> Image | None:
    """An image token as an Image block; None when its file cannot be used (already reported)."""
    src = str(token.attrs.get("src", ""))
    spec = token.meta.get("marp")
    if isinstance(spec, marp.MarpImage):  # set by Marp's parser: its keywords decide
        return marp.image(spec, src, _str_attr(token, "title") or "", ref, step, draft, ctx)
    alt = token.content.strip()
    path = ctx.file(src, ref, "image")
    if not alt:
        ctx.report.warn(ref, f"image has no alt text: {src}")
    if path is None:
        return None
    width, diags = percent_width(_str_attr(token, "width"), ref)
    ctx.report.extend(diags)
    return Image(ref, path, alt, _str_attr(token, "title") or "", width, step)


def percent_width(value: str | None, ref: SourceRef) -> tuple[float | None, list[Diagnostic]]:
    """A `width=40%` attribute as a share of the width (0.4); None when absent or unusable."""
    if value is None:
        return None, []
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%\s*", value)
    if m is None or not 0 < float(m.group(1)) <= 100:
        return None, [warning(ref, f"width {value!r} ignored: give a percentage from 1% to 100%, "
                                   "e.g. width=40%")]
    return round(float(m.group(1)) / 100, 4), []


def has_image(node: SyntaxTreeNode) -> bool:
    """Does this paragraph hold an image (then it is not a list item's text line)?"""
    inline = node.children[0] if node.children else None
    return bool(inline and inline.token and any(t.type == "image" for t in inline.token.children or []))


def split_images(tokens: Sequence[Token]) -> Iterator[list[Token] | Token]:
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


def _str_attr(token: Token, key: str) -> str | None:
    value = token.attrs.get(key)
    return None if value is None else str(value)
