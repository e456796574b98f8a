"""Formulas as read: each checked once; a bad one is reported at its line and kept as code."""

from __future__ import annotations

from deckwright.diagnostics import SourceRef
from deckwright.model.deck import Block, CodeBlock, MathBlock
from deckwright.reading.context import offset
from deckwright.reading.report import Report
from deckwright.support.diskcache import NO_CACHE, DiskCache
from deckwright.support.texmath import describe, tex_problems


def formula_ok(tex: str, ref: SourceRef, display: bool, report: Report, cache: DiskCache = NO_CACHE) -> bool:
    """Whether `tex` (as written, `ref`: the line it starts on) is good TeX; if not, one warning
    per distinct problem, at the line of the problem."""
    problems = tex_problems(tex, cache)
    for problem in problems:
        message = describe(tex, problem, display)
        report.warn_once(f"tex:{message}", offset(ref, tex.count("\n", 0, problem.offset)), message)
    return not problems


def math_block(tex: str, ref: SourceRef, step: int, report: Report, cache: DiskCache = NO_CACHE) -> Block:
    """Display math: a MathBlock, or its source as a code block when the TeX is bad."""
    if formula_ok(tex, ref, True, report, cache):
        return MathBlock(ref, tex.strip(), step)
    return CodeBlock(ref, tex.strip("\n"), "math", step)
