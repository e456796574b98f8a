"""The page around the slides: the engine's Jinja2 template, or a theme's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import Markup

from deckwright.layout.plan import Plan
from deckwright.model.deck import DeckMeta
from deckwright.writers.html import writer as html


def test_theme_template_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A theme's own reveal.html.j2 is rendered by Jinja2 (filters and all); else the engine's page."""
    from types import SimpleNamespace

    monkeypatch.setattr(html, "slides_html", lambda *args: Markup("<section></section>"))
    monkeypatch.setattr(html, "_config_js", lambda theme: Markup("{}"))
    deck = SimpleNamespace(meta=DeckMeta(title="Mine & yours"))
    theme = SimpleNamespace(directory=tmp_path)
    engine = html.render_index(deck, Plan(()), theme, None, None)  # type: ignore[arg-type]
    assert engine.startswith("<!DOCTYPE html>") and "<title>Mine &amp; yours</title>" in engine
    (tmp_path / html._TEMPLATE).write_text("{{ meta.title | upper }}\n", encoding="utf-8")
    assert html.render_index(deck, Plan(()), theme, None, None) == "MINE &amp; YOURS\n"  # type: ignore[arg-type]
