"""One slide's shapes (shapes.py): styled text, code, native tables, pictures, QR codes, quote bars."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu
from pptx_sample import NS, sp
from testkit import REPO, ref

from deckwright.layout.highlight import highlight_lines
from deckwright.model.deck import (
    Cell,
    Deck,
    DeckMeta,
    Layout,
    ListBlock,
    ListItem,
    Paragraph,
    Slide,
    Table,
)
from deckwright.model.theme import Theme
from deckwright.writers.pptx import writer


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


def test_shape_ids_are_unique_on_every_slide(built: Path) -> None:
    for slide in Presentation(str(built)).slides:
        ids = [int(e.get("id")) for e in slide._element.iter(f"{{{NS['p']}}}cNvPr")]
        assert len(ids) == len(set(ids))


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
