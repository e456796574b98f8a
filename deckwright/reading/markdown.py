"""markdown-it-py parsers per dialect, with our plugins: fenced divs, attributes, pauses, notes, comments."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from deckwright.reading.dialects.marp import MARP_GLOBAL, MARP_LOCAL
from deckwright.reading.dialects.reveal import Chunk

# --------------------------------------------------------------------------- attributes
#
# Pandoc-style `{#id .class key=value key="quoted value"}`. Written here rather than taken from
# mdit_py_plugins.attrs because that (djot) syntax treats `%` as a comment, so pandoc's ubiquitous
# `{width=40%}` would not parse.

_ATTR_ITEM = re.compile(
    r"""\s*(?:\#(?P<id>[\w:-]+)|\.(?P<cls>[\w:-]+)|(?P<key>[\w:-]+)\s*=\s*"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'{}]+)))"""
)
_TRAILING_ATTRS = re.compile(r"\s*\{(?P<body>[^{}]*)\}\s*$")


def parse_attrs(text: str) -> dict[str, str] | None:
    """Parse the inside of `{…}` (or a bare `key=value …` list); None if it is not attribute syntax.

    Classes are joined into "class"; the id is "id".
    """
    attrs: dict[str, str] = {}
    classes: list[str] = []
    pos, text = 0, text.strip()
    while pos < len(text):
        m = _ATTR_ITEM.match(text, pos)
        if m is None or m.end() == pos:
            return None
        if m["id"]:
            attrs["id"] = m["id"]
        elif m["cls"]:
            classes.append(m["cls"])
        else:
            value = m["dq"] if m["dq"] is not None else m["sq"] if m["sq"] is not None else m["bare"]
            attrs[m["key"]] = value or ""
        pos = m.end()
    if classes:
        attrs["class"] = " ".join(classes)
    return attrs


# --------------------------------------------------------------------------- fenced divs
#
# `::: name` / `::: {.name key="v"}` … `:::` (pandoc fenced divs). Nesting is counted rather than
# matched by colon count, as pandoc does, so `:::: columns` may be closed by `:::` too. The tokens
# are `div_open` (meta: name, classes, attrs, unclosed) and `div_close`.

_DIV_OPEN = re.compile(r"^(?P<fence>:{3,})[ \t]*(?P<info>[^:\s].*?)[ \t]*:*[ \t]*$")
_DIV_CLOSE = re.compile(r"^:{3,}[ \t]*$")
_CODE_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})")
_SLIDE_BREAK = re.compile(r"^([-*_])(?:[ \t]*\1){2,}[ \t]*$")


def _line_text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line]: state.eMarks[line]]


def _is_code_block(state: StateBlock, line: int) -> bool:
    return state.sCount[line] - state.blkIndent >= 4


def div_info(info: str) -> tuple[str, tuple[str, ...], dict[str, str]]:
    """Name, classes and attributes of a div's info string (`columns`, `column width="40%"`, `{.notes}`)."""
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        attrs = parse_attrs(info[1:-1]) or {}
        classes = tuple(attrs.pop("class", "").split())
        return (classes[0] if classes else ""), classes, attrs
    name, _, rest = info.partition(" ")
    rest = rest.strip()
    if rest.startswith("{") and rest.endswith("}"):
        rest = rest[1:-1]
    attrs = parse_attrs(rest) or {}
    classes = (name, *attrs.pop("class", "").split())
    return name, classes, attrs


def _find_div_end(state: StateBlock, start_line: int, end_line: int) -> tuple[int | None, int]:
    """(line of the matching close fence or None, last line + 1 of the div's content).

    A div that is never closed ends before the next slide break (a thematic break after a blank
    line), so one forgotten `:::` does not swallow the rest of the file; the reader reports it.
    """
    depth, fence, slide_break = 1, "", None
    for line in range(start_line + 1, end_line):
        text = _line_text(state, line)
        if text and state.sCount[line] < state.blkIndent:
            return None, line  # the enclosing list item or quote ends first
        if _is_code_block(state, line):
            continue
        if fence:
            if text.startswith(fence) and not text[len(fence):].strip(fence[0] + " \t"):
                fence = ""
            continue
        m = _CODE_FENCE.match(text)
        if m:
            fence = m["fence"]
        elif _DIV_CLOSE.match(text):
            depth -= 1
            if depth == 0:
                return line, line
        elif _DIV_OPEN.match(text):
            depth += 1
        elif slide_break is None and _SLIDE_BREAK.match(text) and state.isEmpty(line - 1):
            slide_break = line
    return None, slide_break if slide_break is not None else end_line


