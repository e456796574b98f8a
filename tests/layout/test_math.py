"""Typesetting formulas: size-free metrics, outlines inside their box, caching by content, no tracebacks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import deckwright.layout.math as mathlayout
import deckwright.layout.typesetter as typesetter
from deckwright.layout.math import ARITY, MathBox, ink_bounds, pdf_path_ops, svg, typeset
from deckwright.support.diskcache import DiskCache

REPO = Path(__file__).resolve().parents[2]


def box_of(tex: str, display: bool = False) -> MathBox:
    box, problem = typeset(tex, display=display)
    assert problem is None and box is not None
    return box


def test_a_fraction_is_taller_than_a_letter_and_hangs_below_the_baseline() -> None:
    letter, fraction = box_of("x"), box_of(r"\frac{a}{b}")
    assert fraction.height > letter.height and fraction.depth > 0.2
    assert letter.depth < 0.05  # an x sits on the baseline
    assert 0.3 < letter.height < 0.6 and 0.3 < letter.width < 0.8  # an em-sized letter


def test_display_style_sets_a_sum_larger_than_inline() -> None:
    inline, display = box_of(r"\sum_{i=1}^{n} i", False), box_of(r"\sum_{i=1}^{n} i", True)
    assert display.height + display.depth > (inline.height + inline.depth) * 1.2
    # Limits go under and over the sign in display style, beside it inline.
    assert display.width < inline.width


def test_width_grows_with_content() -> None:
    widths = [box_of(tex).width for tex in ("a", "a+b", "a+b+c", "a+b+c+d")]
    assert widths == sorted(widths) and len(set(widths)) == 4


def test_metrics_are_in_em_whatever_size_ziamath_lays_out_at() -> None:
    tex = r"\lim_{x\to0}\frac{\sin x}{x} + \sqrt{\alpha^2}"
    small, _ = typesetter.layout(tex, True, None, 24.0)
    nominal, _ = typesetter.layout(tex, True, None, typesetter.NOMINAL_PX)
    for a, b in ((small.width, nominal.width), (small.height, nominal.height), (small.depth, nominal.depth)):
        assert a == pytest.approx(b, abs=2e-3)
    assert ink_bounds(small) == pytest.approx(ink_bounds(nominal), abs=2e-3)


@pytest.mark.parametrize("tex", [r"E=mc^2", r"\frac{a}{b}", r"\sum_{i=1}^{n} i^2",
                                 r"\begin{pmatrix}a & b\\ c & d\end{pmatrix}", r"\sqrt{x^2+1}",
                                 r"\int_0^\infty e^{-x}\,dx", r"\lim_{x\to0}\frac{\sin x}{x}"])
def test_the_drawing_is_closed_outlines_inside_the_box(tex: str) -> None:
    box = box_of(tex, display=True)
    assert box.paths and all(p.ops for p in box.paths)
    for path in box.paths:
        assert path.ops[0] == "M" and path.ops[-1] == "Z"
        assert set(path.ops) <= {"M", "L", "C", "Z"}  # quadratics made cubic
        assert len(path.coords) == sum(ARITY[op] for op in path.ops)
    bounds = ink_bounds(box)
    assert bounds is not None
    xmin, ymin, xmax, ymax = bounds
    # Glyphs may overhang their advance a little (the ∑'s left side bearing is negative).
    slack = 0.06
    assert -slack <= xmin and xmax <= box.width + slack
    assert -box.depth - slack <= ymin and ymax <= box.height + slack
    assert xmax - xmin > box.width * 0.6  # it is drawn across the box, not in a corner


def test_a_fraction_bar_is_its_own_rectangle() -> None:
    box = box_of(r"\frac{a}{b}", display=True)
    rects = [p for p in box.paths if p.ops == "MLLLZ"]
    assert len(rects) == 1
    ys = set(rects[0].coords[1::2])
    assert len(ys) == 2 and all(0 < y < box.height for y in ys)  # on the math axis, above the baseline


def test_mathml_input_is_typeset_like_the_tex_it_came_from() -> None:
    from latex2mathml.converter import convert

    tex = r"\frac{1}{x^2}"
    from_tex = box_of(tex, display=True)
    from_mathml = box_of(convert(tex), display=True)
    assert (from_mathml.width, from_mathml.height, from_mathml.depth) == pytest.approx(
        (from_tex.width, from_tex.height, from_tex.depth), abs=1e-4)
    # `display` decides the style, whatever the MathML's own attribute says.
    assert box_of(convert(r"\sum_{i=1}^n i", display="block"), display=False).height < box_of(
        r"\sum_{i=1}^n i", display=True).height


def test_colour_set_in_the_formula_is_kept_and_the_rest_follows_the_text() -> None:
    box = box_of(r"x + \color{red}{y}")
    assert [p.color for p in box.paths] == [None, "red"]
    ops = pdf_path_ops(box, 0, 0, 10, "#0000ff")
    assert "0 0 1 rg" in ops and "1 0 0 rg" in ops


@pytest.mark.parametrize("tex", [r"\sqrt", "x^", r"\left( x", r"\begin{pmatrix}a", "<math><mi>x</mi",
                                 "<math><mfrac><mi>a</mi></mfrac></math>", "",
                                 '<!DOCTYPE m [<!ENTITY a "aaaa">]><math><mi>&a;</mi></math>'])
def test_bad_input_is_a_problem_not_a_traceback(tex: str) -> None:
    box, problem = typeset(tex, display=True)
    assert box is None and problem is not None and problem.startswith("cannot typeset the formula: ")
    assert "Error" not in problem  # latex2mathml's class names read as words


def test_what_ziamath_draws_but_cannot_do_is_a_problem_with_the_box() -> None:
    box, problem = typeset(r"x + \text{日本}", display=False)
    assert box is not None and problem == "the math font has no glyph for 日 本"
    box, problem = typeset("<math><mi>x</mi><foo>y</foo></math>", display=False)
    assert box is not None and problem == "unsupported MathML element <foo> is left out"


def test_a_font_that_cannot_be_read_is_a_problem(tmp_path: Path) -> None:
    box, problem = typeset("x", display=False, font=tmp_path / "missing.otf")
    assert box is None and problem is not None and "missing.otf" in problem
    garbage = tmp_path / "garbage.otf"
    garbage.write_bytes(b"not a font at all" * 10)
    box, problem = typeset("x", display=False, font=garbage)
    assert box is None and problem is not None  # a problem, not a traceback


def test_svg_is_sized_to_the_box_and_paints_in_the_text_colour() -> None:
    box = box_of(r"\frac{a}{b}", display=True)
    picture = svg(box, 40, "#123456")
    width, height = (float(v) for v in re.search(r'width="([\d.]+)" height="([\d.]+)"', picture).groups())  # type: ignore[union-attr]
    assert width == pytest.approx(box.width * 40, abs=0.01)
    assert height == pytest.approx((box.height + box.depth) * 40, abs=0.01)
    assert picture.count("<path") == len(box.paths) and 'fill="#123456"' in picture


def test_pdf_operators_scale_one_size_free_drawing() -> None:
    box = box_of("x")
    small, large = pdf_path_ops(box, 10, 20, 12), pdf_path_ops(box, 10, 20, 48)
    assert small.startswith("q 12 0 0 12 10 20 cm") and large.startswith("q 48 0 0 48 10 20 cm")
    assert small.split(" cm ", 1)[1] == large.split(" cm ", 1)[1]
    assert small.endswith(" Q") and " c " in small and " f" in small
    assert set(re.findall(r"[A-Za-z]+", small)) <= {"q", "Q", "cm", "m", "l", "c", "h", "f"}


def test_a_result_comes_back_from_the_disk_cache_exactly(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path)
    tex = r"\int_0^1 x\,dx"
    first = typeset(tex, display=True, cache=cache)
    assert len([p for p in (tmp_path / "math").rglob("*") if p.is_file()]) == 1
    mathlayout._MEMORY.clear()
    again = typeset(tex, display=True, cache=cache)
    assert again == first
    # The key holds the formula, the style and the font: each is its own entry.
    typeset(tex, display=False, cache=cache)
    typeset(tex + " ", display=True, cache=cache)
    assert len([p for p in (tmp_path / "math").rglob("*") if p.is_file()]) == 3


def test_a_damaged_cache_entry_is_computed_again(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path)
    first = typeset("y^2", display=False, cache=cache)
    (entry,) = (p for p in (tmp_path / "math").rglob("*") if p.is_file())
    whole = entry.read_bytes()
    for damaged in (b'{"box": [1, 2]', whole[:-8], whole[:-3], whole.replace(b'"M', b'"Q', 1)):
        entry.write_bytes(damaged)
        mathlayout._MEMORY.clear()
        assert typeset("y^2", display=False, cache=cache) == first
        assert entry.read_bytes() == whole  # rewritten


def test_problems_are_cached_too(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path)
    typeset("x^", display=False, cache=cache)
    (entry,) = (p for p in (tmp_path / "math").rglob("*") if p.is_file())
    stored = json.loads(entry.read_bytes().partition(b"\n")[0])
    assert "box" not in stored and stored["problem"].startswith("cannot typeset")


def _run(code: str, cache_dir: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                          cwd=cache_dir).stdout


def test_a_cache_hit_imports_neither_ziamath_nor_latex2mathml(tmp_path: Path) -> None:
    code = f"""
