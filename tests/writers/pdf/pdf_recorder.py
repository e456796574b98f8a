"""A recording stand-in for fpdf2's FPDF, for the PDF drawing tests: what is drawn, in order."""

from __future__ import annotations

from typing import Any


class Widths:
    def get_text_width(self, text: str, size: float, shaping: object) -> tuple[int, float]:
        return len(text), len(text) * size * 0.5


class Recorder:
    """Just enough of fpdf2's FPDF to watch what the painter draws, in order."""

    page = 1
    current_font = Widths()

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.struct_builder = self

    def next_mcid_for_page(self, page: int) -> int:
        return 0

    def _add_marked_content(self, **kwargs: Any) -> None:
        self.calls.append(("tag", (kwargs.get("struct_type"),)))

    def __getattr__(self, name: str) -> Any:
        def record(*args: Any, **kwargs: Any) -> None:
            self.calls.append((name, args))
        return record
