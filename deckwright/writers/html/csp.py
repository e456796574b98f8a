"""The page's Content-Security-Policy: it loads the deck's own files and runs the scripts it ships."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

# reveal.js's notes plugin writes the speaker view into an about:blank popup, which inherits this
# policy: its one inline script is allowed by its hash, read from the notes.js the page ships.
_SPEAKER_SCRIPT = re.compile(r"<script>(.*?)<\\/script>", re.S)
_TEMPLATE_ESCAPE = re.compile(r"\\(.)", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}


def script_hash(text: str) -> str:
    """A CSP hash source for an inline script whose text is exactly `text`."""
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def speaker_view_script(notes_js: str) -> str | None:
    """The speaker view's inline script as the browser runs it (the JavaScript template literal's value).

    None when notes.js holds no such script or one this cannot read exactly (`${…}` or an
    escape other than a single character): the speaker view is then not allowed to run.
    """
    found = _SPEAKER_SCRIPT.search(notes_js)
    if found is None or "${" in found.group(1) or "`" in found.group(1):
        return None
    raw = found.group(1).replace("\r\n", "\n").replace("\r", "\n")
    if re.search(r"\\[0-9xuU\n]", raw):
        return None
    return _TEMPLATE_ESCAPE.sub(lambda m: _SIMPLE_ESCAPES.get(m.group(1), m.group(1)), raw)


def page_policy(inline_scripts: list[str], notes_js: Path, *, allow_scripts: bool) -> str:
    """The policy: every fetch goes to the deck's own folder ('self'), or is a data: image or font.

    Scripts are the deck's files and the inline scripts named by hash. A deck that opts in with
    `allow_scripts: true` may run inline scripts and handlers of its own ('unsafe-inline'), but
    still loads nothing from elsewhere.
    """
    if allow_scripts:
        scripts = "'self' 'unsafe-inline'"
    else:
        hashes = [script_hash(text) for text in inline_scripts]
        speaker = speaker_view_script(notes_js.read_text(encoding="utf-8"))
        if speaker is not None:
            hashes.append(script_hash(speaker))
        scripts = " ".join(["'self'", *hashes])
    return "; ".join((
        "default-src 'none'", f"script-src {scripts}", "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:", "font-src 'self' data:", "media-src 'self'", "connect-src 'self'",
        "frame-src 'self'", "child-src 'self'", "worker-src 'none'", "manifest-src 'none'",
        "object-src 'none'", "base-uri 'none'", "form-action 'none'",
    ))
