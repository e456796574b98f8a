"""The build pipeline: read, lay out, write, with diagnostics."""
