"""Watch the sources, rebuild on change (HTML first), and serve the deck with live reload."""

from __future__ import annotations

import contextlib
import gc
import http.server
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from deckwright.build.pipeline import BuildOptions, BuildResult, build
from deckwright.diagnostics import display_path, error
from deckwright.support import memo as cache

EVENTS_PATH = "/__deckwright/events"
LIVE_JS_PATH = "/__deckwright/live.js"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
# Editors' swap, backup and temporary files, and ours (atomic.py), are not edits.
_SCRATCH_SUFFIXES = (".tmp", ".swp", ".swx", ".part", "~")

# Injected into index.html when served (never written to dist/). The page knows which build it
# shows; after a newer good build it reloads on the same slide and fragment, and while the latest
# build failed it shows that build's messages over the last good deck.
LIVE_JS = r"""
(() => {
  const KEY = 'deckwright:indices';
  const shown = window.__deckwrightGeneration;
  const restore = () => {
    const saved = sessionStorage.getItem(KEY);
    if (!saved || !window.Reveal) return;
    sessionStorage.removeItem(KEY);
    const go = () => { const i = JSON.parse(saved); Reveal.slide(i.h, i.v, i.f); };
    if (Reveal.isReady && Reveal.isReady()) go(); else Reveal.on('ready', go);
  };
  const overlay = (messages) => {
    let box = document.getElementById('deckwright-errors');
    if (!messages) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement('pre');
      box.id = 'deckwright-errors';
      box.setAttribute('role', 'alert');
      box.style.cssText = 'position:fixed;left:0;right:0;bottom:0;max-height:50%;overflow:auto;margin:0;' +
        'padding:12px 16px;background:rgba(120,0,0,.92);color:#fff;font:14px/1.4 monospace;' +
        'z-index:99999;white-space:pre-wrap';
      document.body.appendChild(box);
    }
    box.textContent = 'Build failed: the last good deck is shown.\n\n' + messages.join('\n');
  };
  const source = new EventSource('__EVENTS__');
  source.addEventListener('build', (event) => {
    const state = JSON.parse(event.data);
    if (state.deck_generation >= 0 && state.deck_generation !== shown) {
      if (window.Reveal && Reveal.getIndices) {
        sessionStorage.setItem(KEY, JSON.stringify(Reveal.getIndices()));
      }
      source.close();
      location.reload();
      return;
    }
    overlay(state.ok ? null : state.messages);
  });
  restore();
})();
""".replace("__EVENTS__", EVENTS_PATH)

# What the server shows at / before the first good build (the errors appear over it).
WAITING_HTML = (b'<!doctype html><html><head><meta charset="utf-8"><title>deckwright</title></head>'
                b"<body><p>No deck built yet: fix the errors shown below and save.</p></body></html>")


@dataclass
class BuildState:
    """What the browser needs to know about the latest HTML build; guarded by `changed`."""

    generation: int = 0
    ok: bool = True
    messages: list[str] = field(default_factory=list)
    # The generation of the build whose deck is on disk (-1: none from this session yet).
    deck_generation: int = -1
    changed: threading.Condition = field(default_factory=threading.Condition)
    # Held while the HTML folder is rebuilt and swapped, so the server never reads a half-swapped deck.
    swap_lock: threading.RLock = field(default_factory=threading.RLock)

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


# --------------------------------------------------------------------------- rebuilding


def child_command(options: BuildOptions) -> list[str]:
    """The command that builds `options` in a separate process (see `_child_main`)."""
    spec = {"root": str(options.root), "out": str(options.out_dir), "formats": list(options.formats),
            "strict": options.strict, "dialect": options.dialect,
            "allow_dirs": [str(d) for d in options.allow_dirs]}
    return [sys.executable, "-m", "deckwright.serve.rebuild", json.dumps(spec)]


def _child_env() -> dict[str, str]:
    # The child imports this very engine, wherever it was imported from (a checkout, build.py).
    engine = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": engine + (os.pathsep + path if path else "")}


def remove_temporaries(out_dir: Path) -> None:
    """Remove the temporaries (atomic.py's `.<name>.*.tmp`) a killed build left in `out_dir`."""
    for stale in out_dir.glob(".*.tmp") if out_dir.is_dir() else ():
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
        with self.state.swap_lock:
            try:
                result = build(html)
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


def _child_main(spec_json: str) -> int:
    """Build in a child process and report on stdout as one JSON line (used by `Rebuilder`)."""
    spec = json.loads(spec_json)
    options = BuildOptions(root=Path(spec["root"]), formats=tuple(spec["formats"]), out=Path(spec["out"]),
                           strict=spec["strict"], dialect=spec["dialect"],
                           allow_dirs=tuple(Path(d) for d in spec["allow_dirs"]),
                           parallel=True)  # this process runs no other threads: forking is safe
    result = build(options)
    ok = not result.failed(options.strict) and bool(result.written)
    print(json.dumps({"ok": ok, "written": [str(p) for p in result.written],
                      "messages": [str(d) for d in result.diagnostics]}))
    return 0


# --------------------------------------------------------------------------- watching


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


def watch_loop(rebuilder: Rebuilder, stop: threading.Event, ready: Callable[[], None] | None = None) -> None:
    """Build once, then after every batch of changes, until `stop` is set."""
    options = rebuilder.options
    try:
        with SourceWatcher(options) as watcher:
            rebuilder.rebuild()
            deep, _flat = watched_paths(options)
            shown = [display_path(p, options.root) for p in deep] + ["deck.yaml"]
            rebuilder.echo(f"deckwright: watching {', '.join(shown)} (Ctrl-C to stop)")
            if ready is not None:
                ready()
            for changed in watcher.batches(stop):
                rebuilder.rebuild(changed)
    finally:
        rebuilder.stop()


