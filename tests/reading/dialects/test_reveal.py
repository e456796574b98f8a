"""reveal-md Markdown read as reveal-md reads it: separator regexes, vertical stacks, `Note:`."""

from __future__ import annotations

import time
from pathlib import Path

from reading_helpers import read
from testkit import messages

from deckwright.model.deck import plain_text
from deckwright.reading.dialects.reveal import reveal_chunks
from deckwright.reading.markdown import parse

# --------------------------------------------------------------------------- reveal.js


def test_reveal_default_separators_split_slides_and_make_stacks(root: Path) -> None:
    text = "---\ntheme: white\n---\n\n# A\n\n---\n\n# B\n\n----\n\n# B.1\n\n----\n\n# B.2\n\n---\n\n# C\n"
    slides, _, _ = read(root, text)
    assert [(plain_text(s.title), s.stack) for s in slides] == [("A", 0), ("B", 1), ("B.1", 1), ("B.2", 1),
                                                                ("C", 0)]


def test_reveal_custom_separators_are_regexes(root: Path) -> None:
    text = ("---\nseparator: <!--s-->\nverticalSeparator: <!--v-->\n---\n\n# A\n\n---\n\nstill A\n"
            "<!--s-->\n# B\n<!--v-->\n# B.1\n")
    slides, _, diags = read(root, text)
    assert [(plain_text(s.title), s.stack) for s in slides] == [("A", 0), ("B", 1), ("B.1", 1)]
    assert messages(diags) == ["slides/test.md:8: warning: `---` inside a block does not start a new slide "
                               "or notes; ignored"]


def test_reveal_bad_separator_regex_is_an_error_and_the_default_is_used(root: Path) -> None:
    _, _, diags = read(root, "---\nseparator: '(unclosed'\n---\n\n# A\n")
    assert len(diags) == 1 and diags[0].is_error and diags[0].ref is not None and diags[0].ref.line == 2
    assert "`separator` is not a usable regular expression" in diags[0].message


def test_reveal_notes_take_the_rest_of_the_slide_even_mid_paragraph(root: Path) -> None:
    text = "---\nrevealOptions: {}\n---\n\n## A\n\nshown\nnote: hidden\n\n- also hidden\n\n---\n\n## B\n"
    slides, _, _ = read(root, text)
    assert [type(b).__name__ for b in slides[0].blocks] == ["Paragraph"]
    assert [type(b).__name__ for b in slides[0].notes] == ["Paragraph", "ListBlock"]
    assert slides[0].notes[0].ref.line == 8


def test_reveal_chunks_skip_separators_in_code() -> None:
    text = "# A\n\n```\n\n---\n\n```\n\n---\n\n# B\n"
    chunks, diags = reveal_chunks(text, "t.md", {}, 0)
    assert [d.ref.line if d.ref else 0 for d in diags] == [5] and len(chunks) == 2 and chunks[1].line == 9


def test_reveal_remote_background_is_left_out_with_a_warning(root: Path) -> None:
    text = "---\ntheme: black\n---\n\n<!-- .slide: data-background-image=\"https://x.org/a.png\" -->\n\n# A\n"
    slides, _, diags = read(root, text)
    assert slides[0].background_image is None
    assert [(d.ref.line if d.ref else 0, d.is_error) for d in diags] == [(2, False), (5, False)]
    assert "not downloaded" in diags[1].message


# --------------------------------------------------------------------------- reveal's token rewrite


def test_reveal_parser_marks_four_dash_breaks_vertical() -> None:
    hrs = [t for t in parse("a\n\n---\n\nb\n\n----\n\nc\n\n- - - -\n", "reveal") if t.type == "hr"]
    assert [(t.meta["source"], t.meta.get("vertical")) for t in hrs] == [
        ("---", None), ("----", True), ("- - - -", None)]
    assert not any(t.meta.get("vertical") for t in parse("a\n\n----\n") if t.type == "hr")


def test_reveal_four_dashes_inside_a_chunk_make_a_stack_where_breaks_split_slides(root: Path) -> None:
    # With its own vertical separator, `----` right after a list is a thematic break in the chunk.
    text = "---\ntheme: white\nverticalSeparator: '^YY$'\n---\n\n# A\n\n- x\n----\n# B\n"
    slides, _, _ = read(root, text)
    assert [(plain_text(s.title), s.stack) for s in slides] == [("A", 1), ("B", 1)]
    # With its own separators a deck's `---` lines do not break slides, so neither does `----`.
    text = "---\nseparator: '^XX$'\nverticalSeparator: '^YY$'\n---\n\n# A\n\n- x\n----\n# B\n"
    slides, _, _ = read(root, text)
    assert [(plain_text(s.title), s.stack) for s in slides] == [("A", 0)]


