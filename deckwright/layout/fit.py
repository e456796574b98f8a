"""Fitting: the largest scale at which each slide's content fits its boxes, and the deck's plan."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace

from deckwright.diagnostics import Diagnostic, warning
from deckwright.layout.code import deck_code_blocks, prime_highlights
from deckwright.layout.plan import (
    Plan,
    SlidePlan,
)
from deckwright.layout.slides import plan_slide
from deckwright.model.deck import (
    Block,
    CodeBlock,
    Columns,
    Deck,
    Heading,
    Image,
    ListBlock,
    ListItem,
    MathBlock,
    Paragraph,
    QRCode,
    Quote,
    RawHtml,
    Slide,
    Table,
    deck_formulas,
)
from deckwright.model.theme import Theme
from deckwright.support.diskcache import project_cache


def _floor(slide: Slide, theme: Theme) -> float:
    """The lowest scale the slide's content allows: each kind of text has its own minimum."""
    z = theme.sizes
    ratios = {"body": z["body_min"] / z["body"], "code": z["code_min"] / z["code"],
              "table": z["table_min"] / z["table"]}
    kinds = _kinds(slide.blocks)
    return max((ratios[k] for k in kinds), default=1.0)


def _kinds(blocks: Sequence[Block]) -> set[str]:
    kinds: set[str] = set()
    for b in blocks:
        if isinstance(b, CodeBlock):
            kinds.add("code")
        elif isinstance(b, Table):
            kinds.add("table")
        elif isinstance(b, Columns):
            for c in b.columns:
                kinds |= _kinds(c.blocks)
        elif isinstance(b, Quote):
            kinds |= _kinds(b.blocks)
        elif isinstance(b, (Heading, Paragraph, ListBlock, ListItem, MathBlock)):
            kinds.add("body")
        elif isinstance(b, (Image, QRCode, RawHtml)):
            continue
    return kinds


def choose_scale(slide: Slide, theme: Theme) -> tuple[float, SlidePlan]:
    """The largest scale (in 1 % steps, not below the floor) at which the slide's body fits."""

    def good(plan: SlidePlan) -> bool:
        return plan.overflow == 0.0 and not plan.code_wraps and not plan.too_wide

    full = plan_slide(slide, theme, scale=1.0)
    if good(full):
        return 1.0, full
    lo = math.ceil(_floor(slide, theme) * 100 - 1e-9)
    lowest = plan_slide(slide, theme, scale=lo / 100)
    if not good(lowest):
        if lowest.overflow > 0.0 or lowest.too_wide:
            return lo / 100, lowest
        # Code wraps even at the floor: shrink only as far as that saves wrapped lines.
        return _search(slide, theme, lo, lambda p: p.overflow == 0.0 and not p.too_wide
                       and p.code_lines <= lowest.code_lines, lowest)
    return _search(slide, theme, lo, good, lowest)


def _search(slide: Slide, theme: Theme, lo: int, good: Callable[[SlidePlan], bool],
            lowest: SlidePlan) -> tuple[float, SlidePlan]:
    """Binary search for the largest percent in [lo, 100) whose plan is good (lo is good)."""
    best, best_plan, hi = lo, lowest, 99
    while best < hi:
        mid = (best + hi + 1) // 2
        plan = plan_slide(slide, theme, scale=mid / 100)
        if good(plan):
            best, best_plan = mid, plan
        else:
            hi = mid - 1
    return best / 100, best_plan


