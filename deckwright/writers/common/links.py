"""Link targets every writer may put in its output: web, mail, relative or an anchor, nothing else."""

from __future__ import annotations

import re

_SAFE_SCHEMES = ("http:", "https:", "mailto:")


def safe_href(href: str) -> str | None:
    """The link target if it is harmless (web, mail, relative, anchor), else None."""
    target = href.strip()
    lowered = re.sub(r"[\x00-\x20]", "", target).lower()
    if lowered.startswith(_SAFE_SCHEMES):
        return target
    # No scheme at all (relative path or #anchor): a ':' before any '/', '?' or '#' is a scheme.
    head = re.split(r"[/?#]", lowered, maxsplit=1)[0]
    return target if ":" not in head else None
