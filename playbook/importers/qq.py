"""The legacy QQ message-manager TXT export: sections per chat, `time nickname(QQ)` headers.

The file is read twice, line by line: once to list its chats (an "export all" file holds many
`消息对象` sections), once to read the chosen chat's messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from playbook.core.i18n import Text
from playbook.importers.builder import SnapshotBuilder
from playbook.importers.common import fail
from playbook.importers.pick import pick_chat
from playbook.importers.progress import ByteMeter
from playbook.importers.qqtext import apply_system, body_kind, parse_system, split_sender
from playbook.importers.textio import label, read_lines, sniff_encoding

HEADER = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\s*([AaPp][Mm]))?\s+(\S.*?)\s*$"
)
SECTION = re.compile(r"^(消息分组|消息对象)[:：](.*)$")
SEPARATOR = re.compile(r"^={20,}\s*$")
BAD_TIME = Text("时间无效的消息", "messages with an impossible time")
STRAY = Text("不属于任何消息的文字行", "text lines outside any message")
NOT_QQ = (
    "没有找到 QQ 消息记录的格式（消息对象/时间 昵称(QQ号)）；这不是 QQ 消息管理器导出的 TXT",
    "no QQ message lines ('消息对象:' sections or 'time nickname(QQ)' headers): not a QQ "
    "message-manager TXT export",
)


def read_qq(paths: list[Path], builder: SnapshotBuilder, meter: ByteMeter) -> None:
    """Either QQ export, told apart by the first character: `{` starts QQ NT's JSON, anything else TXT."""
    for path in paths:
        with path.open("rb") as handle:
            start = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
        if start.startswith(b"{"):
            from playbook.importers.qqnt import read_qq_nt

            read_qq_nt([path], builder, meter)
            continue
        codec = sniff_encoding(path)
        builder.summary.encodings.append(label(codec))
        chats = list_sections(path, codec)
        chosen = _choose(path, chats, builder)
        builder.group_name = builder.group_name or (chosen[1] if chosen else path.stem)
        _read_messages(path, codec, chosen, builder, meter)


def list_sections(path: Path, codec: str) -> list[dict[str, Any]]:
    """The distinct (folder, chat) sections, in order; fails when nothing looks like QQ."""
    chats: dict[tuple[str, str], dict[str, Any]] = {}
    folder, headers = "", 0
    for _number, line in read_lines(path, codec, ByteMeter([], None)):
        found = SECTION.match(line)
        if found and found[1] == "消息分组":
            folder = found[2].strip()
        elif found:
            key = (folder, found[2].strip())
            chats.setdefault(key, {"name": key[1], "type": folder, "id": None})
        elif headers < 1 and HEADER.match(line):
            headers += 1
    if not chats and not headers:
        raise fail(str(path), *NOT_QQ)
    return list(chats.values())


def _choose(path: Path, chats: list[dict[str, Any]], builder: SnapshotBuilder) -> tuple[str, str] | None:
    if not chats:
        return None
    groups = [c for c in chats if "群" in c["type"] or "多人" in c["type"]]
    index = pick_chat(
        str(path), chats, groups, builder.options.chat, lambda chat: f"{chat['name']} ({chat['type'] or '-'})"
    )
    builder.summary.chat = chats[index]["name"]
    return chats[index]["type"], chats[index]["name"]


def _read_messages(
    path: Path, codec: str, chosen: tuple[str, str] | None, builder: SnapshotBuilder, meter: ByteMeter
) -> None:
    for _where, header, body in _messages(path, codec, chosen, builder, meter):
        at = _epoch(header, builder)
        if at is None:
            builder.summary.reject(BAD_TIME)
            continue
        _read_one(at, header[8], "\n".join(body).strip("\n"), builder)


def _messages(
    path: Path, codec: str, chosen: tuple[str, str] | None, builder: SnapshotBuilder, meter: ByteMeter
) -> Iterator[tuple[str, re.Match[str], list[str]]]:
    """(where, header match, body lines) of every message in the chosen chat's sections."""
    folder, active = "", chosen is None
    header: re.Match[str] | None = None
    body: list[str] = []
    where, after_break = "", True
    for number, line in read_lines(path, codec, meter):
        section = SECTION.match(line)
        found = HEADER.match(line) if after_break else None
        if section or SEPARATOR.match(line) or found:
            if header is not None:
                yield where, header, body
            header, body = None, []
            if section and section[1] == "消息分组":
                folder = section[2].strip()
            elif section:
                active = chosen == (folder, section[2].strip())
            if found and active:
                header, where = found, f"{path}:{number}"
        elif header is not None:
            body.append(line)
        elif line.strip() and active:
            builder.summary.skip(STRAY)
        after_break = not line.strip() or section is not None or bool(SEPARATOR.match(line))
    if header is not None:
        yield where, header, body


def _epoch(header: re.Match[str], builder: SnapshotBuilder) -> float | None:
    year, month, day, hour, minute, second = (int(header[i]) for i in range(1, 7))
    half = (header[7] or "").upper()
    if half:  # 12-hour clock: 12 AM is midnight, 12 PM is noon
        hour = hour % 12 + (12 if half == "PM" else 0)
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=builder.options.tz)
    except ValueError:
        return None
    return moment.timestamp()


def _read_one(at: float, sender: str, text: str, builder: SnapshotBuilder) -> None:
    who = split_sender(sender)
    if who.system:
        day = builder.service(at, text)
        if day is not None:
            apply_system(parse_system(text), day, at, builder)
        return
    builder.message(at, who.id, who.name, body_kind(text), text, role=who.role)
