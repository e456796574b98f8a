"""Writers reuse the layout fit chose (fit._FITTED) instead of laying each slide out again."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from deckwright.build.pipeline import BuildOptions, prepare
from deckwright.layout import fit

REPO = Path(__file__).resolve().parents[2]


def test_writers_get_fits_plan_and_it_equals_a_fresh_layout() -> None:
    result = prepare(BuildOptions(root=REPO))
    assert result.deck is not None and result.theme is not None
    theme = result.theme
    for slide in result.deck.slides:
        plan = fit.plan_slide(slide, theme)
        assert plan is fit._FITTED[id(slide)][2]
        assert plan == fit._plan_slide(slide, theme, None, slide.font_scale)
    slide = result.deck.slides[1]
    # Another value, another theme or other image sizes: laid out afresh.
    other = replace(slide, font_scale=slide.font_scale / 2)
    assert fit.plan_slide(other, theme) is not fit._FITTED[id(slide)][2]
    assert fit.plan_slide(other, theme).scale == other.font_scale
    assert fit.plan_slide(slide, replace(theme)) == fit.plan_slide(slide, theme)
    assert fit.plan_slide(slide, replace(theme)) is not fit.plan_slide(slide, theme)
    assert fit.plan_slide(slide, theme, {}) is not fit.plan_slide(slide, theme)
