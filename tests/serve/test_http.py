"""Serving: only the deck folder, only to this machine, never half a build; the event stream reports
each build and the open page follows every good save."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import queue
import re
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_helpers import BROKEN, DECK, SECOND, SLUG, Echo, save
from testkit import REPO

from deckwright.build.pipeline import BuildOptions
from deckwright.serve.http import DeckServer, make_server, run_serve
from deckwright.serve.rebuild import BuildState, Rebuilder


def test_serve_command_reports_its_port_serves_and_stops_on_ctrl_c(project: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "deckwright.cli", "serve", "--port", "0",
                             "--root", str(project)], cwd=REPO, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    seen: list[str] = []
    try:
        while not any("serving http://127.0.0.1:" in line for line in seen):
            line = proc.stderr.readline()
            assert line, "".join(seen)
            seen.append(line)
        url = next(line for line in seen if "serving" in line).split()[2]
        host = url.removeprefix("http://").rstrip("/")
        status, body = get(host, "/")
        assert status == 200 and b"Alpha body" in body
        # A second server on the same port fails with a message, not a traceback.
        busy = subprocess.run([sys.executable, "-m", "deckwright.cli", "serve", "--port",
                               host.rsplit(":", 1)[1], "--root", str(project)],
                              cwd=REPO, capture_output=True, text=True, timeout=60)
        assert busy.returncode == 1 and "cannot serve on 127.0.0.1" in busy.stderr
        assert "Traceback" not in busy.stderr
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
    rest = proc.stderr.read()
    assert "Traceback" not in rest and "deckwright: stopped" in rest


# --------------------------------------------------------------------------- the server


@pytest.fixture
def served(project: Path) -> Iterator[tuple[str, DeckServer, Path]]:
    """The deck built once and served by `make_server` on a free port (no watcher; `build` rebuilds)."""
    state = BuildState()
    rebuilder = Rebuilder(BuildOptions(root=project), state, Echo())
    assert not rebuilder.rebuild().failed(False)
    server = make_server(rebuilder.rebuild, lambda: rebuilder.deck_dir, state, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{server.server_address[1]}"
    yield host, server, project / "dist" / SLUG
    server.close()


def get(host: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """A GET with the path sent exactly as given (no client-side normalisation)."""
    conn = http.client.HTTPConnection(host, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_the_server_listens_on_loopback_only(served: tuple[str, DeckServer, Path]) -> None:
    assert served[0].startswith("127.0.0.1:")


def test_the_server_serves_the_deck_with_the_live_script(served: tuple[str, DeckServer, Path]) -> None:
    host, _, folder = served
    status, body = get(host, "/")
    assert status == 200
    assert b"Alpha body" in body
    assert re.search(rb'<script src="/__deckwright/live.js" data-generation="\d+"></script></body>', body)
    assert b"__deckwright" not in (folder / "index.html").read_bytes(), "dist/ stays as built"
    assert get(host, "/assets/deck.css") == (200, (folder / "assets/deck.css").read_bytes())
    status, script = get(host, "/__deckwright/live.js")
    assert status == 200 and b"new EventSource('/__deckwright/events')" in script


def test_the_live_script_is_package_data_so_a_wheel_carries_it() -> None:
    import fnmatch
    import tomllib

    globs = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["deckwright"]
    package = REPO / "deckwright"
    data = [p.relative_to(package).as_posix() for p in (package / "serve").iterdir() if p.suffix != ".py"
            and p.is_file()]
    assert "serve/live.js" in data
    assert all(any(fnmatch.fnmatch(name, g) for g in globs) for name in data), (data, globs)


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/assets/../../secret.txt",
    "/assets/%2e%2e/%2e%2e/secret.txt", "/..%5csecret.txt", "/%5c..%5csecret.txt",
    "//secret.txt", "/secret.txt", "/out-link.txt", "/out-dir/secret.txt",
    "/../../project/slides/01-deck.md", "/%2e%2e/%2e%2e/project/slides/01-deck.md",
])
def test_nothing_outside_the_deck_folder_is_served(served: tuple[str, DeckServer, Path], path: str) -> None:
    host, _, folder = served
    secret = folder.parent / "secret.txt"
    secret.write_text("top secret")
    (folder / "out-link.txt").symlink_to(secret)
    (folder / "out-dir").symlink_to(folder.parent, target_is_directory=True)
    absolute = f"{secret}"  # an absolute file system path as the URL path
    for p in (path, absolute):
        status, body = get(host, p)
        assert status == 404 and b"top secret" not in body and b"Alpha" not in body, p


def test_requests_for_other_host_names_are_refused(served: tuple[str, DeckServer, Path]) -> None:
    host, _, _ = served
    port = host.rsplit(":", 1)[1]
    assert get(host, "/", {"Host": f"localhost:{port}"})[0] == 200
    # DNS rebinding: a web page whose name resolves to 127.0.0.1 must not read the deck.
    assert get(host, "/", {"Host": f"evil.example:{port}"})[0] == 403


def test_the_server_never_serves_a_half_written_build(served: tuple[str, DeckServer, Path]) -> None:
    host, server, folder = served
    more = folder.parents[1] / "slides/02-more.md"
    stop, responses = threading.Event(), []

    def fetch() -> None:
        while not stop.is_set():
            responses.append(get(host, "/"))
            responses.append(get(host, "/assets/deck.css"))

    fetchers = [threading.Thread(target=fetch) for _ in range(3)]
    for t in fetchers:
        t.start()
    try:
        for i in range(30):
            save(more, SECOND.replace("Zeta body", f"Zeta {i}"))
            server.build({more})
    finally:
        stop.set()
        for t in fetchers:
            t.join()
    assert len(responses) > 30
    assert all(status == 200 for status, _ in responses)
    pages = [body for _, body in responses if body.startswith(b"<!")]
    assert pages and all(body.rstrip().endswith(b"</html>") and b"Alpha body" in body for body in pages)


def read_event(response: http.client.HTTPResponse) -> dict[str, Any]:
    while True:
        line = response.fp.readline().decode()
        if line.startswith("data: "):
            data: dict[str, Any] = json.loads(line[6:])
            return data


def test_the_event_stream_reports_each_build(served: tuple[str, DeckServer, Path]) -> None:
    host, server, folder = served
    conn = http.client.HTTPConnection(host, timeout=10)
    conn.request("GET", "/__deckwright/events")
    response = conn.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    first = read_event(response)
    assert first["ok"] and first["deck_generation"] == first["generation"]
    more = folder.parents[1] / "slides/02-more.md"
    save(more, BROKEN[1][0])
    server.build({more})
    broken = read_event(response)
    assert not broken["ok"] and broken["deck_generation"] == first["generation"]
    assert "slides/02-more.md:3: error: image not found: missing.png" in broken["messages"]
    conn.close()


# --------------------------------------------------------------------------- in a real browser


PRESENT = "document.querySelector('.reveal .slides section.present')"


@pytest.mark.browser
def test_the_open_page_follows_saves_on_the_same_slide_and_shows_errors(project: Path,
                                                                        browser: Any) -> None:
    stop, urls = threading.Event(), queue.Queue[str]()
    echo = Echo()
    thread = threading.Thread(target=run_serve, kwargs={
        "options": BuildOptions(root=project), "port": 0, "echo": echo, "stop": stop,
        "ready": urls.put})
    thread.start()
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    deck = project / "slides/01-deck.md"
    try:
        url = urls.get(timeout=30)
        assert url.startswith("http://127.0.0.1:")
        page.goto(url)
        page.wait_for_function("() => window.Reveal && Reveal.isReady()")
        page.evaluate("() => Reveal.slide(3)")  # slide 4 of the deck, "Gamma" (1 is the title)
        assert page.evaluate(f"() => {PRESENT}.textContent").count("Gamma body") == 1

        save(deck, DECK.replace("Gamma body", "Gamma edited"))
        page.wait_for_function(f"() => {PRESENT} && {PRESENT}.textContent.includes('Gamma edited')",
                               timeout=20000)
        page.wait_for_function("() => window.Reveal && Reveal.isReady()")
        assert page.evaluate("() => Reveal.getIndices().h") == 3

        save(deck, DECK.replace("Gamma body", "Gamma edited\n\n![gone](missing.png)"))
        overlay = page.locator("#deckwright-errors")
        overlay.wait_for(state="visible", timeout=20000)
        assert "slides/01-deck.md:18: error: image not found: missing.png" in overlay.text_content()
        assert "Gamma edited" in page.evaluate(f"() => {PRESENT}.textContent"), "the old deck stays"
        assert page.evaluate("() => Reveal.getIndices().h") == 3

        save(deck, DECK.replace("Gamma body", "Gamma fixed"))
        page.wait_for_function(f"() => {PRESENT} && {PRESENT}.textContent.includes('Gamma fixed')",
                               timeout=20000)
        page.wait_for_function("() => window.Reveal && Reveal.isReady()")
        assert page.locator("#deckwright-errors").count() == 0
        assert page.evaluate("() => Reveal.getIndices().h") == 3
    finally:
        page.close()
        stop.set()
        thread.join(30)
    assert not thread.is_alive()


def test_a_deck_folder_that_is_a_symbolic_link_is_not_served(tmp_path: Path) -> None:
    from deckwright.serve.http import deck_base, resolve_inside

    real = tmp_path / "dist" / "deck"
    real.mkdir(parents=True)
    (real / "index.html").write_text("deck", encoding="utf-8")
    assert deck_base(real) == real.resolve()
    link = tmp_path / "dist" / "linked"
    link.symlink_to("/")
    assert deck_base(link) is None  # /etc/passwd is not "inside" it
    inner = tmp_path / "dist" / "via"
    inner.symlink_to(real)
    assert deck_base(inner) is None
    (real / "escape").symlink_to("/etc")
    base = deck_base(real)
    assert base is not None and resolve_inside(base, "/escape/passwd") is None
    assert resolve_inside(base, "/index.html") == (real / "index.html").resolve()


def test_the_loopback_is_named_in_every_form_and_nothing_else_is() -> None:
    from deckwright.serve.http import local_host

    for header in ("127.0.0.1", "127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]", "[::1]:8000"):
        assert local_host(header), header
    for header in ("evil.example", "evil.example:8000", "[::2]:8000", "127.0.0.1.evil.example",
                   "[::1]x.evil:1", "localhost:80:80"):
        assert not local_host(header), header


def test_a_client_that_goes_away_prints_no_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    from deckwright.serve.http import DeckServer

    server = DeckServer.__new__(DeckServer)
    try:
        raise BrokenPipeError(32, "Broken pipe")
    except BrokenPipeError:
        server.handle_error(None, ("127.0.0.1", 1))
    assert capsys.readouterr().err == ""
    assert DeckServer.request_queue_size >= 512


# --------------------------------------------------------------------------- many clients, slow clients


def thread_counts() -> tuple[int, int]:
    """The threads of this process: Python's, and the kernel's (/proc/self/task)."""
    return threading.active_count(), len(os.listdir("/proc/self/task"))


def request_bytes(host: str, path: str = "/") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()


def read_all(socks: list[socket.socket], timeout: float) -> list[bytes]:
    """Everything each socket receives until the server closes it, read side by side."""
    received = [b""] * len(socks)
    selector = selectors.DefaultSelector()
    for i, sock in enumerate(socks):
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ, i)
    end = time.monotonic() + timeout
    while selector.get_map() and time.monotonic() < end:
        for key, _ in selector.select(timeout=0.5):
            try:
                data = key.fileobj.recv(65536)  # type: ignore[union-attr]
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if data:
                received[key.data] += data
            else:
                selector.unregister(key.fileobj)
    selector.close()
    return received


def test_500_simultaneous_connections_are_all_answered(served: tuple[str, DeckServer, Path]) -> None:
    host, _, folder = served
    port = int(host.rsplit(":", 1)[1])
    socks = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(500)]
    try:
        for i, sock in enumerate(socks):
            sock.sendall(request_bytes(host, "/" if i % 2 else "/assets/deck.css"))
        answers = read_all(socks, timeout=120)
    finally:
        for sock in socks:
            sock.close()
    css = (folder / "assets/deck.css").read_bytes()
    assert all(a.startswith(b"HTTP/1.1 200 ") for a in answers), sum(not a for a in answers)
    assert all(a.endswith(css) for a in answers[::2]) and all(b"Alpha body" in a for a in answers[1::2])


def test_400_slow_clients_hold_no_thread_each_and_others_are_still_answered(
        served: tuple[str, DeckServer, Path]) -> None:
    """Slowloris: clients that connect and send nothing, or a request's headers a byte at a time."""
    host, _, _ = served
    port = int(host.rsplit(":", 1)[1])
    before = thread_counts()
    silent = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(200)]
    dripping = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(200)]
    most = before
    try:
        for sock in dripping:
            sock.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nX-Slow: ".encode())
        for _ in range(6):
            time.sleep(0.4)
            for sock in dripping:
                with contextlib.suppress(OSError):  # a connection the server closed
                    sock.send(b"a")
            most = max(most, thread_counts())
        start = time.monotonic()
        assert get(host, "/")[0] == 200
        assert time.monotonic() - start < 5, "a normal request waits behind no slow client"
        most = max(most, thread_counts())
    finally:
        for sock in silent + dripping:
            sock.close()
    grown = (most[0] - before[0], most[1] - before[1])
    assert max(grown) <= 20, f"threads grew by {grown} (Python, kernel) for 400 slow clients"


