"""The reveal.js HTML writer."""
