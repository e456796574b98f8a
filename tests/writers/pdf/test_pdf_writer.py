"""The PDF writer: a 16:9 page per slide and an A4 handout with notes, read back with pypdf and poppler."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image as PILImage
from testkit import REPO, ref, require, text

from deckwright.diagnostics import SourceRef
from deckwright.layout.geometry import Box, body_box, footer_boxes, title_box
from deckwright.layout.text import text_width
from deckwright.model.deck import (
    Deck,
    DeckMeta,
    Image,
    Layout,
    Paragraph,
    QRCode,
    Slide,
    Span,
    plain_text,
)
from deckwright.model.theme import Theme
from deckwright.writers.pdf import document as pdf_document
from deckwright.writers.pdf import handout as pdf_handout
from deckwright.writers.pdf import writer as pdf

PX_PER_PT = 4 / 3
# How far (px) a glyph's box may stick out of its layout box: ascenders/descenders of the
# line box, italic overhang. Anything larger is text drawn where fit did not plan it.
TOLERANCE = 6.0
REF = SourceRef("slides/deck.md", 3)


def squash(s: str) -> str:
    """Text without any whitespace: PDF extraction breaks lines and words where layout did."""
    return re.sub(r"\s+", "", s)


# --------------------------------------------------------------------------- a sample project

LONG_CODE = "\n".join(
    f"RUN echo step {i:02d} && apt-get install -y --no-install-recommends package-{i:02d} "
    f"&& rm -rf /var/lib/apt/lists/*" if i % 3 == 0 else f"# line {i:02d}: keep layers small"
    for i in range(1, 31))
LONG_TABLE = "\n".join(
    ["| Command | What it does | Example |", "|---|---|---|"]
    + [f"| `docker cmd{i}` | does thing number {i} to a container, with a longer explanation "
       f"| `docker cmd{i} --flag web` |" for i in range(1, 31)])

SAMPLE = {
    "slides/01-intro.md": f"""
        ---
        title: "Printing <PDF> decks"
        subtitle: Slides and handouts without a browser
        author: Ada Lovelace
        date: 2026-03-14
        url: https://example.com/pdf-deck
        description: A sample deck for the PDF writer tests.
        keywords: [pdf, fpdf2, handout]
        slug: sample
        ---

        # Basics

        What the PDF shows

        ::: notes
        Section notes.
        :::

        ---

        ## Links and lists

        - Read the [fpdf2 docs](https://py-pdf.github.io/fpdf2/)
        - **Bold**, *italic* and `inline code`

        ::: incremental
        - a first click
        - a second click
        :::

        ::: notes
        Say **this** first. Then the list:

        - point one in the notes
        - point two in the notes

        ```bash
        docker run --rm hello-world
        ```
        :::

        ---

        ## A long Dockerfile

        ```dockerfile
{LONG_CODE}
        ```

        ::: notes
        Walk through the layers.
        :::

        ---

        ## Many commands

{LONG_TABLE}

        ---

        ## A diagram

        The diagram on the right is an SVG.

        ![A blue box labelled engine](img/diagram.svg)

        ---

        ## A photo

        ![A grey square photo](img/photo.png){{width=40%}}

        ---

        ## Questions?

        ```qr
        ```
        """,
}
SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="400" height="300">
  <rect x="10" y="10" width="380" height="280" fill="#1d63ed"/>
  <text x="200" y="160" font-size="40" text-anchor="middle" fill="#ffffff">engine</text>
</svg>
"""


def _indent_fix(files: dict[str, str]) -> dict[str, str]:
    """The long code and table above are not indented like the rest; align them for dedent."""
    return {k: "\n".join(("        " + line if line and not line.startswith(" ") else line)
                         for line in v.split("\n")) for k, v in files.items()}


@dataclass(frozen=True)
class Built:
    deck: Deck
    theme: Theme
    slides: Path
    handout: Path


def build_project(root: Path, out: Path) -> Built:
    from deckwright.build.pipeline import BuildOptions, build

    result = build(BuildOptions(root=root, formats=("pdf",), out=out))
    assert not result.failed(strict=False), [str(d) for d in result.diagnostics]
    assert result.deck is not None and result.theme is not None
    slides, handout = (out / f"{result.deck.meta.slug}{suffix}.pdf" for suffix in ("", "-handout"))
    assert result.written == [slides, handout]
    return Built(result.deck, result.theme, slides, handout)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Built:
    import textwrap

    root = tmp_path_factory.mktemp("sample")
    for rel, content in _indent_fix(SAMPLE).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    (root / "slides" / "img").mkdir()
    (root / "slides" / "img" / "diagram.svg").write_text(SVG, encoding="utf-8")
    PILImage.new("RGB", (300, 300), (128, 128, 128)).save(root / "slides" / "img" / "photo.png")
    return build_project(root, root / "dist")


@pytest.fixture(scope="session")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The repository's own deck, built once through the pipeline."""
    return build_project(REPO, tmp_path_factory.mktemp("workshop"))


def reader(path: Path) -> Any:
    from pypdf import PdfReader

    return PdfReader(path)


def reader_of(data: bytes) -> Any:
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in reader(path).pages]


