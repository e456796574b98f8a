"""Hostile input: odd bytes and YAML, huge and empty decks, random Markdown: diagnostics, no traceback."""

from __future__ import annotations

import dataclasses
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import PNG, ProjectFactory, usable_formats
from testkit import messages as shown

from deckwright.build.pipeline import BuildOptions, build
from deckwright.diagnostics import Diagnostic
from deckwright.model.deck import Deck, Paragraph, Slide, plain_text
from deckwright.reading.project import load_project
from deckwright.reading.reader import read_markdown

# What XML 1.0 cannot hold (and the C1 controls it discourages): must never reach a writer.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def texts(value: object) -> Iterator[str]:
    """Every string anywhere in a model value (slides, blocks, spans, metadata)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from texts(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from texts(getattr(value, f.name))


# --------------------------------------------------------------------------- bytes and characters


def test_bom_and_crlf_keep_line_numbers(make_project: ProjectFactory) -> None:
    root = make_project({"slides/a.md": b"\xef\xbb\xbf## One\r\n\r\ntext\r\n\r\n---\r\n\r\n## Two\r\n"})
    deck, diags = load_project(root)
    assert diags == [] and deck is not None
    assert [(plain_text(s.title), s.ref.line) for s in deck.slides] == [("One", 1), ("Two", 7)]


def test_control_characters_are_removed_with_a_warning_at_their_line(tmp_path: Path) -> None:
    slides, _, diags = read_markdown("## Bell\x07\n\nnul\x00 and \x1b[31mescape\n", "slides/t.md", tmp_path)
    assert shown(diags) == [
        "slides/t.md:1: warning: removed 1 control character(s) (U+0007) that slides cannot hold",
        "slides/t.md:3: warning: removed 2 control character(s) (U+0000, U+001B) that slides cannot hold",
    ]
    assert plain_text(slides[0].title) == "Bell"
    assert not any(FORBIDDEN.search(t) for t in texts(slides))


def test_zero_width_and_bidi_characters_are_kept(tmp_path: Path) -> None:
    text = "## שלום עולם\n\nzero\u200bwidth, 👩\u200d💻, \u202bRTL\u202c, 中文, Ёлка\n"
    slides, _, diags = read_markdown(text, "slides/t.md", tmp_path)
    assert diags == []
    para = slides[0].blocks[0]
    assert isinstance(para, Paragraph) and "👩\u200d💻" in plain_text(para.content)


def test_tabs_and_very_long_lines_build(make_project: ProjectFactory, tmp_path: Path) -> None:
    long_word = "x" * 5000
    root = make_project({"slides/a.md": f"## Tabs\n\n-\tone\n-\ttwo\n\n\tindented code\n\n"
                                        f"{'word ' * 2000}\n\n"
                                        f"---\n\n## Long\n\n{long_word}\n"})
    start = time.perf_counter()
    result = build(BuildOptions(root=root, formats=usable_formats(), out=tmp_path / "out"))
    assert time.perf_counter() - start < 60
    assert result.deck is not None and len(result.deck.slides) >= 2
    assert all(d.ref is not None and d.ref.line > 0 for d in result.diagnostics)


def test_paragraph_separators_build_every_output(make_project: ProjectFactory, tmp_path: Path) -> None:
    # U+2029 (pasted from a word processor) made the text layout (raqm) fail in every output.
    text = "## One\u2029two\n\ntext\u2028more\n\n::: notes\nsay\u2029this\n:::\n"
    root = make_project({"slides/a.md": text})
    result = build(BuildOptions(root=root, formats=usable_formats(), out=tmp_path / "out"))
    assert result.deck is not None and result.diagnostics == []
    assert plain_text(result.deck.slides[0].title) == "One two"


def test_non_utf8_file_is_a_clear_error(make_project: ProjectFactory) -> None:
    root = make_project({"slides/a.md": "## ユニコード\n".encode("shift_jis")})
    deck, diags = load_project(root)
    assert deck is None
    assert shown(diags)[0].startswith("slides/a.md:1: error: file is not UTF-8 (byte 0x83 on line 1)")


# --------------------------------------------------------------------------- empty and huge decks


def test_a_deck_without_slides_is_an_error(make_project: ProjectFactory) -> None:
    root = make_project({"slides/a.md": "", "slides/b.md": "<!-- only a comment -->\n\n---\n\n---\n"})
    deck, diags = load_project(root)
    assert deck is None
    assert shown(diags) == ["slides/a.md:1: error: the deck has no slides"]


def test_an_empty_file_among_others_is_fine(make_project: ProjectFactory) -> None:
    root = make_project({"slides/a.md": "", "slides/b.md": "## B\n"})
    deck, diags = load_project(root)
    assert diags == [] and deck is not None and len(deck.slides) == 1


def test_five_thousand_slides_are_read_quickly(make_project: ProjectFactory) -> None:
    body = "\n\n---\n\n".join(f"## Slide {i}\n\n- point {i}\n" for i in range(5000))
    root = make_project({"slides/a.md": body})
    start = time.perf_counter()
    deck, diags = load_project(root)
    assert time.perf_counter() - start < 20
    assert diags == [] and deck is not None and len(deck.slides) == 5000
    assert deck.slides[-1].ref.line == 4999 * 7 + 1  # 7 lines per slide and separator


# --------------------------------------------------------------------------- YAML oddities


def test_yaml_tabs_are_an_error_with_a_hint(tmp_path: Path) -> None:
    _, _, diags = read_markdown("---\ntitle: T\n\tauthor: A\n---\n\n## S\n", "slides/t.md", tmp_path)
    assert len(diags) == 1 and diags[0].is_error and diags[0].ref is not None and diags[0].ref.line == 3
    assert "tabs" in diags[0].message


def test_yaml_string_true_and_booleans(tmp_path: Path) -> None:
    _, meta, diags = read_markdown('---\ntitle: "true"\nnotes_comments: "true"\n---\n\n## S\n<!-- n -->\n',
                                   "slides/t.md", tmp_path)
    assert diags == [] and meta == {"title": "true", "notes_comments": True}


def test_yaml_odd_documents_are_errors_not_crashes(tmp_path: Path) -> None:
    for front in ("- a\n- b", "title: [unclosed", "&a [*a]", "? complex\n: key", "title: !!binary aGk="):
        slides, _, diags = read_markdown(f"---\n{front}\n---\n\n## S\n", "slides/t.md", tmp_path)
        assert [plain_text(s.title) for s in slides] == ["S"]
        assert all(d.ref is not None and d.ref.line >= 1 for d in diags), front


# --------------------------------------------------------------------------- generated Markdown

PIECES = [
    # ours
    "## Title", "# Section", "---", ". . .", "::: notes\nN *n*\n:::", "Note: note",
    ":::: columns\n::: column\nA\n:::\n::: {.column width=\"40%\"}\nB\n:::\n::::",
    "::: incremental\n- a\n- b\n:::", "::: fragment\nF\n:::", "<!-- .element: class=\"fragment\" -->",
    "<!-- layout: image-right -->", "<!-- layout: nope -->", "![Whale](img/whale.png){width=40%}",
    "```python\nprint(1)\n```", "| a | b |\n|---|--:|\n| 1 | 2 |", "> quote\n> - in", "```qr\nhttps://x.org\n```",
    "- a\n  - b\n    1. c", "3) x\n4) y", "**b** *i* ~~s~~ `c` [l](https://x.org) <br> <kbd>k</kbd>",
    "```table nothere\n```",
    # Marp
    "<!-- _class: lead -->", "![bg left:40%](img/whale.png)", "![bg](img/whale.png)", "* frag\n* more",
    "1) one\n2) two", "<!-- paginate: true -->", "<!-- footer: *F* -->", "# <!-- fit --> Big", "$x^2$",
    "$$\na^2\n$$", "![w:200px h:1cm blur:3px](img/whale.png)", "<!--\nheader: H\nclass: x\n-->",
    # reveal.js
    "----", "<!-- .slide: data-background=\"#000\" data-state=\"x\" -->", "note: lower",
    "- i <!-- .element: class=\"fragment\" data-fragment-index=\"3\" -->", "--",
    # pandoc
    "% Title\n% Author", "## T {.smaller background-image=\"img/whale.png\"}", "> - a\n> - b",
    "::: nonincremental\n- a\n:::", "## {background-color=\"#fff\"}", "::: {.callout-note}\nx\n:::",
    # junk
    "```", ":::", "::::", "<div>", "</section></div>", "<script>alert(1)</script>", "<iframe src=x>",
    "[x](javascript:alert(1))", "<a href=\"javascript:x\" onclick=\"y\">a</a>", "![x](../../../etc/passwd)",
    "![x](https://example.com/x.png)", "![](/)", "![x](img/)", "\t\tindented\tcode", "a" * 3000,
    "\x00\x07\x1b[0m", "\ufeff\u200b\u202e", "---\ntitle: [", "<!--", "-->", "<!-- -->", "[^1]\n\n[^1]: fn",
    "Term\n: def", "- [ ] task", "&amp; &#0; &#xD800;", "<style>p{}</style>", "```mermaid\ngraph TD\n```",
]
FRONTS = [
    "", "marp: true", "marp: true\nheadingDivider: 2\npaginate: \"true\"\nbackgroundColor: #ccc",
    "revealOptions: {}\nseparator: '^x$'", "verticalSeparator: '('", "title: T",
    "dialect: pandoc\nincremental: true",
    "title: \"true\"\nslide_level: 2", "\ttab: 1", "title: !!python/object/apply:os.system ['echo hi']",
    "theme: ../../etc", "allow_scripts: true", "url: javascript:alert(1)", "slide-level: 9\nformat: revealjs",
]
SEPARATORS = ["\n", "\n\n", "\r\n", "\r\n\r\n", "\n\n---\n\n", "\n\n----\n\n", "\n  \n"]

# Pieces that are errors (so no writer runs): left out of the documents the writers get.
ERRORS = {"<!-- layout: nope -->", "```table nothere\n```", "![](/)", "![x](img/)",
          "![x](../../../etc/passwd)", "![x](https://example.com/x.png)", "\ttab: 1", "theme: ../../etc",
          "slide-level: 9\nformat: revealjs",
          "title: !!python/object/apply:os.system ['echo hi']", "verticalSeparator: '('"}


def _documents(fronts: list[str], pieces: list[str], first: str = "") -> st.SearchStrategy[str]:
    return st.builds(
        lambda front, parts, seps, junk: (f"---\n{front}\n---\n\n" if front else "") + first + "".join(
            p + seps[i % len(seps)] + (junk if i % 3 == 2 else "") for i, p in enumerate(parts)),
        st.sampled_from(fronts),
        st.lists(st.sampled_from(pieces), max_size=12),
        st.lists(st.sampled_from(SEPARATORS), min_size=1, max_size=4),
        st.text(max_size=20),
    )


documents = _documents(FRONTS, PIECES)
buildable = _documents([f for f in FRONTS if f not in ERRORS], [p for p in PIECES if p not in ERRORS],
                       first="Opening text\n\n")


def _check_diagnostics(diags: list[Diagnostic], path: str, text: str) -> None:
    last = text.count("\n") + text.count("\r") + 2
    for d in diags:
        assert d.ref is not None, str(d)
        inside = d.ref.path in (path, "deck.yaml", "slides") or d.ref.path.startswith(("slides/", "themes/"))
        assert inside, str(d)
        assert 0 <= d.ref.line <= last, str(d)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_the_reader_never_raises_and_keeps_xml_safe_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "slides" / "img").mkdir(parents=True)
        (root / "slides" / "img" / "whale.png").write_bytes(PNG)
        slides, _, diags = read_markdown(text, "slides/t.md", root)
    _check_diagnostics(diags, "slides/t.md", text)
    assert not any(FORBIDDEN.search(t) for t in texts(slides)), "forbidden characters reached the model"
    assert all(isinstance(s, Slide) for s in slides)
    for slide in slides:
        steps = {b.step for b in slide.blocks}
        assert all(0 <= s <= slide.steps for s in steps)


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(buildable)
def test_every_writer_builds_or_reports_never_crashes(text: str) -> None:
    formats = usable_formats()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        (root / "slides" / "img").mkdir(parents=True)
        (root / "slides" / "img" / "whale.png").write_bytes(PNG)
        (root / "slides" / "deck.md").write_text(text, encoding="utf-8", errors="surrogatepass")
        result = build(BuildOptions(root=root, formats=formats, out=Path(tmp) / "out"))
        _check_diagnostics(result.diagnostics, "slides/deck.md", text)
        deck: Deck | None = result.deck
        if deck is not None and not any(d.is_error for d in result.diagnostics):
            assert result.written, "a deck without errors must be written"
            assert not any(FORBIDDEN.search(t) for t in texts(deck.slides))
