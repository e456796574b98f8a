"""The source text before parsing: control characters removed and reported, front matter found."""

from __future__ import annotations

from pathlib import Path

from deckwright.reading.source import (
    clean_text,
    code_lines,
    dashes_but_for_zero_width,
    front_matter_span,
    normalize_front_matter,
    quick_front_matter,
    without_zero_width_fences,
)


def test_control_characters_are_removed_with_a_warning_per_line() -> None:
    text, diags = clean_text("\ufeffa\x00b\r\nc\x1b[0m\rd\n", "s.md")
    assert text == "ab\nc[0m\nd\n"
    assert [str(d) for d in diags] == [
        "s.md:1: warning: removed 1 control character(s) (U+0000) that slides cannot hold",
        "s.md:2: warning: removed 1 control character(s) (U+001B) that slides cannot hold"]


def test_line_and_paragraph_separators_are_spaces_and_keep_the_line_numbers() -> None:
    text, diags = clean_text("## One\u2029two\n\ntext\u2028more\n", "s.md")
    assert text == "## One two\n\ntext more\n" and diags == []


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


def test_an_unclosed_code_fence_is_a_warning_at_its_opening_line(tmp_path: Path) -> None:
    from deckwright.reading.reader import read_markdown

    text = "## One\n\ntext\n\n## Two\n\n```bash\ndocker run hello-world\n\n## Three\n\nswallowed\n"
    _, _, diags = read_markdown(text, "slides/t.md", tmp_path)
    assert [str(d) for d in diags] == ["slides/t.md:7: warning: this code fence is never closed: it runs to "
                                       "the end of the file (add a closing ``` line)"]
    closed = text.replace("hello-world\n", "hello-world\n```\n")
    assert read_markdown(closed, "slides/t.md", tmp_path)[2] == []
    # A longer or tilde fence closes only with its own kind, at least as long.
    assert read_markdown("````\n```\n````\n", "slides/t.md", tmp_path)[2] == []
    assert len(read_markdown("~~~\n```\n", "slides/t.md", tmp_path)[2]) == 1


def test_dashes_lines_with_zero_width_characters_are_found_with_the_side_they_are_on() -> None:
    assert dashes_but_for_zero_width("\u200b---") == (True, False)
    assert dashes_but_for_zero_width("----\u2060 ") == (False, True)
    assert dashes_but_for_zero_width(" \ufeff--- \u200d") == (True, True)
    not_these = ("---", "\u200b--", "\u200bx---", "    \u200b---")  # plain, short, other text, indented code
    assert [dashes_but_for_zero_width(line) for line in not_these] == [None, None, None, None]
    assert without_zero_width_fences("\u200b---\na: \u200b\n---\u200b\n") == "---\na: \u200b\n---\n"


def test_front_matter_opens_with_zero_width_characters_after_the_dashes_only() -> None:
    assert front_matter_span("---\u200b\na: 1\n---\nx") == (2, 14)
    assert front_matter_span("\u200b---\na: 1\n---\nx") is None
