"""Watching sources, rebuilding, and serving the deck with live reload."""
