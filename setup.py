"""Wheel build hook: copies the reveal.js files the HTML writer loads from node_modules into the package."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.errors import FileError

HERE = Path(__file__).resolve().parent
NODE_REVEAL = HERE / "node_modules" / "reveal.js"


def _literal(module: str, name: str) -> object:
    """A constant assigned in one of the package's modules, read without importing it: the build
    environment has setuptools only, not deckwright's dependencies, and the list stays in one place."""
    tree = ast.parse((HERE / module).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name
                                                for t in node.targets):
            return ast.literal_eval(node.value)
    raise FileError(f"{module} no longer assigns {name}, which setup.py reads")


def _reveal_files() -> tuple[Path, list[str]]:
    """Where the vendored copy goes inside the package, and the files to copy there."""
    files = _literal("deckwright/writers/html/writer.py", "REVEAL_FILES")
    vendor = _literal("deckwright/support/packaged.py", "REVEAL_VENDOR")
    if not (isinstance(files, tuple) and isinstance(vendor, str)):
        raise FileError("REVEAL_FILES must be a tuple and REVEAL_VENDOR a string")
    return Path("deckwright", *vendor.split("/")), [str(f) for f in files]


def _check_pinned_reveal(files: list[str]) -> None:
    """node_modules/reveal.js must be complete and the version package-lock.json pins: a stale
    install left by an older lockfile would otherwise end up in the wheel unnoticed."""
    if not NODE_REVEAL.is_dir():
        raise FileError(f"{NODE_REVEAL} is missing: run `npm ci` in {HERE} before building the wheel "
                        "(it ships reveal.js from the npm package the lockfile pins)")
    missing = [rel for rel in files if not (NODE_REVEAL / rel).is_file()]
    if missing:
        raise FileError(f"{NODE_REVEAL} lacks {', '.join(missing)}: run `npm ci` in {HERE} before "
                        "building the wheel (it ships reveal.js from the npm package the lockfile pins)")
    lock = json.loads((HERE / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/reveal.js"]["version"]
    installed = json.loads((NODE_REVEAL / "package.json").read_text(encoding="utf-8"))["version"]
    if installed != pinned:
        raise FileError(f"{NODE_REVEAL} is version {installed}, package-lock.json pins {pinned}: "
                        f"run `npm ci` in {HERE} before building the wheel")


class BuildPyWithReveal(build_py):
    """build_py, then the reveal.js files into <build_lib>/deckwright/writers/html/vendor/reveal.js."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            # An editable install runs from the checkout, where find_reveal uses node_modules.
            return
        vendor, files = _reveal_files()
        _check_pinned_reveal(files)
        target = Path(self.build_lib) / vendor
        if target.exists():
            shutil.rmtree(target)  # build/ is reused between builds: no file of an older copy stays
        for rel in files:
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(NODE_REVEAL / rel, dest)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs: list[str] = super().get_outputs(include_bytecode)
        if self.editable_mode:
            return outputs
        vendor, files = _reveal_files()
        return [*outputs, *(str(Path(self.build_lib) / vendor / rel) for rel in files)]


setup(cmdclass={"build_py": BuildPyWithReveal})
