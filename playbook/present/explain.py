"""`playbook explain` drawn: each line of an explanation at its depth, marked ✓ ✗ ? ! by its verdict."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

MARKS: dict[Any, str] = {True: "✓", False: "✗", None: "?", "error": "!"}


class ExplainLine(Protocol):
    """One line as authoring/explain.py gives it (`Line`)."""

    @property
    def text(self) -> str: ...
    @property
    def indent(self) -> int: ...
    @property
    def marked(self) -> bool: ...
    @property
    def verdict(self) -> Any: ...  # True, False, None (missing data) or "error"


def render_explanation(lines: Sequence[ExplainLine]) -> str:
    return "".join(_line(line) + "\n" for line in lines)


def _line(line: ExplainLine) -> str:
    mark = f"{MARKS[line.verdict]} " if line.marked else ""
    return "  " * line.indent + mark + line.text
