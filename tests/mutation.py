"""Putting an odd value anywhere in a document, for the tests that read untrusted files back."""

from __future__ import annotations

import copy
from typing import Any

Path = tuple[str | int, ...]


def paths(data: Any, path: Path = ()) -> list[Path]:
    """The path of every value in `data` (keys and indexes from the root), the root's `()` first."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*path, index))
    return found


def put(data: Any, path: Path, value: Any) -> None:
    """Replace the value at `path` (not the root) with a copy of `value`."""
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = copy.deepcopy(value)
