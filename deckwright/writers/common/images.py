"""Images for the PPTX and PDF writers: checked, converted where needed, SVG with a PNG fallback."""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from deckwright.diagnostics import Diagnostic, SourceRef, display_path, error, warning
from deckwright.model.deck import Block, Columns, Deck, Image, ListBlock, QRCode, Quote, Table
from deckwright.model.theme import Theme
from deckwright.support.diskcache import (
    NO_CACHE,
    DiskCache,
    key_of,
    library_stamp,
    project_cache,
    source_stamp,
)
from deckwright.support.paths import MAX_IMAGE_BYTES, unreadable
from deckwright.writers.common.svg import svg_size_px
from deckwright.writers.common.svglimits import parse_svg, svg_length_px, svg_problem

# Pillow format -> (part extension, content type) PowerPoint shows natively.
NATIVE = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpeg", "image/jpeg"),
    "GIF": ("gif", "image/gif"),
    "BMP": ("bmp", "image/bmp"),
    "TIFF": ("tiff", "image/tiff"),
}
# Formats Pillow reads but PowerPoint 2016/2019 does not: embedded as lossless PNG.
CONVERTED = {"WEBP", "ICO", "PPM", "TGA"}
# Pixels in an SVG's PNG fallback: a little more than a whole 1280×720 slide, so it is sharp
# wherever it is placed (PowerPoint 2016+ draws the SVG itself; the PNG serves older clients and
# LibreOffice). Rendering time grows with it.
SVG_RASTER_PIXELS = 1_200_000
# Refuse decompression bombs before Pillow decodes them.
MAX_PIXELS = 80_000_000
# An SVG (after unpacking an .svgz) larger than this is refused: diagrams are kilobytes.
MAX_SVG_BYTES = 32 * 2**20


@dataclass(frozen=True, slots=True)
class Picture:
    """Bytes to embed: `blob` is what every client shows; `svg` is kept for PowerPoint 2016+."""

    blob: bytes
    ext: str
    content_type: str
    width: int
    height: int
    svg: bytes | None = None

    @property
    def aspect(self) -> float:
        return self.width / self.height if self.height else 1.0


def load_picture(path: Path, ref: SourceRef, cache: DiskCache = NO_CACHE,
                 svg_raster: bool = True) -> tuple[Picture | None, list[Diagnostic]]:
    """Read and check an image file; errors name the Markdown line that uses it.

    An SVG's PNG fallback comes from `cache` when an earlier build made it from the same bytes.
    Without `svg_raster` (the PDF draws SVG as vectors) an SVG is checked and sized by making its
    vector PDF instead, and its `blob` is empty.
    """
    problem = unreadable(path, MAX_IMAGE_BYTES)
    if problem is not None and problem != "not found":
        return None, [error(ref, f"image {path.name} {problem}")]
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [error(ref, f"image not found: {path.name}")]
    except OSError as exc:
        return None, [error(ref, f"cannot read image {path.name}: {exc.strerror or exc}")]
    if _looks_like_svg(path, data):
        return _svg(data, path, ref, cache, svg_raster)
    return _raster(data, path, ref)


def downscaled(picture: Picture, max_pixels: int) -> bytes | PILImage.Image:
    """The picture with at most `max_pixels` pixels: its own bytes when small enough, a JPEG's
    as JPEG again, anything else as a Pillow image (the PDF library compresses it itself)."""
    if picture.width * picture.height <= max_pixels or not picture.blob:
        return picture.blob
    return _downscaled(picture.blob, picture.ext, picture.width, picture.height, max_pixels)


@lru_cache(maxsize=8)
def _downscaled(blob: bytes, ext: str, width: int, height: int, max_pixels: int) -> bytes | PILImage.Image:
    scale = (max_pixels / (width * height)) ** 0.5
    size = (max(int(width * scale), 1), max(int(height * scale), 1))
    jpeg = ext in ("jpeg", "jpg")
    with PILImage.open(io.BytesIO(blob)) as img:
        if jpeg:
            img.draft("RGB", size)  # the decoder scales down by powers of two first: much faster
        # exif_transpose copies even an upright image: only turn what is turned (memory).
        turned = img.getexif().get(0x0112, 1) not in (0, 1)
        upright = ImageOps.exif_transpose(img) if turned else img
        modes = ("RGB", "L", "CMYK") if jpeg else ("RGB", "RGBA", "L", "LA")
        if upright.mode not in modes:
            upright = upright.convert("RGB" if jpeg else "RGBA")
        # reducing_gap: box-reduce by whole factors, then resample: a fraction of the time.
        smaller = upright.resize(size, PILImage.Resampling.LANCZOS, reducing_gap=3.0)
    if not jpeg:
        return smaller
    out = io.BytesIO()
    smaller.save(out, "JPEG", quality=90)
    return out.getvalue()


