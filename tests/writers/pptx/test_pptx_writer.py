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
from conftest import IN_CI, require
from lxml import etree
from PIL import Image as PILImage
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

from deckwright.diagnostics import SourceRef
from deckwright.layout.fit import fit_deck
from deckwright.layout.highlight import highlight_lines
from deckwright.model.deck import (
    Align,
    Cell,
    CodeBlock,
    Column,
    Columns,
    Deck,
    DeckMeta,
    Image,
    Layout,
    ListBlock,
    ListItem,
    Paragraph,
    QRCode,
    Slide,
    Span,
    Table,
)
from deckwright.model.theme import Theme, load_theme
from deckwright.writers.pptx import writer
from deckwright.writers.pptx.opc import Package, Part, Rel, Rels
from deckwright.writers.pptx.template import LAYOUT_NAMES

REPO = Path(__file__).resolve().parents[3]
NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
SHARED_TOOLS = REPO.parent / "shared" / "tools"


def ref(line: int) -> SourceRef:
    return SourceRef("slides/deck.md", line)


def sp(text: str, **styles: object) -> Span:
    return Span(text, **styles)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def theme() -> Theme:
    loaded, diags = load_theme(REPO, "default", None)
    assert loaded is not None, diags
    return loaded


@pytest.fixture
def images(tmp_path: Path) -> dict[str, Path]:
    """A wide PNG, a tall JPEG, an SVG, a damaged PNG and a text file posing as an image."""
    wide = tmp_path / "wide.png"
    PILImage.new("RGB", (400, 100), "#1d63ed").save(wide)
    tall = tmp_path / "tall.jpg"
    PILImage.new("RGB", (100, 300), "#0b3d6b").save(tall, quality=90)
    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100">'
                   '<rect width="300" height="100" fill="#1d63ed"/></svg>')
    broken = tmp_path / "broken.png"
    broken.write_bytes(wide.read_bytes()[:60])
    text = tmp_path / "notes.pdf"
    text.write_text("%PDF-1.4 not an image")
    return {"wide": wide, "tall": tall, "svg": svg, "broken": broken, "pdf": text}


def make_deck(images: dict[str, Path]) -> Deck:
    """Every kind of block and layout, as the reader would produce them."""
    slides = (
        Slide(ref(1), Layout.TITLE, title=(sp("Docker hands-on"),), subtitle=(sp("From zero to Compose"),),
              blocks=(QRCode(ref(4), "https://example.com/docker"),)),
        Slide(ref(8), Layout.SECTION, title=(sp("Part one: images"),)),
        Slide(ref(10), Layout.CONTENT, title=(sp("Why containers?"),), blocks=(
            Paragraph(ref(12), (sp("Containers are "), sp("light", bold=True), sp(" and "),
                                sp("portable", italic=True), sp(", not "), sp("magic", strike=True),
                                sp(": run "), sp("docker ps", code=True), sp(" or read the "),
                                sp("manual", href="https://docs.docker.com/"))),
            ListBlock(ref(13), (
                ListItem(ref(13), (sp("isolation"),), step=1, children=(
                    ListBlock(ref(14), (ListItem(ref(14), (sp("namespaces"),), step=1),)),)),
                ListItem(ref(15), (sp("reproducible builds"),), step=2),
            )),
            ListBlock(ref(16), (ListItem(ref(16), (sp("pull"),)), ListItem(ref(17), (sp("tag"),))),
                      ordered=True, start=3),
        ), notes=(Paragraph(ref(19), (sp("Ask who has used Docker before."),)),
                  ListBlock(ref(20), (ListItem(ref(20), (sp("mention cgroups"),)),))), steps=2),
        Slide(ref(22), Layout.CONTENT, title=(sp("A Dockerfile"),), blocks=(
            CodeBlock(ref(23), 'FROM python:3.12-slim\nWORKDIR /app\n\nCMD ["python", "app.py"]\n',
                      "dockerfile", step=1),), steps=1),
        Slide(ref(30), Layout.CONTENT, title=(sp("Terminology"),), blocks=(
            Table(ref(31), header=(Cell((sp("Term"),)), Cell((sp("Docker"),)), Cell((sp("Size"),))),
                  rows=((Cell((sp("image"),)), Cell((sp("read-only template"),), highlight=True),
                         Cell((sp("120 MB"), sp("a", superscript=True)))),
                        (Cell((sp("container"),)), Cell((), empty=True), Cell((sp("none"),)))),
                  align=(Align.LEFT, Align.LEFT, Align.RIGHT), caption=(sp("Docker words"),),
                  footnotes=((sp("compressed layers"),),)),)),
        Slide(ref(40), Layout.TWO_COLUMNS, title=(sp("Two columns"),), blocks=(
            Columns(ref(41), (
                Column(ref(41), (Paragraph(ref(42), (sp("Left side"),)),), width=0.3),
                Column(ref(43), (Paragraph(ref(44), (sp("Right side"),)),), width=0.7))),)),
        Slide(ref(50), Layout.IMAGE_RIGHT, title=(sp("Image right"),), blocks=(
            Paragraph(ref(51), (sp("Text beside"),)), Image(ref(52), images["wide"], "A wide blue band"))),
        Slide(ref(60), Layout.CONTENT, title=(sp("Vector"),), blocks=(
            Image(ref(61), images["svg"], "The SVG logo", width=0.5),)),
        Slide(ref(70), Layout.BLANK, blocks=(Image(ref(71), images["tall"], "A tall picture"),)),
    )
    return Deck(DeckMeta(title="Docker workshop", author="Ada", description="Hands-on",
                         keywords=("docker", "containers"), date="2024-05-06", slug="workshop"),
                slides, REPO)


