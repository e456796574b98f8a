"""Slide background colours: every CSS colour is kept as written, anything else is a warning and dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from reading_helpers import read
from testkit import messages

CASES = {
    "deckwright directive": "## A\n\n<!-- backgroundColor: {value} -->\n",
    "heading attribute": '## A {{background-color="{value}"}}\n',
    "reveal slide comment": '## A\n\n<!-- .slide: data-background-color="{value}" -->\n',
    "Marp spot directive": "---\nmarp: true\n---\n\n# A\n\n<!-- _backgroundColor: {value} -->\n",
}


@pytest.mark.parametrize("where", CASES)
@pytest.mark.parametrize("value", ["#zzz", "expression(alert(1))", "url(x.png)", "#12345",
                                   "currentColor"])
def test_a_value_that_is_not_a_colour_is_warned_at_its_line_and_never_reaches_a_writer(
        tmp_path: Path, where: str, value: str) -> None:
    slides, _, diags = read(tmp_path, CASES[where].format(value=value))
    assert slides[-1].background_color is None
    assert [m.split(": warning: ")[1] for m in messages(diags)] == [
        f"background colour {value!r} is not a CSS colour (such as #1e3a5f, navy or rgb(30, 58, 95)); "
        "ignored"]


@pytest.mark.parametrize("where", CASES)
@pytest.mark.parametrize("value", ["#1e3a5f", "#abc", "teal", "darkslategray", "rgb(30, 58, 95)",
                                   "hsl(120, 50%, 50%)"])
def test_every_css_colour_is_kept_as_written(tmp_path: Path, where: str, value: str) -> None:
    slides, _, diags = read(tmp_path, CASES[where].format(value=value))
    assert slides[-1].background_color == value and diags == []


def test_a_see_through_colour_is_kept_and_said_to_be_drawn_solid_outside_the_html(tmp_path: Path) -> None:
    slides, _, diags = read(tmp_path, CASES["deckwright directive"].format(value="rgba(0, 0, 0, 0.5)"))
    assert slides[0].background_color == "rgba(0, 0, 0, 0.5)"
    assert [d.message.split(" is ")[1] for d in diags] == [
        "see-through: the HTML shows it so, PowerPoint and the PDF draw it solid"]


def test_a_marp_spot_colour_that_is_not_one_leaves_the_global_colour_in_force(tmp_path: Path) -> None:
    text = "---\nmarp: true\nbackgroundColor: teal\n---\n\n# A\n\n<!-- _backgroundColor: '#zzz' -->\n"
    slides, _, diags = read(tmp_path, text)
    assert slides[0].background_color == "teal" and len(diags) == 1
