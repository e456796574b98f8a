"""Forked worker processes that die with the process that forked them (a `kill -9` leaves none)."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor

# <linux/prctl.h>: deliver a signal to this process when its parent dies.
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a forked child: be killed when the process `parent` dies (Linux; elsewhere nothing).

    Without it a killed build leaves its workers running on, holding its staging folder, for as
    long as their drawing takes (and then blocked forever on the pool's queue).
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # The parent may have died between the fork and the prctl: then no signal ever comes.
    if os.getppid() != parent:
        os._exit(1)


def cpu_workers() -> int:
    """How many cores this process may use (its affinity, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def forked_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` forked processes (they inherit what this process has loaded), each of
    which dies with this process.

    The death signal follows the thread that forked: the pool must be used (and its workers
    started, on the first submit) from a thread that outlives it, as the writers do.
    """
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=die_with_parent, initargs=(os.getpid(),))
