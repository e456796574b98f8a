"""The parser of each dialect: which plugins it has, and the order their rules run in."""

from __future__ import annotations

import pytest

from deckwright.reading.markdown import make_parser, parse, parse_inline

CORE = {
    "deckwright": ["normalize", "block", "note_line", "pause", "heading_attrs", "inline", "image_attrs",
                   "text_join", "hr_source", "comments"],
    # A dialect's own rewrites (dialects/<name>.py) run last, on the finished stream.
    "marp": ["normalize", "block", "inline", "text_join", "hr_source", "comments", "marp_image_keywords",
             "marp_fragmented_lists", "marp_fit"],
    "reveal": ["normalize", "block", "inline", "text_join", "hr_source", "comments",
               "reveal_vertical_breaks"],
    "pandoc": ["normalize", "block", "pause", "heading_attrs", "inline", "image_attrs", "text_join",
               "hr_source", "comments", "pandoc_quoted_lists"],
}


@pytest.mark.parametrize("dialect", sorted(CORE))
def test_core_rules_run_in_the_documented_order(dialect: str) -> None:
    assert make_parser(dialect).core.ruler.get_active_rules() == CORE[dialect]


@pytest.mark.parametrize(("dialect", "divs", "brackets"), [
    ("deckwright", True, False), ("marp", False, False), ("reveal", False, True), ("pandoc", True, False),
])
def test_block_rules_per_dialect(dialect: str, divs: bool, brackets: bool) -> None:
    rules = make_parser(dialect).block.ruler.get_active_rules()
    assert rules[0] == "front_matter"
    # `$$…$$` everywhere; `\[…\]` only where the deck's own tool (reveal.js) reads it.
    assert "math_block" in rules and ("math_brackets_block" in rules) is brackets
    if divs:
        assert rules.index("fenced_div") < rules.index("fence")


def test_only_marp_sets_line_breaks_and_inline_parsing_gives_the_inline_tokens() -> None:
    assert [d for d in CORE if make_parser(d).options["breaks"]] == ["marp"]
    assert [t.type for t in parse_inline("a **b** c\nd", "marp")] == [
        "text", "strong_open", "text", "strong_close", "text", "softbreak", "text"]


def test_block_tokens_keep_their_source_lines() -> None:
    tokens = parse("# A\n\ntext\n")
    assert [(t.type, t.map) for t in tokens if t.map] == [
        ("heading_open", [0, 1]), ("inline", [0, 1]), ("paragraph_open", [2, 3]), ("inline", [2, 3])]
