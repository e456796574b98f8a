"""QR codes for URLs with segno: inline SVG for HTML/PDF, PNG bytes for PPTX (deterministic)."""

from __future__ import annotations

import io

import segno

# Level M survives a smudged projector or a phone at an angle and keeps the code small.
_ERROR_LEVEL = "m"


def _make(url: str) -> segno.QRCode:
    # micro=False: Micro QR codes are not read by most phone cameras.
    return segno.make(url, error=_ERROR_LEVEL, micro=False, boost_error=False)


def qr_svg(url: str, dark: str = "#000000", light: str = "#ffffff", css_class: str = "dw-qr") -> str:
    """An inline <svg> (no XML declaration, sized by its viewBox) encoding `url`.

    The URL is also the SVG's <title>, escaped by segno, so screen readers announce it.
    """
    out = io.BytesIO()
    _make(url).save(out, kind="svg", xmldecl=False, svgns=True, omitsize=True, title=url,
                    dark=dark, light=light, svgclass=css_class, lineclass=None, nl=False)
    return out.getvalue().decode("utf-8")


def qr_png(url: str, scale: int = 10, dark: str = "#000000", light: str = "#ffffff") -> bytes:
    """PNG bytes encoding `url`, `scale` pixels per module, with the standard quiet zone."""
    out = io.BytesIO()
    _make(url).save(out, kind="png", scale=scale, dark=dark, light=light)
    return out.getvalue()


def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The code's modules, rows top to bottom, True for dark; without the quiet zone."""
    return tuple(tuple(bool(m) for m in row) for row in _make(url).matrix)
