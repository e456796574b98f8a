"""One slide on the PDF page (slide.py): its background, and the slide inside a handout frame."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image as PILImage
from testkit import require

from deckwright.diagnostics import SourceRef
from deckwright.model.deck import Deck, DeckMeta, Layout, Slide, Span
from deckwright.model.theme import Theme
from deckwright.writers.pdf import handout as pdf_handout
from deckwright.writers.pdf import writer as pdf

REF = SourceRef("slides/deck.md", 3)


def test_an_svg_background_covers_the_slide_and_stays_in_its_handout_frame(tmp_path: Path,
                                                                          theme: Theme) -> None:
    import pdfplumber

    bg = tmp_path / "bg.svg"
    bg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100">'
                  '<rect width="400" height="100" fill="#ff8800"/></svg>', encoding="utf-8")
    slide = Slide(SourceRef("slides/deck.md", 1), Layout.CONTENT, title=(Span("Wide"),), background_image=bg)
    written, diags = pdf.write(Deck(DeckMeta(slug="bg"), (slide,), tmp_path), theme, tmp_path / "out")
    assert not [d for d in diags if d.is_error]
    with pdfplumber.open(written[0]) as doc:
        (image,) = doc.pages[0].images
        assert image["height"] == pytest.approx(540, abs=1) and image["width"] > 960  # cover, cut
    with pdfplumber.open(written[1]) as doc:
        (image,) = doc.pages[0].images
    frame = pdf_handout.frame_box(theme, pdf_handout.MARGIN_TOP)
    # The image is wider than the frame, and a clip path keeps it inside: poppler draws it so.
    assert image["x0"] < frame.x * 0.75 and image["x1"] > frame.right * 0.75
    tool = shutil.which("pdftoppm")
    require(tool is not None, "poppler-utils (pdftoppm)")
    assert tool is not None
    png = subprocess.run([tool, "-r", "72", "-f", "1", "-l", "1", "-png", str(written[1])],
                         capture_output=True, check=True).stdout
    picture = PILImage.open(io.BytesIO(png)).convert("RGB")
    middle = round((frame.y + frame.h / 2) * 0.75)
    assert picture.getpixel((round(frame.x * 0.75) + 6, middle)) == (255, 136, 0)
    assert picture.getpixel((round(frame.x * 0.75) - 6, middle)) == (255, 255, 255)
