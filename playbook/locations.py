"""Where a value stands in its file: JSON pointer → (line, column), found lazily.

Parsing never records positions (that would cost every large file); instead the text is read
again only along the paths a message points at. Each JSON object or array on the way is
indexed once per document, so a report with sixty located results walks each container once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import yaml

Pointer = Sequence[str | int]
Children = dict[str, tuple[int, int]] | list[int]  # key -> (key offset, value offset) | value offsets

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _skip(text: str, pos: int) -> int:
    match = _WHITESPACE.match(text, pos)
    return match.end() if match else pos


def _value_end(text: str, pos: int) -> int:
    # A string is skipped by searching for its closing quote: decoding a 50 MB value just to
    # step over it would take seconds.
    return _string_end(text, pos) if text[pos] == '"' else _DECODER.raw_decode(text, pos)[1]


def _string_end(text: str, pos: int) -> int:
    """Offset just past the JSON string that starts at `pos` (escaped quotes skipped)."""
    end = pos
    while True:
        end = text.index('"', end + 1)
        before = end - 1
        while text[before] == "\\":
            before -= 1
        if (end - 1 - before) % 2 == 0:  # an even run of backslashes escapes each other, not the quote
            return end + 1


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class JsonLocator:
    """Offsets of values in JSON text; containers are indexed on first use."""

    def __init__(self, text: str):
        self.text = text
        self._children: dict[int, Children] = {}

    def offset(self, pointer: Pointer, want_key: bool = False) -> int | None:
        pos = _skip(self.text, 0)
        for index, part in enumerate(pointer):
            children = self._index(pos)
            if isinstance(children, dict):
                entry = children.get(str(part))
                if entry is None:
                    return None
                if want_key and index == len(pointer) - 1:
                    return entry[0]
                pos = entry[1]
            elif isinstance(part, int) and 0 <= part < len(children):
                pos = children[part]
            else:
                return None
        return pos

    def _index(self, pos: int) -> Children:
        if pos not in self._children:
            opener = self.text[pos]
            self._children[pos] = (
                self._scan_object(pos) if opener == "{" else self._scan_array(pos) if opener == "[" else []
            )
        return self._children[pos]

    def _scan_object(self, pos: int) -> dict[str, tuple[int, int]]:
        text = self.text
        found: dict[str, tuple[int, int]] = {}
        pos = _skip(text, pos + 1)
        while text[pos] != "}":
            key_at = pos
            key, pos = _DECODER.raw_decode(text, pos)
            pos = _skip(text, _skip(text, pos) + 1)  # past the colon
            found.setdefault(key, (key_at, pos))
            pos = self._after(pos)
        return found

    def _scan_array(self, pos: int) -> list[int]:
        text = self.text
        found: list[int] = []
        pos = _skip(text, pos + 1)
        while text[pos] != "]":
            found.append(pos)
            pos = self._after(pos)
        return found

    def _after(self, pos: int) -> int:
        """The start of the next sibling (or the closing bracket) after the value at `pos`."""
        pos = _skip(self.text, _value_end(self.text, pos))
        return _skip(self.text, pos + 1) if self.text[pos] == "," else pos


class YamlLocator:
    """Positions of values in YAML text, from the node tree composed once on first use."""

    def __init__(self, text: str, loader: Any):
        self.text = text
        self.loader = loader
        self._root: Any = None

    def position(self, pointer: Pointer, want_key: bool = False) -> tuple[int, int] | None:
        if self._root is None:
            self._root = yaml.compose(self.text, Loader=self.loader)
        node = self._root
        for index, part in enumerate(pointer):
            node = _yaml_child(node, part, want_key and index == len(pointer) - 1)
            if node is None:
                return None
        return node.start_mark.line + 1, node.start_mark.column + 1


def _yaml_child(node: Any, part: str | int, want_key: bool) -> Any:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return key if want_key else value
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None
