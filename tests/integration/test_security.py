"""Secure by default: files stay inside the project, YAML runs no code, no network, no script in the deck."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest
from testkit import PNG, ProjectFactory
from testkit import usable_formats as formats

from deckwright.build.pipeline import BuildOptions, build
from deckwright.model.deck import RawHtml, Slide
from deckwright.reading.markdown import parse
from deckwright.reading.project import load_project
from deckwright.reading.reader import read_markdown, read_tokens
from deckwright.reading.sanitize import safe_url, sanitize_html

DECKS = Path(__file__).resolve().parents[1] / "fixtures" / "decks"


def raw_html(slides: list[Slide]) -> list[str]:
    return [b.html for s in slides for b in (*s.blocks, *s.notes) if isinstance(b, RawHtml)]


# --------------------------------------------------------------------------- files stay inside the project


@pytest.mark.parametrize("markdown", [
    "## A\n\n![Secret](../../secret.png)\n",
    "---\nmarp: true\n---\n\n![bg](../../secret.png)\n\n# A\n",
    "---\nmarp: true\nbackgroundImage: url(../../secret.png)\n---\n\n# A\n",
    "<!-- .slide: data-background-image=\"/../secret.png\" -->\n\n## A\n",
    "## A {background-image=\"../../secret.png\"}\n",
])
def test_images_outside_the_project_are_refused(make_project: ProjectFactory, markdown: str) -> None:
    root = make_project({"slides/deck.md": markdown})
    (root.parent / "secret.png").write_bytes(PNG)
    deck, diags = load_project(root)
    assert any(d.is_error and "outside the project" in d.message for d in diags), [str(d) for d in diags]
    if deck is not None:
        assert all(s.background_image is None for s in deck.slides)


def test_image_symlink_out_of_the_project_is_refused_unless_allowed(make_project: ProjectFactory) -> None:
    root = make_project({"slides/deck.md": "## A\n\ntext\n\n![Linked](img/link.png)\n"})
    outside = root.parent / "shared"
    outside.mkdir()
    (outside / "logo.png").write_bytes(PNG)
    (root / "slides" / "img").mkdir()
    (root / "slides" / "img" / "link.png").symlink_to(outside / "logo.png")
    _, diags = load_project(root)
    assert [d.message for d in diags] == ["image is outside the project through a symlink: img/link.png "
                                          "(use --allow-dir to allow a folder)"]
    deck, diags = load_project(root, allow_dirs=(outside,))
    assert diags == [] and deck is not None


def test_slide_files_outside_the_project_are_refused(make_project: ProjectFactory) -> None:
    root = make_project({"deck.yaml": "slides: [../../outside.md, a.md]\n", "slides/a.md": "## A\n"})
    (root.parent / "outside.md").write_text("## Secret\n", encoding="utf-8")
    (root / "slides" / "b.md").symlink_to(root.parent / "outside.md")
    deck, diags = load_project(root)
    assert [str(d) for d in diags] == [
        "deck.yaml:1: error: slide file is outside the project: ../../outside.md "
        "(use --allow-dir to allow a folder)"]
    assert deck is not None and all("Secret" not in str(s.title) for s in deck.slides)
    (root / "deck.yaml").unlink()
    deck, diags = load_project(root)
    assert [str(d) for d in diags] == ["slides/b.md:1: error: slide file is a symlink to outside "
                                       "the project (use --allow-dir to allow a folder)"]


# --------------------------------------------------------------------------- YAML runs no code

EXPLOIT = "!!python/object/apply:os.system ['touch {sentinel}']"


@pytest.fixture
def no_system(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    monkeypatch.setattr(os, "system", lambda command: calls.append(command) or 0)
    return calls


@pytest.mark.parametrize("where", ["front matter", "deck.yaml", "data table"])
def test_python_tags_in_yaml_are_errors_never_executed(make_project: ProjectFactory, tmp_path: Path,
                                                       no_system: list[str], where: str) -> None:
    sentinel = tmp_path / "PWNED"
    exploit = EXPLOIT.format(sentinel=sentinel)
    files: dict[str, str | bytes] = {"slides/a.md": "## A\n"}
    if where == "front matter":
        files["slides/a.md"] = f"---\ntitle: {exploit}\n---\n\n## A\n"
    elif where == "deck.yaml":
        files["deck.yaml"] = f"title: {exploit}\n"
    else:
        files["slides/data/evil.yaml"] = f"rows:\n  a: {exploit}\n"
    root = make_project(files)
    _, diags = load_project(root)
    assert any(d.is_error and "python/object" in d.message for d in diags), [str(d) for d in diags]
    assert no_system == [] and not sentinel.exists()


# --------------------------------------------------------------------------- no network


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Any attempt to reach the network is recorded and fails."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args[1:] or args)
        raise OSError("network access attempted during a build")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


REMOTE = {
    "marp": "---\nmarp: true\nbackgroundImage: url(https://example.com/bg.png)\n---\n\n"
            "![bg](https://example.com/a.png)\n\n# A\n\n![w:100px](http://example.com/b.png)\n",
    "reveal": "---\ntheme: black\n---\n\n<!-- .slide: data-background=\"https://example.com/c.png\" -->\n\n"
              "## B\n\n![remote](https://example.com/d.png)\n",
    "pandoc": "% Remote\n\n## C {background-image=\"https://example.com/e.png\"}\n\n"
              "![remote](//example.com/f.png)\n\n<img src=\"https://example.com/g.png\">\n",
}


@pytest.mark.parametrize("dialect", sorted(REMOTE))
def test_a_build_makes_no_network_request(make_project: ProjectFactory, tmp_path: Path, offline: list[Any],
                                          dialect: str) -> None:
    root = make_project({"slides/deck.md": REMOTE[dialect] + "\n[a link](https://example.com)\n"})
    result = build(BuildOptions(root=root, formats=formats(), out=tmp_path / "out"))
    assert offline == []
    assert not [d for d in result.diagnostics if d.is_error], [str(d) for d in result.diagnostics]
    assert any("not downloaded" in d.message for d in result.diagnostics)
    page = next((tmp_path / "out").rglob("index.html")).read_text(encoding="utf-8")
    assert "example.com/" not in page.replace('href="https://example.com"', "")


def test_fixture_decks_build_offline(tmp_path: Path, offline: list[Any]) -> None:
    for name in ("marp", "reveal", "pandoc"):
        shutil.copytree(DECKS / name, tmp_path / name)
        result = build(BuildOptions(root=tmp_path / name, formats=formats(), out=tmp_path / f"out-{name}"))
        assert result.written
    assert offline == []


# --------------------------------------------------------------------------- no script in the HTML deck

HOSTILE = """## Hostile

