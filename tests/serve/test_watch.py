"""Watching: saves seen by the real watcher are rebuilt, and Ctrl-C ends `watch` cleanly."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from serve_helpers import (
    BROKEN,
    DECK,
    SECOND,
    Echo,
    clean_build,
    hidden,
    index_text,
    png,
    read_lines,
    save,
    snapshot,
    wait_until,
)
from testkit import REPO

from deckwright.build.pipeline import BuildOptions
from deckwright.serve.watch import run_watch
from deckwright.support.atomic import OUTPUT_MARKER

# --------------------------------------------------------------------------- the watcher


def test_broken_and_fixed_saves_through_the_real_watcher(project: Path, tmp_path: Path) -> None:
    echo, stop, ready = Echo(), threading.Event(), threading.Event()
    out, more = project / "dist", project / "slides/02-more.md"
    thread = threading.Thread(target=run_watch, args=(BuildOptions(root=project), stop, echo, ready.set))
    thread.start()
    try:
        assert ready.wait(30), echo
        for i in range(4):
            builds = echo.builds()
            if i % 2 == 0:
                save(more, BROKEN[i // 2][0])
                wait_until(lambda: echo.builds() > builds, what="a failed build")
                assert any(m.startswith("slides/02-more.md:3: error:") for m in echo)
                assert "Zeta" in index_text(out) or i == 0
            else:
                save(more, SECOND.replace("Zeta body", f"Zeta watched {i}"))
                wait_until(lambda i=i: f"Zeta watched {i}" in index_text(out), what="the fix")
        # deck.yaml sits in the root, watched flat: a saved deck.yaml (renamed over) is seen twice.
        for title in ("From deck.yaml", "From deck.yaml again"):
            save(project / "deck.yaml", f"title: {title}\n")
            wait_until(lambda title=title: f">{title}<" in index_text(out), what=title)
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()
    assert "deckwright: stopped" in echo
    assert hidden(out) == []
    assert snapshot(out) == clean_build(project, tmp_path / "clean")


def test_ctrl_c_ends_watch_cleanly(project: Path) -> None:
    proc = subprocess.Popen([sys.executable, "build.py", "watch", "--root", str(project),
                             "--format", "html", "--format", "pptx"],
                            cwd=REPO, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    seen: list[str] = []
    assert proc.stderr is not None
    threading.Thread(target=read_lines, args=(proc.stderr, lines), daemon=True).start()

    def wait_for(text: str) -> None:
        while not any(text in line for line in seen):
            seen.append(lines.get(timeout=60))

    try:
        wait_for("watching")
        save(project / "slides/02-more.md", SECOND.replace("Zeta", "Zed"))
        wait_for("html rebuilt")
        wait_for("html rebuilt in")
        proc.send_signal(signal.SIGINT)  # while the PPTX is (most likely) being built
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
    time.sleep(0.1)
    while not lines.empty():
        seen.append(lines.get())
    stderr = "".join(seen)
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert "deckwright: stopped" in stderr
    assert hidden(project / "dist") == []


TALK = """\
---
title: A named talk
slug: talk
---

## The only slide