# --------------------------------------------------------------------------- reveal-md's separator rules
#
# reveal-md passes its defaults to reveal.js as regexes (webpro/reveal-md lib/defaults.json, commit d346332,
# line 10: "separator": "\r?\n---\r?\n"; line 16: "verticalSeparator": "\r?\n----\r?\n"), and reveal.js
# splits the raw text with them before any Markdown (node_modules/reveal.js/dist/plugin/markdown.mjs 6.0.2,
# line 1534: `RegExp(t.separator + (t.verticalSeparator ? "|" + t.verticalSeparator : ""), "mg")`).
# They have no `^`/`$`: a whole `---`/`----` line splits whether or not blank lines surround it.

REVEAL_FM = "---\ntheme: white\n---\n\n"


def test_reveal_three_dashes_under_a_paragraph_line_start_a_slide_not_a_heading(root: Path) -> None:
    slides, _, _ = read(root, REVEAL_FM + "# A\n\ntext\n---\n# B\n")
    assert [(plain_text(s.title), plain_text(s.subtitle), s.stack) for s in slides] == [
        ("A", "text", 0), ("B", "", 0)]


def test_reveal_four_dashes_under_a_paragraph_line_start_a_vertical_slide_not_a_heading(root: Path) -> None:
    slides, _, _ = read(root, REVEAL_FM + "# A\n\ntext\n----\n# B\n")
    assert [(plain_text(s.title), plain_text(s.subtitle), s.stack) for s in slides] == [
        ("A", "text", 1), ("B", "", 1)]


def test_reveal_two_dashes_split_only_between_blank_lines(root: Path) -> None:
    # `--` is the vertical separator of reveal.js's Markdown demo, `^\n--\n$` (hakimel/reveal.js
    # plugin/markdown/example.html): it needs blank lines, so under a paragraph line it underlines a heading.
    slides, _, _ = read(root, REVEAL_FM + "# A\n\ntext\n\n--\n\n# B\n\nsub\n--\n")
    assert [(plain_text(s.title), s.stack) for s in slides] == [("A", 1), ("B", 1)]
    assert [type(b).__name__ for b in slides[1].blocks] == ["Heading"]


def test_reveal_separator_right_after_a_closing_fence_splits(root: Path) -> None:
    slides, _, _ = read(root, REVEAL_FM + "# A\n\n```\ncode\n```\n---\n# B\n")
    assert [plain_text(s.title) for s in slides] == ["A", "B"]
    chunks, _ = reveal_chunks("# A\n\n```\ncode\n```\n---\n# B\n", "t.md", {}, 0)
    assert [c.line for c in chunks] == [0, 6]


def test_reveal_separators_in_code_keep_the_code_whole_and_say_reveal_md_would_split(root: Path) -> None:
    # reveal.js's split is a regex over the raw text (markdown.mjs line 1534, above): it does not know code
    # fences and cuts a code block in two. deckwright keeps the block whole and says where the tools differ.
    # (`--` is deckwright's, not reveal-md's: nothing to say about it.)
    text = REVEAL_FM + "# A\n\n```yaml\n---\nkey: 1\n----\n\n--\n\n```\n\n# still A\n"
    slides, _, diags = read(root, text)
    assert [plain_text(s.title) for s in slides] == ["A"]
    why = ("although it is inside a code block (it splits the text before reading Markdown); "
           "deckwright keeps the code block whole")
    assert messages(diags)[1:] == [
        f"slides/test.md:8: warning: reveal-md starts a slide at this `---` {why}",
        f"slides/test.md:10: warning: reveal-md starts a vertical slide at this `----` {why}"]


def test_a_separator_that_backtracks_without_end_is_an_error_and_the_default_splits_instead(
        tmp_path: Path) -> None:
    # Python's re cannot be stopped: this separator over one long line ran for hours.
    for key in ("separator", "verticalSeparator", "notesSeparator"):
        text = f"---\n{key}: '(a|a)+$'\nrevealOptions: {{}}\n---\n## A\n\n{'a' * 40}!\n\n---\n\n## B\n"
        started = time.monotonic()
        slides, _, diags = read(tmp_path, text)
        assert time.monotonic() - started < 20
        assert [plain_text(s.title) for s in slides] == ["A", "B"]
        assert [m for m in messages(diags) if ": error: " in m] == [
            f"slides/test.md:2: error: `{key}` takes more than 2 s on this file (a regular expression that "
            "backtracks without end, such as (a|a)+): the default is used"]


def test_a_deck_of_its_own_separators_still_splits_with_them(tmp_path: Path) -> None:
    text = ("---\nseparator: '^<<<$'\nnotesSeparator: '^Speaker:'\nrevealOptions: {}\n---\n"
            "## A\n\n<<<\n\n## B\n\nSpeaker: hi\n")
    slides, _, _ = read(tmp_path, text)
    assert [plain_text(s.title) for s in slides] == ["A", "B"]
    assert [plain_text(b.content) for b in slides[1].notes] == ["hi"]
