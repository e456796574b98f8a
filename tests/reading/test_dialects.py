"""Bring your own deck: Marp, reveal-md and pandoc Markdown read as those tools read it, and build."""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import REPO, ProjectFactory

from deckwright.build.pipeline import BuildOptions, build
from deckwright.diagnostics import Diagnostic
from deckwright.model.deck import (
    CodeBlock,
    Deck,
    Image,
    Layout,
    ListBlock,
    Paragraph,
    RawHtml,
    Slide,
    Span,
    plain_text,
)
from deckwright.reading.dialects import (
    detect,
    marp_image,
    pandoc_slide_level,
    quick_front_matter,
    reveal_chunks,
)
from deckwright.reading.project import load_project
from deckwright.reading.reader import read_markdown
from deckwright.writers import FORMATS

DECKS = Path(__file__).resolve().parents[1] / "fixtures" / "decks"
PNG = (Path(__file__).resolve().parents[1] / "fixtures" / "reader" / "img" / "whale.png").read_bytes()


def read(root: Path, text: str, **kwargs: object) -> tuple[list[Slide], dict[str, object], list[Diagnostic]]:
    return read_markdown(text, "slides/test.md", root, **kwargs)  # type: ignore[arg-type]


def titles(slides: Sequence[Slide]) -> list[str]:
    return [plain_text(s.title) for s in slides]


def messages(diags: Sequence[Diagnostic]) -> list[str]:
    return [str(d) for d in diags]


@pytest.fixture
def root(make_project: ProjectFactory) -> Path:
    return make_project({"slides/img/whale.png": PNG})


def dialect_of(text: str) -> str:
    return detect(text, quick_front_matter(text))


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(("text", "expected"), [
    ("---\nmarp: true\n---\n\n# A\n", "marp"),
    ("---\nmarp: 'true'\n---\n\n# A\n", "marp"),
    ("---\nheadingDivider: 2\n---\n\n# A\n", "marp"),
    ("---\ntheme: gaia\n---\n\n# A\n", "marp"),
    ("# A\n\n![bg left](a.png)\n", "marp"),
    ("<!-- _class: lead -->\n\n# A\n", "marp"),
    ("---\nrevealOptions:\n  transition: fade\n---\n\n# A\n", "reveal"),
    ("---\nseparator: <!--s-->\n---\n\n# A\n", "reveal"),
    ("---\ntheme: solarized\n---\n\n# A\n", "reveal"),
    ("# A\n\ntext\n\n----\n\n# B\n", "reveal"),
    ("% Title\n% Author\n\n# A\n", "pandoc"),
    ("---\nformat: revealjs\n---\n\n## A\n", "pandoc"),
    ("## A\n\ntext\n\n## B\n\ntext\n", "pandoc"),
    ("## A\n\ntext\n\n---\n\n## B\n\ntext\n", "deckwright"),
    ("## A\n\nNote: notes\n\n## heading in the notes\n", "deckwright"),
    ("---\nslide_level: 2\n---\n\n## A\n\n## B\n", "deckwright"),
    ("```\n## A\n\n## B\n```\n", "deckwright"),
    ("", "deckwright"),
])
def test_detection_follows_fixed_documented_rules(text: str, expected: str) -> None:
    assert dialect_of(text) == expected


def test_the_workshop_deck_and_reader_fixtures_read_as_deckwright() -> None:
    files = sorted((REPO / "slides").glob("*.md"))
    assert files
    assert {f.name: dialect_of(f.read_text(encoding="utf-8")) for f in files} == {
        f.name: "deckwright" for f in files}


def test_front_matter_dialect_key_overrides_detection_and_cli(root: Path) -> None:
    text = "---\ndialect: reveal\n---\n\n## A\n\n## B\n"
    slides, meta, diags = read(root, text, dialect="pandoc")
    assert diags == [] and meta == {"dialect": "reveal"}
    assert titles(slides) == ["A"]  # reveal.js: headings do not split slides


def test_cli_dialect_overrides_detection(root: Path) -> None:
    text = "## A\n\ntext\n\n## B\n\ntext\n"
    assert len(read(root, text)[0]) == 2  # detected as pandoc
    assert len(read(root, text, dialect="deckwright")[0]) == 1


def test_unknown_dialect_name_is_an_error_at_its_line(root: Path) -> None:
    _, _, diags = read(root, "---\ntitle: T\ndialect: beamer\n---\n\n## A\n")
    assert messages(diags) == [
        "slides/test.md:3: error: unknown dialect 'beamer' (known: deckwright, marp, reveal, pandoc)"]


