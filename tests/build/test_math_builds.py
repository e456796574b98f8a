"""A deck with math builds in every format (its TeX as code for now, said once); one without loads no math."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from testkit import REPO, messages, usable_formats

from deckwright.build.pipeline import MATH_AS_TEX, BuildOptions, build, check

MATH_DECK = """---
title: Math
---

## Inline

Energy $E = mc^2$ costs $5, and $HOME stays text.

- a list with $\\alpha + \\beta$
- a table next

| rule | formula |
|------|---------|
| sum  | $\\sum_{i=1}^n i$ |

## Display

$$
\\lim_{x \\to 0} \\frac{\\sin x}{x} = 1
$$

- in a list

  $$\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}$$

::: notes
Notes say $x^2$ too.

$$y$$
:::
"""


def project(parent: Path, text: str) -> Path:
    root = parent / "talk"
    (root / "slides").mkdir(parents=True)
    (root / "slides" / "deck.md").write_text(text, encoding="utf-8")
    return root


def test_a_deck_with_math_builds_in_every_format_with_one_warning_that_says_how_math_is_shown(
        tmp_path: Path) -> None:
    root = project(tmp_path, MATH_DECK)
    formats = usable_formats()
    result = build(BuildOptions(root=root, formats=formats, out=tmp_path / "out"))
    assert messages(result.diagnostics) == [f"slides/deck.md:7: warning: {MATH_AS_TEX}"]
    assert len(result.written) >= len(formats)
    if "html" in formats:
        page = (tmp_path / "out" / "math" / "index.html").read_text(encoding="utf-8")
        assert "<code>E = mc^2</code>" in page and "$5, and $HOME stays text" in page
        assert "<code data-lang=\"math\">\\lim_{x \\to 0} \\frac{\\sin x}{x} = 1" in page


def test_strict_makes_the_interim_math_warning_an_error_like_any_other(tmp_path: Path) -> None:
    root = project(tmp_path, MATH_DECK)
    result = check(BuildOptions(root=root, formats=(), strict=True))
    assert [d.is_error for d in result.diagnostics] == [True]


def test_bad_tex_in_a_deck_is_reported_and_the_deck_still_builds(tmp_path: Path) -> None:
    root = project(tmp_path, "## A\n\ngood $x$, bad $\\frac{a}{b$\n\n$$\n\\foo\n$$\n")
    result = build(BuildOptions(root=root, formats=usable_formats(), out=tmp_path / "out"))
    assert [str(d).split(": bad TeX")[0] for d in result.diagnostics if "bad TeX" in d.message] == [
        "slides/deck.md:3: warning", "slides/deck.md:6: warning"]
    assert result.written


def test_a_deck_without_math_imports_nothing_for_math(tmp_path: Path) -> None:
    root = project(tmp_path, "## A\n\nIt costs $5 and $10; `$x$` is code.\n\n```\n$$x$$\n```\n")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from deckwright.build.pipeline import BuildOptions, build\n"
        f"result = build(BuildOptions(root=Path({str(root)!r}), formats={usable_formats()!r}, "
        f"out=Path({str(tmp_path / 'out')!r})))\n"
        "assert result.written and not result.diagnostics, [str(d) for d in result.diagnostics]\n"
        "math = ('latex2mathml', 'ziamath', 'ziafont')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in math))\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                         cwd=REPO, env={**os.environ, "DECKWRIGHT_NO_CACHE": "1", "PYTHONPATH": str(REPO)})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "[]"


def test_a_rebuild_takes_every_formula_from_the_cache_and_imports_no_typesetter(tmp_path: Path) -> None:
    root = project(tmp_path, "## A\n\nInline $\\alpha^2 + \\frac{1}{x}$ and\n\n$$\n\\sum_{i=1}^n i\n$$\n\n"
                             "| a | b |\n| - | - |\n| $x_1$ | 2 |\n\n::: notes\nSay $E=mc^2$.\n:::\n")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from deckwright.build.pipeline import BuildOptions, build\n"
        f"result = build(BuildOptions(root=Path({str(root)!r}), formats={usable_formats()!r}, "
        f"out=Path({str(tmp_path / 'out')!r})))\n"
        "assert result.written, [str(d) for d in result.diagnostics]\n"
        "math = ('latex2mathml', 'ziamath', 'ziafont')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in math}))\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DECKWRIGHT_")}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                           cwd=REPO, env={**env, "PYTHONPATH": str(REPO)}) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr[-2000:] + runs[1].stderr[-2000:]
    assert runs[0].stdout.strip() == "['latex2mathml', 'ziafont', 'ziamath']"  # the first build typeset
    assert runs[1].stdout.strip() == "[]"


def test_a_formula_the_typesetter_refuses_is_a_warning_at_its_line_and_the_deck_builds(
        tmp_path: Path) -> None:
    deep = "\\left(" * 14 + "x" + "\\right)" * 14
    root = project(tmp_path, f"## A\n\nFine $x^2$.\n\n$${deep}$$\n")
    result = build(BuildOptions(root=root, formats=usable_formats(), out=tmp_path / "out"))
    assert result.written
    [found] = [str(d) for d in result.diagnostics if "nests stretchy fences" in d.message]
    assert found.startswith("slides/deck.md:5: warning: $$\\left(\\left(")
    assert found.endswith("more than 10 deep; the PDF shows its TeX source")
