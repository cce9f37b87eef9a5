"""The words the tool shows for a snapshot's fixed values, read back as those values.

`init --lang zh` writes `role: member  # 角色：群主 | 管理员 | 成员 | 机器人`, and an operator
then writes `role: 管理员`. Every such word is taken from the same place the tool shows it: the
field's description in the snapshot schema (`角色：群主 | 管理员 | …`, in the order of the
field's `enum`, or `open 自由加入 | approval 需审核 | …` naming each value), and for platforms
and stages the catalogs of names.py. One table, per field, so `机器人` is `bot` as a role and as
a roster source alike.

A snapshot that spells a value this way is read with the value itself and told so once; the
words are exact, not guesses (a guess only ever becomes a `did you mean` hint).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from playbook.core.i18n import Text
from playbook.core.names import PLATFORM_NAMES, STAGE_NAMES
from playbook.core.resources import load_schema, schema_nodes

Path = tuple[str, ...]  # field names; "*" for each item of a list

# Fields whose values are named by a names.py catalog rather than listed in the description.
_CATALOG_FIELDS: dict[Path, Mapping[str, Text]] = {
    ("platform",): PLATFORM_NAMES,
    ("group", "stage"): STAGE_NAMES,
}
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


@functools.cache
def value_labels() -> dict[Path, dict[str, str]]:
    """For each fixed-value field of a snapshot: {word, casefolded: the value it names}."""
    table: dict[Path, dict[str, str]] = {}
    for path, node in _enum_fields():
        words: dict[str, set[str]] = {}
        for value, label in _described(node):
            for word in _spellings(label):
                words.setdefault(word.casefold(), set()).add(value)
        for value, name in _CATALOG_FIELDS.get(path, {}).items():
            if value in node["enum"]:
                for word in (name.zh, name.en):
                    words.setdefault(word.casefold(), set()).add(value)
        unique = {word: next(iter(values)) for word, values in words.items() if len(values) == 1}
        table[path] = unique
    return table


def labels_for(ids: Any) -> dict[str, str]:
    """{word: value} of the field whose values are `ids` (for a hint when the field is not known)."""
    wanted = set(map(str, ids))
    for path, node in _enum_fields():
        if set(node["enum"]) == wanted:
            return value_labels()[path]
    return {}


def _described(node: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(value, its word) from a description `名称：a | b | c · …` listing the field's values."""
    zh = str(node.get("description", "")).partition(" · ")[0]
    _, colon, listing = zh.partition("：")
    items = [item.strip() for item in listing.split(" | ")] if colon else []
    enum = [str(value) for value in node["enum"]]
    for position, item in enumerate(items):
        value, _, rest = item.partition(" ")
        if value in enum and rest:  # `open 自由加入`
            yield value, rest
        elif _BRACKETS.sub("", item) in enum:  # `wechat（微信）`
            inside = _BRACKETS.search(item)
            if inside:
                yield _BRACKETS.sub("", item), inside.group(0)[1:-1]
        elif len(items) == len(enum):  # `群主 | 管理员 | …` in the order of the enum
            yield enum[position], item


def _spellings(label: str) -> list[str]:
    """`通知（班级、家长、工作）` → 通知; `兴趣/学习交流` → itself, 兴趣, 学习交流."""
    bare = _BRACKETS.sub("", label).strip()
    parts = [part.strip() for part in bare.split("/")] if "/" in bare else []
    return [word for word in (bare, *parts) if word]


@functools.cache
def _enum_fields() -> list[tuple[Path, Mapping[str, Any]]]:
    return [
        (path, node)
        for path, node in schema_nodes(load_schema("snapshot"))
        if "enum" in node and all(isinstance(value, str) for value in node["enum"])
    ]


def normalise_labels(data: Any) -> list[tuple[list[str | int], str, str]]:
    """Replace, in place, each fixed value written as its word by the value; (where, word, value) of each."""
    changed: list[tuple[list[str | int], str, str]] = []
    for path, words in value_labels().items():
        for pointer, value, put in _places(data, path, []):
            meant = words.get(value.strip().casefold()) if isinstance(value, str) else None
            if meant is not None and meant != value:
                put(meant)
                changed.append((pointer, value, meant))
    return changed


def _places(
    node: Any, path: Path, at: list[str | int]
) -> Iterator[tuple[list[str | int], Any, Callable[[str], None]]]:
    """Every value at `path` under `node`: its pointer, the value, and how to replace it."""
    head, rest = path[0], path[1:]
    items: list[tuple[str | int, Any]]
    if head == "*":
        items = list(enumerate(node)) if isinstance(node, list) else []
    else:
        items = [(head, node[head])] if isinstance(node, dict) and head in node else []
    for key, child in items:
        if rest:
            yield from _places(child, rest, [*at, key])
        else:
            yield [*at, key], child, functools.partial(node.__setitem__, key)
