"""Watch the sources, rebuild on change (HTML first), and serve the deck with live reload."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from deckwright.pipeline import BuildOptions, BuildResult, build

EVENTS_PATH = "/__deckwright/events"
LIVE_JS_PATH = "/__deckwright/live.js"

# Injected into index.html when served (never written to dist/): reloads the page after a
# good build, keeps the current slide, and shows the errors of a bad build over the last good deck.
LIVE_JS = r"""
(() => {
  const KEY = 'deckwright:indices';
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
        'padding:12px 16px;background:rgba(120,0,0,.92);color:#fff;font:14px/1.4 monospace;z-index:99999;' +
        'white-space:pre-wrap';
      document.body.appendChild(box);
    }
    box.textContent = 'Build failed: the last good deck is shown.\n\n' + messages.join('\n');
  };
  let generation = null;
  const source = new EventSource('__EVENTS__');
  source.addEventListener('build', (event) => {
    const state = JSON.parse(event.data);
    const changed = generation !== null && state.generation !== generation;
    generation = state.generation;
    if (!state.ok) { overlay(state.messages); return; }
    overlay(null);
    if (changed) {
      if (window.Reveal && Reveal.getIndices) {
        sessionStorage.setItem(KEY, JSON.stringify(Reveal.getIndices()));
      }
      location.reload();
    }
  });
  restore();
})();
""".replace("__EVENTS__", EVENTS_PATH)


@dataclass
class BuildState:
    """What the browser needs to know about the latest HTML build; guarded by `changed`."""

    generation: int = 0
    ok: bool = True
    messages: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)
    # Held while the HTML folder is replaced, so the server never reads a half-swapped deck.
    swap_lock: threading.RLock = field(default_factory=threading.RLock)

    def publish(self, ok: bool, messages: list[str]) -> None:
        with self.changed:
            self.generation += 1
            self.ok, self.messages = ok, messages
            self.changed.notify_all()

    def snapshot(self) -> dict[str, object]:
        with self.changed:
            return {"generation": self.generation, "ok": self.ok, "messages": list(self.messages)}


class Rebuilder:
    """Builds HTML at once on each change; the other formats follow on a background thread."""

    def __init__(self, options: BuildOptions, state: BuildState,
                 echo: Callable[[str], None] = print) -> None:
        self.options = options
        self.state = state
        self.echo = echo
        self._others = tuple(f for f in options.formats if f != "html")
        self._pending: BuildOptions | None = None
        self._wake = threading.Condition()
        self._stop = False
        self._worker = threading.Thread(target=self._background, name="deckwright-formats",
                                        daemon=True)
        self._worker.start()

    def rebuild(self) -> BuildResult:
        start = time.perf_counter()
        with self.state.swap_lock:
            result = build(replace(self.options, formats=("html",)))
        for diag in result.diagnostics:
            self.echo(str(diag))
        failed = result.failed(self.options.strict) or not result.written
        self.state.publish(not failed, [str(d) for d in result.diagnostics])
        elapsed = time.perf_counter() - start
        if failed:
            self.echo(f"deckwright: build failed; the last good deck stays ({elapsed:.2f} s)")
            return result
        self.echo(f"deckwright: html rebuilt in {elapsed:.2f} s")
        if self._others:
            with self._wake:
                # Only the newest request matters: a build for an older edit is superseded.
                self._pending = replace(self.options, formats=self._others)
                self._wake.notify()
        return result

    def _background(self) -> None:
        while True:
            with self._wake:
                while self._pending is None and not self._stop:
                    self._wake.wait()
                if self._stop:
                    return
                options, self._pending = self._pending, None
            assert options is not None
            result = build(options)
            if result.written and not result.failed(options.strict):
                names = ", ".join(p.name for p in result.written)
                self.echo(f"deckwright: {names} rebuilt in {result.seconds:.2f} s")

    def idle(self, timeout: float = 60.0) -> bool:
        """Wait until no background build is pending (used by tests)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._wake:
                if self._pending is None:
                    return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        with self._wake:
            self._stop = True
            self._wake.notify()
        self._worker.join(timeout=120)


def watched_paths(root: Path) -> list[Path]:
    paths = [root / name for name in ("slides", "themes", "assets") if (root / name).is_dir()]
    paths += [p for p in (root / "deck.yaml",) if p.is_file()]
    return paths


