"""Notes pages (notes.py): the speaker notes on each slide's notes page."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pptx_sample import NS, build_sample, default_theme, make_images, xml_of

from deckwright.model.theme import Theme


@pytest.fixture(scope="module")
def theme() -> Theme:
    return default_theme()


@pytest.fixture
def images(tmp_path: Path) -> dict[str, Path]:
    return make_images(tmp_path)


@pytest.fixture
def built(images: dict[str, Path], theme: Theme, tmp_path: Path) -> Path:
    return build_sample(images, theme, tmp_path)


def test_speaker_notes_are_on_the_notes_page(built: Path) -> None:
    prs = Presentation(str(built))
    notes = prs.slides[2].notes_slide.notes_text_frame
    assert notes.text == "Ask who has used Docker before.\nmention cgroups"
    assert notes.paragraphs[1]._p.pPr.find("a:buChar", NS) is not None
    assert not prs.slides[3].has_notes_slide
    presentation = xml_of(built, "ppt/presentation.xml")
    assert presentation.find("p:notesMasterIdLst/p:notesMasterId", NS) is not None
