"""SVG and image bombs are refused at their line, fast, by limits their errors name."""

from __future__ import annotations

import contextlib
import struct
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image as PILImage

from deckwright.diagnostics import SourceRef
from deckwright.writers.common.images import load_picture
from deckwright.writers.common.svglimits import MAX_SVG_ELEMENTS, svg_length_px, svg_problem

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" {}>{}</svg>'
REF = SourceRef("slides/a.md", 7)
BOUND = 20.0  # seconds: each of these took 25 to 40 s (or all the memory) before the limits


def use_bomb() -> str:
    levels = ['<g id="l0"><rect width="1" height="1"/></g>']
    levels += [f'<g id="l{i}">' + f'<use href="#l{i - 1}"/>' * 10 + "</g>" for i in range(1, 10)]
    return SVG.format('width="100" height="100"', "<defs>" + "".join(levels) + '</defs><use href="#l9"/>')


def pattern_bomb() -> str:
    patterns = '<pattern id="p0" width="1" height="1"><rect width="1" height="1"/></pattern>'
    patterns += "".join(f'<pattern id="p{i}" width="2" height="2">' + f'<rect fill="url(#p{i - 1})"/>' * 20
                        + "</pattern>" for i in range(1, 6))
    return SVG.format('width="100" height="100"', f'<defs>{patterns}</defs><rect fill="url(#p5)"/>')


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
          + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))
          + ']><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&j;</text></svg>')
REFUSED = {
    "use": (use_bomb(), "elements (after <use> and other references are expanded, 4 characters of text "
                        f"counted as one) exceeds the limit of {MAX_SVG_ELEMENTS:,}"),
    "pattern": (pattern_bomb(), f"exceeds the limit of {MAX_SVG_ELEMENTS:,}"),
    "flat": (SVG.format('width="10" height="10"', '<rect width="1" height="1"/>' * 60_000),
             f"exceeds the limit of {MAX_SVG_ELEMENTS:,}"),
    "text": (SVG.format('width="10" height="10"', "<text>Hello world, hello!</text>" * 10_000),
             f"exceeds the limit of {MAX_SVG_ELEMENTS:,}"),
    "inches": (SVG.format('width="300in" height="300in"', '<rect width="1" height="1"/>'),
               "size 300in × 300in (829,440,000 pixels at 96 per inch) exceeds the limit of "
               "80,000,000 pixels"),
    "pixels": (SVG.format('width="100000" height="2000"', ""), "exceeds the limit of 80,000,000 pixels"),
    "laughs": (LAUGHS, "Maximum entity amplification factor exceeded"),
    "entity": ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "x">]>'
               '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&a;</text></svg>',
               "declares XML entities"),
    "cycle": (SVG.format('width="10" height="10"',
                         '<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>'),
              "element 'a' refers to itself"),
    "deep": (SVG.format('width="10" height="10"', "<g>" * 5000 + "</g>" * 5000), "Excessive depth"),
    "deep-references": (SVG.format('width="10" height="10"', "".join(
        f'<g id="g{i}"><use href="#g{i + 1}"/></g>' for i in range(300))), "exceeds the limit of 256 levels"),
}


def _timed(load: Callable[[], tuple[object, list[object]]]) -> tuple[object, list[str], float]:
    start = time.monotonic()
    picture, diags = load()
    return picture, [str(d) for d in diags], time.monotonic() - start


@pytest.mark.parametrize("raster", [True, False], ids=["png-fallback", "vector"])
@pytest.mark.parametrize("name", list(REFUSED))
def test_svg_bombs_are_refused_fast_naming_the_limit(tmp_path: Path, name: str, raster: bool) -> None:
    svg, expected = REFUSED[name]
    path = tmp_path / "image.svg"
    path.write_text(svg, encoding="utf-8")
    picture, diags, took = _timed(lambda: load_picture(path, REF, svg_raster=raster))
    assert picture is None and took < BOUND
    prefix = "cannot read SVG image image.svg: " if name in ("laughs", "deep") else "image.svg: "
    assert len(diags) == 1 and diags[0].startswith("slides/a.md:7: error: " + prefix)
    assert expected in diags[0]


@pytest.mark.parametrize("svg", [
    SVG.format('width="10" height="10"',
               '<g id="a"><rect width="1" height="1"/></g>' + '<use href="#a"/>' * 500),
    SVG.format('width="10" height="10" viewBox="0 0 1e9 1e9"', '<rect width="1e9" height="1e9"/>'),
    SVG.format('viewBox="0 0 500000 300000"', '<rect width="1000" height="1000"/>'),
    SVG.format('width="20cm" height="10cm"', '<rect width="1" height="1" stroke-width="1e9" stroke="red"/>'),
    SVG.format('width="10" height="10"', "<g>" * 200 + "</g>" * 200),
])
def test_ordinary_svgs_are_under_the_limits(svg: str) -> None:
    assert svg_problem(svg.encode()) is None


def test_lengths_in_absolute_units_are_css_pixels() -> None:
    assert [svg_length_px(v) for v in ("10", "10px", "1in", "2.54cm", "72pt", "1pc", "1e2", "10%", "1em")] \
        == [10, 10, 96, pytest.approx(96), 96, 16, 100, None, None]


def test_an_svg_naming_outside_files_fetches_none_of_them(tmp_path: Path) -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    connected: list[object] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            connected.append(listener.accept())

    thread = threading.Thread(target=accept)
    thread.start()
    path = tmp_path / "image.svg"
    path.write_text(SVG.format('width="10" height="10"',
                               f'<image href="http://127.0.0.1:{port}/x.png" width="5" height="5"/><use xlink:href="http://127.0.0.1:{port}/y.svg#a"/>'
                               f'<rect fill="url(http://127.0.0.1:{port}/z.svg#p)" width="5" height="5"/>'))
    for raster in (True, False):
        load_picture(path, REF, svg_raster=raster)
    thread.join()
    listener.close()
    assert connected == []


def test_raster_bombs_are_refused_fast(tmp_path: Path) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    png = tmp_path / "bomb.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 100))
                    + chunk(b"IEND", b""))
    picture, diags, took = _timed(lambda: load_picture(png, REF))
    assert picture is None and took < BOUND
    assert diags == ["slides/a.md:7: error: bomb.png: its size (10,000,000,000 pixels) exceeds the limit of "
                     "80,000,000 pixels"]
    PILImage.new("1", (12_000, 8_000)).save(png)  # past the limit, not past Pillow's own
    picture, diags, took = _timed(lambda: load_picture(png, REF))
    assert picture is None and took < BOUND
    assert diags == ["slides/a.md:7: error: bomb.png: its size (12000×8000 pixels) exceeds the limit of "
                     "80,000,000 pixels"]
    frames = [PILImage.new("P", (32, 32), i % 256) for i in range(10_000)]
    gif = tmp_path / "frames.gif"
    frames[0].save(gif, save_all=True, append_images=frames[1:], duration=10)
    picture, diags, took = _timed(lambda: load_picture(gif, REF))
    assert picture is not None and diags == [] and took < BOUND