def test_dialect_from_deck_yaml_and_per_file(make_project: ProjectFactory) -> None:
    root = make_project({
        "deck.yaml": "dialect: reveal\n",
        "slides/1.md": "## A\n\n## still A\n",
        "slides/2.md": "---\ndialect: pandoc\n---\n\n## B\n\ntext\n\n## C\n\ntext\n",
        "slides/3.md": "## D\n\n## still D\n",
    })
    deck, diags = load_project(root)
    assert diags == [] and deck is not None
    assert [plain_text(s.title) for s in deck.slides] == ["A", "B", "C", "D"]


# --------------------------------------------------------------------------- Marp


def test_marp_local_directives_carry_on_and_spot_directives_do_not(root: Path) -> None:
    text = ("---\nmarp: true\nclass: invert\npaginate: true\nfooter: Foot\n---\n\n# One\n\n---\n\n"
            "<!-- _class: lead -->\n<!-- _footer: '' -->\n\n# Two\n\n---\n\n<!-- class: plain -->\n"
            "<!-- paginate: false -->\n\n# Three\n\n---\n\n# Four\n")
    slides, _, diags = read(root, text)
    assert diags == []
    assert [(s.classes, s.paginate, plain_text(s.footer)) for s in slides] == [
        (("invert",), True, "Foot"),
        (("lead",), True, ""),
        (("plain",), False, "Foot"),
        (("plain",), False, "Foot"),
    ]


def test_marp_loose_yaml_keeps_unquoted_hex_colours(root: Path) -> None:
    slides, _, diags = read(root, "---\nmarp: true\nbackgroundColor: #ccc\n---\n\n# A\n")
    assert diags == [] and slides[0].background_color == "#ccc"


def test_unquoted_hex_colour_elsewhere_is_explained(root: Path) -> None:
    _, meta, diags = read(root, "---\ntitle: #ccc\n---\n\n## A\n")
    assert messages(diags) == ["slides/test.md:2: warning: `title` is empty: `#` starts a YAML comment; "
                               "quote the value (e.g. title: '#ccc')"]
    assert meta == {}


def test_marp_comments_are_notes_and_fit_is_accepted(root: Path) -> None:
    text = "---\nmarp: true\n---\n\n# <!-- fit --> Big\n\n<!-- say hello -->\n\nText <!-- inline note -->\n"
    slides, _, diags = read(root, text)
    assert diags == []
    assert plain_text(slides[0].title) == "Big"
    assert [plain_text(b.content) for b in slides[0].notes if isinstance(b, Paragraph)] == [
        "say hello", "inline note"]


def test_marp_star_and_paren_lists_are_fragments(root: Path) -> None:
    text = "---\nmarp: true\n---\n\n* a\n* b\n\n- c\n- d\n\n1) e\n2) f\n\n1. g\n"
    slides, _, _ = read(root, text)
    lists = [b for b in slides[0].blocks if isinstance(b, ListBlock)]
    assert [[i.step for i in lb.items] for lb in lists] == [[1, 2], [0, 0], [3, 4], [0]]
    assert slides[0].steps == 4


def test_marp_heading_divider_in_front_matter_or_comment(root: Path) -> None:
    body = "# A\n\n## B\n\n### c\n\n## D\n"
    assert titles(read(root, "---\nmarp: true\nheadingDivider: 2\n---\n\n" + body)[0]) == ["A", "B", "D"]
    assert titles(read(root, "---\nmarp: true\n---\n\n<!-- headingDivider: 1 -->\n\n" + body)[0]) == ["A"]


def test_marp_image_keywords(root: Path) -> None:
    text = ("---\nmarp: true\n---\n\n![bg](img/whale.png)\n\n# Bg\n\n---\n\n![bg left:40%](img/whale.png)\n\n"
            "# Split\n\ntext\n\n---\n\n# Sized\n\n![Whale w:280px](img/whale.png)\n\n"
            "![h:50%](img/whale.png)\n")
    slides, _, diags = read(root, text)
    assert slides[0].background_image == root / "slides/img/whale.png" and slides[0].blocks == ()
    assert slides[1].layout is Layout.IMAGE_LEFT
    split = slides[1].blocks[0]
    assert isinstance(split, Image) and split.width == 0.4
    sized = slides[2].blocks[0]
    assert isinstance(sized, Image) and sized.alt == "Whale" and sized.width == 0.25
    assert messages(diags) == [
        "slides/test.md:23: warning: image has no alt text: img/whale.png",
        "slides/test.md:23: warning: image height '50%' ignored: give px, cm, mm, in or pt"]


