"""Hostile YAML via the CLI, in every file that holds YAML: path:line diagnostics, no traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from testkit import REPO, usable_formats

from deckwright.support.packaged import THEMES_DIR

TABLE = "columns:\n  - {id: a, label: A}\nrows:\n  - id: r\n    label: R\n    values: {a: x}\n"
SLIDE = "## Slide\n\ntext\n"


def _front_matter(root: Path, block: str) -> tuple[str, int]:
    (root / "slides" / "01.md").write_text(f"---\n{block}\n---\n\n{SLIDE}", encoding="utf-8")
    return "slides/01.md", 2


def _deck_yaml(root: Path, block: str) -> tuple[str, int]:
    (root / "deck.yaml").write_text(f"{block}\n", encoding="utf-8")
    (root / "slides" / "01.md").write_text(SLIDE, encoding="utf-8")
    return "deck.yaml", 1


def _data_file(root: Path, block: str) -> tuple[str, int]:
    (root / "slides" / "data").mkdir()
    (root / "slides" / "data" / "t.yaml").write_text(f"{block}\n{TABLE}", encoding="utf-8")
    (root / "slides" / "01.md").write_text(f"{SLIDE}\n```table t\n```\n", encoding="utf-8")
    return "slides/data/t.yaml", 1


def _table_fence(root: Path, block: str) -> tuple[str, int]:
    (root / "slides" / "data").mkdir()
    (root / "slides" / "data" / "t.yaml").write_text(TABLE, encoding="utf-8")
    (root / "slides" / "01.md").write_text(f"{SLIDE}\n```table t\n{block}\n```\n", encoding="utf-8")
    return "slides/01.md", 6


def _theme_yaml(root: Path, block: str) -> tuple[str, int]:
    shutil.copytree(THEMES_DIR / "default", root / "themes" / "corp")
    theme = root / "themes" / "corp" / "theme.yaml"
    body = "\n".join(line for line in theme.read_text(encoding="utf-8").split("\n")
                     if not line.startswith("name:"))
    theme.write_text(f"{block}\n{body}", encoding="utf-8")
    (root / "deck.yaml").write_text("theme: corp\n", encoding="utf-8")
    (root / "slides" / "01.md").write_text(SLIDE, encoding="utf-8")
    return "themes/corp/theme.yaml", 1


ENTRY_POINTS = {"front matter": _front_matter, "deck.yaml": _deck_yaml, "data file": _data_file,
                "table fence": _table_fence, "theme.yaml": _theme_yaml}
# A key each file takes as text, drawn on a slide where it can be (the theme's name is not).
TEXT_KEY = {"front matter": "title", "deck.yaml": "title", "data file": "caption", "table fence": "caption",
            "theme.yaml": "name"}

HOSTILE = {
    "impossible date": "2026-02-30",
    "year zero": "0000-00-00",
    "integer printed as 4,816 digits": "0x" + "f" * 4000,
    "nested 1,000 deep": "[" * 1000 + "]" * 1000,
}


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "deckwright.cli", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def _project(tmp_path: Path, entry: str, block: str) -> tuple[Path, str, int]:
    root = tmp_path / "project"
    (root / "slides").mkdir(parents=True)
    path, line = ENTRY_POINTS[entry](root, block)
    return root, path, line


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_yaml_is_one_error_at_its_line_and_exit_1(entry: str, case: str, tmp_path: Path) -> None:
    root, path, line = _project(tmp_path, entry, f"# first a comment\n{TEXT_KEY[entry]}: {HOSTILE[case]}")
    done = _run(root, "check")
    assert "Traceback" not in done.stderr
    assert done.returncode == 1
    errors = [row for row in done.stderr.splitlines() if ": error: " in row]
    assert len(errors) == 1 and errors[0].startswith(f"{path}:{line + 1}: error: "), done.stderr


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_duplicate_key_is_a_warning_naming_both_lines(entry: str, tmp_path: Path) -> None:
    key = TEXT_KEY[entry]
    root, path, line = _project(tmp_path, entry, f"{key}: first\n{key}: second")
    done = _run(root, "check")
    assert "Traceback" not in done.stderr and done.returncode == 0
    assert (f"{path}:{line + 1}: warning: duplicate key '{key}' (first at line {line}); the last one is used"
            in done.stderr.splitlines())
    assert _run(root, "check", "--strict").returncode == 1


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_escapes_no_file_can_hold_are_removed_and_every_output_is_written(entry: str, tmp_path: Path) -> None:
    # A lone surrogate crashed the HTML and PPTX writers (no UTF-8 for it) and the PDF text layout;
    # U+2029 crashed the text layout of every output.
    root, path, line = _project(tmp_path, entry, f'{TEXT_KEY[entry]}: "Half \\ud800 a pair\\u2029\\x85 end"')
    formats = usable_formats()
    out = tmp_path / "out"
    done = _run(root, "build", *(arg for name in formats for arg in ("-f", name)), "--out", str(out))
    assert "Traceback" not in done.stderr and done.returncode == 0, done.stderr
    assert (f"{path}:{line}: warning: removed 2 character(s) (U+D800, U+0085) that slides cannot hold"
            in done.stderr.splitlines())
    written = {p.suffix for p in out.rglob("*")}
    assert written >= {f".{name}" for name in formats}
