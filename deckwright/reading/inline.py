"""Inline tokens → styled spans (bold, italic, strike, code, links, breaks); comments → directives."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from operator import attrgetter

from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from deckwright.diagnostics import SourceRef
from deckwright.model.deck import Inline, Span
from deckwright.reading.context import FileContext, offset
from deckwright.reading.math import formula_ok
from deckwright.reading.sanitize import safe_url

_BR = re.compile(r"^<br\s*/?>$", re.IGNORECASE)
_TAG = re.compile(r"^</?([A-Za-z][\w-]*)")
# markdown-it's `strong_open` … `s_close`: the style each pair turns on and off.
_STYLES = {"strong": "bold", "em": "italic", "s": "strike"}


@dataclass(frozen=True)
class Directive:
    """A comment directive (`<!-- key: value -->`) where it was found; an empty key: a plain comment."""

    key: str
    value: str
    ref: SourceRef


def read_inline_node(node: SyntaxTreeNode | None, ref: SourceRef,
                     ctx: FileContext) -> tuple[Inline, list[Directive]]:
    """The spans and directives of a block's inline node (None: nothing)."""
    if node is None:
        return (), []
    return read_inline(node.token.children or [] if node.token else [], ref, ctx)


def read_inline(tokens: Sequence[Token], ref: SourceRef, ctx: FileContext) -> tuple[Inline, list[Directive]]:
    """Spans from inline tokens (`ref`: the line of the first), and the directives among them."""
    spans = _Spans(ref, ctx)
    for tok in tokens:
        spans.add(tok)
    return _merge(_trim(spans.spans)), spans.directives


class _Spans:
    """Inline tokens read one by one: the styles and link in force, the line within the block."""

    def __init__(self, ref: SourceRef, ctx: FileContext) -> None:
        self.ref, self.ctx = ref, ctx
        self.spans: list[Span] = []
        self.directives: list[Directive] = []
        self.depth = dict.fromkeys(_STYLES.values(), 0)
        self.links: list[str | None] = []
        self.line = 0

    @property
    def here(self) -> SourceRef:
        return offset(self.ref, self.line)

    def styled(self, text: str, code: bool = False, math: bool = False) -> Span:
        # The styles in force at this token (only tokens that add no span change them).
        return Span(text, bold=self.depth["bold"] > 0, italic=self.depth["italic"] > 0,
                    strike=self.depth["strike"] > 0, code=code, href=self.links[-1] if self.links else None,
                    math=math)

    def add(self, tok: Token) -> None:
        kind = tok.type
        name, _, edge = kind.rpartition("_")
        if name in _STYLES and edge in ("open", "close"):
            self.depth[_STYLES[name]] += 1 if edge == "open" else -1
        elif kind in ("text", "code_inline"):
            self.spans.append(self.styled(tok.content, kind == "code_inline"))
        elif kind in ("math_inline", "math_inline_double"):
            # A good formula is a math span (its TeX), a bad one a code span of its source.
            good = formula_ok(tok.content, self.here, kind == "math_inline_double", self.ctx.report,
                              self.ctx.cache)
            self.spans.append(self.styled(" ".join(tok.content.split()), code=not good, math=good))
            self.line += tok.content.count("\n")
        elif kind in ("softbreak", "hardbreak"):
            self.line += 1
            self.spans.append(self.styled("\n" if kind == "hardbreak" or self.ctx.options.breaks else " "))
        elif kind == "link_open":
            self.links.append(self.href(str(tok.attrs.get("href", ""))))
        elif kind == "link_close" and self.links:
            self.links.pop()
        elif kind == "image":
            self.ctx.report.warn(self.here, "an image here cannot be placed; its alt text is shown instead")
            self.spans.append(self.styled(tok.content))
        elif kind == "html_inline":
            self.html(tok)
        else:
            self.ctx.report.warn_once(f"inline:{kind}", self.here,
                                      f"unsupported inline Markdown ({kind}) shown as text")
            self.spans.append(self.styled(tok.content))

    def html(self, tok: Token) -> None:
        """Comments are directives; `<br>` is a line break; other tags are dropped, their text kept."""
        comments = tok.meta.get("comments")
        if comments is not None:
            self.directives.extend(Directive(k, v, self.here) for k, v in comments)
        elif _BR.match(tok.content.strip()):
            self.spans.append(self.styled("\n"))
        elif not tok.content.startswith("</"):  # one warning per element, not per tag
            m = _TAG.match(tok.content)
            tag = f"<{m.group(1).lower()}>" if m else tok.content
            self.ctx.report.warn_once(f"inline:{tag}", self.here, f"inline HTML {tag} ignored (only its text "
                                                                  "is kept)")

    def href(self, href: str) -> str | None:
        """A link target, or None (the text stays) when it could run code in the HTML deck."""
        if self.ctx.allow_scripts or safe_url(href):
            return href
        self.ctx.report.warn_once("unsafe-link", self.here, f"link to {href[:60]!r} removed: only web, mail "
                                                            "and relative links are kept (`allow_scripts: "
                                                            "true` keeps it)")
        return None


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
        if merged and not span.math and _span_style(merged[-1]) == _span_style(span) and "\n" not in (
                merged[-1].text, span.text):
            merged[-1] = replace(merged[-1], text=merged[-1].text + span.text)
        else:
            merged.append(span)
    return tuple(merged)
