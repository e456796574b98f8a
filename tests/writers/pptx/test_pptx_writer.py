"""The PPTX writer: native, editable PowerPoint that python-pptx, LibreOffice and the OOXML schema accept."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu
from pptx_sample import NS, build, make_deck, sp, xml_of
from testkit import IN_CI, REPO, ref, require

from deckwright.model.deck import (
    CodeBlock,
    Deck,
    DeckMeta,
    Image,
    Layout,
    ListBlock,
    ListItem,
    Paragraph,
    Slide,
)
from deckwright.model.theme import Theme
from deckwright.writers.pptx import writer
from deckwright.writers.pptx.opc import Package, Part, Rel, Rels
from deckwright.writers.pptx.template import LAYOUT_NAMES

SHARED_TOOLS = REPO.parent / "shared" / "tools"


# --------------------------------------------------------------------------- structure


def test_writes_slug_named_16_9_file_with_one_slide_per_model_slide(built: Path) -> None:
    assert built.name == "workshop.pptx"
    prs = Presentation(str(built))
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))
    assert len(prs.slides) == 9


def test_layouts_are_named_and_used_by_name(built: Path) -> None:
    prs = Presentation(str(built))
    names = [layout.name for layout in prs.slide_layouts]
    assert names == [LAYOUT_NAMES[layout] for layout in Layout]
    assert "Title and Content" in names and "Two Content" in names
    used = [slide.slide_layout.name for slide in prs.slides]
    assert used[:6] == ["Title Slide", "Section Header", "Title and Content", "Title and Content",
                        "Title and Content", "Two Content"]
    assert used[6] == "Image Right" and used[8] == "Blank"


def test_master_and_theme_carry_the_theme_tokens(built: Path, theme: Theme) -> None:
    theme_xml = xml_of(built, "ppt/theme/theme1.xml")
    major = theme_xml.find(".//a:majorFont/a:latin", NS)
    assert major is not None and major.get("typeface") == theme.fonts["heading"].pptx
    accent = theme_xml.find(".//a:clrScheme/a:accent1/a:srgbClr", NS)
    assert accent is not None and accent.get("val") == theme.color("accent")[1:].upper()
    master = xml_of(built, "ppt/slideMasters/slideMaster1.xml")
    title_rpr = master.find(".//p:titleStyle/a:lvl1pPr/a:defRPr", NS)
    assert title_rpr is not None and title_rpr.get("sz") == str(round(theme.sizes["title"] * 75))
    fill = title_rpr.find("a:solidFill/a:srgbClr", NS)
    assert fill is not None and fill.get("val") == theme.color("heading")[1:].upper()


def test_font_scale_from_fit_is_written_as_explicit_sizes(images: dict[str, Path], theme: Theme) -> None:
    deck = make_deck(images)
    slide = replace(deck.slides[2], font_scale=0.75)
    data, diags = writer.render(replace(deck, slides=(slide,)), theme)
    assert data is not None and diags == []
    prs = Presentation(io.BytesIO(data))
    body = next(s for s in prs.slides[0].placeholders if s.placeholder_format.idx == 1)
    size = body.text_frame.paragraphs[0].runs[0].font.size
    assert size.pt == pytest.approx(theme.sizes["body"] * 0.75 * 0.75, abs=0.01)


def test_building_twice_gives_identical_bytes(images: dict[str, Path], theme: Theme, tmp_path: Path) -> None:
    first, _ = build(make_deck(images), theme, tmp_path / "a")
    second, _ = build(make_deck(images), theme, tmp_path / "b")
    assert first is not None and second is not None
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        names = z.namelist()
        assert names[0] == "[Content_Types].xml" and names[1:] == sorted(names[1:])
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())
        assert not [n for n in names if "thumbnail" in n or "printerSettings" in n]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("name", "expected"), [
    ("broken", r"slides/deck\.md:61: error: cannot read image broken\.png: it is damaged or truncated"),
    ("pdf", r"slides/deck\.md:61: error: unsupported image type '\.pdf': notes\.pdf"),
])
def test_bad_images_are_errors_at_the_line_that_uses_them(name: str, expected: str, images: dict[str, Path],
                                                          theme: Theme, tmp_path: Path) -> None:
    deck = make_deck(images)
    slides = list(deck.slides)
    slides[7] = replace(slides[7], blocks=(Image(ref(61), images[name], "bad"),))
    path, diags = build(replace(deck, slides=tuple(slides)), theme, tmp_path / "out")
    assert path is None and not (tmp_path / "out" / "workshop.pptx").exists()
    assert len(diags) == 1 and re.match(expected, diags[0]), diags


def test_a_missing_image_is_an_error_not_a_traceback(images: dict[str, Path], theme: Theme) -> None:
    deck = make_deck(images)
    slide = replace(deck.slides[7], blocks=(Image(ref(61), images["wide"].with_name("gone.png"), "x"),))
    data, diags = writer.render(replace(deck, slides=(slide,)), theme)
    assert data is None and [str(d) for d in diags] == ["slides/deck.md:61: error: image not found: gone.png"]


def test_a_corrupt_svg_is_an_error(images: dict[str, Path], theme: Theme) -> None:
    images["svg"].write_text("<svg xmlns='http://www.w3.org/2000/svg'><rect")
    deck = make_deck(images)
    data, diags = writer.render(replace(deck, slides=deck.slides[7:8]), theme)
    assert data is None
    assert [str(d).split(":")[:4] for d in diags] == [
        ["slides/deck.md", "61", " error", " cannot read SVG image logo.svg"]]


# --------------------------------------------------------------------------- reference deck


def test_reference_pptx_layouts_are_used_by_name_with_a_warning_fallback(
        images: dict[str, Path], theme: Theme, tmp_path: Path) -> None:
    reference = tmp_path / "corporate.pptx"  # inside the project: shown relative to it
    base = Presentation()  # python-pptx's stock template: "Title Slide", "Two Content", …
    base.slides.add_slide(base.slide_layouts[0]).shapes.title.text = "old slide"
    base.save(str(reference))
    themed = replace(theme, reference_pptx=reference)
    path, diags = build(replace(make_deck(images), root=tmp_path), themed, tmp_path / "out")
    assert path is not None
    assert sorted(diags) == [
        "corporate.pptx: warning: the reference .pptx has no layout named 'Image Right' (for 'image-right' "
        "slides); using 'Content with Caption'",
        "corporate.pptx: warning: the reference .pptx is not 1280:720; its slides are resized and its "
        "layouts may look stretched"]
    prs = Presentation(str(path))
    assert len(prs.slides) == 9 and prs.slides[0].shapes.title.text == "Docker hands-on"
    assert [s.slide_layout.name for s in prs.slides][:3] == ["Title Slide", "Section Header",
                                                             "Title and Content"]
    assert prs.slides[6].slide_layout.name == "Content with Caption"


# --------------------------------------------------------------------------- speed


def _count_package_work(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count walks over the package's parts and the relationships searches look at."""
    counts = {"walks": 0, "parts_walked": 0, "rels_scanned": 0}
    original_iter, original_scan = Package.iter_parts, Rels._scan

    def iter_parts(self: Package) -> Iterator[Part]:
        counts["walks"] += 1
        for part in original_iter(self):
            counts["parts_walked"] += 1
            yield part

    def scan(self: Rels) -> Iterator[Rel]:
        for rel in original_scan(self):
            counts["rels_scanned"] += 1
            yield rel

    monkeypatch.setattr(Package, "iter_parts", iter_parts)
    monkeypatch.setattr(Rels, "_scan", scan)
    return counts


