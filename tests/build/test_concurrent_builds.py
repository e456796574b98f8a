"""Builds into one output folder at once all succeed, each output whole: they take turns to put
their outputs in place and never remove each other's staging."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from testkit import PNG, REPO

from deckwright.build import outputs
from deckwright.cli import main
from deckwright.support import locking
from deckwright.support.atomic import OUTPUT_MARKER

SLIDES = 4
TALK = "---\ntitle: Race\n---\n\n" + "\n\n---\n\n".join(
    f"## Slide {i}\n\n- point {i}\n\n![whale](whale.png)" for i in range(SLIDES)) + "\n"
# The deck's slides: a title slide from the front matter, then these.
DECK = SLIDES + 1
NAMES = {"html": ["race"], "pptx": ["race.pptx"], "pdf": ["race.pdf", "race-handout.pdf"]}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    project = tmp_path / "race"
    (project / "slides").mkdir(parents=True)
    (project / "slides" / "01.md").write_text(TALK, encoding="utf-8")
    (project / "slides" / "whale.png").write_bytes(PNG)
    return project


# `deckwright build` in which every rename takes a while: the moments when builds put their outputs
# in place are milliseconds long and seldom meet by chance; stretched like this they overlap.
SLOW_RENAMES = """
import os, sys, time
rename = os.replace
def slow(*args, **kwargs):
    time.sleep(0.05)
    return rename(*args, **kwargs)
os.replace = slow
from deckwright.cli import main
main()
"""


def start(root: Path, formats: list[str], slow: bool = False) -> subprocess.Popen[str]:
    args = [a for fmt in formats for a in ("-f", fmt)]
    env = {**os.environ, "PYTHONPATH": str(REPO), "DECKWRIGHT_NO_CACHE": "1"}
    command = ["-c", SLOW_RENAMES] if slow else ["-m", "deckwright.cli"]
    return subprocess.Popen([sys.executable, *command, "build", "--root", str(root), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def assert_complete(dist: Path, formats: set[str]) -> None:
    """`dist` holds one whole, valid build of every format in `formats`, and nothing else."""
    expected = sorted(n for fmt in formats for n in NAMES[fmt])
    assert sorted(p.name for p in dist.iterdir()) == sorted([OUTPUT_MARKER, *expected])
    listed = outputs.written_here(dist)
    assert listed is not None and {n.rstrip("/") for n in listed} == set(expected)
    if "html" in formats:
        index = (dist / "race" / "index.html").read_text(encoding="utf-8")
        assert index.count("<section") >= DECK
        refs = set(re.findall(r'(?:src|href)="([^"#:]+)"', index))
        assert refs and all((dist / "race" / ref).is_file() for ref in refs), refs
        assert not [p for p in (dist / "race").rglob(".*") if p.name != OUTPUT_MARKER]
    if "pptx" in formats:
        from pptx import Presentation

        assert len(Presentation(str(dist / "race.pptx")).slides) == DECK
    if "pdf" in formats:
        from pypdf import PdfReader

        assert len(PdfReader(dist / "race.pdf").pages) == DECK
        assert len(PdfReader(dist / "race-handout.pdf").pages) >= 1


# Each round starts its builds together; a fresh dist/ first (every build makes the deck's folder
# at once), then one that holds a previous build (every build replaces it).
ROUNDS = [
    (True, [["html"], ["html"], ["html"], ["html"]]),
    (False, [["html"], ["html", "pptx"], ["pptx"], ["html"]]),
    (True, [["html"], ["html"], ["html", "pptx"], ["html"]]),
    (False, [["html", "pdf"], ["html"], ["pdf"], ["html"]]),
] * 2


def test_builds_into_one_folder_at_once_all_succeed_and_leave_one_whole_build(root: Path) -> None:
    dist = root / "dist"
    failures: list[str] = []
    built: set[str] = set()
    for number, (fresh, combos) in enumerate(ROUNDS):
        if fresh:
            shutil.rmtree(dist, ignore_errors=True)
            built = set()
        builds = [(combo, start(root, combo, slow=True)) for combo in combos]
        for combo, proc in builds:
            _, err = proc.communicate(timeout=300)
            if proc.returncode != 0 or "Traceback" in err:
                failures.append(f"round {number}, {'+'.join(combo)}: exit {proc.returncode}\n{err}")
        assert failures == []
        built |= {fmt for combo in combos for fmt in combo}
        assert_complete(dist, built)


def test_a_build_waits_while_another_puts_its_outputs_in_place_and_says_so(root: Path) -> None:
    dist = root / "dist"
    assert start(root, ["html"]).wait(timeout=120) == 0
    waiting = f"deckwright: waiting for another build into {dist} to finish"
    with locking.hold(dist, timeout=5):
        proc = start(root, ["html", "pptx"])
        assert proc.stderr is not None
        said = ""
        while waiting not in said and (line := proc.stderr.readline()):  # until it says so (or ends)
            said += line
        held = proc.poll() is None
    _, err = proc.communicate(timeout=120)
    assert waiting in said and held, said + err
    assert proc.returncode == 0, said + err
    assert_complete(dist, {"html", "pptx"})


def test_a_build_that_waits_too_long_fails_with_a_clear_error_and_writes_nothing(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert CliRunner().invoke(main, ["build", "--root", str(root)]).exit_code == 0
    before = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    monkeypatch.setattr(outputs, "LOCK_TIMEOUT", 0.5)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:  # another build, stuck with the lock
        with locking.hold(root / "dist", timeout=5):
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(10)
        result = CliRunner().invoke(main, ["build", "--root", str(root), "-f", "html", "-f", "pptx"])
    finally:
        release.set()
        holder.join()
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert f"error: another build into {root / 'dist'} has not finished in" in result.stderr
    assert "nothing was written" in result.stderr
    after = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert after == before


def test_a_staging_still_locked_by_a_worker_of_a_killed_build_is_kept(tmp_path: Path) -> None:
    # Its build (pid in the name) is dead, but a worker it forked still writes into it.
    out = tmp_path / "dist"
    orphaned = out / ".deckwright-build.999999999.x.tmp"
    orphaned.mkdir(parents=True)
    worker = locking.own(orphaned)
    assert worker is not None
    try:
        with outputs.staging_folder(out):
            assert orphaned.is_dir()
    finally:
        os.close(worker)
    with outputs.staging_folder(out):
        assert not orphaned.exists()  # now nothing holds it: left over
