"""The PDF painter and handout parts, specified on a recording stand-in for fpdf2 and on small builds."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from deckwright.diagnostics import SourceRef
from deckwright.layout.fit import code_paras, sizes_at
from deckwright.layout.geometry import Box
from deckwright.layout.plan import Bullet, Para
from deckwright.layout.text import TextRun, text_width
from deckwright.model.deck import CodeBlock, Deck, DeckMeta, Layout, Paragraph, QRCode, Slide, Span
from deckwright.model.theme import Theme, load_theme
from deckwright.writers.pdf import handout as pdf_handout
from deckwright.writers.pdf import writer as pdf
from deckwright.writers.pdf.text import Painter, View, extend_bars

REPO = Path(__file__).resolve().parents[3]
REF = SourceRef("slides/deck.md", 3)


@pytest.fixture(scope="module")
def theme() -> Theme:
    loaded, diags = load_theme(REPO, "default", None)
    assert loaded is not None, diags
    return loaded


class Widths:
    def get_text_width(self, text: str, size: float, shaping: object) -> tuple[int, float]:
        return len(text), len(text) * size * 0.5


class Recorder:
    """Just enough of fpdf2's FPDF to watch what the painter draws, in order."""

    page = 1
    current_font = Widths()

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.struct_builder = self

    def next_mcid_for_page(self, page: int) -> int:
        return 0

    def _add_marked_content(self, **kwargs: Any) -> None:
        self.calls.append(("tag", (kwargs.get("struct_type"),)))

    def __getattr__(self, name: str) -> Any:
        def record(*args: Any, **kwargs: Any) -> None:
            self.calls.append((name, args))
        return record


def painted(theme: Theme, para: Para) -> list[tuple[str, tuple[Any, ...]]]:
    recorder = Recorder()
    Painter(recorder, theme, {}).paras(View(0, 0, 1), [para], Box(100, 100, 800, 200))
    return [c for c in recorder.calls if c[0] in ("rect", "text", "link")]


def test_inline_code_backgrounds_are_drawn_before_any_text_of_the_line(theme: Theme) -> None:
    para = Para((TextRun("Text"), TextRun("code", "code", background="#eeeeee")), 28, "#000000", REF)
    calls = painted(theme, para)
    assert [name for name, _ in calls] == ["rect", "text", "text"]
    assert [args[2] for name, args in calls if name == "text"] == ["Text", "code"]


def test_a_long_list_number_is_right_aligned_before_its_text(theme: Theme) -> None:
    para = Para((TextRun("item"),), 28, "#000000", REF, margin=36, hanging=36, bullet=Bullet(start=100))
    texts = {args[2]: args[0] for name, args in painted(theme, para) if name == "text"}
    number_end = texts["100."] + text_width("100.", theme.fonts["body"].file(), 28)
    assert number_end < texts["item"]
    bullet = Para((TextRun("item"),), 28, "#000000", REF, margin=36, hanging=36, bullet=Bullet("•"))
    texts = {args[2]: args[0] for name, args in painted(theme, bullet) if name == "text"}
    assert texts["•"] == pytest.approx(100)  # at the hanging indent, the box's left edge


def test_links_only_for_web_and_mail_addresses(theme: Theme) -> None:
    for href, linked in (("https://example.com", True), ("mailto:a@example.com", True),
                         ("javascript:alert(1)", False), ("file:///etc/passwd", False), ("#intro", False)):
        para = Para((TextRun("go", href=href),), 28, "#000000", REF)
        assert any(name == "link" for name, _ in painted(theme, para)) is linked, href


def test_a_qr_code_for_an_unsafe_url_is_drawn_without_a_link(theme: Theme) -> None:
    for url, linked in (("https://example.com/deck", True), ("javascript:alert(1)", False)):
        recorder = Recorder()
        Painter(recorder, theme, {}).qr(View(0, 0, 1), url, Box(0, 0, 200, 200))
        assert any(name == "link" for name, _ in recorder.calls) is linked
        assert ("tag", ("/Figure",)) in recorder.calls


def test_a_nested_quote_keeps_the_outer_bar_unbroken() -> None:
    outer = Para((TextRun("a"),), 28, "#000", REF, bar=0.0)
    inner = Para((TextRun("b"),), 28, "#000", REF, bar=36.0)
    bars = extend_bars([], outer, 0, 35)
    bars = extend_bars(bars, inner, 35, 70)
    bars = extend_bars(bars, outer, 70, 105)
    assert bars == [(0.0, 0, 105), (36.0, 35, 70)]