def _relevant(out_dir: Path) -> Callable[[object, str], bool]:
    from watchfiles import DefaultFilter

    default = DefaultFilter()
    out = out_dir.resolve()

    def keep(change: object, path: str) -> bool:
        p = Path(path)
        # Editors' swap and temporary files, and our own outputs, are not edits.
        if p.name.startswith(".") or p.name.endswith((".tmp", ".swp", "~")):
            return False
        if p.resolve().is_relative_to(out):
            return False
        return bool(default(change, path))  # type: ignore[arg-type]

    return keep


def changes(root: Path, out_dir: Path, stop: threading.Event | None = None,
            debounce_ms: int = 60) -> Iterator[set[tuple[Any, str]]]:
    """Batches of file changes under the project's sources; a burst of saves is one batch."""
    from watchfiles import watch

    yield from watch(*watched_paths(root), watch_filter=_relevant(out_dir), debounce=debounce_ms,
                     step=20, stop_event=stop, raise_interrupt=False)


def run_watch(options: BuildOptions, state: BuildState | None = None,
              stop: threading.Event | None = None, echo: Callable[[str], None] = print) -> None:
    """Build once, then rebuild after every batch of changes until `stop` is set or Ctrl-C."""
    state = state or BuildState()
    rebuilder = Rebuilder(options, state, echo)
    try:
        rebuilder.rebuild()
        echo(f"deckwright: watching {', '.join(p.name for p in watched_paths(options.root))} "
             "(Ctrl-C to stop)")
        for _batch in changes(options.root, options.out_dir, stop):
            rebuilder.rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        rebuilder.stop()


# --------------------------------------------------------------------------- server


def make_server(deck_dir: Callable[[], Path], state: BuildState, port: int,
                host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    """An HTTP server for the built deck folder only, with the live-reload endpoints."""

    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "deckwright"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
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
            self.end_headers()
            self.wfile.write(body)

        def _file(self, url_path: str) -> None:
            with state.swap_lock:
                base = deck_dir().resolve()
                target = resolve_inside(base, unquote(url_path))
                if target is None or not target.is_file():
                    self._send(404, b"not found\n", "text/plain; charset=utf-8")
                    return
                body = target.read_bytes()
            if target.name == "index.html" and target.parent == base:
                body = inject_live_script(body)
            self._send(200, body, guess_type(target))

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "keep-alive")
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
                        seen = int(snap["generation"])  # type: ignore[call-overload]
                        self.wfile.write(f"event: build\ndata: {json.dumps(snap)}\n\n".encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    server = http.server.ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


def resolve_inside(base: Path, url_path: str) -> Path | None:
    """The file a URL path names inside `base`, or None if it would leave it (.., symlinks)."""
    parts = [p for p in url_path.split("/") if p not in ("", ".")]
    if any(p == ".." or "\\" in p or "\0" in p for p in parts):
        return None
    target = base.joinpath(*parts) if parts else base
    if target.is_dir():
        target = target / "index.html"
    resolved = target.resolve()
    return resolved if resolved.is_relative_to(base) else None


def inject_live_script(html: bytes) -> bytes:
    tag = f'<script src="{LIVE_JS_PATH}"></script>'.encode()
    at = html.rfind(b"</body>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


def guess_type(path: Path) -> str:
    import mimetypes

    ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{ctype}; charset=utf-8" if ctype.startswith("text/") or ctype.endswith(
        ("javascript", "json", "svg+xml")) else ctype


def run_serve(options: BuildOptions, port: int, echo: Callable[[str], None] = print,
              stop: threading.Event | None = None) -> None:
    """Watch and rebuild, serving the HTML deck on 127.0.0.1:port with live reload."""
    state = BuildState()
    slug = {"value": "deck"}

    def deck_dir() -> Path:
        return options.out_dir / slug["value"]

    # The slug comes from the deck's metadata; read it once from a first check of the deck.
    from deckwright.pipeline import prepare

    first = prepare(options)
    if first.deck is not None:
        slug["value"] = first.deck.meta.slug
    server = make_server(deck_dir, state, port)
    thread = threading.Thread(target=server.serve_forever, name="deckwright-http", daemon=True)
    thread.start()
    echo(f"deckwright: serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
    try:
        run_watch(options, state, stop, echo)
    finally:
        server.closing = True  # type: ignore[attr-defined]
        with state.changed:
            state.changed.notify_all()
        server.shutdown()
        server.server_close()
