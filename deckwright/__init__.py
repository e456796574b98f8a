"""deckwright: Markdown slides and YAML data to native PowerPoint, offline reveal.js and PDF."""

__version__ = "0.1.0"
