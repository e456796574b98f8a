"""Finding and reading a deck on disk: file order, deck.yaml, metadata, title slide, encodings, errors."""

from __future__ import annotations

import os
from pathlib import Path

from testkit import PNG, ProjectFactory
from testkit import messages as shown

from deckwright.build.pipeline import BuildOptions, prepare
from deckwright.diagnostics import SourceRef
from deckwright.model.deck import Deck, Layout, Paragraph, QRCode, Span, plain_text
from deckwright.reading.project import load_project, slugify


def titles(deck: Deck) -> list[str]:
    return [plain_text(s.title) for s in deck.slides]


def test_slide_files_are_read_in_file_name_order_with_a_title_slide(make_project: ProjectFactory) -> None:
    root = make_project({
        "slides/02-next.md": "## Second\n\ntext\n",
        "slides/01-intro.md": """
            ---
            title: Docker Workshop
            subtitle: Hands on
            author: Jane Doe
            date: 2025-03-14
            url: https://example.com/deck
            ---

            ## First
            """,
        "slides/notes.txt": "not a slide file",
    })
    deck, diags = load_project(root)
    assert diags == []
    assert deck is not None and deck.root == root.resolve()
    assert titles(deck) == ["Docker Workshop", "First", "Second"]
    assert deck.meta.title == "Docker Workshop" and deck.meta.date == "2025-03-14"
    assert deck.meta.slug == "docker-workshop" and deck.meta.theme == "default" and deck.meta.lang == "en"
    title = deck.slides[0]
    ref = SourceRef("slides/01-intro.md", 2)
    assert title.layout is Layout.TITLE and title.ref == ref
    assert title.subtitle == (Span("Hands on"),)
    assert title.blocks == (
        Paragraph(ref, (Span("Jane Doe · 2025-03-14"),)),
        Paragraph(ref, (Span("https://example.com/deck", href="https://example.com/deck"),)),
        QRCode(ref, "https://example.com/deck"),
    )
    assert [s.ref for s in deck.slides[1:]] == [SourceRef("slides/01-intro.md", 9),
                                                 SourceRef("slides/02-next.md", 1)]


def test_without_a_title_there_is_no_title_slide_and_the_slug_is_deck(make_project: ProjectFactory) -> None:
    deck, diags = load_project(make_project({"slides/a.md": "## Only\n"}))
    assert diags == [] and deck is not None
    assert titles(deck) == ["Only"] and deck.meta.slug == "deck"


def test_deck_yaml_sets_metadata_and_file_order(make_project: ProjectFactory) -> None:
    root = make_project({
        "deck.yaml": """
            title: Über Container
            theme: default
            slide_level: 2
            slides:
              - b.md
              - slides/a.md
            """,
        "slides/a.md": "## A1\n\n## A2\n",
        "slides/b.md": "## B\n",
        "slides/unlisted.md": "## Not in the deck\n",
    })
    deck, diags = load_project(root)
    assert diags == [] and deck is not None
    assert titles(deck) == ["Über Container", "B", "A1", "A2"]
    assert deck.meta.slug == "uber-container"
    assert deck.meta.theme_ref == SourceRef("deck.yaml", 2)
    assert deck.slides[0].ref == SourceRef("deck.yaml", 1)


def test_deck_yaml_problems_point_at_their_lines(make_project: ProjectFactory) -> None:
    root = make_project({
        "deck.yaml": """
            title: T
            colour: blue
            slides:
              - a.md
              - missing.md
              - ../../etc/passwd
            """,
        "slides/a.md": "## A\n",
    })
    deck, diags = load_project(root)
    assert shown(diags) == [
        "deck.yaml:2: warning: unknown deck.yaml key `colour` ignored (known: title, subtitle, author, "
        "date, url, theme, lang, description, slug, notes, keywords, slide_level, notes_comments, dialect, "
        "allow_scripts, slides)",
        "deck.yaml:5: error: slide file not found: slides/missing.md",
        "deck.yaml:6: error: slide file is outside the project: ../../etc/passwd "
        "(use --allow-dir to allow a folder)",
    ]
    assert deck is not None and titles(deck) == ["T", "A"]


def test_metadata_merges_and_conflicts_are_reported(make_project: ProjectFactory) -> None:
    root = make_project({
        "slides/1.md": "---\ntitle: First\n---\n\n## S1\n",
        "slides/2.md": "---\ntitle: Second\nauthor: Ann\n---\n\n## S2\n",
    })
    deck, diags = load_project(root)
    assert deck is not None and deck.meta.title == "First" and deck.meta.author == "Ann"
    assert shown(diags) == ["slides/2.md:2: warning: `title` is already set to 'First' at slides/1.md:2; "
                            "this value is ignored"]


def test_slide_level_from_one_file_is_the_deck_default(make_project: ProjectFactory) -> None:
    root = make_project({
        "slides/1.md": "---\nslide_level: 2\n---\n\n## A\n\n## B\n",
        "slides/2.md": "## C\n\n## D\n",
        "slides/3.md": "---\nslide_level: 0\n---\n\n## E\n\n## F\n",
    })
    deck, diags = load_project(root)
    assert diags == [] and deck is not None
    assert titles(deck) == ["A", "B", "C", "D", "E"]


def test_non_utf8_file_is_an_error_and_other_files_are_still_read(make_project: ProjectFactory) -> None:
    root = make_project({
        "slides/1.md": "## Good\n",
        "slides/2.md": "## Caf\xe9\n\ntext\n".encode("latin-1"),
    })
    deck, diags = load_project(root)
    assert shown(diags) == ["slides/2.md:1: error: file is not UTF-8 (byte 0xe9 on line 1); save it as UTF-8"]
    assert deck is not None and titles(deck) == ["Good"]


