"""The reveal.js writer: HTML fragments, theme CSS, the output folder, and the deck in real Chromium."""

from __future__ import annotations

import functools
import hashlib
import http.server
import importlib.util
import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from PIL import Image as PILImage
from testkit import REPO, ref, require, text

from deckwright.diagnostics import SourceRef
from deckwright.layout.geometry import IMAGE_SIDE, body_box, title_box
from deckwright.layout.highlight import highlight_lines
from deckwright.layout.slides import plan_slide
from deckwright.model.deck import (
    Align,
    Cell,
    CodeBlock,
    Column,
    Columns,
    Deck,
    DeckMeta,
    Image,
    Layout,
    ListBlock,
    ListItem,
    Paragraph,
    QRCode,
    Quote,
    RawHtml,
    Slide,
    Span,
    Table,
)
from deckwright.model.theme import Theme, load_theme
from deckwright.support.packaged import THEMES_DIR
from deckwright.writers.common.links import safe_href
from deckwright.writers.common.qr import qr_png, qr_svg
from deckwright.writers.html import writer as html_writer
from deckwright.writers.html.css import custom_properties, font_faces, geometry_css, theme_css
from deckwright.writers.html.render import (
    RenderOptions,
    block_html,
    column_fractions,
    inline_html,
    notes_html,
    slide_classes,
    slide_frame_html,
    title_sizes,
)

_REVEAL = html_writer.find_reveal(REPO)
HAVE_REVEAL = _REVEAL is not None and all((_REVEAL / rel).is_file() for rel in html_writer.REVEAL_FILES)


OPTS = RenderOptions(asset_url=lambda p: f"assets/{p.name}")


# --------------------------------------------------------------------------- inline


def test_text_is_html_escaped() -> None:
    html = inline_html(text('<script>alert("x")</script> & co'))
    assert "<script>" not in html
    assert html == "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co"


def test_spans_map_to_semantic_tags() -> None:
    html = inline_html((Span("a", bold=True), Span("b", italic=True), Span("c", strike=True),
                        Span("d", code=True), Span("1", superscript=True), Span("\n"), Span("e")))
    assert html == ('<strong>a</strong><em>b</em><s>c</s><code>d</code>'
                    '<sup class="dw-fn-ref">1</sup><br>e')


def test_links_keep_safe_targets_and_drop_script_urls() -> None:
    web = inline_html(text("docs", href="https://docs.docker.com/?a=1&b=2"))
    assert web == ('<a href="https://docs.docker.com/?a=1&amp;b=2" target="_blank" '
                   'rel="noopener noreferrer">docs</a>')
    assert inline_html(text("next", href="#/3")) == '<a href="#/3">next</a>'
    for bad in ("javascript:alert(1)", " JaVa\tScript:alert(1)", "data:text/html,<b>x</b>", "vbscript:x"):
        assert safe_href(bad) is None
        assert inline_html(text("x", href=bad)) == "x"


# --------------------------------------------------------------------------- blocks


def test_list_items_with_steps_are_numbered_fragments() -> None:
    lst = ListBlock(ref(1), (ListItem(ref(1), text("now")), ListItem(ref(2), text("click 1"), step=1),
                             ListItem(ref(3), text("click 2"), step=2)))
    html = block_html(lst, OPTS)
    assert html == ('<ul class="dw-list"><li>now</li>'
                    '<li class="fragment" data-fragment-index="1">click 1</li>'
                    '<li class="fragment" data-fragment-index="2">click 2</li></ul>')
    ordered = block_html(replace(lst, ordered=True, start=3, step=4), OPTS)
    assert ordered.startswith('<ol class="dw-list fragment" data-fragment-index="4" start="3">')


def test_nested_list_children_render_inside_their_item() -> None:
    inner = ListBlock(ref(2), (ListItem(ref(2), text("child")),))
    html = block_html(ListBlock(ref(1), (ListItem(ref(1), text("parent"), children=(inner,)),)), OPTS)
    assert html == ('<ul class="dw-list"><li>parent<ul class="dw-list"><li>child</li></ul></li></ul>')


def test_print_and_notes_never_use_fragments() -> None:
    para = Paragraph(ref(1), text("later"), step=2)
    assert block_html(para, replace(OPTS, fragments=False)) == "<p>later</p>"
    assert notes_html((para,), OPTS) == "<p>later</p>"


