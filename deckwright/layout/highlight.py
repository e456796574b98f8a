"""Syntax highlighting with Pygments as styled runs, shared by every writer (same colours)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.lexers.special import TextLexer
from pygments.style import StyleMeta
from pygments.styles import get_style_by_name
from pygments.token import Token, _TokenType
from pygments.util import ClassNotFound

# Names authors use in fences that Pygments knows under another name.
_ALIASES = {"dockerfile": "docker", "compose": "yaml", "shell": "bash", "sh": "bash",
            "console": "console", "yml": "yaml", "text": "text", "plaintext": "text"}


@dataclass(frozen=True, slots=True)
class RunStyle:
    color: str | None = None  # "#rrggbb"
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    style: RunStyle


@lru_cache(maxsize=64)
def lexer_for(language: str | None) -> Lexer:
    if not language:
        return TextLexer()
    name = _ALIASES.get(language.lower(), language.lower())
    try:
        return get_lexer_by_name(name, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return TextLexer()


def is_known_language(language: str) -> bool:
    return not isinstance(lexer_for(language), TextLexer) or language.lower() in ("text", "plaintext")


@lru_cache(maxsize=16)
def _style(name: str) -> StyleMeta:
    try:
        return get_style_by_name(name)
    except ClassNotFound:
        return get_style_by_name("default")


@lru_cache(maxsize=4096)
def _run_style(style_name: str, ttype: _TokenType) -> RunStyle:
    # Lexers emit token types the style does not list (YAML's Literal.Scalar.Plain): use the
    # nearest listed parent, as Pygments' own formatters do (Token itself is always listed).
    while True:
        try:
            s = _style(style_name).style_for_token(ttype)
            break
        except KeyError:
            ttype = ttype.parent
    return RunStyle(color=f"#{s['color']}" if s["color"] else None,
                    bold=bool(s["bold"]), italic=bool(s["italic"]))


def background(style_name: str) -> str:
    """The style's own background colour (themes usually override it)."""
    return str(_style(style_name).background_color or "#ffffff")


@lru_cache(maxsize=1024)
def highlight_lines(code: str, language: str | None, style_name: str) -> tuple[tuple[Run, ...], ...]:
    """Code as lines of styled runs; adjacent runs with the same style are merged."""
    lines: list[list[Run]] = [[]]
    for ttype, value in lexer_for(language).get_tokens(code):
        style = _run_style(style_name, ttype if ttype is not Token.Text else Token.Text)
        parts = value.split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append([])
            if not part:
                continue
            line = lines[-1]
            if line and line[-1].style == style:
                line[-1] = Run(line[-1].text + part, style)
            else:
                line.append(Run(part, style))
    # A trailing newline in the source does not make an extra empty line.
    if len(lines) > 1 and not lines[-1] and code.endswith("\n"):
        lines.pop()
    return tuple(tuple(line) for line in lines)
