"""The door: each connection's request head read without a thread of its own, and the slow, the
oversized and the surplus closed."""

from __future__ import annotations

import queue
import socket
import time
from collections.abc import Iterator

import pytest

from deckwright.serve.door import Connection, Door, DoorLimits


@pytest.fixture
def door() -> Iterator[tuple[Door, queue.Queue[Connection]]]:
    handed: queue.Queue[Connection] = queue.Queue()
    door = Door(handed.put, DoorLimits(idle_timeout=5, head_timeout=5, max_head=1024, max_waiting=3))
    yield door, handed
    door.close()


def pair() -> tuple[socket.socket, Connection]:
    client, server = socket.socketpair()
    client.settimeout(5)
    return client, Connection(server, "client")


def test_a_request_sent_in_pieces_is_handed_on_whole_with_what_follows_kept(
        door: tuple[Door, queue.Queue[Connection]]) -> None:
    gate, handed = door
    client, conn = pair()
    gate.admit(conn)
    for piece in (b"\r\n", b"GET / HTTP/1.1\r\nHo", b"st: x\r\n", b"\r\nGET /next HTTP/1.1\r\n"):
        client.sendall(piece)
    got = handed.get(timeout=5)
    assert got is conn and conn.head == b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    assert conn.buffer == b"GET /next HTTP/1.1\r\n"
    # Sent back with the next request already complete (pipelined): handed on at once.
    conn.buffer += b"\r\n"
    gate.admit(conn)
    assert handed.get(timeout=5).head == b"GET /next HTTP/1.1\r\n\r\n"
    client.close()


def test_headers_past_the_limit_are_answered_431_and_closed(
        door: tuple[Door, queue.Queue[Connection]]) -> None:
    gate, handed = door
    client, conn = pair()
    gate.admit(conn)
    client.sendall(b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 2000)
    answer = client.recv(1000)
    assert answer.startswith(b"HTTP/1.1 431 ") and client.recv(1000) == b""
    assert handed.empty()


def test_past_the_waiting_limit_the_longest_waiting_is_closed(door: tuple[Door, queue.Queue[Connection]]
                                                              ) -> None:
    gate, handed = door
    pairs = [pair() for _ in range(4)]
    for client, conn in pairs:
        gate.admit(conn)
    assert pairs[0][0].recv(10) == b"", "the first to wait is closed"
    end = time.monotonic() + 5
    while gate.waiting() != 3 and time.monotonic() < end:
        time.sleep(0.01)
    assert gate.waiting() == 3
    client, conn = pairs[3]
    client.sendall(b"GET / HTTP/1.1\r\n\r\n")
    assert handed.get(timeout=5) is conn
    for client, _ in pairs:
        client.close()
