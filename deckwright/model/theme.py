"""Theme tokens (size, colours, fonts, type scale, spacing) loaded from theme.yaml and validated."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from deckwright.diagnostics import Diagnostic, SourceRef, display_path, error, has_errors
from deckwright.support.memo import freeze
from deckwright.support.packaged import THEMES_DIR
from deckwright.support.paths import (
    MAX_DECK_BYTES,
    MAX_FONT_BYTES,
    MAX_IMAGE_BYTES,
    MAX_TEXT_BYTES,
    inside,
    unreadable,
)
from deckwright.support.yamlsafe import YamlMap, key_line, load_yaml

COLOR_KEYS = (
    "background", "text", "heading", "accent", "muted", "link", "code_background", "code_text",
    "inline_code_background", "quote_border", "table_header_background", "table_header_text",
    "table_stripe", "table_border", "table_highlight", "section_background", "section_text",
    "title_background", "title_text",
)
FONT_ROLES = ("body", "heading", "code")
FONT_KEYS = ("family", "pptx", "fallback", "regular", "bold", "italic", "bold_italic")
# `fonts.math` is optional: one file with an OpenType MATH table (None: STIX Two Math for HTML and
# PDF, Cambria Math, PowerPoint's own, in PPTX).
MATH_FONT_KEYS = ("family", "pptx", "regular")
SIZE_KEYS = (
    "title", "title_slide", "subtitle", "section", "body", "body_min", "code", "code_min",
    "table", "table_min", "footer", "line_height",
)
SPACING_KEYS = (
    "margin_x", "margin_top", "margin_bottom", "title_height", "gap", "column_gap", "indent",
)
TOP_KEYS = ("name", "size", "colors", "fonts", "sizes", "spacing", "code", "footer", "reference_pptx")
_COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


@dataclass(frozen=True, slots=True)
class FontSpec:
    family: str
    pptx: str
    fallback: str
    # Absolute paths of the font files, by face: regular, bold, italic, bold_italic.
    files: dict[str, Path]

    def file(self, bold: bool = False, italic: bool = False) -> Path:
        face = {(False, False): "regular", (True, False): "bold",
                (False, True): "italic", (True, True): "bold_italic"}[(bold, italic)]
        return self.files[face]


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    directory: Path
    width: int
    height: int
    colors: dict[str, str]
    fonts: dict[str, FontSpec]
    sizes: dict[str, float]
    spacing: dict[str, float]
    pygments_style: str = "friendly"
    footer_text: str = ""
    slide_numbers: bool = True
    logo: Path | None = None
    reference_pptx: Path | None = None
    math_font: FontSpec | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # A theme is a value: layout caches its measurements by theme, so equal themes hash equal.
    # The hash is computed once; a theme is never changed after it is made.
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fonts = tuple((role, spec.family, spec.pptx, spec.fallback, tuple(sorted(spec.files.items())))
                      for role, spec in sorted(self.fonts.items()))
        if self.math_font is not None:
            m = self.math_font
            fonts += (("math", m.family, m.pptx, m.fallback, tuple(sorted(m.files.items()))),)
        key = (self.name, self.directory, self.width, self.height, tuple(sorted(self.colors.items())), fonts,
               tuple(sorted(self.sizes.items())), tuple(sorted(self.spacing.items())), self.pygments_style,
               self.footer_text, self.slide_numbers, self.logo, self.reference_pptx, freeze(self.extra))
        object.__setattr__(self, "_hash", hash(key))

    def __hash__(self) -> int:
        return self._hash

    def color(self, key: str) -> str:
        """A colour as six hex digits with '#', expanding the #rgb short form."""
        value = self.colors[key]
        if len(value) == 4:
            value = "#" + "".join(c * 2 for c in value[1:])
        return value.lower()


def theme_dir(root: Path, name: str) -> Path:
    """The project's themes/<name>/ if it has a theme.yaml, else the one packaged with deckwright.

    A theme.yaml that is there but no regular file (a pipe, a dangling link) still picks the
    project's theme: loading it reports why it cannot be read, rather than using another theme.
    """
    local = root / "themes" / name / "theme.yaml"
    if local.exists() or local.is_symlink():
        return local.parent
    return THEMES_DIR / name


