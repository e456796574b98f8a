"""Comment directives: an unknown layout is an error; `.element` needs class="fragment"."""

from __future__ import annotations

from pathlib import Path

from reading_helpers import read
from testkit import messages

from deckwright.diagnostics import SourceRef
from deckwright.model.deck import Layout


def test_unknown_layout_is_an_error_at_its_line(root: Path) -> None:
    slides, _, diags = read(root, "## A\n\ntext\n\n<!-- layout: two-cols -->\n")
    assert [(d.ref, d.is_error) for d in diags] == [(SourceRef("slides/test.md", 5), True)]
    assert "unknown layout 'two-cols'" in diags[0].message and "two-columns" in diags[0].message
    assert slides[0].layout is Layout.CONTENT


def test_element_comment_without_fragment_class_is_warned(root: Path) -> None:
    slides, _, diags = read(root, "text\n<!-- .element: class=\"red\" -->\n")
    assert messages(diags) == [
        "slides/test.md:2: warning: `.element` comment without class=\"fragment\" is ignored"]
    assert slides[0].steps == 0
