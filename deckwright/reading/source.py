"""The source text made ready to parse: no characters slides cannot hold, its front matter and code found."""

from __future__ import annotations

import re
from typing import Any

from deckwright.diagnostics import Diagnostic, SourceRef, has_errors, warning
from deckwright.support.chars import FORBIDDEN as _FORBIDDEN
from deckwright.support.yamlsafe import load_yaml

# --------------------------------------------------------------------------- text clean-up

_MAX_CHAR_WARNINGS = 20


def clean_text(text: str, path: str) -> tuple[str, list[Diagnostic]]:
    """Text as the parser wants it: no BOM, "\\n" line ends, no characters XML cannot hold.

    Each line that lost characters is reported (the first 20, then a count), so the author can
    find invisible junk pasted from a terminal or a PDF.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\u2028" in text or "\u2029" in text:
        # Line and paragraph separators (pasted from a word processor) are spaces, as a line end
        # inside a paragraph is drawn; as themselves the text layout (raqm) fails on U+2029, and
        # YAML reads them as spaces too. Not new lines: the line numbers stay those an editor shows.
        text = text.replace("\u2028", " ").replace("\u2029", " ")
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
# Invisible characters pasted with text (from a chat, a web page or a word processor). The BOM counts too
# away from the start of the file (at the start clean_text removes it, as Marp CLI does).
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def front_matter_span(text: str) -> tuple[int, int] | None:
    """(index of the closing line, character offset just after it) of a leading `---` YAML block.

    Zero-width characters may follow the opening dashes: the parser's front-matter rule (like Marp's)
    looks only at the dashes there, and this must find the block the parser finds.
    """
    if not re.match(rf"---[ \t{ZERO_WIDTH}]*(\n|$)", text):
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
    # The same loader as the front matter's own reading (too deep, impossible dates: no traceback).
    data, diags = load_yaml(body, "")
    return data if isinstance(data, dict) and not has_errors(diags) else {}



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



# --------------------------------------------------------------------------- zero-width `---` lines


def dashes_but_for_zero_width(line: str) -> tuple[bool, bool] | None:
    """(zero-width before the dashes, after them) for a `---` line that also holds zero-width characters."""
    bare = line.strip(" \t" + ZERO_WIDTH)
    if not any(c in line for c in ZERO_WIDTH) or not re.fullmatch(r"-{3,}", bare):
        return None
    lead = line[: line.index("-")]
    if len(lead.strip(ZERO_WIDTH)) > 3:
        return None  # indented code, not a fence or a break
    return any(c in lead for c in ZERO_WIDTH), any(c in line[line.index(bare) :] for c in ZERO_WIDTH)


def without_zero_width_fences(text: str) -> str:
    """`text` with zero-width characters taken off its `---` lines: what the author meant them to be."""
    if not _has_zero_width(text):
        return text
    return "\n".join(line.strip(ZERO_WIDTH + " \t") if dashes_but_for_zero_width(line) else line
                     for line in text.split("\n"))


def zero_width_fences(text: str, path: str) -> list[Diagnostic]:
    """A warning at each `---` line that a zero-width character keeps from being a fence or a slide break.

    Marp (markdown-it-front-matter) opens front matter only when the file's first character is `-`, and
    closes it, like any thematic break in markdown-it, only on dashes and spaces: with a U+200B before
    the dashes the YAML is slide text. deckwright reads the file the same way and says why.
    """
    if not _has_zero_width(text):
        return []
    lines = text.split("\n")
    code = code_lines(lines)
    span = front_matter_span(text)
    found = [(i, sides) for i, line in enumerate(lines) if not code[i]
             and (sides := dashes_but_for_zero_width(line)) is not None]
    diags: list[Diagnostic] = []
    hidden_close: int | None = None  # the closing fence of a front matter whose opening fence is hidden
    for i, (before, _) in found:
        if i == hidden_close:
            continue
        where = "precedes" if before else "follows"
        names = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in lines[i] if c in ZERO_WIDTH))
        said = f"a zero-width character ({names}) {where} this `---`"
        if i == 0 and not before:
            continue  # `---` then anything still opens front matter, in Marp and here
        if i == 0:
            hidden_close = next((j for j in range(1, len(lines)) if re.fullmatch(
                r"-{3,}", lines[j].strip(" \t" + ZERO_WIDTH))), None)
            also = (f" (and the one on line {hidden_close + 1})"
                    if hidden_close is not None and dashes_but_for_zero_width(lines[hidden_close]) else "")
            message = (f"{said}: it does not open front matter, so the lines below it are slide text "
                       f"(Marp reads them so too); delete the character{also}")
        elif (span is not None and i < span[0]) or (span is None and _opens_front_matter(lines)):
            runs_on = f", which runs on to line {span[0] + 1}" if span is not None else ""
            message = f"{said}: it does not close the front matter{runs_on}; delete the character"
        else:
            message = f"{said}: it is text, not a slide break; delete the character"
        diags.append(warning(SourceRef(path, i + 1), message))
    return diags


def _opens_front_matter(lines: list[str]) -> bool:
    return bool(lines) and re.fullmatch(rf"---[ \t{ZERO_WIDTH}]*", lines[0]) is not None


def _has_zero_width(text: str) -> bool:
    return any(c in text for c in ZERO_WIDTH)
