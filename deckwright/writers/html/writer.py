"""The reveal.js writer: the deck as a self-contained folder that works offline and from disk."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Hashable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from markupsafe import Markup

from deckwright.diagnostics import Diagnostic, SourceRef, error, warning
from deckwright.layout.fit import plan_of
from deckwright.layout.plan import Plan, SlidePlan
from deckwright.model.deck import Deck, Layout, Slide, deck_images
from deckwright.model.theme import FONT_ROLES, Theme
from deckwright.support.atomic import OUTPUT_MARKER, replace_dir
from deckwright.support.memo import Memo, Unhashable, freeze
from deckwright.support.packaged import ENGINE_CHECKOUT, TEMPLATES_DIR, VENDORED_REVEAL
from deckwright.support.paths import MAX_FONT_BYTES, MAX_IMAGE_BYTES, unreadable
from deckwright.writers import output_names
from deckwright.writers.html.csp import page_policy
from deckwright.writers.html.css import theme_css
from deckwright.writers.html.render import (
    RenderOptions,
    join_html,
    notes_html,
    slide_classes,
    slide_frame_html,
    slide_style,
    title_sizes,
)
from deckwright.writers.html.render import format_html as _f

# What the page loads from the reveal.js package (relative to node_modules/reveal.js), and
# the licence, which its MIT terms ask to keep with copies. setup.py copies exactly these into
# the wheel (it reads this literal).
REVEAL_FILES = ("dist/reveal.js", "dist/reset.css", "dist/reveal.css", "dist/plugin/notes.js", "LICENSE")
IMAGE_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"})
_SLUG_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_TEMPLATE = "reveal.html.j2"

# Reveal.js CSS that only the reveal output needs (the PDF writer lays out .dw-slide itself).
REVEAL_CSS = """\
.reveal-viewport { background: var(--dw-color-background); }
.reveal .slides > section.dw-slide, .reveal .slides > section > section.dw-slide { height: 100%; padding: 0; }
.reveal .slides > section.dw-stack { height: 100%; padding: 0; }
.reveal .controls, .reveal .progress { color: var(--dw-color-accent); }
"""


def find_reveal(root: Path) -> Path | None:
    """reveal.js's package folder: the project's node_modules, the copy packaged in deckwright's
    wheel, then the engine checkout's node_modules. The first that exists is the one: an
    incomplete one is reported by `write`, not passed over for another version."""
    for candidate in (root / "node_modules" / "reveal.js", VENDORED_REVEAL,
                      ENGINE_CHECKOUT / "node_modules" / "reveal.js"):
        if candidate.exists() or candidate.is_symlink():  # a dangling link is reported too
            return candidate
    return None


def asset_name(path: Path, data: bytes) -> str:
    """A stable file name: the content's hash (so equal files share one copy) and the extension."""
    return f"assets/{hashlib.sha256(data).hexdigest()[:16]}{path.suffix.lower()}"


@dataclass(frozen=True, slots=True)
class Assets:
    """Files copied beside index.html: source path → relative URL, and URL → bytes."""

    urls: dict[Path, str]
    files: dict[str, bytes]

    def url(self, path: Path) -> str:
        return self.urls[path]


def collect_assets(deck: Deck, theme: Theme) -> tuple[Assets, list[Diagnostic]]:
    """Read every image, the logo and the font files the deck needs; report missing ones."""
    diags: list[Diagnostic] = []
    wanted: list[tuple[Path, SourceRef | None, bool]] = [(p, ref, True) for p, ref in deck_images(deck)]
    if theme.logo is not None:
        wanted.append((theme.logo, None, True))
    for role in FONT_ROLES:
        wanted += [(f, None, False) for f in theme.fonts[role].files.values()]
    urls: dict[Path, str] = {}
    files: dict[str, bytes] = {}
    for path, ref, is_image in wanted:
        if path in urls:
            continue
        # The reader and the theme checked these; asked again before reading (the rule is cheap,
        # and a file swapped since for a pipe or a gigabyte is never read into the page).
        problem = unreadable(path, MAX_IMAGE_BYTES if is_image else MAX_FONT_BYTES)
        if problem is not None and problem != "not found":  # a missing file: said below
            diags.append(error(ref, f"cannot read {path.name}: it {problem}"))
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            diags.append(error(ref, f"cannot read {path.name}: {exc.strerror or exc}"))
            continue
        if is_image and path.suffix.lower() not in IMAGE_TYPES:
            diags.append(warning(ref, f"browsers may not show {path.suffix or 'extension-less'} "
                                      f"images ({path.name}); use PNG, JPEG, SVG or WebP"))
        name = asset_name(path, data)
        urls[path] = name
        files[name] = data
    return Assets(urls, files), diags