import sys
from pathlib import Path
from deckwright.layout.math import typeset
from deckwright.support.diskcache import DiskCache
cache = DiskCache(Path({str(tmp_path)!r}))
box, problem = typeset(r"\\frac{{a}}{{b}} + \\sqrt{{2}}", display=True, cache=cache)
assert box is not None and problem is None
print(sorted(name for name in sys.modules if name.split(".")[0] in ("ziamath", "ziafont", "latex2mathml")))
"""
    assert _run(code, tmp_path).strip() != "[]"  # the miss typeset it
    assert _run(code, tmp_path).strip() == "[]"  # the hit read it back


def test_importing_the_modules_imports_no_typesetter(tmp_path: Path) -> None:
    code = """
import sys
import deckwright.layout.math, deckwright.layout.typesetter, deckwright.writers.pdf.math
print(sorted(name for name in sys.modules if name.split(".")[0] in ("ziamath", "ziafont", "latex2mathml")))
"""
    assert _run(code, tmp_path).strip() == "[]"


def test_priming_in_worker_processes_gives_the_boxes_typesetting_here_gives(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    formulas = [(rf"\frac{{{i}}}{{x_{i}}}", i % 2 == 0) for i in range(6)] + [("x^", False)]
    here = [typeset(tex, display=display) for tex, display in formulas]
    mathlayout._MEMORY.clear()
    monkeypatch.setattr(mathlayout, "_POOL_MIN", 2)
    cache = DiskCache(tmp_path)
    mathlayout.prime(formulas, cache=cache, workers=2)
    assert len(mathlayout._MEMORY) == len(formulas)
    assert [typeset(tex, display=display, cache=cache) for tex, display in formulas] == here
    # Written to the disk cache by this process, so a later build reads them back.
    assert len([p for p in (tmp_path / "math").rglob("*") if p.is_file()]) == len(formulas)
    mathlayout._MEMORY.clear()
    mathlayout.prime(formulas, cache=cache, workers=1)
    assert [typeset(tex, display=display) for tex, display in formulas] == here


# Formulas whose layout depends on the row pass ziamath's speed-ups skip or keep: stretchy fences
# grown to their row, fences that do not stretch, nested rows, matrices, cases, accents, limits.
_LAYOUT_SET = [r"\left( \frac{a}{b} \right)", r"\left| x \right|", r"\{ a \}", r"\left[ \sum_i x_i \right]^2",
               r"\begin{pmatrix} \frac{1}{2} & b \\ c & d \end{pmatrix}", r"\sqrt[3]{\frac{x}{y}}",
               r"\overbrace{a+b}^{n}", r"\binom{n}{k}", r"\lVert x \rVert", r"\mathbb{R}^n",
               r"f(x) = \begin{cases} 1 & x > 0 \\ 0 & \text{else} \end{cases}", r"\int\limits_a^b f",
               r"\lim_{x \to 0} \frac{\sin x}{x}", r"(a + b)", r"a \mid b", r"\vec{v} \cdot \hat{n}"]


def test_ziamaths_speed_ups_leave_every_layout_as_it_was(tmp_path: Path) -> None:
    code = f"""
