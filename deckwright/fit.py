"""Text measurement with the theme's font files, and fitting slides to their boxes."""

from __future__ import annotations

from deckwright.diagnostics import Diagnostic
from deckwright.model import Deck
from deckwright.theme import Theme


def fit_deck(deck: Deck, theme: Theme) -> tuple[Deck, list[Diagnostic]]:
    """Return the deck with each slide's font_scale set so its content fits; report overflow."""
    return deck, []
