"""Front matter: broken YAML pointed at its line, values checked and brought to their types."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reading_helpers import inline_text, read
from testkit import messages

from deckwright.diagnostics import SourceRef
from deckwright.reading.meta import normalize_meta


def test_broken_front_matter_yaml_points_at_the_yaml_line(root: Path) -> None:
    slides, meta, diags = read(root, "---\ntitle: Fine\nauthor: a: b\n---\n\n## Slide\n")
    assert len(diags) == 1 and diags[0].is_error
    assert diags[0].ref == SourceRef("slides/test.md", 3)
    assert diags[0].message.startswith("invalid YAML")
    assert meta == {} and [inline_text(s.title) for s in slides] == ["Slide"]


def test_front_matter_values_are_checked(root: Path) -> None:
    _, meta, diags = read(root, "---\ntitle: [a, b]\nslide_level: 9\ntheme: ../evil\ncolour: red\n---\n")
    assert messages(diags) == [
        "slides/test.md:2: error: `title` must be text, not a list",
        "slides/test.md:3: error: `slide_level` must be a number from 0 to 6, not 9",
        "slides/test.md:4: error: invalid theme name '../evil' (letters, digits, '-', '_', '.')",
        "slides/test.md:5: warning: unknown front-matter key `colour` ignored (known: title, subtitle, "
        "author, date, url, theme, lang, description, slug, notes, keywords, slide_level, notes_comments, "
        "dialect, allow_scripts)",
    ]
    assert meta == {}


# --------------------------------------------------------------------------- normalize_meta on its own


def test_values_are_brought_to_their_types() -> None:
    data = {"title": 2026, "date": dt.date(2026, 3, 1), "keywords": "docker, containers,", "slide_level": 2,
            "notes_comments": "yes", "dialect": "Reveal-MD", "slides": ["a.md"]}
    meta, diags = normalize_meta(data, "deck.yaml", extra_keys=("slides",), what="deck.yaml")
    assert diags == []
    assert dict(meta) == {"title": "2026", "date": "2026-03-01", "keywords": ("docker", "containers"),
                          "slide_level": 2, "notes_comments": True, "dialect": "reveal", "slides": ["a.md"]}


def test_wrong_values_are_errors_and_unknown_keys_warnings() -> None:
    data = {"keywords": {"a": 1}, "slide_level": True, "allow_scripts": "maybe", "slug": "Big Slug", "x": 1}
    meta, diags = normalize_meta(data, "deck.yaml", what="deck.yaml")
    assert dict(meta) == {}
    assert [(d.is_error, d.message.split(" (")[0]) for d in diags] == [
        (True, "`keywords` must be a list of words or a comma-separated text"),
        (True, "`slide_level` must be a number from 0 to 6, not True"),
        (True, "`allow_scripts` must be true or false, not 'maybe'"),
        (True, "invalid slug 'Big Slug'"),
        (False, "unknown deck.yaml key `x` ignored"),
    ]
