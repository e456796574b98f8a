"""Support code every layer may use: memo and disk caches, atomic outputs, safe YAML, colours."""
