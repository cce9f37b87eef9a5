"""Load a group snapshot: parse, validate against the schema, check its times are real."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from playbook.core.errors import PlaybookError, Problem
from playbook.core.i18n import Text
from playbook.core.resources import load_schema, schema_nodes
from playbook.core.timeutil import parse_time, zone
from playbook.io.documents import Document, read_document
from playbook.io.notes import tell
from playbook.io.validation import validate_document


def load_snapshot(path: str | Path) -> Document:
    document = read_document(path)
    check_snapshot(document)
    return document


def check_snapshot(document: Document) -> None:
    """Schema first; then what a schema cannot say (a real time zone, real dates).

    A fixed value written as the word the tool shows for it (`role: 管理员`) is read as that
    value, and said once through `tell`; only a snapshot the schema refuses is looked at for
    such words, so a valid one costs nothing more."""
    try:
        validate_document(document, "snapshot")
    except PlaybookError:
        _refuse_chat_export(document)  # one clear message instead of every key of an export
        if not read_value_labels(document):
            raise
        validate_document(document, "snapshot")
    problems = _zone_problems(document) or _time_problems(document)
    if problems:
        raise PlaybookError(problems)


def read_value_labels(document: Document) -> bool:
    """Put the values in place of their words (`管理员` → admin); whether any was found."""
    from playbook.core.value_labels import normalise_labels  # only for a snapshot the schema refused

    changed = normalise_labels(document.data)
    places: dict[tuple[str, str], list[list[str | int]]] = {}
    for pointer, word, value in changed:
        places.setdefault((word, value), []).append(pointer)
    for (word, value), pointers in places.items():  # once per word, not once per member
        more = len(pointers) - 1
        extra = Text(f"（另有 {more} 处）", f" (and {more} more)") if more else Text("", "")
        where = f"{document.where(pointers[0])}: {word!r}"
        tell(
            Text(f"{where} 按 {value} 读取", f"{where} read as {value}")
            + extra
            + Text(f"；也可以直接写 {value}", f"; you may write {value}")
        )
    return bool(changed)


def _refuse_chat_export(document: Document) -> None:
    import shlex

    from playbook.io.recognize import recognize_export  # only for a file that is no snapshot

    found = recognize_export(document.data)
    if found is None:
        return
    fmt, what = found
    command = f"playbook import {fmt} {shlex.quote(document.name)} -o group.json"
    raise PlaybookError.at(
        document.name,
        Text("这是「", "this is ") + what + Text("」，不是群快照", ", not a group snapshot"),
        Text(
            "先把它转换成快照: {c}，再运行 playbook audit group.json",
            "turn it into a snapshot first: {c}, then run playbook audit group.json",
        ).format(c=command),
    )


def _zone_problems(document: Document) -> list[Problem]:
    name = document.data.get("timezone")
    if name is None:
        return []
    try:
        zone(name)
    except ValueError:
        return [
            Problem(
                document.location(["timezone"]),
                Text(
                    f"未知的时区 {name!r}（例如 Asia/Shanghai）",
                    f"unknown time zone {name!r} (e.g. Asia/Shanghai)",
                ),
            )
        ]
    return []


def _time_problems(document: Document) -> list[Problem]:
    """Times the schema's pattern lets through but the calendar does not have (2026-02-30, the
    year 0000)."""
    if document.text and not _RARE_DAY.search(document.text):
        return []  # a C-speed scan of the text spares the walk over a million messages
    problems = []
    for pointer, value in _suspect_times(document.data):
        if parse_time(value) is None:
            problems.append(
                Problem(
                    document.location(pointer),
                    Text(f"{value!r} 不是真实存在的日期时间", f"{value!r} is not a real date or time"),
                )
            )
            if len(problems) >= MAX_TIME_PROBLEMS:
                break
    return problems


MAX_TIME_PROBLEMS = 20
# Days some months lack (and 02-29, real in leap years only), and the year 0000, which the
# calendar of Python's datetime does not have. Months, hours, minutes out of range are refused by
# the schema's pattern already.
_RARE_DAY = re.compile(r"-(?:02-(?:29|3[01])|(?:0[469]|11)-31)|\b0000-")


def _suspect(time: str) -> bool:
    return time[8:10] >= "29" or time.startswith("0000")


def _suspect_times(data: Any) -> Iterator[tuple[list[str | int], str]]:
    """Time values whose day is 29-31 or whose year is 0000: the pattern already bounds months,
    hours and minutes, so only those can be impossible. A flat loop per list: a message log has a
    million."""
    for path in time_paths():
        star = path.index("*") if "*" in path else len(path)
        node = _get(data, path[:star])
        if star == len(path):
            if isinstance(node, str) and _suspect(node):
                yield list(path), node
        elif isinstance(node, list):
            rest = path[star + 1 :]
            for index, item in enumerate(node):
                value = (
                    _get(item, rest) if len(rest) != 1 else item.get(rest[0]) if type(item) is dict else None
                )
                if type(value) is str and _suspect(value):
                    yield [*path[:star], index, *rest], value
            # a second `*` (none in today's schema) would need the general walk


def _get(node: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if key == "*" or not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


@functools.cache
def time_paths() -> tuple[tuple[str, ...], ...]:
    """Every place the snapshot schema puts a time or date (`*` = each item of a list)."""
    times = ("#/$defs/time", "#/$defs/date")
    return tuple(path for path, node in schema_nodes(load_schema("snapshot")) if node.get("$ref") in times)
