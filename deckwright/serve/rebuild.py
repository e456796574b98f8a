"""Rebuild the deck on each change: HTML in this process, the other formats in a child process."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
import types
import typing
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeAlias

from deckwright.build.outputs import live_staging, output_lock
from deckwright.build.pipeline import BuildOptions, BuildResult, build
from deckwright.diagnostics import error
from deckwright.support import memo as cache
from deckwright.support.locking import Busy
from deckwright.support.packaged import ENGINE_CHECKOUT

# Rebuilds after the given files changed (None: unknown, assume anything): `Rebuilder.rebuild`.
Builder: TypeAlias = Callable[[Collection[Path] | None], object]


@dataclass
class BuildState:
    """What the browser needs to know about the latest HTML build; guarded by `changed`."""

    generation: int = 0
    ok: bool = True
    messages: list[str] = field(default_factory=list)
    # The generation of the build whose deck is on disk (-1: none from this session yet).
    deck_generation: int = -1
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, ok: bool, messages: list[str]) -> None:
        with self.changed:
            self.generation += 1
            self.ok, self.messages = ok, messages
            if ok:
                self.deck_generation = self.generation
            self.changed.notify_all()

    def snapshot(self) -> dict[str, Any]:
        with self.changed:
            return {"generation": self.generation, "ok": self.ok, "messages": list(self.messages),
                    "deck_generation": self.deck_generation}


def child_command(options: BuildOptions) -> list[str]:
    """The command that builds `options` in a separate process (see `_child_main`)."""
    return [sys.executable, "-m", "deckwright.serve.rebuild", options_to_json(options)]


def options_to_json(options: BuildOptions) -> str:
    """Every field of `options` as JSON (paths as strings, tuples as lists), for the child.

    Field by field through `dataclasses.fields`, so a field added to BuildOptions reaches the
    child too (naming them one by one once dropped `sources`).
    """
    return json.dumps({f.name: _plain(getattr(options, f.name)) for f in fields(options)})


def options_from_json(text: str) -> BuildOptions:
    """The options `options_to_json` wrote, each field converted back by its declared type."""
    values = json.loads(text)
    hints = typing.get_type_hints(BuildOptions)
    return BuildOptions(**{f.name: _typed(values[f.name], hints[f.name]) for f in fields(BuildOptions)})


def _plain(value: object) -> object:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | bool | int | float):
        return value
    # Fail loudly rather than hand the child something it would read back differently.
    raise TypeError(f"a build option of type {type(value).__name__} cannot be passed to the child build")


def _typed(value: Any, hint: Any) -> Any:
    """`value` read back from JSON as the type `hint` declares (Path, tuples, optionals)."""
    if value is None:
        return None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple:
        items = args[:1] * len(value) if len(args) == 2 and args[1] is Ellipsis else args
        return tuple(_typed(v, h) for v, h in zip(value, items, strict=True))
    if origin in (typing.Union, types.UnionType):
        (inner,) = (a for a in args if a is not type(None))
        return _typed(value, inner)
    return Path(value) if hint is Path else value


def _child_env() -> dict[str, str]:
    # The child imports this very engine, wherever it was imported from (a checkout, build.py).
    # From a checkout (build.py, tests) the folder around the package goes first on the path; an
    # installed engine is found as it was here, and site-packages must not shadow the standard library.
    if not (ENGINE_CHECKOUT / "pyproject.toml").is_file():
        return dict(os.environ)
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": str(ENGINE_CHECKOUT) + (os.pathsep + path if path else "")}


def remove_temporaries(out_dir: Path) -> None:
    """Remove the temporaries (atomic.py's `.<name>~*.tmp`) a killed build left in `out_dir`.

    Only holding the folder's lock, when it is free at once: a build that holds it may have
    temporaries of its own there (and will remove the dead ones itself).
    """
    if not out_dir.is_dir():
        return
    with contextlib.suppress(OSError, Busy), output_lock(out_dir, timeout=0):
        for stale in out_dir.glob(".*.tmp"):
            if live_staging(stale):  # another build writing into the same folder right now
                continue
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)


def output_of(written: Path, out_dir: Path) -> Path:
    """The output a written path belongs to: the deck folder for HTML, the file itself otherwise."""
    if not written.is_relative_to(out_dir):
        return written
    return out_dir / written.relative_to(out_dir).parts[0]


def only_markdown(changed: Collection[Path] | None) -> bool:
    """True when every change is to a Markdown file (whose text is part of the cache keys)."""
    return changed is not None and all(p.suffix.lower() == ".md" for p in changed)


class Rebuilder:
    """Builds HTML at once on each change; the other formats follow in a child process.

    Only the newest request for the other formats matters: a child still building an older edit
    is killed (outputs are atomic, so the previous files stay) and a new one started.
    """

    def __init__(self, options: BuildOptions, state: BuildState | None = None,
                 echo: Callable[[str], None] = print) -> None:
        self.options = options
        self.state = state or BuildState()
        self.echo = echo
        self.deck_dir: Path | None = None
        self._outputs: dict[str, set[Path]] = {}
        self._last_messages: set[str] = set()
        self._good_builds = 0
        self._others = tuple(f for f in options.formats if f != "html")
        self._pending: BuildOptions | None = None
        self._busy = False
        self._wake = threading.Condition()
        self._stopping = False
        self._worker: threading.Thread | None = None
        if self._others:
            self._worker = threading.Thread(target=self._background, name="deckwright-formats",
                                            daemon=True)
            self._worker.start()

    def rebuild(self, changed: Collection[Path] | None = None) -> BuildResult:
        """Rebuild the HTML now; `changed` are the edited files (None: unknown, assume anything)."""
        start = time.perf_counter()
        if not only_markdown(changed):
            cache.forget_file_results()
        html = replace(self.options, formats=("html",))
        try:
            result = build(html, on_wait=self.echo)
        except Exception:  # a bug, not a deck error: report it and keep watching
            result = BuildResult()
            self.echo(traceback.format_exc().rstrip())
            result.diagnostics.append(error(None, "internal error while building (see the terminal)"))
        failed = result.failed(self.options.strict) or not result.written
        if not failed:
            self.deck_dir = result.written[0].parent
            self._retire("html", {output_of(p, html.out_dir) for p in result.written})
        elif self.deck_dir is None and result.deck is not None:
            # Serve the previous session's deck, if any, until this one builds.
            self.deck_dir = html.out_dir / result.deck.meta.slug
        messages = [str(d) for d in result.diagnostics]
        self.state.publish(not failed, messages)
        self._last_messages = set(messages)
        for message in messages:
            self.echo(message)
        elapsed = time.perf_counter() - start
        if failed:
            self.echo(f"deckwright: build failed; the last good outputs stay ({elapsed:.2f} s)")
            return result
        self.echo(f"deckwright: html rebuilt in {elapsed:.2f} s")
        if self._others:
            with self._wake:
                self._pending = replace(self.options, formats=self._others)
                self._wake.notify()
        self._settle()
        return result

    def _settle(self) -> None:
        """After a good build (its HTML is on disk): keep memory and collector work in check.

        The caches drop what this build did not use; what they keep is frozen out of the cyclic
        collector's way, which otherwise walks it again and again during every later build
        (half the time of a 400-slide rebuild). A full collection now and then reclaims cycles
        that were frozen and later dropped.
        """
        cache.sweep()
        self._good_builds += 1
        if self._good_builds % 20 == 0:
            gc.unfreeze()
        gc.collect()
        gc.freeze()

    def _retire(self, kind: str, outputs: set[Path]) -> None:
        """Remove what this session wrote before and the deck no longer makes (a renamed slug)."""
        for stale in self._outputs.get(kind, set()) - outputs:
            if not stale.is_relative_to(self.options.out_dir):
                continue
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
        self._outputs[kind] = outputs

    def _background(self) -> None:
        proc: subprocess.Popen[str] | None = None
        started = 0.0
        try:
            while True:
                with self._wake:
                    while not self._stopping and self._pending is None and proc is None:
                        self._wake.wait()
                    if self._stopping:
                        return
                    request, self._pending = self._pending, None
                    self._busy = True
                if request is not None:
                    if proc is not None:
                        _kill(proc)  # superseded by a newer edit
                    proc = subprocess.Popen(child_command(request), stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE, text=True, env=_child_env(),
                                            start_new_session=True)  # Ctrl-C is ours to handle
                    started = time.perf_counter()
                assert proc is not None
                try:
                    out, err = proc.communicate(timeout=0.05)
                except subprocess.TimeoutExpired:
                    continue
                self._report(proc.returncode, out, err, time.perf_counter() - started)
                proc = None
                with self._wake:
                    self._busy = self._pending is not None
        finally:
            if proc is not None:
                _kill(proc)
                remove_temporaries(self.options.out_dir)
            with self._wake:
                self._busy = False

    def _report(self, code: int, out: str, err: str, seconds: float) -> None:
        try:
            report = json.loads(out.strip().splitlines()[-1]) if code == 0 else None
        except (ValueError, IndexError):
            report = None
        if report is None:
            self.echo(f"deckwright: building {', '.join(self._others)} crashed (exit {code}):\n"
                      f"{err.strip()}")
            return
        # The HTML build printed the deck's diagnostics already; show only the writers' own.
        for message in report["messages"]:
            if message not in self._last_messages:
                self.echo(message)
        if not report["ok"]:
            self.echo(f"deckwright: {', '.join(self._others)} failed; the last good files stay")
            return
        written = [Path(p) for p in report["written"]]
        self._retire("others", {output_of(p, self.options.out_dir) for p in written})
        self.echo(f"deckwright: {', '.join(p.name for p in written)} rebuilt in {seconds:.2f} s")

    def idle(self, timeout: float = 60.0) -> bool:
        """Wait until no build of the other formats is pending or running."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._wake:
                if self._pending is None and not self._busy:
                    return True
            time.sleep(0.02)
        return False

    def stop(self) -> None:
        """Stop the background builds; a running child is killed and its temporaries removed."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self._worker is not None:
            self._worker.join(timeout=30)


def _kill(proc: subprocess.Popen[str]) -> None:
    """Kill the child and any writer workers it forked (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()


def _child_main(options_json: str) -> int:
    """Build in a child process and report on stdout as one JSON line (used by `Rebuilder`)."""
    # This process runs no other threads: forking the writers' workers is safe.
    options = replace(options_from_json(options_json), parallel=True)
    result = build(options, on_wait=lambda message: print(message, file=sys.stderr, flush=True))
    ok = not result.failed(options.strict) and bool(result.written)
    print(json.dumps({"ok": ok, "written": [str(p) for p in result.written],
                      "messages": [str(d) for d in result.diagnostics]}))
    return 0


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1]))
