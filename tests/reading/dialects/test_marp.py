"""Marp Markdown read as Marp reads it: directives carried or spot, comments as notes, image keywords."""

from __future__ import annotations

from pathlib import Path

import pytest
from reading_helpers import read, titles
from testkit import ProjectFactory, messages

from deckwright.model.deck import Image, Layout, ListBlock, Paragraph, plain_text
from deckwright.reading.dialects.marp import marp_image
from deckwright.reading.markdown import parse
from deckwright.reading.project import load_project

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


# --------------------------------------------------------------------------- Marp's token rewrites


def test_marp_parser_marks_images_lists_and_drops_fit_comments() -> None:
    text = "# <!-- fit --> Big\n\n![bg left:30%](a.png)\n\n* a\n\n- b\n\n1) c\n\n<!-- fit -->\n"
    tokens = parse(text, "marp")
    heading = [c for c in tokens[1].children or [] if c.type == "html_inline"]
    assert heading[0].meta["comments"] == []
    image = next(c for t in tokens if t.type == "inline" for c in t.children or [] if c.type == "image")
    assert image.meta["marp"] == marp_image("bg left:30%")
    lists = [(t.markup, t.meta.get("fragmented")) for t in tokens if t.type.endswith("list_open")]
    assert lists == [("*", True), ("-", None), (")", True)]
    assert tokens[-1].meta["comments"] == []


def test_other_dialects_leave_images_and_lists_unmarked() -> None:
    tokens = parse("![bg](a.png)\n\n* a\n")
    assert all("marp" not in c.meta for t in tokens for c in t.children or [])
    assert all("fragmented" not in t.meta for t in tokens)


# --------------------------------------------------------------------------- zero-width characters on fences
#
# Marp reads front matter with markdown-it-front-matter (marp-team/marpit src/markdown/directives/parse.js,
# commit 57d5ee7, line 50), which opens it only when the file's very first character is `-`
# (ParkSB/markdown-it-front-matter index.js, commit 6f75729, line 24: `state.src.charCodeAt(0)`)
# and closes it only on a line of dashes and spaces (lines 94-98); markdown-it's thematic break wants the
# same (markdown-it lib/rules_block/hr.mjs: the first character after the indent is `-`, `*` or `_`, then
# markers or spaces only). Marp CLI removes a leading BOM and nothing else (marp-cli src/converter.ts,
# line 119). So a U+200B before `---` leaves Marp a paragraph or a setext heading, never a fence.

ZWSP = "\u200b"
ZW_WHY = "a zero-width character (U+200B) precedes this `---`"


def test_zero_width_fences_leave_the_yaml_as_slide_text_as_marp_does_and_say_why(root: Path) -> None:
    text = f"{ZWSP}---\nmarp: true\ntheme: gaia\n{ZWSP}---\n\nFirst <!-- note -->\n\n---\n\n# Two\n"
    slides, meta, diags = read(root, text)
    assert meta == {}  # no front matter: the theme is not even looked at
    # Still read as Marp (its comments are notes, its line breaks kept): a Marp deck, as Marp CLI reads it.
    first = slides[0].blocks[0]
    assert isinstance(first, Paragraph)
    assert plain_text(first.content) == f"{ZWSP}---\nmarp: true\ntheme: gaia\n{ZWSP}---"
    assert [plain_text(b.content) for b in slides[0].notes if isinstance(b, Paragraph)] == ["note"]
    assert titles(slides) == ["", "Two"]
    assert messages(diags) == [f"slides/test.md:1: warning: {ZW_WHY}: it does not open front matter, so the "
                               "lines below it are slide text (Marp reads them so too); delete the character "
                               "(and the one on line 4)"]


def test_a_hidden_opening_fence_makes_the_yaml_a_heading_under_the_real_closing_one(root: Path) -> None:
    slides, meta, diags = read(root, f"{ZWSP}---\nmarp: true\n---\n\n# One\n")
    assert meta == {}
    assert plain_text(slides[0].title) == f"{ZWSP}---\nmarp: true"  # markdown-it's lheading, as in Marp
    assert [d.ref.line if d.ref else 0 for d in diags] == [1]
    assert "(and the one" not in diags[0].message


def test_a_hidden_closing_fence_lets_the_front_matter_run_on_to_the_next_dashes(root: Path) -> None:
    text = f"---\nmarp: true\n{ZWSP}---\n\n# One\n\n---\n\n# Two\n"
    slides, _, diags = read(root, text)
    assert titles(slides) == ["Two"]  # `# One` is inside the front matter, for Marp too
    assert messages(diags)[0] == (f"slides/test.md:3: warning: {ZW_WHY}: it does not close the front matter, "
                                  "which runs on to line 7; delete the character")


def test_a_hidden_slide_break_is_text_and_is_reported_but_not_in_code(root: Path) -> None:
    text = f"---\nmarp: true\n---\n\n# One\n\n{ZWSP}---\n\n# Two\n\n```\n{ZWSP}---\n```\n"
    slides, _, diags = read(root, text)
    assert titles(slides) == ["One"]
    assert messages(diags) == [f"slides/test.md:7: warning: {ZW_WHY}: it is text, not a slide break; "
                               "delete the character"]


def test_zero_width_after_the_opening_dashes_still_opens_front_matter_as_in_marp(root: Path) -> None:
    # The opening fence is only checked for its leading dashes (index.js lines 24-39, above).
    text = f"---{ZWSP}\nmarp: true\ntitle: T\nheadingDivider: 2\n---\n\n# A\n\n## B\n"
    slides, meta, diags = read(root, text)
    assert diags == [] and meta == {"title": "T"} and titles(slides) == ["A", "B"]
    # The same for the other dialects: a reveal-md deck keeps its front matter and its own separators.
    text = f"---{ZWSP}\ntitle: T\nverticalSeparator: '^VV$'\n---\n\n# A\n\nVV\n\n# B\n"
    slides, meta, _ = read(root, text)
    assert meta == {"title": "T"} and [(plain_text(s.title), s.stack) for s in slides] == [("A", 1), ("B", 1)]