def _big_deck(n: int, image: Path) -> Deck:
    slides = tuple(Slide(ref(i), Layout.CONTENT, title=(sp(f"Slide {i}"),), blocks=(
        ListBlock(ref(i), (ListItem(ref(i), (sp("one"),), step=1), ListItem(ref(i), (sp("two"),)))),
        Image(ref(i), image, "pic")), notes=(Paragraph(ref(i), (sp(f"note {i}"),)),), steps=1)
        for i in range(1, n + 1))
    return Deck(DeckMeta(slug="big"), slides, REPO)


def test_work_grows_linearly_with_slides(images: dict[str, Path], theme: Theme,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """No step may look at every part (or every relationship) once per slide: that is quadratic."""
    counts = _count_package_work(monkeypatch)
    work = {}
    for n in (10, 40):
        counts.update(walks=0, parts_walked=0, rels_scanned=0)
        data, diags = writer.render(_big_deck(n, images["wide"]), theme)
        assert data is not None and diags == []
        work[n] = dict(counts)
    # The parts are walked a fixed number of times (part names at the start, the zip at the end).
    assert work[40]["walks"] == work[10]["walks"] <= 2
    assert work[40]["parts_walked"] <= 4.2 * work[10]["parts_walked"]
    # Finding a relationship (by type, or an existing one to reuse) never scans them all per slide.
    assert work[40]["rels_scanned"] <= 4.2 * work[10]["rels_scanned"]


def test_writing_pptx_does_not_import_python_pptx(tmp_path: Path) -> None:
    """python-pptx's import alone took longer than laying out a 40-slide deck (issue 9)."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from deckwright.build.pipeline import BuildOptions, build\n"
        f"result = build(BuildOptions(root=Path({str(REPO)!r}), formats=('pptx',), "
        f"out=Path({str(tmp_path)!r})))\n"
        "assert result.written, [str(d) for d in result.diagnostics]\n"
        "print(sorted(m for m in sys.modules if m == 'pptx' or m.startswith('pptx.')))\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                         cwd=REPO, env={**os.environ, "DECKWRIGHT_NO_CACHE": "1"})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "[]"


def test_the_project_cache_changes_time_not_bytes(images: dict[str, Path], theme: Theme,
                                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SVG fallbacks and highlighted code are read back from .deckwright-cache/ byte for byte."""
    from deckwright.layout import code
    from deckwright.writers.common import images as pptx_images

    monkeypatch.delenv("DECKWRIGHT_CACHE_DIR", raising=False)  # the cache in the project, as by default
    deck = replace(make_deck(images), root=tmp_path)
    monkeypatch.setenv("DECKWRIGHT_NO_CACHE", "1")
    without, _ = build(deck, theme, tmp_path / "none")
    assert without is not None and not (tmp_path / ".deckwright-cache").exists()
    monkeypatch.delenv("DECKWRIGHT_NO_CACHE")
    code._PRIMED.clear()
    cold, _ = build(deck, theme, tmp_path / "cold")
    cache = tmp_path / ".deckwright-cache"
    assert cold is not None and {p.name for p in cache.iterdir()} == {"highlight", "svg-png"}

    def fail(*_args: object) -> None:
        raise AssertionError("computed again despite the cache")

    # A later build (a new process) finds everything in the cache: no cairosvg, no Pygments.
    code._PRIMED.clear()
    monkeypatch.setattr(pptx_images, "_rasterise", fail)
    monkeypatch.setattr(code, "_pygments_lines", fail)
    warm, _ = build(deck, theme, tmp_path / "warm")
    assert warm is not None
    assert without.read_bytes() == cold.read_bytes() == warm.read_bytes()


def test_a_damaged_cache_entry_is_computed_again(images: dict[str, Path], theme: Theme, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from deckwright.layout import code

    monkeypatch.delenv("DECKWRIGHT_CACHE_DIR", raising=False)  # the cache in the project, as by default
    deck = replace(make_deck(images), root=tmp_path)
    first, _ = build(deck, theme, tmp_path / "a")
    for entry in (tmp_path / ".deckwright-cache").rglob("*"):
        if entry.is_file():
            entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])
    code._PRIMED.clear()
    second, _ = build(deck, theme, tmp_path / "b")
    assert first is not None and second is not None
    assert first.read_bytes() == second.read_bytes()