def test_a_slow_request_is_closed_at_its_deadline_and_a_silent_connection_when_idle(
        served: tuple[str, DeckServer, Path]) -> None:
    from deckwright.serve.door import DoorLimits

    host, server, _ = served
    port = int(host.rsplit(":", 1)[1])
    server.door.limits = DoorLimits(head_timeout=1.0, idle_timeout=2.0)
    dripping = socket.create_connection(("127.0.0.1", port), timeout=10)
    silent = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        dripping.sendall(b"GET / HTTP/1.1\r\n")
        start, closed_after = time.monotonic(), None
        while time.monotonic() - start < 8:
            try:
                dripping.send(b"X")  # a header that never ends, a byte at a time
            except OSError:
                closed_after = time.monotonic() - start
                break
            time.sleep(0.2)
        assert closed_after is not None and closed_after < 4, closed_after
        silent.settimeout(6)
        assert silent.recv(100) == b"", "closed, with no answer"
    finally:
        dripping.close()
        silent.close()
    assert get(host, "/")[0] == 200


def test_a_kept_alive_connection_answers_request_after_request(served: tuple[str, DeckServer, Path]) -> None:
    host, _, _ = served
    conn = http.client.HTTPConnection(host, timeout=10)
    try:
        for path in ("/", "/assets/deck.css", "/__deckwright/live.js", "/missing"):
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            assert response.status == (404 if path == "/missing" else 200), path
    finally:
        conn.close()
    # Two requests sent at once (pipelined) get two answers, in order.
    port = int(host.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET /__deckwright/live.js HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
                     + request_bytes(host, "/missing"))
        (answer,) = read_all([sock], timeout=20)
    assert answer.startswith(b"HTTP/1.1 200 ") and answer.count(b"HTTP/1.1 ") == 2
    assert b"HTTP/1.1 404 " in answer.split(b"EventSource", 1)[1]


