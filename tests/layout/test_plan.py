"""fit returns the plan as a value beside its diagnostics, and writers translate that plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import REPO

from deckwright.build.pipeline import BuildOptions, prepare
from deckwright.layout import fit, slides
from deckwright.layout.plan import Plan
from deckwright.model.deck import Image, iter_blocks
from deckwright.writers.html import writer as html_writer
from deckwright.writers.pptx import writer as pptx_writer


def test_prepare_returns_one_plan_per_slide_equal_to_a_fresh_layout() -> None:
    result = prepare(BuildOptions(root=REPO))
    assert result.deck is not None and result.theme is not None and result.plan is not None
    assert len(result.plan.slides) == len(result.deck.slides)
    for slide, plan in zip(result.deck.slides, result.plan.slides, strict=True):
        assert plan.scale == slide.font_scale
        assert plan == slides.plan_slide(slide, result.theme)


def test_fit_deck_is_a_value_and_keeps_nothing_between_calls() -> None:
    result = prepare(BuildOptions(root=REPO))
    assert result.deck is not None and result.theme is not None
    deck, plan, diags = fit.fit_deck(result.deck, result.theme)
    again = fit.fit_deck(result.deck, result.theme)
    assert (deck, plan, diags) == again
    # No module-level store of plans by object identity.
    assert not [name for name, value in vars(fit).items() if isinstance(value, dict) and name.isupper()
                and "FITTED" in name]


def test_writers_translate_the_plan_they_are_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = prepare(BuildOptions(root=REPO))
    assert result.deck is not None and result.theme is not None and result.plan is not None
    laid_out: list[object] = []
    original = slides._plan_slide

    def counting(slide: object, *args: object) -> object:
        laid_out.append(slide)
        return original(slide, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(slides, "_plan_slide", counting)
    html_writer.write(result.deck, result.theme, tmp_path, plan=result.plan)
    assert laid_out == []  # HTML takes its title sizes from the plan
    pptx_writer.render(result.deck, result.theme, result.plan)
    # PPTX knows its pictures' proportions: only slides that show an image are laid out again.
    with_images = [s for s in result.deck.slides if any(isinstance(b, Image) for b in iter_blocks(s.blocks))]
    assert laid_out == with_images and with_images


def test_a_writer_refuses_a_plan_of_another_deck() -> None:
    result = prepare(BuildOptions(root=REPO))
    assert result.deck is not None and result.theme is not None and result.plan is not None
    short = Plan(result.plan.slides[:-1])
    with pytest.raises(ValueError, match="the plan has"):
        pptx_writer.render(result.deck, result.theme, short)