def run_watch(options: BuildOptions, stop: threading.Event | None = None,
              echo: Callable[[str], None] = print, ready: Callable[[], None] | None = None) -> None:
    """Rebuild after every batch of saved changes until `stop` is set or Ctrl-C."""
    stop = stop or threading.Event()
    with stop_on_signals(stop):
        watch_loop(Rebuilder(options, BuildState(), echo), stop, ready)
    echo("deckwright: stopped")


# --------------------------------------------------------------------------- serving


class ServeError(Exception):
    """The server could not listen (port in use, not allowed)."""


def make_server(deck_dir: Callable[[], Path | None], state: BuildState, port: int,
                host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    """An HTTP server for the built deck folder only, with the live-reload endpoints."""

    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "deckwright"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            # A page on another site may resolve its own name to 127.0.0.1 (DNS rebinding):
            # answer only requests addressed to this machine.
            if not local_host(self.headers.get("Host", "")):
                self._send(403, b"forbidden\n", "text/plain; charset=utf-8")
                return
            path = urlsplit(self.path).path
            if path == EVENTS_PATH:
                self._events()
            elif path == LIVE_JS_PATH:
                self._send(200, LIVE_JS.encode(), "text/javascript; charset=utf-8")
            else:
                self._file(path)

        def _send(self, status: int, body: bytes, ctype: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(body)

        def _file(self, url_path: str) -> None:
            with state.swap_lock:
                folder = deck_dir()
                base = folder.resolve() if folder is not None and folder.is_dir() else None
                target = resolve_inside(base, unquote(url_path)) if base is not None else None
                generation = int(state.snapshot()["deck_generation"])
                if target is not None and target.is_file():
                    body = target.read_bytes()
                elif base is None and url_path in ("/", "/index.html"):
                    body, target = WAITING_HTML, None
                else:
                    self._send(404, b"not found\n", "text/plain; charset=utf-8")
                    return
            if target is None or (target.name == "index.html" and target.parent == base):
                self._send(200, inject_live_script(body, generation), "text/html; charset=utf-8")
            else:
                self._send(200, body, guess_type(target))

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = -1
            try:
                while not getattr(self.server, "closing", False):
                    with state.changed:
                        if state.generation == seen:
                            state.changed.wait(timeout=10)
                    snap = state.snapshot()
                    if snap["generation"] == seen:
                        self.wfile.write(b": keep-alive\n\n")
                    else:
                        seen = snap["generation"]
                        self.wfile.write(f"event: build\ndata: {json.dumps(snap)}\n\n".encode())
                    self.wfile.flush()
            except OSError:  # the page went away
                return

    try:
        server = http.server.ThreadingHTTPServer((host, port), Handler)
    except OSError as exc:
        raise ServeError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
    server.daemon_threads = True
    return server


def local_host(header: str) -> bool:
    """True for a Host header naming this machine (127.0.0.1 or localhost, any port)."""
    name = header.rsplit(":", 1)[0] if not header.endswith("]") else header
    return name.lower() in LOCAL_HOSTS


def resolve_inside(base: Path, url_path: str) -> Path | None:
    """The file a URL path names inside `base`, or None if it would leave it (.., symlinks)."""
    parts = [p for p in url_path.split("/") if p not in ("", ".")]
    if any(p == ".." or "\\" in p or "\0" in p for p in parts):
        return None
    target = base.joinpath(*parts) if parts else base
    try:
        if target.is_dir():
            target = target / "index.html"
        resolved = target.resolve()
    except (OSError, RuntimeError):  # a symlink loop, a name too long
        return None
    return resolved if resolved.is_relative_to(base) else None


def inject_live_script(html: bytes, generation: int) -> bytes:
    """The page with the live-reload script, told which build it shows."""
    tag = (f"<script>window.__deckwrightGeneration = {int(generation)};</script>"
           f'<script src="{LIVE_JS_PATH}"></script>').encode()
    at = html.rfind(b"</body>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


def guess_type(path: Path) -> str:
    import mimetypes

    ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{ctype}; charset=utf-8" if ctype.startswith("text/") or ctype.endswith(
        ("javascript", "json", "svg+xml")) else ctype


def run_serve(options: BuildOptions, port: int, echo: Callable[[str], None] = print,
              stop: threading.Event | None = None, ready: Callable[[str], None] | None = None) -> None:
    """Watch and rebuild, serving the HTML deck on 127.0.0.1:port with live reload.

    Port 0 picks a free port; `ready` is called with the deck's URL once it is being served.
    """
    stop = stop or threading.Event()
    state = BuildState()
    rebuilder = Rebuilder(options, state, echo)
    try:
        server = make_server(lambda: rebuilder.deck_dir, state, port)
    except ServeError:
        rebuilder.stop()
        raise
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, name="deckwright-http", daemon=True)
    thread.start()

    def serving() -> None:
        echo(f"deckwright: serving {url} (Ctrl-C to stop)")
        if ready is not None:
            ready(url)

    try:
        with stop_on_signals(stop):
            watch_loop(rebuilder, stop, serving)
    finally:
        server.closing = True  # type: ignore[attr-defined]
        with state.changed:
            state.changed.notify_all()
        server.shutdown()
        server.server_close()
    echo("deckwright: stopped")


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1]))
