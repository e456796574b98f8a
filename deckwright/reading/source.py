"""The source text made ready to parse: no characters slides cannot hold, its front matter and code found."""

from __future__ import annotations

import re
from typing import Any

import yaml

from deckwright.diagnostics import Diagnostic, SourceRef, warning

# --------------------------------------------------------------------------- text clean-up

# What XML 1.0 forbids (C0 controls but tab and line ends, U+FFFE/U+FFFF, lone surrogates) and the
# C1 controls it discourages: none of them can be written to PPTX, and none is ever meant in a slide.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_MAX_CHAR_WARNINGS = 20


def clean_text(text: str, path: str) -> tuple[str, list[Diagnostic]]:
    """Text as the parser wants it: no BOM, "\\n" line ends, no characters XML cannot hold.

    Each line that lost characters is reported (the first 20, then a count), so the author can
    find invisible junk pasted from a terminal or a PDF.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not _FORBIDDEN.search(text):
        return text, []
    diags: list[Diagnostic] = []
    lines = text.split("\n")
    bad = 0
    for number, line in enumerate(lines, start=1):
        found = _FORBIDDEN.findall(line)
        if not found:
            continue
        bad += 1
        if bad <= _MAX_CHAR_WARNINGS:
            codes = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in found))
            diags.append(warning(SourceRef(path, number), f"removed {len(found)} control character(s) "
                                                          f"({codes}) that slides cannot hold"))
        lines[number - 1] = _FORBIDDEN.sub("", line)
    if bad > _MAX_CHAR_WARNINGS:
        more = bad - _MAX_CHAR_WARNINGS
        diags.append(warning(SourceRef(path, 1), f"control characters were removed from {more} more lines"))
    return "\n".join(lines), diags


def strip_forbidden(text: str) -> str:
    """`text` without characters XML cannot hold (for values that do not come from a source file)."""
    return _FORBIDDEN.sub("", text)


# --------------------------------------------------------------------------- front matter (text level)

_FM_CLOSE = re.compile(r"^(---|\.\.\.)[ \t]*$")


def front_matter_span(text: str) -> tuple[int, int] | None:
    """(index of the closing line, character offset just after it) of a leading `---` YAML block."""
    if not re.match(r"---[ \t]*(\n|$)", text):
        return None
    offset = text.find("\n") + 1 if "\n" in text else len(text)
    for index, line in enumerate(text[offset:].split("\n"), start=1):
        if _FM_CLOSE.match(line):
            end = offset + len(line)
            return index, min(end + 1, len(text))
        offset += len(line) + 1
    return None


def normalize_front_matter(text: str) -> str:
    """A YAML block closed with `...` (YAML's document end, common in pandoc) closed with `---`."""
    span = front_matter_span(text)
    if span is None:
        return text
    lines = text.split("\n")
    if lines[span[0]].startswith("..."):
        lines[span[0]] = "---" + lines[span[0]][3:]
    return "\n".join(lines)


def quick_front_matter(text: str) -> dict[str, Any]:
    """The front matter's top-level keys for detection only (broken YAML → {}; reported elsewhere)."""
    span = front_matter_span(text)
    if span is None:
        return {}
    body = "\n".join(text.split("\n")[1: span[0]])
    try:
        data = yaml.safe_load(body)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}



# --------------------------------------------------------------------------- fenced code (text level)

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def code_lines(lines: list[str]) -> list[bool]:
    """For each line: is it inside (or a fence of) a fenced code block?"""
    return _fences(lines)[0]


def unclosed_fence(lines: list[str]) -> int | None:
    """The 0-based line of a code fence that is never closed (it runs to the end of the file)."""
    return _fences(lines)[1]


def _fences(lines: list[str]) -> tuple[list[bool], int | None]:
    inside: list[bool] = []
    fence, opened = "", None
    for number, line in enumerate(lines):
        if fence:
            inside.append(True)
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence, opened = "", None
            continue
        m = _FENCE.match(line)
        if m:
            fence, opened = m.group(1), number
        inside.append(bool(m))
    return inside, opened

