"""Nesting past what is drawn or parsed: deep lists warned, deep emphasis flattened, a cut-off an error."""

from __future__ import annotations

from markdown_it.token import Token

from deckwright.diagnostics import Diagnostic, SourceRef, error, warning

# markdown-it's guard against recursion: at this token depth it stops reading the file (silently).
# 100, as in markdown-it's default preset: each level costs a few Python frames, so 1,000 nested
# quotes would otherwise exhaust the interpreter's stack.
MAX_TOKEN_NESTING = 100
# PowerPoint paragraphs have nine list levels (lvl 0–8); deeper items are drawn at the ninth.
SHOWN_LEVELS = 9
# Emphasis is paired after markdown-it's guard, so `*` × 1,000 nests 500 levels deep and the
# syntax tree recursion overflows. Past this depth the markup is dropped and its text kept.
MAX_INLINE_NESTING = 20

_CONTAINERS = {"bullet_list_open", "ordered_list_open", "blockquote_open"}
_CLOSERS = {"bullet_list_close", "ordered_list_close", "blockquote_close"}


def limit_nesting(tokens: list[Token], path: str) -> list[Diagnostic]:
    """Report nesting past SHOWN_LEVELS or where markdown-it stopped; flatten inline markup past its limit.

    Changes the inline tokens' children in place, as a markdown-it core rule would.
    """
    diags: list[Diagnostic] = []
    depth = 0
    warned = False
    line = 0
    for token in tokens:
        if token.map is not None:
            line = token.map[0]
        if token.children and _flatten(token):
            diags.append(warning(SourceRef(path, line + 1),
                                 f"emphasis or links are nested more than {MAX_INLINE_NESTING} levels deep "
                                 "here: the deeper markup is dropped and its text kept"))
        if token.type in _CLOSERS:
            depth -= 1
            continue
        if token.type in _CONTAINERS:
            depth += 1
            if depth > SHOWN_LEVELS and not warned:
                warned = True
                diags.append(warning(SourceRef(path, line + 1),
                                     f"lists and quotes are nested more than {SHOWN_LEVELS} levels deep "
                                     f"here: PowerPoint shows {SHOWN_LEVELS}, so deeper ones are drawn at "
                                     f"the {SHOWN_LEVELS}th"))
        if token.level >= MAX_TOKEN_NESTING - 1:
            diags.append(error(SourceRef(path, line + 1),
                               f"lists and quotes are nested {depth} levels deep here, past what the "
                               "Markdown parser reads: the rest of the file is not read"))
            break
    return diags


def _flatten(inline: Token) -> bool:
    """Drop the opening and closing tokens nested past MAX_INLINE_NESTING; True if any were."""
    children = inline.children or []
    kept: list[Token] = []
    depth = 0
    for child in children:
        if child.nesting == 1:
            depth += 1
        if child.nesting == 0 or depth <= MAX_INLINE_NESTING:
            kept.append(child)
        if child.nesting == -1:
            depth -= 1
    if len(kept) == len(children):
        return False
    inline.children = kept
    return True
