"""Formulas in the PDF: filled vector paths in their boxes, no TeX in the text layer, tagged /Formula."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image as PILImage
from testkit import require

from deckwright.layout.math import MathBox, typeset
from deckwright.model.deck import DeckMeta
from deckwright.model.theme import Theme
from deckwright.writers.common.document import DocumentMeta
from deckwright.writers.pdf.canvas import Canvas
from deckwright.writers.pdf.document import document_bytes, new_document
from deckwright.writers.pdf.math import draw_formula, draw_tagged_formula

FORMULAS = (r"\sum_{i=1}^{n} i^2 = \frac{n(n+1)(2n+1)}{6}", r"\lim_{x\to0}\frac{\sin x}{x} = 1",
            r"\begin{pmatrix}\alpha & \beta\\ \gamma & \delta\end{pmatrix}", r"\sqrt{x^2+1}")
SIZE = 28.0
X = 40.0


def page(tmp_path: Path) -> tuple[Path, list[tuple[MathBox, float]]]:
    """A 720×405 pt page with the formulas one under another: the file and each box with its baseline."""
    from fpdf import FPDF

    pdf: Any = FPDF(unit="pt", format=(720, 405))
    pdf.set_compression(False)
    pdf.add_page()
    placed = []
    top = 30.0
    for tex in FORMULAS:
        box, problem = typeset(tex, display=True)
        assert box is not None and problem is None
        baseline = top + box.height * SIZE
        draw_formula(pdf, box, X, baseline, SIZE, "#1a3c8c")
        placed.append((box, baseline))
        top = baseline + box.depth * SIZE + 16
    path = tmp_path / "math.pdf"
    pdf.output(str(path))
    return path, placed


def colours(picture: PILImage.Image) -> dict[tuple[int, int, int], int]:
    """How many pixels of each colour but white."""
    found = picture.getcolors(maxcolors=picture.width * picture.height + 1) or []
    return {colour: count for count, colour in found if colour != (255, 255, 255)}  # type: ignore[misc]


def test_formulas_are_paths_and_the_text_layer_holds_no_tex(tmp_path: Path) -> None:
    from pypdf import PdfReader

    path, _ = page(tmp_path)
    reader = PdfReader(path)
    assert reader.pages[0].extract_text().strip() == ""
    content = reader.pages[0].get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]
    assert "BT" not in content and " c " in content and " f" in content
    assert "0.102 0.2353 0.549 rg" in content  # the text colour asked for
    tool = shutil.which("pdftotext")
    require(tool is not None, "poppler-utils (pdftotext)")
    assert tool is not None
    text = subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert not any(word in text for word in ("frac", "sum", "lim", "\\", "pmatrix", "sqrt"))


def test_poppler_draws_each_formula_inside_its_box(tmp_path: Path) -> None:
    path, placed = page(tmp_path)
    tool = shutil.which("pdftoppm")
    require(tool is not None, "poppler-utils (pdftoppm)")
    assert tool is not None
    dpi = 144
    png = subprocess.run([tool, "-r", str(dpi), "-png", str(path)], capture_output=True, check=True).stdout
    (tmp_path / "math.png").write_bytes(png)
    picture = PILImage.open(io.BytesIO(png)).convert("RGB")
    k = dpi / 72
    for box, baseline in placed:
        left, top = round(X * k), round((baseline - box.height * SIZE) * k)
        right, bottom = round((X + box.width * SIZE) * k), round((baseline + box.depth * SIZE) * k)
        inside = picture.crop((left, top, right, bottom))
        ink = colours(inside)
        assert sum(ink.values()) > inside.width * inside.height * 0.05  # drawn, and in its box
        # The ink is the colour asked for (antialiased edges are lighter).
        assert (26, 60, 140) in ink
        # Nothing far outside: a band above the box and one right of it are blank.
        above = picture.crop((left, max(top - round(6 * k), 0), right, max(top - round(3 * k), 1)))
        beside = picture.crop((right + round(4 * k), top, right + round(40 * k), bottom))
        assert not colours(above) and not colours(beside)


@pytest.mark.parametrize("size", [12.0, 40.0])
def test_the_drawing_scales_with_the_size(tmp_path: Path, size: float) -> None:
    from fpdf import FPDF

    box, _ = typeset("x", display=False)
    assert box is not None
    pdf: Any = FPDF(unit="pt", format=(200, 100))
    pdf.set_compression(False)
    pdf.add_page()
    draw_formula(pdf, box, 10, 50, size, "#000000")
    pdf.output(str(tmp_path / "x.pdf"))
    # fpdf2 counts y down from the top; PDF user space counts up from the bottom.
    assert f"q {size:g} 0 0 {size:g} 10 50 cm".encode() in (tmp_path / "x.pdf").read_bytes()


def test_a_tagged_formula_is_a_formula_element_with_the_tex_as_its_alternate_text(theme: Theme) -> None:
    from pypdf import PdfReader

    tex = r"\frac{a}{b}"
    box, _ = typeset(tex, display=False)
    assert box is not None
    meta = DocumentMeta(title="t", subject="", author="", keywords="", description="", date=None)
    pdf = new_document(DeckMeta(slug="m"), meta, 400, 200)
    pdf.add_page()
    draw_tagged_formula(Canvas(pdf, theme), box, 20, 100, 30, "#000000", tex)
    reader = PdfReader(io.BytesIO(document_bytes(pdf)))
    content = reader.pages[0].get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]
    assert content.index("/Formula <</MCID 0>> BDC") < content.index(" cm ") < content.index("EMC")

    def elements(node: Any) -> list[Any]:
        node = node.get_object()
        kids = node.get("/K", [])
        kids = kids if isinstance(kids, list) else [kids]
        return [node] + [e for kid in kids if hasattr(kid, "get_object") and not isinstance(
            kid.get_object(), int) for e in elements(kid)]

    root: Any = reader.trailer["/Root"]
    formulas = [e for e in elements(root["/StructTreeRoot"]) if e.get("/S") == "/Formula"]
    assert [str(e["/Alt"]) for e in formulas] == [tex]
