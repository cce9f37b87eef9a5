"""The edges: reading files (JSON, YAML, positions, limits), validating them against the schemas,
composing playbooks from their layers, the per-user cache, and writing outputs whole or not at all."""
