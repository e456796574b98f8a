"""Attribute syntax `{#id .class key=value}` and the plugins that read it after headings and images."""

from __future__ import annotations

import pytest

from deckwright.reading.markdown import parse
from deckwright.reading.markdown.attrs import parse_attrs


@pytest.mark.parametrize(("text", "attrs"), [
    ('#intro .dark .wide width=40% title="A b" alt=\'c\'',
     {"id": "intro", "width": "40%", "title": "A b", "alt": "c", "class": "dark wide"}),
    ("", {}),
    ("key=", None),
    ("{nested}", None),
])
def test_attributes_parse_or_are_refused_whole(text: str, attrs: dict[str, str] | None) -> None:
    assert parse_attrs(text) == attrs


def test_braces_after_a_heading_become_its_attributes_and_leave_its_text() -> None:
    tokens = parse("## Title {.smaller background-image=\"bg.png\"}\n")
    assert tokens[0].attrs == {"class": "smaller", "background-image": "bg.png"}
    assert tokens[1].content == "Title"


def test_braces_right_after_an_image_become_its_attributes() -> None:
    inline = parse("![alt](a.png){width=40%} after\n")[1]
    image, text = inline.children or []
    assert image.type == "image" and image.attrs["width"] == "40%"
    assert text.content == " after"


def test_braces_that_are_no_attributes_stay_text() -> None:
    tokens = parse("## Sets {a, b}\n")
    assert tokens[0].attrs == {} and tokens[1].content == "Sets {a, b}"


def test_no_attributes_in_marp_or_reveal() -> None:
    for dialect in ("marp", "reveal"):
        tokens = parse("## Title {.smaller}\n", dialect)
        assert tokens[1].content == "Title {.smaller}"