@pytest.mark.parametrize(("alt", "bg", "side", "split", "rest", "unsupported"), [
    ("bg", True, None, None, "", ()),
    ("bg right contain", True, "right", None, "", ("background size",)),
    ("bg left:25% A cat", True, "left", 0.25, "A cat", ()),
    ("left arrow", False, None, None, "left arrow", ()),
    ("w:200px blur:4px Logo", False, None, None, "Logo", ("image filter",)),
])
def test_marp_alt_keywords_parse(alt: str, bg: bool, side: str | None, split: float | None, rest: str,
                                 unsupported: tuple[str, ...]) -> None:
    spec = marp_image(alt)
    got = (spec.bg, spec.side, spec.split, spec.alt, spec.unsupported)
    assert got == (bg, side, split, rest, unsupported)


def test_marp_unsupported_bits_are_reported_once_per_file(root: Path) -> None:
    text = ("---\nmarp: true\nstyle: 'section { color: red }'\n---\n\n# A\n\n![bg blur](img/whale.png)\n\n"
            "---\n\n# B\n\n![bg sepia](img/whale.png)\n\n<style>h1 { color: red }</style>\n\n---\n\n"
            "<style>p{}</style>\n")
    _, _, diags = read(root, text)
    assert messages(diags) == [
        "slides/test.md:3: warning: Marp settings ignored by deckwright: `style`",
        "slides/test.md:8: warning: Marp image filter keywords are not supported and are ignored",
        "slides/test.md:16: warning: <style> CSS is not applied: deckwright styles slides with its theme "
        "(`allow_scripts: true` keeps it in the HTML output)",
    ]


def test_marp_title_does_not_add_a_title_slide(make_project: ProjectFactory) -> None:
    text = "---\nmarp: true\ntitle: Doc title\n---\n\n# My own title slide\n"
    root = make_project({"slides/deck.md": text})
    deck, diags = load_project(root)
    assert diags == [] and deck is not None
    assert deck.meta.title == "Doc title" and titles(deck.slides) == ["My own title slide"]


# --------------------------------------------------------------------------- reveal.js


def test_reveal_default_separators_need_blank_lines_and_make_stacks(root: Path) -> None:
    text = "---\ntheme: white\n---\n\n# A\n\n---\n\n# B\n\n----\n\n# B.1\n\n----\n\n# B.2\n\n---\n\n# C\n"
    slides, _, _ = read(root, text)
    assert [(plain_text(s.title), s.stack) for s in slides] == [("A", 0), ("B", 1), ("B.1", 1), ("B.2", 1),
                                                                ("C", 0)]


def test_reveal_custom_separators_are_regexes(root: Path) -> None:
    text = ("---\nseparator: <!--s-->\nverticalSeparator: <!--v-->\n---\n\n# A\n\n---\n\nstill A\n"
            "<!--s-->\n# B\n<!--v-->\n# B.1\n")
    slides, _, diags = read(root, text)
    assert [(plain_text(s.title), s.stack) for s in slides] == [("A", 0), ("B", 1), ("B.1", 1)]
    assert messages(diags) == ["slides/test.md:8: warning: `---` inside a block does not start a new slide "
                               "or notes; ignored"]


def test_reveal_bad_separator_regex_is_an_error_and_the_default_is_used(root: Path) -> None:
    _, _, diags = read(root, "---\nseparator: '(unclosed'\n---\n\n# A\n")
    assert len(diags) == 1 and diags[0].is_error and diags[0].ref is not None and diags[0].ref.line == 2
    assert "`separator` is not a usable regular expression" in diags[0].message


def test_reveal_notes_take_the_rest_of_the_slide_even_mid_paragraph(root: Path) -> None:
    text = "---\nrevealOptions: {}\n---\n\n## A\n\nshown\nnote: hidden\n\n- also hidden\n\n---\n\n## B\n"
    slides, _, _ = read(root, text)
    assert [type(b).__name__ for b in slides[0].blocks] == ["Paragraph"]
    assert [type(b).__name__ for b in slides[0].notes] == ["Paragraph", "ListBlock"]
    assert slides[0].notes[0].ref.line == 8


def test_reveal_chunks_skip_separators_in_code() -> None:
    text = "# A\n\n```\n\n---\n\n```\n\n---\n\n# B\n"
    chunks, diags = reveal_chunks(text, "t.md", {}, 0)
    assert diags == [] and len(chunks) == 2 and chunks[1].line == 9


