"""Watch the sources and rebuild after every batch of saved changes, until Ctrl-C."""

from __future__ import annotations

import contextlib
import queue
import signal
import threading
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any

from deckwright.build.pipeline import BuildOptions
from deckwright.diagnostics import display_path
from deckwright.model.deck import deck_images
from deckwright.reading.project import CONFIG_NAME
from deckwright.serve.rebuild import Builder, BuildState, Rebuilder
from deckwright.support.diskcache import cache_folders

# Editors' swap, backup and temporary files, and ours (atomic.py), are not edits.
_SCRATCH_SUFFIXES = (".tmp", ".swp", ".swx", ".part", "~")


def watched_paths(options: BuildOptions) -> tuple[list[Path], list[Path]]:
    """(folders watched with their subfolders, folders watched for their own files only).

    The project root is watched flat, for deck.yaml (and a deck named on the command line, and
    files the deck uses from there): watching a single file loses it after an editor saves by
    renaming a new file over it. A named deck outside slides/ has its folder watched flat too.
    """
    root = options.root
    deep = [root / name for name in ("slides", "themes", "assets") if (root / name).is_dir()]
    deep += [d for d in options.allow_dirs if d.is_dir()]
    flat = [root]
    for source in options.sources:
        if source.parent not in flat and not any(source.is_relative_to(d) for d in deep):
            flat.append(source.parent)
    return deep, flat


def ignored_folders(options: BuildOptions) -> list[Path]:
    """Folders whose changes are never edits: the outputs (and the staging folder in them), the
    disk cache and version control. A build writes into the first two, so watching them would
    rebuild forever."""
    root = options.root
    folders = [options.out_dir, *cache_folders(root), root / ".git"]
    # As named and where a symbolic link leads: a change is reported under the name watched.
    return list(dict.fromkeys([*folders, *(f.resolve() for f in folders)]))


def used_files(result: object) -> frozenset[Path]:
    """The files a build's deck reads besides its slide files: pictures, the theme's logo, fonts
    and reference .pptx (none when the build did not get that far)."""
    from deckwright.build.pipeline import BuildResult

    if not isinstance(result, BuildResult) or result.deck is None:
        return frozenset()
    files = {path for path, _ref in deck_images(result.deck)}
    theme = result.theme
    if theme is not None:
        files |= {p for p in (theme.logo, theme.reference_pptx) if p is not None}
        files |= {p for spec in theme.fonts.values() for p in spec.files.values()}
    return frozenset(files)


def both_forms(paths: Collection[Path]) -> frozenset[Path]:
    """Each path as named and where a symbolic link leads (a change comes under either)."""
    return frozenset({*paths, *(p.resolve() for p in paths)})


def source_filter(options: BuildOptions,
                  used: Callable[[], Collection[Path]] = frozenset) -> Callable[[Any, str], bool]:
    """Keep changes to sources only: not editors' scratch files, version control, our outputs or
    cache. In the root (and a named deck's folder) only deck.yaml, the named deck and the files
    the last build used (`used`) are sources: a log file written there is not an edit."""
    from watchfiles import DefaultFilter

    default = DefaultFilter()
    deep, flat = watched_paths(options)
    ignored = ignored_folders(options)
    flat_folders = set(flat) | {f.resolve() for f in flat}
    named = both_forms([options.root / CONFIG_NAME, *options.sources])

    def keep(change: Any, path: str) -> bool:
        p = Path(path)
        if p.name.startswith((".", "#")) or p.name.endswith(_SCRATCH_SUFFIXES):
            return False
        resolved = p.resolve()
        if any(p.is_relative_to(f) or resolved.is_relative_to(f) for f in ignored):
            return False
        # A file directly in the root is judged by name even when an --allow-dir holds the root.
        if p.parent in flat_folders or not any(p.is_relative_to(d) for d in deep):
            wanted = used()
            if not (p in named or resolved in named or p in wanted or resolved in wanted):
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
        self.root = options.root.resolve()
        self._deep = list(both_forms(deep))
        self._flat = set(both_forms(flat))
        self._ignored = ignored_folders(options)
        # The files the last build used outside the watched folders (see `follow`).
        self.used: frozenset[Path] = frozenset()
        self.keep = source_filter(options, lambda: self.used)
        self.debounce_ms = debounce_ms
        self._queue: queue.Queue[set[Path]] = queue.Queue()
        self._halt = threading.Event()
        self._ready = [threading.Event() for _ in self.groups]
        self._threads = [threading.Thread(target=self._watch, args=(*group, ready), daemon=True,
                                          name="deckwright-watch")
                         for group, ready in zip(self.groups, self._ready, strict=True)]

    def follow(self, result: object) -> None:
        """Count the files this build used (pictures in the root, say) as sources from now on.

        Added to those of earlier builds: a build that failed before reading its pictures must
        not stop the watcher seeing the picture whose fix makes it build again.
        """
        self.used = self.used | both_forms(used_files(result))
        # A picture in a folder of the project nothing watches yet (images/, say): watch that
        # folder too, for its own files (the filter keeps only those the deck uses).
        folders = sorted({p.parent for p in self.used if self._unwatched(p.parent)})
        if folders:
            self._flat |= both_forms(folders)
            ready = threading.Event()
            thread = threading.Thread(target=self._watch, args=(folders, False, ready), daemon=True,
                                      name="deckwright-watch")
            self._threads.append(thread)
            thread.start()
            ready.wait(timeout=10)

    def _unwatched(self, folder: Path) -> bool:
        """A folder of the project (not the outputs, not the cache) that no watcher covers."""
        return (folder not in self._flat and folder.is_relative_to(self.root) and folder.is_dir()
                and not any(folder.is_relative_to(d) for d in (*self._deep, *self._ignored)))

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
        watcher.follow(builder(None))
        deep, _flat = watched_paths(options)
        shown = [display_path(p, options.root) for p in (*deep, *options.sources)] + [CONFIG_NAME]
        echo(f"deckwright: watching {', '.join(shown)} (Ctrl-C to stop)")
        if ready is not None:
            ready()
        for changed in watcher.batches(stop):
            watcher.follow(builder(changed))


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
