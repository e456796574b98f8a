"""The source text before parsing: control characters removed and reported, front matter found."""

from __future__ import annotations

from deckwright.reading.source import (
    clean_text,
    code_lines,
    front_matter_span,
    normalize_front_matter,
    quick_front_matter,
)


def test_control_characters_are_removed_with_a_warning_per_line() -> None:
    text, diags = clean_text("\ufeffa\x00b\r\nc\x1b[0m\rd\n", "s.md")
    assert text == "ab\nc[0m\nd\n"
    assert [str(d) for d in diags] == [
        "s.md:1: warning: removed 1 control character(s) (U+0000) that slides cannot hold",
        "s.md:2: warning: removed 1 control character(s) (U+001B) that slides cannot hold"]


def test_many_bad_lines_are_summed_up_after_twenty() -> None:
    _, diags = clean_text("\x01\n" * 25, "s.md")
    assert len(diags) == 21 and diags[-1].message == "control characters were removed from 5 more lines"


def test_front_matter_is_found_and_a_yaml_end_marker_closes_it() -> None:
    text = "---\ntitle: T\n...\n\n# A\n"
    assert front_matter_span(text) == (2, 17)  # the closing line, the offset after it
    assert normalize_front_matter(text) == "---\ntitle: T\n---\n\n# A\n"
    assert quick_front_matter(text) == {"title": "T"}
    assert front_matter_span("# A\n---\n") is None and quick_front_matter("---\n: [\n---\n") == {}


def test_code_lines_mark_fences_and_their_content() -> None:
    assert code_lines(["a", "````", "```", "````", "b"]) == [False, True, True, True, False]
