"""The same data table in every output: native PPTX table, HTML <table> in Chromium, PDF text.

A data table is written once in YAML; whatever the format, the reader must see the same cells,
the em dash for "not applicable", the footnote markers and notes, and the same columns.
"""

from __future__ import annotations

import re
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from testkit import REPO, ProjectFactory, require

from deckwright.build.pipeline import BuildOptions, BuildResult, build
from deckwright.diagnostics import SourceRef
from deckwright.layout.split import content_box, fix_column_widths, split_tables
from deckwright.layout.tables import column_widths
from deckwright.model.deck import (
    Align,
    Cell,
    Column,
    Columns,
    Deck,
    DeckMeta,
    Layout,
    Slide,
    Span,
    Table,
    plain_text,
)
from deckwright.model.theme import Theme
from deckwright.reading.datatables import load_tables
from deckwright.writers.html.render import RenderOptions, table_html
from deckwright.writers.html.writer import find_reveal

HAIR_SPACE = "\u200a"  # the PPTX writer puts one before a footnote marker, so text reads "5.6 MB 1"
EM_DASH = "\u2014"
EMU_PER_PX = 9525

IMAGES_YAML = """
    corner: Image
    caption: Smaller images start faster.
    columns:
      - {id: ref, label: Reference}
      - {id: size, label: Size}
      - {id: shell, label: Shell}
    rows:
      - id: alpine
        label: Alpine
        values:
          ref: "`nginx:1.28-alpine`"
          size: {value: "5.6 MB", note: "Compressed size for amd64."}
          shell: ash
      - id: distroless
        label: Distroless
        values:
          ref: "`gcr.io/distroless/static`"
          size: "2.3 MB"
          shell: {value: "n/a", note: "No shell: debug with an ephemeral container."}
      - id: scratch
        label: Scratch
        values:
          ref: "`scratch`"
          size: "0 B"
          shell: "n/a"
    """

SLIDES_MD = """
    ## Base images

    ```table images
    highlight: alpine
    ```

    ---

    ## Size and shell

    ```table images
    rows: [alpine, scratch]
    columns: [size, shell]
    transpose: true
    caption: Transposed
    ```
    """

# What a reader of the PPTX sees in each cell (the marker after a hair space).
BASE_IMAGES = [
    ["Image", "Reference", "Size", "Shell"],
    ["Alpine", "nginx:1.28-alpine", f"5.6 MB{HAIR_SPACE}1", "ash"],
    ["Distroless", "gcr.io/distroless/static", "2.3 MB", f"{EM_DASH}{HAIR_SPACE}2"],
    ["Scratch", "scratch", "0 B", EM_DASH],
]
TRANSPOSED = [
    ["Image", "Alpine", "Scratch"],
    ["Size", f"5.6 MB{HAIR_SPACE}1", "0 B"],
    ["Shell", "ash", EM_DASH],
]
BASE_NOTES = "Smaller images start faster.\n1 Compressed size for amd64.\n" \
             "2 No shell: debug with an ephemeral container."
TRANSPOSED_NOTES = "Transposed\n1 Compressed size for amd64."


# --------------------------------------------------------------------------- reading the outputs


@dataclass(frozen=True)
class PptxTable:
    cells: list[list[str]]
    widths: list[int]  # EMU, per column
    heights: list[int]  # EMU, per row
    fills: list[list[str | None]]  # solid fill colour of each cell ("FFF1B8"), None without
    notes: str  # the text box under the table: caption and numbered footnotes
    notes_below: bool  # that text box starts at or under the table's bottom edge


def _fill(cell: Any) -> str | None:
    found = cell._tc.xpath("./a:tcPr/a:solidFill/a:srgbClr/@val")
    return str(found[0]).upper() if found else None


def pptx_tables(path: Path) -> list[list[PptxTable]]:
    """Per slide, its native tables as python-pptx reads them back."""
    slides: list[list[PptxTable]] = []
    for slide in Presentation(str(path)).slides:
        shapes = list(slide.shapes)
        found = []
        for shape in shapes:
            if not shape.has_table:
                continue
            bottom = shape.top + shape.height
            notes = [s for s in shapes if s.has_text_frame and s.name.startswith("Table Notes")]
            table = shape.table
            found.append(PptxTable(
                cells=[[c.text for c in row.cells] for row in table.rows],
                widths=[int(c.width) for c in table.columns],
                heights=[int(r.height) for r in table.rows],
                fills=[[_fill(c) for c in row.cells] for row in table.rows],
                notes=notes[0].text_frame.text if notes else "",
                notes_below=bool(notes) and notes[0].top >= bottom,
            ))
        slides.append(found)
    return slides


