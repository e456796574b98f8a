"""The native PowerPoint writer."""
