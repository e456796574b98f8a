"""The package tree is the data flow: layers checked, no import cycles, no soft imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "deckwright"


def test_the_import_layers_hold() -> None:
    # Contracts in pyproject.toml: support < model < reading, layout < writers < build < serve < cli,
    # and no writer imports another.
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_layer_contract_catches_an_upward_import(tmp_path: Path) -> None:
    # A model module importing a writer must break the contract (the check can fail).
    copy = tmp_path / "repo"
    copy.mkdir()
    subprocess.run(["cp", "-r", str(PACKAGE), str(copy)], check=True)
    subprocess.run(["cp", str(REPO / "pyproject.toml"), str(copy)], check=True)
    bad = copy / "deckwright" / "model" / "upward.py"
    bad.write_text('"""An import that goes up."""\n\nfrom deckwright.writers.pptx import writer\n')
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=copy, capture_output=True, text=True, timeout=300,
                            env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0 and "broken" in result.stdout, result.stdout + result.stderr


def test_there_are_no_import_cycles() -> None:
    graph = grimp.build_graph("deckwright", cache_dir=None)
    cycles = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None:
                cycles.append(" -> ".join((module, *back)))
    assert cycles == []


def _soft_imports(path: Path) -> list[str]:
    """Imports inside a `try` whose handler swallows the failure (ImportError, Exception, bare)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Try):
            continue
        imports = [n for stmt in node.body for n in ast.walk(stmt)
                   if isinstance(n, ast.Import | ast.ImportFrom)]
        caught = {ast.unparse(h.type) if h.type else "" for h in node.handlers}
        if imports and caught & {"", "Exception", "BaseException", "ImportError", "ModuleNotFoundError"}:
            found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    return found


def test_a_soft_import_is_found(tmp_path: Path) -> None:
    probe = tmp_path / "deckwright" / "probe.py"
    probe.parent.mkdir()
    probe.write_text("try:\n    import fancy\nexcept ImportError:\n    fancy = None\n", encoding="utf-8")
    global REPO
    saved, REPO = REPO, tmp_path
    try:
        assert _soft_imports(probe) == ["deckwright/probe.py:1"]
    finally:
        REPO = saved


def test_no_import_is_soft() -> None:
    # A missing or broken module is an error, never a silent switch to another algorithm.
    soft = [hit for path in sorted(PACKAGE.rglob("*.py")) for hit in _soft_imports(path)]
    assert soft == []
    sources = {p: p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")}
    dynamic = sorted(str(p.relative_to(REPO)) for p, src in sources.items() if "import_module(" in src)
    # The one dynamic import: the writer registry loads a format's module only when it is built.
    assert dynamic == ["deckwright/writers/__init__.py"]


def test_no_module_imports_another_modules_private_names() -> None:
    # A name with a leading underscore is its module's own; another module needing it means the
    # function belongs in a public API (`deckwright check` once reached for pipeline._promote).
    private = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("deckwright"):
                private += [f"{path.relative_to(REPO)}:{node.lineno} {a.name}" for a in node.names
                            if a.name.startswith("_") and not a.name.startswith("__")]
    assert private == []


def test_modules_and_functions_stay_small() -> None:
    # Split by job, not by size, but a module over ~600 lines or a function over ~60 is doing two.
    big_modules, long_functions = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > 600:
            big_modules.append(str(path.relative_to(REPO)))
        for node in ast.walk(ast.parse(text)):
            if (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None
                    and node.end_lineno - node.lineno + 1 > 60):
                long_functions.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name}")
    assert big_modules == [] and long_functions == []


def test_every_module_says_its_one_job() -> None:
    # A one-line docstring naming the module's job (a module that needs "and" in it may be two).
    missing = [str(p.relative_to(REPO)) for p in sorted(PACKAGE.rglob("*.py"))
               if not (ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) or "").strip()]
    assert missing == []