# --------------------------------------------------------------------------- real clients


def _validator() -> list[str] | None:
    if shutil.which("openxml-audit"):
        return ["openxml-audit"]
    try:
        import openxml_audit  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-m", "openxml_audit"]


def test_openxml_audit_finds_no_errors(built: Path, images: dict[str, Path], theme: Theme,
                                      tmp_path: Path) -> None:
    command = _validator()
    require(command is not None, "openxml-audit")
    assert command is not None
    branded = replace(theme, footer_text="Footer", logo=images["wide"])
    other, _ = build(make_deck(images), branded, tmp_path / "branded")
    assert other is not None
    for path in (built, other):
        run = subprocess.run([*command, "-o", "json", "-m", "0", "-f", "microsoft365", str(path)],
                             capture_output=True, text=True, timeout=300)
        import json

        report = json.loads(run.stdout)
        entry = report[0] if isinstance(report, list) else report
        assert entry.get("errors", []) == [], entry.get("errors")


def _to_pdf(soffice: str, pptx: Path, out: Path) -> Path:
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out), str(pptx)],
                       capture_output=True, timeout=240, check=True, start_new_session=True)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = out / (pptx.stem + ".pdf")
    assert pdf.is_file()
    return pdf


_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


def _norm(word: str) -> str:
    return re.sub(r"[\W_]+", "", word.lower())


