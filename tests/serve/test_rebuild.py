"""Rebuilding: incremental rebuilds equal clean builds, broken saves keep the last good deck, other
formats follow in a child process (only the newest edit), and a killed build leaves whole outputs."""

from __future__ import annotations

import dataclasses
import io
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from serve_helpers import (
    BROKEN,
    DECK,
    SECOND,
    SLUG,
    Echo,
    clean_build,
    hidden,
    index_text,
    png,
    save,
    snapshot,
)
from testkit import REPO

from deckwright.build.pipeline import BuildOptions
from deckwright.reading import project as project_module
from deckwright.serve.rebuild import BuildState, Rebuilder
from deckwright.support import memo as cache
from deckwright.support.atomic import OUTPUT_MARKER
from deckwright.writers.html import writer as html_writer

# --------------------------------------------------------------------------- incremental


def test_an_incremental_rebuild_equals_a_clean_build_and_reads_only_the_edited_file(
        tmp_path: Path) -> None:
    root = tmp_path / "workshop"
    for name in ("slides", "assets"):
        shutil.copytree(REPO / name, root / name)
    out = root / "dist"
    rebuilder = Rebuilder(BuildOptions(root=root, out=out), echo=Echo())
    assert not rebuilder.rebuild().failed(False)
    edited = sorted((root / "slides").glob("*.md"))[3]
    text = edited.read_text(encoding="utf-8")
    assert "Docker" in text
    memos = [cache.memo_of(project_module._parse_cached), cache.memo_of(project_module.read_tokens)]
    before = [(m.hits, m.misses) for m in memos]
    sections = html_writer._SECTIONS.misses
    save(edited, text.replace("Docker", "Dockerr", 1))
    assert not rebuilder.rebuild({edited}).failed(False)
    files = len(list((root / "slides").glob("*.md")))
    for memo, (hits, misses) in zip(memos, before, strict=True):
        assert (memo.hits - hits, memo.misses - misses) == (files - 1, 1), "only the edited file is read"
    assert html_writer._SECTIONS.misses - sections == 1, "only the edited slide is rendered again"
    assert snapshot(out) == clean_build(root, tmp_path / "clean1")
    # An edited image (not Markdown): its new bytes are in the deck, as after a clean build.
    svg = root / "assets" / "docker-stack.svg"
    svg.write_text(svg.read_text(encoding="utf-8").replace("</svg>", "<!-- edited --></svg>"))
    assert not rebuilder.rebuild({svg}).failed(False)
    assert snapshot(out) == clean_build(root, tmp_path / "clean2")
    assert hidden(out) == []


def test_a_missing_image_saved_later_is_found_on_the_next_rebuild(project: Path) -> None:
    echo = Echo()
    rebuilder = Rebuilder(BuildOptions(root=project), echo=echo)
    save(project / "slides/02-more.md", SECOND + "\n![late](../assets/late.png)\n")
    assert rebuilder.rebuild().failed(False)
    assert any("slides/02-more.md:9: error: image not found" in m for m in echo)
    (project / "assets/late.png").write_bytes(png())
    # Only an image changed: the cached reading of the unchanged Markdown must not be reused.
    assert not rebuilder.rebuild({project / "assets/late.png"}).failed(False)


def test_a_renamed_slug_leaves_no_stale_deck_behind(project: Path) -> None:
    rebuilder = Rebuilder(BuildOptions(root=project), echo=Echo())
    rebuilder.rebuild()
    save(project / "slides/01-deck.md", DECK.replace("slug: live-deck", "slug: renamed"))
    rebuilder.rebuild({project / "slides/01-deck.md"})
    assert sorted(p.name for p in (project / "dist").iterdir() if p.name != OUTPUT_MARKER) == ["renamed"]


# --------------------------------------------------------------------------- broken saves