def build(deck: Deck, theme: Theme, out: Path) -> tuple[Path | None, list[str]]:
    fitted, plan, diags = fit_deck(deck, theme)
    paths, wdiags = writer.write(fitted, theme, out, plan=plan)
    return (paths[0] if paths else None), [str(d) for d in [*diags, *wdiags]]


@pytest.fixture
def built(images: dict[str, Path], theme: Theme, tmp_path: Path) -> Path:
    path, diags = build(make_deck(images), theme, tmp_path / "dist")
    assert diags == []
    assert path is not None
    return path


def xml_of(path: Path, member: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(member))


def shapes_of(slide: object) -> Iterator[object]:
    yield from slide.shapes  # type: ignore[attr-defined]


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


def test_titles_are_in_title_placeholders(built: Path) -> None:
    prs = Presentation(str(built))
    titles = [s.shapes.title.text if s.shapes.title is not None else None for s in prs.slides]
    assert titles[:5] == ["Docker hands-on", "Part one: images", "Why containers?", "A Dockerfile",
                          "Terminology"]
    assert titles[8] is None  # blank layout: no title
    subtitle = [s for s in prs.slides[0].placeholders if s.placeholder_format.type == 4]  # SUBTITLE
    assert subtitle and subtitle[0].text == "From zero to Compose"


def test_body_text_keeps_styles_levels_numbering_and_links(built: Path, theme: Theme) -> None:
    slide = Presentation(str(built)).slides[2]
    body = next(s for s in slide.placeholders if s.placeholder_format.idx == 1)
    paras = body.text_frame.paragraphs
    assert [p.text for p in paras] == [
        "Containers are light and portable, not magic: run docker ps or read the manual",
        "isolation", "namespaces", "reproducible builds", "pull", "tag"]
    runs = {r.text: r for r in paras[0].runs}
    assert runs["light"].font.bold and runs["portable"].font.italic
    assert runs["magic"]._r.rPr.get("strike") == "sngStrike"
    assert runs["docker ps"].font.name == theme.fonts["code"].pptx
    assert runs["Containers are "].font.name == theme.fonts["body"].pptx
    assert runs["manual"].hyperlink.address == "https://docs.docker.com/"
    assert [p.level for p in paras[1:]] == [0, 1, 0, 0, 0]
    bullets = [p._p.pPr.find("a:buChar", NS) for p in paras[1:4]]
    assert all(b is not None for b in bullets) and bullets[0].get("char") != bullets[1].get("char")
    number = paras[4]._p.pPr.find("a:buAutoNum", NS)
    assert number is not None and number.get("type") == "arabicPeriod" and number.get("startAt") == "3"
    assert paras[5]._p.pPr.find("a:buAutoNum", NS) is not None
    # Explicit sizes at the theme size: no autofit for PowerPoint to ignore.
    assert runs["light"].font.size.pt == pytest.approx(theme.sizes["body"] * 0.75)
    assert body.text_frame._txBody.bodyPr.find("a:noAutofit", NS) is not None