<script>document.title = "PWNED-1"</script>

<iframe src="https://example.com/PWNED-2"></iframe>

<div onclick="PWNED3()" class="box">click <a href="javascript:PWNED4()">me</a> <img src=x
onerror="PWNED5()"></div>

<p style="background: url(https://example.com/PWNED-6)">styled</p>

<object data="PWNED-7.swf"></object>
"""


def test_scripts_event_handlers_and_javascript_urls_never_reach_the_html(make_project: ProjectFactory,
                                                                         tmp_path: Path) -> None:
    root = make_project({"slides/deck.md": HOSTILE})
    result = build(BuildOptions(root=root, formats=("html",), out=tmp_path / "out"))
    assert result.written
    page = next((tmp_path / "out").rglob("index.html")).read_text(encoding="utf-8")
    assert "PWNED" not in page and "onclick" not in page and "onerror" not in page
    assert "javascript:" not in page.lower()
    assert '<div class="box">click <a>me</a> <img src="x"></div>' in page
    assert sum("unsafe HTML removed" in d.message for d in result.diagnostics) == 1


def test_scripts_are_kept_when_the_deck_opts_in(tmp_path: Path) -> None:
    text = ("---\nallow_scripts: true\n---\n\n## A\n\n<script>init()</script>\n\n"
            "<style>h2 { color: red }</style>\n")
    slides, _, diags = read_markdown(text, "slides/t.md", tmp_path)
    assert raw_html(slides) == ["<script>init()</script>", "<style>h2 { color: red }</style>"]
    assert [d.message for d in diags] == ["raw HTML is rendered in the HTML output only"]


def test_unsafe_link_targets_are_removed_in_the_reader(tmp_path: Path) -> None:
    tokens = parse("[click](https://ok.example) [bad](x)\n")
    link = [t for t in tokens[1].children or [] if t.type == "link_open"]
    link[1].attrSet("href", "javascript:alert(1)")  # markdown-it refuses these itself; the reader too
    slides, diags = read_tokens(tokens, "slides/t.md", tmp_path, settings={})
    spans = [(s.text, s.href) for s in slides[0].blocks[0].content]  # type: ignore[union-attr]
    assert spans == [("click", "https://ok.example"), (" bad", None)]
    assert len(diags) == 1 and "removed" in diags[0].message
    slides, _ = read_tokens(tokens, "slides/t.md", tmp_path, settings={"allow_scripts": True})
    spans = [(s.text, s.href) for s in slides[0].blocks[0].content]  # type: ignore[union-attr]
    assert spans[-1] == ("bad", "javascript:alert(1)")


@pytest.mark.parametrize(("html", "clean"), [
    ("<b>bold</b>", "<b>bold</b>"),
    ("<div><p>unclosed", "<div><p>unclosed</p></div>"),
    ("</section></div>text", "text"),
    ("<a href=\"https://x.org\" target=_blank>x</a>",
     '<a href="https://x.org" rel="noopener noreferrer">x</a>'),
    ("<a href=\" jAvAsCrIpT:x\">x</a>", "<a>x</a>"),
    ("<img src=\"data:image/png;base64,AAA\">", "<img>"),
    ("<img src=\"//evil.example/x.png\">", "<img>"),
    ("<svg><script>x()</script><circle/></svg>after", "after"),
    ("<span data-id=\"1\" style=\"color:red\">s</span>", '<span data-id="1" style="color:red">s</span>'),
    ("<p>&lt;script&gt; stays text</p>", "<p>&lt;script&gt; stays text</p>"),
    ("<!--[if IE]><script>x()</script><![endif]-->ok", "ok"),
])
def test_sanitizer_allow_list(html: str, clean: str) -> None:
    assert sanitize_html(html)[0] == clean


@pytest.mark.parametrize(("url", "safe"), [
    ("https://x.org", True), ("mailto:a@b.c", True), ("#slide-3", True), ("img/a.png", True),
    ("javascript:alert(1)", False), ("java\tscript:x", False), ("vbscript:x", False),
    ("data:text/html,x", False),
    ("file:///etc/passwd", False),
])
def test_safe_url(url: str, safe: bool) -> None:
    assert safe_url(url) is safe


def test_data_table_symlink_out_of_the_project_is_refused(make_project: ProjectFactory) -> None:
    root = make_project({"slides/a.md": "## A\n"})
    (root.parent / "secret.yaml").write_text("columns: [a]\nrows: [x]\n", encoding="utf-8")
    (root / "slides" / "data").mkdir()
    (root / "slides" / "data" / "t.yaml").symlink_to(root.parent / "secret.yaml")
    _, diags = load_project(root)
    assert any(d.is_error and "outside the project" in d.message for d in diags)
