"""Theme tokens (size, colours, fonts, type scale, spacing) loaded from theme.yaml and validated."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckwright.diagnostics import Diagnostic, SourceRef, display_path, error
from deckwright.support.memo import freeze
from deckwright.support.packaged import THEMES_DIR
from deckwright.support.yamlsafe import YamlMap, key_line, load_yaml

COLOR_KEYS = (
    "background", "text", "heading", "accent", "muted", "link", "code_background", "code_text",
    "inline_code_background", "quote_border", "table_header_background", "table_header_text",
    "table_stripe", "table_border", "table_highlight", "section_background", "section_text",
    "title_background", "title_text",
)
FONT_ROLES = ("body", "heading", "code")
FONT_KEYS = ("family", "pptx", "fallback", "regular", "bold", "italic", "bold_italic")
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
    extra: dict[str, Any] = field(default_factory=dict)
    # A theme is a value: layout caches its measurements by theme, so equal themes hash equal.
    # The hash is computed once; a theme is never changed after it is made.
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fonts = tuple((role, spec.family, spec.pptx, spec.fallback, tuple(sorted(spec.files.items())))
                      for role, spec in sorted(self.fonts.items()))
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
    """The project's themes/<name>/ if it has a theme.yaml, else the one packaged with deckwright."""
    local = root / "themes" / name
    if (local / "theme.yaml").is_file():
        return local
    return THEMES_DIR / name


def load_theme(root: Path, name: str, ref: SourceRef | None) -> tuple[Theme | None, list[Diagnostic]]:
    """Load and validate themes/<name>/theme.yaml; report every problem at once."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name) or name.startswith("."):
        return None, [error(ref, f"invalid theme name {name!r}")]
    directory = theme_dir(root, name)
    path = directory / "theme.yaml"
    if not path.is_file():
        return None, [error(ref, f"unknown theme {name!r} (no themes/{name}/theme.yaml)")]
    shown = display_path(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [error(SourceRef(shown, 1), f"cannot read theme: {exc}")]
    data, diags = load_yaml(text, shown)
    if diags:
        return None, diags
    return _build_theme(data, directory, shown, root)


def _build_theme(
    data: Any, directory: Path, shown: str, root: Path
) -> tuple[Theme | None, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    if not isinstance(data, YamlMap):
        return None, [error(SourceRef(shown, 1), "theme.yaml must be a mapping")]

    def at(mapping: Any, key: str) -> SourceRef:
        return SourceRef(shown, key_line(mapping, key, 1))

    def section(key: str, allowed: tuple[str, ...], required: bool = True) -> YamlMap:
        value = data.get(key)
        if value is None:
            if required:
                diags.append(error(SourceRef(shown, 1), f"theme is missing '{key}'"))
            return YamlMap()
        if not isinstance(value, YamlMap):
            diags.append(error(at(data, key), f"'{key}' must be a mapping"))
            return YamlMap()
        for k in value:
            if k not in allowed:
                diags.append(error(at(value, k), f"unknown key '{key}.{k}'"))
        if required and allowed is not FONT_ROLES:
            for k in allowed:
                if k not in value:
                    diags.append(error(SourceRef(shown, value.line), f"'{key}' is missing '{k}'"))
        return value

    for k in data:
        if k not in TOP_KEYS:
            diags.append(error(at(data, k), f"unknown key '{k}'"))

    size = section("size", ("width", "height"))
    colors = section("colors", COLOR_KEYS)
    for k, v in colors.items():
        if not isinstance(v, str) or not _COLOR_RE.match(v):
            diags.append(error(at(colors, k), f"colour '{k}' must be #rgb or #rrggbb, not {v!r}"))
    sizes = section("sizes", SIZE_KEYS)
    spacing = section("spacing", SPACING_KEYS)
    for mapping, label in ((sizes, "sizes"), (spacing, "spacing"), (size, "size")):
        for k, v in mapping.items():
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
                diags.append(error(at(mapping, k), f"'{label}.{k}' must be a positive number"))

    fonts_map = section("fonts", FONT_ROLES)
    fonts: dict[str, FontSpec] = {}
    for role in FONT_ROLES:
        spec = fonts_map.get(role)
        if not isinstance(spec, YamlMap):
            diags.append(error(at(fonts_map, role) if role in fonts_map else SourceRef(shown, 1),
                               f"'fonts.{role}' must be a mapping"))
            continue
        for k in spec:
            if k not in FONT_KEYS:
                diags.append(error(at(spec, k), f"unknown key 'fonts.{role}.{k}'"))
        files: dict[str, Path] = {}
        for face in ("regular", "bold", "italic", "bold_italic"):
            rel = spec.get(face) or spec.get("regular")
            if not isinstance(rel, str):
                diags.append(error(SourceRef(shown, spec.line), f"'fonts.{role}' needs a '{face}' file"))
                continue
            file = (directory / rel).resolve()
            if not file.is_file():
                diags.append(error(at(spec, face if face in spec else "regular"),
                                   f"font file not found: {rel}"))
            files[face] = file
        family = str(spec.get("family", ""))
        if not family:
            diags.append(error(SourceRef(shown, spec.line), f"'fonts.{role}' needs a 'family'"))
        fonts[role] = FontSpec(family=family, pptx=str(spec.get("pptx") or family),
                               fallback=str(spec.get("fallback", "sans-serif")), files=files)

    code = data.get("code") or {}
    style = str(code.get("pygments_style", "friendly")) if isinstance(code, dict) else "friendly"
    footer = data.get("footer") or {}
    if not isinstance(footer, dict):
        diags.append(error(at(data, "footer"), "'footer' must be a mapping"))
        footer = {}
    logo: Path | None = None
    if footer.get("logo"):
        logo = _theme_file(str(footer["logo"]), directory, root)
        if logo is None:
            diags.append(error(at(footer, "logo"), f"logo not found: {footer['logo']}"))
    reference: Path | None = None
    if data.get("reference_pptx"):
        reference = _theme_file(str(data["reference_pptx"]), directory, root)
        if reference is None:
            diags.append(error(at(data, "reference_pptx"),
                               f"reference .pptx not found: {data['reference_pptx']}"))
    if diags:
        return None, diags
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
    ), []


def _theme_file(rel: str, directory: Path, root: Path) -> Path | None:
    """A file named by the theme: looked up in the theme folder, then in the project."""
    for base in (directory, root):
        candidate = (base / rel).resolve()
        if candidate.is_file() and (
            candidate.is_relative_to(directory.resolve()) or candidate.is_relative_to(root.resolve())
        ):
            return candidate
    return None
