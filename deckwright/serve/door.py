"""One thread holds every connection between requests and hands each complete request to a worker."""

from __future__ import annotations

import contextlib
import queue
import re
import selectors
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# The blank line that ends a request's line and headers (http.client also takes bare newlines).
_HEAD_END = re.compile(rb"\n\r?\n")
# What a waiting connection reads at a time.
_CHUNK = 65536


@dataclass(eq=False)
class Connection:
    """A client's socket and what it sent that no request has used yet."""

    sock: socket.socket
    address: Any
    buffer: bytes = b""
    # The request line and headers being answered (set when the door hands the connection on).
    head: bytes = b""
    deadline: float = field(default=0.0, repr=False)
    # The socket's descriptor while it waits at the door (a closed socket no longer tells it).
    fd: int = field(default=-1, repr=False)

    def complete(self) -> bool:
        """Whether the buffer holds a whole request line and headers."""
        return _HEAD_END.search(self.buffer) is not None

    def take_head(self) -> None:
        """Move the first request line and headers from the buffer to `head`."""
        found = _HEAD_END.search(self.buffer)
        assert found is not None
        self.head, self.buffer = self.buffer[:found.end()], self.buffer[found.end():]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


@dataclass(frozen=True)
class DoorLimits:
    """How long and how much a connection may take to send a request, and how many may wait."""

    # A connection that starts no request for this long is closed (an idle keep-alive, or a
    # client that connects and sends nothing).
    idle_timeout: float = 30.0
    # Once a request has begun, its line and headers must all arrive within this: a client that
    # sends a byte now and then (slowloris) is closed, however often it sends.
    head_timeout: float = 10.0
    # Bytes of request line and headers (http.server's own limit for one line).
    max_head: int = 65536
    # Connections waiting at once; past it the one that has waited longest is closed (a browser
    # sends its request at once, so the longest waiting are the idle and the slow).
    max_waiting: int = 1000


REQUEST_HEADERS_TOO_LARGE = (b"HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")


class Door:
    """Reads requests' heads from all waiting connections in one thread, without blocking.

    A connection waits here when it is accepted and again between the requests of a kept-alive
    connection; `dispatch` is called (on this thread, so it must not block) with each connection
    whose request line and headers are complete (`Connection.head`). A slow or silent client
    costs a socket, never a thread, and is closed at its deadline.
    """

    def __init__(self, dispatch: Callable[[Connection], None], limits: DoorLimits | None = None) -> None:
        self.dispatch = dispatch
        self.limits = limits or DoorLimits()
        self._selector = selectors.DefaultSelector()
        self._wake_in, self._wake_out = socket.socketpair()
        for end in (self._wake_in, self._wake_out):
            end.setblocking(False)
        self._selector.register(self._wake_in, selectors.EVENT_READ)
        self._incoming: queue.SimpleQueue[Connection] = queue.SimpleQueue()
        # By file descriptor, the longest waiting first (dicts keep insertion order).
        self._waiting: dict[int, Connection] = {}
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="deckwright-door", daemon=True)
        self._thread.start()

    def admit(self, conn: Connection) -> None:
        """Wait for the connection's next request (from any thread)."""
        self._incoming.put(conn)
        with contextlib.suppress(OSError):  # a full wake-up pipe already wakes the door
            self._wake_out.send(b"\0")

    def waiting(self) -> int:
        return len(self._waiting)

    def close(self) -> None:
        """Stop, closing every waiting connection."""
        self._closing = True
        with contextlib.suppress(OSError):
            self._wake_out.send(b"\0")
        self._thread.join(timeout=5)

    def _run(self) -> None:
        next_expiry = 0.0
        try:
            while not self._closing:
                for key, _events in self._selector.select(timeout=0.25):
                    if key.fileobj is self._wake_in:
                        self._drain_wake()
                    else:
                        self._read(key.data)
                self._take_incoming()
                now = time.monotonic()
                if now >= next_expiry:  # a scan of every waiting connection, a few times a second
                    self._expire(now)
                    next_expiry = now + 0.1
        finally:
            for conn in list(self._waiting.values()):
                self._forget(conn)
                conn.close()
            while not self._incoming.empty():
                self._incoming.get_nowait().close()
            self._selector.close()
            self._wake_in.close()
            self._wake_out.close()

    def _drain_wake(self) -> None:
        with contextlib.suppress(OSError):
            while self._wake_in.recv(4096):
                pass

    def _take_incoming(self) -> None:
        while not self._incoming.empty():
            conn = self._incoming.get_nowait()
            if self._closing:
                conn.close()
                continue
            # A kept-alive client may have sent its next request already (pipelining).
            if conn.complete():
                self._hand_on(conn)
                continue
            if len(self._waiting) >= self.limits.max_waiting:
                oldest = next(iter(self._waiting.values()))
                self._forget(oldest)
                oldest.close()
            try:
                conn.sock.setblocking(False)
                conn.fd = conn.sock.fileno()
                self._selector.register(conn.sock, selectors.EVENT_READ, conn)
            except (OSError, ValueError):  # closed meanwhile
                conn.close()
                continue
            now = time.monotonic()
            conn.deadline = now + (self.limits.head_timeout if conn.buffer else self.limits.idle_timeout)
            self._waiting[conn.fd] = conn

    def _read(self, conn: Connection) -> None:
        try:
            data = conn.sock.recv(_CHUNK)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # the client closed (or reset) the connection
            self._forget(conn)
            conn.close()
            return
        if not conn.buffer:  # the request has begun: its head must now come quickly
            conn.deadline = min(conn.deadline, time.monotonic() + self.limits.head_timeout)
        # Blank lines before a request line are allowed (RFC 9112, 2.2).
        conn.buffer = (conn.buffer + data).lstrip(b"\r\n")
        if conn.complete():
            self._forget(conn)
            self._hand_on(conn)
        elif len(conn.buffer) > self.limits.max_head:
            self._forget(conn)
            with contextlib.suppress(OSError):
                conn.sock.send(REQUEST_HEADERS_TOO_LARGE)
            conn.close()

    def _hand_on(self, conn: Connection) -> None:
        conn.take_head()
        try:
            conn.sock.setblocking(True)
        except OSError:
            conn.close()
            return
        self.dispatch(conn)

    def _forget(self, conn: Connection) -> None:
        with contextlib.suppress(KeyError, ValueError, OSError):
            self._selector.unregister(conn.sock)
        self._waiting.pop(conn.fd, None)
        conn.fd = -1

    def _expire(self, now: float) -> None:
        expired = [conn for conn in self._waiting.values() if conn.deadline <= now]
        for conn in expired:
            self._forget(conn)
            conn.close()