@pytest.mark.libreoffice
def test_libreoffice_renders_every_slide_with_every_word_inside_its_shape(
        built: Path, soffice: str, pdftotext: str, tmp_path: Path) -> None:
    """LibreOffice's own rendering: one page per slide, and each word drawn within its shape's box."""
    pdf = _to_pdf(soffice, built, tmp_path)
    bbox = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=120).stdout
    pages = _PAGE.findall(bbox)
    prs = Presentation(str(built))
    assert len(pages) == len(prs.slides)
    emu_per_pt = 12700
    for number, ((_, _, body), slide) in enumerate(zip(pages, prs.slides, strict=True), start=1):
        boxes = []
        for shape in slide.shapes:
            text = shape.text_frame.text if shape.has_text_frame else (
                " ".join(c.text for r in shape.table.rows for c in r.cells) if shape.has_table else "")
            words = {_norm(w) for w in re.split(r"[\s/\-]+", text) if _norm(w)}
            box = (shape.left / emu_per_pt, shape.top / emu_per_pt,
                   (shape.left + shape.width) / emu_per_pt, (shape.top + shape.height) / emu_per_pt)
            boxes.append((words, box))
        for x0, y0, x1, y1, word in _WORD.findall(body):
            token = _norm(word)
            if not token or token.isdigit():
                continue  # slide numbers and list numbers are drawn by the client, not our text
            owners = [box for words, box in boxes if token in words]
            if not owners:
                continue  # split differently by pdftotext: not judged
            cx, cy = (float(x0) + float(x1)) / 2, (float(y0) + float(y1)) / 2
            assert any(b[0] - 2 <= cx <= b[2] + 2 and b[1] - 2 <= cy <= b[3] + 2 for b in owners), (
                f"slide {number}: {word!r} drawn at ({cx:.0f}, {cy:.0f}) pt, outside its shape")