Talk body from talk.md
"""


def test_watching_a_named_markdown_file_builds_that_file_in_every_format(project: Path) -> None:
    """`deckwright watch talk.md -f pdf`: the PDF (built by the child) is talk.md, not slides/*.md."""
    from pypdf import PdfReader

    talk = project / "talk.md"
    talk.write_text(TALK, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "deckwright.cli", "watch", str(talk), "--format", "pdf"],
                            cwd=REPO, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    seen: list[str] = []
    assert proc.stderr is not None
    threading.Thread(target=read_lines, args=(proc.stderr, lines), daemon=True).start()
    try:
        # The child's report: "<files> rebuilt in", or that it crashed or failed.
        while not any(".pdf rebuilt in" in line or " crashed " in line or "pdf failed" in line
                      for line in seen):
            seen.append(lines.get(timeout=120))
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
    stderr = "".join(seen)
    assert "deckwright: talk.pdf, talk-handout.pdf rebuilt in" in stderr, stderr
    out = project / "dist"
    assert sorted(p.name for p in out.iterdir() if p.name != OUTPUT_MARKER) == [
        "talk", "talk-handout.pdf", "talk.pdf"], \
        "nothing from slides/*.md"
    assert "Talk body from talk.md" in (out / "talk" / "index.html").read_text(encoding="utf-8")
    text = "".join(page.extract_text() for page in PdfReader(out / "talk.pdf").pages)
    assert "Talk body from talk.md" in text and "Alpha body" not in text


# --------------------------------------------------------------------------- what is a source


def test_watch_writing_its_log_into_the_root_does_not_rebuild_forever(project: Path) -> None:
    """`deckwright watch --root . > watch.log 2>&1`: each rebuild's message is a change in the root."""
    log = project / "watch.log"
    with log.open("w") as handle:
        proc = subprocess.Popen([sys.executable, "-m", "deckwright.cli", "watch", "--format", "html",
                                 "--root", str(project)], cwd=REPO, stdout=handle, stderr=handle)
        try:
            wait_until(lambda: "watching" in log.read_text(), timeout=60, what="the watcher")
            time.sleep(2.0)  # the old watcher rebuilt about 25 times a second here
            assert log.read_text().count("rebuilt in") == 1, log.read_text()
            save(project / "slides/02-more.md", SECOND.replace("Zeta", "Zed"))
            wait_until(lambda: log.read_text().count("rebuilt in") == 2, what="the edit's rebuild")
            time.sleep(1.0)
            assert log.read_text().count("rebuilt in") == 2, log.read_text()
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=30) == 0
        finally:
            proc.kill()
    assert "Traceback" not in log.read_text()


def test_only_sources_are_watched_not_outputs_logs_or_the_cache(make_project: Callable[..., Path],
                                                                tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from deckwright.support.diskcache import CACHE_DIR, DIR_ENV

    project = make_project({"slides/01-deck.md": DECK.replace("../assets/pic.png", "../root-pic.png"),
                            "slides/02-more.md": SECOND, "root-pic.png": png(), "assets/unused.txt": "",
                            "notes.txt": "not a source"})
    echo, stop, ready = Echo(), threading.Event(), threading.Event()
    out = project / "build"  # --out, inside the project
    # A cache folder inside the watched slides/ (every project's cache, not only this one's).
    monkeypatch.setenv(DIR_ENV, str(project / "slides" / "cache"))
    thread = threading.Thread(target=run_watch, args=(BuildOptions(root=project, out=out), stop, echo,
                                                      ready.set))
    thread.start()
    try:
        assert ready.wait(30), echo
        assert echo.builds() == 1
        not_sources = [project / "watch.log", project / "notes.txt", project / "dist" / "old.html",
                       out / "extra.html", project / CACHE_DIR / "ab" / "entry",
                       project / "slides" / "cache" / "ab" / "entry", project / ".git" / "index"]
        for i in range(3):
            for path in not_sources:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(f"written {i}\n")
            time.sleep(0.3)
        time.sleep(0.7)
        assert echo.builds() == 1, echo
        # Sources still are: a slide, a picture in the root that the deck shows, deck.yaml.
        save(project / "slides/02-more.md", SECOND.replace("Zeta body", "Zeta edited"))
        wait_until(lambda: "Zeta edited" in index_text(out), what="the slide's rebuild")
        builds = echo.builds()
        (project / "root-pic.png").write_bytes(png())
        wait_until(lambda: echo.builds() > builds, what="the picture's rebuild")
        builds = echo.builds()
        save(project / "deck.yaml", "title: From deck.yaml\n")
        wait_until(lambda: ">From deck.yaml<" in index_text(out), what="deck.yaml's rebuild")
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()


def test_a_named_deck_in_the_root_is_watched_and_the_rest_of_the_root_is_not(make_project: Callable[..., Path]
                                                                              ) -> None:
    from dataclasses import replace

    project = make_project({"talk.md": TALK})
    talk = project / "talk.md"
    options = replace(BuildOptions(root=project), sources=(talk,))
    echo, stop, ready = Echo(), threading.Event(), threading.Event()
    thread = threading.Thread(target=run_watch, args=(options, stop, echo, ready.set))
    thread.start()
    try:
        assert ready.wait(30), echo
        (project / "talk.log").write_text("not a source\n")
        time.sleep(1.0)
        assert echo.builds() == 1, echo
        save(talk, TALK.replace("Talk body", "Talk edited"))
        wait_until(lambda: "Talk edited" in (project / "dist/talk/index.html").read_text(), what="the edit")
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()


def test_a_picture_in_a_folder_of_its_own_is_watched_and_nothing_else_there(
        make_project: Callable[..., Path]) -> None:
    project = make_project({"slides/01-deck.md": DECK.replace("../assets/pic.png", "../images/pic.png"),
                            "images/pic.png": png()})
    echo, stop, ready = Echo(), threading.Event(), threading.Event()
    thread = threading.Thread(target=run_watch, args=(BuildOptions(root=project), stop, echo, ready.set))
    thread.start()
    try:
        assert ready.wait(30), echo
        (project / "images" / "notes.txt").write_text("not used by the deck\n")
        time.sleep(1.0)
        assert echo.builds() == 1, echo
        (project / "images" / "pic.png").write_bytes(png())
        wait_until(lambda: echo.builds() == 2, what="the picture's rebuild")
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()