def test_code_is_monospaced_coloured_text_one_paragraph_per_line(built: Path, theme: Theme) -> None:
    slide = Presentation(str(built)).slides[3]
    assert not [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    code = next(s for s in slide.shapes if s.name.startswith("Code"))
    code_text = 'FROM python:3.12-slim\nWORKDIR /app\n\nCMD ["python", "app.py"]\n'
    assert [p.text for p in code.text_frame.paragraphs] == code_text.rstrip("\n").split("\n")
    assert str(code.fill.fore_color.rgb) == theme.color("code_background")[1:].upper()
    expected = highlight_lines(code_text, "dockerfile", theme.pygments_style)
    first = code.text_frame.paragraphs[0].runs
    assert [r.text for r in first] == [r.text for r in expected[0]]
    for run, styled in zip(first, expected[0], strict=True):
        assert run.font.name == theme.fonts["code"].pptx
        want = (styled.style.color or theme.color("code_text"))[1:].upper()
        assert str(run.font.color.rgb) == want
        assert bool(run.font.bold) == styled.style.bold


def test_tables_are_native_and_styled_from_the_theme(built: Path, theme: Theme) -> None:
    slide = Presentation(str(built)).slides[4]
    frame = next(s for s in slide.shapes if s.has_table)
    table = frame.table
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Term", "Docker", "Size"], ["image", "read-only template", "120 MB\u200aa"],
        ["container", "—", "none"]]
    header = table.cell(0, 0)
    assert str(header.fill.fore_color.rgb) == theme.color("table_header_background")[1:].upper()
    header_run = header.text_frame.paragraphs[0].runs[0]
    assert str(header_run.font.color.rgb) == theme.color("table_header_text")[1:].upper()
    assert header.text_frame.paragraphs[0].runs[0].font.bold
    assert str(table.cell(1, 1).fill.fore_color.rgb) == theme.color("table_highlight")[1:].upper()
    marker = table.cell(1, 2).text_frame.paragraphs[0].runs[-1]
    assert marker.text == "a" and marker._r.rPr.get("baseline") == "30000"
    assert table.cell(1, 2).text_frame.paragraphs[0].alignment == 3  # PP_ALIGN.RIGHT
    widths = [c.width for c in table.columns]
    assert widths[1] > widths[0]  # from content
    notes = next(s for s in slide.shapes if s.name.startswith("Table Notes"))
    assert notes.text_frame.text == "Docker words\n1 compressed layers"
    assert notes.top >= frame.top + frame.height


def test_columns_honour_their_widths_in_the_two_content_placeholders(built: Path) -> None:
    slide = Presentation(str(built)).slides[5]
    left = next(s for s in slide.placeholders if s.placeholder_format.idx == 1)
    right = next(s for s in slide.placeholders if s.placeholder_format.idx == 2)
    assert (left.text, right.text) == ("Left side", "Right side")
    assert right.width / left.width == pytest.approx(0.7 / 0.3, rel=0.01)
    assert left.left + left.width < right.left


