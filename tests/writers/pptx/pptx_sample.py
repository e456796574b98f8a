"""The PPTX tests' sample deck: every kind of block and layout, its images, and how it is built."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree
from PIL import Image as PILImage
from testkit import REPO, ref

from deckwright.layout.fit import fit_deck
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
from deckwright.model.theme import Theme
from deckwright.writers.pptx import writer

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def sp(text: str, **styles: object) -> Span:
    return Span(text, **styles)  # type: ignore[arg-type]


def make_images(tmp_path: Path) -> dict[str, Path]:
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


def build_sample(images: dict[str, Path], theme: Theme, tmp_path: Path) -> Path:
    """The sample deck built into tmp_path/dist, without a diagnostic."""
    path, diags = build(make_deck(images), theme, tmp_path / "dist")
    assert diags == []
    assert path is not None
    return path


def xml_of(path: Path, member: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(member))


def shapes_of(slide: object) -> Iterator[object]:
    yield from slide.shapes  # type: ignore[attr-defined]
