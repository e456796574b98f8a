"""Fit and layout: text measured with the theme's fonts decides each slide's font scale."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from testkit import REPO, ref

from deckwright.diagnostics import Severity
from deckwright.layout.fit import choose_scale, fit_deck, fit_slide
from deckwright.layout.geometry import (
    Box,
    body_box,
    column_widths,
    fit_image,
    footer_boxes,
    image_split,
    split_columns,
    title_box,
)
from deckwright.layout.plan import CodeItem, TableItem, TextItem
from deckwright.layout.slides import plan_slide
from deckwright.layout.text import WRAP_SLACK, TextRun, count_lines, text_width
from deckwright.model.deck import (
    Align,
    Cell,
    CodeBlock,
    Column,
    Columns,
    Deck,
    DeckMeta,
    Image,
    Layout,
    ListBlock,
    ListItem,
    Paragraph,
    Slide,
    Span,
    Table,
)
from deckwright.model.theme import Theme


def para(text: str, line: int = 1) -> Paragraph:
    return Paragraph(ref(line), (Span(text),))


def bullets(n: int, words: str = "containers share the host kernel", line: int = 1) -> ListBlock:
    return ListBlock(ref(line), tuple(ListItem(ref(line + i), (Span(f"{words} {i}"),)) for i in range(n)))


def content(*blocks: object, line: int = 10) -> Slide:
    return Slide(ref(line), Layout.CONTENT, title=(Span("Title"),), blocks=blocks)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- layout


def test_content_box_is_below_the_title_and_inside_the_margins(theme: Theme) -> None:
    title, body = title_box(theme), body_box(theme, Layout.CONTENT)
    assert body.y >= title.bottom
    assert body.x == theme.spacing["margin_x"] and body.right == theme.width - theme.spacing["margin_x"]
    assert body.bottom == theme.height - theme.spacing["margin_bottom"]
    assert footer_boxes(theme).number.y >= body.bottom


def test_blank_slides_use_the_title_area_too(theme: Theme) -> None:
    assert body_box(theme, Layout.BLANK).h > body_box(theme, Layout.CONTENT).h


def test_column_widths_honour_fractions_and_share_the_rest() -> None:
    assert column_widths([0.4, 0.6], 1040, 40) == pytest.approx([400, 600])
    assert column_widths([None, None], 1040, 40) == pytest.approx([500, 500])
    assert column_widths([0.5, None, None], 1080, 40) == pytest.approx([500, 250, 250])
    # Over-full fractions are scaled down rather than running off the slide.
    assert sum(column_widths([0.8, 0.8], 1000, 0)) == pytest.approx(1000)


def test_split_columns_are_side_by_side_with_the_gap() -> None:
    left, right = split_columns(Box(0, 0, 1040, 500), [0.4, 0.6], 40)
    assert left.right + 40 == pytest.approx(right.x)
    assert right.right == pytest.approx(1040)


def test_image_side_is_left_or_right(theme: Theme) -> None:
    box = body_box(theme, Layout.IMAGE_RIGHT)
    text, image = image_split(box, Layout.IMAGE_RIGHT, 40)
    assert text.x < image.x and image.right == pytest.approx(box.right)
    text, image = image_split(box, Layout.IMAGE_LEFT, 40)
    assert image.x < text.x


def test_fit_image_keeps_the_aspect_ratio_inside_the_box() -> None:
    placed = fit_image(400, 100, Box(10, 20, 300, 300))
    assert placed.w / placed.h == pytest.approx(4.0)
    assert placed.w == pytest.approx(300) and placed.y == 20
    tall = fit_image(100, 400, Box(0, 0, 300, 200))
    assert tall.h == pytest.approx(200) and tall.w == pytest.approx(50)
    assert tall.x == pytest.approx(125)  # centred across


# --------------------------------------------------------------------------- measuring


def test_count_lines_wraps_greedily_at_spaces_against_the_slackened_width(theme: Theme) -> None:
    text = "Containers package an application with everything it needs to run " * 3
    font = theme.fonts["body"].file()
    space = text_width(" ", font, 28)
    for width in (300.0, 600.0, 1100.0):
        # The rule written out: words are added while the line stays within width × WRAP_SLACK.
        lines, x = 1, 0.0
        for word in text.split():
            w = text_width(word, font, 28)
            if x and x + space + w > width * WRAP_SLACK:
                lines, x = lines + 1, w
            else:
                x += (space if x else 0.0) + w
        assert count_lines((TextRun(text),), theme, 28, width) == lines


def test_bold_text_is_measured_with_the_bold_font(theme: Theme) -> None:
    words = "wide words " * 12
    plain = count_lines((TextRun(words),), theme, 28, 400)
    bold = count_lines((TextRun(words, bold=True),), theme, 28, 400)
    assert bold >= plain
    assert count_lines((TextRun("a\nb\nc"),), theme, 28, 400) == 3


def test_words_spanning_runs_are_not_broken_between_runs(theme: Theme) -> None:
    runs = (TextRun("docker"), TextRun("-compose", font="code"))
    assert count_lines(runs, theme, 28, 400) == 1


# --------------------------------------------------------------------------- fitting


def test_a_short_slide_keeps_the_theme_size(theme: Theme) -> None:
    slide, _, diags = fit_slide(content(para("Hello")), theme, 1)
    assert slide.font_scale == 1.0 and diags == []


def test_a_long_slide_shrinks_until_it_fits_and_never_below_the_floor(theme: Theme) -> None:
    slide, _, diags = fit_slide(content(bullets(15)), theme, 3)
    floor = theme.sizes["body_min"] / theme.sizes["body"]
    assert floor <= slide.font_scale < 1.0
    assert diags == []
    plan = plan_slide(slide, theme)
    assert plan.overflow == 0.0
    # The next percent up does not fit: the scale is the largest that does.
    assert plan_slide(slide, theme, scale=slide.font_scale + 0.01).overflow > 0.0


def test_overflow_beyond_the_floor_is_a_warning_at_the_slides_line(theme: Theme) -> None:
    slide, _, diags = fit_slide(content(bullets(40), line=42), theme, 7)
    assert slide.font_scale == pytest.approx(theme.sizes["body_min"] / theme.sizes["body"], abs=0.01)
    assert len(diags) == 1
    message = str(diags[0])
    assert message.startswith("slides/deck.md:42: warning: slide 7 overflows its box by ")
    assert message.endswith("%") and diags[0].severity is Severity.WARNING


def test_a_title_slides_subtitle_that_overflows_is_a_warning(theme: Theme) -> None:
    # A title slide's paragraph is its subtitle: a word of 100,000 letters ran off the page unsaid.
    slide = Slide(ref(5), Layout.TITLE, title=(Span("Q"),), subtitle=(Span("w" * 100_000),))
    _, plan, diags = fit_slide(slide, theme, 1)
    assert plan.subtitle_overflow > 1.0
    assert [str(d).rsplit(" by ", 1)[0] for d in diags] == [
        "slides/deck.md:5: warning: slide 1: the subtitle overflows its box"]
    _, fits, quiet = fit_slide(replace(slide, subtitle=(Span("Hands on"),)), theme, 1)
    assert fits.subtitle_overflow == 0.0 and quiet == []


def test_a_long_code_line_shrinks_the_code_rather_than_wrapping(theme: Theme) -> None:
    line = ("docker run --rm -it -v $(pwd):/app -w /app -p 8080:80 -e MODE=dev --name web "
            "python:3.12-slim python app.py --reload")
    slide, _, diags = fit_slide(content(CodeBlock(ref(3), line, "bash")), theme, 1)
    assert slide.font_scale < 1.0 and diags == []
    assert not plan_slide(slide, theme).code_wraps


def test_code_that_wraps_even_at_the_floor_shrinks_only_while_that_saves_lines(theme: Theme) -> None:
    slide, _, diags = fit_slide(content(CodeBlock(ref(3), "x" * 400, "text")), theme, 1)
    assert diags == []  # wrapped code is readable: no overflow warning
    floor = plan_slide(slide, theme, scale=theme.sizes["code_min"] / theme.sizes["code"])
    chosen = plan_slide(slide, theme)
    assert chosen.code_wraps and chosen.code_lines == floor.code_lines
    assert plan_slide(slide, theme, scale=slide.font_scale + 0.01).code_lines > chosen.code_lines


def test_a_table_wider_than_the_slide_is_reported_at_its_line_once(theme: Theme) -> None:
    header = tuple(Cell((Span(f"Supercalifragilistic{i}"),)) for i in range(14))
    table = Table(ref(77), header=header, rows=(header,), align=(Align.DEFAULT,) * 14)
    slide, _, diags = fit_slide(content(table), theme, 4)
    assert [str(d) for d in diags] == [
        "slides/deck.md:77: warning: slide 4: the table is wider than the slide: 14 columns do not fit "
        "1152 px even at the smallest table size (11 px); select fewer columns or transpose it"]
    assert slide.font_scale == pytest.approx(theme.sizes["table_min"] / theme.sizes["table"], abs=0.01)
    # In the pipeline the tables stage fixes the widths and reports it; fit does not repeat it.
    fixed = replace(table, widths=(1.0,) * 14)
    assert fit_slide(content(fixed), theme, 4)[2] == []


def test_table_columns_follow_their_content(theme: Theme) -> None:
    table = Table(ref(5), header=(Cell((Span("Id"),)), Cell((Span("Description"),))),
                  rows=((Cell((Span("1"),)), Cell((Span("a much longer description of the thing"),))),),
                  align=(Align.RIGHT, Align.LEFT))
    plan = plan_slide(content(table), theme)
    item = plan.body[0].item
    assert isinstance(item, TableItem)
    assert item.widths[1] > 2 * item.widths[0]
    assert sum(item.widths) == pytest.approx(plan.body_box.w)


def test_text_blocks_merge_into_one_text_item_and_code_stands_alone(theme: Theme) -> None:
    plan = plan_slide(content(para("a"), bullets(2), CodeBlock(ref(9), "ls\n"), para("b")), theme)
    kinds = [type(p.item) for p in plan.body]
    assert kinds == [TextItem, CodeItem, TextItem]
    first = plan.body[0].item
    assert isinstance(first, TextItem) and len(first.paras) == 3
    # Stacked top to bottom without overlapping.
    for upper, lower in zip(plan.body, plan.body[1:], strict=False):
        assert upper.box.bottom <= lower.box.y


def test_columns_are_measured_side_by_side(theme: Theme) -> None:
    cols = Columns(ref(4), (Column(ref(4), (bullets(6),), 0.5), Column(ref(8), (bullets(6),), 0.5)))
    slide, _, diags = fit_slide(replace(content(cols), layout=Layout.TWO_COLUMNS), theme, 1)
    assert diags == []
    plan = plan_slide(slide, theme)
    left, right = plan.body[0].columns
    assert left[0].box.right < right[0].box.x


def test_images_take_what_text_leaves_but_never_fit_text_out(theme: Theme) -> None:
    image = Image(ref(3), Path("/nonexistent/diagram.png"), "diagram")
    slide, _, _ = fit_slide(content(para("Intro"), image), theme, 1)
    assert slide.font_scale == 1.0
    plan = plan_slide(slide, theme, aspects={image.path: 2.0})
    img = plan.body[1]
    assert img.box.bottom <= plan.body_box.bottom + 0.01
    assert img.box.h == pytest.approx(min(plan.body_box.w / 2.0, plan.body_box.bottom - img.box.y))


def test_a_long_title_gets_a_smaller_size_not_a_smaller_body(theme: Theme) -> None:
    title = (Span("A rather long slide title that cannot possibly fit on one single line here"),)
    slide = replace(content(para("x")), title=title)
    plan = plan_slide(slide, theme)
    assert plan.title is not None and plan.title.size < theme.sizes["title"]
    assert plan.title_overflow == 0.0
    assert fit_slide(slide, theme, 1)[0].font_scale == 1.0


def test_fit_deck_is_pure_and_repeatable(theme: Theme) -> None:
    deck = Deck(DeckMeta(), (content(bullets(15)), content(para("x"))), Path("/nowhere"))
    once, _, d1 = fit_deck(deck, theme)
    twice, _, d2 = fit_deck(once, theme)
    assert once == twice and d1 == d2
    assert deck.slides[0].font_scale == 1.0  # the input is not changed
    assert once.slides[0].font_scale < 1.0 and once.slides[1].font_scale == 1.0


def test_the_scale_search_is_the_largest_fitting_percent(theme: Theme) -> None:
    slide = content(bullets(9), CodeBlock(ref(20), "echo hi\n" * 4, "bash"))
    scale, plan = choose_scale(slide, theme)
    assert plan.overflow == 0.0
    if scale < 1.0:
        assert plan_slide(slide, theme, scale=round(scale + 0.01, 2)).overflow > 0.0


def test_a_link_is_measured_as_one_unbreakable_word(theme: Theme) -> None:
    """LibreOffice draws a hyperlink as one field and breaks it only between characters: a
    multi-word link must get a line (or a table column) wide enough for all of it."""
    from deckwright.layout.text import longest_word, max_line_width

    text = "Docker Engine (Moby)"
    plain, link = (TextRun(text),), (TextRun(text, href="https://docs.docker.com/engine/"),)
    assert longest_word(plain, theme, 20) < max_line_width(plain, theme, 20)
    assert longest_word(link, theme, 20) == pytest.approx(max_line_width(link, theme, 20))
    # A link that does not fit the rest of a line starts the next one whole.
    width = max_line_width(link, theme, 20) / 0.97 + 1
    around = (TextRun("see the "), TextRun(" now"))
    assert count_lines((around[0], TextRun(text), around[1]), theme, 20, width) == 2
    assert count_lines((around[0], *link, around[1]), theme, 20, width) == 3


def test_table_columns_hold_their_links_on_one_line(theme: Theme) -> None:
    from deckwright.layout.tables import column_widths

    link = (Span("BuildKit / Buildx", href="https://docs.docker.com/build/buildkit/"),)
    words = "builder behind docker build, with a long description that has to wrap somewhere"
    table = Table(ref(1), header=(Cell((Span("Tool"),)), Cell((Span("Role"),))),
                  rows=((Cell(link), Cell((Span(words),))),), align=(Align.LEFT, Align.LEFT))
    first, _ = column_widths(table, theme, 500.0, 20.0)
    from deckwright.layout.tables import CELL_PAD_X
    from deckwright.layout.text import max_line_width

    needed = max_line_width((TextRun("BuildKit / Buildx", href="https://x.y/"),), theme, 20.0)
    assert first >= needed + 2 * CELL_PAD_X


def test_the_writer_lays_out_each_slide_from_fits_measurements(theme: Theme,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Text is measured once per box: planning a fitted slide again (as the writer does, with
    image sizes) reuses the measured items instead of measuring every paragraph again."""
    from deckwright.layout import flow

    words = "containers share the host kernel yet keep their own filesystem"
    slides = tuple(Slide(ref(i), Layout.CONTENT, title=(Span(f"Slide {i}"),), blocks=(
        ListBlock(ref(i), tuple(ListItem(ref(i), (Span(f"{words} {k} {i}"),)) for k in range(3 + i))),
        CodeBlock(ref(i), f"docker run --rm alpine echo {i}\n", "bash"))) for i in range(1, 6))
    fitted, _, _ = fit_deck(Deck(DeckMeta(slug="m"), slides, REPO), theme)
    calls = {"items": 0}
    original = flow.items_for

    def counting(*args: object, **kwargs: object) -> object:
        calls["items"] += 1
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(flow, "items_for", counting)
    plans = [plan_slide(s, theme, {}) for s in fitted.slides]
    assert calls["items"] == 0
    assert [p.scale for p in plans] == [s.font_scale for s in fitted.slides]


