"""Slide background colours as authors write them: a CSS colour is kept, anything else said and dropped."""

from __future__ import annotations

from deckwright.diagnostics import SourceRef
from deckwright.reading.report import Report
from deckwright.support.colors import parse_css_color


def background_color(value: str, ref: SourceRef, report: Report) -> str | None:
    """The colour as written when CSS reads it as one (the HTML keeps it), else None with a warning.

    `#zzz` reached PowerPoint as `srgbClr val="ZZZZZZ"` and `expression(…)` reached the HTML.
    """
    text = value.strip()
    if not text:
        return None
    parsed = parse_css_color(text)
    if parsed is None:
        report.warn(ref, f"background colour {text[:60]!r} is not a CSS colour (such as #1e3a5f, navy or "
                         "rgb(30, 58, 95)); ignored")
        return None
    if parsed[3] < 1.0:
        report.warn_once("bg-alpha", ref, f"background colour {text[:60]!r} is see-through: the HTML shows "
                                          "it so, PowerPoint and the PDF draw it solid")
    return text
