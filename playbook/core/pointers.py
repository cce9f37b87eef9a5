"""JSON pointers and where a report's values stand in the snapshot they came from.

The engine points at values by JSON pointer; only io/ reads files. `SourceDocument` is the little
the report needs from a read snapshot (io/documents.py's `Document` is one), so that the report can
give a result's line and column without importing the reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

Pointer = Sequence[str | int]


class SourceDocument(Protocol):
    """A snapshot as read from a file: its name, its data, and where a value stands in it."""

    @property
    def name(self) -> str: ...

    @property
    def data(self) -> Any: ...

    def locate(self, pointer: Pointer, key: bool = False) -> tuple[int, int] | None:
        """1-based (line, column) of the value at `pointer`, or None when it is not in the file."""
        ...


def pointer_to_string(pointer: Pointer) -> str:
    """JSON Pointer (RFC 6901) text: `/members/list/3/joined_at`."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in pointer)


def pointer_to_jsonpath(pointer: Pointer) -> str:
    """The `$.members.list[3].joined_at` form used when no line is known."""
    out = "$"
    for part in pointer:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out
