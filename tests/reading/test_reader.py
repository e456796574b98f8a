"""The reader: Markdown fixtures in, the deck model (in a compact readable form) out; errors with lines."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from reading_helpers import FIXTURES, inline_text, read

from deckwright.diagnostics import Diagnostic
from deckwright.model.deck import (
    Block,
    CodeBlock,
    Columns,
    Heading,
    Image,
    ListBlock,
    ListItem,
    Paragraph,
    QRCode,
    Quote,
    RawHtml,
    Slide,
    Table,
)
from deckwright.reading.reader import read_markdown

UPDATE = os.environ.get("DECKWRIGHT_UPDATE_FIXTURES") == "1"

# --------------------------------------------------------------------------- compact form


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


def test_all_problems_are_reported_together(root: Path) -> None:
    text = (FIXTURES / "errors.md").read_text(encoding="utf-8")
    _, _, diags = read(root, text, "errors.md")
    assert [d.ref.line for d in diags if d.ref and d.is_error] == [3, 5, 7, 9, 11]


def test_own_front_matter_overrides_deck_defaults(root: Path) -> None:
    text = "---\nslide_level: 0\n---\n\n## One\n\n## Two\n"
    slides, _, _ = read(root, text, defaults={"slide_level": 2})
    assert len(slides) == 1
    slides, _, _ = read(root, "## One\n\n## Two\n", defaults={"slide_level": 2})
    assert len(slides) == 2


# --------------------------------------------------------------------------- properties


def test_reading_is_deterministic(root: Path) -> None:
    text = "\n\n---\n\n".join((FIXTURES / f"{n}.md").read_text(encoding="utf-8")
                              for n in ("fragments", "columns", "layouts"))
    assert read(root, text) == read(root, text)


def test_crlf_and_front_matter_lines(root: Path) -> None:
    text = "---\r\ntitle: T\r\n---\r\n\r\n## Slide\r\n\r\ntext\r\n"
    slides, meta, diags = read(root, text)
    assert diags == [] and meta == {"title": "T"}
    assert slides[0].ref.line == 5 and slides[0].blocks[0].ref.line == 7
