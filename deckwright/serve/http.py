"""Serve the built deck on 127.0.0.1 with live reload: the deck folder only, never half a build."""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import json
import mimetypes
import re
import select
import socket
import sys
import threading
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from deckwright.build.pipeline import BuildOptions
from deckwright.serve.door import Connection, Door, DoorLimits
from deckwright.serve.rebuild import Builder, BuildState, Rebuilder
from deckwright.serve.watch import stop_on_signals, watch_loop

EVENTS_PATH = "/__deckwright/events"
LIVE_JS_PATH = "/__deckwright/live.js"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_HOST = re.compile(r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[^:\[\]]+))(?::\d{1,5})?")

# What the server shows at / before the first good build (the errors appear over it).
WAITING_HTML = (b'<!doctype html><html><head><meta charset="utf-8"><title>deckwright</title></head>'
                b"<body><p>No deck built yet: fix the errors shown below and save.</p></body></html>")


# The answer to an event stream past the server's limit (the page then simply stops reloading).
TOO_MANY_STREAMS = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    b"Content-Length: 30\r\nRetry-After: 10\r\nConnection: close\r\n\r\n"
                    b"too many open live-reload tabs")


class ServeError(Exception):
    """The server could not listen (port in use, not allowed)."""


@functools.cache
def live_script() -> bytes:
    """The live-reload script (live.js, a package file), pointed at the event stream."""
    text = resources.files("deckwright.serve").joinpath("live.js").read_text(encoding="utf-8")
    return text.replace("__EVENTS__", EVENTS_PATH).encode()


class DeckServer(http.server.HTTPServer):
    """Serves the deck folder and the live-reload endpoints, and runs the builder.

    As in MkDocs' livereload server, the server is given the builder and runs it (`build`) under
    the lock that reading a file also takes, so no request sees a half-built or half-swapped deck.

    Its threads are bounded, whatever clients do: one (the door, door.py) holds every connection
    until its request line and headers have arrived, closing the slow and the silent; `workers`
    threads answer requests; each open page's event stream holds one of `streams` threads of its
    own, so open tabs cannot starve requests nor requests the tabs. A stream past the limit is
    answered 503.
    """

    # The listen backlog: a browser opening many connections at once (or a burst) is queued, not refused.
    request_queue_size = 1024
    workers = 16
    streams = 64
    limits = DoorLimits()

    def __init__(self, address: tuple[str, int], builder: Builder, deck_dir: Callable[[], Path | None],
                 state: BuildState) -> None:
        self.builder = builder
        self.deck_dir = deck_dir
        self.state = state
        self.building = threading.Lock()
        # Set by `close`: open event streams end instead of waiting for the next build.
        self.closing = False
        self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="deckwright-http")
        self._stream_pool = ThreadPoolExecutor(self.streams, thread_name_prefix="deckwright-events")
        self._stream_slots = threading.BoundedSemaphore(self.streams)
        # Connections a worker is answering on (shut down by `close`, so no worker waits on one).
        self._answering: set[Connection] = set()
        self._answering_lock = threading.Lock()
        self.door = Door(self._dispatch, self.limits)
        # Last: a port in use fails here, and server_close then stops the door too.
        super().__init__(address, DeckHandler)

    def max_threads(self) -> int:
        """The most threads the server runs: serve_forever's, the door's, workers and streams."""
        return 2 + self.workers + self.streams

    def process_request(self, request: Any, client_address: Any) -> None:
        """An accepted connection waits at the door for its request (no thread of its own)."""
        self.door.admit(Connection(request, client_address))

    def _dispatch(self, conn: Connection) -> None:
        # Called on the door's thread: only queue work here.
        if requested_path(conn.head) == EVENTS_PATH:
            if self._stream_slots.acquire(blocking=False):
                self._submit(self._stream_pool, conn, self._stream_slots.release)
            else:
                self._submit(self._pool, conn, None, busy=True)
        else:
            self._submit(self._pool, conn, None)

    def _submit(self, pool: ThreadPoolExecutor, conn: Connection, done: Callable[[], None] | None,
                busy: bool = False) -> None:
        try:
            pool.submit(self._answer, conn, done, busy)
        except RuntimeError:  # shut down: the server is closing
            conn.close()
            if done is not None:
                done()

    def _answer(self, conn: Connection, done: Callable[[], None] | None, busy: bool) -> None:
        """Answer one request on a worker, then send a kept-alive connection back to the door."""
        keep = False
        with self._answering_lock:
            self._answering.add(conn)
        try:
            if busy:
                conn.sock.settimeout(DeckHandler.timeout)
                conn.sock.sendall(TOO_MANY_STREAMS)
            else:
                # The handler takes the Connection as its request (see DeckHandler.setup).
                handler = DeckHandler(conn, conn.address, self)  # type: ignore[arg-type]
                keep = not handler.close_connection
        except Exception:
            self.handle_error(conn.sock, conn.address)
        finally:
            with self._answering_lock:
                self._answering.discard(conn)
            if done is not None:
                done()
        if keep and not self.closing:
            self.door.admit(conn)
        else:
            conn.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer is normal (a reload, a closed tab): nothing to print."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)

    def build(self, changed: Collection[Path] | None = None) -> object:
        """Rebuild (see `Builder`); requests wait until the new deck is in place."""
        with self.building:
            return self.builder(changed)

    def server_close(self) -> None:
        """Close the listening socket, every waiting connection and the workers' connections."""
        super().server_close()
        self.door.close()
        with self._answering_lock:
            answering = list(self._answering)
        for conn in answering:  # a worker writing to a client that stopped reading stops now
            with contextlib.suppress(OSError):
                conn.sock.shutdown(socket.SHUT_RDWR)
        for pool in (self._pool, self._stream_pool):
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """End the event streams and stop serving (`serve_forever` must be running)."""
        self.closing = True
        with self.state.changed:
            self.state.changed.notify_all()
        self.shutdown()
        self.server_close()


