"""Tools for playbook authors: lint, test (inline examples and case files), explain, rule listings,
and `init` scaffolds."""
