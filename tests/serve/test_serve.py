"""watch and serve: incremental rebuilds equal clean builds, broken saves keep the last good deck,
the server shows only the deck folder, and the open page follows every good save."""

from __future__ import annotations

import http.client
import io
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, ProjectFactory

from deckwright.build.pipeline import BuildOptions
from deckwright.reading import project as project_module
from deckwright.serve.server import BuildState, Rebuilder, make_server, run_serve, run_watch
from deckwright.support import memo as cache
from deckwright.writers.html import writer as html_writer

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


@pytest.fixture
def project(make_project: ProjectFactory) -> Path:
    return make_project({"slides/01-deck.md": DECK, "slides/02-more.md": SECOND, "assets/pic.png": png()})


def save(path: Path, text: str) -> None:
    """Save as many editors do: write a temporary file beside it, then rename it over the file."""
    tmp = path.with_name(f".{path.name}.swp.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def hidden(folder: Path) -> list[str]:
    """Temporaries and set-aside folders (atomic.py names them `.name…`)."""
    return [p.relative_to(folder).as_posix() for p in folder.rglob(".*")]


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


# --------------------------------------------------------------------------- incremental


def test_an_incremental_rebuild_equals_a_clean_build_and_reads_only_the_edited_file(
        tmp_path: Path) -> None:
    root = tmp_path / "workshop"
    for name in ("slides", "assets"):
        shutil.copytree(REPO / name, root / name)
    out = root / "dist"
    rebuilder = Rebuilder(BuildOptions(root=root, out=out), echo=Echo())
    assert not rebuilder.rebuild().failed(False)
    edited = sorted((root / "slides").glob("*.md"))[3]
    text = edited.read_text(encoding="utf-8")
    assert "Docker" in text
    memos = [cache.memo_of(project_module._parse_cached), cache.memo_of(project_module.read_tokens)]
    before = [(m.hits, m.misses) for m in memos]
    sections = html_writer._SECTIONS.misses
    save(edited, text.replace("Docker", "Dockerr", 1))
    assert not rebuilder.rebuild({edited}).failed(False)
    files = len(list((root / "slides").glob("*.md")))
    for memo, (hits, misses) in zip(memos, before, strict=True):
        assert (memo.hits - hits, memo.misses - misses) == (files - 1, 1), "only the edited file is read"
    assert html_writer._SECTIONS.misses - sections == 1, "only the edited slide is rendered again"
    assert snapshot(out) == clean_build(root, tmp_path / "clean1")
    # An edited image (not Markdown): its new bytes are in the deck, as after a clean build.
    svg = root / "assets" / "docker-stack.svg"
    svg.write_text(svg.read_text(encoding="utf-8").replace("</svg>", "<!-- edited --></svg>"))
    assert not rebuilder.rebuild({svg}).failed(False)
    assert snapshot(out) == clean_build(root, tmp_path / "clean2")
    assert hidden(out) == []


def test_a_missing_image_saved_later_is_found_on_the_next_rebuild(project: Path) -> None:
    echo = Echo()
    rebuilder = Rebuilder(BuildOptions(root=project), echo=echo)
    save(project / "slides/02-more.md", SECOND + "\n![late](../assets/late.png)\n")
    assert rebuilder.rebuild().failed(False)
    assert any("slides/02-more.md:9: error: image not found" in m for m in echo)
    (project / "assets/late.png").write_bytes(png())
    # Only an image changed: the cached reading of the unchanged Markdown must not be reused.
    assert not rebuilder.rebuild({project / "assets/late.png"}).failed(False)


def test_a_renamed_slug_leaves_no_stale_deck_behind(project: Path) -> None:
    rebuilder = Rebuilder(BuildOptions(root=project), echo=Echo())
    rebuilder.rebuild()
    save(project / "slides/01-deck.md", DECK.replace("slug: live-deck", "slug: renamed"))
    rebuilder.rebuild({project / "slides/01-deck.md"})
    assert sorted(p.name for p in (project / "dist").iterdir()) == ["renamed"]


# --------------------------------------------------------------------------- broken saves


def test_100_alternating_broken_and_fixed_saves_keep_the_last_good_deck(project: Path,
                                                                       tmp_path: Path) -> None:
    echo, state = Echo(), BuildState()
    rebuilder = Rebuilder(BuildOptions(root=project), state, echo)
    out, more = project / "dist", project / "slides/02-more.md"
    assert not rebuilder.rebuild().failed(False)
    for i in range(100):
        good = snapshot(out)
        good_generation = state.deck_generation
        if i % 2 == 0:
            text, line, message = BROKEN[(i // 2) % len(BROKEN)]
            save(more, text)
            echo.clear()
            assert rebuilder.rebuild({more}).failed(False)
            assert any(m.startswith(f"slides/02-more.md:{line}: error: ") and message in m
                       for m in echo), echo
            assert snapshot(out) == good, "a broken save must not touch dist/"
            assert not state.ok and state.deck_generation == good_generation
            assert any(f"slides/02-more.md:{line}: error:" in m for m in state.snapshot()["messages"])
        else:
            save(more, SECOND.replace("Zeta body", f"Zeta fixed {i}"))
            assert not rebuilder.rebuild({more}).failed(False)
            assert f"Zeta fixed {i}" in index_text(out)
            assert state.ok and state.deck_generation == state.generation
    assert hidden(out) == []
    assert snapshot(out) == clean_build(project, tmp_path / "clean")


def test_broken_and_fixed_saves_through_the_real_watcher(project: Path, tmp_path: Path) -> None:
    echo, stop, ready = Echo(), threading.Event(), threading.Event()
    out, more = project / "dist", project / "slides/02-more.md"
    thread = threading.Thread(target=run_watch, args=(BuildOptions(root=project), stop, echo, ready.set))
    thread.start()
    try:
        assert ready.wait(30), echo
        for i in range(4):
            builds = echo.builds()
            if i % 2 == 0:
                save(more, BROKEN[i // 2][0])
                wait_until(lambda: echo.builds() > builds, what="a failed build")
                assert any(m.startswith("slides/02-more.md:3: error:") for m in echo)
                assert "Zeta" in index_text(out) or i == 0
            else:
                save(more, SECOND.replace("Zeta body", f"Zeta watched {i}"))
                wait_until(lambda i=i: f"Zeta watched {i}" in index_text(out), what="the fix")
        # deck.yaml sits in the root, watched flat: a saved deck.yaml (renamed over) is seen twice.
        for title in ("From deck.yaml", "From deck.yaml again"):
            save(project / "deck.yaml", f"title: {title}\n")
            wait_until(lambda title=title: f">{title}<" in index_text(out), what=title)
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()
    assert "deckwright: stopped" in echo
    assert hidden(out) == []
    assert snapshot(out) == clean_build(project, tmp_path / "clean")


def test_a_crash_inside_a_build_is_reported_and_watching_goes_on(project: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from deckwright.serve import server as serve

    echo, state = Echo(), BuildState()
    rebuilder = Rebuilder(BuildOptions(root=project), state, echo)
    assert not rebuilder.rebuild().failed(False)
    real = serve.build

    def crash(options: BuildOptions) -> Any:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(serve, "build", crash)
    assert rebuilder.rebuild().failed(False)
    assert any("ZeroDivisionError: a bug" in m for m in echo) and not state.ok
    monkeypatch.setattr(serve, "build", real)
    assert not rebuilder.rebuild().failed(False) and state.ok


# --------------------------------------------------------------------------- other formats


def pptx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("ppt/slides/"))


def test_other_formats_follow_the_html_and_only_the_newest_edit_is_built(project: Path) -> None:
    echo = Echo()
    rebuilder = Rebuilder(BuildOptions(root=project, formats=("html", "pptx")), echo=echo)
    more = project / "slides/02-more.md"
    try:
        for i in range(3):
            save(more, SECOND.replace("Zeta body", f"Zeta version {i}"))
            start = time.perf_counter()
            rebuilder.rebuild({more})
            # The HTML is on disk before the PPTX (a separate process) could possibly be.
            assert f"Zeta version {i}" in index_text(project / "dist")
            assert time.perf_counter() - start < 5
        assert rebuilder.idle(120)
        pptx = project / "dist" / f"{SLUG}.pptx"
        assert "Zeta version 2" in pptx_text(pptx)
        assert hidden(project / "dist") == []
    finally:
        rebuilder.stop()


def test_stopping_during_a_background_build_leaves_no_temporaries(project: Path) -> None:
    rebuilder = Rebuilder(BuildOptions(root=project, formats=("html", "pptx")), echo=Echo())
    rebuilder.rebuild()
    time.sleep(0.3)  # the child has started
    rebuilder.stop()
    assert hidden(project / "dist") == []


def _read_lines(stream: Any, into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line)


def test_ctrl_c_ends_watch_cleanly(project: Path) -> None:
    proc = subprocess.Popen([sys.executable, "build.py", "watch", "--root", str(project),
                             "--format", "html", "--format", "pptx"],
                            cwd=REPO, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    seen: list[str] = []
    assert proc.stderr is not None
    threading.Thread(target=_read_lines, args=(proc.stderr, lines), daemon=True).start()

    def wait_for(text: str) -> None:
        while not any(text in line for line in seen):
            seen.append(lines.get(timeout=60))

    try:
        wait_for("watching")
        save(project / "slides/02-more.md", SECOND.replace("Zeta", "Zed"))
        wait_for("html rebuilt")
        wait_for("html rebuilt in")
        proc.send_signal(signal.SIGINT)  # while the PPTX is (most likely) being built
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
    time.sleep(0.1)
    while not lines.empty():
        seen.append(lines.get())
    stderr = "".join(seen)
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert "deckwright: stopped" in stderr
    assert hidden(project / "dist") == []


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


# --------------------------------------------------------------------------- atomic outputs


def visible(folder: Path) -> dict[str, bytes]:
    """The outputs, without the temporaries a killed build may leave (the next build removes them)."""
    return {k: v for k, v in snapshot(folder).items() if not any(p.startswith(".") for p in k.split("/"))}


@pytest.mark.parametrize("fmt", ["pptx", "html"])
def test_a_killed_build_leaves_the_old_output_or_the_whole_new_one(tmp_path: Path, fmt: str) -> None:
    root, out = tmp_path / "big", tmp_path / "out"
    subprocess.run([sys.executable, "benchmarks/generate.py", "300", str(root)], cwd=REPO, check=True,
                   capture_output=True)
    old = clean_build(root, out, fmt)
    deck = root / "slides/deck.md"
    deck.write_text(deck.read_text(encoding="utf-8") + "\n## One more slide\n\nNew text\n")
    start = time.perf_counter()
    new = clean_build(root, tmp_path / "reference", fmt)
    took = time.perf_counter() - start
    assert new != old
    outcomes = set()
    for fraction in (0.3, 0.6, 0.9, 1.3):
        shutil.rmtree(out)
        for rel, data in old.items():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_bytes(data)
        proc = subprocess.Popen([sys.executable, "-m", "deckwright.cli", "build", "--format", fmt,
                                 "--root", str(root), "--out", str(out)], cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(took * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        now = visible(out)
        assert now in (old, new), f"killed after {fraction:.0%} of a build: neither old nor new"
        for name, data in now.items():
            if name.endswith(".pptx"):
                assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
        outcomes.add("new" if now == new else "old")
    assert "old" in outcomes, "no kill landed during the build: the test proved nothing"


# --------------------------------------------------------------------------- the server


@pytest.fixture
def served(project: Path) -> Iterator[tuple[str, Rebuilder, Path]]:
    """The deck built once and served by `make_server` on a free port (no watcher)."""
    state = BuildState()
    rebuilder = Rebuilder(BuildOptions(root=project), state, Echo())
    assert not rebuilder.rebuild().failed(False)
    server = make_server(lambda: rebuilder.deck_dir, state, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{server.server_address[1]}"
    yield host, rebuilder, project / "dist" / SLUG
    server.closing = True  # type: ignore[attr-defined]
    with state.changed:
        state.changed.notify_all()
    server.shutdown()
    server.server_close()


def get(host: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """A GET with the path sent exactly as given (no client-side normalisation)."""
    conn = http.client.HTTPConnection(host, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_the_server_listens_on_loopback_only(served: tuple[str, Rebuilder, Path]) -> None:
    assert served[0].startswith("127.0.0.1:")


def test_the_server_serves_the_deck_with_the_live_script(served: tuple[str, Rebuilder, Path]) -> None:
    host, _, folder = served
    status, body = get(host, "/")
    assert status == 200
    assert b"Alpha body" in body and b'<script src="/__deckwright/live.js"></script></body>' in body
    assert b"__deckwright" not in (folder / "index.html").read_bytes(), "dist/ stays as built"
    assert get(host, "/assets/deck.css") == (200, (folder / "assets/deck.css").read_bytes())
    assert get(host, "/__deckwright/live.js")[0] == 200


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/assets/../../secret.txt",
    "/assets/%2e%2e/%2e%2e/secret.txt", "/..%5csecret.txt", "/%5c..%5csecret.txt",
    "//secret.txt", "/secret.txt", "/out-link.txt", "/out-dir/secret.txt",
    "/../../project/slides/01-deck.md", "/%2e%2e/%2e%2e/project/slides/01-deck.md",
])
def test_nothing_outside_the_deck_folder_is_served(served: tuple[str, Rebuilder, Path], path: str) -> None:
    host, _, folder = served
    secret = folder.parent / "secret.txt"
    secret.write_text("top secret")
    (folder / "out-link.txt").symlink_to(secret)
    (folder / "out-dir").symlink_to(folder.parent, target_is_directory=True)
    absolute = f"{secret}"  # an absolute file system path as the URL path
    for p in (path, absolute):
        status, body = get(host, p)
        assert status == 404 and b"top secret" not in body and b"Alpha" not in body, p


def test_requests_for_other_host_names_are_refused(served: tuple[str, Rebuilder, Path]) -> None:
    host, _, _ = served
    port = host.rsplit(":", 1)[1]
    assert get(host, "/", {"Host": f"localhost:{port}"})[0] == 200
    # DNS rebinding: a web page whose name resolves to 127.0.0.1 must not read the deck.
    assert get(host, "/", {"Host": f"evil.example:{port}"})[0] == 403


def test_the_server_never_serves_a_half_written_build(served: tuple[str, Rebuilder, Path]) -> None:
    host, rebuilder, _ = served
    more = rebuilder.options.root / "slides/02-more.md"
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
            rebuilder.rebuild({more})
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


def test_the_event_stream_reports_each_build(served: tuple[str, Rebuilder, Path]) -> None:
    host, rebuilder, _ = served
    conn = http.client.HTTPConnection(host, timeout=10)
    conn.request("GET", "/__deckwright/events")
    response = conn.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    first = read_event(response)
    assert first["ok"] and first["deck_generation"] == first["generation"]
    more = rebuilder.options.root / "slides/02-more.md"
    save(more, BROKEN[1][0])
    rebuilder.rebuild({more})
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
