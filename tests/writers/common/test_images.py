"""Pictures: an image that would unpack to gigabytes is refused at its line, quickly."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

from deckwright.diagnostics import SourceRef
from deckwright.writers.common.images import MAX_SVG_BYTES, load_picture

REF = SourceRef("slides/01.md", 3)


def test_an_svgz_that_unpacks_past_the_limit_is_refused_quickly(tmp_path: Path) -> None:
    head = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    body = head + b" " * (200 * 2**20) + b"</svg>"
    bomb = tmp_path / "bomb.svgz"
    bomb.write_bytes(gzip.compress(body, compresslevel=9))
    assert bomb.stat().st_size < 1_000_000
    start = time.perf_counter()
    picture, diags = load_picture(bomb, REF)
    assert time.perf_counter() - start < 20
    assert picture is None
    assert [str(d) for d in diags] == [f"slides/01.md:3: error: image bomb.svgz is refused: it unpacks to "
                                       f"more than {MAX_SVG_BYTES // 2**20} MB of SVG"]


def test_a_small_svgz_is_read(tmp_path: Path) -> None:
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
           b'<rect width="40" height="20"/></svg>')
    small = tmp_path / "small.svgz"
    small.write_bytes(gzip.compress(svg))
    picture, diags = load_picture(small, REF)
    assert diags == [] and picture is not None and picture.svg == svg
    assert abs(picture.width / picture.height - 2) < 0.01


def test_a_damaged_svgz_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.svgz"
    broken.write_bytes(gzip.compress(b"<svg></svg>")[:-12])
    picture, diags = load_picture(broken, REF)
    assert picture is None and len(diags) == 1 and diags[0].is_error