def test_reveal_remote_background_is_left_out_with_a_warning(root: Path) -> None:
    text = "---\ntheme: black\n---\n\n<!-- .slide: data-background-image=\"https://x.org/a.png\" -->\n\n# A\n"
    slides, _, diags = read(root, text)
    assert slides[0].background_image is None
    assert [(d.ref.line if d.ref else 0, d.is_error) for d in diags] == [(2, False), (5, False)]
    assert "not downloaded" in diags[1].message


# --------------------------------------------------------------------------- pandoc


@pytest.mark.parametrize(("blocks", "level"), [
    ([("heading", 1), ("heading", 2), ("content", 0)], 2),
    ([("heading", 1), ("content", 0), ("heading", 2), ("content", 0)], 1),
    ([("heading", 1), ("heading", 2), ("heading", 3), ("content", 0)], 3),
    ([("heading", 2), ("hr", 0), ("content", 0)], 0),
    ([("content", 0)], 0),
])
def test_pandoc_slide_level_is_the_highest_heading_followed_by_content(
        blocks: list[tuple[str, int]], level: int) -> None:
    assert pandoc_slide_level(blocks) == level


def test_pandoc_slide_level_override_and_title_block(root: Path) -> None:
    text = "% T\n% A; B\n\n# One\n\n## Two\n\ntext\n\n## Three\n\ntext\n"
    slides, meta, _ = read(root, text)
    assert meta == {"title": "T", "author": "A, B"}
    assert [(plain_text(s.title), s.layout) for s in slides] == [
        ("One", Layout.SECTION), ("Two", Layout.CONTENT), ("Three", Layout.CONTENT)]
    slides, _, _ = read(root, "---\nslide-level: 1\n---\n" + text.split("\n", 2)[2])
    assert titles(slides) == ["One"]


def test_pandoc_incremental_meta_and_nonincremental_div(root: Path) -> None:
    text = ("---\nincremental: true\noutput: beamer_presentation\n---\n\n## A\n\n- a\n- b\n\n"
            "::: nonincremental\n- c\n:::\n\n> - d\n")
    slides, _, diags = read(root, text)
    lists = [b for b in slides[0].blocks if isinstance(b, ListBlock)]
    assert [[i.step for i in lb.items] for lb in lists] == [[1, 2], [0], [0]]
    assert messages(diags) == ["slides/test.md:3: warning: pandoc settings ignored by deckwright: `output`"]


def test_pandoc_heading_attributes_without_title(root: Path) -> None:
    text = "## A\n\ntext\n\n## {background-image=\"img/whale.png\" .dark}\n\nmore\n"
    slides, _, diags = read(root, text)
    assert diags == []
    assert slides[1].title == () and slides[1].classes == ("dark",)
    assert slides[1].background_image == root / "slides/img/whale.png"


# --------------------------------------------------------------------------- what cannot be drawn everywhere


def test_math_mermaid_and_html_are_kept_with_one_warning_per_kind(root: Path) -> None:
    text = ("---\nmarp: true\n---\n\n# A\n\n$a$ and $b$\n\n$$\nx^2\n$$\n\n```mermaid\ngraph TD\n```\n\n"
            "```mermaid\ngraph LR\n```\n\n<div>one</div>\n\n<div>two</div>\n")
    slides, _, diags = read(root, text)
    kinds = [type(b).__name__ for b in slides[0].blocks]
    assert kinds == ["Paragraph", "CodeBlock", "CodeBlock", "CodeBlock", "RawHtml", "RawHtml"]
    paragraph = slides[0].blocks[0]
    assert isinstance(paragraph, Paragraph) and paragraph.content[0] == Span("a", code=True)
    math = slides[0].blocks[1]
    assert isinstance(math, CodeBlock) and (math.language, math.code) == ("math", "x^2")
    assert [d.ref.line for d in diags if d.ref] == [7, 13, 21]
    assert all(not d.is_error for d in diags)


def test_dollar_amounts_are_not_math(root: Path) -> None:
    slides, _, diags = read(root, "% T\n\n## A\n\nIt costs $5 and $10, use $HOME and $PATH.\n")
    assert diags == []
    assert plain_text(slides[0].blocks[0].content) == "It costs $5 and $10, use $HOME and $PATH."  # type: ignore[union-attr]


# --------------------------------------------------------------------------- whole decks, every format


def _formats() -> list[str]:
    usable = []
    for name, module in FORMATS.items():
        try:
            importlib.import_module(module)
        except ImportError:
            continue
        usable.append(name)
    return usable


