"""The limits of the engine's data paths, as a value: the engine is given them, never reads them.

Kept apart from budget.py so that io/limits.py, which every command imports, can name the
defaults without importing the JMESPath interpreter.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PathLimits:
    """How long one rule's and one snapshot's data paths may run, and how many list items one
    path may select. The defaults are those of `PLAYBOOK_RULE_SECONDS`, `PLAYBOOK_AUDIT_SECONDS`
    and `PLAYBOOK_MAX_PATH_ITEMS`."""

    rule_seconds: float = 1.0
    audit_seconds: float = 5.0
    max_path_items: int = 5_000_000


DEFAULT_LIMITS = PathLimits()