def without_hair_space(cells: list[list[str]]) -> list[list[str]]:
    return [[c.replace(HAIR_SPACE, "") for c in row] for row in cells]


def pdf_pages(pdftotext: str, path: Path) -> list[str]:
    """The PDF's text, one string per page (pdftotext separates pages with a form feed)."""
    out = subprocess.run([pdftotext, "-layout", str(path), "-"], check=True, capture_output=True, text=True)
    return out.stdout.split("\f")


def squeezed(text: str) -> str:
    """Text without whitespace: PDF extraction may drop or add spaces (it reads "0 B" as "0B")."""
    return re.sub(r"\s+", "", text)


def built_files(result: BuildResult) -> dict[str, Path]:
    """The written outputs by kind: html (the index page), pptx, pdf (the slides, not the handout)."""
    files: dict[str, Path] = {}
    for path in result.written:
        if path.name == "index.html":
            files["html"] = path
        elif path.suffix == ".pptx":
            files["pptx"] = path
        elif path.suffix == ".pdf" and not path.stem.endswith("-handout"):
            files["pdf"] = path
    return files


def build_all(root: Path, out: Path, formats: tuple[str, ...] = ("html", "pptx", "pdf")) -> dict[str, Path]:
    result = build(BuildOptions(root=root, formats=formats, out=out))
    assert not result.failed(strict=True), [str(d) for d in result.diagnostics]
    files = built_files(result)
    assert sorted(files) == sorted(formats)
    return files


# --------------------------------------------------------------------------- Chromium

# Per table on the current slide: cell texts, highlighted cells, column widths as fractions of the
# table, row heights (px), and cells whose content does not stay inside the cell's padding box.
TABLES_JS = r"""
() => [...Reveal.getCurrentSlide().querySelectorAll('.dw-table table')].map(t => {
  const rows = [...t.rows];
  const width = t.getBoundingClientRect().width;
  const escaped = [];
  for (const cell of t.querySelectorAll('th, td')) {
    const box = cell.getBoundingClientRect();
    const style = getComputedStyle(cell);
    const left = box.left + parseFloat(style.paddingLeft) - 1;
    const right = box.right - parseFloat(style.paddingRight) + 1;
    const range = document.createRange();
    range.selectNodeContents(cell);
    const outside = [...range.getClientRects()].some(r => r.width && (r.left < left || r.right > right));
    if (outside || cell.scrollWidth > cell.clientWidth + 1) escaped.push(cell.textContent);
  }
  return {
    cells: rows.map(r => [...r.cells].map(c => c.textContent)),
    highlighted: rows.map(r => [...r.cells].map(c => c.classList.contains('dw-highlight'))),
    fractions: [...rows[0].cells].map(c => c.getBoundingClientRect().width / width),
    heights: rows.map(r => r.getBoundingClientRect().height),
    escaped,
  };
})
"""

SETTLE_JS = """
async () => {
  await document.fonts.ready;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
}
"""