def reveal_config(theme: Theme) -> dict[str, Any]:
    """Reveal.initialize options: the theme's 16:9 size, our own numbering, offline-friendly."""
    return {
        "width": theme.width,
        "height": theme.height,
        "margin": 0.02,
        "minScale": 0.1,
        "maxScale": 3.0,
        "center": False,
        "hash": True,
        "controls": True,
        # Arrows at the edges, not in the corner where the footer shows the slide number.
        "controlsLayout": "edges",
        "progress": True,
        # Slide numbers are part of each slide's frame (same in HTML, PDF and PPTX).
        "slideNumber": False,
        "transition": "slide",
        "backgroundTransition": "fade",
        "pdfSeparateFragments": False,
        "showNotes": False,
    }


def _section(slide: Slide, plan: SlidePlan, number: int, opts: RenderOptions, theme: Theme,
             assets: Assets) -> Markup:
    background = slide.background_color
    if background is None and slide.layout is Layout.TITLE:
        background = theme.color("title_background")
    elif background is None and slide.layout is Layout.SECTION:
        background = theme.color("section_background")
    attrs: dict[str, str | None] = {
        "class": slide_classes(slide),
        "style": slide_style(slide),
        "data-dw-ref": str(slide.ref),
        "data-background-color": background,
        "data-background-image": assets.url(slide.background_image) if slide.background_image else None,
        "data-background-size": "cover" if slide.background_image else None,
    }
    attr_html = Markup("").join(_f(' {}="{}"', Markup(k), v)  # noqa: S704 - fixed names
                                for k, v in attrs.items() if v is not None)
    notes = (_f('\n<aside class="notes">{}</aside>', notes_html(slide.notes, opts))
             if slide.notes else Markup(""))
    frame = slide_frame_html(slide, number, opts, *title_sizes(plan, slide, theme))
    return _f("<section{}>\n{}{}\n</section>", attr_html, frame, notes)


class _HashedKey:
    """A memo key that hashes its (deep, frozen) value once: the memo looks a key up several times."""

    __slots__ = ("_hash", "value")

    def __init__(self, value: Hashable) -> None:
        self.value = value
        self._hash = hash(value)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, _HashedKey) and self._hash == other._hash
                and self.value == other.value)


# Rendered sections of recent builds: `watch` re-renders only the slides an edit changed.
_SECTIONS: Memo[Hashable, Markup] = Memo(4096)


def _render_key(theme: Theme, opts: RenderOptions, assets: Assets) -> Hashable:
    """Everything besides the slide and its number that a section's HTML depends on."""
    options = tuple((f.name, getattr(opts, f.name)) for f in fields(opts) if f.name != "asset_url")
    try:
        return freeze((theme, options, assets.urls))
    except Unhashable:
        return None  # a theme value we cannot key: render every slide


def slides_html(deck: Deck, plan: Plan, theme: Theme, opts: RenderOptions, assets: Assets) -> Markup:
    """All sections; consecutive slides with the same stack number > 0 nest in one vertical stack."""
    out: list[Markup] = []
    stack: list[Markup] = []
    current = 0
    env = _render_key(theme, opts, assets)
    for number, (slide, slide_plan) in enumerate(zip(deck.slides, plan.slides, strict=True), start=1):
        # The plan follows from the slide and the theme, which the key holds.
        key = _HashedKey((slide, number, env)) if env is not None else None
        section = _SECTIONS.get(key) if key is not None else None
        if section is None:
            section = _section(slide, slide_plan, number, opts, theme, assets)
            if key is not None:
                _SECTIONS.put(key, section)
        if stack and slide.stack != current:
            out.append(_f('<section class="dw-stack">\n{}\n</section>', Markup("\n").join(stack)))
            stack = []
        current = slide.stack
        if slide.stack > 0:
            stack.append(section)
        else:
            out.append(section)
    if stack:
        out.append(_f('<section class="dw-stack">\n{}\n</section>', Markup("\n").join(stack)))
    return join_html("\n", out)


