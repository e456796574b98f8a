"""Fenced divs `::: name` / `::: {.name key="v"}` … `:::` (pandoc): notes, columns, incremental, any class."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from deckwright.reading.markdown.attrs import parse_attrs

# Nesting is counted rather than matched by colon count, as pandoc does, so `:::: columns` may be
# closed by `:::` too. The tokens are `div_open` (meta: name, classes, attrs, unclosed) and `div_close`.
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
        if fence or _CODE_FENCE.match(text):
            fence = _open_fence(text, fence)  # `:::` inside fenced code is code
        elif _DIV_CLOSE.match(text):
            depth -= 1
            if depth == 0:
                return line, line
        elif _DIV_OPEN.match(text):
            depth += 1
        elif slide_break is None and _SLIDE_BREAK.match(text) and state.isEmpty(line - 1):
            slide_break = line
    return None, slide_break if slide_break is not None else end_line


def _open_fence(text: str, fence: str) -> str:
    """The code fence open after this line: `fence` until the line that closes it, or one it opens."""
    if fence:
        closes = text.startswith(fence) and not text[len(fence):].strip(fence[0] + " \t")
        return "" if closes else fence
    m = _CODE_FENCE.match(text)
    return m["fence"] if m else ""


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

