"""Deck metadata (front matter, deck.yaml): read from the tokens, checked, brought to its types."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from markdown_it.token import Token

from deckwright.diagnostics import Diagnostic, SourceRef, error, has_errors, warning
from deckwright.reading.dialects import DIALECTS, as_bool, dialect_name
from deckwright.support.yamlsafe import YamlMap, key_line, load_yaml

TEXT_KEYS = ("title", "subtitle", "author", "date", "url", "theme", "lang", "description", "slug", "notes")
META_KEYS = (*TEXT_KEYS, "keywords", "slide_level", "notes_comments", "dialect", "allow_scripts")
_THEME_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_KEYWORDS_ERROR = "`keywords` must be a list of words or a comma-separated text"


def normalize_meta(data: Mapping[str, Any], path: str, *, extra_keys: Sequence[str] = (),
                   what: str = "front-matter") -> tuple[Meta, list[Diagnostic]]:
    """Check deck metadata (front matter or deck.yaml) and bring values to their types.

    Text keys become str (YAML dates included), keywords a tuple of str, slide_level an int 0–6,
    notes_comments and allow_scripts a bool, dialect a dialect name. Unknown keys are reported and
    dropped; `extra_keys` are passed through.
    """
    out = Meta()
    out.lines = {key: key_line(data, key, 1) for key in data}
    diags: list[Diagnostic] = []
    for key, value in data.items():
        ref = SourceRef(path, key_line(data, key, 1))
        if key in extra_keys:
            out[key] = value
        elif key in META_KEYS:
            checked, problem = _check(key, value)
            if problem is None:
                out[key] = checked
            else:
                diags.append(error(ref, problem))
        else:
            known = ", ".join((*META_KEYS, *extra_keys))
            diags.append(warning(ref, f"unknown {what} key `{key}` ignored (known: {known})"))
    return out, diags


def _check(key: str, value: Any) -> tuple[object, str | None]:
    """A known key's value brought to its type, or what is wrong with it."""
    if key in TEXT_KEYS:
        return _check_text(key, value)
    if key == "keywords":
        words = _keywords(value)
        return words, None if words is not None else _KEYWORDS_ERROR
    if key == "slide_level":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
            return None, f"`slide_level` must be a number from 0 to 6, not {value!r}"
        return value, None
    if key in ("notes_comments", "allow_scripts"):
        flag = as_bool(value)
        return flag, None if flag is not None else f"`{key}` must be true or false, not {value!r}"
    name = dialect_name(value)  # the `dialect` key
    return name, None if name is not None else f"unknown dialect {value!r} (known: {', '.join(DIALECTS)})"


def _check_text(key: str, value: Any) -> tuple[object, str | None]:
    text = _meta_text(value)
    if text is None:
        return None, f"`{key}` must be text, not {_kind(value)}"
    if key == "theme" and not _THEME_NAME.match(text):
        return None, f"invalid theme name {text!r} (letters, digits, '-', '_', '.')"
    if key == "slug" and not _SLUG.match(text):
        return None, f"invalid slug {text!r} (lower-case letters, digits, '-', '_', '.')"
    return text, None


def _meta_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _keywords(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return tuple(w.strip() for w in value.split(",") if w.strip())
    if isinstance(value, list) and all(isinstance(w, (str, int, float)) for w in value):
        return tuple(str(w).strip() for w in value if str(w).strip())
    return None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty" if value is None else type(value).__name__


class Meta(dict[str, object]):
    """Checked deck metadata that remembers the line of each key."""

    lines: dict[str, int]


def front_matter(tokens: Sequence[Token], path: str) -> tuple[Meta, list[Diagnostic]]:
    """The front matter of a parsed file (empty when there is none), checked."""
    data, diags = front_matter_yaml(tokens, path)
    if data is None:
        return _empty_meta(), diags
    return normalize_meta(data, path)


def _empty_meta() -> Meta:
    empty = Meta()
    empty.lines = {}
    return empty


def front_matter_yaml(tokens: Sequence[Token], path: str) -> tuple[YamlMap | None, list[Diagnostic]]:
    """The front matter's YAML mapping (None when there is none or it is broken), unchecked."""
    token = tokens[0] if tokens and tokens[0].type == "front_matter" else None
    if token is None or token.map is None:
        return None, []
    first_line = token.map[0] + 2  # the line after the opening `---`, 1-based
    data, diags = load_yaml(token.content, path, first_line)
    if has_errors(diags):
        lines = token.content.split("\n")
        bad = diags[0].ref.line - first_line if diags[0].ref else -1
        if 0 <= bad < len(lines) and "\t" in lines[bad]:
            diags = [error(diags[0].ref, f"{diags[0].message} (YAML does not allow tabs for indentation; "
                                         "use spaces)")]
        return None, diags
    if data is None:
        if token.content.strip():
            return None, [*diags, warning(SourceRef(path, token.map[0] + 1),
                                          "the lines between the first two `---` are read as front matter "
                                          "but hold no YAML keys; start the file with a slide, not `---`")]
        return None, diags
    if not isinstance(data, YamlMap):
        return None, [error(SourceRef(path, first_line), "front matter must be YAML `key: value` lines")]
    return data, diags