def _config_js(theme: Theme) -> Markup:
    text = json.dumps(reveal_config(theme), sort_keys=True, separators=(",", ":"))
    # Only numbers, booleans and fixed words, but keep "</script>" impossible regardless.
    return Markup(text.replace("<", "\\u003c"))  # noqa: S704


def init_script(config: Markup) -> Markup:
    """The page's one inline script (its Content-Security-Policy allows it by this exact text's hash)."""
    return _f("\nReveal.initialize(Object.assign({}, {{ plugins: [RevealNotes] }}));\n", config)


def render_index(deck: Deck, plan: Plan, theme: Theme, opts: RenderOptions, assets: Assets,
                 notes_js: Path | None = None) -> str:
    """index.html as text (Jinja2 with autoescape; fragments arrive as Markup).

    `csp` is the page's policy (from the notes.js it ships); a theme's own template that runs
    inline scripts of its own leaves it out or allows them.
    """
    config = _config_js(theme)
    init = init_script(config)
    notes = notes_js or (VENDORED_REVEAL / "dist" / "plugin" / "notes.js")
    csp = page_policy([str(init)], notes, allow_scripts=deck.meta.allow_scripts) if notes.is_file() else ""
    context = {"meta": deck.meta, "slides": slides_html(deck, plan, theme, opts, assets),
               "config": config, "init_script": init, "csp": csp}
    # A theme may ship its own page template; the engine's is the default.
    return _render_jinja([str(theme.directory), str(TEMPLATES_DIR)], context)


def _render_jinja(dirs: list[str], context: dict[str, Any]) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(dirs), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env.get_template(_TEMPLATE).render(**context)


def write(deck: Deck, theme: Theme, out_dir: Path, *,
          plan: Plan | None = None) -> tuple[list[Path], list[Diagnostic]]:
    """Write out_dir/<slug>/ (index.html, deck.css, reveal/, assets/) atomically, from fit's `plan`."""
    first = deck.slides[0].ref if deck.slides else None
    if not _SLUG_RE.match(deck.meta.slug):
        return [], [error(first, f"invalid output name (slug) {deck.meta.slug!r}")]
    reveal = find_reveal(deck.root)
    if reveal is None:
        return [], [error(None, "reveal.js is not installed: run `npm ci` in the deckwright folder "
                                "(or in the project) to install the pinned version")]
    missing = [rel for rel in REVEAL_FILES if not (reveal / rel).is_file()]
    if missing:
        fix = ("reinstall deckwright" if reveal == VENDORED_REVEAL
               else "run `npm ci` there to install the pinned version")
        return [], [error(None, f"reveal.js in {reveal} lacks {', '.join(missing)}: {fix}")]
    assets, diags = collect_assets(deck, theme)
    if any(d.is_error for d in diags):
        return [], diags
    opts = RenderOptions(
        asset_url=assets.url,
        code_style=theme.pygments_style,
        footer_text=theme.footer_text,
        logo_url=assets.url(theme.logo) if theme.logo is not None else None,
        slide_numbers=theme.slide_numbers,
    )
    index = render_index(deck, plan_of(deck, theme, plan), theme, opts, assets,
                         reveal / "dist" / "plugin" / "notes.js")
    css = theme_css(theme, lambda p: assets.url(p).removeprefix("assets/")) + REVEAL_CSS
    target = out_dir / output_names("html", deck.meta.slug)[0].rstrip("/")
    with replace_dir(target) as tmp:
        for rel in REVEAL_FILES:
            dest = tmp / "reveal" / Path(rel).relative_to("dist") if rel.startswith("dist/") \
                else tmp / "reveal" / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(reveal / rel, dest)  # the bytes only (in the kernel where it can)
        (tmp / "assets").mkdir()
        for name in sorted(assets.files):
            (tmp / name).write_bytes(assets.files[name])
        # deck.css sits in assets/ beside the fonts so their URLs stay relative to it.
        (tmp / "assets" / "deck.css").write_bytes(css.encode("utf-8"))
        (tmp / "index.html").write_bytes(index.encode("utf-8"))
        # The folder is deckwright's: the next build may replace it (and nothing that lacks this).
        (tmp / OUTPUT_MARKER).write_bytes(b"deckwright\n")
    return [target / "index.html"], diags
