"""Paragraphs as blocks on the PDF page (blocks.py): quote bars, code lines, lists and their tags."""

from __future__ import annotations

import subprocess
from pathlib import Path

from deckwright.diagnostics import SourceRef
from deckwright.layout.flow import code_paras, sizes_at
from deckwright.layout.plan import Para
from deckwright.layout.text import TextRun
from deckwright.model.deck import CodeBlock
from deckwright.model.theme import Theme
from deckwright.writers.pdf.blocks import extend_bars

REF = SourceRef("slides/deck.md", 3)


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

    from testkit import require

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
