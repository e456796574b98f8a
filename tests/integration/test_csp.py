"""The page's Content-Security-Policy: HTML the sanitiser missed still requests nothing from elsewhere."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from testkit import ref, require, text

from deckwright.model.deck import Deck, DeckMeta, Image, Layout, Paragraph, RawHtml, Slide
from deckwright.model.theme import Theme
from deckwright.writers.html import writer as html_writer
from deckwright.writers.html.csp import page_policy, script_hash, speaker_view_script

EVIL = "https://evil.example"
# What a hole in the sanitiser could let through: every way HTML and CSS load something.
HOSTILE = [
    f'<img data-src="{EVIL}/data-src.png" alt="">',
    f'<div style="background:u\\72l({EVIL}/escaped-url.png)">a</div>',
    f"<div style=\"background-image:image-set('{EVIL}/image-set.png' 1x)\">b</div>",
    f'<a href="#" data-preview-link="{EVIL}/preview">preview</a>',
    f'<a href="#" data-preview-image="{EVIL}/preview.png">preview image</a>',
    '<img src="/\\evil.example/backslash.png" alt="">',
    f'<link rel="prefetch" href="{EVIL}/prefetch"><link rel="stylesheet" href="{EVIL}/sheet.css">',
    f'<img srcset="{EVIL}/srcset.png 1x" alt=""><img src="{EVIL}/plain.png" alt="">',
    f'<video poster="{EVIL}/poster.png" src="{EVIL}/video.mp4"></video>',
    f'<audio src="{EVIL}/audio.mp3" autoplay></audio><video><source src="{EVIL}/source.mp4"></video>',
    f'<object data="{EVIL}/object"></object><embed src="{EVIL}/embed"><iframe src="{EVIL}/iframe"></iframe>',
    f"<style>@import url({EVIL}/import.css); @font-face {{ font-family: evil; src: url({EVIL}/font.woff) }}"
    f" .evil {{ font-family: evil; background: url({EVIL}/rule.png) }}</style><p class=\"evil\">c</p>",
    f'<base href="{EVIL}/"><img src="relative-after-base.png" alt="">',
    f'<svg width="10" height="10"><image href="{EVIL}/svg-image.png" width="10" height="10"/></svg>',
    f'<div style="background:url({EVIL}/style-attr.png);cursor:url({EVIL}/cursor.png),auto">d</div>',
    f'<script src="{EVIL}/script.js"></script><script>new Image().src = "{EVIL}/inline-script";</script>',
    f'<img src="x" onerror="this.onerror=null;this.src=\'{EVIL}/handler.png\'" alt="">',
    f'<input type="image" src="{EVIL}/input.png" alt="">',
    f'<form action="{EVIL}/form"><button id="evil-submit">go</button></form>',
]
VIOLATIONS_JS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push({uri: e.blockedURI, directive: e.violatedDirective}));
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def hostile_deck(tmp_path: Path, theme: Theme) -> Path:
    """A built deck whose slides hold the vectors above as raw HTML (as if the sanitiser let them be)."""
    require(html_writer.find_reveal(tmp_path) is not None, "reveal.js (run `npm ci`)")
    root = tmp_path / "p"
    (root / "assets").mkdir(parents=True)
    from PIL import Image as PILImage

    PILImage.new("RGB", (8, 8), "red").save(root / "assets" / "own.png")
    slides = [Slide(ref(1), Layout.CONTENT, title=text("Own files"), blocks=(
        Paragraph(ref(2), text("Its own picture and fonts load.")),
        Image(ref(3), root / "assets" / "own.png", "own")), notes=(Paragraph(ref(4), text("Notes here")),))]
    slides += [Slide(ref(10 + i), Layout.CONTENT, title=text(f"Vector {i}"),
                     blocks=(RawHtml(ref(10 + i), html),)) for i, html in enumerate(HOSTILE)]
    # Every vector on one slide too, so reveal's lazy loading and preview links see them at once.
    slides.insert(1, Slide(ref(100), Layout.CONTENT, title=text("All"),
                           blocks=tuple(RawHtml(ref(100), html) for html in HOSTILE)))
    deck = Deck(DeckMeta(slug="hostile", title="Hostile"), tuple(slides), root)
    _, diags = html_writer.write(deck, theme, tmp_path / "out")
    assert not [d for d in diags if d.is_error]
    return tmp_path / "out" / "hostile"


def _open(browser: Any, url: str, local: Callable[[str], bool]) -> tuple[Any, Any, list[str], list[str]]:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    external: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if local(r.request.url):
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort("blockedbyclient")

    context.route("**/*", route)
    context.add_init_script(VIOLATIONS_JS)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=20000)
    return context, page, external, errors


def _visit_everything(page: Any) -> None:
    """Every slide shown, the preview links clicked, the form submitted: then a moment to settle."""
    for i in range(page.evaluate("() => Reveal.getTotalSlides()")):
        page.evaluate(f"() => Reveal.slide({i})")
    page.evaluate("() => Reveal.slide(1)")
    for selector in ("[data-preview-link]", "[data-preview-image]"):
        page.evaluate(f"() => document.querySelector('{selector}').click()")
        page.wait_for_timeout(300)
        page.evaluate("() => Reveal.hidePreview()")
    page.evaluate("() => document.getElementById('evil-submit').click()")
    page.wait_for_timeout(1000)


def _check(browser: Any, url: str, local: Callable[[str], bool], slides: int) -> None:
    context, page, external, errors = _open(browser, url, local)
    try:
        _visit_everything(page)
        assert external == []
        assert page.evaluate("() => Reveal.getTotalSlides()") == slides
        page.evaluate("() => Reveal.slide(0)")
        page.wait_for_function("() => document.fonts.check('28px dw-body')", timeout=5000)
        own = "() => [...document.querySelectorAll('img[src^=\"assets/\"]')].every(i => i.naturalWidth > 0)"
        page.wait_for_function(own, timeout=5000)
        violations = page.evaluate("() => window.__violations")
        assert violations, "the hostile vectors are refused by the policy"
        # Only the hostile ones: none for the deck's own files (its scripts ran: reveal started).
        assert [v for v in violations if local(v["uri"])] == []
        assert errors == []
        with context.expect_page() as popup_info:
            page.keyboard.press("s")
        notes = "() => (document.querySelector('.speaker-controls-notes .value') || {}).textContent || ''"
        popup_info.value.wait_for_function(f"() => ({notes})().includes('Notes here')", timeout=10000)
    finally:
        context.close()


@pytest.mark.browser
def test_a_hostile_deck_requests_nothing_outside_its_folder_when_served(browser: Any,
                                                                        hostile_deck: Path) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Quiet, directory=str(hostile_deck)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        _check(browser, base + "index.html",
               lambda u: u.startswith(base) or urlsplit(u).scheme in ("data", "about", "blob"),
               len(HOSTILE) + 2)
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_a_hostile_deck_requests_nothing_from_the_network_from_disk(browser: Any, hostile_deck: Path) -> None:
    """From disk Chromium's 'self' is every file: URL, even file://host/ (a share on Windows): the
    policy cannot confine those, the sanitiser removes them (`/\\host` included). Nothing else goes out."""
    _check(browser, hostile_deck.as_uri() + "/index.html",
           lambda u: urlsplit(u).scheme in ("file", "data", "about", "blob"), len(HOSTILE) + 2)


def test_the_policy_names_the_inline_scripts_by_hash(tmp_path: Path) -> None:
    notes = tmp_path / "notes.js"
    notes.write_text("const v = `<html><script>\n\tvar a = '\\\\n';\n<\\/script></html>`;", encoding="utf-8")
    speaker = "\n\tvar a = '\\n';\n"  # the template literal's value: one backslash
    assert speaker_view_script(notes.read_text(encoding="utf-8")) == speaker
    policy = page_policy(["init()"], notes, allow_scripts=False)
    assert f"script-src 'self' {script_hash('init()')} {script_hash(speaker)};" in policy
    assert "default-src 'none'" in policy and "base-uri 'none'" in policy and "unsafe-inline' ;" not in policy
    assert script_hash("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    # A deck that runs its own scripts: inline ones too, but still nothing from elsewhere.
    opted = page_policy(["init()"], notes, allow_scripts=True)
    assert "script-src 'self' 'unsafe-inline';" in opted and "sha256" not in opted
    assert "img-src 'self' data:" in opted


def test_a_deck_that_runs_its_own_scripts_gets_them_inline_too(make_project: Any, theme: Theme) -> None:
    from deckwright.reading.project import load_project

    plain = make_project({"slides/01.md": "## A\n\ntext\n", "slides/02.md": "## B\n\ntext\n"})
    deck, _ = load_project(plain)
    assert deck is not None and not deck.meta.allow_scripts
    (plain / "slides/02.md").write_text("---\nallow_scripts: true\n---\n\n## B\n\n<script>go()</script>\n")
    deck, _ = load_project(plain)
    assert deck is not None and deck.meta.allow_scripts
    require(html_writer.find_reveal(plain) is not None, "reveal.js (run `npm ci`)")
    html_writer.write(deck, theme, plain / "out")
    page = (plain / "out" / deck.meta.slug / "index.html").read_text(encoding="utf-8")
    assert "script-src &#39;self&#39; &#39;unsafe-inline&#39;; style-src" in page