def test_open_tabs_have_their_own_limit_and_cannot_starve_requests(
        served: tuple[str, DeckServer, Path]) -> None:
    host, server, _ = served
    before = thread_counts()
    streams = []
    try:
        for _ in range(server.streams):
            conn = http.client.HTTPConnection(host, timeout=10)
            conn.request("GET", "/__deckwright/events")
            response = conn.getresponse()
            assert response.status == 200
            read_event(response)
            streams.append(conn)
        # Every stream slot is taken: another tab is told so, and pages are still served.
        assert get(host, "/__deckwright/events")[0] == 503
        for _ in range(20):
            assert get(host, "/")[0] == 200
        threads = thread_counts()
        assert threads[0] - before[0] <= server.max_threads()
        # A closed tab frees its slot.
        streams.pop().close()
        server.build(None)  # wakes the streams: the closed one ends
        end = time.monotonic() + 20
        while time.monotonic() < end:
            conn = http.client.HTTPConnection(host, timeout=10)
            conn.request("GET", "/__deckwright/events")
            response = conn.getresponse()
            if response.status == 200:
                streams.append(conn)
                break
            conn.close()
            time.sleep(0.2)
        else:
            raise AssertionError("the freed stream slot was never given again")
    finally:
        for conn in streams:
            conn.close()
