"""Checking a theme: finite numbers in range, a slide size PowerPoint takes, fonts that are whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from testkit import REPO, messages

from deckwright.diagnostics import SourceRef
from deckwright.model.theme import load_theme

DEFAULT = REPO / "deckwright" / "themes" / "default"


def theme_project(tmp_path: Path, edit: tuple[str, str] = ("", "")) -> Path:
    """A project whose theme `mine` is the default theme with one text replaced."""
    root = tmp_path / "project"
    shutil.copytree(DEFAULT, root / "themes" / "mine")
    yaml = root / "themes" / "mine" / "theme.yaml"
    text = yaml.read_text(encoding="utf-8").replace("name: default", "name: mine")
    assert edit[0] in text
    yaml.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    return root


def problems(root: Path) -> list[str]:
    theme, diags = load_theme(root, "mine", SourceRef("slides/01.md", 1))
    assert (theme is None) == bool(diags)
    return [m.split(": error: ", 1)[1] for m in messages(diags)]


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", "100000", "0", "-3", "big", "9" * 400])
def test_a_size_that_is_not_a_finite_positive_number_in_range_is_an_error(tmp_path: Path, value: str) -> None:
    # `.nan`, `.inf` and 400 digits passed the old `v <= 0` check, then crashed int() or float().
    root = theme_project(tmp_path, ("body: 28", f"body: {value}"))
    shown = {".nan": "nan", ".inf": "inf", "-.inf": "-inf", "big": "'big'",
             "9" * 400: "99999999999999999999…(400 characters)"}.get(value, value)
    assert problems(root) == [f"'sizes.body' must be a positive number up to 10,000, not {shown}"]


@pytest.mark.parametrize(("size", "bad"), [("{width: 50, height: 720}", "width: 50"),
                                           ("{width: 1280, height: 9000}", "height: 9000")])
def test_a_slide_size_powerpoint_cannot_open_is_an_error(tmp_path: Path, size: str, bad: str) -> None:
    root = theme_project(tmp_path, ("size: {width: 1280, height: 720}", f"size: {size}"))
    key, value = bad.split(": ")
    assert problems(root) == [f"'size.{key}' must be from 96 to 5376 px (PowerPoint's 1 to 56 inches), "
                              f"not {value}"]


def test_a_font_cut_short_is_an_error_at_its_line_not_a_pdf_writer_crash(tmp_path: Path) -> None:
    root = theme_project(tmp_path)
    font = root / "themes" / "mine" / "fonts" / "LiberationSans-Regular.ttf"
    font.write_bytes(font.read_bytes()[:5000])
    [problem] = problems(root)
    assert problem.startswith("font file fonts/LiberationSans-Regular.ttf: is cut short (5,000 bytes; its "
                              "tables need ")


def test_a_woff_cut_short_is_an_error_too(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    root = theme_project(tmp_path)
    fonts = root / "themes" / "mine" / "fonts"
    woff = TTFont(str(fonts / "LiberationSans-Regular.ttf"))
    woff.flavor = "woff"
    woff.save(str(fonts / "body.woff"))
    whole = (fonts / "body.woff").read_bytes()
    (fonts / "body.woff").write_bytes(whole[: len(whole) // 2])
    yaml = root / "themes" / "mine" / "theme.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("fonts/LiberationSans-Regular.ttf",
                                                             "fonts/body.woff", 1), encoding="utf-8")
    assert problems(root) == [f"font file fonts/body.woff: is cut short ({len(whole) // 2:,} of its "
                              f"{len(whole):,} bytes)"]


def test_the_default_theme_passes(tmp_path: Path) -> None:
    assert problems(theme_project(tmp_path)) == []


def _with_math_font(tmp_path: Path, entry: str, font: Path | None = None) -> Path:
    root = theme_project(tmp_path, ("fonts:\n", "fonts:\n" + entry))
    if font is not None:
        shutil.copy(font, root / "themes" / "mine" / "fonts" / font.name)
    return root


def test_fonts_math_names_a_font_with_a_math_table_for_every_output(tmp_path: Path) -> None:
    from deckwright.layout.math import _default_font

    stix = _default_font()
    assert stix is not None
    root = _with_math_font(tmp_path, "  math:\n    family: STIX Two Math\n    pptx: Cambria Math\n"
                                     f"    regular: fonts/{stix.name}\n", stix)
    theme, diags = load_theme(root, "mine", SourceRef("slides/01.md", 1))
    assert diags == [] and theme is not None and theme.math_font is not None
    assert (theme.math_font.family, theme.math_font.pptx) == ("STIX Two Math", "Cambria Math")
    assert theme.math_font.file() == root / "themes" / "mine" / "fonts" / stix.name
    # Part of the theme's value: layout caches measurements by theme.
    plain, _ = load_theme(theme_project(tmp_path / "plain"), "mine", None)
    assert plain is not None and plain.math_font is None and hash(plain) != hash(theme)


def test_a_math_font_without_a_math_table_is_an_error_at_its_line(tmp_path: Path) -> None:
    root = _with_math_font(tmp_path, "  math:\n    family: Liberation Sans\n"
                                     "    regular: fonts/LiberationSans-Regular.ttf\n    size: 3\n")
    assert problems(root) == [
        "unknown key 'fonts.math.size'",
        "font file fonts/LiberationSans-Regular.ttf: has no MATH table, so it cannot typeset formulas "
        "(STIX Two Math and Latin Modern Math have one)"]
    assert problems(_with_math_font(tmp_path / "b", "  math: STIX\n")) == ["'fonts.math' must be a mapping"]
    assert problems(_with_math_font(tmp_path / "c", "  math:\n    family: X\n")) == [
        "'fonts.math' needs a 'regular' file"]
