"""Where the data files shipped inside the deckwright package are: themes, page templates, reveal.js."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

# Relative to the package folder; setup.py reads this literal (it cannot import the package) to
# know where to put the reveal.js files it copies from node_modules when it builds a wheel.
REVEAL_VENDOR = "writers/html/vendor/reveal.js"


def _package_dir() -> Path:
    # Fonts are opened by path (Pillow, fpdf2), Jinja loads from folders and reveal.js is copied
    # with shutil: every reader needs real files, so a zipped install is refused here, once.
    root = files("deckwright")
    if not isinstance(root, Path):
        raise ImportError(f"deckwright must be installed as files on disk, not {root!r}")
    return root.resolve()


PACKAGE_DIR = _package_dir()
# The themes that ship with deckwright (`default`); a project's own themes/ is looked up first.
THEMES_DIR = PACKAGE_DIR / "themes"
# The engine's page templates (a theme may ship its own reveal.html.j2 instead).
TEMPLATES_DIR = PACKAGE_DIR / "templates"
# The reveal.js files copied at wheel build time; absent in a checkout, which has node_modules.
VENDORED_REVEAL = PACKAGE_DIR / REVEAL_VENDOR
# The folder around the package: in a checkout, the repository (whose node_modules `npm ci` fills).
ENGINE_CHECKOUT = PACKAGE_DIR.parent