def test_tabs_in_code_become_spaces_to_the_next_stop_of_four(theme: Theme) -> None:
    block = CodeBlock(REF, "if x {\n\treturn\n}\n\tx\t= 1", "go")
    lines = ["".join(r.text for r in p.runs) for p in code_paras(block, theme, sizes_at(theme, 1.0))]
    assert lines[1] == "    return"
    assert lines[3] == "    x   = 1"


def test_the_handout_header_parts_never_meet(theme: Theme) -> None:
    left, right = pdf_handout.fit_header("A very long deck title " * 8, "Ada Lovelace and friends · 2026",
                                         theme)
    font = theme.fonts["body"].file()
    size = pdf_handout.BAND_SIZE
    assert left.endswith("…") and right == "Ada Lovelace and friends · 2026"
    assert text_width(left, font, size) + text_width(right, font, size) < pdf_handout.text_width()
    assert pdf_handout.fit_header("Short", "Ada", theme) == ("Short", "Ada")


def test_only_what_an_svg_would_load_is_reported() -> None:
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           b'<a href="https://example.com"><text>link</text></a>'
           b'<image xlink:href="file:///etc/hostname"/><use href="#shape"/>'
           b'<image href="data:image/png;base64,AAAA"/><image href="other.png"/></svg>')
    assert pdf.external_references(svg) == ["file:///etc/hostname", "other.png"]


def _svg_deck(root: Path, word: str) -> Deck:
    svg = root / "d.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100">'
                   f'<text x="10" y="50" font-size="30">{word}</text></svg>', encoding="utf-8")
    from deckwright.model.deck import Image

    slide = Slide(REF, Layout.CONTENT, title=(Span("Diagram"),), blocks=(Image(REF, svg, "a word"),))
    return Deck(DeckMeta(slug="svg"), (slide,), root)