def _table() -> Table:
    return Table(
        ref(1),
        header=(Cell(text("")), Cell(text("Docker")), Cell(text("Size"))),
        rows=((Cell(text("image")), Cell(text("layers"), highlight=True),
               Cell((Span("5 MB"), Span("1", superscript=True)))),
              (Cell(text("hub")), Cell((), empty=True), Cell((Span("2", superscript=True),), empty=True))),
        align=(Align.DEFAULT, Align.CENTER, Align.RIGHT),
        caption=text("Words"),
        footnotes=(text("alpine"), text("n/a <here>")),
        row_header=True,
        source="terminology",
    )


def test_table_alignment_header_and_row_labels() -> None:
    html = block_html(_table(), OPTS)
    assert '<th scope="col" class="dw-align-center">Docker</th>' in html
    assert '<th scope="col" class="dw-align-right">Size</th>' in html
    assert '<th scope="row">image</th>' in html
    assert '<td class="dw-align-center dw-highlight">layers</td>' in html
    assert '<td class="dw-align-right">5 MB<sup class="dw-fn-ref">1</sup></td>' in html
    # Caption and notes go under the table, where fit measures them and PPTX writes them.
    assert html.index("</table><figcaption><p class=\"dw-caption\">Words</p>") > 0
    assert 'data-source="terminology"' in html


def test_empty_cells_show_an_em_dash_and_keep_their_footnote_marker() -> None:
    html = block_html(_table(), OPTS)
    assert '<td class="dw-align-center dw-empty"><span class="dw-empty-mark">\u2014</span></td>' in html
    assert ('<td class="dw-align-right dw-empty"><span class="dw-empty-mark">\u2014</span>'
            '<sup class="dw-fn-ref">2</sup></td>') in html


def test_footnotes_are_numbered_under_the_table() -> None:
    html = block_html(_table(), OPTS)
    assert html.endswith('<ol class="dw-footnotes"><li><sup class="dw-fn-ref">1</sup> alpine</li>'
                         '<li><sup class="dw-fn-ref">2</sup> n/a &lt;here&gt;</li></ol>'
                         '</figcaption></figure>')


def test_code_uses_the_shared_pygments_colours() -> None:
    code = 'FROM python:3.12\nRUN echo "<hi>"\n'
    html = block_html(CodeBlock(ref(1), code, "dockerfile"), replace(OPTS, code_style="friendly"))
    assert html.startswith('<pre class="dw-code"><code data-lang="dockerfile">')
    colours = {run.style.color for line in highlight_lines(code, "dockerfile", "friendly")
               for run in line if run.style.color}
    assert colours, "the Dockerfile lexer should colour something"
    for colour in colours:
        assert f"color:{colour}" in html
    assert "&lt;hi&gt;" in html and "<hi>" not in html
    # Same text, same lines: highlighting adds markup, never characters.
    assert re.sub(r"<[^>]+>", "", html).replace("&#34;", '"').replace("&lt;", "<").replace(
        "&gt;", ">") == code.rstrip("\n")


def test_columns_honour_their_widths() -> None:
    cols = Columns(ref(1), (Column(ref(1), (Paragraph(ref(1), text("a")),), 0.3),
                            Column(ref(2), (Paragraph(ref(2), text("b")),), 0.7)))
    assert 'style="grid-template-columns:0.3fr 0.7fr"' in block_html(cols, OPTS)
    assert column_fractions([None, None]) == (0.5, 0.5)
    assert column_fractions([0.5, None, None]) == (0.5, 0.25, 0.25)
    assert column_fractions([0.6, 0.6, None]) == pytest.approx((0.6, 0.6, 1 / 3))


def test_quote_image_raw_html_and_qr() -> None:
    quote = block_html(Quote(ref(1), (Paragraph(ref(1), text("hi")),), step=1), OPTS)
    assert quote == '<blockquote class="dw-quote fragment" data-fragment-index="1"><p>hi</p></blockquote>'
    img = block_html(Image(ref(2), Path("/p/assets/a b.png"), 'alt "x"', width=0.5), OPTS)
    assert img == ('<figure class="dw-figure"><img src="assets/a b.png" alt="alt &#34;x&#34;" '
                   'style="width:50%"></figure>')
    assert block_html(RawHtml(ref(3), "<kbd>Ctrl</kbd>"), OPTS) == "<kbd>Ctrl</kbd>"
    qr = block_html(QRCode(ref(4), "https://example.com/?a=<b>"), OPTS)
    assert qr.count("<svg") == 1 and "<b>" not in qr