def _looks_like_svg(path: Path, data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return path.suffix.lower() in (".svg", ".svgz") or head.startswith(b"<svg") or (
        head.startswith(b"<?xml") and b"<svg" in data[:2048].lower())


def _too_large(path: Path, ref: SourceRef, size: str) -> list[Diagnostic]:
    return [error(ref, f"{path.name}: its size ({size} pixels) exceeds the limit of {MAX_PIXELS:,} pixels")]


def _raster(data: bytes, path: Path, ref: SourceRef) -> tuple[Picture | None, list[Diagnostic]]:
    try:
        with PILImage.open(io.BytesIO(data)) as probe:
            fmt = probe.format or ""
            if probe.width * probe.height > MAX_PIXELS:  # before verify() reads it: a bomb's header is enough
                return None, _too_large(path, ref, f"{probe.width}×{probe.height}")
            probe.verify()
        with PILImage.open(io.BytesIO(data)) as img:
            img.load()
            return _native_or_png(img, fmt, data, path, ref)
    except UnidentifiedImageError:
        return None, [error(ref, f"unsupported image type '{path.suffix or path.name}': {path.name} "
                                 "(use PNG, JPEG, GIF, BMP, TIFF, WebP or SVG)")]
    except PILImage.DecompressionBombError as exc:  # past twice Pillow's own limit: refused in open()
        found = re.search(r"\((\d+) pixels\)", str(exc))
        return None, _too_large(path, ref, f"{int(found.group(1)):,}" if found else "unknown")
    except (OSError, SyntaxError, ValueError) as exc:
        return None, [error(ref, f"cannot read image {path.name}: it is damaged or truncated ({exc})")]


def _native_or_png(img: PILImage.Image, fmt: str, data: bytes, path: Path,
                   ref: SourceRef) -> tuple[Picture | None, list[Diagnostic]]:
    # PowerPoint ignores EXIF orientation and browsers honour it: store the image upright.
    orientation = img.getexif().get(0x0112, 1) if fmt in ("JPEG", "TIFF", "PNG", "WEBP") else 1
    if fmt in NATIVE and orientation in (0, 1):
        ext, ctype = NATIVE[fmt]
        return Picture(data, ext, ctype, img.width, img.height), []
    if fmt not in NATIVE and fmt not in CONVERTED:
        return None, [error(ref, f"unsupported image type {fmt or path.suffix} in {path.name} "
                                 "(use PNG, JPEG, GIF, BMP, TIFF, WebP or SVG)")]
    upright = ImageOps.exif_transpose(img)
    out = io.BytesIO()
    if fmt == "JPEG":
        upright.save(out, format="JPEG", quality=95, optimize=False)
        ext, ctype = NATIVE["JPEG"]
    else:
        upright.save(out, format="PNG", optimize=False)
        ext, ctype = NATIVE["PNG"]
    return Picture(out.getvalue(), ext, ctype, upright.width, upright.height), []


def _gunzip(data: bytes, limit: int) -> bytes | None:
    """The gzip data unpacked, or None past `limit` bytes (a small .svgz can hold gigabytes)."""
    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = unpacker.decompress(data, limit + 1)
    return None if len(out) > limit or unpacker.unconsumed_tail else out


def _svg(data: bytes, path: Path, ref: SourceRef, cache: DiskCache,
         raster: bool = True) -> tuple[Picture | None, list[Diagnostic]]:
    if path.suffix.lower() == ".svgz":
        try:
            unpacked = _gunzip(data, MAX_SVG_BYTES)
        except (OSError, EOFError, zlib.error) as exc:
            return None, [error(ref, f"cannot read image {path.name}: {exc}")]
        if unpacked is None:
            return None, [error(ref, f"image {path.name} is refused: it unpacks to more than "
                                     f"{MAX_SVG_BYTES // 2**20} MB of SVG")]
        data = unpacked
    if len(data) > MAX_SVG_BYTES:
        return None, [error(ref, f"image {path.name} is refused: more than "
                                 f"{MAX_SVG_BYTES // 2**20} MB of SVG")]
    try:
        problem = svg_problem(data)  # before cairosvg: it takes seconds where these limits take milliseconds
        if problem is not None:
            return None, [error(ref, f"{path.name}: {problem}")]
        if raster:
            png, width, height = rasterise(data, cache)
        else:
            png, (width, height) = b"", svg_size_px(data, cache)
    except Exception as exc:  # cairosvg raises parser, value and cairo errors alike
        return None, [error(ref, f"cannot read SVG image {path.name}: {exc}")]
    if width < 1 or height < 1:
        return None, [error(ref, f"SVG image {path.name} has no size")]
    return Picture(png, "png", "image/png", width, height, svg=data), []


def rasterise(data: bytes, cache: DiskCache = NO_CACHE) -> tuple[bytes, int, int]:
    """The SVG as PNG of about SVG_RASTER_PIXELS: from the project's cache, else cairosvg's.

    cairosvg takes most of a second for a detailed diagram; the PNG it makes depends only on the
    SVG's bytes, SVG_RASTER_PIXELS (in this file's source) and the cairosvg installation.
    """
    key = key_of("svg-png", library_stamp("cairosvg"), library_stamp("cairocffi"),
                 source_stamp(__file__), data)
    stored = cache.get("svg-png", key)
    size = _png_size(stored) if stored is not None else None
    if stored is not None and size is not None:
        return stored, size[0], size[1]
    png, width, height = _rasterise(data)
    cache.put("svg-png", key, png)
    return png, width, height


def _png_size(png: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR chunk; None if it is not a whole PNG."""
    if len(png) < 33 or png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR" \
            or not png.endswith(b"IEND\xaeB`\x82"):
        return None
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


@lru_cache(maxsize=32)
def _rasterise(data: bytes) -> tuple[bytes, int, int]:
    """The SVG as PNG of about SVG_RASTER_PIXELS (cached: `watch` rebuilds reuse it)."""
    import cairosvg

    size = _svg_size(data)
    if size is None:
        # No usable width/height/viewBox: cairosvg's own size, from its vector PDF (never drawn at it).
        px_w, px_h = svg_size_px(data)
        size = (float(px_w), float(px_h))
    w, h = max(size[0], 1e-3), max(size[1], 1e-3)
    scale = (SVG_RASTER_PIXELS / (w * h)) ** 0.5
    # Without `unsafe`, cairosvg resolves no XML entities and fetches only data: URLs.
    png = cairosvg.svg2png(bytestring=data, output_width=max(round(w * scale), 1),
                           output_height=max(round(h * scale), 1))
    with PILImage.open(io.BytesIO(png)) as img:
        return png, img.width, img.height


def _svg_size(data: bytes) -> tuple[float, float] | None:
    """Intrinsic size from the root's width/height (plain or px) or its viewBox, if any."""
    try:
        root = parse_svg(data)
    except ValueError:
        return None
    width, height = (svg_length_px(root.get(k)) for k in ("width", "height"))
    if width and height:
        return width, height
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            w, h = float(box[2]), float(box[3])
        except ValueError:
            return None
        if w > 0 and h > 0:
            return w, h
    return None


def qr_picture(url: str, dark: str, light: str) -> Picture:
    """A QR code for `url` as PNG (qr.py, the same code the HTML shows as SVG)."""
    from deckwright.writers.common.qr import qr_png

    png = qr_png(url, scale=10, dark=dark, light=light)
    with PILImage.open(io.BytesIO(png)) as img:
        return Picture(png, "png", "image/png", img.width, img.height)


def shown_images(blocks: Iterable[Block]) -> Iterable[Image]:
    # Not model.iter_blocks: images inside list items are not drawn in PPTX or PDF (not_rendered warns),
    # so they must not be loaded or embedded either.
    for b in blocks:
        if isinstance(b, Image):
            yield b
        elif isinstance(b, Columns):
            for col in b.columns:
                yield from shown_images(col.blocks)
        elif isinstance(b, Quote):
            yield from shown_images(b.blocks)


def not_rendered(blocks: Iterable[Block], output: str, inside: str = "") -> list[Diagnostic]:
    """Blocks a text box cannot hold (images, tables, columns inside a list item or a quote)."""
    out: list[Diagnostic] = []
    for b in blocks:
        if inside and isinstance(b, (Image, Table, QRCode, Columns)):
            kind = {Image: "an image", Table: "a table", QRCode: "a QR code", Columns: "columns"}[type(b)]
            out.append(warning(b.ref, f"{kind} inside {inside} is not shown in the {output} output; "
                                      f"move it out of the {inside.split()[-1]}"))
        elif isinstance(b, ListBlock):
            for item in b.items:
                out.extend(not_rendered(item.children, output, "a list item"))
        elif isinstance(b, Quote):
            out.extend(not_rendered(b.blocks, output, inside or "a quote"))
        elif isinstance(b, Columns):
            for col in b.columns:
                out.extend(not_rendered(col.blocks, output, inside))
    return out


def load_pictures(deck: Deck, theme: Theme,
                  svg_raster: bool = True) -> tuple[dict[Path, Picture], list[Diagnostic]]:
    """Every image the deck uses, read once and checked (errors at the line that uses it)."""
    pictures: dict[Path, Picture] = {}
    failed: set[Path] = set()
    diags: list[Diagnostic] = []
    wanted: list[tuple[Path, SourceRef]] = []
    for slide in deck.slides:
        wanted.extend((img.path, img.ref) for img in shown_images(slide.blocks))
        if slide.background_image is not None:
            wanted.append((slide.background_image, slide.ref))
    if theme.logo is not None:
        wanted.append((theme.logo, SourceRef(display_path(theme.directory / "theme.yaml", deck.root))))
    cache = project_cache(deck.root)
    for path, ref in wanted:
        if path in pictures or path in failed:
            continue
        picture, d = load_picture(path, ref, cache, svg_raster)
        diags.extend(d)
        if picture is None:
            failed.add(path)
        else:
            pictures[path] = picture
    return pictures, diags
