"""One slide part (slide.py): titles, columns and footers in the layout's placeholders, backgrounds."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from pptx import Presentation
from pptx_sample import NS, build, make_deck, sp
from testkit import REPO, ref

from deckwright.model.deck import (
    Deck,
    DeckMeta,
    Layout,
    Paragraph,
    Slide,
)
from deckwright.model.theme import Theme
from deckwright.writers.pptx import writer


def test_titles_are_in_title_placeholders(built: Path) -> None:
    prs = Presentation(str(built))
    titles = [s.shapes.title.text if s.shapes.title is not None else None for s in prs.slides]
    assert titles[:5] == ["Docker hands-on", "Part one: images", "Why containers?", "A Dockerfile",
                          "Terminology"]
    assert titles[8] is None  # blank layout: no title
    subtitle = [s for s in prs.slides[0].placeholders if s.placeholder_format.type == 4]  # SUBTITLE
    assert subtitle and subtitle[0].text == "From zero to Compose"


def test_columns_honour_their_widths_in_the_two_content_placeholders(built: Path) -> None:
    slide = Presentation(str(built)).slides[5]
    left = next(s for s in slide.placeholders if s.placeholder_format.idx == 1)
    right = next(s for s in slide.placeholders if s.placeholder_format.idx == 2)
    assert (left.text, right.text) == ("Left side", "Right side")
    assert right.width / left.width == pytest.approx(0.7 / 0.3, rel=0.01)
    assert left.left + left.width < right.left


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
