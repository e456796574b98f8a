#!/usr/bin/env python3
"""Build the Docker workshop deck: runs the deckwright CLI on this repository."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from deckwright.cli import entry

if __name__ == "__main__":
    # `python build.py` alone builds every format of this repository's deck into dist/.
    args = sys.argv[1:] or ["build", "--format", "all"]
    if args[0] not in ("--help", "-h", "--version") and "--root" not in args:
        args = [*args, "--root", os.path.dirname(os.path.abspath(__file__))]
    entry(args)
