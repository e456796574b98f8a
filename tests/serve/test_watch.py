"""Watching: saves seen by the real watcher are rebuilt, and Ctrl-C ends `watch` cleanly."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from serve_helpers import (
    BROKEN,
    SECOND,
    Echo,
    clean_build,
    hidden,
    index_text,
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