def test_qr_codes_are_deterministic() -> None:
    assert qr_svg("https://example.com") == qr_svg("https://example.com")
    assert qr_svg("https://example.com") != qr_svg("https://example.org")
    png = qr_png("https://example.com")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png == qr_png("https://example.com")


def test_title_slide_has_no_footer_and_content_slides_are_numbered() -> None:
    title = Slide(ref(1), Layout.TITLE, title=text("Deck"), subtitle=text("Sub"))
    html = slide_frame_html(title, 1, OPTS)
    assert ('<div class="dw-title-box"><h1 class="dw-deck-title">Deck</h1></div>'
            '<div class="dw-subtitle-box"><p class="dw-subtitle">Sub</p></div>') in html
    assert "dw-footer" not in html
    content = Slide(ref(5), Layout.CONTENT, title=text("T"), continuation="2/3")
    html = slide_frame_html(content, 7, replace(OPTS, footer_text="Docker <101>"))
    assert '<h2 class="dw-title">T <span class="dw-continuation">(2/3)</span></h2>' in html
    assert '<span class="dw-footer-text">Docker &lt;101&gt;</span>' in html
    assert '<span class="dw-slide-number">7</span>' in html


def test_image_left_puts_the_image_first() -> None:
    slide = Slide(ref(1), Layout.IMAGE_LEFT, title=text("T"), blocks=(
        Paragraph(ref(2), text("words")), Image(ref(3), Path("/p/x.png"), "x")))
    html = slide_frame_html(slide, 2, OPTS)
    assert html.index("dw-split-image") < html.index("dw-split-text")
    assert html.count("<img") == 1


def test_a_title_fit_had_to_shrink_gets_fits_size(theme: Theme) -> None:
    long = Slide(ref(1), Layout.CONTENT, title=text("A title far too long for one line " * 3))
    title_px, _ = title_sizes(plan_slide(long, theme), long, theme)
    assert title_px is not None and title_px < theme.sizes["title"]
    assert f'style="font-size:{title_px:g}px"' in slide_frame_html(long, 1, OPTS, title_px)
    short = Slide(ref(1), Layout.CONTENT, title=text("Short"))
    assert title_sizes(plan_slide(short, theme), short, theme) == (None, None)


def test_boxes_are_layout_pys_so_html_and_pptx_agree(theme: Theme) -> None:
    css = geometry_css(theme)
    body = body_box(theme, Layout.CONTENT)
    assert (f".dw-body {{ left: {body.x:g}px; top: {body.y:g}px; width: {body.w:g}px; "
            f"height: {body.h:g}px; }}") in css
    title = title_box(theme)
    assert f".dw-title-box {{ left: {title.x:g}px; top: {title.y:g}px;" in css
    assert f"grid-template-columns: {1 - IMAGE_SIDE:g}fr {IMAGE_SIDE:g}fr" in css


def test_dark_backgrounds_get_light_text() -> None:
    dark = Slide(ref(1), Layout.CONTENT, background_color="#101010")
    assert "dw-dark" in slide_classes(dark).split()
    assert "dw-dark" not in slide_classes(replace(dark, background_color="#fafafa")).split()


# --------------------------------------------------------------------------- CSS


def test_every_theme_token_becomes_a_custom_property(theme: Theme) -> None:
    css = custom_properties(theme)
    for key in theme.colors:
        assert f"--dw-color-{key.replace('_', '-')}: {theme.color(key)};" in css
    for key in theme.spacing:
        assert f"--dw-space-{key.replace('_', '-')}: " in css
    assert "--dw-size-body: 28px;" in css and "--dw-size-line-height: 1.25;" in css
    assert "--dw-slide-width: 1280px;" in css and "--dw-slide-height: 720px;" in css


def test_font_faces_embed_every_role_and_face(theme: Theme) -> None:
    css = font_faces(theme, lambda p: f"f/{p.name}")
    assert css.count("@font-face") == 12
    assert 'font-family: "dw-heading"; src: url("f/LiberationSans-Bold.ttf") format("truetype"); ' \
           "font-weight: 400; font-style: normal" in css
    assert "http" not in css


