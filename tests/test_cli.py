"""`deckwright check` from the command line: exit 0 when good, 1 with path:line errors, 2 on bad usage."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from testkit import PNG, ProjectFactory

from deckwright.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_check_passes_on_a_good_project(make_project: ProjectFactory) -> None:
    root = make_project({"slides/01.md": "---\ntitle: T\n---\n\n## One\n\ntext\n\n---\n\n## Two\n"})
    code, out, err = run("check", "--root", str(root))
    assert code == 0, err
    assert "ok, 3 slides (0 errors, 0 warnings)" in out
    assert err == ""


def test_check_fails_with_every_error_as_path_line(make_project: ProjectFactory) -> None:
    root = make_project({
        "slides/01.md": "## One\n\n<!-- layout: nope -->\n\n![gone](gone.png)\n",
        "slides/02.md": "::: notes\nnever closed\n",
    })
    code, _, err = run("check", "--root", str(root))
    assert code == 1
    errors = [line for line in err.splitlines() if re.match(r"^\S+:\d+: error: ", line)]
    assert [e.split(": error:")[0] for e in errors] == ["slides/01.md:3", "slides/01.md:5", "slides/02.md:1"]
    assert "check failed (3 errors, 0 warnings)" in err


def test_check_strict_fails_on_warnings(make_project: ProjectFactory) -> None:
    root = make_project({"slides/01.md": "## One\n\n![](pic.png)\n", "slides/pic.png": PNG})
    assert run("check", "--root", str(root))[0] == 0
    code, _, err = run("check", "--strict", "--root", str(root))
    assert code == 1
    assert "slides/01.md:3: error: image has no alt text: pic.png" in err


def test_check_bad_usage_exits_2(make_project: ProjectFactory) -> None:
    assert run("check", "--no-such-option")[0] == 2
    assert run("check", "--dialect", "klingon")[0] == 2
    root = make_project({})
    (root / "slides").rmdir()
    code, _, err = run("check", "--root", str(root))
    assert code == 2 and "no slides/ directory" in err


def test_markdown_files_named_on_the_command_line_are_the_deck(tmp_path: Path) -> None:
    """A Marp/reveal-md/pandoc user builds one file where it is, without a slides/ folder."""
    (tmp_path / "talk.md").write_text("---\nmarp: true\n---\n\n# One\n\n---\n\n# Two\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "talk.md"), "-f", "pptx"])
    assert result.exit_code == 0, result.output
    from pptx import Presentation

    deck = Presentation(str(tmp_path / "dist" / "deck.pptx"))
    assert [s.shapes.title.text for s in deck.slides] == ["One", "Two"]
    missing = CliRunner().invoke(main, ["check", "--root", str(tmp_path)])
    assert missing.exit_code == 2 and "no slides/ directory" in missing.output


def test_a_build_run_as_a_process_exits_normally_so_atexit_handlers_run(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "slides").mkdir()
    (tmp_path / "slides" / "intro.md").write_text("# Hello\n\n## One\n\nText\n", encoding="utf-8")
    marker = tmp_path / "atexit-ran"
    script = ("import atexit, pathlib, sys\n"
              f"atexit.register(lambda: pathlib.Path({str(marker)!r}).write_text('yes'))\n"
              "from deckwright.cli import entry\n"
              f"entry(['build', '-f', 'html', '--root', {str(tmp_path)!r}])\n")
    repo = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=repo, env={**os.environ, "PYTHONPATH": str(repo)})
    assert done.returncode == 0, done.stderr
    assert "deckwright: wrote" in done.stdout and (tmp_path / "dist" / "deck" / "index.html").is_file()
    assert marker.read_text() == "yes"
