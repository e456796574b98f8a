"""Time building a 40-slide deck with 100 formulas against the same deck without math, cold and warm.

    python benchmarks/math_deck.py [--runs 3] [--slides 40] [--formulas 100]

Both decks are written by this script, byte for byte the same except that in the plain one every
formula is a few words of text of about its length. Each build is `deckwright build --format all`
in a fresh process: "cold" with no project cache (every formula typeset, every code block
highlighted), "warm" a rebuild after one edit-free build (what `watch` does after a save). The
median of --runs builds of each is printed, with the ratios the math issue sets: cold at most
1.5x, warm at most 1.1x the plain deck.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Formulas of the kinds slides hold: inline symbols, fractions, sums and limits, matrices, Greek.
INLINE = [r"E = mc^2", r"x_{i+1}", r"\alpha + \beta = \gamma", r"O(n \log n)", r"\sqrt{2}",
          r"a^2 + b^2 = c^2", r"p \le 0.05", r"\lambda_{max}"]
DISPLAY = [r"\frac{a + b}{c - d}", r"\sum_{i=1}^{n} i^2 = \frac{n(n+1)(2n+1)}{6}",
           r"\lim_{x \to 0} \frac{\sin x}{x} = 1", r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}",
           r"\int_0^\infty e^{-x^2}\,dx = \frac{\sqrt{\pi}}{2}", r"\mu = \frac{1}{N}\sum_{k=1}^{N} x_k"]


def deck(slides: int, formulas: int, math: bool) -> str:
    """The deck's Markdown: `formulas` distinct formulas spread over `slides` slides."""
    out = ["---", "title: Math benchmark", "slide_level: 2", "---", ""]
    per_slide = -(-formulas // slides)
    made = 0
    for s in range(slides):
        out += [f"## Slide {s + 1}", ""]
        for k in range(per_slide):
            if made == formulas:
                break
            n = made
            made += 1
            if k % 3 == 2:  # every third formula is display math
                tex = f"{DISPLAY[n % len(DISPLAY)]} + {n}"
                out += [f"$${tex}$$" if math else _words(tex), ""]
            else:
                tex = f"{INLINE[n % len(INLINE)]} + {n}"
                shown = f"${tex}$" if math else _words(tex)
                out += [f"- Step {n}: the value {shown} holds for the container's {n % 7} layers", ""]
        out += ["::: notes", f"Say why slide {s + 1} matters.", ":::", ""]
    return "\n".join(out)


def _words(tex: str) -> str:
    """Plain text of about the formula's length, without math."""
    return " ".join(["value"] * max(1, len(tex) // 6))


def build(root: Path, out: Path, *, cold: bool) -> float:
    if cold:
        shutil.rmtree(root / ".deckwright-cache", ignore_errors=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")
    env.pop("DECKWRIGHT_NO_CACHE", None)
    env.pop("DECKWRIGHT_CACHE_DIR", None)
    started = time.perf_counter()
    command = [sys.executable, "-m", "deckwright.cli", "build", "--format", "all", "--root", str(root),
               "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"build of {root.name} failed:\n{done.stderr}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--slides", type=int, default=40)
    parser.add_argument("--formulas", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        times: dict[tuple[str, str], list[float]] = {}
        roots = {}
        for name, math in (("math", True), ("plain", False)):
            root = Path(tmp) / name
            (root / "slides").mkdir(parents=True)
            (root / "slides" / "deck.md").write_text(deck(args.slides, args.formulas, math), encoding="utf-8")
            roots[name] = root
        for _ in range(args.runs):  # interleaved, so both decks see the same machine load
            for name, root in roots.items():
                times.setdefault((name, "cold"), []).append(build(root, root / "dist", cold=True))
                times.setdefault((name, "warm"), []).append(build(root, root / "dist", cold=False))
    med = {key: statistics.median(v) for key, v in times.items()}
    print(f"{args.slides} slides, {args.formulas} formulas, `build --format all`, median of {args.runs}")
    print(f"{'':6} {'plain':>8} {'math':>8} {'ratio':>6} {'budget':>6}")
    for kind, budget in (("cold", 1.5), ("warm", 1.1)):
        plain, math = med[("plain", kind)], med[("math", kind)]
        ratio = math / plain
        verdict = "ok" if ratio <= budget else "OVER"
        print(f"{kind:6} {plain:7.2f}s {math:7.2f}s {ratio:6.2f} {budget:6.1f} {verdict}")


if __name__ == "__main__":
    main()