def fit_slide(slide: Slide, theme: Theme, number: int) -> tuple[Slide, SlidePlan, list[Diagnostic]]:
    """The slide with font_scale set, its plan, and warnings for what still overflows at the floor."""
    scale, plan = choose_scale(slide, theme)
    diags: list[Diagnostic] = []
    for table in plan.too_wide:
        if table.widths:
            continue  # laid out by the pipeline's tables stage, which reports it (tables.py)
        columns = max((len(r) for r in (table.header, *table.rows)), default=0)
        diags.append(warning(table.ref, f"slide {number}: the table is wider than the slide: "
                                        f"{columns} columns do not fit {plan.body_box.w:.0f} px even "
                                        f"at the smallest table size ({theme.sizes['table_min']:g} px); "
                                        "select fewer columns or transpose it"))
    if plan.overflow > 0.0:
        diags.append(warning(slide.ref, f"slide {number} overflows its box by "
                                        f"{math.ceil(plan.overflow * 100)}%"))
    if plan.title_overflow > 0.0:
        diags.append(warning(slide.ref, f"slide {number}: the title overflows its box by "
                                        f"{math.ceil(plan.title_overflow * 100)}%"))
    if plan.subtitle_overflow > 0.0:
        diags.append(warning(slide.ref, f"slide {number}: the subtitle overflows its box by "
                                        f"{math.ceil(plan.subtitle_overflow * 100)}%"))
    fitted = slide if scale == slide.font_scale else replace(slide, font_scale=scale)
    return fitted, plan, diags


def prime_deck(deck: Deck, theme: Theme) -> list[Diagnostic]:
    """Highlight the deck's code and typeset its formulas once, from the project cache where it
    has them, so that every later measurement (table splitting, fit, the writers) reads memory.

    A formula the typesetter cannot lay out, or lays out with something missing (a glyph the
    math font lacks), is a warning at its line, once per formula.
    """
    cache = project_cache(deck.root)
    prime_highlights(deck_code_blocks(deck), theme.pygments_style, cache)
    formulas = list(deck_formulas(deck))
    if not formulas:
        return []
    from deckwright.layout.math import prime, typeset
    from deckwright.layout.text import math_font_file
    from deckwright.support.workers import cpu_workers

    font = math_font_file(theme)
    # In parallel where there are many.
    prime([(tex, display) for tex, display, _ in formulas], font=font, cache=cache, workers=cpu_workers())
    diags: list[Diagnostic] = []
    for tex, display, ref in dict.fromkeys(formulas):
        box, problem = typeset(tex, display=display, font=font, cache=cache)
        if problem is not None:
            fence = "$$" if display else "$"
            shown = " ".join(tex.split())
            shown = shown if len(shown) <= 40 else shown[:39] + "…"
            outcome = "drawn without it" if box is not None else "the PDF shows its TeX source"
            diags.append(warning(ref, f"{fence}{shown}{fence}: {problem}; {outcome}"))
    return diags


def fit_deck(deck: Deck, theme: Theme) -> tuple[Deck, Plan, list[Diagnostic]]:
    """The deck with each slide's font_scale set so its content fits, its plan, and what overflows.

    As pandoc's documentToPresentation: a pure stage returning its value and its log.
    """
    prime_deck(deck, theme)  # the pipeline has reported what it found
    slides: list[Slide] = []
    plans: list[SlidePlan] = []
    diags: list[Diagnostic] = []
    for number, slide in enumerate(deck.slides, start=1):
        fitted, plan, d = fit_slide(slide, theme, number)
        slides.append(fitted)
        plans.append(plan)
        diags.extend(d)
    return replace(deck, slides=tuple(slides)), Plan(tuple(plans)), diags


def plan_deck(deck: Deck, theme: Theme) -> Plan:
    """The plan of a deck whose slides have their scale already (a writer called without fit's plan)."""
    return Plan(tuple(plan_slide(slide, theme) for slide in deck.slides))


def plan_of(deck: Deck, theme: Theme, plan: Plan | None) -> Plan:
    """fit's plan of the deck, or the deck laid out at its slides' scales when a writer got none.

    A plan of another deck (another number of slides) is a bug in the caller, refused here once
    rather than drawn from the wrong slides.
    """
    if plan is None:
        return plan_deck(deck, theme)
    if len(plan.slides) != len(deck.slides):
        raise ValueError(f"the plan has {len(plan.slides)} slides, the deck {len(deck.slides)}")
    return plan

