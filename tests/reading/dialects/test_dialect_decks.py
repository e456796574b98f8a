"""Bring your own deck: whole Marp, reveal-md and pandoc decks build in every format."""

from __future__ import annotations

import shutil
from pathlib import Path

from testkit import messages
from testkit import usable_formats as _formats

from deckwright.build.pipeline import BuildOptions, build
from deckwright.diagnostics import Diagnostic
from deckwright.model.deck import CodeBlock, Deck, Image, Paragraph, Span, deck_formulas, plain_text

DECKS = Path(__file__).resolve().parents[2] / "fixtures" / "decks"


def _build(name: str, tmp_path: Path) -> tuple[Deck, list[Path], list[Diagnostic]]:
    root = tmp_path / name
    shutil.copytree(DECKS / name, root)
    result = build(BuildOptions(root=root, formats=tuple(_formats()), out=tmp_path / "out"))
    assert not [d for d in result.diagnostics if d.is_error], messages(result.diagnostics)
    assert result.deck is not None
    return result.deck, result.written, result.diagnostics


def _summary(deck: Deck) -> list[tuple[str, str, int, int, int]]:
    """(layout, title, steps, notes, stack) per slide."""
    return [(s.layout.value, plain_text(s.title), s.steps, len(s.notes), s.stack) for s in deck.slides]


def test_marp_deck_builds_in_every_format(tmp_path: Path) -> None:
    deck, written, diags = _build("marp", tmp_path)
    assert len(written) >= len(_formats())
    assert _summary(deck) == [
        ("section", "Docker ハンズオン", 0, 1, 0),
        ("content", "アジェンダ", 3, 1, 0),
        ("image-left", "Containers vs VMs", 0, 0, 0),
        ("section", "Under the hood", 0, 0, 0),
        ("image-right", "Steps", 3, 0, 0),
        ("content", "Math and diagrams", 0, 0, 0),
        ("content", "ありがとう", 0, 0, 0),
    ]
    first, agenda, split, *_, last = deck.slides
    assert first.classes == ("lead",) and first.paginate is False and first.header == ()
    assert plain_text(agenda.header) == "Docker ワークショップ"
    assert agenda.footer[0] == Span("2026", bold=True)
    assert agenda.background_color == "#fdfdfd" and agenda.paginate is True
    side = split.blocks[0]
    assert isinstance(side, Image) and side.width == 0.4 and side.path.name == "photo.png"
    assert deck.slides[3].classes == ("invert",) and deck.slides[3].background_color == "#102030"
    assert last.background_image is not None and last.background_image.name == "diagram.png"
    assert last.paginate is False and last.classes == ("invert",)
    assert [(f.split()[0], display) for f, display, _ in deck_formulas(deck)] == [
        ("E", False), ("n", False), (r"\frac{1}{n}", True)]
    code = [b for b in deck.slides[5].blocks if isinstance(b, CodeBlock)]
    assert [c.language for c in code] == ["mermaid"]
    assert deck.meta.title == "Docker ハンズオン"  # the document's title, without a generated slide
    assert sum("theme 'gaia'" in d.message for d in diags) == 1


def test_reveal_deck_builds_in_every_format(tmp_path: Path) -> None:
    deck, written, _ = _build("reveal", tmp_path)
    assert len(written) >= len(_formats())
    assert _summary(deck) == [
        ("section", "Контейнеры Docker 🐳", 0, 1, 0),
        ("content", "Что такое контейнер?", 3, 0, 1),
        ("content", "Пространства имён", 0, 1, 1),
        ("content", "Cgroups", 0, 0, 1),
        ("image-left", "Архитектура", 1, 0, 0),
        ("content", "Математика", 0, 0, 0),
        ("content", "Спасибо! 🙏", 0, 0, 0),
    ]
    # reveal.js's math plugin reads \(…\) and \[…\] as well as $$…$$.
    assert [(f.split()[0], display) for f, display, _ in deck_formulas(deck)] == [
        ("S", False), (r"\sum_{k=1}^{n}", True), (r"\begin{pmatrix}", True)]
    assert deck.slides[2].background_color == "#1b2a3a" and deck.slides[3].classes == ("smaller",)
    code = deck.slides[3].blocks[-1]
    assert isinstance(code, CodeBlock) and code.code.startswith("---\nservices:")
    assert deck.slides[4].background_image is not None
    html = (tmp_path / "out").rglob("index.html")
    page = next(html).read_text(encoding="utf-8")
    assert "Пространства имён" in page and page.count("dw-stack") >= 1


def test_pandoc_deck_builds_in_every_format(tmp_path: Path) -> None:
    deck, written, _ = _build("pandoc", tmp_path)
    assert len(written) >= len(_formats())
    assert _summary(deck) == [
        ("title", "Docker für Einsteiger", 0, 0, 0),
        ("section", "Einführung", 0, 0, 0),
        ("content", "Was ist ein Container?", 0, 1, 0),
        ("two-columns", "Container und VMs", 0, 0, 0),
        ("content", "Schritt für Schritt", 6, 0, 0),
        ("section", "Praxis", 0, 0, 0),
        ("content", "", 0, 1, 0),
        ("content", "مرحبا بالعالم", 0, 0, 0),
        ("content", "Mathe", 0, 0, 0),
    ]
    assert [f for f, _, _ in deck_formulas(deck)] == [
        "a^2 + b^2 = c^2", r"x \to 0",
        r"\lim_{x \to 0} \frac{\sin x}{x} = 1 \qquad A = \begin{bmatrix} 1 & 0 \\ 0 & 1 \end{bmatrix}"]
    assert "Preise wie $5 und $HOME bleiben Text." in [plain_text(b.content) for b in deck.slides[-1].blocks
                                                      if isinstance(b, Paragraph)]
    assert deck.meta.author == "Anna Müller, Omar Haddad" and deck.meta.lang == "de"
    assert deck.slides[3].classes == ("smaller",)
    assert deck.slides[6].background_image is not None and deck.slides[6].background_image.name == "photo.png"
