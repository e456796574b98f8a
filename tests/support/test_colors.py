"""CSS colours for PowerPoint and PDF: every CSS Color 3 value is read, anything else is white."""

from __future__ import annotations

import pytest

from deckwright.support.colors import css_hex, parse_css_color, rgb


@pytest.mark.parametrize(("value", "expected"), [
    ("#1e3a5f", "#1e3a5f"), ("#ABC", "#abc"), ("teal", "#008080"), ("DarkSlateGray", "#2f4f4f"),
    ("rgb(30, 58, 95)", "#1e3a5f"), ("hsl(0, 100%, 50%)", "#ff0000"), ("rgba(0, 0, 255, 0.5)", "#0000ff"),
    ("#zzz", "#ffffff"), ("expression(alert(1))", "#ffffff"), ("", "#ffffff"),
])
def test_css_hex_reads_every_css_colour_and_falls_back_to_white(value: str, expected: str) -> None:
    assert css_hex(value) == expected


def test_rgb_expands_the_short_form_and_never_reads_non_hex_digits() -> None:
    assert rgb("#abc") == (0xAA, 0xBB, 0xCC)
    assert rgb("#zzz") == (255, 255, 255)


def test_alpha_is_read_but_current_color_is_not_a_colour() -> None:
    assert parse_css_color("rgba(0, 0, 0, 0.25)") == (0, 0, 0, 0.25)
    assert parse_css_color("currentColor") is None
