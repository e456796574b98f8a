"""Time typesetting formulas (deckwright.layout.math) cold, from memory and from the disk cache.

    python benchmarks/math_typeset.py [N]

Each figure runs in a fresh process, so imports and font loading are counted where a build would
pay them. The research set is docs/math-research.md's (8 good formulas and 3 bad ones); the N
distinct formulas (100 by default) are variations of it, as a deck's would be.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

RESEARCH = [r"E=mc^2", r"\frac{a}{b}", r"\sum_{i=1}^{n} i^2", r"\begin{pmatrix}a & b\\ c & d\end{pmatrix}",
            r"\alpha+\beta=\gamma", r"\sqrt{x^2+1}", r"\int_0^\infty e^{-x}\,dx",
            r"\lim_{x\to0}\frac{\sin x}{x}", r"\foo + 1", r"\frac{a}{b", r"a}+b"]


def distinct(n: int) -> list[str]:
    return [f"{RESEARCH[i % 8]} + {i}" for i in range(n)]


CHILD = r"""
import json, sys, time
started = time.perf_counter()
from pathlib import Path
from deckwright.layout.math import typeset, pdf_path_ops, svg
from deckwright.support.diskcache import DiskCache, NO_CACHE
module = time.perf_counter() - started
formulas, folder = json.loads(sys.argv[1]), sys.argv[2]
cache = DiskCache(Path(folder)) if folder else NO_CACHE
imports = 0.0
if sys.argv[3] == "imports":
    t = time.perf_counter()
    import ziamath, latex2mathml.converter  # noqa
    imports = time.perf_counter() - t
times = []
for tex in formulas:
    t = time.perf_counter()
    typeset(tex, display=True, cache=cache)
    times.append(time.perf_counter() - t)
memory = []
for tex in formulas:
    t = time.perf_counter()
    typeset(tex, display=True, cache=cache)
    memory.append(time.perf_counter() - t)
loaded = any(n.startswith("ziamath") for n in sys.modules)
boxes = [typeset(tex, display=True, cache=cache)[0] for tex in formulas]
boxes = [b for b in boxes if b is not None]
t = time.perf_counter()
for b in boxes:
    pdf_path_ops(b, 10, 10, 28)
ops = (time.perf_counter() - t) / len(boxes)
t = time.perf_counter()
for b in boxes:
    svg(b, 56, "#000")
svgs = (time.perf_counter() - t) / len(boxes)
print(json.dumps({"module": module, "imports": imports, "times": times, "memory": memory, "ops": ops,
                  "svg": svgs, "total": time.perf_counter() - started,
                  "loaded": loaded}))
"""


def run(formulas: list[str], folder: str, mode: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", CHILD, json.dumps(formulas), folder, mode], check=True,
                         capture_output=True, text=True, cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": ""})
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def ms(value: float) -> str:
    return f"{value * 1000:.2f} ms"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    # Imports alone: a process that typesets nothing but imports ziamath.
    first = run(RESEARCH[:1], "", "imports")
    print(f"import ziamath + latex2mathml: {ms(first['imports'])}")  # type: ignore[arg-type]
    research = run(RESEARCH, "", "cold")
    times: list[float] = research["times"]  # type: ignore[assignment]
    print(f"research set cold, first formula (imports and font load included): {ms(times[0])}")
    rest = times[1:]
    print(f"research set cold, average of the other {len(rest)}: {ms(sum(rest) / len(rest))}")
    memory: list[float] = research["memory"]  # type: ignore[assignment]
    print(f"research set from memory, average: {ms(sum(memory) / len(memory))}")
    print(f"pdf_path_ops per formula: {ms(research['ops'])}, svg per formula: {ms(research['svg'])}")  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as folder:
        cold = run(distinct(n), folder, "cold")
        warm = run(distinct(n), folder, "warm")
    cold_times: list[float] = cold["times"]  # type: ignore[assignment]
    warm_times: list[float] = warm["times"]  # type: ignore[assignment]
    print(f"{n} distinct formulas cold (writing the disk cache): {ms(sum(cold_times))} in all, "
          f"{ms(sum(cold_times) / n)} each; process total {ms(cold['total'])}")  # type: ignore[arg-type]
    print(f"{n} distinct formulas warm (disk cache, new process): {ms(sum(warm_times))} in all, "
          f"{ms(sum(warm_times) / n)} each; module import {ms(warm['module'])}; "  # type: ignore[arg-type]
          f"ziamath imported: {warm['loaded']}")


if __name__ == "__main__":
    main()