def _div_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if _is_code_block(state, start_line):
        return False
    m = _DIV_OPEN.match(_line_text(state, start_line))
    if m is None:
        return False
    if silent:
        return True
    close, inner_end = _find_div_end(state, start_line, end_line)
    name, classes, attrs = div_info(m["info"])

    old_parent, old_line_max = state.parentType, state.lineMax
    state.parentType = "container"
    state.lineMax = inner_end  # lazy paragraph continuations must not run past the close fence
    token = state.push("div_open", "div", 1)
    token.markup, token.info, token.block = m["fence"], m["info"], True
    token.map = [start_line, inner_end + 1 if close is not None else inner_end]
    token.meta = {"name": name, "classes": classes, "attrs": attrs, "unclosed": close is None}
    state.md.block.tokenize(state, start_line + 1, inner_end)
    token = state.push("div_close", "div", -1)
    token.markup, token.block = m["fence"], True
    state.parentType, state.lineMax = old_parent, old_line_max
    state.line = close + 1 if close is not None else inner_end
    return True


def fenced_div_plugin(md: MarkdownIt) -> None:
    """Pandoc fenced divs: notes, columns/column, incremental, fragment, any class."""
    md.block.ruler.before("fence", "fenced_div", _div_rule,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})


# --------------------------------------------------------------------------- heading attributes


def _heading_attrs_rule(state: StateCore) -> None:
    tokens = state.tokens
    for i, token in enumerate(tokens[:-1]):
        if token.type != "heading_open" or tokens[i + 1].type != "inline":
            continue
        inline = tokens[i + 1]
        m = _TRAILING_ATTRS.search(inline.content)
        attrs = parse_attrs(m["body"]) if m else None
        if m is None or attrs is None:
            continue
        inline.content = inline.content[: m.start()].rstrip()
        for key, value in attrs.items():
            token.attrSet(key, value)


def heading_attrs_plugin(md: MarkdownIt) -> None:
    """`## Title {.smaller background-image="bg.png"}`: the braces become the heading's attributes."""
    md.core.ruler.after("block", "heading_attrs", _heading_attrs_rule)


# --------------------------------------------------------------------------- image attributes

_LEADING_ATTRS = re.compile(r"^\{(?P<body>[^{}]*)\}")


def _image_attrs_rule(state: StateCore) -> None:
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children = token.children
        for i, child in enumerate(children[:-1]):
            nxt = children[i + 1]
            if child.type != "image" or nxt.type != "text":
                continue
            m = _LEADING_ATTRS.match(nxt.content)
            attrs = parse_attrs(m["body"]) if m else None
            if m is None or attrs is None:
                continue
            nxt.content = nxt.content[m.end():]
            for key, value in attrs.items():
                child.attrSet(key, value)
        token.children = [c for c in children if not (c.type == "text" and c.content == "")]


def image_attrs_plugin(md: MarkdownIt) -> None:
    """`![alt](a.png){width=40%}`: the braces right after an image become its attributes."""
    md.core.ruler.after("inline", "image_attrs", _image_attrs_rule)


# --------------------------------------------------------------------------- pauses and `Note:`

_PAUSE = re.compile(r"^\.[ \t]+\.[ \t]+\.$")
_NOTE_LINE = re.compile(r"^notes?:[ \t]*", re.IGNORECASE)


def _paragraphs(tokens: list[Token]) -> list[int]:
    """Indexes of top-level paragraph_open tokens followed by their inline token."""
    return [i for i, t in enumerate(tokens[:-2])
            if t.type == "paragraph_open" and t.level == 0 and tokens[i + 1].type == "inline"]


def _pause_rule(state: StateCore) -> None:
    tokens = state.tokens
    for i in reversed(_paragraphs(tokens)):
        if _PAUSE.match(tokens[i + 1].content.strip()):
            pause = Token("pause", "", 0, map=tokens[i].map, markup=". . .", block=True)
            tokens[i: i + 3] = [pause]


def pause_plugin(md: MarkdownIt) -> None:
    """A paragraph `. . .` becomes a `pause` token: what follows appears at the next click."""
    md.core.ruler.after("block", "pause", _pause_rule)


def _note_line_rule(state: StateCore) -> None:
    tokens = state.tokens
    for i in reversed(_paragraphs(tokens)):
        inline = tokens[i + 1]
        m = _NOTE_LINE.match(inline.content)
        if m is None:
            continue
        marker = Token("notes_marker", "", 0, map=tokens[i].map, markup=m.group(0).strip(), block=True)
        inline.content = inline.content[m.end():].lstrip()
        tokens[i: i + 3] = [marker] if not inline.content else [marker, *tokens[i: i + 3]]


def note_line_plugin(md: MarkdownIt) -> None:
    """A paragraph starting `Note:` (reveal.js) becomes a `notes_marker`: the rest of the slide is notes."""
    md.core.ruler.after("block", "note_line", _note_line_rule)


