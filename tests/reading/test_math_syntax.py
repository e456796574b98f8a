"""Math as read: `$…$`/`$$…$$` in every dialect by pandoc's rule, `\\(…\\)`/`\\[…\\]` in reveal.js decks only,
bad TeX reported at its line and kept as code."""

from __future__ import annotations

from pathlib import Path

import pytest
from reading_helpers import inline_text, read
from testkit import messages

from deckwright.diagnostics import SourceRef
from deckwright.model.deck import Block, CodeBlock, ListBlock, MathBlock, Paragraph, Span

# Each dialect's front matter and slide start; the slide's first block is on line 5.
HEAD = {
    "deckwright": "---\ntitle: T\n---\n## A\n",
    "marp": "---\nmarp: true\n---\n## A\n",
    "reveal": "---\ntitle: T\n---\n## A\n",
    "pandoc": "% T\n\n\n## A\n",
}


def body(root: Path, dialect: str, text: str) -> tuple[list[Block], list[str]]:
    slides, _, diags = read(root, HEAD[dialect] + text, dialect=dialect)
    return list(slides[-1].blocks), messages(diags)


def first_text(root: Path, dialect: str, text: str) -> str:
    blocks, _ = body(root, dialect, text)
    assert isinstance(blocks[0], Paragraph)
    return inline_text(blocks[0].content)


@pytest.mark.parametrize("dialect", sorted(HEAD))
@pytest.mark.parametrize(("markdown", "read_as"), [
    ("Energy $E = mc^2$ here", "Energy $E = mc^2$ here"),
    ("$a$-$b$", "$a$-$b$"),                             # two formulas
    ("It costs $5 and $10", "It costs $5 and $10"),     # a digit after the closing `$`: prices
    ("use $HOME and $PATH", "use $HOME and $PATH"),
    ("$ x$ and $x $", "$ x$ and $x $"),                 # a space inside the dollars: no math
    ("a dollar \\$x$", "a dollar $x$"),                 # `\$` is a dollar
    ("code `$x$` here", "code `$x$` here"),             # math in a code span is code
    ("pay $x and `$y`", "pay $x and `$y`"),             # a formula holds no backtick: the code span wins
    ("inline $$x^2$$ in a line", "inline $x^2$ in a line"),
])
def test_dollar_math_follows_pandocs_rule_in_every_dialect(root: Path, dialect: str, markdown: str,
                                                           read_as: str) -> None:
    assert first_text(root, dialect, markdown + "\n") == read_as


def test_a_formula_is_a_math_span_holding_its_tex_with_the_styles_around_it(root: Path) -> None:
    blocks, diags = body(root, "deckwright", "**see $x_1$** and $\\alpha$\n")
    assert isinstance(blocks[0], Paragraph)
    assert blocks[0].content == (Span("see ", bold=True), Span("x_1", bold=True, math=True), Span(" and "),
                                 Span("\\alpha", math=True))
    assert diags == []  # good math is no problem of the source


@pytest.mark.parametrize("dialect", sorted(HEAD))
def test_display_math_is_a_math_block_at_its_line(root: Path, dialect: str) -> None:
    blocks, _ = body(root, dialect, "$$\n\\frac{a}{b}\n$$\n\n$$x^2$$\n\ntext $$y$$\n")
    assert blocks[:2] == [MathBlock(SourceRef("slides/test.md", 5), "\\frac{a}{b}"),
                          MathBlock(SourceRef("slides/test.md", 9), "x^2")]
    assert isinstance(blocks[2], Paragraph)  # `$$…$$` after text in a paragraph stays in its line
    assert inline_text(blocks[2].content) == "text $y$"


def test_display_math_in_a_list_item_and_in_code_blocks(root: Path) -> None:
    blocks, _ = body(root, "deckwright", "- item\n\n  $$\n  x\n  $$\n\n```\n$$\nx\n$$\n```\n\n    $y$\n")
    assert isinstance(blocks[0], ListBlock)
    assert blocks[0].items[0].children == (MathBlock(SourceRef("slides/test.md", 7), "x"),)
    assert [type(b) for b in blocks[1:]] == [CodeBlock, CodeBlock]
    assert [b.code for b in blocks[1:] if isinstance(b, CodeBlock)] == ["$$\nx\n$$", "$y$"]


