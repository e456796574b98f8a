"""Native, editable PowerPoint output: real text, tables, notes and click animations, from the model."""

from __future__ import annotations

import os
from pathlib import Path

from deckwright.diagnostics import Diagnostic, display_path, has_errors
from deckwright.layout.code import deck_code_blocks, prime_highlights
from deckwright.layout.fit import plan_of
from deckwright.layout.plan import Plan
from deckwright.model.deck import Deck
from deckwright.model.theme import Theme
from deckwright.support import atomic
from deckwright.support.diskcache import project_cache
from deckwright.writers import output_names
from deckwright.writers.common.document import document_meta, source_date_epoch
from deckwright.writers.common.images import load_pictures, not_rendered
from deckwright.writers.pptx.opc import package_bytes
from deckwright.writers.pptx.presentation import PresentationBuilder
from deckwright.writers.pptx.template import Template, generated_template, reference_template


def write(deck: Deck, theme: Theme, out_dir: Path, *,
          plan: Plan | None = None) -> tuple[list[Path], list[Diagnostic]]:
    """Write out_dir/<slug>.pptx; nothing is written when the deck has errors."""
    data, diags = render(deck, theme, plan)
    if data is None or has_errors(diags):
        return [], diags
    path = out_dir / output_names("pptx", deck.meta.slug)[0]
    atomic.write_bytes(path, data)
    return [path], diags


def render(deck: Deck, theme: Theme, plan: Plan | None = None) -> tuple[bytes | None, list[Diagnostic]]:
    """The .pptx file as bytes (identical for identical input), and what went wrong.

    `plan` is fit's plan of the deck; without it the deck's slides are laid out at their scales.
    """
    pictures, diags = load_pictures(deck, theme)
    # Notes' code too (fit_deck primed the slides'): highlighted once, or read from the cache.
    prime_highlights(deck_code_blocks(deck), theme.pygments_style, project_cache(deck.root))
    template, tdiags = _template(deck, theme)
    diags.extend(tdiags)
    if template is None or has_errors(diags):
        return None, diags
    presentation = PresentationBuilder(template, plan_of(deck, theme, plan), theme, pictures,
                                       deck.meta.lang or "en-US")
    if theme.logo is not None and theme.logo in pictures:
        presentation.add_logo(pictures[theme.logo])
    for number, slide in enumerate(deck.slides, start=1):
        presentation.add_slide(slide, number)
        diags.extend(not_rendered(slide.blocks, "PowerPoint"))
    presentation.finish(document_meta(deck.meta, os.environ), deck.meta.lang)
    # The zip's timestamps are the build's (SOURCE_DATE_EPOCH or 1980), not the deck's date.
    return package_bytes(template.package, source_date_epoch(os.environ)), diags


def _template(deck: Deck, theme: Theme) -> tuple[Template | None, list[Diagnostic]]:
    if theme.reference_pptx is None:
        return generated_template(theme), []
    used = {s.layout for s in deck.slides}
    shown = display_path(theme.reference_pptx, deck.root)
    return reference_template(theme, theme.reference_pptx, shown, used)


__all__ = ["render", "write"]