# --------------------------------------------------------------------------- comments and directives
#
# `<!-- layout: image-right -->`, `<!-- class: smaller -->`, `<!-- .element: class="fragment" -->`,
# `<!-- .slide: data-background="x.png" -->` and Marp's `_class` / `backgroundColor` are directives;
# any other comment is a plain comment (speaker notes with `notes_comments: true`).

DIRECTIVE_KEYS = frozenset({
    "layout", "class", "_class", "_layout", "backgroundColor", "_backgroundColor",
    "backgroundImage", "_backgroundImage", ".slide", ".element",
})
# Marp's directives: global ones, and local ones with their one-slide `_` forms (Marpit's names).
MARP_DIRECTIVE_KEYS = frozenset({
    *MARP_GLOBAL, *MARP_LOCAL, *(f"_{k}" for k in MARP_LOCAL),
})
_COMMENT = re.compile(r"<!--(?P<body>.*?)-->", re.DOTALL)
_DIRECTIVE = re.compile(r"^\s*(?P<key>[._]?[A-Za-z][\w-]*)\s*:\s*(?P<value>.*?)\s*$", re.DOTALL)
_DIRECTIVE_LINE = re.compile(r"^\s*(?P<key>_?[A-Za-z][\w-]*)\s*:\s*(?P<value>.*?)\s*$")


def parse_comments(html: str, keys: frozenset[str] = DIRECTIVE_KEYS) -> list[tuple[str, str]] | None:
    """The comments in an HTML fragment as (directive key or "", value or comment text).

    A comment of several `key: value` lines that are all directives gives one pair per line
    (Marp writes `<!--\npaginate: true\nfooter: x\n-->`). None when the fragment holds anything
    besides comments and whitespace.
    """
    found: list[tuple[str, str]] = []
    if _COMMENT.sub("", html).strip():
        return None
    for m in _COMMENT.finditer(html):
        body = m["body"]
        lines = [line for line in body.split("\n") if line.strip()]
        several = [_DIRECTIVE_LINE.match(line) for line in lines]
        d = _DIRECTIVE.match(body)
        if len(lines) > 1 and all(x and x["key"] in keys for x in several):
            found.extend((x["key"], x["value"]) for x in several if x)
        elif d and d["key"] in keys:
            found.append((d["key"], d["value"]))
        else:
            found.append(("", body.strip()))
    return found


def _comment_rule(keys: frozenset[str]) -> Callable[[StateCore], None]:
    def rule(state: StateCore) -> None:
        for token in state.tokens:
            candidates = [token] if token.type == "html_block" else [
                c for c in token.children or [] if c.type == "html_inline"]
            for tok in candidates:
                comments = parse_comments(tok.content, keys)
                if comments is not None:
                    tok.meta = {**tok.meta, "comments": comments}

    return rule


def comment_plugin(md: MarkdownIt, keys: frozenset[str] = DIRECTIVE_KEYS) -> None:
    """Mark HTML tokens that hold only comments with meta["comments"]: [(directive key or "", text)]."""
    md.core.ruler.push("comments", _comment_rule(keys))


# --------------------------------------------------------------------------- thematic breaks


def _hr_source_rule(state: StateCore) -> None:
    lines: list[str] | None = None
    for token in state.tokens:
        if token.type == "hr" and token.map:
            lines = lines if lines is not None else state.src.split("\n")
            if token.map[0] < len(lines):
                token.meta = {**token.meta, "source": lines[token.map[0]].strip()}


def hr_source_plugin(md: MarkdownIt) -> None:
    """A thematic break remembers its source line: reveal.js tells `----` (vertical) from `---`."""
    md.core.ruler.push("hr_source", _hr_source_rule)


# --------------------------------------------------------------------------- the parser


@lru_cache(maxsize=8)
def make_parser(dialect: str = "deckwright") -> MarkdownIt:
    """The parser for a dialect (CommonMark + GFM tables and strikethrough + that dialect's plugins).

    deckwright and pandoc share fenced divs, `{…}` attributes and `. . .`; Marp has none of those
    but has `$math$`, Marp directives and line breaks; reveal.js has neither (its notes and
    separators are split off before parsing). Cached: parsing does not change a MarkdownIt.
    """
    options: dict[str, bool] = {"html": True, "breaks": dialect == "marp"}
    md = MarkdownIt("commonmark", options).enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    md.use(hr_source_plugin)
    if dialect in ("deckwright", "pandoc"):
        for plugin in (fenced_div_plugin, heading_attrs_plugin, image_attrs_plugin, pause_plugin):
            md.use(plugin)
    if dialect == "deckwright":
        md.use(note_line_plugin)
    if dialect in ("marp", "pandoc"):
        # pandoc's rule for `$`: no space inside the dollars, no digit after the closing one ($5).
        md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.use(comment_plugin, keys=MARP_DIRECTIVE_KEYS if dialect == "marp" else DIRECTIVE_KEYS)
    return md


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
