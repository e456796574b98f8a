"""Lines and runs on the PDF page (text.py): on a recording stand-in for fpdf2 and on small builds."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from pdf_recorder import Recorder
from testkit import require

from deckwright.diagnostics import SourceRef
from deckwright.layout.geometry import Box
from deckwright.layout.plan import Bullet, Para
from deckwright.layout.text import TextRun, text_width
from deckwright.model.deck import Deck, DeckMeta, Layout, Paragraph, Slide, Span
from deckwright.model.theme import Theme
from deckwright.writers.pdf import blocks
from deckwright.writers.pdf import writer as pdf
from deckwright.writers.pdf.canvas import Canvas, View

REF = SourceRef("slides/deck.md", 3)


def painted(theme: Theme, para: Para) -> list[tuple[str, tuple[Any, ...]]]:
    recorder = Recorder()
    blocks.paras(Canvas(recorder, theme), View(0, 0, 1), [para], Box(100, 100, 800, 200))
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


def test_a_right_to_left_phrase_with_digits_reads_as_one_and_stays_clear_of_the_next_run(
        tmp_path: Path, theme: Theme) -> None:
    import pdfplumber
    from testkit import require

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


def test_characters_the_theme_lacks_come_from_a_system_font_and_the_rest_are_reported(
        tmp_path: Path, theme: Theme, pdftotext: str) -> None:
    from deckwright.layout.fonts import system_fonts

    require(any(f.has(0x65E5) for f in system_fonts()), "a CJK font (Debian fonts-noto-cjk)")
    slide = Slide(SourceRef("slides/deck.md", 1), Layout.CONTENT, title=(Span("Names"),),
                  blocks=(Paragraph(SourceRef("slides/deck.md", 3), (Span("Tokyo 東京 is fine"),)),
                          Paragraph(SourceRef("slides/deck.md", 4), (Span("a whale \U0001F433 is not"),))))
    written, diags = pdf.write(Deck(DeckMeta(slug="glyphs"), (slide,), tmp_path), theme, tmp_path / "out")
    out = subprocess.run([pdftotext, str(written[0]), "-"], capture_output=True, text=True, check=True).stdout
    assert "東京" in out
    assert [str(d) for d in diags] == [
        "slides/deck.md:4: warning: PDF: no installed font has \U0001F433 (U+1F433): shown as an empty box"]


def test_bidi_marks_and_isolates_are_not_drawn_as_empty_boxes(tmp_path: Path, theme: Theme,
                                                               pdftotext: str) -> None:
    # Browsers and PowerPoint draw nothing for them; they reached the PDF as "no font has U+2066" boxes.
    marks = "\u2066bidi\u2069 \u200fmark\u200e \u202eover\u202c join\u2060ed"
    slide = Slide(SourceRef("slides/deck.md", 1), Layout.CONTENT, title=(Span("Marks\u2067"),),
                  blocks=(Paragraph(SourceRef("slides/deck.md", 3), (Span(marks),)),))
    written, diags = pdf.write(Deck(DeckMeta(slug="marks"), (slide,), tmp_path), theme, tmp_path / "out")
    assert diags == []
    out = subprocess.run([pdftotext, str(written[0]), "-"], capture_output=True, text=True, check=True).stdout
    assert "bidi mark over joined" in out and "Marks" in out
    invisible = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
    assert not set(out) & set(invisible)
