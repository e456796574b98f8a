"""Pictures and QR codes on the PDF page (images.py): sizes embedded, links kept to safe addresses."""

from __future__ import annotations

from pathlib import Path

from pdf_recorder import Recorder

from deckwright.diagnostics import SourceRef
from deckwright.layout.geometry import Box
from deckwright.model.deck import Deck, DeckMeta, Layout, Slide, Span
from deckwright.model.theme import Theme
from deckwright.writers.pdf import images
from deckwright.writers.pdf import writer as pdf
from deckwright.writers.pdf.canvas import Canvas, View
from deckwright.writers.pdf.images import PDF_MAX_PIXELS

REF = SourceRef("slides/deck.md", 3)


def test_a_qr_code_for_an_unsafe_url_is_drawn_without_a_link(theme: Theme) -> None:
    for url, linked in (("https://example.com/deck", True), ("javascript:alert(1)", False)):
        recorder = Recorder()
        images.qr(Canvas(recorder, theme), View(0, 0, 1), url, Box(0, 0, 200, 200))
        assert any(name == "link" for name, _ in recorder.calls) is linked
        assert ("tag", ("/Figure",)) in recorder.calls


def test_a_huge_image_is_embedded_at_a_few_megapixels_not_whole(tmp_path: Path, theme: Theme) -> None:
    import pdfplumber
    from PIL import Image as PILImage

    from deckwright.model.deck import Image

    for name, fmt in (("big.png", "PNG"), ("big.jpg", "JPEG")):
        path = tmp_path / name
        PILImage.new("RGB", (4000, 2500), (20, 120, 200)).save(path, fmt)
        slide = Slide(REF, Layout.CONTENT, title=(Span("Photo"),), blocks=(Image(REF, path, "a photo"),))
        written, diags = pdf.write(Deck(DeckMeta(slug=name.replace(".", "-")), (slide,), tmp_path), theme,
                                   tmp_path / "out")
        assert not [d for d in diags if d.is_error]
        with pdfplumber.open(written[0]) as doc:
            (image,) = doc.pages[0].images
        width, height = image["srcsize"]
        assert width * height <= PDF_MAX_PIXELS and abs(width / height - 1.6) < 0.01
