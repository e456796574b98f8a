"""HTML comments: directives (`key: value` with a known key) told apart from plain comments."""

from __future__ import annotations

from deckwright.reading.dialects.marp import MARP_DIRECTIVE_KEYS
from deckwright.reading.markdown import parse
from deckwright.reading.markdown.comments import parse_comments


def test_known_keys_are_directives_and_anything_else_is_a_plain_comment() -> None:
    assert parse_comments("<!-- layout: image-right --> <!-- a note: with a colon -->") == [
        ("layout", "image-right"), ("", "a note: with a colon")]


def test_a_comment_of_directive_lines_gives_one_pair_per_line() -> None:
    assert parse_comments("<!--\npaginate: true\nfooter: x\n-->", MARP_DIRECTIVE_KEYS) == [
        ("paginate", "true"), ("footer", "x")]
    # Not all lines are directives: the first key takes the rest of the comment as its value.
    assert parse_comments("<!--\npaginate: true\nhello\n-->", MARP_DIRECTIVE_KEYS) == [
        ("paginate", "true\nhello")]


def test_html_besides_comments_is_no_comment() -> None:
    assert parse_comments("<div><!-- layout: x --></div>") is None


def test_comment_tokens_are_marked_in_blocks_and_inline() -> None:
    tokens = parse("<!-- class: dark -->\n\ntext <!-- note --> more\n")
    assert tokens[0].meta["comments"] == [("class", "dark")]
    inline = [c for c in tokens[2].children or [] if c.type == "html_inline"]
    assert inline[0].meta["comments"] == [("", "note")]


def test_marp_keys_are_marps() -> None:
    assert parse("<!-- _paginate: false -->\n", "marp")[0].meta["comments"] == [("_paginate", "false")]
    assert parse("<!-- _paginate: false -->\n")[0].meta["comments"] == [("", "_paginate: false")]