def load_theme(root: Path, name: str, ref: SourceRef | None,
               allow_dirs: tuple[Path, ...] = ()) -> tuple[Theme | None, list[Diagnostic]]:
    """Load and validate themes/<name>/theme.yaml; report every problem at once.

    Its files are read by the one read rule: inside the project or an --allow-dir folder (the
    packaged theme's own folder too), regular files within their size limit.
    """
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name) or name.startswith("."):
        return None, [error(ref, f"invalid theme name {name!r}")]
    directory = theme_dir(root, name)
    path = directory / "theme.yaml"
    if not (path.exists() or path.is_symlink()):
        return None, [error(ref, f"unknown theme {name!r} (no themes/{name}/theme.yaml)")]
    allowed = (root.resolve(), *(d.resolve() for d in allow_dirs))
    packaged = directory == THEMES_DIR / name
    shown = display_path(path, root) if packaged else f"themes/{name}/theme.yaml"
    if not packaged and not inside(path, *allowed):
        how = "theme folder" if not inside(directory, *allowed) else "theme.yaml"
        return None, [error(SourceRef(shown, 1), f"the {how} is a symlink to outside the project "
                                                 "(use --allow-dir to allow a folder)")]
    problem = unreadable(path, MAX_TEXT_BYTES)
    if problem is not None:
        return None, [error(SourceRef(shown, 1), f"cannot read theme: it {problem}")]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [error(SourceRef(shown, 1), f"cannot read theme: {exc}")]
    data, diags = load_yaml(text, shown)
    if has_errors(diags):
        return None, diags
    theme, theme_diags = _build_theme(data, directory, shown,
                                      (*allowed, directory.resolve()) if packaged else allowed)
    return theme, diags + theme_diags


def _build_theme(
    data: Any, directory: Path, shown: str, allowed: tuple[Path, ...]
) -> tuple[Theme | None, list[Diagnostic]]:
    if not isinstance(data, YamlMap):
        return None, [error(SourceRef(shown, 1), "theme.yaml must be a mapping")]
    check = _Check(data, shown)
    for k in data:
        if k not in TOP_KEYS:
            check.error(check.at(data, k), f"unknown key '{k}'")
    size = check.section("size", ("width", "height"))
    colors = check.colors()
    sizes = check.section("sizes", SIZE_KEYS)
    spacing = check.section("spacing", SPACING_KEYS)
    check.positive(((sizes, "sizes"), (spacing, "spacing"), (size, "size")))
    check.slide_size(size)
    fonts_map = check.section("fonts", (*FONT_ROLES, "math"), required=False)
    if "fonts" not in data:
        check.error(SourceRef(shown, 1), "theme is missing 'fonts'")
    fonts = {role: spec for role in FONT_ROLES
             if (spec := check.font(fonts_map, role, directory, allowed)) is not None}
    math_font = check.math_font(fonts_map, directory, allowed)
    code = data.get("code") or {}
    style = str(code.get("pygments_style", "friendly")) if isinstance(code, dict) else "friendly"
    footer = check.footer()
    logo = check.file(footer, "logo", ("logo", MAX_IMAGE_BYTES), directory, allowed)
    reference = check.file(data, "reference_pptx", ("reference .pptx", MAX_DECK_BYTES), directory, allowed)
    if check.diags:
        return None, check.diags
    return Theme(
        name=str(data.get("name", directory.name)),
        directory=directory,
        width=int(size["width"]),
        height=int(size["height"]),
        colors={k: str(v) for k, v in colors.items()},
        fonts=fonts,
        sizes={k: float(v) for k, v in sizes.items()},
        spacing={k: float(v) for k, v in spacing.items()},
        pygments_style=style,
        footer_text=str(footer.get("text", "") or ""),
        slide_numbers=bool(footer.get("slide_numbers", True)),
        logo=logo,
        reference_pptx=reference,
        math_font=math_font,
    ), []


