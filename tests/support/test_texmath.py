"""TeX to MathML: what latex2mathml accepts in silence is found; its MathML gets the fixes browsers need."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from deckwright.support.texmath import MATHML_NS, TexProblem, describe, tex_problems, to_mathml

M = f"{{{MATHML_NS}}}"


@pytest.mark.parametrize("tex", [
    "E = mc^2", r"\frac{a}{b}", r"\sum_{i=1}^{n} i^2", r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}",
    r"\alpha + \beta = \gamma", r"\sqrt[3]{x} + \sqrt{y}", r"\int_0^1 f(x)\,dx", r"\lim_{x \to 0} \sin x",
    r"\{ x \mid x > 0 \}", r"\text{if } x \ne 0", r"\mathbb{R}^n", r"a % a comment: } is no brace here",
    r"\arg z", r"\begin{aligned} a &= b \label{eq:1} \\ c &= d \nonumber \notag \end{aligned}",
])
def test_good_formulas_have_no_problems(tex: str) -> None:
    assert tex_problems(tex) == []


@pytest.mark.parametrize(("tex", "problem"), [
    # latex2mathml accepts all of these without a word:
    (r"\foo + 1", TexProblem(0, r"unknown command \foo")),
    (r"x + \mathrm{\foo}", TexProblem(12, r"unknown command \foo")),
    (r"\frac{a}{b", TexProblem(8, "unbalanced braces: a `{` is never closed")),
    ("a}+b", TexProblem(1, "unbalanced braces: a `}` closes no `{`")),
    (r"\frac{a}", TexProblem(0, r"\frac is missing an argument")),
    (r"x \end{foo}", TexProblem(2, "unknown environment {foo}")),
    # and latex2mathml refuses these with an exception:
    (r"\begin{pmatrix} a", TexProblem(0, r"\begin{…} without its \end{…}")),
    (r"\left( x", TexProblem(0, r"\left without its \right")),
    ("x^", TexProblem(1, "`^` or `_` without what it puts up or down")),
    (r"\sqrt", TexProblem(5, "a command at the end is missing its argument")),
])
def test_what_latex2mathml_would_get_wrong_is_a_problem_at_its_offset(tex: str, problem: TexProblem) -> None:
    assert tex_problems(tex) == [problem]


def test_each_distinct_problem_is_named_once() -> None:
    assert [p.message for p in tex_problems(r"\foo + \foo + \bar{x} + \baz")] == [
        r"unknown command \foo", r"unknown command \baz"]


def test_a_problem_is_described_with_the_formula_as_written() -> None:
    problem = tex_problems(r"\foo")[0]
    assert describe(r"\foo", problem, False) == (
        r"bad TeX in $\foo$: unknown command \foo; shown as its TeX source")
    long = r"\alpha + " * 10 + r"\foo"
    assert describe(long, tex_problems(long)[0], True).startswith(r"bad TeX in $$\alpha + \alpha")
    assert "…$$: unknown command" in describe(long, tex_problems(long)[0], True)


def parsed(tex: str, display: bool) -> ET.Element:
    return ET.fromstring(to_mathml(tex, display))


def test_mathml_is_one_math_element_that_keeps_its_tex() -> None:
    math = parsed("a < b", False)
    assert math.tag == f"{M}math" and "display" not in math.attrib
    semantics = math.find(f"{M}semantics")
    assert semantics is not None and [_tag(c) for c in semantics] == ["mrow", "annotation"]
    annotation = semantics[1]
    assert annotation.get("encoding") == "application/x-tex" and annotation.text == "a < b"
    assert [c.text for c in semantics[0]] == ["a", "<", "b"]  # characters, not entity text
    assert parsed("x", True).get("display") == "block"


def test_display_limits_go_under_the_operator_inline_ones_stay_beside_it() -> None:
    display = parsed(r"\lim_{x \to 0} f + \max_i a_i + \sum_{i=1}^n i", True)
    assert [_tag(c) for c in display.iter() if _tag(c) in ("msub", "munder", "munderover")] == [
        "munder", "munder", "msub", "munderover"]  # a_i stays a subscript
    inline = parsed(r"\lim_{x \to 0} f", False)
    assert [_tag(c) for c in inline.iter() if _tag(c) in ("msub", "munder")] == ["msub"]


def test_labels_and_equation_numbering_draw_nothing_and_arg_is_a_function_name() -> None:
    row = parsed(r"\arg z = a \label{eq:a} \nonumber", True).find(f"{M}semantics/{M}mrow")
    assert row is not None
    assert [(_tag(c), c.text) for c in row] == [
        ("mi", "arg"), ("mo", "\u2061"), ("mspace", None), ("mi", "z"), ("mo", "="), ("mi", "a")]


def test_a_function_name_is_applied_to_its_argument_with_tex_spacing() -> None:
    row = parsed(r"\sin x + \log_2 y + \cos(z)", False).find(f"{M}semantics/{M}mrow")
    assert row is not None
    shape = [(_tag(c), c.text or c.get("width") or "") for c in row]
    assert shape == [
        ("mi", "sin"), ("mo", "\u2061"), ("mspace", "0.1667em"), ("mi", "x"), ("mo", "+"),
        ("msub", ""), ("mo", "\u2061"), ("mspace", "0.1667em"), ("mi", "y"), ("mo", "+"),
        ("mi", "cos"), ("mo", "\u2061"), ("mo", "("), ("mi", "z"), ("mo", ")")]  # no space before a fence
    log = row[5]
    assert [_tag(c) for c in log] == ["mi", "mn"]  # the subscript's arguments are left alone


def _tag(elem: ET.Element) -> str:
    return elem.tag.rpartition("}")[2]


@pytest.mark.parametrize(("tex", "columns"), [
    (r"\begin{aligned} a &= b + c \\ d &= e \end{aligned}", [["right", "left"], ["right", "left"]]),
    (r"\begin{gathered} a = b \\ c \end{gathered}", [["center"], ["center"]]),
    (r"\begin{align*} x &= 1 & y &= 2 \end{align*}", [["right", "left", "right", "left"]]),
])
def test_aligned_equations_are_tables_whose_ampersands_align_columns(tex: str,
                                                                     columns: list[list[str]]) -> None:
    # latex2mathml read `aligned` as one row and showed each `&` as a letter.
    math = parsed(tex, True)
    assert "&" not in "".join(e.text or "" for e in math.iter() if _tag(e) != "annotation")
    rows = [[td.get("columnalign", "center") for td in tr] for tr in math.iter(f"{M}mtr")]
    assert rows == columns
