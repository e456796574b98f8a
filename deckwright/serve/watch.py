"""Watch the sources and rebuild after every batch of saved changes, until Ctrl-C."""

from __future__ import annotations

import contextlib
import queue
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from deckwright.build.pipeline import BuildOptions
from deckwright.diagnostics import display_path
from deckwright.serve.rebuild import Builder, BuildState, Rebuilder

# Editors' swap, backup and temporary files, and ours (atomic.py), are not edits.
_SCRATCH_SUFFIXES = (".tmp", ".swp", ".swx", ".part", "~")



def watched_paths(options: BuildOptions) -> tuple[list[Path], list[Path]]:
    """(folders watched with their subfolders, folders watched for their own files only).

    The project root is watched flat, for deck.yaml: watching a single file loses it after an
    editor saves by renaming a new file over it.
    """
    root = options.root
    deep = [root / name for name in ("slides", "themes", "assets") if (root / name).is_dir()]
    deep += [d for d in options.allow_dirs if d.is_dir()]
    return deep, [root]


def source_filter(out_dir: Path) -> Callable[[Any, str], bool]:
    """Keep changes to sources: not editors' scratch files, version control or our own outputs."""
    from watchfiles import DefaultFilter

    default = DefaultFilter()
    out = out_dir.resolve()

    def keep(change: Any, path: str) -> bool:
        p = Path(path)
        if p.name.startswith((".", "#")) or p.name.endswith(_SCRATCH_SUFFIXES):
            return False
        if p.resolve().is_relative_to(out):
            return False
        return bool(default(change, path))

    return keep


class SourceWatcher:
    """Watches the sources from threads; `batches` yields sets of changed files, a burst as one.

    Entering waits until the watchers run, so no save made after it is missed.
    """

    def __init__(self, options: BuildOptions, debounce_ms: int = 50) -> None:
        deep, flat = watched_paths(options)
        self.groups = [(deep, True), (flat, False)] if deep else [(flat, False)]
        self.keep = source_filter(options.out_dir)
        self.debounce_ms = debounce_ms
        self._queue: queue.Queue[set[Path]] = queue.Queue()
        self._halt = threading.Event()
        self._ready = [threading.Event() for _ in self.groups]
        self._threads = [threading.Thread(target=self._watch, args=(*group, ready), daemon=True,
                                          name="deckwright-watch")
                         for group, ready in zip(self.groups, self._ready, strict=True)]

    def __enter__(self) -> SourceWatcher:
        for thread in self._threads:
            thread.start()
        for ready in self._ready:
            ready.wait(timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        self._halt.set()
        for thread in self._threads:
            thread.join(timeout=5)

    def _watch(self, paths: list[Path], recursive: bool, ready: threading.Event) -> None:
        from watchfiles import watch

        # The first (possibly empty, on timeout) yield tells that the watcher is set up.
        for batch in watch(*paths, watch_filter=self.keep, debounce=self.debounce_ms, step=10,
                           stop_event=self._halt, recursive=recursive, raise_interrupt=False,
                           rust_timeout=200, yield_on_timeout=True):
            ready.set()
            changed = {Path(p) for _, p in batch}
            if not recursive:  # the root's own files (deck.yaml), not its folders
                changed = {p for p in changed if not p.is_dir()}
            if changed:
                self._queue.put(changed)

    def batches(self, stop: threading.Event) -> Iterator[set[Path]]:
        """Changed files, until `stop` is set; saves made during a rebuild come as one more set."""
        while not stop.is_set():
            try:
                changed = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            while not self._queue.empty():
                changed |= self._queue.get_nowait()
            yield changed


@contextlib.contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C (or SIGTERM) sets `stop`, so the build in progress finishes and outputs stay whole.

    A second Ctrl-C interrupts at once. Only the main thread can handle signals; elsewhere
    (tests running the watcher in a thread) this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(signum: int, frame: object) -> None:
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def watch_loop(options: BuildOptions, builder: Builder, stop: threading.Event,
               echo: Callable[[str], None] = print, ready: Callable[[], None] | None = None) -> None:
    """Build once, then after every batch of changes, until `stop` is set.

    The watchers run before the first build, so a save made during it is not missed.
    """
    with SourceWatcher(options) as watcher:
        builder(None)
        deep, _flat = watched_paths(options)
        shown = [display_path(p, options.root) for p in deep] + ["deck.yaml"]
        echo(f"deckwright: watching {', '.join(shown)} (Ctrl-C to stop)")
        if ready is not None:
            ready()
        for changed in watcher.batches(stop):
            builder(changed)


def run_watch(options: BuildOptions, stop: threading.Event | None = None,
              echo: Callable[[str], None] = print, ready: Callable[[], None] | None = None) -> None:
    """Rebuild after every batch of saved changes until `stop` is set or Ctrl-C."""
    stop = stop or threading.Event()
    rebuilder = Rebuilder(options, BuildState(), echo)
    with stop_on_signals(stop):
        try:
            watch_loop(options, rebuilder.rebuild, stop, echo, ready)
        finally:
            rebuilder.stop()
    echo("deckwright: stopped")