class _Check:
    """theme.yaml's parts checked one by one; every problem is kept, so all are reported at once."""

    def __init__(self, data: YamlMap, shown: str) -> None:
        self.data, self.shown = data, shown
        self.diags: list[Diagnostic] = []

    def error(self, ref: SourceRef, message: str) -> None:
        self.diags.append(error(ref, message))

    def at(self, mapping: Any, key: str) -> SourceRef:
        return SourceRef(self.shown, key_line(mapping, key, 1))

    def section(self, key: str, allowed: tuple[str, ...], required: bool = True) -> YamlMap:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(SourceRef(self.shown, 1), f"theme is missing '{key}'")
            return YamlMap()
        if not isinstance(value, YamlMap):
            self.error(self.at(self.data, key), f"'{key}' must be a mapping")
            return YamlMap()
        for k in value:
            if k not in allowed:
                self.error(self.at(value, k), f"unknown key '{key}.{k}'")
        if required:
            for k in allowed:
                if k not in value:
                    self.error(SourceRef(self.shown, value.line), f"'{key}' is missing '{k}'")
        return value

    def colors(self) -> YamlMap:
        colors = self.section("colors", COLOR_KEYS)
        for k, v in colors.items():
            if not isinstance(v, str) or not _COLOR_RE.match(v):
                self.error(self.at(colors, k), f"colour '{k}' must be #rgb or #rrggbb, not {v!r}")
        return colors

    def positive(self, mappings: tuple[tuple[YamlMap, str], ...]) -> None:
        for mapping, label in mappings:
            for k, v in mapping.items():
                # `.nan` passes `v <= 0` and `.inf` too: both crashed the writers.
                if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v <= MAX_THEME_NUMBER:
                    self.error(self.at(mapping, k), f"'{label}.{k}' must be a positive number up to "
                                                    f"{MAX_THEME_NUMBER:,}, not {_shown(v)}")

    def slide_size(self, size: YamlMap) -> None:
        for k in ("width", "height"):
            v = size.get(k)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v <= MAX_THEME_NUMBER \
                    and not SLIDE_PX[0] <= v <= SLIDE_PX[1]:
                self.error(self.at(size, k), f"'size.{k}' must be from {SLIDE_PX[0]} to {SLIDE_PX[1]} px "
                                             f"(PowerPoint's 1 to 56 inches), not {_shown(v)}")

    def font(self, fonts_map: YamlMap, role: str, directory: Path,
             allowed: tuple[Path, ...]) -> FontSpec | None:
        spec = fonts_map.get(role)
        if not isinstance(spec, YamlMap):
            self.error(self.at(fonts_map, role) if role in fonts_map else SourceRef(self.shown, 1),
                       f"'fonts.{role}' must be a mapping")
            return None
        for k in spec:
            if k not in FONT_KEYS:
                self.error(self.at(spec, k), f"unknown key 'fonts.{role}.{k}'")
        files: dict[str, Path] = {}
        for face in ("regular", "bold", "italic", "bold_italic"):
            rel = spec.get(face) or spec.get("regular")
            if not isinstance(rel, str):
                self.error(SourceRef(self.shown, spec.line), f"'fonts.{role}' needs a '{face}' file")
                continue
            file = (directory / rel).resolve()
            problem = _font_problem(file, allowed)
            if problem is not None:
                self.error(self.at(spec, face if face in spec else "regular"), f"font file {rel}: {problem}")
            files[face] = file
        family = str(spec.get("family", ""))
        if not family:
            self.error(SourceRef(self.shown, spec.line), f"'fonts.{role}' needs a 'family'")
        return FontSpec(family=family, pptx=str(spec.get("pptx") or family),
                        fallback=str(spec.get("fallback", "sans-serif")), files=files)

    def math_font(self, fonts_map: YamlMap, directory: Path, allowed: tuple[Path, ...]) -> FontSpec | None:
        """`fonts.math`: a family name and one font file that has a MATH table (formulas need it)."""
        if "math" not in fonts_map:
            return None
        spec = fonts_map["math"]
        if not isinstance(spec, YamlMap):
            self.error(self.at(fonts_map, "math"), "'fonts.math' must be a mapping")
            return None
        for k in spec:
            if k not in MATH_FONT_KEYS:
                self.error(self.at(spec, k), f"unknown key 'fonts.math.{k}'")
        family, rel = spec.get("family"), spec.get("regular")
        if not isinstance(family, str) or not family:
            self.error(SourceRef(self.shown, spec.line), "'fonts.math' needs a 'family'")
        if not isinstance(rel, str) or not rel:
            self.error(SourceRef(self.shown, spec.line), "'fonts.math' needs a 'regular' file")
            return None
        file = (directory / rel).resolve()
        problem = _font_problem(file, allowed) or _no_math_table(file)
        if problem is not None:
            self.error(self.at(spec, "regular"), f"font file {rel}: {problem}")
        pptx = spec.get("pptx")
        faces = dict.fromkeys(("regular", "bold", "italic", "bold_italic"), file)
        return FontSpec(family=str(family or ""), pptx=str(pptx or family), fallback="math", files=faces)

    def footer(self) -> dict[str, Any]:
        footer = self.data.get("footer") or {}
        if not isinstance(footer, dict):
            self.error(self.at(self.data, "footer"), "'footer' must be a mapping")
            return {}
        return footer

    def file(self, mapping: dict[str, Any], key: str, kind: tuple[str, int], directory: Path,
             allowed: tuple[Path, ...]) -> Path | None:
        """A file the theme names (`footer.logo`, `reference_pptx`), or None (an error if unusable)."""
        if not mapping.get(key):
            return None
        what, limit = kind
        found, problem = _theme_file(str(mapping[key]), directory, allowed, limit)
        if problem == "not found":
            self.error(self.at(mapping, key), f"{what} not found: {mapping[key]}")
        elif problem is not None:
            self.error(self.at(mapping, key), f"{what} {mapping[key]}: {problem}")
        return found


