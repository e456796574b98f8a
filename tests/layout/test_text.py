"""The text measurer: line counts match the lines the PDF draws, pieces per run, fallback fonts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testkit import require

import deckwright.layout.text as measuring
from deckwright.layout.fonts import Face, segments, system_fonts
from deckwright.layout.text import (
    WRAP_SLACK,
    TextRun,
    break_lines,
    count_lines,
    font_file,
    longest_word,
    text_width,
)
from deckwright.model.theme import Theme


def texts(lines: object) -> list[str]:
    return ["".join(p.lead + p.text for p in line.pieces) for line in lines]  # type: ignore[attr-defined]


def test_words_wrap_at_spaces_and_runs_keep_their_own_pieces(theme: Theme) -> None:
    runs = (TextRun("Run the "), TextRun("container", bold=True), TextRun(" and keep it small"))
    body = theme.fonts["body"]
    width = (text_width("Run the ", body.file(), 28) + text_width("container", body.file(bold=True), 28)
             + text_width(" and", body.file(), 28)) / WRAP_SLACK + 2
    lines = break_lines(runs, theme, 28, width)
    assert len(lines) == count_lines(runs, theme, 28, width) == 2
    first = lines[0]
    assert [p.text for p in first.pieces] == ["Run the", "container", "and"]
    assert first.pieces[1].run.bold and first.pieces[0].x == 0
    # The space between runs is the piece's lead, measured in the run it belongs to.
    space = text_width(" ", body.file(), 28)
    assert first.pieces[1].lead == " " and first.pieces[1].lead_width == pytest.approx(space)
    assert first.pieces[1].x == pytest.approx(text_width("Run the", body.file(), 28) + space)
    assert first.pieces[2].x == pytest.approx(first.pieces[1].x + first.pieces[1].width + space)
    assert texts(lines) == ["Run the container and", "keep it small"]


def test_hard_breaks_and_long_words(theme: Theme) -> None:
    lines = break_lines((TextRun("one\ntwo"),), theme, 28, 500)
    assert texts(lines) == ["one", "two"]
    word = "x" * 80
    lines = break_lines((TextRun(word),), theme, 28, 300)
    assert len(lines) > 1 and "".join(texts(lines)) == word
    assert all(line.width <= 300 * WRAP_SLACK + 0.01 for line in lines)


def test_a_word_longer_than_a_line_is_broken_with_a_few_measurements_a_line(
        theme: Theme, monkeypatch: pytest.MonkeyPatch) -> None:
    # Measuring every longer prefix in turn was quadratic: with fallback fonts (emoji, a few
    # thousand of them) that took 25 s.
    calls = 0
    measure = measuring.text_width

    def counted(s: str, font: Path, size: float) -> float:
        nonlocal calls
        calls += 1
        return measure(s, font, size)

    monkeypatch.setattr(measuring, "text_width", counted)
    word = "é" * 25_000 + "x" * 25_000
    lines = break_lines((TextRun("a " + word),), theme, 12, 1100)
    assert texts(lines)[0] == "a" and "".join(texts(lines)[1:]) == word
    assert calls < 20 * len(lines)
    # Every line is as full as it can be: one more character would not fit.
    limit = 1100 * WRAP_SLACK
    assert all(line.width <= limit + 0.01 for line in lines)
    font = font_file(theme, TextRun("x"))
    assert all(measure(t + "x", font, 12) > limit for t in texts(lines)[1:-1])


def test_a_link_is_one_word(theme: Theme) -> None:
    runs = (TextRun("see "), TextRun("the docs page", href="https://example.com"))
    width = text_width("the docs page", theme.fonts["body"].file(), 28) / WRAP_SLACK + 5
    lines = break_lines(runs, theme, 28, width)
    assert texts(lines) == ["see", "the docs page"]
    assert lines[1].pieces[0].x == 0  # the space that broke the line is not drawn


words = st.text(alphabet="abcdefghij KLMN-.,", min_size=0, max_size=60)


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(st.tuples(words, st.booleans(), st.booleans()), min_size=1, max_size=5),
       width=st.floats(min_value=60, max_value=1100))
def test_the_drawn_lines_are_the_lines_fit_counted(theme: Theme, parts: list[tuple[str, bool, bool]],
                                                   width: float) -> None:
    runs = tuple(TextRun(text, "code" if code else "body", bold=bold) for text, bold, code in parts)
    lines = break_lines(runs, theme, 24, width)
    # Long words are split by width in fit's count and at characters here: never fewer lines.
    assert len(lines) >= count_lines(runs, theme, 24, width)
    if longest_word(runs, theme, 24) <= width * WRAP_SLACK:
        assert len(lines) == count_lines(runs, theme, 24, width)
    drawn = "".join(texts(lines)).replace(" ", "")
    assert drawn == "".join(text for text, _, _ in parts).replace(" ", "")


def test_characters_the_theme_font_lacks_are_measured_and_drawn_in_a_system_font(theme: Theme) -> None:
    body = theme.fonts["body"].file()
    require(any(f.has(0x65E5) for f in system_fonts()), "a CJK font (Debian fonts-noto-cjk)")
    pieces = segments("tag 日本 ok", Face(body))
    assert [p[0] for p in pieces] == ["tag ", "日本", " ok"]
    assert pieces[0][1] == pieces[2][1] == Face(body) and pieces[1][1] != Face(body)
    assert all(p[2] for p in pieces)
    # Ideographs are a full em wide in the fallback, not the theme font's narrow empty box.
    assert text_width("日本", body, 100) == pytest.approx(200, rel=0.05)
    # A colour emoji font is no fallback (it has no outlines to embed): without an outline font
    # that has the whale, it stays with the theme font, marked as not drawable.
    outline = [f.face for f in system_fonts() if f.has(0x1F433)]
    emoji = segments("🐳", Face(body))
    if outline:
        assert emoji[0][1] in outline and emoji[0][2]
    else:
        assert emoji == [("🐳", Face(body), False)]


def test_indentation_at_the_start_of_a_line_is_kept_and_counted(theme: Theme) -> None:
    code = theme.fonts["code"].file()
    runs = (TextRun("def f():\n    return 1", "code"),)
    lines = break_lines(runs, theme, 20, 1000)
    assert texts(lines) == ["def f():", "    return 1"]  # drawn, so copied code keeps it
    assert lines[1].pieces[0].x == pytest.approx(text_width("    ", code, 20))
    assert lines[1].pieces[0].lead == "    "
    assert lines[1].width == pytest.approx(text_width("    return 1", code, 20))
    # A line just wide enough for the unindented text wraps once the indentation is counted.
    narrow = text_width("    return", code, 20) / WRAP_SLACK - 1
    assert count_lines((TextRun("    return", "code"),), theme, 20, narrow) == 2


# --------------------------------------------------------------------------- formulas


def test_a_formula_is_one_word_as_wide_as_its_typeset_box(theme: Theme) -> None:
    from deckwright.layout.text import formula_box

    formula = TextRun(r"\frac{a + b}{c} = x", math="inline")
    box = formula_box(formula, theme)
    assert box is not None and box.width > 1
    runs = (TextRun("so "), formula, TextRun(" holds"))
    [line] = break_lines(runs, theme, 28, 10_000)
    [math_piece] = [p for p in line.pieces if p.run.math]
    # Its width is the box's, not that of its TeX in any font; spaces inside it do not break it.
    assert math_piece.text == formula.text and math_piece.width == pytest.approx(box.width * 28)
    assert math_piece.width < text_width(formula.text, font_file(theme, TextRun("")), 28) * 0.6


def test_a_formula_wider_than_the_line_stands_alone_unbroken(theme: Theme) -> None:
    formula = TextRun(r"a + b + c + d + e + f + g + h + i + j + k", math="inline")
    lines = break_lines((TextRun("see "), formula, TextRun(" here")), theme, 28, 120)
    assert texts(lines) == ["see", formula.text, "here"]
    # Fit counts the lines a too-wide word needs, so the slide shrinks rather than overflows.
    assert count_lines((formula,), theme, 28, 120) > 1


def test_lines_grow_around_a_tall_formula_and_keep_the_pitch_otherwise(theme: Theme) -> None:
    from deckwright.layout.text import line_boxes

    body = theme.fonts["body"].file()
    plain = line_boxes(break_lines((TextRun("x"),), theme, 28, 900), theme, body, 28, 1.25)
    inline = line_boxes(break_lines((TextRun("x is "), TextRun("x_1", math="inline")), theme, 28, 900),
                        theme, body, 28, 1.25)
    display = line_boxes(break_lines((TextRun(r"\sum_{i=1}^{n} \frac{1}{i^2}", math="display"),), theme,
                                     28, 900), theme, body, 28, 1.25)
    assert plain[0].height == inline[0].height == pytest.approx(28 * 1.25)
    assert display[0].height > 2 * 28 * 1.25
    # The baseline moves down by what rises above the text's ascent.
    assert display[0].baseline > plain[0].baseline + 10