import hashlib, sys
import deckwright.layout.typesetter as t
from deckwright.layout.math import _encode
t._FAST = sys.argv[1] == "plain"  # True: the speed-ups are never applied
h = hashlib.sha256()
for tex in {_LAYOUT_SET!r}:
    for display in (False, True):
        h.update(_encode(t.typeset_now(tex, display, None)))
print(h.hexdigest())
"""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    plain, fast = (subprocess.run([sys.executable, "-c", code, mode], capture_output=True, text=True,
                                  check=True, env=env, cwd=tmp_path).stdout for mode in ("plain", "fast"))
    assert plain == fast and len(plain.strip()) == 64


def test_fences_nested_past_the_limit_are_refused_at_once_not_laid_out_for_hours(tmp_path: Path) -> None:
    # Each level doubled ziamath's work: 12 levels took 7 s, 30 would take days.
    code = r"""
from deckwright.layout.typesetter import typeset_now
deep = r"\left(" * 30 + "x" + r"\right)" * 30
box, problem = typeset_now(deep, True, None)
print(box is None, problem)
box, problem = typeset_now(r"\left(" * 5 + "x" + r"\right)" * 5, True, None)
print(box is not None, problem)
"""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                         cwd=tmp_path, timeout=60).stdout.splitlines()
    assert out == ["True cannot typeset the formula: it nests stretchy fences (\\left…\\right, matrices) "
                   f"more than {typesetter.MAX_STRETCH_NESTING} deep", "True None"]