# The first bytes of the font files deckwright can measure and embed (TrueType, OpenType,
# collections, WOFF and WOFF2).
_FONT_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf", b"wOFF", b"wOF2")
# Sizes and spacing are pixels on the slide (line_height a factor): past this, a typo.
MAX_THEME_NUMBER = 10_000
# PowerPoint's slide size: 1 to 56 inches (914,400 to 51,206,400 EMU) at 96 px an inch.
SLIDE_PX = (96, 5376)


def _font_problem(file: Path, allowed: tuple[Path, ...]) -> str | None:
    """Why a theme's font file cannot be used: outside the theme and the project, not a regular
    file, too big, or not a font (every writer opens it: better said here, at its line)."""
    if not inside(file, *allowed):
        return "is outside the project (use --allow-dir to allow a folder)"
    problem = unreadable(file, MAX_FONT_BYTES)
    if problem is not None:
        return problem
    try:
        with file.open("rb") as handle:
            head = handle.read(12)
            if head[:4] not in _FONT_MAGIC:
                return "is not a TrueType or OpenType font"
            return _cut_short(handle, head, file.stat().st_size)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"


def _no_math_table(file: Path) -> str | None:
    """Why a font cannot typeset formulas: it has no OpenType MATH table (its layout constants)."""
    try:
        with file.open("rb") as handle:
            head = handle.read(12)
            if head[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
                return "must be a TrueType or OpenType file (.ttf or .otf) with a MATH table"
            records = handle.read(16 * int.from_bytes(head[4:6], "big"))
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    tags = {records[i:i + 4] for i in range(0, len(records), 16)}
    if b"MATH" in tags:
        return None
    return "has no MATH table, so it cannot typeset formulas (STIX Two Math and Latin Modern Math have one)"


def _cut_short(handle: BinaryIO, head: bytes, size: int) -> str | None:
    """Why a font whose header is right is still unusable: its tables run past the end of the file.

    A truncated font passed the header check and crashed the PDF writer's subsetter; the table
    directory says where every table ends, so this costs one small read.
    """
    if head[:4] in (b"wOFF", b"wOF2"):
        declared = int.from_bytes(head[8:12], "big")  # WOFF/WOFF2: the whole file's length
        return None if declared == size else f"is cut short ({size:,} of its {declared:,} bytes)"
    if head[:4] == b"ttcf":
        return None  # a collection: each font's directory is elsewhere (fontTools checks it)
    tables = int.from_bytes(head[4:6], "big")
    records = handle.read(16 * tables)
    if len(records) < 16 * tables:
        return "is cut short (its table directory is incomplete)"
    end = max((int.from_bytes(records[i + 8:i + 12], "big") + int.from_bytes(records[i + 12:i + 16], "big")
               for i in range(0, 16 * tables, 16)), default=0)
    return None if end <= size else f"is cut short ({size:,} bytes; its tables need {end:,})"


def _theme_file(rel: str, directory: Path, allowed: tuple[Path, ...],
                limit: int) -> tuple[Path | None, str | None]:
    """A file named by the theme, looked up in the theme folder, then in the project (the first
    that is there), and why it cannot be used, if it cannot."""
    for base in (directory, allowed[0]):
        candidate = base / rel
        if not (candidate.exists() or candidate.is_symlink()):
            continue
        if not inside(candidate, *allowed):
            return None, "is outside the project (use --allow-dir to allow a folder)"
        problem = unreadable(candidate, limit)
        return (None, problem) if problem is not None else (candidate.resolve(), None)
    return None, "not found"


def _shown(value: object) -> str:
    """A value as an error shows it: a 400-digit number is cut, not printed whole."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:20]}…({len(text):,} characters)"