def test_brackets_are_math_in_reveal_decks_only(root: Path) -> None:
    text = "inline \\(x^2\\) and \\[y\\]\n\n\\[\n\\sum_i i\n\\]\n\nlink (\\(see\\) and \\( alone\n"
    blocks, _ = body(root, "reveal", text)
    assert isinstance(blocks[0], Paragraph) and inline_text(blocks[0].content) == "inline $x^2$ and $y$"
    assert blocks[1] == MathBlock(SourceRef("slides/test.md", 7), "\\sum_i i")
    assert isinstance(blocks[2], Paragraph) and inline_text(blocks[2].content) == "link ($see$ and ( alone"
    blocks, _ = body(root, "reveal", "a backslash \\\\(x\\) and empty \\(\\)\n")
    assert isinstance(blocks[0], Paragraph)
    assert inline_text(blocks[0].content) == "a backslash \\(x) and empty ()"
    for dialect in ("deckwright", "marp", "pandoc"):
        blocks, _ = body(root, dialect, text)
        assert isinstance(blocks[0], Paragraph)
        assert inline_text(blocks[0].content) == "inline (x^2) and [y]"  # escaped brackets, as CommonMark
        assert not any(isinstance(b, MathBlock) for b in blocks)


def test_bad_tex_is_warned_once_per_problem_at_its_line_and_shown_as_code(root: Path) -> None:
    text = ("a $\\foo + 1$ and $\\foo$\nb $\\frac{a}{b$\n\n$$\nx +\n\\bar\n$$\n\n"
            "$$\n\\begin{pmatrix} a\n$$\n\n- in a list $x}$\n")
    blocks, diags = body(root, "deckwright", text)
    assert diags == [
        "slides/test.md:5: warning: bad TeX in $\\foo + 1$: unknown command \\foo; shown as its TeX source",
        "slides/test.md:5: warning: bad TeX in $\\foo$: unknown command \\foo; shown as its TeX source",
        "slides/test.md:6: warning: bad TeX in $\\frac{a}{b$: unbalanced braces: a `{` is never closed; "
        "shown as its TeX source",
        "slides/test.md:10: warning: bad TeX in $$x + \\bar$$: a command at the end is missing its argument; "
        "shown as its TeX source",
        "slides/test.md:14: warning: bad TeX in $$\\begin{pmatrix} a$$: \\begin{…} without its \\end{…}; "
        "shown as its TeX source",
        "slides/test.md:17: warning: bad TeX in $x}$: unbalanced braces: a `}` closes no `{`; "
        "shown as its TeX source",
    ]
    assert isinstance(blocks[0], Paragraph)
    assert inline_text(blocks[0].content) == "a `\\foo + 1` and `\\foo` b `\\frac{a}{b`"
    assert blocks[1] == CodeBlock(SourceRef("slides/test.md", 8), "x +\n\\bar", "math")
    assert isinstance(blocks[2], CodeBlock) and blocks[2].language == "math"


def test_the_same_bad_formula_twice_is_one_warning(root: Path) -> None:
    _, diags = body(root, "deckwright", "$\\foo$\n\nagain $\\foo$\n")
    assert len(diags) == 1 and diags[0].startswith("slides/test.md:5: warning: bad TeX in $\\foo$")


def test_a_problem_after_a_line_break_in_an_inline_formula_is_at_its_own_line(root: Path) -> None:
    _, diags = body(root, "deckwright", "text $a +\n\\foo$\nafter $\\baz$\n")
    assert [d.split(": warning")[0] for d in diags] == ["slides/test.md:6", "slides/test.md:7"]


@pytest.mark.parametrize("dialect", sorted(HEAD))
def test_text_after_display_math_on_its_line_is_kept_as_pandoc_keeps_it(root: Path, dialect: str) -> None:
    # `$$x$$ (1)` was read as a labelled block and the "(1)" dropped.
    assert first_text(root, dialect, "$$E = mc^2$$ (1)\n") == "$E = mc^2$ (1)"
