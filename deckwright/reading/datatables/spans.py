"""Data-table text (inline Markdown: bold, italic, strike, code, links, breaks, math) → styled spans."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from markdown_it import MarkdownIt

from deckwright.model.deck import Inline, Span
from deckwright.reading.markdown import dollar_math

_MD = MarkdownIt("commonmark", {"html": False}).enable("strikethrough")
dollar_math(_MD)
# As in slides: markdown-it would leave `[x](javascript:…)` as literal text, silently; the checker
# judges every target and says what it removed.
_MD.validateLink = lambda url: True  # type: ignore[method-assign]


def parse_inline(text: str) -> Inline:
    """Inline Markdown (bold, italic, strike, code, links, hard breaks, `$…$` math) to merged Spans;
    a formula's TeX is not checked here (the checker does, at the value's line)."""
    tokens = _MD.parseInline(text)
    children = tokens[0].children if tokens and tokens[0].children else []
    spans: list[Span] = []
    bold = italic = strike = False
    href: str | None = None
    for tok in children:
        kind = tok.type
        if kind in ("strong_open", "strong_close"):
            bold = kind == "strong_open"
        elif kind in ("em_open", "em_close"):
            italic = kind == "em_open"
        elif kind in ("s_open", "s_close"):
            strike = kind == "s_open"
        elif kind == "link_open":
            href = str(tok.attrs.get("href", "")) or None
        elif kind == "link_close":
            href = None
        elif kind in ("math_inline", "math_inline_double"):
            spans.append(Span(" ".join(tok.content.split()), href=href, math=True))
        elif kind == "code_inline":
            spans.append(Span(tok.content, bold=bold, italic=italic, strike=strike, code=True, href=href))
        elif kind in ("text", "image", "html_inline", "softbreak", "hardbreak"):
            text_of = {"softbreak": " ", "hardbreak": "\n"}.get(kind, tok.content)
            spans.append(Span(text_of, bold=bold, italic=italic, strike=strike, href=href))
    return merge(spans)


def merge(spans: Iterable[Span]) -> Inline:
    """Join neighbouring spans of the same style, so writers emit fewer runs."""
    out: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        # A hard line break stays a Span of its own ("\n"), as the model defines it.
        same = bool(out) and replace(out[-1], text="") == replace(span, text="")
        if same and not span.math and "\n" not in (out[-1].text, span.text):
            out[-1] = replace(out[-1], text=out[-1].text + span.text)
        else:
            out.append(span)
    return tuple(out)


def linked(content: Inline, href: str | None) -> Inline:
    """Make the whole content a link (spans that already link elsewhere keep their target)."""
    if not href:
        return content
    return tuple(s if s.href else replace(s, href=href) for s in content)

