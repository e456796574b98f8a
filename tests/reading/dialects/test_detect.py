"""Which dialect a file is read in: fixed detection rules, then its own key, the CLI, deck.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
from reading_helpers import read, titles
from testkit import REPO, ProjectFactory, messages

from deckwright.model.deck import plain_text
from deckwright.reading.dialects.detect import detect
from deckwright.reading.project import load_project
from deckwright.reading.source import quick_front_matter


def dialect_of(text: str) -> str:
    return detect(text, quick_front_matter(text))


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(("text", "expected"), [
    ("---\nmarp: true\n---\n\n# A\n", "marp"),
    ("\u200b---\nmarp: true\n\u200b---\n\n# A\n", "marp"),  # fences hidden by a zero-width space
    ("\u200b---\nrevealOptions: {}\n---\n\n# A\n", "reveal"),
    ("---\nmarp: 'true'\n---\n\n# A\n", "marp"),
    ("---\nheadingDivider: 2\n---\n\n# A\n", "marp"),
    ("---\ntheme: gaia\n---\n\n# A\n", "marp"),
    ("# A\n\n![bg left](a.png)\n", "marp"),
    ("<!-- _class: lead -->\n\n# A\n", "marp"),
    ("---\nrevealOptions:\n  transition: fade\n---\n\n# A\n", "reveal"),
    ("---\nseparator: <!--s-->\n---\n\n# A\n", "reveal"),
    ("---\ntheme: solarized\n---\n\n# A\n", "reveal"),
    ("# A\n\ntext\n\n----\n\n# B\n", "reveal"),
    ("% Title\n% Author\n\n# A\n", "pandoc"),
    ("---\nformat: revealjs\n---\n\n## A\n", "pandoc"),
    ("## A\n\ntext\n\n## B\n\ntext\n", "pandoc"),
    ("## A\n\ntext\n\n---\n\n## B\n\ntext\n", "deckwright"),
    ("## A\n\nNote: notes\n\n## heading in the notes\n", "deckwright"),
    ("---\nslide_level: 2\n---\n\n## A\n\n## B\n", "deckwright"),
    ("```\n## A\n\n## B\n```\n", "deckwright"),
    ("", "deckwright"),
])


def test_detection_follows_fixed_documented_rules(text: str, expected: str) -> None:
    assert dialect_of(text) == expected


def test_the_workshop_deck_and_reader_fixtures_read_as_deckwright() -> None:
    files = sorted((REPO / "slides").glob("*.md"))
    assert files
    assert {f.name: dialect_of(f.read_text(encoding="utf-8")) for f in files} == {
        f.name: "deckwright" for f in files}


def test_front_matter_dialect_key_overrides_detection_and_cli(root: Path) -> None:
    text = "---\ndialect: reveal\n---\n\n## A\n\n## B\n"
    slides, meta, diags = read(root, text, dialect="pandoc")
    assert diags == [] and meta == {"dialect": "reveal"}
    assert titles(slides) == ["A"]  # reveal.js: headings do not split slides


def test_cli_dialect_overrides_detection(root: Path) -> None:
    text = "## A\n\ntext\n\n## B\n\ntext\n"
    assert len(read(root, text)[0]) == 2  # detected as pandoc
    assert len(read(root, text, dialect="deckwright")[0]) == 1


def test_unknown_dialect_name_is_an_error_at_its_line(root: Path) -> None:
    _, _, diags = read(root, "---\ntitle: T\ndialect: beamer\n---\n\n## A\n")
    assert messages(diags) == [
        "slides/test.md:3: error: unknown dialect 'beamer' (known: deckwright, marp, reveal, pandoc)"]


def test_dialect_from_deck_yaml_and_per_file(make_project: ProjectFactory) -> None:
    root = make_project({
        "deck.yaml": "dialect: reveal\n",
        "slides/1.md": "## A\n\n## still A\n",
        "slides/2.md": "---\ndialect: pandoc\n---\n\n## B\n\ntext\n\n## C\n\ntext\n",
        "slides/3.md": "## D\n\n## still D\n",
    })
    deck, diags = load_project(root)
    assert diags == [] and deck is not None
    assert [plain_text(s.title) for s in deck.slides] == ["A", "B", "C", "D"]