# --------------------------------------------------------------------------- formulas


def test_display_math_is_a_centred_paragraph_measured_by_its_formula(theme: Theme) -> None:
    from deckwright.model.deck import MathBlock

    fraction = MathBlock(ref(12), r"\frac{\sum_{i=1}^{n} x_i^2}{\sqrt{n}}")
    plan = plan_slide(content(para("Before"), fraction, para("After")), theme)
    [item] = [p.item for p in plan.body]
    assert isinstance(item, TextItem)
    _, formula, _ = item.paras
    assert formula.align == Align.CENTER and formula.runs[0].math == "display"
    assert formula.runs[0].text == fraction.tex and formula.ref == fraction.ref
    # Taller than a line of text: fit knows the formula's real height.
    plain = plan_slide(content(para("Before"), para("x"), para("After")), theme)
    assert plan.body[0].box.h > plain.body[0].box.h + theme.sizes["body"]


def test_a_slide_of_tall_formulas_shrinks_to_fit(theme: Theme) -> None:
    from deckwright.model.deck import MathBlock

    matrix = r"\begin{pmatrix} a & b \\ c & d \\ e & f \end{pmatrix}"
    tall = [MathBlock(ref(20 + i), matrix) for i in range(5)]
    slide, plan, diags = fit_slide(content(*tall), theme, 1)
    assert slide.font_scale < 1.0 and plan.overflow == 0.0 and diags == []
    # As text of the same length, it would not have shrunk: the formulas' height counts.
    assert fit_slide(content(*[para("abcdef") for _ in tall]), theme, 1)[0].font_scale == 1.0
