"""Reading a project: discovery, metadata, slides, blocks and inline text, dialects, data tables."""
