"""Diagnostics for one YAML file, with typed field checks that report a problem and carry on."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from deckwright.diagnostics import Diagnostic, SourceRef, error, warning
from deckwright.model.deck import Inline
from deckwright.reading.datatables.spans import merge, parse_inline
from deckwright.reading.sanitize import safe_url
from deckwright.support.yamlsafe import YamlMap, key_line

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


class Check:
    """Collects diagnostics for one YAML file so validators can report everything at once."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diags: list[Diagnostic] = []

    def at(self, line: int) -> SourceRef:
        return SourceRef(self.path, line)

    def error(self, line: int, message: str) -> None:
        self.diags.append(error(self.at(line), message))

    def warning(self, line: int, message: str) -> None:
        self.diags.append(warning(self.at(line), message))

    def keys(self, mapping: YamlMap, allowed: Sequence[str], where: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.error(key_line(mapping, key), f"unknown key '{key}' in {where}{suggest(key, allowed)}"
                           f" (allowed: {', '.join(allowed)})")

    def text(self, value: Any, line: int, what: str) -> str | None:
        """A text field: strings and integers are text; anything else is reported."""
        if isinstance(value, bool):
            # YAML 1.1 turns yes/no/on/off into booleans and the original spelling is lost.
            self.error(line, f"{what} is a boolean ({str(value).lower()}); quote it, e.g. \"yes\"")
            return None
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            # 1.10 would become 1.1: only the author knows the intended spelling.
            self.error(line, f"{what} is a number ({value}); quote it to keep its exact spelling")
            return None
        if not isinstance(value, str):
            self.error(line, f"{what} must be text, not {type_name(value)}")
            return None
        return value

    def inline(self, value: Any, line: int, what: str) -> Inline:
        text = self.text(value, line, what)
        if text is None:
            return ()
        content = self.formulas(parse_inline(text.strip()), line, what)
        kept = {span.href: self.link(span.href, line, what) for span in content if span.href is not None}
        if all(kept.values()):
            return content
        return merge(replace(s, href=kept.get(s.href)) if s.href else s for s in content)

    def formulas(self, content: Inline, line: int, what: str) -> Inline:
        """Bad TeX in a formula is a warning at the value's line; the formula is then shown as code."""
        if not any(s.math for s in content):
            return content
        from deckwright.support.texmath import describe, tex_problems

        out = []
        for span in content:
            problems = tex_problems(span.text) if span.math else []
            for problem in problems:
                self.warning(line, f"{what}: {describe(span.text, problem, False)}")
            out.append(replace(span, math=False, code=True) if problems else span)
        return tuple(out)

    def link(self, href: Any, line: int, what: str) -> str | None:
        if not isinstance(href, str) or not href:
            self.error(line, f"link of {what} must be a URL, not {type_name(href)}")
            return None
        if not safe_url(href):
            self.warning(line, f"link of {what} to {href[:60]!r} removed: only web, mail and relative links "
                               "are kept")
            return None
        if not href.startswith("https://"):
            self.warning(line, f"link of {what} should be an absolute https:// URL: {href}")
        return href

    def ident(self, value: Any, line: int, what: str) -> str | None:
        if not isinstance(value, str) or isinstance(value, bool):
            self.error(line, f"{what} id must be text, not {type_name(value)}")
            return None
        if not _ID_RE.match(value):
            self.error(line, f"{what} id '{value}' must be letters, digits, '-' or '_'")
            return None
        return value


def type_name(value: Any) -> str:
    """What a wrong value is, for a message: "a list", "nothing (null)", "int 7"."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


def suggest(word: str, choices: Iterable[str]) -> str:
    """" (did you mean 'x'?)" for the closest choice, or "" when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""