def test_utf16_is_named_in_the_error(make_project: ProjectFactory) -> None:
    _, diags = load_project(make_project({"slides/1.md": "## A\n".encode("utf-16")}))
    assert shown(diags) == ["slides/1.md:1: error: file is not UTF-8 (it is UTF-16); save it as UTF-8"]


def test_bom_and_crlf_are_accepted_and_lines_still_count(make_project: ProjectFactory) -> None:
    text = "\ufeff---\r\ntitle: T\r\n---\r\n\r\n## Slide\r\n\r\ntext\r\n"
    root = make_project({"slides/1.md": text.encode()})
    deck, diags = load_project(root)
    assert diags == [] and deck is not None
    assert titles(deck) == ["T", "Slide"]
    assert deck.slides[1].ref == SourceRef("slides/1.md", 5)
    assert deck.slides[1].blocks[0].ref == SourceRef("slides/1.md", 7)


def test_slide_file_symlinked_from_outside_is_refused(make_project: ProjectFactory, tmp_path: Path) -> None:
    root = make_project({"slides/1.md": "## Inside\n"})
    outside = tmp_path / "outside.md"
    outside.write_text("## Outside\n", encoding="utf-8")
    (root / "slides" / "2.md").symlink_to(outside)
    deck, diags = load_project(root)
    assert shown(diags) == ["slides/2.md:1: error: slide file is a symlink to outside the project "
                            "(use --allow-dir to allow a folder)"]
    assert deck is not None and titles(deck) == ["Inside"]


def test_no_slide_files_gives_no_deck(make_project: ProjectFactory) -> None:
    deck, diags = load_project(make_project({}))
    assert deck is None
    assert shown(diags) == ["slides: error: no slide files: add Markdown files such as slides/01-intro.md"]


def test_invalid_slug_is_an_error(make_project: ProjectFactory) -> None:
    _, diags = load_project(make_project({"slides/1.md": "---\nslug: ../../x\n---\n\n## A\n"}))
    assert shown(diags) == ["slides/1.md:2: error: invalid slug '../../x' (lower-case letters, digits, "
                            "'-', '_', '.')"]


def test_slugify() -> None:
    assert slugify("Let's learn Docker!") == "let-s-learn-docker"
    assert slugify("Docker für alle") == "docker-fur-alle"
    assert slugify("¿¿") == ""


def test_all_problems_of_a_run_are_reported_together(make_project: ProjectFactory) -> None:
    root = make_project({
        "slides/1.md": "---\ntitle: T\nbad: [\n---\n\n## A\n",
        "slides/2.md": "## B\n\n<!-- layout: nope -->\n\n![x](nope.png)\n\n::: notes\nopen\n",
        "slides/3.md": b"\xff\xfe",
        "slides/4.md": "![](img.png)\n",
        "slides/img.png": PNG,
    })
    deck, diags = load_project(root)
    assert [(d.ref.path if d.ref else "", d.ref.line if d.ref else 0, d.severity.value) for d in diags] == [
        ("slides/1.md", 3, "error"),  # broken YAML
        ("slides/2.md", 3, "error"),  # unknown layout
        ("slides/2.md", 5, "error"),  # missing image
        ("slides/2.md", 7, "error"),  # unclosed notes
        ("slides/3.md", 1, "error"),  # UTF-16, not UTF-8
        ("slides/4.md", 1, "warning"),  # no alt text
    ]
    assert deck is not None


def test_unknown_theme_is_reported_by_prepare_at_the_theme_line(make_project: ProjectFactory) -> None:
    root = make_project({"slides/1.md": "---\ntitle: T\ntheme: nosuchtheme\n---\n\n## A\n"})
    result = prepare(BuildOptions(root=root))
    assert shown(result.diagnostics) == [
        "slides/1.md:3: error: unknown theme 'nosuchtheme' (no themes/nosuchtheme/theme.yaml)"]
    assert result.theme is None


def test_the_workshop_deck_reads_without_errors(repo: Path) -> None:
    deck, diags = load_project(repo)
    assert [str(d) for d in diags if d.is_error] == []
    assert deck is not None and deck.slides[0].layout is Layout.TITLE and len(deck.slides) > 10


def test_front_matter_notes_become_the_title_slides_speaker_notes(make_project: ProjectFactory) -> None:
    root = make_project({"slides/a.md": """\
        ---
        title: Deck
        notes: |
          Say hello.

          Then start the
          pre-pulls.
        ---

        ## One
        """})
    deck, diags = load_project(root)
    assert deck is not None and not diags
    assert [plain_text(p.content) for p in deck.slides[0].notes] == [
        "Say hello.", "Then start the pre-pulls."]


def test_a_file_name_that_is_not_utf8_is_an_error_naming_its_bytes_not_a_writer_traceback(
        make_project: ProjectFactory) -> None:
    root = make_project({"slides/01.md": "## A\n\ntext\n"})
    (root / "slides" / os.fsdecode(b"02-\xff\xfe.md")).write_text("## B\n", encoding="utf-8")
    (root / "slides" / "data").mkdir()
    (root / "slides" / "data" / os.fsdecode(b"t\xed\xa0\x80.yaml")).write_text("x: 1\n", encoding="utf-8")
    _, diags = load_project(root)
    assert shown(diags) == [
        "slides/02-\\xff\\xfe.md:1: error: the file name is not UTF-8: rename it (file names are shown in "
        "the deck's outputs)",
        "slides/data/t\\xed\\xa0\\x80.yaml:1: error: the file name is not UTF-8: rename it (file names are "
        "shown in the deck's outputs)"]
