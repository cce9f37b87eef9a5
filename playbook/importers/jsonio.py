"""Streaming JSON exports with ijson: the small header first, then one message at a time.

Exports reach hundreds of megabytes, so no importer loads a whole JSON file. Every parse error
becomes a located `PlaybookError` (`file::$.messages[N]`), which is how a truncated export (an
interrupted DiscordChatExporter run, a half-copied file) reaches the user.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import ijson

from playbook.core.errors import Location, PlaybookError
from playbook.core.i18n import Text
from playbook.core.syntax_messages import stream_json_wording
from playbook.importers.progress import ByteMeter, CountingReader
from playbook.importers.shapes import Shape
from playbook.io.documents import pointer_to_jsonpath
from playbook.io.limits import depth_error, limit

Event = tuple[str, str, Any]

# ── nesting, checked before ijson goes deep ──────────────────────────────────
# ijson keeps the path of every open container as a string ("messages.item.text.item.item…"):
# a value nested 20,000 levels in a 40 KB export cost 1 GB, 80 KB 3.9 GB. So before an export is
# parsed, its nesting is measured in a way whose memory does not grow with it.

# Bytes other than quotes and brackets, deleted at the speed of C.
_NOT_STRUCTURE = bytes(range(256)).translate(None, b'"[]{}')
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_LINES_AT_MOST = 8 * 1024 * 1024  # a "line" longer than this (a minified file) is measured by events
_MEASURED: dict[tuple[str, int, int], None] = {}


def check_nesting(path: Path) -> None:
    """Refuse an export nested deeper than PLAYBOOK_MAX_DEPTH, in time and memory linear in its size.

    Line by line (a JSON string never spans a raw line break): strings are removed and the
    brackets left are summed, all at the speed of C. A file without line breaks is measured
    from the parser's events, which carry no path."""
    status = path.stat()
    key = (str(path), status.st_size, status.st_mtime_ns)
    if key in _MEASURED:  # read again by the next step of the same import
        return
    most = int(limit("max_depth"))
    depth = _deepest_by_lines(path, most)
    if depth is None:
        depth = _deepest_by_events(path, most)
    if depth > most:
        raise depth_error(f"{path}")
    _MEASURED[key] = None


def _deepest_by_lines(path: Path, most: int) -> int | None:
    """The deepest nesting (or a level past `most`); None when a line is too long to hold."""
    depth = deepest = 0
    carry = b""
    with path.open("rb") as handle:
        while True:
            block = handle.read(1024 * 1024)
            data = carry + block
            cut = data.rfind(b"\n") + 1 if block else len(data)  # at the end, all that is left
            if block and not cut:
                if len(data) > _LINES_AT_MOST:
                    return None
                carry = data
                continue
            brackets = _brackets_outside_strings(data[:cut])
            if brackets:
                deepest = max(deepest, *itertools.accumulate(map(_STEP.__getitem__, brackets), initial=depth))
                depth += (
                    brackets.count(b"[") + brackets.count(b"{") - brackets.count(b"]") - brackets.count(b"}")
                )
                if deepest > most:
                    return deepest
            if not block:
                return deepest
            carry = data[cut:]


def _brackets_outside_strings(data: bytes) -> bytes:
    """The brackets of whole lines of JSON, without those inside strings."""
    if b"\\" in data:  # escaped backslashes and quotes end no string
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    kept = data.translate(None, _NOT_STRUCTURE).replace(b'""', b"")  # most strings hold no bracket
    return b"".join(kept.split(b'"')[::2]) if b'"' in kept else kept


def _deepest_by_events(path: Path, most: int) -> int:
    depth = deepest = 0
    with path.open("rb") as handle:
        try:
            for event, _value in ijson.basic_parse(handle, use_float=True):
                if event == "start_map" or event == "start_array":
                    depth += 1
                    if depth > most:
                        return depth
                elif event == "end_map" or event == "end_array":
                    depth -= 1
                deepest = max(deepest, depth)
        except ijson.JSONError:
            return deepest  # the importer reads it next, and says where it breaks
    return deepest