def test_a_second_theme_is_only_a_data_file(make_project: Any, theme: Theme) -> None:
    source = (THEMES_DIR / "default" / "theme.yaml").read_text(encoding="utf-8")
    root = make_project({"themes/dark/theme.yaml": source.replace('background: "#ffffff"',
                                                                  'background: "#101820"')})
    fonts = root / "themes" / "dark" / "fonts"
    fonts.mkdir()
    for font in (THEMES_DIR / "default" / "fonts").glob("*.ttf"):
        (fonts / font.name).write_bytes(font.read_bytes())
    dark, diags = load_theme(root, "dark", None)
    assert dark is not None, diags
    css = theme_css(dark, lambda p: p.name)
    assert "--dw-color-background: #101820;" in css
    assert theme_css(theme, lambda p: p.name) != css


# --------------------------------------------------------------------------- the output folder


def sample_deck(root: Path) -> Deck:
    """Every layout and block kind, with notes, fragments, a stack, an image and a background."""
    assets = root / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    PILImage.new("RGB", (800, 600), (29, 99, 237)).save(assets / "diagram.png")
    PILImage.new("RGB", (64, 36), (240, 240, 240)).save(assets / "paper.png")
    img = assets / "diagram.png"
    slides = (
        Slide(ref(1), Layout.TITLE, title=text("Let's learn <Docker>!"), subtitle=text("Hands-on"),
              blocks=(Paragraph(ref(2), text("Ada · 2026")), QRCode(ref(3), "https://example.com/d")),
              notes=(Paragraph(ref(4), text("Welcome everyone")),)),
        Slide(ref(10), Layout.SECTION, title=text("Containers")),
        Slide(ref(20), Layout.CONTENT, title=text("Why"), steps=3, blocks=(
            Paragraph(ref(21), (Span("Ship "), Span("it", bold=True), Span(" & "), Span("<run>", code=True))),
            ListBlock(ref(22), (ListItem(ref(22), text("Build once"), step=1),
                                ListItem(ref(23), text("Run anywhere"), step=2),
                                ListItem(ref(24), text("Sleep well"), step=3))),
        ), notes=(Paragraph(ref(25), text("Ask who used Docker")),)),
        Slide(ref(30), Layout.CONTENT, title=text("A Dockerfile"), steps=1, blocks=(
            CodeBlock(ref(31), "FROM alpine:3.20\nRUN apk add curl\nCMD [\"sh\"]\n", "dockerfile"),
            CodeBlock(ref(35), "docker build -t app .\n", "bash", step=1),
        )),
        Slide(ref(40), Layout.CONTENT, title=text("Terminology"), blocks=(_table(),)),
        Slide(ref(50), Layout.TWO_COLUMNS, title=text("Image vs container"), blocks=(
            Columns(ref(51), (Column(ref(51), (Paragraph(ref(52), text("Read-only template.")),), 0.4),
                              Column(ref(53), (Quote(ref(54), (Paragraph(ref(54), text("Running.")),)),),
                                     0.6))),)),
        Slide(ref(60), Layout.IMAGE_RIGHT, title=text("Architecture"), blocks=(
            Paragraph(ref(61), text("The client talks to the daemon.")), Image(ref(62), img, "diagram"))),
        Slide(ref(70), Layout.CONTENT, title=text("Stack top"), stack=1,
              blocks=(Paragraph(ref(71), text("a")),)),
        Slide(ref(80), Layout.CONTENT, title=text("Stack below"), stack=1, classes=("center",),
              background_image=assets / "paper.png", blocks=(Paragraph(ref(81), text("b")),)),
        Slide(ref(90), Layout.CONTENT, title=text("Big picture"), font_scale=0.8,
              blocks=(Paragraph(ref(91), text("Scaled")), Image(ref(92), img, "big", width=0.9))),
        Slide(ref(95), Layout.BLANK, background_color="#fafafa",
              blocks=(RawHtml(ref(96), "<p><kbd>Ctrl</kbd> + <kbd>C</kbd></p>"),)),
    )
    return Deck(DeckMeta(title="Docker <workshop>", slug="docker-workshop", author="Ada"), slides, root)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def reveal() -> None:
    """reveal.js from `npm ci`: skipped on a developer machine without it, a failure when CI=true."""
    require(HAVE_REVEAL, "reveal.js (run `npm ci`)")