def test_an_edited_svg_is_drawn_again_not_taken_from_the_cache(tmp_path: Path, theme: Theme,
                                                               pdftotext: str) -> None:
    out = tmp_path / "out"
    for word in ("engine", "motor"):
        written, diags = pdf.write(_svg_deck(tmp_path, word), theme, out)
        assert not [d for d in diags if d.is_error]
        text = subprocess.run([pdftotext, str(written[0]), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert word in text


def test_a_deck_with_only_a_qr_code_and_a_note_builds(tmp_path: Path, theme: Theme) -> None:
    slide = Slide(REF, Layout.CONTENT, blocks=(QRCode(REF, "https://example.com"),),
                  notes=(Paragraph(REF, (Span("x " * 3000),)),))
    written, diags = pdf.write(Deck(DeckMeta(slug="qr"), (slide,), tmp_path), theme, tmp_path / "out")
    assert len(written) == 2 and not [d for d in diags if d.is_error]


def test_kerned_text_ends_where_it_was_measured_so_runs_do_not_overlap(tmp_path: Path, theme: Theme) -> None:
    import pdfplumber

    words = (Span("AVATAR WAVE AVATAR WAVE "), Span("BOLD", bold=True))
    slide = Slide(REF, Layout.CONTENT, title=(Span("Kerning"),), blocks=(Paragraph(REF, words),))
    written, _ = pdf.write(Deck(DeckMeta(slug="kern"), (slide,), tmp_path), theme, tmp_path / "out")
    with pdfplumber.open(written[0]) as doc:
        chars = doc.pages[0].chars
    bold = [c for c in chars if "Bold" in c["fontname"] and c["text"] in "BOLD"]
    line = [c for c in chars if abs(c["bottom"] - bold[0]["bottom"]) < 1]
    regular = [c for c in line if "Bold" not in c["fontname"] and c["text"].strip()]
    assert bold and regular
    # The last regular glyph ends before the bold run starts (they overlapped by ~20 px unspread).
    assert max(c["x1"] for c in regular) <= min(c["x0"] for c in bold) + 0.5


def test_right_to_left_text_is_shaped_and_ordered_right_to_left(tmp_path: Path, theme: Theme) -> None:
    import pdfplumber

    slide = Slide(REF, Layout.CONTENT, title=(Span("Hello"),),
                  blocks=(Paragraph(SourceRef("slides/deck.md", 7), (Span("שלום Docker"),)),))
    written, diags = pdf.write(Deck(DeckMeta(slug="rtl"), (slide,), tmp_path), theme, tmp_path / "out")
    assert not [d for d in diags if "shaping" in d.message]
    with pdfplumber.open(written[0]) as doc:
        x = {c["text"]: c["x0"] for c in doc.pages[0].chars}
    # The first letter of the Hebrew word is its rightmost; the Latin word follows it.
    assert x["ש"] > x["ל"] > x["ם"] and x["D"] > x["ש"]


LISTS = """---
title: Lists
---

## Lists

- one
  - one a
  - one b

  more about one
- two

> a quote after the list

Plain paragraph, `code` and ~~struck~~ text.

::: notes
- a point in the notes
- another point

> a quote in the notes
:::
"""


def test_nested_lists_quotes_and_inline_decoration_as_poppler_reads_the_structure(tmp_path: Path) -> None:
    import shutil

    from conftest import require

    from deckwright.build.pipeline import BuildOptions, build

    (tmp_path / "slides").mkdir()
    (tmp_path / "slides" / "deck.md").write_text(LISTS, encoding="utf-8")
    result = build(BuildOptions(root=tmp_path, formats=("pdf",), out=tmp_path / "out"))
    assert not result.failed(strict=False)
    tool = shutil.which("pdfinfo")
    require(tool is not None, "poppler-utils (pdfinfo)")
    assert tool is not None
    out = subprocess.run([tool, "-struct-text", "-f", "2", "-l", "2", str(tmp_path / "out" / "lists.pdf")],
                         capture_output=True, text=True, check=True).stdout
    body = out[out.rindex('H1 (block)\n    "Lists"'):]
    assert body.split("\n")[2:17] == [
        "  L (block)",
        "    LI (block)",
        '      "•one"',
        "      L (block)",
        "        LI (block)",
        '          "–one a"',
        "        LI (block)",
        '          "–one b"',
        '      "more about one"',
        "    LI (block)",
        '      "•two"',
        "  P (block)",
        '    "a quote after the list"',
        "  P (block)",
        '    "Plain paragraph, code and struck text."',  # inline decoration does not hide it
    ]
    handout = subprocess.run([tool, "-struct-text", str(tmp_path / "out" / "lists-handout.pdf")],
                             capture_output=True, text=True, check=True).stdout
    assert '    LI (block)\n      "•a point in the notes"' in handout
    import pdfplumber

    with pdfplumber.open(tmp_path / "out" / "lists-handout.pdf") as doc:
        quote = next(w for w in doc.pages[0].extract_words() if w["text"] == "quote")
        bars = [r for r in doc.pages[0].rects if r["x1"] < quote["x0"] and r["top"] <= quote["top"] + 1
                and r["bottom"] >= quote["bottom"] - 1 and r["width"] < 5]
    assert bars  # the notes' quote has its bar


def test_a_right_to_left_phrase_with_digits_reads_as_one_and_stays_clear_of_the_next_run(
        tmp_path: Path, theme: Theme) -> None:
    import pdfplumber
    from conftest import require

    from deckwright.layout.fonts import Face, segments, system_fonts

    require(any(f.has(0x0645) for f in system_fonts()), "an Arabic font (Debian fonts-dejavu-core)")
    body = theme.fonts["body"].file()
    assert [p[0] for p in segments("مرحبا 2024 بالعالم. and", Face(body))] == ["مرحبا 2024 بالعالم", ". and"]
    words = (Span("x مرحبا بالعالم يلتف "), Span("bold", bold=True), Span(" end"))
    slide = Slide(REF, Layout.CONTENT, title=(Span("Mixed"),), blocks=(Paragraph(REF, words),))
    written, diags = pdf.write(Deck(DeckMeta(slug="mixed"), (slide,), tmp_path), theme, tmp_path / "out")
    assert not [d for d in diags if d.is_error]
    with pdfplumber.open(written[0]) as doc:
        chars = doc.pages[0].chars
    arabic = [c for c in chars if "\u0600" <= c["text"] <= "\u06ff"]
    assert arabic
    line = [c for c in chars if abs(c["bottom"] - arabic[0]["bottom"]) < 2]
    bold = min(c["x0"] for c in line if "Bold" in c["fontname"])
    assert max(c["x1"] for c in arabic) <= bold  # the shaped phrase ends where it was measured to


def test_a_huge_image_is_embedded_at_a_few_megapixels_not_whole(tmp_path: Path, theme: Theme) -> None:
    import pdfplumber
    from PIL import Image as PILImage

    from deckwright.model.deck import Image
    from deckwright.writers.pdf.text import PDF_MAX_PIXELS

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