def _build(name: str, tmp_path: Path) -> tuple[Deck, list[Path], list[Diagnostic]]:
    root = tmp_path / name
    shutil.copytree(DECKS / name, root)
    result = build(BuildOptions(root=root, formats=tuple(_formats()), out=tmp_path / "out"))
    assert not [d for d in result.diagnostics if d.is_error], messages(result.diagnostics)
    assert result.deck is not None
    return result.deck, result.written, result.diagnostics


def _summary(deck: Deck) -> list[tuple[str, str, int, int, int]]:
    """(layout, title, steps, notes, stack) per slide."""
    return [(s.layout.value, plain_text(s.title), s.steps, len(s.notes), s.stack) for s in deck.slides]


def test_marp_deck_builds_in_every_format(tmp_path: Path) -> None:
    deck, written, diags = _build("marp", tmp_path)
    assert len(written) >= len(_formats())
    assert _summary(deck) == [
        ("section", "Docker ハンズオン", 0, 1, 0),
        ("content", "アジェンダ", 3, 1, 0),
        ("image-left", "Containers vs VMs", 0, 0, 0),
        ("section", "Under the hood", 0, 0, 0),
        ("image-right", "Steps", 3, 0, 0),
        ("content", "Math and diagrams", 0, 0, 0),
        ("content", "ありがとう", 0, 0, 0),
    ]
    first, agenda, split, *_, last = deck.slides
    assert first.classes == ("lead",) and first.paginate is False and first.header == ()
    assert plain_text(agenda.header) == "Docker ワークショップ"
    assert agenda.footer[0] == Span("2026", bold=True)
    assert agenda.background_color == "#fdfdfd" and agenda.paginate is True
    side = split.blocks[0]
    assert isinstance(side, Image) and side.width == 0.4 and side.path.name == "photo.png"
    assert deck.slides[3].classes == ("invert",) and deck.slides[3].background_color == "#102030"
    assert last.background_image is not None and last.background_image.name == "diagram.png"
    assert last.paginate is False and last.classes == ("invert",)
    code = [b for b in deck.slides[5].blocks if isinstance(b, CodeBlock)]
    assert [c.language for c in code] == ["mermaid"]
    assert deck.meta.title == "Docker ハンズオン"  # the document's title, without a generated slide
    assert sum("theme 'gaia'" in d.message for d in diags) == 1


def test_reveal_deck_builds_in_every_format(tmp_path: Path) -> None:
    deck, written, _ = _build("reveal", tmp_path)
    assert len(written) >= len(_formats())
    assert _summary(deck) == [
        ("section", "Контейнеры Docker 🐳", 0, 1, 0),
        ("content", "Что такое контейнер?", 3, 0, 1),
        ("content", "Пространства имён", 0, 1, 1),
        ("content", "Cgroups", 0, 0, 1),
        ("image-left", "Архитектура", 1, 0, 0),
        ("content", "Спасибо! 🙏", 0, 0, 0),
    ]
    assert deck.slides[2].background_color == "#1b2a3a" and deck.slides[3].classes == ("smaller",)
    code = deck.slides[3].blocks[-1]
    assert isinstance(code, CodeBlock) and code.code.startswith("---\nservices:")
    assert deck.slides[4].background_image is not None
    html = (tmp_path / "out").rglob("index.html")
    page = next(html).read_text(encoding="utf-8")
    assert "Пространства имён" in page and page.count("dw-stack") >= 1


def test_pandoc_deck_builds_in_every_format(tmp_path: Path) -> None:
    deck, written, _ = _build("pandoc", tmp_path)
    assert len(written) >= len(_formats())
    assert _summary(deck) == [
        ("title", "Docker für Einsteiger", 0, 0, 0),
        ("section", "Einführung", 0, 0, 0),
        ("content", "Was ist ein Container?", 0, 1, 0),
        ("two-columns", "Container und VMs", 0, 0, 0),
        ("content", "Schritt für Schritt", 6, 0, 0),
        ("section", "Praxis", 0, 0, 0),
        ("content", "", 0, 1, 0),
        ("content", "مرحبا بالعالم", 0, 0, 0),
    ]
    assert deck.meta.author == "Anna Müller, Omar Haddad" and deck.meta.lang == "de"
    assert deck.slides[3].classes == ("smaller",)
    assert deck.slides[6].background_image is not None and deck.slides[6].background_image.name == "photo.png"


def test_raw_html_reaches_the_model_sanitized(root: Path) -> None:
    slides, _, _ = read(root, "## A\n\n<div class=\"box\" onclick=\"steal()\">Hi<script>x()</script></div>\n")
    html = [b for b in slides[0].blocks if isinstance(b, RawHtml)]
    assert [h.html for h in html] == ['<div class="box">Hi</div>']
