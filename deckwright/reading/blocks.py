"""Block nodes → deck blocks: paragraphs, headings, lists, code, tables, quotes, raw HTML, divs, columns."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from deckwright.diagnostics import SourceRef
from deckwright.model.deck import (
    Align,
    Block,
    Cell,
    CodeBlock,
    Column,
    Columns,
    Heading,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    QRCode,
    Quote,
    RawHtml,
    Table,
)
from deckwright.reading.context import FileContext, offset
from deckwright.reading.datatables import expand_fence
from deckwright.reading.directives import Directives
from deckwright.reading.draft import Draft
from deckwright.reading.images import has_image, percent_width, read_image, split_images
from deckwright.reading.inline import Directive, read_inline, read_inline_node
from deckwright.reading.math import math_block
from deckwright.reading.sanitize import sanitize_html
from deckwright.reading.steps import Steps, with_step

_STYLE_BLOCK = re.compile(r"^\s*<style[\s>].*</style>\s*$", re.IGNORECASE | re.DOTALL)
_KNOWN_DIVS = frozenset({"notes", "columns", "column", "incremental", "nonincremental", "fragment"})
_DIAGRAMS = frozenset({"mermaid", "dot", "graphviz", "plantuml"})
# `python`, `{python}` (Quarto), `{r, echo=FALSE}` (R Markdown), `{.python}` (pandoc).
_FENCE_INFO = re.compile(r"\{?\s*\.?([^\s,{}]*)[\s,]*(.*?)\}?$")


class BlockReader:
    """Converts the block nodes of one slide; what they say about the slide goes to its draft."""

    def __init__(self, ctx: FileContext, draft: Draft, directives: Directives) -> None:
        self.ctx, self.draft, self.directives = ctx, draft, directives

    def node(self, node: SyntaxTreeNode, out: list[Block], steps: Steps | None) -> None:
        """Convert one block node and append the result to `out` (steps None: speaker notes)."""
        ref = self.ctx.ref(node)
        convert = _CONVERTERS.get(node.type)
        if convert is None:
            self.ctx.report.warn_once(f"block:{node.type}", ref,
                                      f"unsupported Markdown ({node.type}) ignored")
        else:
            convert(self, node, ref, out, steps)

    def children(self, node: SyntaxTreeNode, out: list[Block], steps: Steps | None) -> None:
        for child in node.children:
            self.node(child, out, steps)

    def apply(self, directives: Iterable[Directive], out: list[Block] | None) -> None:
        self.directives.apply_all(directives, self.draft, out)

    def inline(self, node: SyntaxTreeNode, ref: SourceRef) -> tuple[Inline, list[Directive]]:
        """The inline content of a heading, paragraph or cell node."""
        return read_inline_node(node.children[0] if node.children else None, ref, self.ctx)

    # ----------------------------------------------------------------- text

    def paragraph(self, node: SyntaxTreeNode, ref: SourceRef, out: list[Block], steps: Steps | None) -> None:
        """A paragraph; images in it become image blocks of their own, in order."""
        inline = node.children[0] if node.children else None
        step = steps.current if steps else 0
        pieces: list[Block] = []
        directives: list[Directive] = []
        tokens = inline.token.children if inline is not None and inline.token is not None else None
        display = _display_math(tokens or [])
        if display is not None:  # `$$…$$` alone in a paragraph is display math
            out.append(math_block(display, ref, step, self.ctx.report, self.ctx.cache))
            return
        for part in split_images(tokens or []):
            if isinstance(part, Token):
                image = read_image(part, offset(ref, part.meta.get("line", 0)), step, self.draft, self.ctx)
                if image is not None:
                    pieces.append(image)
                continue
            content, found = read_inline(part, ref, self.ctx)
            directives.extend(found)
            if content:
                pieces.append(Paragraph(ref, content, step))
        elements = [d for d in directives if d.key == ".element"]
        self.apply([d for d in directives if d.key != ".element"], out)
        out.extend(pieces)
        if elements and steps is not None:
            self.apply(elements[:1], out)  # one paragraph is one fragment, however many comments

    def heading(self, node: SyntaxTreeNode, ref: SourceRef, out: list[Block], steps: Steps | None) -> None:
        content, directives = self.inline(node, ref)
        out.append(Heading(ref, int(node.tag[1:]), content, steps.current if steps else 0))
        self.apply(directives, out)

    def blockquote(self, node: SyntaxTreeNode, ref: SourceRef, out: list[Block], steps: Steps | None) -> None:
        step = steps.current if steps else 0
        if steps is not None and node.meta.get("inverts_incremental"):
            # pandoc: a list alone in a block quote is incremental when lists are not, and vice versa
            # (the quote was marked by dialects/pandoc.py).
            only = node.children[0]
            saved = steps.incremental
            steps.incremental = not saved
            out.append(self.list_block(only, self.ctx.ref(only, ref), steps))
            steps.incremental = saved
            return
        inner: list[Block] = []
        self.children(node, inner, steps)
        out.append(Quote(ref, tuple(inner), step))

    # ----------------------------------------------------------------- lists

    def list_(self, node: SyntaxTreeNode, ref: SourceRef, out: list[Block], steps: Steps | None) -> None:
        out.append(self.list_block(node, ref, steps))

    def list_block(self, node: SyntaxTreeNode, ref: SourceRef, steps: Steps | None) -> ListBlock:
        step = steps.current if steps else 0
        # Incremental lists, and lists the dialect made fragmented (Marp's `*` and `1)`), step each item.
        stepped = steps is not None and (steps.incremental or bool(node.meta.get("fragmented")))
        items = [self.list_item(item, ref, steps, step, stepped) for item in node.children]
        ordered = node.type == "ordered_list"
        start = int(node.attrs.get("start", 1)) if ordered else 1
        return ListBlock(ref, tuple(items), ordered, start, step)

    def list_item(self, item: SyntaxTreeNode, ref: SourceRef, steps: Steps | None, step: int,
                  stepped: bool) -> ListItem:
        item_ref = self.ctx.ref(item, ref)
        item_step = steps.next() if steps and stepped else step
        content: Inline = ()
        children: list[Block] = []
        rest = list(item.children)
        if rest and rest[0].type == "paragraph" and not has_image(rest[0]):
            content, directives = self.inline(rest.pop(0), item_ref)
            for d in directives:
                if d.key != ".element":
                    self.apply([d], None)
                elif steps is not None and not self.draft.in_notes:
                    item_step = self.directives.item_step(d, steps, item_step)
        for child in rest:
            self.node(child, children, steps)
        return ListItem(item_ref, content, tuple(children), item_step)

    # ----------------------------------------------------------------- code and tables

    def fence(self, node: SyntaxTreeNode, ref: SourceRef, out: list[Block], steps: Steps | None) -> None:
        """A fenced block: a data table or glossary, a QR code, or code (diagrams shown as code)."""
        step = steps.current if steps else 0
        m = _FENCE_INFO.match(node.info.strip())
        word, rest = (m.group(1), m.group(2)) if m else ("", "")
        if word in ("table", "glossary"):
            self.data_table(word, rest.strip(), node, ref, out, step)
        elif word == "qr":
            url = node.content.strip() or self.ctx.url
            if not url:
                self.ctx.report.error(ref, "```qr needs a URL inside, or a `url` in the deck's metadata")
            else:
                out.append(QRCode(ref, url, step))
        else:
            if word.lower() in _DIAGRAMS:
                self.ctx.report.warn_once("diagram", ref, f"```{word} diagrams are shown as their source "
                                                          "code: deckwright does not draw them (export an "
                                                          "image instead)")
            out.append(CodeBlock(ref, node.content.removesuffix("\n"), word or None, step))

    def data_table(self, kind: str, name: str, node: SyntaxTreeNode, ref: SourceRef, out: list[Block],
                   step: int) -> None:
        if not name:
            self.ctx.report.error(ref, f"```{kind} needs the name of a data table, e.g. ```{kind} "
                                       "terminology")
            return
        blocks, diags = expand_fence(kind, name, node.content, ref, self.ctx.tables or {})
        self.ctx.report.extend(diags)
        out.extend(with_step(b, step) if step else b for b in blocks)

    def code_block(self, node: SyntaxTreeNode, ref: SourceRef, out: list[Block], steps: Steps | None) -> None:
        out.append(CodeBlock(ref, node.content.removesuffix("\n"), None, steps.current if steps else 0))

    def math_block(self, node: SyntaxTreeNode, ref: SourceRef, out: list[Block], steps: Steps | None) -> None:
        out.append(math_block(node.content, ref, steps.current if steps else 0, self.ctx.report,
                              self.ctx.cache))

    def table(self, node: SyntaxTreeNode, ref: SourceRef, out: list[Block], steps: Steps | None) -> None:
        step = steps.current if steps else 0
        header: tuple[Cell, ...] = ()
        align: tuple[Align, ...] = ()
        rows: list[tuple[Cell, ...]] = []
        for section in node.children:
            for tr in section.children:
                cells = tuple(self.cell(c, ref) for c in tr.children)
                if section.type == "thead":
                    header = cells
                    align = tuple(_align(c.attrs.get("style")) for c in tr.children)
                else:
                    rows.append(cells)
        out.append(Table(ref, header, tuple(rows), align, step=step))

    def cell(self, node: SyntaxTreeNode, ref: SourceRef) -> Cell:
        content, directives = self.inline(node, ref)
        self.apply(directives, None)
        return Cell(content)

    # ----------------------------------------------------------------- HTML

    def html_block(self, node: SyntaxTreeNode, ref: SourceRef, out: list[Block], steps: Steps | None) -> None:
        self.html(node, ref, out if steps is not None else None)

    def html(self, node: SyntaxTreeNode, ref: SourceRef, out: list[Block] | None) -> None:
        """Comments are directives (or notes); other HTML is kept for the HTML output.

        `out` is where the HTML goes and what `.element` applies to; None in speaker notes.
        """
        comments = node.meta.get("comments")
        if comments is None:
            self.raw_html(node.content.rstrip("\n"), ref, out)
            return
        for key, value in comments:
            self.directives.apply(Directive(key, value, ref), self.draft, out)

    def raw_html(self, html: str, ref: SourceRef, out: list[Block] | None) -> None:
        """Author HTML, sanitized unless the deck opts in with `allow_scripts: true`."""
        report = self.ctx.report
        if not self.ctx.allow_scripts:
            if _STYLE_BLOCK.match(html):
                report.warn_once("style", ref, "<style> CSS is not applied: deckwright styles slides with "
                                               "its theme (`allow_scripts: true` keeps it in the HTML "
                                               "output)")
                return
            html, removed = sanitize_html(html)
            if removed:
                report.warn_once("unsafe-html", ref, f"unsafe HTML removed ({', '.join(removed[:4])}); "
                                                     "`allow_scripts: true` in the front matter keeps it")
            if not html.strip():
                return
        report.warn_once("html", ref, "raw HTML is rendered in the HTML output only")
        target = out if out is not None else self.draft.notes
        step = self.draft.steps.current if out is not None else 0
        target.append(RawHtml(ref, html, step))

    # ----------------------------------------------------------------- divs and columns

    def div(self, node: SyntaxTreeNode, ref: SourceRef, out: list[Block], steps: Steps | None) -> None:
        """`::: notes`, `:::: columns`, `::: incremental`, `::: fragment`; other divs keep their content."""
        meta = node.meta
        name, classes = str(meta.get("name", "")), set(meta.get("classes", ()))
        self.check_closed(node, ref)
        if "notes" in classes:
            for child in node.children:
                self.node(child, self.draft.notes, None)
        elif "columns" in classes:
            out.append(self.columns(node, ref, steps))
        elif steps is not None and classes & {"incremental", "nonincremental"}:
            saved = steps.incremental
            steps.incremental = "incremental" in classes
            self.children(node, out, steps)
            steps.incremental = saved
        elif steps is not None and "fragment" in classes:
            saved_current = steps.current
            steps.current = steps.fragment(meta.get("attrs", {}))
            self.children(node, out, steps)
            steps.current = saved_current
        else:
            if "column" in classes:
                self.ctx.report.warn(ref, "`::: column` outside `:::: columns`: its content is kept as is")
            elif not classes & _KNOWN_DIVS:
                self.ctx.report.warn_once(f"div:{name or node.info}", ref,
                                          f"unknown block `::: {name or node.info}`: its content is kept as "
                                          f"is (known: {', '.join(sorted(_KNOWN_DIVS))})")
            self.children(node, out, steps)

    def check_closed(self, node: SyntaxTreeNode, ref: SourceRef) -> None:
        if node.meta.get("unclosed"):
            self.ctx.report.error(ref, f"`{node.markup} {node.info}` is never closed: add a line "
                                       f"`{node.markup}`")

    def columns(self, node: SyntaxTreeNode, ref: SourceRef, steps: Steps | None) -> Columns:
        step = steps.current if steps else 0
        columns: list[Column] = []
        for child in node.children:
            child_ref = self.ctx.ref(child, ref)
            if child.type == "div" and "column" in child.meta.get("classes", ()):
                self.check_closed(child, child_ref)
                blocks: list[Block] = []
                self.children(child, blocks, steps)
                width, diags = percent_width(child.meta.get("attrs", {}).get("width"), child_ref)
                self.ctx.report.extend(diags)
                columns.append(Column(child_ref, tuple(blocks), width))
            elif child.type == "html_block" and child.meta.get("comments") is not None:
                self.html(child, child_ref, None)
            else:
                self.ctx.report.warn(child_ref, "content in `:::: columns` outside any `::: column` was put "
                                                "in a column of its own")
                blocks = []
                self.node(child, blocks, steps)
                columns.append(Column(child_ref, tuple(blocks)))
        total = sum(c.width for c in columns if c.width)
        if total > 1.0001:
            self.ctx.report.warn(ref, f"column widths add up to {total:.0%}, more than 100%")
        if not columns:
            self.ctx.report.warn(ref, "`:::: columns` holds no `::: column`")
        return Columns(ref, tuple(columns), step)

    # ----------------------------------------------------------------- what is no block here

    def pause(self, node: SyntaxTreeNode, ref: SourceRef, out: list[Block], steps: Steps | None) -> None:
        if steps is not None:
            steps.pause()

    def stray_break(self, node: SyntaxTreeNode, ref: SourceRef, out: list[Block],
                    steps: Steps | None) -> None:
        markup = node.meta.get("source") or node.markup or "---"
        self.ctx.report.warn(ref, f"`{markup}` inside a block does not start a new slide or notes; ignored")


_Converter = Callable[[BlockReader, SyntaxTreeNode, SourceRef, list[Block], Steps | None], None]
_CONVERTERS: Mapping[str, _Converter] = {
    "paragraph": BlockReader.paragraph, "heading": BlockReader.heading,
    "bullet_list": BlockReader.list_, "ordered_list": BlockReader.list_,
    "fence": BlockReader.fence, "code_block": BlockReader.code_block,
    "math_block": BlockReader.math_block, "math_block_label": BlockReader.math_block,
    "table": BlockReader.table, "blockquote": BlockReader.blockquote, "html_block": BlockReader.html_block,
    "div": BlockReader.div, "pause": BlockReader.pause,
    "hr": BlockReader.stray_break, "notes_marker": BlockReader.stray_break,
    "slide_break": BlockReader.stray_break,
}


def _display_math(tokens: list[Token]) -> str | None:
    """The TeX of a paragraph that holds nothing but one `$$…$$`, else None."""
    rest = [t for t in tokens if not (t.type in ("text", "softbreak") and not t.content.strip())]
    if len(rest) == 1 and rest[0].type == "math_inline_double":
        return rest[0].content
    return None


def _align(style: object) -> Align:
    text = str(style or "")
    for align in (Align.LEFT, Align.CENTER, Align.RIGHT):
        if f"text-align:{align.value}" in text:
            return align
    return Align.DEFAULT
