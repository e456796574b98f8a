"""`\\(…\\)` inline and `\\[…\\]` display math as reveal.js's math plugin reads them (reveal only)."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

# The tokens are those of mdit-py-plugins' dollarmath, so the reader has one path for math.
# (mdit-py-plugins' texmath_plugin leaves `map` unset on its blocks and reads no `\[…\]` in a line.)
_CLOSE = {"(": "\\)", "[": "\\]"}


def _inline_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "\\" or pos + 1 >= state.posMax or src[pos + 1] not in _CLOSE:
        return False
    opener = src[pos + 1]
    end = src.find(_CLOSE[opener], pos + 2, state.posMax)
    if end < 0 or not src[pos + 2:end].strip():
        return False  # no closing delimiter: `\(` stays an escaped parenthesis
    if not silent:
        token = state.push("math_inline" if opener == "(" else "math_inline_double", "math", 0)
        token.content = src[pos + 2:end]
        token.markup = "\\" + opener
    state.pos = end + 2
    return True


def _block_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    begin = state.bMarks[start] + state.tShift[start]
    if state.sCount[start] - state.blkIndent >= 4 or not state.src.startswith("\\[", begin):
        return False
    line, offset = start, begin + 2
    while line < end:
        line_end = state.eMarks[line]
        close = state.src.find("\\]", offset, line_end)
        if close >= 0:
            if state.src[close + 2:line_end].strip():
                return False  # text after `\]`: inline math in a paragraph
            break
        line += 1
        if line < end:
            offset = state.bMarks[line] + state.tShift[line]
            if state.sCount[line] < state.blkIndent:
                return False
    else:
        return False
    if silent:
        return True
    token = state.push("math_block", "math", 0)
    token.block = True
    token.content = state.src[begin + 2:close]
    token.markup = "\\["
    token.map = [start, line + 1]
    state.line = line + 1
    return True


def bracket_math_plugin(md: MarkdownIt) -> None:
    """`\\(…\\)` → math_inline, `\\[…\\]` in a line → math_inline_double, as a block → math_block."""
    md.inline.ruler.before("escape", "math_brackets", _inline_rule)
    md.block.ruler.before("fence", "math_brackets_block", _block_rule,
                          {"alt": ["paragraph", "reference", "blockquote", "list", "footnote_def"]})
