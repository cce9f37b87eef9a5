"""Where a value stands in its file: JSON pointer → (line, column), found lazily.

Parsing never records positions (that would cost every large file); instead the text is read
again only along the paths a message points at. Each JSON object or array on the way is
scanned once per document, and only as far as the entries asked for.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import re
from collections.abc import Sequence
from typing import Any

import orjson

Pointer = Sequence[str | int]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _skip(text: str, pos: int) -> int:
    if pos >= len(text) or text[pos] not in " \t\n\r":  # most often: nothing to skip
        return pos
    match = _WHITESPACE.match(text, pos)
    return match.end() if match else pos


def _value_end(text: str, pos: int, value: Any = None) -> int:
    # A string is skipped by searching for its closing quote: decoding a 50 MB value just to
    # step over it would take seconds.
    if text[pos] == '"':
        return _string_end(text, pos)
    if text[pos] in "{[" and len(text) <= ORJSON_SKIP_CHARS:
        size = _compact_size(value)
        # A small container is read faster by the standard scanner, which returns its end, than
        # by orjson, which names it only in an exception (a few microseconds of Python each).
        if size is None or size > SMALL_CONTAINER:
            end = _container_end(text, pos, FIRST_WINDOW if size is None else 4 * size + 256)
            if end is not None:
                return end
    return _DECODER.raw_decode(text, pos)[1]


def _compact_size(value: Any) -> int | None:
    """The length of `value`'s compact JSON in UTF-8 bytes, when its parsed form is known.

    Four times that (counting characters leaves more room still) holds any common writing of
    it, pretty-printed ones included, so orjson reads a roster once instead of in growing
    windows (4 K, 16 K, 64 K: three reads).
    """
    if type(value) is dict or type(value) is list:
        try:
            return len(orjson.dumps(value))
        except orjson.JSONEncodeError:  # nesting orjson will not write: the windows grow instead
            pass
    return None


def _estimated_size(value: Any, depth: int = 8) -> int:
    """Roughly how long `value` is as compact JSON, from a sample: a list counts as its length
    times its first item, an object as the sum of its entries (no walk through a whole roster);
    below `depth` levels a value counts as small."""
    if depth and type(value) is list:
        return 2 + len(value) * (_estimated_size(value[0], depth - 1) + 1) if value else 2
    if depth and type(value) is dict:
        return 2 + sum(len(key) + 4 + _estimated_size(child, depth - 1) for key, child in value.items())
    return len(value) + 2 if type(value) is str else 8


FIRST_WINDOW = 4096  # for a value of unknown size; each window after is four times the last
SMALL_CONTAINER = 1024  # compact bytes up to which `raw_decode` steps over a container faster
# Searching text for a key is ~10× faster per character than stepping over a value with orjson
# (~0.3 against ~3 ns); counted as 4× to be safe, a search through the rest of the file pays when
# the value to step over is more than a quarter of that rest (a roster).
SEARCH_SPEEDUP = 4


# Beyond this, orjson's copies of the text cost more memory than they save time (a large file's
# message log is stepped over by raw_decode, as it always was).
ORJSON_SKIP_CHARS = 16 * 1024 * 1024


def _container_end(text: str, pos: int, size: int) -> int | None:
    """Where the object or array at `pos` ends (or the next token after it), or None.

    orjson reads one value and refuses what follows it, naming the offset: a roster of 300
    members is stepped over in well under half the time `raw_decode` takes to build it. It is
    given a window of the text that grows until the value fits, as it encodes all it is given.
    """
    while True:
        window = text[pos : pos + size]
        try:
            orjson.loads(window)
            return pos + len(window)  # the window ended with the value
        except orjson.JSONDecodeError as exc:
            if exc.pos < len(window):  # content after the value, or an error inside it
                end = pos + exc.pos
                # Inside a container a value is always followed by one of these; anything
                # else is an error orjson alone sees (a lone surrogate): raw_decode decides.
                return end if text[end] in ",]}" else None
        if pos + size >= len(text):
            return None
        size *= 4


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


class _Container:
    """What is known so far of one object or array: entries found, and where scanning stopped.

    Scanning goes only as far as the entry asked for: the value after it (a million-message
    log, say) is never decoded unless a later entry is wanted.
    """

    def __init__(self, opener: str, first: int, parsed: Any):
        self.is_object = opener == "{"
        self.parsed = parsed  # the container as parsed (None when unknown), for size hints only
        self.keys: dict[str, tuple[int, int]] = {}  # key -> (key offset, value offset)
        self.items: list[int] = []  # value offsets
        self.resume: int | None = first  # None once the closing bracket is reached
        self.pending: int | None = None  # the last entry's value, not yet stepped over
        self.pending_value: Any = None  # ...and its parsed form, when known
        self.pending_large: bool | None = None  # ...and whether searching beats stepping over it


class JsonLocator:
    """Offsets of values in JSON text; containers are scanned on demand and remembered.

    `data`, the text as parsed, only tells how large a value is before stepping over it: the
    offsets always come from the text itself.
    """

    def __init__(self, text: str, data: Any = None):
        self.text = text
        self.data = data
        self._containers: dict[int, _Container] = {}
        self._lines: list[tuple[int, int, int]] = [(0, 1, 0)]  # (offset, its line, that line's start)

    @functools.cached_property
    def _last_backslash(self) -> int:
        return self.text.rfind("\\")

    def line_col(self, offset: int) -> tuple[int, int]:
        """`line_col(text, offset)`, counting lines only from the nearest offset asked before (a
        report asks for a dozen places; each counted from the start read the file a dozen times)."""
        mark = bisect.bisect_right(self._lines, (offset, math.inf, math.inf)) - 1
        start_offset, line, line_start = self._lines[mark]
        newlines = self.text.count("\n", start_offset, offset)
        if newlines:
            line, line_start = line + newlines, self.text.rfind("\n", start_offset, offset) + 1
        bisect.insort(self._lines, (offset, line, line_start))
        return line, offset - line_start + 1

    def offset(self, pointer: Pointer, want_key: bool = False) -> int | None:
        pos, parsed = _skip(self.text, 0), self.data
        for index, part in enumerate(pointer):
            if self.text[pos] not in "{[":
                return None
            entry = self._entry(self._container(pos, parsed), part)
            if entry is None:
                return None
            if want_key and index == len(pointer) - 1:
                return entry[0]
            pos, parsed = entry[1], _child(parsed, part)
        return pos

    def _container(self, pos: int, parsed: Any) -> _Container:
        if pos not in self._containers:
            self._containers[pos] = _Container(self.text[pos], _skip(self.text, pos + 1), parsed)
        return self._containers[pos]

    def _entry(self, box: _Container, part: str | int) -> tuple[int, int] | None:
        """(key offset, value offset) of `part`, scanning further only while it is not found."""
        if box.is_object:
            key = str(part)
            while key not in box.keys and box.resume is not None:
                if self._behind_large_value(box) and self._search(box, key):
                    break
                self._scan_next(box)
            return box.keys.get(key)
        if not isinstance(part, int) or part < 0:
            return None
        while len(box.items) <= part and box.resume is not None:
            self._scan_next(box)
        return (box.items[part], box.items[part]) if part < len(box.items) else None

    def _scan_next(self, box: _Container) -> None:
        # The last entry's value is stepped over only now, when a later entry is wanted.
        if box.pending is not None:
            box.resume, box.pending = self._after(box.pending, box.pending_value), None
        text, pos = self.text, box.resume
        assert pos is not None
        if text[pos] in "}]":
            box.resume = None
            return
        if box.is_object:
            key_at = pos
            key, pos = _DECODER.raw_decode(text, pos)
            pos = _skip(text, _skip(text, pos) + 1)  # past the colon
            box.keys.setdefault(key, (key_at, pos))
            box.pending_value = _child(box.parsed, key)
        else:
            box.items.append(pos)
            box.pending_value = _child(box.parsed, len(box.items) - 1)
        box.pending, box.pending_large = pos, None

    def _behind_large_value(self, box: _Container) -> bool:
        """The next step would be over a large value (a roster) in text a search may read."""
        if box.pending is None:
            return False
        if box.pending_large is None:
            rest = len(self.text) - box.pending
            box.pending_large = _estimated_size(box.pending_value) * SEARCH_SPEEDUP > rest
        # the backslash test reads the whole text once: only where a search would pay
        return box.pending_large and box.pending > self._last_backslash

    def _search(self, box: _Container, key: str) -> bool:
        """Find the object's `key` by searching the text after the pending value, not reading it.

        Sound only with the parsed object known to hold `key` and no backslash from the pending
        value on: then every `"` there delimits a string, no key is spelt with escapes, and each
        `"key"` followed by a colon is a key of that name. The object's own one is among them
        (its key comes after the entries scanned), so when there is exactly one, it is that one;
        with two or more (a nested object has the same key) the caller steps over as before.
        """
        if type(box.parsed) is not dict or key not in box.parsed:
            return False
        assert box.pending is not None
        text, needle, found = self.text, f'"{key}"', None
        at = text.find(needle, box.pending)
        while at != -1:
            colon = _skip(text, at + len(needle))
            if text[colon : colon + 1] == ":":
                if found is not None:
                    return False
                found = (at, _skip(text, colon + 1))
            at = text.find(needle, at + 1)
        if found is None:
            return False
        box.keys.setdefault(key, found)
        return True

    def _after(self, pos: int, value: Any) -> int:
        """The start of the next sibling (or the closing bracket) after the value at `pos`."""
        pos = _skip(self.text, _value_end(self.text, pos, value))
        return _skip(self.text, pos + 1) if self.text[pos] == "," else pos


def _child(parsed: Any, part: str | int) -> Any:
    """The parsed value under `part`, or None when it is not known."""
    if type(parsed) is dict:
        return parsed.get(part) if isinstance(part, str) else None
    if type(parsed) is list and type(part) is int and 0 <= part < len(parsed):
        return parsed[part]
    return None