@pytest.mark.usefixtures("reveal")
def test_writes_a_self_contained_folder(tmp_path: Path, theme: Theme) -> None:
    deck = sample_deck(tmp_path / "p")
    written, diags = html_writer.write(deck, theme, tmp_path / "out")
    assert diags == []
    folder = tmp_path / "out" / "docker-workshop"
    assert written == [folder / "index.html"]
    files = files_of(folder)
    for rel in ("reveal/reveal.js", "reveal/reset.css", "reveal/reveal.css", "reveal/plugin/notes.js",
                "reveal/LICENSE", "assets/deck.css"):
        assert rel in files
    png = (tmp_path / "p" / "assets" / "diagram.png").read_bytes()
    assert f"assets/{hashlib.sha256(png).hexdigest()[:16]}.png" in files
    assert sum(name.endswith(".ttf") for name in files) == len(
        {f for spec in theme.fonts.values() for f in spec.files.values()})
    index = files["index.html"].decode()
    # Every local reference resolves inside the folder; nothing points elsewhere.
    for url in re.findall(r'(?:src|href)="([^"#]+)"', index):
        if urlsplit(url).scheme in ("http", "https"):
            assert url == "https://example.com/d", url  # the QR code's link only
        elif urlsplit(url).scheme != "data":
            assert url in files, url
    css = files["assets/deck.css"].decode()
    for url in re.findall(r'url\("([^"]+)"\)', css):
        assert f"assets/{url}" in files
    assert "<title>Docker &lt;workshop&gt;</title>" in index
    assert "Let&#39;s learn &lt;Docker&gt;!" in index


@pytest.mark.usefixtures("reveal")
def test_reveal_is_configured_for_16_9_with_notes(tmp_path: Path, theme: Theme) -> None:
    html_writer.write(sample_deck(tmp_path / "p"), theme, tmp_path / "out")
    index = (tmp_path / "out" / "docker-workshop" / "index.html").read_text()
    assert '"width":1280' in index and '"height":720' in index and '"center":false' in index
    assert "plugins: [RevealNotes]" in index
    assert index.count('<aside class="notes">') == 2
    # The two stack slides are one vertical stack; the scale of a fitted slide is applied.
    assert re.search(r'<section class="dw-stack">\s*<section[^>]*>.*?Stack top.*?</section>\s*'
                     r'<section[^>]*>.*?Stack below', index, re.S)
    assert 'style="--scale:0.8"' in index
    assert 'class="dw-slide dw-layout-content center"' in index
    assert 'data-background-color="#fafafa"' in index


@pytest.mark.usefixtures("reveal")
def test_rebuilding_gives_identical_bytes(tmp_path: Path, theme: Theme) -> None:
    deck = sample_deck(tmp_path / "p")
    html_writer.write(deck, theme, tmp_path / "a")
    html_writer.write(deck, theme, tmp_path / "b")
    first = files_of(tmp_path / "a" / "docker-workshop")
    assert first == files_of(tmp_path / "b" / "docker-workshop")
    html_writer.write(deck, theme, tmp_path / "a")
    assert files_of(tmp_path / "a" / "docker-workshop") == first


@pytest.mark.usefixtures("reveal")
def test_a_failed_build_keeps_the_previous_deck(tmp_path: Path, theme: Theme) -> None:
    deck = sample_deck(tmp_path / "p")
    html_writer.write(deck, theme, tmp_path / "out")
    before = files_of(tmp_path / "out" / "docker-workshop")
    broken = replace(deck, slides=(*deck.slides, Slide(ref(99), Layout.CONTENT, blocks=(
        Image(ref(100), tmp_path / "p" / "assets" / "gone.png", "gone"),))))
    written, diags = html_writer.write(broken, theme, tmp_path / "out")
    assert written == []
    assert [str(d) for d in diags] == ["slides/deck.md:100: error: cannot read gone.png: "
                                       "No such file or directory"]
    assert files_of(tmp_path / "out" / "docker-workshop") == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["docker-workshop"]


def test_missing_reveal_is_an_error_telling_to_run_npm_ci(tmp_path: Path, theme: Theme,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_writer, "find_reveal", lambda root: None)
    written, diags = html_writer.write(sample_deck(tmp_path / "p"), theme, tmp_path / "out")
    assert written == [] and len(diags) == 1 and diags[0].is_error
    assert "npm ci" in diags[0].message
    assert not (tmp_path / "out" / "docker-workshop").exists()