@pytest.mark.libreoffice
def test_a_dense_fitted_deck_passes_the_shared_pptx_checker(theme: Theme, soffice: str, pdftotext: str,
                                                             tmp_path: Path) -> None:
    """check_pptx.py (shared tools): structure, LibreOffice render, and no overflow after fitting."""
    checker = SHARED_TOOLS / "check_pptx.py"
    if not checker.is_file():
        if IN_CI:
            pytest.skip("shared/tools/check_pptx.py is not beside this checkout")
        pytest.skip("shared/tools/check_pptx.py not found")
    words = "containers share the host kernel yet keep their own filesystem"
    dense = tuple(Slide(ref(i), Layout.CONTENT, title=(sp(f"Dense slide {chr(64 + i)}"),), blocks=(
        ListBlock(ref(i), tuple(ListItem(ref(i), (sp(f"{words} {chr(96 + k)}"),)) for k in range(4 + 3 * i))),
        CodeBlock(ref(i), "docker compose up --build --detach\n" * (1 + i), "bash")))
        for i in range(1, 5))
    deck = Deck(DeckMeta(slug="dense"), dense, REPO)
    path, _diags = build(deck, theme, tmp_path)
    assert path is not None
    run = subprocess.run([sys.executable, str(checker), str(path), "--expect-slides", "4", "--quiet"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:]


@pytest.mark.libreoffice
def test_the_workshop_deck_passes_the_shared_pptx_checker(soffice: str, pdftotext: str,
                                                          tmp_path: Path) -> None:
    """The reviewer's check on the real deck: every slide rendered by LibreOffice, nothing overflows
    or intrudes into another shape, and the OOXML structure is sound."""
    from deckwright.build.pipeline import BuildOptions
    from deckwright.build.pipeline import build as build_project

    checker = SHARED_TOOLS / "check_pptx.py"
    if not checker.is_file():
        pytest.skip("shared/tools/check_pptx.py is not beside this checkout")
    result = build_project(BuildOptions(root=REPO, formats=("pptx",), out=tmp_path))
    assert result.written and result.deck is not None, [str(d) for d in result.diagnostics]
    run = subprocess.run([sys.executable, str(checker), str(result.written[0]),
                          "--expect-slides", str(len(result.deck.slides)), "--quiet"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


# --------------------------------------------------------------------------- directives, pipeline


def test_pipeline_builds_a_markdown_project_into_pptx(make_project: object, tmp_path: Path) -> None:
    """End to end: Markdown and a diagram → reader → fit → this writer."""
    from deckwright.build.pipeline import BuildOptions
    from deckwright.build.pipeline import build as build_project

    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">'
           '<rect width="200" height="100" fill="#0b3d6b"/></svg>')
    root = make_project({  # type: ignore[operator]
        "slides/01.md": """
            ---
            title: Pipeline deck
            author: Ada
            ---

            ## Fragments

            - first point
            - second point

            . . .

            Revealed later

            ::: notes
            Speak slowly.
            :::

            ---

            ## Diagram

            ![The build pipeline](diagram.svg)

            ```bash
            docker build -t app .
            ```
            """,
        "slides/diagram.svg": svg,
    })
    result = build_project(BuildOptions(root=root, formats=("pptx",), out=tmp_path / "dist"))
    assert [str(d) for d in result.diagnostics] == []
    assert len(result.written) == 1 and result.written[0].suffix == ".pptx"
    prs = Presentation(str(result.written[0]))
    by_title = {s.shapes.title.text: s for s in prs.slides if s.shapes.title is not None}
    assert {"Fragments", "Diagram"} <= set(by_title)
    fragments = by_title["Fragments"]
    assert fragments.notes_slide.notes_text_frame.text == "Speak slowly."
    assert fragments._element.find("p:timing", NS) is not None
    diagram = by_title["Diagram"]
    pic = next(s for s in diagram.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    assert pic._element.nvPicPr.cNvPr.get("descr") == "The build pipeline"
    assert any(p.text == "docker build -t app ." for s in diagram.shapes if s.has_text_frame
               for p in s.text_frame.paragraphs)


def test_a_picture_a_text_box_cannot_hold_is_reported_not_dropped(images: dict[str, Path],
                                                                  theme: Theme) -> None:
    item = ListItem(ref(5), (sp("see"),), children=(Image(ref(6), images["wide"], "nested"),))
    slide = Slide(ref(4), Layout.CONTENT, title=(sp("Nested"),), blocks=(ListBlock(ref(5), (item,)),))
    data, diags = writer.render(Deck(DeckMeta(), (slide,), REPO), theme)
    assert data is not None
    assert [str(d) for d in diags] == [
        "slides/deck.md:6: warning: an image inside a list item is not shown in the PowerPoint output; "
        "move it out of the item"]