def scan_header(path: Path, stop: set[str], expected: Text) -> tuple[dict[str, Any], str | None]:
    """Top-level values before the first key in `stop`; also which stop key was reached."""
    header: dict[str, Any] = {}
    check_nesting(path)
    with path.open("rb") as handle:
        events = ijson.parse(handle, use_float=True)  # numbers as int and float, not Decimal
        try:
            _expect_object(path, next(events, None), expected)
            for key, value in _top_level(events, stop):
                if key in stop:
                    return header, key
                header[key] = value
        except ijson.JSONError as exc:
            raise broken(path, "$", expected, exc) from exc
    return header, None


def _expect_object(path: Path, first: Event | None, expected: Text) -> None:
    if first is None or first[1] != "start_map":
        raise PlaybookError.at(
            str(path),
            Text("文件内容不是 JSON 对象；应为 ", "the file does not hold a JSON object; expected ")
            + expected,
        )


def _top_level(events: Iterator[Event], stop: set[str]) -> Iterator[tuple[str, Any]]:
    """(key, value) of the root object; for a key in `stop` the value is not read (None)."""
    for prefix, event, value in events:
        if prefix != "" or event != "map_key":
            continue  # the root's end_map
        if value in stop:
            yield value, None
            return
        yield value, _build_value(events)


def _build_value(events: Iterator[Event]) -> Any:
    builder = ijson.ObjectBuilder()
    depth = 0
    for _prefix, event, value in events:
        builder.event(event, value)
        depth += event in ("start_map", "start_array")
        depth -= event in ("end_map", "end_array")
        if depth == 0:
            return builder.value
    return None


def iter_items(
    path: Path, pointer: list[str | int], meter: ByteMeter, expected: Text, shape: Shape | None = None
) -> Iterator[Any]:
    """The items of the array at `pointer` (`["messages"]`), one at a time, each of `shape`."""
    prefix = ".".join(map(str, pointer)) + ".item"
    check_nesting(path)
    with CountingReader(path.open("rb"), meter) as handle:
        items = ijson.items(handle, prefix, use_float=True)
        yield from guard_items(path, items, pointer, expected, shape)


def guard_items(
    path: Path, items: Iterable[Any], pointer: list[str | int], expected: Text, shape: Shape | None = None
) -> Iterator[Any]:
    """Pass items through, each checked against `shape`; a parse error names the item that broke."""
    index = 0
    try:
        for item in items:
            if shape is not None:
                shape.check(str(path), [*pointer, index], item, expected)
            yield item
            index += 1
    except ijson.JSONError as exc:
        raise broken(path, pointer_to_jsonpath([*pointer, index]), expected, exc) from exc


def _ends_like_json(path: Path) -> bool:
    """A whole export ends with its root's closing brace; a cut one ends anywhere."""
    with path.open("rb") as handle:
        handle.seek(max(path.stat().st_size - 64, 0))
        return handle.read().rstrip().endswith((b"}", b"]"))


def broken(path: Path, where: str, expected: Text, exc: Exception) -> PlaybookError:
    """A parse error at `where` (a JSON path): a file cut short, or broken JSON in plain words."""
    # Cut files often end mid-character, so yajl reports bad UTF-8 rather than the early end.
    cut = "premature EOF" in str(exc) or "Incomplete JSON" in str(
        exc
    )  # yajl's words, the pure-Python backend's
    truncated = cut or (where != "$" and not _ends_like_json(path))
    what = (
        Text(
            "JSON 在这里中断（文件不完整，可能导出被打断或复制未完成）；应为完整的 ",
            "the JSON ends here (the file is incomplete: an interrupted export or copy); "
            "expected a complete ",
        )
        if truncated
        else Text("不是有效的 JSON（", "not valid JSON (")
        + stream_json_wording(str(exc).splitlines()[0][:80])
        + Text("）；应为 ", "); expected ")
    )
    return PlaybookError.at(Location(str(path), path=where), what + expected)
