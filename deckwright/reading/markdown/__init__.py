"""markdown-it-py parsers per dialect: CommonMark, GFM tables and strikethrough, and our plugins in order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_inline_dollar
from mdit_py_plugins.front_matter import front_matter_plugin

from deckwright.reading.dialects import marp, pandoc, reveal
from deckwright.reading.dialects.marp import MARP_DIRECTIVE_KEYS
from deckwright.reading.dialects.reveal import Chunk
from deckwright.reading.markdown.brackets import bracket_math_plugin
from deckwright.reading.markdown.comments import DIRECTIVE_KEYS, comment_plugin
from deckwright.reading.markdown.divs import fenced_div_plugin
from deckwright.reading.markdown.heading_attrs import heading_attrs_plugin
from deckwright.reading.markdown.hr_source import hr_source_plugin
from deckwright.reading.markdown.image_attrs import image_attrs_plugin
from deckwright.reading.markdown.nesting import MAX_TOKEN_NESTING
from deckwright.reading.markdown.notes import note_line_plugin
from deckwright.reading.markdown.pause import pause_plugin

InlineRule = Callable[[StateInline, bool], bool]


@lru_cache(maxsize=8)
def make_parser(dialect: str = "deckwright") -> MarkdownIt:
    """The parser for a dialect (CommonMark + GFM tables and strikethrough + that dialect's plugins).

    deckwright and pandoc share fenced divs, `{…}` attributes and `. . .`; Marp has none of those
    but has Marp directives and line breaks; reveal.js has neither (its notes and
    separators are split off before parsing). All read `$…$`/`$$…$$` math, reveal.js also
    `\\(…\\)`/`\\[…\\]`. Each dialect's own rewrites run last (see
    dialects/<name>.py). Cached: parsing does not change a MarkdownIt.
    """
    divs = dialect in ("deckwright", "pandoc")
    options: dict[str, bool | int] = {"html": True, "breaks": dialect == "marp",
                                      "maxNesting": MAX_TOKEN_NESTING}
    md = MarkdownIt("commonmark", options).enable(["table", "strikethrough"])
    # markdown-it leaves `[x](javascript:…)` and `![x](file:///…)` as literal text, silently: the
    # reader judges every link and image itself, and says what it removed and why.
    md.validateLink = _any_link  # type: ignore[method-assign]
    # Block rules: each plugin puts its rule before the markdown-it rule it must precede.
    md.use(front_matter_plugin)
    if divs:
        md.use(fenced_div_plugin)
    dollar_math(md)
    if dialect == "reveal":
        # reveal.js's math plugin also reads `\(…\)` and `\[…\]`; elsewhere `\(` is an escaped `(`.
        md.use(bracket_math_plugin)
    # Core rules, in the order they run. On block tokens, before inline parsing:
    if dialect == "deckwright":
        md.use(note_line_plugin)
    if divs:
        md.use(pause_plugin)
        md.use(heading_attrs_plugin)
        # On inline tokens, right after inline parsing:
        md.use(image_attrs_plugin)
    # On the finished token stream:
    md.use(hr_source_plugin)
    md.use(comment_plugin, keys=MARP_DIRECTIVE_KEYS if dialect == "marp" else DIRECTIVE_KEYS)
    # The dialect's own rewrites of the finished stream (their marks are read by the reader).
    if dialect == "marp":
        md.use(marp.image_keywords_plugin)
        md.use(marp.fragmented_lists_plugin)
        md.use(marp.fit_plugin)
    elif dialect == "reveal":
        md.use(reveal.vertical_breaks_plugin)
    elif dialect == "pandoc":
        md.use(pandoc.quoted_lists_plugin)
    return md


def dollar_math(md: MarkdownIt) -> None:
    """`$…$` and `$$…$$` math by pandoc's rule: no space inside the dollars, no digit after the
    closing one, so `$5 and $HOME` stay text. (Every dialect, and data-table text.)"""
    # No labels: `$$x$$ (1)` is the formula and the text "(1)", as pandoc reads it (a label was dropped).
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True, allow_labels=False)
    md.inline.ruler.at("math_inline", _no_code_inside(math_inline_dollar(
        allow_space=False, allow_digits=False, allow_double=True)))


def _any_link(url: str) -> bool:
    return True


def _no_code_inside(rule: InlineRule) -> InlineRule:
    """dollarmath's inline rule, except that a formula holds no backtick: in `pay $x and `$y``
    the code span wins (pandoc would read `$x and `$` as math; TeX has no use for a backtick)."""
    def guarded(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if not rule(state, True):
            return False
        end, state.pos = state.pos, start
        return "`" not in state.src[start:end] and rule(state, silent)
    return guarded


def parse(text: str, dialect: str = "deckwright") -> list[Token]:
    """Tokens of a Markdown text; every block token's `map` holds its 0-based source lines."""
    return make_parser(dialect).parse(text)


def parse_inline(text: str, dialect: str = "deckwright") -> list[Token]:
    """The inline tokens of one line of Markdown (a Marp header or footer)."""
    tokens = make_parser(dialect).parseInline(text)
    return list(tokens[0].children or []) if tokens else []


def _shift(tokens: list[Token], lines: int) -> list[Token]:
    for token in tokens:
        if token.map is not None:
            token.map = [token.map[0] + lines, token.map[1] + lines]
    return tokens


def parse_chunks(chunks: Sequence[Chunk], dialect: str = "reveal") -> list[Token]:
    """Tokens of a file split into slides beforehand (reveal.js separators), with source lines.

    Between chunks stands a `slide_break` token (meta["vertical"]: a reveal.js vertical slide);
    a chunk's notes follow a `notes_marker` token.
    """
    tokens: list[Token] = []
    for index, chunk in enumerate(chunks):
        if index:
            brk = Token("slide_break", "", 0, map=[chunk.line, chunk.line + 1], block=True)
            brk.meta = {"vertical": chunk.vertical}
            tokens.append(brk)
        # A leading newline keeps a later chunk that starts with `---` from reading as front matter.
        lead = "" if index == 0 else "\n"
        tokens += _shift(parse(lead + chunk.text, dialect), chunk.line - len(lead))
        if chunk.notes is not None:
            tokens.append(Token("notes_marker", "", 0, map=[chunk.notes_line, chunk.notes_line + 1],
                                markup="Note:", block=True))
            tokens += _shift(parse("\n" + chunk.notes, dialect), chunk.notes_line - 1)
    return [t for i, t in enumerate(tokens) if t.type != "front_matter" or i == 0]
