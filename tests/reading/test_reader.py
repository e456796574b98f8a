"""The reader: Markdown fixtures in, the deck model (in a compact readable form) out; errors with lines."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from deckwright.diagnostics import Diagnostic, SourceRef, error
from deckwright.model.deck import (
    Block,
    CodeBlock,
    Columns,
    Heading,
    Image,
    Inline,
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
from deckwright.reading import reader as reader_module
from deckwright.reading.reader import read_markdown

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reader"
UPDATE = os.environ.get("DECKWRIGHT_UPDATE_FIXTURES") == "1"

# --------------------------------------------------------------------------- compact form


def inline_text(inline: Inline) -> str:
    """Spans written back as Markdown-like text: **bold**, *italic*, ~~strike~~, `code`, [text](href)."""
    out = []
    for span in inline:
        text = span.text
        if span.code:
            text = f"`{text}`"
        if span.italic:
            text = f"*{text}*"
        if span.bold:
            text = f"**{text}**"
        if span.strike:
            text = f"~~{text}~~"
        if span.href is not None:
            text = f"[{text}]({span.href})"
        out.append(text)
    return "".join(out)


def _with(kind: str, value: Any, block: Block | ListItem, line: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {kind: value}
    if line:
        out["line"] = block.ref.line
    if block.step:
        out["step"] = block.step
    return out


def compact_item(item: ListItem, root: Path) -> Any:
    if not item.step and not item.children:
        return inline_text(item.content)
    out = _with("item", inline_text(item.content), item, line=False)
    if item.children:
        out["children"] = [compact_block(b, root) for b in item.children]
    return out


def compact_block(block: Block, root: Path) -> dict[str, Any]:
    """One block as a mapping: its kind as the key (p, h3, ul, ol, code, table, image…), line, step."""
    if isinstance(block, Paragraph):
        return _with("p", inline_text(block.content), block)
    if isinstance(block, Heading):
        return _with(f"h{block.level}", inline_text(block.content), block)
    if isinstance(block, ListBlock):
        out = _with("ol" if block.ordered else "ul", [compact_item(i, root) for i in block.items], block)
        if block.start != 1:
            out["start"] = block.start
        return out
    if isinstance(block, CodeBlock):
        out = _with("code", block.code, block)
        if block.language:
            out["lang"] = block.language
        return out
    if isinstance(block, Table):
        return _with("table", {
            "header": [inline_text(c.content) for c in block.header],
            "rows": [[inline_text(c.content) for c in row] for row in block.rows],
            "align": [a.value or "default" for a in block.align],
        }, block)
    if isinstance(block, Image):
        out = _with("image", block.path.relative_to(root).as_posix(), block)
        out["alt"] = block.alt
        if block.title:
            out["title"] = block.title
        if block.width is not None:
            out["width"] = block.width
        return out
    if isinstance(block, Quote):
        return _with("quote", [compact_block(b, root) for b in block.blocks], block)
    if isinstance(block, Columns):
        columns = []
        for col in block.columns:
            entry: dict[str, Any] = {"blocks": [compact_block(b, root) for b in col.blocks]}
            if col.width is not None:
                entry["width"] = col.width
            columns.append(entry)
        return _with("columns", columns, block)
    if isinstance(block, RawHtml):
        return _with("html", block.html, block)
    if isinstance(block, QRCode):
        return _with("qr", block.url, block)
    raise AssertionError(f"unexpected block {block!r}")


def compact_slide(slide: Slide, root: Path) -> dict[str, Any]:
    out: dict[str, Any] = {"line": slide.ref.line, "layout": slide.layout.value}
    if slide.title:
        out["title"] = inline_text(slide.title)
    if slide.subtitle:
        out["subtitle"] = inline_text(slide.subtitle)
    if slide.classes:
        out["classes"] = list(slide.classes)
    if slide.background_color:
        out["background_color"] = slide.background_color
    if slide.background_image:
        out["background_image"] = slide.background_image.relative_to(root).as_posix()
    if slide.steps:
        out["steps"] = slide.steps
    if slide.stack:
        out["stack"] = slide.stack
    if slide.paginate is not None:
        out["paginate"] = slide.paginate
    if slide.header:
        out["header"] = inline_text(slide.header)
    if slide.footer:
        out["footer"] = inline_text(slide.footer)
    if slide.blocks:
        out["blocks"] = [compact_block(b, root) for b in slide.blocks]
    if slide.notes:
        out["notes"] = [compact_block(b, root) for b in slide.notes]
    return out


def compact(slides: list[Slide], meta: dict[str, object], diags: list[Diagnostic],
            root: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if meta:
        out["meta"] = {k: list(v) if isinstance(v, tuple) else v for k, v in meta.items()}
    out["slides"] = [compact_slide(s, root) for s in slides]
    if diags:
        out["diagnostics"] = [str(d) for d in diags]
    return out


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project whose slides/ folder is a copy of the fixture folder (images included)."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES, project / "slides")
    return project


def read(root: Path, text: str, name: str = "test.md", **kwargs: Any) -> tuple[
        list[Slide], dict[str, object], list[Diagnostic]]:
    return read_markdown(text, f"slides/{name}", root, **kwargs)


def messages(diags: list[Diagnostic]) -> list[str]:
    return [str(d) for d in diags]


# --------------------------------------------------------------------------- fixture files

CASES = sorted(p.stem for p in FIXTURES.glob("*.md"))


def test_every_construct_has_a_fixture() -> None:
    assert {"front_matter", "slide_breaks", "slide_level", "titles_sections", "notes", "notes_comments",
            "fragments", "columns", "layouts", "inline", "lists", "code", "tables", "images",
            "quotes_html", "qr", "errors", "marp", "reveal", "pandoc", "pandoc_level3"} <= set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_fixture(name: str, root: Path) -> None:
    text = (FIXTURES / f"{name}.md").read_text(encoding="utf-8")
    slides, meta, diags = read_markdown(text, f"slides/{name}.md", root)
    got = compact(slides, meta, diags, root)
    expected_file = FIXTURES / f"{name}.expected.yaml"
    if UPDATE or not expected_file.exists():
        expected_file.write_text(yaml.safe_dump(got, sort_keys=False, allow_unicode=True, width=110),
                                 encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"wrote missing {expected_file.name}: review it")
    assert got == yaml.safe_load(expected_file.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- errors and warnings


def test_unclosed_block_is_reported_at_its_opening_line(root: Path) -> None:
    slides, _, diags = read(root, "## A\n\n:::: columns\n::: column\ntext\n:::\n")
    assert messages(diags) == [
        "slides/test.md:3: error: `:::: columns` is never closed: add a line `::::`"]
    assert isinstance(slides[0].blocks[0], Columns)  # the content is still read


def test_unclosed_block_ends_at_the_next_slide_break(root: Path) -> None:
    slides, _, diags = read(root, "## A\n\n::: notes\nforgotten\n\n---\n\n## B\n\ntext\n")
    assert messages(diags) == ["slides/test.md:3: error: `::: notes` is never closed: add a line `:::`"]
    assert [inline_text(s.title) for s in slides] == ["A", "B"]
    assert [inline_text(b.content) for b in slides[0].notes if isinstance(b, Paragraph)] == ["forgotten"]


def test_notes_never_get_steps(root: Path) -> None:
    text = "A\n\n. . .\n\n::: notes\nN\n<!-- .element: class=\"fragment\" -->\n\n<b>x</b>\n:::\n"
    slides, _, _ = read(root, text)
    assert [b.step for b in slides[0].notes] == [0, 0]
    assert slides[0].steps == 0


def test_unknown_layout_is_an_error_at_its_line(root: Path) -> None:
    slides, _, diags = read(root, "## A\n\ntext\n\n<!-- layout: two-cols -->\n")
    assert [(d.ref, d.is_error) for d in diags] == [(SourceRef("slides/test.md", 5), True)]
    assert "unknown layout 'two-cols'" in diags[0].message and "two-columns" in diags[0].message
    assert slides[0].layout is Layout.CONTENT


def test_missing_image_is_an_error_and_the_image_is_left_out(root: Path) -> None:
    slides, _, diags = read(root, "## A\n\ntext\n\n![Gone](img/gone.png)\n")
    assert messages(diags) == ["slides/test.md:5: error: image not found: img/gone.png"]
    assert [type(b) for b in slides[0].blocks] == [Paragraph]


def test_image_outside_the_project_is_refused(root: Path) -> None:
    (root.parent / "secret.png").write_bytes((FIXTURES / "img" / "whale.png").read_bytes())
    _, _, diags = read(root, "![Secret](../../secret.png)\n")
    assert messages(diags) == ["slides/test.md:1: error: image is outside the project: ../../secret.png "
                               "(use --allow-dir to allow a folder)"]


def test_image_symlink_escaping_the_project_is_refused(root: Path) -> None:
    outside = root.parent / "secret.png"
    outside.write_bytes((FIXTURES / "img" / "whale.png").read_bytes())
    (root / "slides" / "img" / "link.png").symlink_to(outside)
    _, _, diags = read(root, "text\n\n![Linked](img/link.png)\n")
    assert messages(diags) == ["slides/test.md:3: error: image is outside the project through a symlink: "
                               "img/link.png (use --allow-dir to allow a folder)"]


def test_allowed_directory_outside_the_project(root: Path) -> None:
    shared = root.parent / "shared"
    shared.mkdir()
    (shared / "logo.png").write_bytes((FIXTURES / "img" / "whale.png").read_bytes())
    slides, _, diags = read(root, "![Logo](../../shared/logo.png)\n", allow_dirs=(shared,))
    assert diags == []
    image = slides[0].blocks[0]
    assert isinstance(image, Image) and image.path == (shared / "logo.png").resolve()


def test_image_path_from_project_root_with_leading_slash(root: Path) -> None:
    slides, _, diags = read(root, "![Whale](/slides/img/whale.png)\n")
    assert diags == []
    assert isinstance(slides[0].blocks[0], Image)


def test_broken_front_matter_yaml_points_at_the_yaml_line(root: Path) -> None:
    slides, meta, diags = read(root, "---\ntitle: Fine\nauthor: a: b\n---\n\n## Slide\n")
    assert len(diags) == 1 and diags[0].is_error
    assert diags[0].ref == SourceRef("slides/test.md", 3)
    assert diags[0].message.startswith("invalid YAML")
    assert meta == {} and [inline_text(s.title) for s in slides] == ["Slide"]


def test_front_matter_values_are_checked(root: Path) -> None:
    _, meta, diags = read(root, "---\ntitle: [a, b]\nslide_level: 9\ntheme: ../evil\ncolour: red\n---\n")
    assert messages(diags) == [
        "slides/test.md:2: error: `title` must be text, not a list",
        "slides/test.md:3: error: `slide_level` must be a number from 0 to 6, not 9",
        "slides/test.md:4: error: invalid theme name '../evil' (letters, digits, '-', '_', '.')",
        "slides/test.md:5: warning: unknown front-matter key `colour` ignored (known: title, subtitle, "
        "author, date, url, theme, lang, description, slug, notes, keywords, slide_level, notes_comments, "
        "dialect, allow_scripts)",
    ]
    assert meta == {}


def test_all_problems_are_reported_together(root: Path) -> None:
    text = (FIXTURES / "errors.md").read_text(encoding="utf-8")
    _, _, diags = read(root, text, "errors.md")
    assert [d.ref.line for d in diags if d.ref and d.is_error] == [3, 5, 7, 9, 11]


def test_unknown_div_and_stray_column_are_warned_and_kept(root: Path) -> None:
    slides, _, diags = read(root, "::: callout\nBoxed.\n:::\n\n::: column\nAlone.\n:::\n")
    assert [d.ref.line for d in diags if d.ref] == [1, 5]
    assert "unknown block `::: callout`" in diags[0].message
    assert "outside `:::: columns`" in diags[1].message
    assert [inline_text(b.content) for b in slides[0].blocks if isinstance(b, Paragraph)] == [
        "Boxed.", "Alone."]


def test_element_comment_without_fragment_class_is_warned(root: Path) -> None:
    slides, _, diags = read(root, "text\n<!-- .element: class=\"red\" -->\n")
    assert messages(diags) == [
        "slides/test.md:2: warning: `.element` comment without class=\"fragment\" is ignored"]
    assert slides[0].steps == 0


def test_qr_without_any_url_is_an_error(root: Path) -> None:
    _, _, diags = read(root, "```qr\n```\n")
    assert messages(diags) == [
        "slides/test.md:1: error: ```qr needs a URL inside, or a `url` in the deck's metadata"]


def test_deck_url_from_defaults_feeds_qr(root: Path) -> None:
    slides, _, diags = read(root, "```qr\n```\n", defaults={"url": "https://x.org"})
    assert diags == [] and slides[0].blocks == (QRCode(SourceRef("slides/test.md", 1), "https://x.org"),)


def test_own_front_matter_overrides_deck_defaults(root: Path) -> None:
    text = "---\nslide_level: 0\n---\n\n## One\n\n## Two\n"
    slides, _, _ = read(root, text, defaults={"slide_level": 2})
    assert len(slides) == 1
    slides, _, _ = read(root, "## One\n\n## Two\n", defaults={"slide_level": 2})
    assert len(slides) == 2


# --------------------------------------------------------------------------- data tables (contract)


def test_table_fence_is_expanded_by_the_tables_module(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []

    def expand_fence(kind: str, name: str, body: str, ref: SourceRef,
                     tables: Any) -> tuple[list[Block], list[Diagnostic]]:
        calls.append((kind, name, body, ref, dict(tables)))
        return [Paragraph(ref, (Span(f"{kind}:{name}"),))], [error(ref, "from tables")]

    monkeypatch.setattr(reader_module, "expand_fence", expand_fence)
    text = "## Data\n\n. . .\n\n```table terminology\ncolumns: [docker, vm]\n```\n\n```glossary terms\n```\n"
    slides, _, diags = read(root, text, tables={"terminology": "T"})
    assert calls == [
        ("table", "terminology", "columns: [docker, vm]\n", SourceRef("slides/test.md", 5),
         {"terminology": "T"}),
        ("glossary", "terms", "", SourceRef("slides/test.md", 9), {"terminology": "T"}),
    ]
    assert messages(diags) == ["slides/test.md:5: error: from tables", "slides/test.md:9: error: from tables"]
    # Generated blocks take the step they stand at (here after a pause).
    assert [(inline_text(b.content), b.step) for b in slides[0].blocks if isinstance(b, Paragraph)] == [
        ("table:terminology", 1), ("glossary:terms", 1)]


def test_table_fence_naming_no_data_table_is_an_error_at_its_line(root: Path) -> None:
    # The data tables are part of the reader (imported directly): an unknown name is the author's error.
    _, _, diags = read(root, "```table terminology\n```\n")
    assert messages(diags) == ["slides/test.md:1: error: unknown data table 'terminology' "
                               "(slides/data/ has no .yaml files)"]


def test_table_fence_needs_a_name(root: Path) -> None:
    _, _, diags = read(root, "```table\n```\n")
    assert messages(diags) == [
        "slides/test.md:1: error: ```table needs the name of a data table, e.g. ```table terminology"]


# --------------------------------------------------------------------------- properties


def test_reading_is_deterministic(root: Path) -> None:
    text = "\n\n---\n\n".join((FIXTURES / f"{n}.md").read_text(encoding="utf-8")
                              for n in ("fragments", "columns", "layouts"))
    assert read(root, text) == read(root, text)


def test_steps_have_no_gaps_and_match_the_slide(root: Path) -> None:
    text = "A\n\n. . .\n\n. . .\n\nB\n<!-- .element: class=\"fragment\" -->\n\n. . .\n"
    slides, _, _ = read(root, text)
    assert [b.step for b in slides[0].blocks] == [0, 1]
    assert slides[0].steps == 1


def test_crlf_and_front_matter_lines(root: Path) -> None:
    text = "---\r\ntitle: T\r\n---\r\n\r\n## Slide\r\n\r\ntext\r\n"
    slides, meta, diags = read(root, text)
    assert diags == [] and meta == {"title": "T"}
    assert slides[0].ref.line == 5 and slides[0].blocks[0].ref.line == 7
