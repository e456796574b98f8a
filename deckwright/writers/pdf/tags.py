"""The PDF's structure tree: fpdf2's builder, with nesting (Table/TR/TD, L/LI) and MCIDs counted per page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any


def structure_builder(pdf: Any) -> Any:
    """A structure tree builder for `pdf` (an fpdf2 FPDF).

    fpdf2's own builder puts every element directly under /Document and recounts all elements
    for each new marked-content id (quadratic: 1 s at 400 slides). This one keeps a stack of open
    grouping elements (a table, its rows, a list) that new elements go under, and counts ids per
    page. fpdf2 gives /Pg only to /Document's children; nested elements get their page here
    (fpdf2's page objects are the ones it writes).
    """
    # fpdf2 is imported when a PDF is drawn, not when the writer is (a cached build needs none of it).
    from fpdf.structure_tree import StructureTreeBuilder

    class Builder(_Nesting, StructureTreeBuilder):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self._pdf = pdf
            self.mcids = Counter()
            self.open = [self.doc_struct_elem]

    return Builder()


class _Nesting:
    """What the builder adds to fpdf2's StructureTreeBuilder (whose attributes it uses: the
    /Document element, the tree root with its parent tree, the structure parents id per page)."""

    _pdf: Any
    mcids: Counter[int]
    open: list[Any]  # the open grouping elements, /Document first
    doc_struct_elem: Any
    struct_tree_root: Any
    spid_per_page_number: dict[int, int]

    def next_mcid_for_page(self, page_number: int) -> int:
        return self.mcids[page_number]

    def add_marked_content(self, page_number: int, struct_type: str, mcid: int | None = None,
                           title: str | None = None, alt_text: str | None = None) -> tuple[Any, int]:
        from fpdf.structure_tree import StructElem

        parent = self.open[-1]
        element = StructElem(struct_type=struct_type, parent=parent, kids=[] if mcid is None else [mcid],
                             page_number=page_number, title=title, alt=alt_text)
        if parent is not self.doc_struct_elem:
            element.pg = self._pdf.pages[page_number]
        parent.k.append(element)
        return element, self._record(page_number, element, mcid)

    def extend(self, element: Any, page_number: int) -> int:
        """One more marked-content sequence for `element` (a list item's next paragraph)."""
        mcid = self.mcids[page_number]
        element.k.append(mcid)
        self._record(page_number, element, mcid)
        self._pdf.pages[page_number].struct_parents = self.spid_per_page_number[page_number]
        return mcid

    def _record(self, page_number: int, element: Any, mcid: int | None) -> int:
        spid = self.spid_per_page_number.setdefault(page_number, len(self.spid_per_page_number))
        if mcid is not None:
            self.mcids[page_number] += 1
            # The parent tree lists, per page, the element of each MCID in order.
            self.struct_tree_root.parent_tree.nums[spid].append(element)
        return spid

    def begin(self, struct_type: str, page_number: int, under: Any = None) -> Any:
        """Open a grouping element (no content of its own) under the current one, or under
        `under` (a list nested in a list item goes inside that item)."""
        if under is not None:
            self.open.append(under)
        element, _ = self.add_marked_content(page_number, struct_type)
        if under is not None:
            self.open.pop()
        self.open.append(element)
        return element

    def end(self) -> None:
        self.open.pop()

    def __iter__(self) -> Iterator[Any]:
        yield self.struct_tree_root
        yield self.doc_struct_elem
        yield self.struct_tree_root.parent_tree
        yield from _descendants(self.doc_struct_elem)


def _descendants(element: Any) -> Iterator[Any]:
    for kid in element.k:
        if not isinstance(kid, int):
            yield kid
            yield from _descendants(kid)
