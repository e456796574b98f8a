"""Top-level blocks → slides: where a slide ends and the next begins, its title, notes and stacks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from markdown_it.tree import SyntaxTreeNode

from deckwright.model.deck import Block, Columns, Image, Inline, Layout, Paragraph, Slide
from deckwright.reading.blocks import BlockReader
from deckwright.reading.context import FileContext
from deckwright.reading.dialects import marp
from deckwright.reading.directives import Directives, slide_attrs
from deckwright.reading.draft import Draft
from deckwright.reading.inline import read_inline_node
from deckwright.reading.steps import gapless, renumber


class SlideReader:
    """Reads one file's top-level blocks into slides, one draft at a time."""

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.directives = Directives(ctx)
        self.slides: list[Slide] = []
        self.body: BlockReader | None = None  # the slide being read, with its draft
        self.vertical = False  # the break before the next slide is a vertical one (reveal.js)
        self.stacks = 0  # vertical stacks so far

    def read(self, nodes: Iterable[SyntaxTreeNode]) -> list[Slide]:
        for node in nodes:
            self.top(node)
        self.finish()
        return self.slides

    def top(self, node: SyntaxTreeNode) -> None:
        kind = node.type
        if kind == "front_matter" or self.slide_break(node) or (kind == "heading" and self.heading(node)):
            return
        body = self.current(node)
        draft = body.draft
        if kind == "notes_marker":
            draft.in_notes = True
        elif kind == "pause" and not draft.in_notes:
            draft.steps.pause()
        elif draft.in_notes:
            body.node(node, draft.notes, None)
        else:
            body.node(node, draft.blocks, draft.steps)

    def slide_break(self, node: SyntaxTreeNode) -> bool:
        """End the slide at a slide break (a `---` line where those break slides); False for other nodes.

        A break the dialect marked `vertical` (reveal.js `----`) starts a slide below this one.
        """
        if node.type == "slide_break" or (node.type == "hr" and self.ctx.options.hr_breaks):
            self.finish()
            self.vertical = bool(node.meta.get("vertical"))
            return True
        return False

    def heading(self, node: SyntaxTreeNode) -> bool:
        """A heading at the slide level starts a slide; True when it became the slide's title."""
        level = int(node.tag[1:])
        if self.ctx.slide_level and level <= self.ctx.slide_level:
            self.finish()
        draft = self.current(node).draft
        if level <= self.ctx.title_max and not draft.title and not draft.in_notes:
            ref = self.ctx.ref(node)
            draft.title, directives = read_inline_node(node.children[0] if node.children else None, ref,
                                                       self.ctx)
            draft.title_level = level
            slide_attrs(self.ctx, {k: str(v) for k, v in node.attrs.items()}, ref, draft)
            self.directives.apply_all(directives, draft, None)
            return True
        return False

    def current(self, node: SyntaxTreeNode) -> BlockReader:
        """The slide being read, started at `node` if there is none."""
        if self.body is None:
            draft = Draft(self.ctx.ref(node), vertical=self.vertical)
            draft.steps.incremental = self.ctx.options.incremental
            self.vertical = False
            self.body = BlockReader(self.ctx, draft, self.directives)
        return self.body

    def finish(self) -> None:
        """The slide being read, if it has anything, becomes a Slide (in its vertical stack)."""
        body, self.body = self.body, None
        if body is None or body.draft.is_empty():
            return
        slide = assemble(body.draft, self.directives.carry, self.ctx.section_max)
        if body.draft.vertical and self.slides:
            previous = self.slides[-1]
            if previous.stack == 0:
                self.stacks += 1
                previous = self.slides[-1] = replace(previous, stack=self.stacks)
            slide = replace(slide, stack=previous.stack)
        self.slides.append(slide)


def assemble(draft: Draft, carried: Mapping[str, object], section_max: int) -> Slide:
    """A finished draft as a Slide: steps without gaps, a layout, Marp's directives in force applied."""
    marp.place_split_image(draft)
    mapping = gapless(draft.blocks)
    blocks = tuple(renumber(b, mapping) for b in draft.blocks)
    subtitle: Inline = ()
    layout = draft.layout or auto_layout(draft.title_level, blocks, section_max)
    if layout is Layout.SECTION and len(blocks) == 1 and isinstance(blocks[0], Paragraph):
        subtitle, blocks = blocks[0].content, ()
    local = marp.local_values({**carried, **draft.marp})
    return Slide(
        ref=draft.ref, layout=layout, title=draft.title, subtitle=subtitle, blocks=blocks,
        notes=tuple(draft.notes), classes=tuple(dict.fromkeys([*local.classes, *draft.classes])),
        background_color=draft.background_color or local.background_color,
        background_image=draft.background_image or local.background_image,
        steps=len(mapping), header=local.header, footer=local.footer, paginate=local.paginate,
    )


def auto_layout(title_level: int, blocks: Sequence[Block], section_max: int = 1) -> Layout:
    """The layout a slide's content asks for when it names none."""
    alone = not blocks or (len(blocks) == 1 and isinstance(blocks[0], Paragraph) and blocks[0].step == 0)
    if 0 < title_level <= section_max and alone:
        return Layout.SECTION
    if any(isinstance(b, Columns) for b in blocks):
        return Layout.TWO_COLUMNS
    images = [i for i, b in enumerate(blocks) if isinstance(b, Image)]
    if len(images) == 1 and len(blocks) >= 2:
        return Layout.IMAGE_LEFT if images[0] == 0 else Layout.IMAGE_RIGHT
    return Layout.CONTENT
