"""Structural checks on parsed JSON: duplicate keys (found, then located) and nesting depth.

`json.loads` keeps the last of two equal keys without a word, and a hand-edited file with
`platform` twice is audited as something its author did not mean. Finding the duplicate costs a
Python call per object (`object_pairs_hook`); locating both copies needs a scan of the text, done
only once a duplicate is known to exist.

Most files are written by tools, and for them `fast_parse` proves the same facts for about half
the cost: orjson parses, one walk counts the strings (keys included) and measures the depth, and
the quotes in the text are counted with `count`. Whatever it cannot prove goes to the exact path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import orjson

# The hook makes `json.loads` about 40 % slower; files this big are written by tools (importers,
# bots), which cannot produce duplicate keys, so the check is skipped for them.
DUPLICATE_CHECK_CHARS = 16 * 1024 * 1024

_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"
NOT_DECIDED = object()
# Numbers beyond this are refused (validation.py: beyond any count, limit or metric a group has).
# Below it orjson's reading is exact (it reads integers beyond 64 bits as floats), and a file
# whose numbers are all below it needs no second look for them (Document.numbers_checked).
LARGEST_NUMBER = 10**15


class DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(f"duplicate key {key!r}")
        self.key = key


def refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """`object_pairs_hook` for `json.loads`: a dict, or `DuplicateKey` for a repeated key."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return result


def find_duplicate_key(text: str) -> tuple[str, int, int] | None:
    """(key, offset of its first copy, offset of the second) for the first repeated key."""
    objects: list[dict[str, int] | None] = []  # per open bracket: keys seen (None for a list)
    expect_key = False
    for pos, char in _tokens(text):
        if char == "{":
            objects.append({})
            expect_key = True
        elif char == "[":
            objects.append(None)
        elif char in "]}":
            objects.pop()
            expect_key = False
        elif char == ",":
            expect_key = bool(objects) and objects[-1] is not None
        elif char == '"' and expect_key:
            key, _ = _DECODER.raw_decode(text, pos)
            keys = objects[-1]
            assert keys is not None
            if key in keys:
                return key, keys[key], pos
            keys[key] = pos
            expect_key = False
    return None


def _tokens(text: str) -> Iterator[tuple[int, str]]:
    """Structural characters and the starts of strings, skipping string contents and scalars."""
    pos, end = 0, len(text)
    while pos < end:
        char = text[pos]
        if char in _SPACE or char == ":":
            pos += 1
            continue
        yield pos, char
        if char == '"':
            _, pos = _DECODER.raw_decode(text, pos)
        elif char in "{}[],":
            pos += 1
        else:
            _, pos = _DECODER.raw_decode(text, pos)


def deeper_than(data: Any, limit: int) -> bool:
    """True when containers nest more than `limit` levels (level by level: no recursion to exhaust)."""
    level = [data] if isinstance(data, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        deeper: list[Any] = []
        for node in level:
            for child in node.values() if type(node) is dict else node:
                if type(child) is dict or type(child) is list:
                    deeper.append(child)
        level = deeper
    return False


def fast_parse(text: str | bytes, max_depth: int) -> Any:
    """The parsed data when orjson's reading is provably the exact one, else `NOT_DECIDED`.

    Proof: with no escaped quote in the text, every `"` opens or closes a string, so the text
    holds `count('"') / 2` strings, keys included. If the parsed data holds as many (keys plus
    text values), no key was dropped as a duplicate. Nesting must be within the limit, and no
    number so large that orjson read it as a float.
    """
    # Text comes here only from files that were not plain UTF-8 (a BOM, UTF-16): rare enough to
    # encode, and UTF-8 never puts the byte of `"` or `\\` inside a multibyte character.
    raw = text.encode("utf-8") if isinstance(text, str) else text
    # A lone backslash is found at memchr speed; the pair is looked for only after one (a search
    # for `\\"` steps quote by quote through a text full of quotes: ~70 times slower).
    if b"\\" in raw and b'\\"' in raw:
        return NOT_DECIDED
    quotes = raw.count(b'"')
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:  # the exact path says what is wrong, in its own words
        return NOT_DECIDED
    strings = _strings_within(data, max_depth)
    return data if strings is not None and 2 * strings == quotes else NOT_DECIDED


def _strings_within(data: Any, limit: int) -> int | None:
    """How many strings `data` holds, keys included; None when containers nest more than
    `limit` levels or a number is beyond ±LARGEST_NUMBER (below 64 bits: orjson's reading of it is exact)."""
    # The data is walked as the one item of a list around it, so a text that is a single string
    # or number is counted and checked like any value inside a container. The largest and the
    # smallest number are kept as it goes and checked once at the end: cheaper than a range check
    # per number (a roster has hundreds).
    level: list[Any] = [[data]]
    depth, strings, top, bottom = -1, 0, 0, 0
    while level:
        depth += 1
        if depth > limit:
            return None
        deeper: list[Any] = []
        for node in level:
            children: Any = node
            if type(node) is dict:
                strings += len(node)
                children = node.values()
            for child in children:
                kind = type(child)
                if kind is str:
                    strings += 1
                elif kind is int or kind is float:
                    if child > top:
                        top = child
                    elif child < bottom:
                        bottom = child
                elif kind is dict or kind is list:
                    deeper.append(child)
        level = deeper
    # read exactly, and refused where it stands (validation.py)
    return strings if bottom > -LARGEST_NUMBER and top < LARGEST_NUMBER else None
