"""Inline text: styles merged into runs, comments taken out as directives, unsafe links and tags dropped."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from deckwright.diagnostics import SourceRef
from deckwright.model.deck import Span
from deckwright.reading.context import FileContext, file_context
from deckwright.reading.dialects import Options
from deckwright.reading.inline import Directive, read_inline
from deckwright.reading.markdown import parse_inline

REF = SourceRef("slides/s.md", 3)


def context(tmp_path: Path, **settings: object) -> FileContext:
    return file_context("slides/s.md", tmp_path, settings, Options(), [], tables=None, allow_dirs=(),
                        parse_marp_inline=partial(parse_inline, dialect="marp"))


def test_styles_become_merged_runs_and_edges_are_trimmed(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    spans, directives = read_inline(parse_inline(" a *b **c*** ~~d~~ `e`<br>f "), REF, ctx)
    assert spans == (Span("a "), Span("b ", italic=True), Span("c", bold=True, italic=True), Span(" "),
                     Span("d", strike=True), Span(" "), Span("e", code=True), Span("\n"), Span("f"))
    assert directives == [] and ctx.report.diags == []


def test_comments_are_directives_at_their_line_and_tags_keep_their_text(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    spans, directives = read_inline(parse_inline("a\n<!-- class: x --> <b>b</b> <b>c</b>"), REF, ctx)
    assert spans == (Span("a  b c"),)  # the line break and the space after the comment
    assert directives == [Directive("class", "x", SourceRef("slides/s.md", 4))]
    assert [str(d) for d in ctx.report.diags] == [
        "slides/s.md:4: warning: inline HTML <b> ignored (only its text is kept)"]


def test_links_other_than_web_mail_and_relative_are_dropped_unless_the_deck_allows_scripts(
        tmp_path: Path) -> None:
    tokens = parse_inline("[x](ftp://files.example) [y](https://ok.example)")
    ctx = context(tmp_path)
    spans, _ = read_inline(tokens, REF, ctx)
    assert spans == (Span("x "), Span("y", href="https://ok.example"))
    assert [d.message.split(":")[0] for d in ctx.report.diags] == ["link to 'ftp"]
    allowed, _ = read_inline(tokens, REF, context(tmp_path, allow_scripts=True))
    assert allowed[0] == Span("x", href="ftp://files.example")


def test_script_and_file_links_markdown_refuses_are_judged_and_said_not_left_as_raw_text(
        tmp_path: Path) -> None:
    # markdown-it alone leaves `[js](javascript:…)` as literal text, with no word to the author.
    for target in ("javascript:alert(1)", "vbscript:x", "file:///etc/passwd", "data:text/html,x"):
        ctx = context(tmp_path)
        spans, _ = read_inline(parse_inline(f"see [js]({target}) now"), REF, ctx)
        assert spans == (Span("see js now"),)
        assert [d.message.split(" removed")[0] for d in ctx.report.diags] == [f"link to {target!r}"]
    ctx = context(tmp_path)
    spans, _ = read_inline(parse_inline("<javascript:alert(1)>"), REF, ctx)
    assert spans == (Span("javascript:alert(1)"),) and len(ctx.report.diags) == 1


def test_line_breaks_are_spaces_unless_the_dialect_keeps_them(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    assert read_inline(parse_inline("a\nb"), REF, ctx)[0] == (Span("a b"),)
    marp = file_context("slides/s.md", tmp_path, {}, Options(dialect="marp", breaks=True), [], tables=None,
                        allow_dirs=(), parse_marp_inline=partial(parse_inline, dialect="marp"))
    assert read_inline(parse_inline("a\nb", "marp"), REF, marp)[0] == (Span("a"), Span("\n"), Span("b"))