class SocketWriter(io.BufferedIOBase):
    """A connection's output: every write sent whole (a raw socket file may send part of it)."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._sock.sendall(data)
        with memoryview(data) as view:
            return view.nbytes


class DeckHandler(http.server.BaseHTTPRequestHandler):
    """Answers GETs addressed to this machine: the live-reload endpoints and the deck's files.

    Given one request whose line and headers the door has read (`Connection.head`); the server
    sends the connection back to the door for the next one.
    """

    # A client that stops reading an answer for this long is given up (a worker is not held forever).
    timeout = 30

    server: DeckServer
    request: Connection
    server_version = "deckwright"
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        conn = self.request
        self.connection = conn.sock
        conn.sock.settimeout(self.timeout)
        self.rfile = io.BytesIO(conn.head)
        self.wfile = SocketWriter(conn.sock)

    def handle(self) -> None:
        self.close_connection = True
        self.handle_one_request()
        headers = getattr(self, "headers", None)
        # A request body (none is read: GET only) would be taken for the next request.
        if headers is not None and (headers.get("Content-Length", "0").strip() not in ("", "0")
                                    or "Transfer-Encoding" in headers):
            self.close_connection = True

    def finish(self) -> None:
        self.wfile.flush()

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
            self._send(200, live_script(), "text/javascript; charset=utf-8")
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
        server = self.server
        with server.building:
            folder = server.deck_dir()
            base = deck_base(folder)
            target = resolve_inside(base, unquote(url_path)) if base is not None else None
            generation = int(server.state.snapshot()["deck_generation"])
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
        # The stream ends only when the page (or the server) goes: the connection ends with it.
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state, seen = self.server.state, -1
        try:
            while not self.server.closing:
                with state.changed:
                    if state.generation == seen:
                        state.changed.wait(timeout=10)
                if peer_closed(self.connection):  # a closed tab gives its stream slot back now
                    return
                snap = state.snapshot()
                if snap["generation"] == seen:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    seen = snap["generation"]
                    self.wfile.write(f"event: build\ndata: {json.dumps(snap)}\n\n".encode())
                self.wfile.flush()
        except OSError:  # the page went away
            return


def make_server(builder: Builder, deck_dir: Callable[[], Path | None], state: BuildState, port: int,
                host: str = "127.0.0.1") -> DeckServer:
    """A server for the built deck folder only, with the live-reload endpoints (not yet serving)."""
    try:
        return DeckServer((host, port), builder, deck_dir, state)
    except OSError as exc:
        raise ServeError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None


def peer_closed(sock: socket.socket) -> bool:
    """Whether the client has closed its end (readable, with nothing to read); it sends nothing
    on an event stream, so anything readable is its end."""
    try:
        ready, _, _ = select.select([sock], [], [], 0)
        return bool(ready) and sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def requested_path(head: bytes) -> str:
    """The path of a request line ("GET /path?query HTTP/1.1"), or "" when it is not one."""
    words = head.split(b"\n", 1)[0].split()
    if len(words) < 2:
        return ""
    return urlsplit(words[1].decode("latin-1")).path


def local_host(header: str) -> bool:
    """True for a Host header naming this machine (127.0.0.1, localhost or [::1], any port)."""
    # "[::1]:8000" and "[::1]" name the IPv6 loopback; "127.0.0.1:8000" a host and a port.
    found = _HOST.fullmatch(header.strip())
    return found is not None and (found["v6"] or found["name"]).lower() in LOCAL_HOSTS


def deck_base(folder: Path | None) -> Path | None:
    """The deck folder to serve from, or None: a real folder where the build put it, never a
    symbolic link (a link to / would otherwise put every file of the machine inside it)."""
    if folder is None or folder.is_symlink() or not folder.is_dir():
        return None
    resolved = folder.resolve()
    return resolved if resolved == folder.parent.resolve() / folder.name else None


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
    # No inline script: the page's Content-Security-Policy runs only the deck's own script files.
    tag = f'<script src="{LIVE_JS_PATH}" data-generation="{int(generation)}"></script>'.encode()
    at = html.rfind(b"</body>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


def guess_type(path: Path) -> str:
    """The Content-Type of a deck file; text types declare UTF-8 (what the writers write)."""
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
        server = make_server(rebuilder.rebuild, lambda: rebuilder.deck_dir, state, port)
    except ServeError:
        rebuilder.stop()
        raise
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    threading.Thread(target=server.serve_forever, name="deckwright-http", daemon=True).start()

    def serving() -> None:
        echo(f"deckwright: serving {url} (Ctrl-C to stop)")
        if ready is not None:
            ready(url)

    try:
        with stop_on_signals(stop):
            try:
                watch_loop(options, server.build, stop, echo, serving)
            finally:
                rebuilder.stop()
    finally:
        server.close()
    echo("deckwright: stopped")
