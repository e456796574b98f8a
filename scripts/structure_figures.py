"""Print the engine's structure figures: modules, the largest modules and the longest functions."""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def main(root: Path) -> None:
    modules = sorted(root.rglob("*.py"))
    sizes = sorted(((len(p.read_text(encoding="utf-8").splitlines()), str(p)) for p in modules), reverse=True)
    functions = []
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
                functions.append((node.end_lineno - node.lineno + 1, f"{path}:{node.lineno} {node.name}"))
    functions.sort(reverse=True)
    print(f"modules: {len(modules)}")
    print("largest:", ", ".join(f"{name} ({n})" for n, name in sizes[:5]))
    print(f"modules over 600 lines: {sum(n > 600 for n, _ in sizes)}")
    print("longest functions:", ", ".join(f"{name} ({n})" for n, name in functions[:5]))
    print(f"functions over 60 lines: {sum(n > 60 for n, _ in functions)}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "deckwright"))
