"""What the watch, rebuild and serve tests share: a small live deck, editors' saves, snapshots of dist/."""

from __future__ import annotations

import io
import os
import queue
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from testkit import REPO

from deckwright.support.atomic import OUTPUT_MARKER

SLUG = "live-deck"
DECK = """\
---
title: Live deck
slug: live-deck
---

## Alpha

Alpha body

## Beta

Beta body

## Gamma

Gamma body

![A small picture](../assets/pic.png)

## Delta

Delta body
"""
SECOND = """\
## Epsilon

Epsilon body

## Zeta

Zeta body
"""
# Broken edits of slides/02-more.md and the line each error is reported at.
BROKEN = [
    ("## Epsilon\n\n::: columns\n\nleft\n", 3, "is never closed"),
    ("## Epsilon\n\n![gone](missing.png)\n", 3, "image not found: missing.png"),
    ("---\ntitle: [unclosed\n---\n\n## Epsilon\n", 2, ""),
]


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def save(path: Path, text: str) -> None:
    """Save as many editors do: write a temporary file beside it, then rename it over the file."""
    tmp = path.with_name(f".{path.name}.swp.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every output file with its bytes (the output markers are bookkeeping, not outputs)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != OUTPUT_MARKER}


def hidden(folder: Path) -> list[str]:
    """Temporaries and set-aside folders (atomic.py names them `.name…`); the output markers are meant."""
    return [p.relative_to(folder).as_posix() for p in folder.rglob(".*") if p.name != OUTPUT_MARKER]


def clean_build(root: Path, out: Path, *formats: str) -> dict[str, bytes]:
    """A build by a fresh process: nothing cached."""
    args = [a for f in formats or ("html",) for a in ("--format", f)]
    subprocess.run([sys.executable, "-m", "deckwright.cli", "build", *args, "--root", str(root),
                    "--out", str(out)], check=True, cwd=REPO, capture_output=True)
    return snapshot(out)


class Echo(list[str]):
    """Collects what the watcher prints."""

    def __call__(self, text: str) -> None:
        self.append(text)

    def builds(self) -> int:
        return sum(1 for m in self if "rebuilt in" in m or "build failed" in m)


def wait_until(check: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what or check}")


def index_text(out: Path) -> str:
    return (out / SLUG / "index.html").read_text(encoding="utf-8")


def read_lines(stream: Iterable[str], into: queue.Queue[str]) -> None:
    """Copy a child's output into a queue, line by line (read from a thread)."""
    for line in stream:
        into.put(line)