def stub_reveal(package: Path, files: tuple[str, ...] = html_writer.REVEAL_FILES) -> Path:
    for rel in files:
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text("/* stub */")
    return package


def test_the_projects_own_reveal_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_writer, "VENDORED_REVEAL", stub_reveal(tmp_path / "vendored"))
    package = stub_reveal(tmp_path / "node_modules" / "reveal.js")
    assert html_writer.find_reveal(tmp_path) == package


def test_the_packaged_reveal_comes_before_the_checkouts(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    vendored = stub_reveal(tmp_path / "vendored")
    monkeypatch.setattr(html_writer, "VENDORED_REVEAL", vendored)
    monkeypatch.setattr(html_writer, "ENGINE_CHECKOUT", tmp_path / "checkout")
    stub_reveal(tmp_path / "checkout" / "node_modules" / "reveal.js")
    assert html_writer.find_reveal(tmp_path / "project") == vendored
    # A checkout has no packaged copy (setup.py makes it in a wheel only): node_modules is used.
    monkeypatch.setattr(html_writer, "VENDORED_REVEAL", tmp_path / "absent")
    checkouts = tmp_path / "checkout" / "node_modules" / "reveal.js"
    assert html_writer.find_reveal(tmp_path / "project") == checkouts


def test_an_incomplete_reveal_is_an_error_not_a_fallback(tmp_path: Path, theme: Theme) -> None:
    project = tmp_path / "p"
    stub_reveal(project / "node_modules" / "reveal.js", html_writer.REVEAL_FILES[:2])
    written, diags = html_writer.write(sample_deck(project), theme, tmp_path / "out")
    assert written == [] and len(diags) == 1 and diags[0].is_error
    assert "lacks dist/reveal.css, dist/plugin/notes.js, LICENSE" in diags[0].message
    assert "npm ci" in diags[0].message


# --------------------------------------------------------------------------- real Chromium

OVERFLOW_JS = r"""
() => {
  const frame = document.querySelector('.reveal .slides').getBoundingClientRect();
  const cur = Reveal.getCurrentSlide();
  const out = [];
  const beyond = (r) => Math.max(frame.left - r.left, frame.top - r.top, r.right - frame.right,
                                 r.bottom - frame.bottom);
  const walker = document.createTreeWalker(cur, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.nodeType === Node.TEXT_NODE ? n.parentElement : n;
    if (el.closest('aside.notes')) continue;
    let rects;
    if (n.nodeType === Node.TEXT_NODE) {
      if (!n.textContent.trim()) continue;
      const range = document.createRange(); range.selectNodeContents(n);
      rects = [...range.getClientRects()];
    } else {
      if (getComputedStyle(el).display === 'none') continue;
      rects = [el.getBoundingClientRect()];
    }
    for (const r of rects) {
      if ((r.width || r.height) && beyond(r) > 2) {
        out.push((el.className || el.tagName) + ': ' + (el.textContent || '').trim().slice(0, 40));
        break;
      }
    }
  }
  return out;
}
"""

SETTLE_JS = r"""
async () => {
  await Promise.all([...Reveal.getCurrentSlide().querySelectorAll('img')].map(img => img.complete ? 1 :
    new Promise(r => { img.onload = r; img.onerror = r; })));
  await document.fonts.ready;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
}
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


class OpenDeck:
    """A deck page with everything it logged: console errors and requests that left the folder."""

    def __init__(self, browser: Any, url: str, local: Any) -> None:
        self.console_errors: list[str] = []
        self.external: list[str] = []
        self.failed: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 720})
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(f"uncaught: {e}"))
        self.page.on("requestfailed", lambda r: local(r.url) and self.failed.append(r.url))

        def route(r: Any) -> None:
            if local(r.request.url):
                r.continue_()
            else:
                self.external.append(r.request.url)
                r.abort("blockedbyclient")

        self.page.route("**/*", route)
        self.page.goto(url, wait_until="load")
        self.page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=20000)
        self.page.evaluate("() => Reveal.configure({transition: 'none', backgroundTransition: 'none'})")

    def js(self, script: str, *args: Any) -> Any:
        return self.page.evaluate(script, *args)

    def overflow_per_slide(self) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        for i, (h, v) in enumerate(self.js("() => Reveal.getSlides().map(s => { const x = "
                                           "Reveal.getIndices(s); return [x.h, x.v || 0]; })")):
            self.js(f"() => Reveal.slide({h}, {v})")
            self.js(SETTLE_JS)
            outside = self.js(OVERFLOW_JS)
            if outside:
                found[i + 1] = outside
        return found


def _serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _is_local(base: str) -> Any:
    def check(url: str) -> bool:
        return url.startswith(base) or urlsplit(url).scheme in ("data", "blob", "about")
    return check


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Deck, Path]:
    require(HAVE_REVEAL, "reveal.js (run `npm ci`)")
    loaded, _ = load_theme(REPO, "default", None)
    assert loaded is not None
    tmp = tmp_path_factory.mktemp("html")
    deck = sample_deck(tmp / "p")
    _, diags = html_writer.write(deck, loaded, tmp / "out")
    assert diags == []
    return deck, tmp / "out" / deck.meta.slug


@pytest.fixture(scope="module")
def served(browser: Any, built: tuple[Deck, Path]) -> Iterator[OpenDeck]:
    server, base = _serve(built[1])
    deck = OpenDeck(browser, base + "index.html", _is_local(base))
    yield deck
    deck.page.close()
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_reveal_starts_with_every_slide_and_no_errors(served: OpenDeck, built: tuple[Deck, Path]) -> None:
    assert served.js("() => Reveal.VERSION") == "6.0.2"
    assert served.js("() => Reveal.getTotalSlides()") == len(built[0].slides)
    assert served.js("() => [Reveal.getConfig().width, Reveal.getConfig().height]") == [1280, 720]
    titles = served.js("() => Reveal.getSlides().map(s => (s.querySelector('h1, h2') || {}).textContent)")
    assert titles[0] == "Let's learn <Docker>!" and titles[-1] is None
    assert served.console_errors == [] and served.failed == [] and served.external == []


@pytest.mark.browser
def test_speaker_notes_are_where_they_were_written(served: OpenDeck, built: tuple[Deck, Path]) -> None:
    notes = served.js("() => Reveal.getSlides().map(s => Reveal.getSlideNotes(s) || '')")
    expected = [bool(s.notes) for s in built[0].slides]
    assert [bool(n.strip()) for n in notes] == expected
    assert "Welcome everyone" in notes[0] and "Ask who used Docker" in notes[2]


@pytest.mark.browser
def test_the_speaker_view_shows_the_notes(browser: Any, built: tuple[Deck, Path]) -> None:
    """Pressing S opens reveal's speaker window (no network: it is written by the plugin)."""
    folder = built[1]
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        page.goto((folder / "index.html").as_uri())
        page.wait_for_function("() => window.Reveal && Reveal.isReady()")
        with context.expect_page() as popup_info:
            page.keyboard.press("s")
        popup = popup_info.value
        notes = "() => (document.querySelector('.speaker-controls-notes .value') || {}).textContent || ''"
        popup.wait_for_function(f"() => ({notes})().includes('Welcome everyone')", timeout=10000)
        page.evaluate("() => Reveal.slide(2)")
        popup.wait_for_function(f"() => ({notes})().includes('Ask who used Docker')", timeout=10000)
    finally:
        context.close()


@pytest.mark.browser
def test_fragments_follow_the_steps(served: OpenDeck, built: tuple[Deck, Path]) -> None:
    counts = served.js("() => Reveal.getSlides().map(s => s.querySelectorAll('.fragment').length)")
    assert counts == [3 if i == 2 else 1 if i == 3 else 0 for i in range(len(built[0].slides))]
    served.js("() => Reveal.slide(2, 0, -1)")
    visible = "() => [...Reveal.getCurrentSlide().querySelectorAll('li')].map(li => " \
              "getComputedStyle(li).visibility)"
    assert served.js(visible) == ["hidden", "hidden", "hidden"]
    served.js("() => Reveal.nextFragment()")
    # The fragment fades in (a CSS transition): wait for it rather than for a fixed time.
    served.page.wait_for_function(f"() => ({visible})()[0] === 'visible'", timeout=5000)
    assert served.js(visible) == ["visible", "hidden", "hidden"]


@pytest.mark.browser
def test_no_slide_content_leaves_the_slide_box(served: OpenDeck) -> None:
    assert served.overflow_per_slide() == {}
    # The embedded fonts are the ones used (no fallback to a system font).
    assert served.js("() => document.fonts.check('28px dw-body') && document.fonts.check('20px dw-code')")
    assert served.console_errors == [] and served.external == []


@pytest.mark.browser
def test_the_overflow_check_and_the_offline_guard_can_fail(browser: Any, tmp_path: Path, theme: Theme,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The two browser checks above would catch a real problem (on a page without its policy)."""
    require(HAVE_REVEAL, "reveal.js (run `npm ci`)")
    monkeypatch.setattr(html_writer, "page_policy", lambda *args, **kwargs: "")
    root = tmp_path / "p"
    root.mkdir()
    long = tuple(Paragraph(ref(i), text(f"Line {i} of far too many")) for i in range(40))
    deck = Deck(DeckMeta(slug="bad"), (
        Slide(ref(1), Layout.CONTENT, title=text("Too much"), blocks=(
            *long, RawHtml(ref(50), '<img src="https://example.com/x.png" alt="">'))),), root)
    html_writer.write(deck, theme, tmp_path / "out")
    server, base = _serve(tmp_path / "out" / "bad")
    try:
        opened = OpenDeck(browser, base + "index.html", _is_local(base))
        assert list(opened.overflow_per_slide()) == [1]
        assert opened.external == ["https://example.com/x.png"]
        opened.page.close()
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_opened_from_disk_it_works_too(browser: Any, built: tuple[Deck, Path]) -> None:
    folder = built[1]
    def local(url: str) -> bool:
        return url.startswith(folder.as_uri()) or urlsplit(url).scheme in ("data", "about")

    opened = OpenDeck(browser, (folder / "index.html").as_uri(), local)
    try:
        assert opened.js("() => Reveal.getTotalSlides()") == len(built[0].slides)
        assert opened.overflow_per_slide() == {}
        assert opened.js("() => document.fonts.check('28px dw-body')")
        broken = opened.js("() => [...document.images].filter(i => i.complete && !i.naturalWidth).length")
        assert broken == 0
        assert opened.console_errors == [] and opened.external == [] and opened.failed == []
    finally:
        opened.page.close()


# --------------------------------------------------------------------------- end to end


@pytest.mark.browser
@pytest.mark.skipif(importlib.util.find_spec("deckwright.reading.project") is None,
                    reason="the reader is not there yet")
def test_markdown_project_builds_to_a_working_deck(make_project: Any, browser: Any) -> None:
    from deckwright.build.pipeline import BuildOptions, build

    require(HAVE_REVEAL, "reveal.js (run `npm ci`)")
    root = make_project({
        "slides/01.md": """
            # Hello <world>

            A first slide

            ---

            ## Steps

            - one
            - two

            ::: notes
            Say hello.
            :::
            """,
    })
    result = build(BuildOptions(root=root, formats=("html",)))
    assert not result.failed(strict=False), [str(d) for d in result.diagnostics]
    assert result.deck is not None
    folder = root / "dist" / result.deck.meta.slug
    server, base = _serve(folder)
    try:
        opened = OpenDeck(browser, base + "index.html", _is_local(base))
        assert opened.js("() => Reveal.getTotalSlides()") == len(result.deck.slides)
        notes = opened.js("() => Reveal.getSlides().map(s => Reveal.getSlideNotes(s) || '')")
        assert any("Say hello." in n for n in notes)
        assert opened.overflow_per_slide() == {}
        assert opened.console_errors == [] and opened.external == []
        opened.page.close()
    finally:
        server.shutdown()
        server.server_close()


def test_marp_header_footer_and_paginate_directives_reach_the_html() -> None:
    from deckwright.model.deck import Layout, Slide, Span
    from deckwright.writers.html.render import RenderOptions, slide_frame_html

    opts = RenderOptions(asset_url=str, code_style="friendly", footer_text="theme footer",
                         slide_numbers=True)
    plain = slide_frame_html(Slide(SourceRef("a.md", 1), Layout.CONTENT, title=(Span("T"),)), 7, opts)
    assert "theme footer" in plain and "dw-slide-number" in plain and "dw-header" not in plain
    marp = Slide(SourceRef("a.md", 1), Layout.CONTENT, title=(Span("T"),), header=(Span("Unit 2"),),
                 footer=(Span("ACME", bold=True),), paginate=False)
    html = slide_frame_html(marp, 7, opts)
    assert '<header class="dw-header">Unit 2</header>' in html
    assert "<strong>ACME</strong>" in html and "theme footer" not in html
    assert "dw-slide-number" not in html
