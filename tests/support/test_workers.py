"""Forked writer workers die with the build that forked them: `kill -9` of a build leaves no process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from testkit import REPO

from deckwright.support.workers import die_with_parent

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="needs Linux's /proc")


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(ppid, state, start time) of a process, from /proc/<pid>/stat; None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # the name in parentheses may hold spaces
    return int(fields[1]), fields[0], int(fields[19])


def descendants(pid: int) -> dict[int, int]:
    """Every process below `pid` (children, their children…), each with its start time."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = (stat[0], stat[2])
    found: dict[int, int] = {}
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, start) in parents.items():
            if ppid == parent and child not in found:
                found[child] = start
                frontier.append(child)
    return found


def running(pid: int, start: int) -> bool:
    """Whether the process `pid` that started at `start` still runs (a zombie has ended)."""
    stat = _stat(pid)
    return stat is not None and stat[2] == start and stat[1] not in ("Z", "X")


def depth(pid: int, root: int) -> int:
    level = 0
    while pid != root and (stat := _stat(pid)) is not None and pid > 1:
        pid, level = stat[0], level + 1
    return level


def big_deck(parent: Path, slides: int = 1200) -> Path:
    root = parent / "big"
    (root / "slides").mkdir(parents=True)
    body = "\n\n---\n\n".join(f"## Slide {i}\n\n- point {i} with some words\n- another point\n\n"
                              f"```python\nx = {i}\nprint(x)\n```" for i in range(slides))
    (root / "slides" / "01.md").write_text(f"---\ntitle: Big\n---\n\n{body}\n", encoding="utf-8")
    return root


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="the writers fork workers on 2+ cores only")
def test_kill_9_of_a_build_leaves_no_writer_worker_running(tmp_path: Path) -> None:
    # PDF and PPTX: the pipeline forks a worker for the PDF, which forks one for the handout.
    root = big_deck(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO), "DECKWRIGHT_NO_CACHE": "1"}
    build = subprocess.Popen([sys.executable, "-m", "deckwright.cli", "build", "--root", str(root),
                              "-f", "pdf", "-f", "pptx"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: dict[int, int] = {}
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and build.poll() is None:
            workers = descendants(build.pid)
            if any(depth(pid, build.pid) >= 2 for pid in workers):  # the handout's worker too
                break
            time.sleep(0.05)
        assert build.poll() is None and any(depth(pid, build.pid) >= 2 for pid in workers), \
            "the build forked no workers (or finished before they were seen): make the deck bigger"
        build.send_signal(signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(running(p, s) for p, s in workers.items()):
            time.sleep(0.05)
        left = [pid for pid, start in workers.items() if running(pid, start)]
        assert left == [], f"workers still running after their build was killed: {left}"
    finally:
        build.kill()
        build.wait()
        for pid, start in workers.items():  # on the old code: end the orphans this test made
            if running(pid, start):
                os.kill(pid, signal.SIGKILL)


def test_a_worker_whose_parent_died_before_it_asked_for_the_signal_exits() -> None:
    # The parent's pid as the child saw it before the fork: when it differs now, the child was
    # orphaned before prctl and no death signal would ever come.
    child = os.fork()
    if child == 0:
        try:
            die_with_parent(parent=os.getppid() + 1_000_000)
        finally:
            os._exit(0)  # reached only when die_with_parent wrongly let the orphan live
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 1


def test_a_worker_whose_parent_lives_carries_on() -> None:
    child = os.fork()
    if child == 0:
        try:
            die_with_parent(parent=os.getppid())
        finally:
            os._exit(0)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