def test_100_alternating_broken_and_fixed_saves_keep_the_last_good_deck(project: Path,
                                                                       tmp_path: Path) -> None:
    echo, state = Echo(), BuildState()
    rebuilder = Rebuilder(BuildOptions(root=project), state, echo)
    out, more = project / "dist", project / "slides/02-more.md"
    assert not rebuilder.rebuild().failed(False)
    for i in range(100):
        good = snapshot(out)
        good_generation = state.deck_generation
        if i % 2 == 0:
            text, line, message = BROKEN[(i // 2) % len(BROKEN)]
            save(more, text)
            echo.clear()
            assert rebuilder.rebuild({more}).failed(False)
            assert any(m.startswith(f"slides/02-more.md:{line}: error: ") and message in m
                       for m in echo), echo
            assert snapshot(out) == good, "a broken save must not touch dist/"
            assert not state.ok and state.deck_generation == good_generation
            assert any(f"slides/02-more.md:{line}: error:" in m for m in state.snapshot()["messages"])
        else:
            save(more, SECOND.replace("Zeta body", f"Zeta fixed {i}"))
            assert not rebuilder.rebuild({more}).failed(False)
            assert f"Zeta fixed {i}" in index_text(out)
            assert state.ok and state.deck_generation == state.generation
    assert hidden(out) == []
    assert snapshot(out) == clean_build(project, tmp_path / "clean")


def test_a_crash_inside_a_build_is_reported_and_watching_goes_on(project: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from deckwright.serve import rebuild as rebuild_module

    echo, state = Echo(), BuildState()
    rebuilder = Rebuilder(BuildOptions(root=project), state, echo)
    assert not rebuilder.rebuild().failed(False)
    real = rebuild_module.build

    def crash(options: BuildOptions, **_: Any) -> Any:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(rebuild_module, "build", crash)
    assert rebuilder.rebuild().failed(False)
    assert any("ZeroDivisionError: a bug" in m for m in echo) and not state.ok
    monkeypatch.setattr(rebuild_module, "build", real)
    assert not rebuilder.rebuild().failed(False) and state.ok


# --------------------------------------------------------------------------- other formats


def pptx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("ppt/slides/"))


def test_other_formats_follow_the_html_and_only_the_newest_edit_is_built(project: Path) -> None:
    echo = Echo()
    rebuilder = Rebuilder(BuildOptions(root=project, formats=("html", "pptx")), echo=echo)
    more = project / "slides/02-more.md"
    try:
        for i in range(3):
            save(more, SECOND.replace("Zeta body", f"Zeta version {i}"))
            start = time.perf_counter()
            rebuilder.rebuild({more})
            # The HTML is on disk before the PPTX (a separate process) could possibly be.
            assert f"Zeta version {i}" in index_text(project / "dist")
            assert time.perf_counter() - start < 5
        assert rebuilder.idle(120)
        pptx = project / "dist" / f"{SLUG}.pptx"
        assert "Zeta version 2" in pptx_text(pptx)
        assert hidden(project / "dist") == []
    finally:
        rebuilder.stop()


def test_stopping_during_a_background_build_leaves_no_temporaries(project: Path) -> None:
    rebuilder = Rebuilder(BuildOptions(root=project, formats=("html", "pptx")), echo=Echo())
    rebuilder.rebuild()
    time.sleep(0.3)  # the child has started
    rebuilder.stop()
    assert hidden(project / "dist") == []


def test_the_child_build_gets_every_option_whole(tmp_path: Path) -> None:
    """The options go to the child field by field, generically: none is dropped (sources once was)."""
    from deckwright.serve.rebuild import child_command, options_from_json

    sample = BuildOptions(root=tmp_path / "talks", formats=("pptx", "pdf"), out=tmp_path / "out",
                          strict=True, dialect="marp", allow_dirs=(tmp_path / "shared", tmp_path / "logos"),
                          parallel=True, sources=(tmp_path / "talks" / "talk.md", tmp_path / "extra.md"))
    for f in dataclasses.fields(BuildOptions):
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        # A field still at its default would round-trip even if it were dropped.
        assert getattr(sample, f.name) != default, f"give {f.name} a value other than its default here"
    for options in (sample, BuildOptions(root=tmp_path)):
        command = child_command(options)
        assert command[:3] == [sys.executable, "-m", "deckwright.serve.rebuild"]
        back = options_from_json(command[-1])
        for f in dataclasses.fields(BuildOptions):
            got, want = getattr(back, f.name), getattr(options, f.name)
            assert (f.name, got, type(got)) == (f.name, want, type(want))
            if isinstance(want, tuple):
                assert [type(v) for v in got] == [type(v) for v in want], f.name
        assert back == options


# --------------------------------------------------------------------------- atomic outputs


def visible(folder: Path) -> dict[str, bytes]:
    """The outputs, without the temporaries a killed build may leave (the next build removes them)."""
    return {k: v for k, v in snapshot(folder).items() if not any(p.startswith(".") for p in k.split("/"))}


@pytest.mark.parametrize("fmt", ["pptx", "html"])
def test_a_killed_build_leaves_the_old_output_or_the_whole_new_one(tmp_path: Path, fmt: str) -> None:
    root, out = tmp_path / "big", tmp_path / "out"
    subprocess.run([sys.executable, "benchmarks/generate.py", "300", str(root)], cwd=REPO, check=True,
                   capture_output=True)
    old = clean_build(root, out, fmt)
    deck = root / "slides/deck.md"
    deck.write_text(deck.read_text(encoding="utf-8") + "\n## One more slide\n\nNew text\n")
    start = time.perf_counter()
    new = clean_build(root, tmp_path / "reference", fmt)
    took = time.perf_counter() - start
    assert new != old
    outcomes = set()
    for fraction in (0.3, 0.6, 0.9, 1.3):
        shutil.rmtree(out)
        for rel, data in old.items():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_bytes(data)
        proc = subprocess.Popen([sys.executable, "-m", "deckwright.cli", "build", "--format", fmt,
                                 "--root", str(root), "--out", str(out)], cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(took * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        now = visible(out)
        assert now in (old, new), f"killed after {fraction:.0%} of a build: neither old nor new"
        for name, data in now.items():
            if name.endswith(".pptx"):
                assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
        outcomes.add("new" if now == new else "old")
    assert "old" in outcomes, "no kill landed during the build: the test proved nothing"
