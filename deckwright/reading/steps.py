"""Click steps: handed out while a slide is read, then renumbered without gaps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from deckwright.model.deck import Block, Columns, ListBlock, Quote

# reveal.js `data-fragment-index="k"`: indexed fragments come first, by index, then the others in
# order (reveal's sortFragments). Raw steps below this offset sort before every counted step.
_INDEXED = -1_000_000


@dataclass
class Steps:
    """Click steps on the slide being read: `current` for new blocks, `highest` handed out so far."""

    current: int = 0
    highest: int = 0
    incremental: bool = False

    def next(self) -> int:
        self.highest += 1
        return self.highest

    def pause(self) -> None:
        self.current = self.next()

    def fragment(self, attrs: Mapping[str, str]) -> int:
        """The raw step of a `class="fragment"` element, honouring `data-fragment-index`."""
        index = attrs.get("data-fragment-index", "").strip()
        if index.isdigit() and len(index) < 6:
            return _INDEXED + int(index)
        return self.next()


def with_step(block: Block, step: int) -> Block:
    return replace(block, step=step)


def gapless(blocks: Iterable[Block]) -> dict[int, int]:
    """Raw step → final step (1, 2, 3 …): a pause followed by a fragment leaves a step unused."""
    return {old: new for new, old in enumerate(sorted(_steps_used(blocks)), start=1)}


def _steps_used(blocks: Iterable[Block]) -> set[int]:
    used: set[int] = set()
    for block in blocks:
        if block.step:
            used.add(block.step)
        if isinstance(block, ListBlock):
            for item in block.items:
                if item.step:
                    used.add(item.step)
                used |= _steps_used(item.children)
        elif isinstance(block, Quote):
            used |= _steps_used(block.blocks)
        elif isinstance(block, Columns):
            for column in block.columns:
                used |= _steps_used(column.blocks)
    return used


def renumber(block: Block, mapping: Mapping[int, int]) -> Block:
    """A block with its steps (and those of the blocks inside it) mapped by `gapless`."""
    new: Block = replace(block, step=mapping.get(block.step, 0))
    if isinstance(new, ListBlock):
        items = tuple(replace(i, step=mapping.get(i.step, 0),
                              children=tuple(renumber(c, mapping) for c in i.children))
                      for i in new.items)
        new = replace(new, items=items)
    elif isinstance(new, Quote):
        new = replace(new, blocks=tuple(renumber(c, mapping) for c in new.blocks))
    elif isinstance(new, Columns):
        new = replace(new, columns=tuple(
            replace(col, blocks=tuple(renumber(c, mapping) for c in col.blocks)) for col in new.columns))
    return new
