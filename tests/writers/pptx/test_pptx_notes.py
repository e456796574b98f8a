"""Notes pages (notes.py): the speaker notes on each slide's notes page."""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation
from pptx_sample import NS, xml_of


def test_speaker_notes_are_on_the_notes_page(built: Path) -> None:
    prs = Presentation(str(built))
    notes = prs.slides[2].notes_slide.notes_text_frame
    assert notes.text == "Ask who has used Docker before.\nmention cgroups"
    assert notes.paragraphs[1]._p.pPr.find("a:buChar", NS) is not None
    assert not prs.slides[3].has_notes_slide
    presentation = xml_of(built, "ppt/presentation.xml")
    assert presentation.find("p:notesMasterIdLst/p:notesMasterId", NS) is not None