def html_tables(browser: Any, index: Path) -> list[list[dict[str, Any]]]:
    """Per slide, what Chromium lays out for each table on it (the deck opened from disk)."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto(index.as_uri())
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=20000)
        page.evaluate("() => Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
        slides = []
        for i in range(page.evaluate("() => Reveal.getTotalSlides()")):
            page.evaluate(f"() => Reveal.slide({i})")
            page.evaluate(SETTLE_JS)
            slides.append(page.evaluate(TABLES_JS))
        return slides
    finally:
        page.close()


def need_reveal() -> None:
    require(find_reveal(REPO) is not None, "reveal.js (run `npm ci`)")


# --------------------------------------------------------------------------- the small project


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> dict[str, Path]:
    """A two-slide project (a data table, then a transposed view of it) built to html, pptx and pdf.

    The PDF writer prints with Chromium, hence the fixture.
    """
    need_reveal()
    root = tmp_path_factory.mktemp("images") / "project"
    (root / "slides" / "data").mkdir(parents=True)
    (root / "slides" / "data" / "images.yaml").write_text(textwrap.dedent(IMAGES_YAML), encoding="utf-8")
    (root / "slides" / "01-images.md").write_text(textwrap.dedent(SLIDES_MD).lstrip(), encoding="utf-8")
    return build_all(root, root / "dist")


def test_the_pptx_has_native_tables_with_every_cell_and_the_notes_under_them(images: dict[str, Path],
                                                                              theme: Theme) -> None:
    (base,), (transposed,) = pptx_tables(images["pptx"])
    assert base.cells == BASE_IMAGES
    assert transposed.cells == TRANSPOSED
    assert (base.notes, transposed.notes) == (BASE_NOTES, TRANSPOSED_NOTES)
    assert base.notes_below and transposed.notes_below
    # `highlight: alpine` fills the Alpine row (its label too), and nothing else, with the theme's colour.
    marked = theme.color("table_highlight").lstrip("#").upper()
    assert [[fill == marked for fill in row] for row in base.fills] == [
        [False] * 4, [True] * 4, [False] * 4, [False] * 4]
    assert not any(fill == marked for row in transposed.fills for fill in row)


@pytest.mark.browser
def test_chromium_sees_the_same_cells_and_columns_as_the_pptx(images: dict[str, Path], browser: Any) -> None:
    pptx = pptx_tables(images["pptx"])
    html = html_tables(browser, images["html"])
    assert [len(s) for s in html] == [len(s) for s in pptx] == [1, 1]
    for (shown,), (native,) in zip(html, pptx, strict=True):
        assert shown["cells"] == without_hair_space(native.cells)
        # The <colgroup> holds fit's widths: each column takes the PPTX's share of the table.
        assert shown["fractions"] == pytest.approx([w / sum(native.widths) for w in native.widths], abs=0.003)
        assert shown["escaped"] == []
    assert html[0][0]["highlighted"] == [[False] * 4, [True] * 4, [False] * 4, [False] * 4]


def test_the_pdf_has_every_cell_on_its_slides_page(images: dict[str, Path], pdftotext: str) -> None:
    pages = pdf_pages(pdftotext, images["pdf"])
    for page, cells, notes in ((pages[0], BASE_IMAGES, BASE_NOTES), (pages[1], TRANSPOSED, TRANSPOSED_NOTES)):
        text = squeezed(page)
        for cell in (c for row in cells for c in row):
            assert squeezed(cell.replace(HAIR_SPACE, "")) in text, cell
        for line in notes.splitlines():
            assert squeezed(line) in text, line
    assert "gcr.io/distroless/static" not in pages[1]  # the transposed view shows only its rows


@pytest.mark.browser
def test_editing_one_cell_in_the_yaml_changes_it_in_every_output(make_project: ProjectFactory,
                                                                  pdftotext: str, chromium: str) -> None:
    """Done when: the YAML is the single source; one edit, one rebuild, every format follows."""
    need_reveal()
    root = make_project({"slides/data/images.yaml": IMAGES_YAML, "slides/01-images.md": SLIDES_MD})
    out = root / "dist"
    build_all(root, out)
    data = root / "slides" / "data" / "images.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace('size: "2.3 MB"', 'size: "4.7 MB"'),
                    encoding="utf-8")
    files = build_all(root, out)

    (base,), _ = pptx_tables(files["pptx"])
    assert base.cells[2] == ["Distroless", "gcr.io/distroless/static", "4.7 MB", f"{EM_DASH}{HAIR_SPACE}2"]
    html = files["html"].read_text(encoding="utf-8")
    assert "<td>4.7 MB</td>" in html and "2.3 MB" not in html
    pdf = squeezed(pdf_pages(pdftotext, files["pdf"])[0])
    assert "Distrolessgcr.io/distroless/static4.7MB" in pdf and "2.3MB" not in pdf


# --------------------------------------------------------------------------- widths, model to HTML


def _table(widths: tuple[float, ...] = ()) -> Table:
    ref = SourceRef("slides/s.md", 1)
    words = ("Reference", "A cell with enough words to wrap over more than one line, twice over")
    return Table(ref, header=tuple(Cell((Span(w),)) for w in ("Name", "Value")),
                 rows=tuple((Cell((Span(a),)), Cell((Span(b),))) for a, b in (words, ("x", "y"))),
                 align=(Align.DEFAULT, Align.DEFAULT), widths=widths)


def test_every_table_gets_the_widths_of_the_box_fit_lays_it_out_in(theme: Theme) -> None:
    ref = SourceRef("slides/s.md", 1)
    table = _table()
    beside = Columns(ref, (Column(ref, (table,), width=0.4), Column(ref, ())))
    deck = Deck(DeckMeta(slug="d"), (Slide(ref, Layout.CONTENT, blocks=(table, beside)),), Path("."))
    fixed = fix_column_widths(deck, theme)
    whole, columns = fixed.slides[0].blocks
    assert isinstance(whole, Table) and isinstance(columns, Columns)
    inner = columns.columns[0].blocks[0]
    assert isinstance(inner, Table)
    width = content_box(theme)[0]
    assert sum(whole.widths) == pytest.approx(1.0)
    assert [f * width for f in whole.widths] == pytest.approx(column_widths(table, theme, width))
    # In a 40 % column the table is narrower, so its text column takes a larger share.
    assert inner.widths != pytest.approx(whole.widths) and inner.widths[1] < whole.widths[1]


def test_the_parts_of_a_split_table_keep_the_whole_tables_widths(theme: Theme) -> None:
    ref = SourceRef("slides/s.md", 1)
    tall = Table(ref, header=(Cell((Span("Name"),)), Cell((Span("Value"),))),
                 rows=tuple((Cell((Span(f"row {i}"),)), Cell((Span("word " * (i % 7 + 1)),)))
                            for i in range(60)), align=(Align.DEFAULT, Align.DEFAULT))
    deck = Deck(DeckMeta(slug="d"), (Slide(ref, Layout.CONTENT, blocks=(tall,)),), Path("."))
    split, _ = split_tables(deck, theme)
    parts = [s.blocks[0] for s in fix_column_widths(split, theme).slides]
    assert len(parts) > 1
    assert all(isinstance(p, Table) and p.widths == split.slides[0].blocks[0].widths  # type: ignore[union-attr]
               for p in parts)


def test_html_tables_with_widths_get_a_fixed_colgroup_and_others_stay_automatic() -> None:
    opts = RenderOptions(asset_url=lambda p: p.name)
    fixed = table_html(_table((0.25, 0.75)), opts)
    assert '<table class="dw-fixed"><colgroup><col style="width:25%"><col style="width:75%"></colgroup>' \
           '<thead>' in fixed
    assert "<table><thead>" in table_html(_table(), opts)


# --------------------------------------------------------------------------- the workshop deck


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    need_reveal()
    return build_all(REPO, tmp_path_factory.mktemp("workshop"), ("html", "pptx"))


def test_the_terminology_table_is_native_in_the_pptx_over_its_two_slides(workshop: dict[str, Path]) -> None:
    tables, _ = load_tables(REPO)
    data = tables["terminology"]
    header = [plain_text(data.corner), *(plain_text(c.label) for c in data.columns)]
    found = [t for slide in pptx_tables(workshop["pptx"]) for t in slide if t.cells[0] == header]
    assert len(found) == 2
    labels = [[row[0] for row in t.cells[1:]] for t in found]
    seed = ["engine", "image", "container", "hub", "registry"]
    assert labels[0] == [plain_text(r.label) for r in data.rows if r.id in seed]
    assert labels[1] == [plain_text(r.label) for r in data.rows if r.id not in seed]
    # Every cell is the YAML's text (an em dash where not applicable), plus its footnote marker if any.
    for table in found:
        notes = table.notes.splitlines()
        for row in table.cells[1:]:
            source = next(r for r in data.rows if plain_text(r.label) == row[0])
            for column, text in zip(data.columns, row[1:], strict=True):
                value = source.values[column.id]
                shown, _, marker = text.partition(HAIR_SPACE)
                assert shown == (EM_DASH if value.empty else plain_text(value.content)), (row[0], column.id)
                assert bool(marker) == bool(value.note)
                if marker:
                    assert f"{marker} {plain_text(value.note)}" in notes


@pytest.mark.browser
def test_workshop_tables_in_chromium_fit_their_cells_and_match_the_pptx(workshop: dict[str, Path],
                                                                        browser: Any) -> None:
    pptx = pptx_tables(workshop["pptx"])
    html = html_tables(browser, workshop["html"])
    assert len(html) == len(pptx)
    compared = 0
    for number, (shown_tables, native_tables) in enumerate(zip(html, pptx, strict=True), start=1):
        assert len(shown_tables) == len(native_tables), f"slide {number}"
        for shown, native in zip(shown_tables, native_tables, strict=True):
            # Long tokens such as `nginx:1.28-alpine` stay inside their cells.
            assert shown["escaped"] == [], f"slide {number}"
            assert shown["cells"] == without_hair_space(native.cells), f"slide {number}"
            assert shown["fractions"] == pytest.approx([w / sum(native.widths) for w in native.widths],
                                                       abs=0.003), f"slide {number}"
            # Same columns, same wrapping: every row as many lines tall as fit measured (a line is
            # ~26 px; a px or two of rounding and borders is fine).
            assert shown["heights"] == pytest.approx([h / EMU_PER_PX for h in native.heights], abs=4), \
                f"slide {number}"
            compared += 1
    assert compared >= 6