def test_images_keep_aspect_alt_text_and_fit_their_box(built: Path, theme: Theme) -> None:
    prs = Presentation(str(built))
    wide = next(s for s in prs.slides[6].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    assert wide.width / wide.height == pytest.approx(4.0, rel=0.01)
    assert wide._element.nvPicPr.cNvPr.get("descr") == "A wide blue band"
    text = next(s for s in prs.slides[6].placeholders if s.placeholder_format.idx == 1)
    assert wide.left > text.left + text.width  # image on the right
    tall = next(s for s in prs.slides[8].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    assert tall.height / tall.width == pytest.approx(3.0, rel=0.01)
    bottom = (theme.height - theme.spacing["margin_bottom"]) * 9525
    assert tall.top + tall.height <= bottom + 1


def test_svg_is_embedded_with_a_png_fallback(built: Path) -> None:
    slide = Presentation(str(built)).slides[7]
    pic = next(s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    assert pic.image.content_type == "image/png"
    svg_blip = pic._element.find(".//a:blip/a:extLst/a:ext", NS)
    assert svg_blip is not None and svg_blip.get("uri") == "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
    rid = svg_blip[0].get(f"{{{NS['r']}}}embed")
    assert slide.part.related_part(rid).content_type == "image/svg+xml"
    assert slide.part.related_part(rid).blob.startswith(b"<svg")
    assert pic.width / pic.height == pytest.approx(3.0, rel=0.01)
    assert pic.width <= 0.5 * 1152 * 9525 + 1  # Image.width: half the content width


def test_qr_code_is_a_clickable_picture(built: Path) -> None:
    slide = Presentation(str(built)).slides[0]
    pic = next(s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    assert pic.click_action.hyperlink.address == "https://example.com/docker"
    assert "https://example.com/docker" in pic._element.nvPicPr.cNvPr.get("descr")


def test_speaker_notes_are_on_the_notes_page(built: Path) -> None:
    prs = Presentation(str(built))
    notes = prs.slides[2].notes_slide.notes_text_frame
    assert notes.text == "Ask who has used Docker before.\nmention cgroups"
    assert notes.paragraphs[1]._p.pPr.find("a:buChar", NS) is not None
    assert not prs.slides[3].has_notes_slide
    presentation = xml_of(built, "ppt/presentation.xml")
    assert presentation.find("p:notesMasterIdLst/p:notesMasterId", NS) is not None


def test_fragments_become_click_animations(built: Path) -> None:
    prs = Presentation(str(built))
    slide = prs.slides[2]
    timing = slide._element.find("p:timing", NS)
    assert timing is not None
    clicks = timing.findall(".//p:cTn[@nodeType='mainSeq']/p:childTnLst/p:par", NS)
    assert len(clicks) == 2  # slide.steps
    body = next(s for s in slide.placeholders if s.placeholder_format.idx == 1)
    ranges = [[(t.get("spid"), r.get("st"), r.get("end")) for t in click.iterfind(".//p:spTgt", NS)
               for r in t.iterfind(".//p:pRg", NS)] for click in clicks]
    spid = str(body.shape_id)
    # Click 1: "isolation" and its nested item (paragraphs 1-2); click 2: paragraph 3.
    assert ranges == [[(spid, "1", "2")], [(spid, "3", "3")]]
    effects = timing.findall(".//p:cTn[@presetClass='entr']", NS)
    assert {e.get("nodeType") for e in effects} == {"clickEffect"}
    build_p = timing.find("p:bldLst/p:bldP", NS)
    assert build_p is not None and build_p.get("spid") == spid and build_p.get("build") == "p"
    # A block with a step animates its whole shape.
    code_slide = prs.slides[3]
    code = next(s for s in code_slide.shapes if s.name.startswith("Code"))
    target = code_slide._element.find(".//p:timing//p:spTgt", NS)
    assert target is not None and target.get("spid") == str(code.shape_id) and len(target) == 0
    assert prs.slides[4]._element.find("p:timing", NS) is None


def test_slide_numbers_are_fields_and_the_title_slide_has_none(built: Path) -> None:
    prs = Presentation(str(built))
    assert prs.slides[0]._element.find(".//a:fld", NS) is None
    field = prs.slides[2]._element.find(".//a:fld[@type='slidenum']", NS)
    assert field is not None and field.findtext("a:t", namespaces=NS) == "3"


def test_footer_text_and_logo_from_the_theme(images: dict[str, Path], theme: Theme, tmp_path: Path) -> None:
    branded = replace(theme, footer_text="Docker workshop · 2024", logo=images["svg"])
    path, diags = build(make_deck(images), branded, tmp_path / "out")
    assert diags == [] and path is not None
    prs = Presentation(str(path))
    footer = [s for s in prs.slides[2].placeholders if s.placeholder_format.type == 15]  # FOOTER
    assert footer and footer[0].text == "Docker workshop · 2024"
    logos = [s for s in prs.slide_masters[0].shapes if s.name == "Logo"]
    assert len(logos) == 1 and logos[0].width / logos[0].height == pytest.approx(3.0, rel=0.02)
    title_layout = prs.slide_layouts.get_by_name("Title Slide")
    assert title_layout._element.get("showMasterSp") == "0"


def test_font_scale_from_fit_is_written_as_explicit_sizes(images: dict[str, Path], theme: Theme) -> None:
    deck = make_deck(images)
    slide = replace(deck.slides[2], font_scale=0.75)
    data, diags = writer.render(replace(deck, slides=(slide,)), theme)
    assert data is not None and diags == []
    prs = Presentation(io.BytesIO(data))
    body = next(s for s in prs.slides[0].placeholders if s.placeholder_format.idx == 1)
    size = body.text_frame.paragraphs[0].runs[0].font.size
    assert size.pt == pytest.approx(theme.sizes["body"] * 0.75 * 0.75, abs=0.01)


def test_core_properties_come_from_the_deck_not_the_clock(built: Path, monkeypatch: pytest.MonkeyPatch,
                                                         images: dict[str, Path], theme: Theme) -> None:
    props = Presentation(str(built)).core_properties
    assert (props.title, props.author, props.keywords) == ("Docker workshop", "Ada", "docker, containers")
    assert props.created is not None and props.created.date().isoformat() == "2024-05-06"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data, _ = writer.render(make_deck(images), theme)
    assert data is not None
    created = Presentation(io.BytesIO(data)).core_properties.created
    assert created is not None and created.isoformat().startswith("2023-11-14T22:13:20")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {info.date_time for info in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}


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


def test_shape_ids_are_unique_on_every_slide(built: Path) -> None:
    for slide in Presentation(str(built)).slides:
        ids = [int(e.get("id")) for e in slide._element.iter(f"{{{NS['p']}}}cNvPr")]
        assert len(ids) == len(set(ids))


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


def test_slide_footer_header_and_paginate_override_the_theme(images: dict[str, Path], theme: Theme) -> None:
    deck = make_deck(images)
    own = replace(deck.slides[2], footer=(sp("Module 1"),), header=(sp("Docker 101"),), paginate=False)
    plain = deck.slides[3]
    data, diags = writer.render(replace(deck, slides=(own, plain)), replace(theme, footer_text="Theme"))
    assert data is not None and diags == []
    first, second = Presentation(io.BytesIO(data)).slides
    texts = {s.name.split()[0]: s.text_frame.text for s in first.shapes if s.has_text_frame}
    assert texts["Footer"] == "Module 1" and texts["Header"] == "Docker 101"
    assert first._element.find(".//a:fld[@type='slidenum']", NS) is None
    header = next(s for s in first.shapes if s.name.startswith("Header"))
    assert header.top + header.height <= first.shapes.title.top
    assert second._element.find(".//a:fld[@type='slidenum']", NS) is not None
    assert next(s for s in second.placeholders if s.placeholder_format.type == 15).text == "Theme"


def test_links_on_dark_slides_take_the_text_colour(theme: Theme) -> None:
    link = (sp("see "), sp("the repo", href="https://example.com/repo"))
    slide = Slide(ref(1), Layout.TITLE, title=(sp("Deck"),), blocks=(Paragraph(ref(2), link),))
    data, _ = writer.render(Deck(DeckMeta(), (slide,), REPO), theme)
    assert data is not None
    run = next(r for s in Presentation(io.BytesIO(data)).slides[0].shapes if s.has_text_frame
               for p in s.text_frame.paragraphs for r in p.runs if r.text == "the repo")
    assert str(run.font.color.rgb) == theme.color("title_text")[1:].upper()
    assert run.hyperlink.address == "https://example.com/repo"


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


def test_slide_backgrounds_colour_or_picture_and_light_text_on_dark(images: dict[str, Path],
                                                                    theme: Theme) -> None:
    dark = Slide(ref(1), Layout.CONTENT, title=(sp("Dark"),), blocks=(Paragraph(ref(2), (sp("on navy"),)),),
                 background_color="#000080")
    photo = Slide(ref(3), Layout.CONTENT, title=(sp("Photo"),), background_image=images["tall"])
    data, diags = writer.render(Deck(DeckMeta(), (dark, photo), REPO), theme)
    assert data is not None and diags == []
    first, second = Presentation(io.BytesIO(data)).slides
    fill = first._element.find("p:cSld/p:bg/p:bgPr/a:solidFill/a:srgbClr", NS)
    assert fill is not None and fill.get("val") == "000080"
    run = next(r for s in first.shapes if s.has_text_frame for p in s.text_frame.paragraphs
               for r in p.runs if r.text == "on navy")
    assert str(run.font.color.rgb) == theme.color("background")[1:].upper()
    blip = second._element.find("p:cSld/p:bg/p:bgPr/a:blipFill/a:blip", NS)
    assert blip is not None
    assert second.part.related_part(blip.get(f"{{{NS['r']}}}embed")).content_type == "image/jpeg"


def test_short_table_rows_are_padded_to_the_full_grid(theme: Theme) -> None:
    table = Table(ref(2), header=(Cell((sp("a"),)), Cell((sp("b"),)), Cell((sp("c"),))),
                  rows=((Cell((sp("1"),)),),), align=())
    slide = Slide(ref(1), Layout.CONTENT, title=(sp("Ragged"),), blocks=(table,))
    data, diags = writer.render(Deck(DeckMeta(), (slide,), REPO), theme)
    assert data is not None and diags == []
    tbl = next(s for s in Presentation(io.BytesIO(data)).slides[0].shapes if s.has_table).table
    assert [len(row.cells) for row in tbl.rows] == [3, 3]
    assert len(tbl._tbl.findall(".//a:tr[2]/a:tc", NS)) == 3


def test_text_looks_as_in_the_html(theme: Theme) -> None:
    """Quote bars, accent markers, inline-code backgrounds, bold headings, centred title slides."""
    from deckwright.model.deck import Heading, Quote

    quote = Quote(ref(3), (Paragraph(ref(3), (sp("Build once, run anywhere."),)),))
    body = (Heading(ref(2), 3, (sp("Motto"),)), quote,
            ListBlock(ref(4), (ListItem(ref(4), (sp("run "), sp("docker ps", code=True))),)))
    content_slide = Slide(ref(1), Layout.CONTENT, title=(sp("Style"),), blocks=body)
    title_slide = Slide(ref(9), Layout.TITLE, title=(sp("Deck"),),
                        blocks=(Paragraph(ref(10), (sp("by Ada"),)),))
    data, diags = writer.render(Deck(DeckMeta(), (content_slide, title_slide), REPO), theme)
    assert data is not None and diags == []
    first, second = Presentation(io.BytesIO(data)).slides
    text = next(s for s in first.placeholders if s.placeholder_format.idx == 1)
    heading, motto, item = text.text_frame.paragraphs
    assert heading.runs[0].font.bold  # the heading role's regular face is bold
    assert motto.runs[0].font.italic
    bar = next(s for s in first.shapes if s.name.startswith("Quote Bar"))
    assert str(bar.fill.fore_color.rgb) == theme.color("quote_border")[1:].upper()
    assert bar.left < text.left + Emu(round(theme.spacing["indent"] * 9525))
    assert text.top < bar.top < bar.top + bar.height <= text.top + text.height
    marker = item._p.pPr.find("a:buClr/a:srgbClr", NS)
    assert marker is not None and marker.get("val") == theme.color("accent")[1:].upper()
    code = item.runs[1]._r.rPr.find("a:highlight/a:srgbClr", NS)
    assert code is not None and code.get("val") == theme.color("inline_code_background")[1:].upper()
    byline = next(p for s in second.shapes if s.has_text_frame for p in s.text_frame.paragraphs
                  if p.text == "by Ada")
    assert byline.alignment == 2  # PP_ALIGN.CENTER, as the HTML's title slide
