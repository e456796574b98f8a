"""Runs broken into positioned lines, by the same tokens and greedy rule fit counts lines with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from deckwright.layout.fit import WRAP_SLACK, TextRun, ThemeKey, font_file
from deckwright.layout.text import text_width
from deckwright.model.theme import Theme

# Superscripts (footnote markers) are drawn at this fraction of the size, as fit measures them.
SUPERSCRIPT = 0.6


@dataclass(frozen=True, slots=True)
class Piece:
    """Text of one run on one line, `x` px from the line's start (spaces inside it are drawn).

    `lead` is the spaces before it that belong to no piece (between runs, or indentation): they
    take `lead_width` px left of `x`, measured in their own runs' fonts, and are drawn there so
    copied text keeps them.
    """

    run: TextRun
    text: str
    x: float
    width: float
    lead: str = ""
    lead_width: float = 0.0


@dataclass(frozen=True, slots=True)
class Line:
    pieces: tuple[Piece, ...]
    width: float


# A word's parts, one per run it spans: (run, text, width).
_Part = tuple[TextRun, str, float]


def run_size(run: TextRun, size: float) -> float:
    return size * (SUPERSCRIPT if run.superscript else 1.0)


def _items(runs: Sequence[TextRun], theme: Theme, size: float) -> list[tuple[str, list[_Part]]]:
    """("w", parts) words, (" ", [part]) spaces and ("\\n", []) breaks, as fit's tokens."""
    out: list[tuple[str, list[_Part]]] = []
    for run in runs:
        font = font_file(theme, run)
        rsize = run_size(run, size)
        for i, piece in enumerate(run.text.split("\n")):
            if i:
                out.append(("\n", []))
            # A link is one word: fit measures it so (LibreOffice never breaks it at a space).
            for j, word in enumerate([piece] if run.href else piece.split(" ")):
                if j:
                    out.append((" ", [(run, " ", text_width(" ", font, rsize))]))
                if not word:
                    continue
                part = (run, word, text_width(word, font, rsize))
                if out and out[-1][0] == "w":
                    out[-1][1].append(part)
                else:
                    out.append(("w", [part]))
    return out


class _Builder:
    """Collects pieces into lines, joining neighbours of the same run into one piece."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.pieces: list[Piece] = []
        self.x = 0.0

    def add(self, run: TextRun, text: str, width: float, gap: float, space: str) -> None:
        last = self.pieces[-1] if self.pieces else None
        if last is not None and last.run is run:
            self.pieces[-1] = Piece(run, last.text + space + text, last.x, last.width + gap + width,
                                    last.lead, last.lead_width)
        else:
            self.pieces.append(Piece(run, text, self.x + gap, width, space, gap))
        self.x += gap + width

    def end(self) -> None:
        self.lines.append(Line(tuple(self.pieces), self.x))
        self.pieces, self.x = [], 0.0


def break_lines(runs: Sequence[TextRun], theme: Theme, size: float, width: float) -> tuple[Line, ...]:
    """The runs as lines no wider than `width` px (with fit's slack); as many as count_lines says
    except where a word longer than a line is split (at characters here, by width there)."""
    return _break(tuple(runs), ThemeKey(theme), size, width)


@lru_cache(maxsize=1 << 14)
def _break(runs: tuple[TextRun, ...], key: ThemeKey, size: float, width: float) -> tuple[Line, ...]:
    theme = key.theme
    limit = max(width * WRAP_SLACK, 1.0)
    out = _Builder()
    spaces: list[_Part] = []
    # Spaces at the start of a hard line are indentation (code): they take room, as fit counts
    # them, and are drawn before the first word so copied code keeps them.
    indent: list[_Part] = []
    at_start = True
    for kind, parts in _items(runs, theme, size):
        if kind == "\n":
            out.end()
            spaces, indent, at_start = [], [], True
        elif kind == " ":
            if at_start:
                indent.extend(parts)
            elif out.x > 0:
                spaces.extend(parts)
        else:
            w = sum(p[2] for p in parts)
            if at_start and indent:
                if sum(p[2] for p in indent) + w <= limit:
                    _place_word(out, parts, indent)
                    spaces, indent, at_start = [], [], False
                    continue
                out.x = sum(p[2] for p in indent)
                out.end()  # the indentation alone fills a line: fit counts it so
            at_start, indent = False, []
            gap = sum(p[2] for p in spaces)
            if out.x > 0 and out.x + gap + w <= limit:
                _place_word(out, parts, spaces)
            else:
                if out.x > 0:
                    out.end()
                if w <= limit:
                    _place_word(out, parts, [])
                else:
                    _split_word(out, parts, theme, size, limit)
            spaces = []
    if at_start and indent:
        out.x = sum(p[2] for p in indent)  # a line of spaces only
    out.end()
    return tuple(out.lines)


def _place_word(out: _Builder, parts: list[_Part], spaces: list[_Part]) -> None:
    gap = sum(p[2] for p in spaces)
    space_text = "".join(p[1] for p in spaces)
    for k, (run, text, w) in enumerate(parts):
        if k == 0:
            out.add(run, text, w, gap, space_text)
        else:
            out.add(run, text, w, 0.0, "")


def _split_word(out: _Builder, parts: list[_Part], theme: Theme, size: float, limit: float) -> None:
    """A word wider than the line, broken between characters (browsers' overflow-wrap)."""
    for run, text, _ in parts:
        font = font_file(theme, run)
        rsize = run_size(run, size)
        chunk = ""
        for ch in text:
            if (chunk or out.x > 0) and out.x + text_width(chunk + ch, font, rsize) > limit:
                if chunk:
                    out.add(run, chunk, text_width(chunk, font, rsize), 0.0, "")
                out.end()
                chunk = ""
            chunk += ch
        if chunk:
            out.add(run, chunk, text_width(chunk, font, rsize), 0.0, "")