def outline(path: Path) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) of every bookmark, in order."""
    pdf_reader = reader(path)
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, str(item.title), pdf_reader.get_destination_page_number(item) + 1))

    walk(pdf_reader.outline, 1)
    return found


def uri_links(path: Path) -> list[tuple[int, str]]:
    links = []
    for number, page in enumerate(reader(path).pages, start=1):
        for annot in page.get("/Annots", []) or []:
            action = annot.get_object().get("/A")
            if action is not None and action.get_object().get("/S") == "/URI":
                links.append((number, str(action.get_object()["/URI"])))
    return links


def slide_title(slide: Slide) -> str:
    return plain_text(slide.title)


# --------------------------------------------------------------------------- pure parts


def test_outline_levels_sections_then_slides() -> None:
    section = Slide(ref(1), Layout.SECTION, title=text("Basics"))
    content = Slide(ref(2), Layout.CONTENT, title=text("Ports  and\nvolumes"), continuation="2/3")
    blank = Slide(ref(3), Layout.BLANK)
    assert [pdf_document.bookmark_level(s) for s in (section, content, blank)] == [1, 2, 2]
    assert pdf_document.bookmark_label(content, 7) == "Ports and volumes (2/3)"
    assert pdf_document.bookmark_label(blank, 9) == "Slide 9"


def test_the_handout_header_is_the_deck_title_then_author_and_date() -> None:
    assert pdf_handout.header_text(DeckMeta(title='A "quoted" deck', author="Ada", date="2026")) == (
        'A "quoted" deck', "Ada · 2026")
    assert pdf_handout.header_text(DeckMeta(slug="untitled")) == ("untitled", "")


def test_the_handout_header_is_one_line_when_the_title_has_several(theme: Theme) -> None:
    # `title: |` in YAML, or "\n" written in quotes: the text layout failed on the line end.
    left, right = pdf_handout.header_text(DeckMeta(title="Docker\n  for all\n", author="Ada\nB", date="2026"))
    assert (left, right) == ("Docker for all", "Ada B · 2026")
    assert pdf_handout.fit_header(left, right, theme) == (left, right)


def test_outline_levels_never_skip_one() -> None:
    content = Slide(ref(1), Layout.CONTENT, title=text("First"))
    section = Slide(ref(2), Layout.SECTION, title=text("Part"))
    assert pdf_document.outline_levels([content, content, section, content]) == [0, 0, 0, 1]
    assert pdf_document.outline_levels([section, content, content]) == [0, 1, 1]


def test_the_handout_header_parts_never_meet(theme: Theme) -> None:
    left, right = pdf_handout.fit_header("A very long deck title " * 8, "Ada Lovelace and friends · 2026",
                                         theme)
    font = theme.fonts["body"].file()
    size = pdf_handout.BAND_SIZE
    assert left.endswith("…") and right == "Ada Lovelace and friends · 2026"
    assert text_width(left, font, size) + text_width(right, font, size) < pdf_handout.text_width()
    assert pdf_handout.fit_header("Short", "Ada", theme) == ("Short", "Ada")

def _notes(words: int) -> tuple[Paragraph, ...]:
    return (Paragraph(ref(9), text(" ".join(["word"] * words))),)


def test_short_notes_share_a_page_and_long_ones_continue_on_the_next(theme: Theme) -> None:
    short = [Slide(ref(n), Layout.CONTENT, title=text(f"S{n}"), notes=_notes(20)) for n in range(4)]
    pages = pdf_handout.paginate(short, theme)
    assert [[f.index for f in p.frames] for p in pages] == [[0, 1], [2, 3]]
    long = [Slide(ref(1), Layout.CONTENT, title=text("Long"), notes=_notes(2500)),
            Slide(ref(2), Layout.CONTENT, title=text("Next"))]
    pages = pdf_handout.paginate(long, theme)
    assert len(pages) >= 3 and [f.index for f in pages[0].frames] == [0]
    assert all(not p.frames for p in pages[1:-1]) and pages[1].lines  # the notes go on
    bottom = pdf_handout.PAGE_H - pdf_handout.MARGIN_BOTTOM
    for page in pages:
        for entry in page.lines:
            assert entry.y >= pdf_handout.MARGIN_TOP
            assert entry.y + entry.para.size * entry.para.line_height <= bottom + 0.01
        for frame in page.frames:
            assert frame.box.bottom <= bottom
    # Each frame above its own notes.
    first = pages[0]
    assert first.frames[0].box.bottom < min(e.y for e in first.lines)


# --------------------------------------------------------------------------- bad input


def test_a_missing_image_is_an_error_at_its_line(tmp_path: Path, theme: Theme) -> None:
    slide = Slide(ref(4), Layout.CONTENT, blocks=(Image(ref(5), tmp_path / "gone.png", "alt"),))
    written, diags = pdf.write(Deck(DeckMeta(slug="x"), (slide,), tmp_path), theme, tmp_path / "out")
    assert written == []
    assert [str(d) for d in diags] == ["slides/deck.md:5: error: image not found: gone.png"]
    assert not (tmp_path / "out").exists()


def test_a_broken_svg_is_an_error_at_its_line(tmp_path: Path, theme: Theme) -> None:
    broken = tmp_path / "broken.svg"
    broken.write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect', encoding="utf-8")
    slide = Slide(ref(4), Layout.CONTENT, blocks=(Image(ref(6), broken, "alt"),))
    written, diags = pdf.write(Deck(DeckMeta(slug="x"), (slide,), tmp_path), theme, tmp_path / "out")
    assert written == []
    assert [d.ref.line for d in diags if d.is_error] == [6]
    assert "cannot read SVG image broken.svg" in str(diags[0])


def test_an_unsafe_slug_is_an_error(tmp_path: Path, theme: Theme) -> None:
    slide = Slide(ref(1), Layout.CONTENT, title=text("T"))
    written, diags = pdf.write(Deck(DeckMeta(slug="../escape"), (slide,), tmp_path), theme, tmp_path)
    assert written == [] and diags and diags[0].is_error


def test_raw_html_is_left_out_and_nothing_outside_the_project_is_fetched(tmp_path: Path, theme: Theme,
                                                                         pdftotext: str) -> None:
    from deckwright.model.deck import RawHtml

    root = tmp_path / "project"
    root.mkdir()
    svg = root / "diagram.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" height="10">'
                   '<image href="file:///etc/hostname" width="5" height="5"/>'
                   '<image href="http://127.0.0.1:9/x.png" width="5" height="5"/></svg>', encoding="utf-8")
    slide = Slide(ref(1), Layout.CONTENT, title=text("Raw"),
                  blocks=(RawHtml(ref(2), "<p>raw words</p>"), Image(ref(3), svg, "a diagram")),
                  notes=(RawHtml(ref(4), "<p>raw note</p>"),))
    written, diags = pdf.write(Deck(DeckMeta(slug="raw"), (slide,), root), theme, tmp_path / "out")
    assert len(written) == 2
    for path in written:
        out = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert "Raw" in out and "raw words" not in out and "raw note" not in out
    messages = [str(d) for d in diags]
    assert any("not fetched" in m and "/etc/hostname" in m for m in messages), messages
    assert any("not fetched" in m and "127.0.0.1" in m for m in messages), messages
    assert all(not d.is_error for d in diags)


def test_only_what_an_svg_would_load_is_reported() -> None:
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           b'<a href="https://example.com"><text>link</text></a>'
           b'<image xlink:href="file:///etc/hostname"/><use href="#shape"/>'
           b'<image href="data:image/png;base64,AAAA"/><image href="other.png"/></svg>')
    assert pdf.external_references(svg) == ["file:///etc/hostname", "other.png"]


def _svg_deck(root: Path, word: str) -> Deck:
    svg = root / "d.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100">'
                   f'<text x="10" y="50" font-size="30">{word}</text></svg>', encoding="utf-8")
    from deckwright.model.deck import Image

    slide = Slide(REF, Layout.CONTENT, title=(Span("Diagram"),), blocks=(Image(REF, svg, "a word"),))
    return Deck(DeckMeta(slug="svg"), (slide,), root)


def test_an_edited_svg_is_drawn_again_not_taken_from_the_cache(tmp_path: Path, theme: Theme,
                                                               pdftotext: str) -> None:
    out = tmp_path / "out"
    for word in ("engine", "motor"):
        written, diags = pdf.write(_svg_deck(tmp_path, word), theme, out)
        assert not [d for d in diags if d.is_error]
        text = subprocess.run([pdftotext, str(written[0]), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert word in text


def test_a_deck_with_only_a_qr_code_and_a_note_builds(tmp_path: Path, theme: Theme) -> None:
    slide = Slide(REF, Layout.CONTENT, blocks=(QRCode(REF, "https://example.com"),),
                  notes=(Paragraph(REF, (Span("x " * 3000),)),))
    written, diags = pdf.write(Deck(DeckMeta(slug="qr"), (slide,), tmp_path), theme, tmp_path / "out")
    assert len(written) == 2 and not [d for d in diags if d.is_error]

# --------------------------------------------------------------------------- the slides PDF


def test_one_16_9_page_per_slide_with_its_title(sample: Built) -> None:
    pages = reader(sample.slides).pages
    assert len(pages) == len(sample.deck.slides) >= 9  # the long table was split
    assert {(float(p.mediabox.width), float(p.mediabox.height)) for p in pages} == {(960.0, 540.0)}
    for slide, page_text in zip(sample.deck.slides, page_texts(sample.slides), strict=True):
        assert squash(slide_title(slide)) in squash(page_text), slide.ref


def test_slides_are_numbered_in_the_footer_box_except_the_title_slide(sample: Built) -> None:
    import pdfplumber

    box = footer_boxes(sample.theme).number.shrink(-TOLERANCE, -TOLERANCE)
    with pdfplumber.open(sample.slides) as doc:
        for number, page in enumerate(doc.pages, start=1):
            digits = "".join(c["text"] for c in page.chars
                             if _inside(*(c[k] * PX_PER_PT for k in ("x0", "top", "x1", "bottom")), box))
            assert digits == ("" if number == 1 else str(number))


def test_every_step_is_visible_and_notes_are_not_on_the_slides(sample: Built) -> None:
    slides_text = squash(" ".join(page_texts(sample.slides)))
    assert squash("a first click") in slides_text and squash("a second click") in slides_text
    assert squash("point one in the notes") not in slides_text


def test_links_are_clickable_and_the_url_has_a_qr_code_on_the_first_and_last_slides(sample: Built) -> None:
    links = uri_links(sample.slides)
    assert (2 + 1, "https://py-pdf.github.io/fpdf2/") in links  # title, section, slide 3
    last = len(sample.deck.slides)
    assert (1, "https://example.com/pdf-deck") in links
    assert (last, "https://example.com/pdf-deck") in links
    import pdfplumber

    with pdfplumber.open(sample.slides) as doc:
        for index in (0, last - 1):
            page = doc.pages[index]
            # Vector QR: drawn as filled paths, not a bitmap.
            assert not page.images
            assert len(page.rects) + len(page.curves) + len(page.lines) > 0


def test_outline_has_sections_at_level_1_and_slides_below(sample: Built) -> None:
    entries = outline(sample.slides)
    titles = [slide_title(s) or f"Slide {n}" for n, s in enumerate(sample.deck.slides, 1)]
    assert len(entries) == len(sample.deck.slides)
    assert entries[0] == (1, "Printing <PDF> decks", 1)
    assert entries[1] == (1, "Basics", 2)
    assert entries[2] == (2, "Links and lists", 3)
    assert [e[1].split(" (")[0] for e in entries] == titles
    assert [e[2] for e in entries] == list(range(1, len(titles) + 1))


def test_metadata_and_fixed_dates(sample: Built) -> None:
    info = reader(sample.slides).metadata
    assert info.title == "Printing <PDF> decks"
    assert info.author == "Ada Lovelace"
    # The subtitle (OOXML dc:subject in the PPTX); a PDF has no place for the description.
    assert info.subject == "Slides and handouts without a browser"
    assert info["/Keywords"] == "pdf, fpdf2, handout"
    assert info["/CreationDate"].startswith("D:20260314")
    assert reader(sample.slides).trailer["/Root"]["/Lang"] == "en"


def test_images_carry_their_alt_text(sample: Built) -> None:
    raw = reader(sample.slides).trailer["/Root"]["/StructTreeRoot"]
    alts: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif hasattr(node, "get"):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                alts.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"])

    walk(raw)
    assert "A blue box labelled engine" in alts
    assert "A grey square photo" in alts


def test_svg_images_are_vectors_with_their_text_and_raster_images_are_embedded_once(sample: Built) -> None:
    import pdfplumber

    titles = [slide_title(s) for s in sample.deck.slides]
    diagram, photo = titles.index("A diagram"), titles.index("A photo")
    with pdfplumber.open(sample.slides) as doc:
        page = doc.pages[diagram]
        assert not page.images  # no bitmap: the SVG's shapes and text are drawn
        assert "engine" in (page.extract_text() or "")
        assert len(doc.pages[photo].images) == 1
    with pdfplumber.open(sample.handout) as doc:
        assert any("engine" in (p.extract_text() or "") and not p.images for p in doc.pages)


_PAINTING = {b"Tj", b"TJ", b"'", b'"', b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s", b"Do", b"sh"}


def untagged_painting(path: Path) -> list[tuple[int, str]]:
    """(page, operator) of everything painted outside marked content (a tag or an artifact)."""
    from pypdf.generic import ContentStream

    pdf_reader = reader(path)
    found = []
    for number, page in enumerate(pdf_reader.pages, start=1):
        depth = 0
        for _, operator in ContentStream(page.get_contents(), pdf_reader).operations:
            if operator in (b"BDC", b"BMC"):
                depth += 1
            elif operator == b"EMC":
                depth -= 1
            elif operator in _PAINTING and depth <= 0:
                found.append((number, operator.decode()))
    return found


def struct_types(path: Path) -> list[str]:
    root = reader(path).trailer["/Root"]["/StructTreeRoot"].get_object()
    document = root["/K"][0].get_object() if isinstance(root["/K"], list) else root["/K"].get_object()
    return [str(kid.get_object()["/S"]) for kid in document["/K"]]


def test_everything_is_tagged_content_or_an_artifact_titles_are_headings(sample: Built) -> None:
    for path in (sample.slides, sample.handout):
        assert untagged_painting(path) == []
    kinds = struct_types(sample.slides)
    assert kinds.count("/H1") == sum(1 for s in sample.deck.slides if s.title)
    assert kinds[0] == "/H1" and "/P" in kinds and "/Code" in kinds and "/Figure" in kinds
    assert kinds.count("/Figure") == 4  # the QR codes on the first and last slides, the SVG, the photo
    assert {"/H1", "/P", "/Code", "/Figure"} <= set(struct_types(sample.handout))


def _struct_tree(path: Path) -> list[tuple[int, str]]:
    """(depth, type) of every structure element as poppler reads the tree (`pdfinfo -struct`)."""
    tool = shutil.which("pdfinfo")
    require(tool is not None, "poppler-utils (pdfinfo)")
    assert tool is not None
    out = subprocess.run([tool, "-struct", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        name = line.strip().split(" ")[0]
        if name and name[0].isupper() and not line.startswith(("Title", "Pages")):
            rows.append(((len(line) - len(line.lstrip())) // 2, name))
    return rows


def test_tables_and_lists_are_nested_structure_as_poppler_reads_it(sample: Built) -> None:
    tree = _struct_tree(sample.slides)
    kinds = [kind for _, kind in tree]
    assert {"Document", "H1", "P", "L", "LI", "Table", "TR", "TH", "TD", "Code", "Figure"} <= set(kinds)
    parents: dict[str, set[str]] = {}
    stack: list[str] = []
    for level, kind in tree:
        del stack[level:]
        if stack:
            parents.setdefault(kind, set()).add(stack[-1])
        stack.append(kind)
    assert parents["TH"] == parents["TD"] == {"TR"}
    assert parents["TR"] == {"Table"}
    assert parents["LI"] == {"L"}
    assert parents["Table"] == parents["H1"] == {"Document"}


def test_the_tag_check_can_fail(tmp_path: Path) -> None:
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.rect(10, 10, 20, 20, style="F")
    document.output(str(tmp_path / "untagged.pdf"))
    assert untagged_painting(tmp_path / "untagged.pdf") == [(1, "f")]


def _pdffonts(path: Path) -> list[tuple[str, str, str]]:
    tool = shutil.which("pdffonts")
    require(tool is not None, "poppler-utils (pdffonts)")
    assert tool is not None
    out = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        cols = line.split()
        # name … emb sub uni object-id generation: the three yes/no columns precede the ids.
        rows.append((cols[0], cols[-5], cols[-3]))
    return rows


def test_the_theme_fonts_are_embedded_with_unicode_maps(sample: Built) -> None:
    for path in (sample.slides, sample.handout):
        fonts = _pdffonts(path)
        assert fonts
        assert all(emb == "yes" and uni == "yes" for _, emb, uni in fonts), fonts
        names = {name.split("+")[-1] for name, _, _ in fonts}
        assert {"LiberationSans", "LiberationSansBold", "LiberationMono"} <= names, names


def test_text_is_searchable_with_poppler(sample: Built, pdftotext: str) -> None:
    out = subprocess.run([pdftotext, "-f", "3", "-l", "3", str(sample.slides), "-"],
                         capture_output=True, text=True, check=True).stdout
    assert "Links and lists" in out
    assert "fpdf2 docs" in out


def _boxes(slide: Slide, theme: Theme) -> list[Box]:
    """Where text of a content slide may be: its title, body and footer boxes."""
    footer = footer_boxes(theme)
    return [title_box(theme), body_box(theme, slide.layout), footer.text, footer.number]


def _inside(x0: float, top: float, x1: float, bottom: float, box: Box) -> bool:
    return (x0 >= box.x - TOLERANCE and x1 <= box.right + TOLERANCE
            and top >= box.y - TOLERANCE and bottom <= box.bottom + TOLERANCE)


def assert_text_inside(built: Built) -> None:
    """Every character on its page, and on content slides inside the title, body or footer box."""
    import pdfplumber

    whole = Box(0, 0, built.theme.width, built.theme.height)
    with pdfplumber.open(built.slides) as doc:
        for slide, page in zip(built.deck.slides, doc.pages, strict=True):
            boxes = _boxes(slide, built.theme)
            checked = slide.layout in (Layout.CONTENT, Layout.TWO_COLUMNS, Layout.IMAGE_LEFT,
                                       Layout.IMAGE_RIGHT)
            for char in page.chars:
                if not char["text"].strip():
                    continue
                x0, x1, top, bottom = (char[k] * PX_PER_PT for k in ("x0", "x1", "top", "bottom"))
                where = f"{slide.ref}: {char['text']!r} at ({x0:.0f},{top:.0f})-({x1:.0f},{bottom:.0f})"
                assert _inside(x0, top, x1, bottom, whole.shrink(TOLERANCE, TOLERANCE)), where
                if checked:
                    assert any(_inside(x0, top, x1, bottom, b) for b in boxes), where


def test_no_text_leaves_its_box_even_with_a_long_code_block_and_table(sample: Built) -> None:
    assert any(s.font_scale < 1.0 for s in sample.deck.slides)  # something had to shrink
    assert_text_inside(sample)


def test_the_inside_check_can_fail(sample: Built, theme: Theme) -> None:
    # The same PDF judged against a deck whose slides are all "content" with a tiny body box.
    shrunk = replace(theme, spacing={**theme.spacing, "margin_bottom": 600.0})
    with pytest.raises(AssertionError):
        assert_text_inside(Built(sample.deck, shrunk, sample.slides, sample.handout))


def test_rebuilding_gives_identical_bytes(sample: Built, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DECKWRIGHT_NO_CACHE", "1")  # really lay both documents out again
    again = build_project(sample.deck.root, tmp_path / "again")
    assert again.slides.read_bytes() == sample.slides.read_bytes()
    assert again.handout.read_bytes() == sample.handout.read_bytes()


def _refuse(*args: Any) -> Any:
    raise AssertionError("a document the cache holds was drawn again")


def test_an_unchanged_deck_is_not_drawn_again(sample: Built, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "slides_pdf", _refuse)
    monkeypatch.setattr(pdf, "handout_pdf", _refuse)
    again = build_project(sample.deck.root, tmp_path / "cached")
    assert again.slides.read_bytes() == sample.slides.read_bytes()
    assert again.handout.read_bytes() == sample.handout.read_bytes()


def test_changed_notes_draw_the_handout_only(sample: Built, theme: Theme, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from deckwright.support.diskcache import DiskCache

    cache = DiskCache(tmp_path / "cache")
    first = pdf.render(sample.deck, theme, os.environ, cache=cache)
    slides = list(sample.deck.slides)
    slides[2] = replace(slides[2], notes=(Paragraph(ref(1), text("A brand new note")),))
    edited = replace(sample.deck, slides=tuple(slides))
    made: list[str] = []
    real_slides, real_handout = pdf.slides_pdf, pdf.handout_pdf

    def counting_slides(*args: Any) -> Any:
        made.append("slides")
        return real_slides(*args)

    def counting_handout(*args: Any) -> Any:
        made.append("handout")
        return real_handout(*args)

    monkeypatch.setattr(pdf, "slides_pdf", counting_slides)
    monkeypatch.setattr(pdf, "handout_pdf", counting_handout)
    second = pdf.render(edited, theme, os.environ, parallel=False, cache=cache)
    assert made == ["handout"]
    assert second.slides == first.slides
    # One entry per document, whatever the number of builds.
    assert len(list((tmp_path / "cache" / "pdf-handout").rglob("*"))) == 2  # folder "la" + file
    assert squash("A brand new note") in squash(" ".join(
        p.extract_text() for p in reader_of(second.handout).pages))


# --------------------------------------------------------------------------- the handout


def test_handout_is_a4_with_title_header_page_numbers_and_notes(sample: Built) -> None:
    pages = reader(sample.handout).pages
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages} == {(595, 842)}
    texts = page_texts(sample.handout)
    for number, page_text in enumerate(texts, start=1):
        assert "Printing <PDF> decks" in page_text
        assert f"{number} / {len(texts)}" in page_text
    everything = squash(" ".join(texts))
    for note in ("Say this first.", "point one in the notes", "docker run --rm hello-world",
                 "Walk through the layers."):
        assert squash(note) in everything
    assert reader(sample.handout).metadata.title == "Printing <PDF> decks (handout)"


def test_handout_shows_every_slide_once_in_order_with_notes_after_it(sample: Built) -> None:
    everything = squash(" ".join(page_texts(sample.handout)))
    positions = [everything.find(squash(slide_title(s))) for s in sample.deck.slides if s.title]
    assert -1 not in positions
    assert positions == sorted(positions)
    assert everything.find(squash("Links and lists")) < everything.find(squash("point one in the notes"))
    assert len(outline(sample.handout)) == len(sample.deck.slides)
    assert len(reader(sample.handout).pages) < len(sample.deck.slides)  # short notes share a page


def test_handout_keeps_the_slides_links(sample: Built) -> None:
    assert "https://py-pdf.github.io/fpdf2/" in {uri for _, uri in uri_links(sample.handout)}


# --------------------------------------------------------------------------- the workshop deck


def test_workshop_deck_has_a_page_per_slide_titles_and_outline(workshop: Built) -> None:
    texts = page_texts(workshop.slides)
    assert len(texts) == len(workshop.deck.slides)
    for slide, page_text in zip(workshop.deck.slides, texts, strict=True):
        assert squash(slide_title(slide)) in squash(page_text), slide.ref
    sections = [s for s in workshop.deck.slides if s.layout is Layout.SECTION]
    assert [t for d, t, _ in outline(workshop.slides) if d == 1][1:] == [slide_title(s) for s in sections]
    url = workshop.deck.meta.url
    assert {1, len(texts)} <= {page for page, uri in uri_links(workshop.slides) if uri == url}


def test_workshop_deck_text_stays_inside_and_everything_is_tagged(workshop: Built, pdftotext: str) -> None:
    assert_text_inside(workshop)
    # Code copied from the PDF keeps its indentation (compose.yaml would not parse without it).
    titles = [slide_title(s) for s in workshop.deck.slides]
    page = titles.index("compose.yaml: the database") + 1
    out = subprocess.run([pdftotext, "-layout", "-f", str(page), "-l", str(page), str(workshop.slides), "-"],
                         capture_output=True, text=True, check=True).stdout
    assert re.search(r"^\s*services:\n\s*db:\n", out, re.M)
    indents = {line.split(":")[0].strip(): len(line) - len(line.lstrip()) for line in out.splitlines()
               if line.strip() and ":" in line}
    assert indents["services"] < indents["db"] < indents["image"] < indents["POSTGRES_PASSWORD"]
    for path in (workshop.slides, workshop.handout):
        assert untagged_painting(path) == []


def test_workshop_handout_carries_every_note(workshop: Built) -> None:
    everything = squash(" ".join(page_texts(workshop.handout)))
    for slide in workshop.deck.slides:
        first = next((b for b in slide.notes if isinstance(b, Paragraph)), None)
        if first is not None:
            assert squash(plain_text(first.content))[:60] in everything, slide.ref


def test_the_workshop_pdf_is_read_by_poppler_without_complaint(workshop: Built) -> None:
    tool = shutil.which("pdfinfo")
    require(tool is not None, "poppler-utils (pdfinfo)")
    assert tool is not None
    for path in (workshop.slides, workshop.handout):
        done = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True)
        assert "Error" not in done.stderr
        pages = int(re.search(r"^Pages:\s+(\d+)", done.stdout, re.M).group(1))  # type: ignore[union-attr]
        assert pages == len(reader(path).pages)


def test_code_block_is_highlighted(sample: Built) -> None:
    import pdfplumber

    with pdfplumber.open(sample.slides) as doc:
        page = doc.pages[3]  # the long Dockerfile
        colours = {str(c.get("non_stroking_color")) for c in page.chars}
    assert len(colours) >= 3  # text, keyword and comment colours at least


def test_the_handout_header_and_page_numbers_sit_left_right_and_centre(sample: Built) -> None:
    import pdfplumber

    with pdfplumber.open(sample.handout) as doc:
        page = doc.pages[0]
        lines = page.extract_text_lines()
        header, footer = lines[0], lines[-1]
        middle = float(page.width) / 2
    margin_pt = pdf_handout.MARGIN_X * 0.75
    assert header["text"].startswith("Printing <PDF> decks")
    assert abs(header["x0"] - margin_pt) < 1  # the title at the left margin
    assert abs(header["x1"] - (float(page.width) - margin_pt)) < 1  # author · date at the right one
    assert footer["text"].endswith(f"1 / {len(page_texts(sample.handout))}")
    assert abs((footer["x0"] + footer["x1"]) / 2 - middle) < 1


def test_the_handout_laid_out_in_a_worker_process_is_the_same(sample: Built) -> None:
    import os

    forked = pdf.render(sample.deck, sample.theme, os.environ, parallel=True)
    assert forked.slides == sample.slides.read_bytes()
    assert forked.handout == sample.handout.read_bytes()
