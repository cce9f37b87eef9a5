"""QQ NT exports: the JSON of QQ Chat Exporter (QCE), the exporter most QQ NT users run today.

QQ NT (the QQ of 2023 on) has no TXT export any more; people export a group with QQ Chat
Exporter (NapCat-based; JSON, HTML or TXT) and its JSON is what this reads: a `metadata` and a
`chatInfo` header, then `messages`, each with a `timestamp` (milliseconds; ISO text in some 4.x
versions), a `sender` (`uin` the QQ number, `uid` QQ NT's own id, `name` as shown in the group,
`groupCard`, `nickname`), `content.text` and `content.elements` (typed parts: text, image, audio,
video, file, face, reply …), and `system` for grey tips (joins, leaves, recalls).

QCE writes no roles (owner, admin): keep them in the settings file (`import --settings`).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from playbook.core.errors import Location
from playbook.core.i18n import Text
from playbook.importers.builder import SnapshotBuilder
from playbook.importers.common import epoch_of_naive, fail
from playbook.importers.jsonio import iter_items, scan_header
from playbook.importers.progress import ByteMeter
from playbook.importers.qqtext import SystemLine, apply_system, body_kind, parse_system
from playbook.importers.shapes import CHAT_ID, FLAG, STAMP, TEXT_OR_NULL, Shape, list_of

EXPECTED = Text("QQ Chat Exporter 导出的 QQ NT 聊天记录 JSON", "a QQ NT chat export JSON of QQ Chat Exporter")
NO_TIME = Text("没有时间的消息", "messages without a time")
NO_SENDER = Text("没有发送者的消息", "messages without a sender")
# Parts of `content.elements` that make a message that medium (anything with text stays text).
ELEMENT_KINDS = {
    "image": "image",
    "audio": "voice",
    "video": "video",
    "file": "file",
    "face": "sticker",
    "market_face": "sticker",
    "forward": "other",
    "json": "link",
    "location": "other",
}
RED_PACKET = re.compile(r"\[(?:QQ)?红包\]|红包消息")
INVITED = re.compile(r"^(.+?)\s*邀请\s*(.+?)\s*加入了?群聊")
NOT_EXPORT = (
    "没有 'chatInfo' 和 'messages'；不是 QQ Chat Exporter 导出的 JSON",
    "no 'chatInfo' and 'messages': not a QQ Chat Exporter JSON export",
)

HEADER = Shape(
    {
        "chatInfo": {"type": "object", "properties": {"name": TEXT_OR_NULL, "type": TEXT_OR_NULL}},
        "metadata": {"type": ["object", "null"]},
    }
)
SENDER = {
    "type": ["object", "null"],
    "properties": {
        "uid": CHAT_ID,
        "uin": CHAT_ID,
        "name": TEXT_OR_NULL,
        "groupCard": TEXT_OR_NULL,
        "nickname": TEXT_OR_NULL,
    },
}
ELEMENT = {
    "type": ["object", "null"],
    "properties": {"type": TEXT_OR_NULL, "data": {"type": ["object", "null"]}},
}
MESSAGE = Shape(
    {
        "timestamp": STAMP,
        "time": TEXT_OR_NULL,
        "type": TEXT_OR_NULL,
        "system": FLAG,
        "recalled": FLAG,
        "sender": SENDER,
        "content": {
            "type": ["object", "null"],
            "properties": {"text": TEXT_OR_NULL, "elements": list_of(ELEMENT)},
        },
    }
)


def read_qq_nt(paths: list[Path], builder: SnapshotBuilder, meter: ByteMeter) -> None:
    for path in paths:
        header, stop = scan_header(path, {"messages"}, EXPECTED)
        chat = header.get("chatInfo")
        if stop != "messages" or not isinstance(chat, dict):
            raise fail(str(path), *NOT_EXPORT)
        HEADER.check(str(path), [], header, EXPECTED)
        if chat.get("type") == "private":
            raise fail(
                Location(str(path), path="$.chatInfo.type"),
                "这是私聊（chatInfo.type 为 private），不是群聊；请导出群的聊天记录",
                "this is a private chat (chatInfo.type is private), not a group: export the group's chat",
            )
        builder.summary.encodings.append("UTF-8")
        builder.group_name = builder.group_name or chat.get("name") or path.stem
        builder.summary.chat = builder.summary.chat or chat.get("name")
        for message in iter_items(path, ["messages"], meter, EXPECTED, MESSAGE):
            _read_message(message, builder)


def _read_message(message: dict[str, Any], builder: SnapshotBuilder) -> None:
    at = _epoch(message, builder)
    if at is None:
        builder.summary.reject(NO_TIME)
        return
    content = message.get("content") or {}
    text = content.get("text") or ""
    sender = message.get("sender") or {}
    sender_id = _sender_id(sender)
    if message.get("system") or message.get("type") == "system":
        day = builder.service(at, text, sender_id)
        if day is not None:
            apply_system(_system_event(text), day, at, builder)
        return
    if sender_id is None:
        builder.summary.reject(NO_SENDER)
        return
    name = sender.get("groupCard") or sender.get("name") or sender.get("nickname") or None
    kind = _kind(text, content.get("elements") or [])
    builder.message(at, sender_id, name, kind, text)


def _epoch(message: dict[str, Any], builder: SnapshotBuilder) -> float | None:
    """`timestamp` in milliseconds (seconds in a few files), else ISO text, else `time`."""
    stamp = message.get("timestamp")
    if isinstance(stamp, (int, float)) and not isinstance(stamp, bool) and stamp > 0:
        return stamp / 1000 if stamp > 10**11 else float(stamp)
    for text in (stamp, message.get("time")):
        if isinstance(text, str) and text.strip():
            try:
                if text.strip().endswith("Z"):
                    return datetime.fromisoformat(text.strip()[:-1] + "+00:00").timestamp()
                return epoch_of_naive(text, builder.options.tz)  # QCE's `time`: local, no offset
            except ValueError:
                continue
    return None


def _sender_id(sender: dict[str, Any]) -> str | None:
    """The QQ number when the export has it (what people know), else QQ NT's uid."""
    for key in ("uin", "uid"):
        value = str(sender.get(key) or "").strip()
        if value and value not in ("0", "未知"):
            return value
    return None


def _kind(text: str, elements: list[Any]) -> str:
    if RED_PACKET.search(text):
        return "red_packet"
    types = [str(part.get("type")) for part in elements if isinstance(part, dict)]
    if "text" in types and any(_has_words(part) for part in elements if isinstance(part, dict)):
        return "text"
    for kind in types:
        if kind in ELEMENT_KINDS:
            return ELEMENT_KINDS[kind]
    return body_kind(text) if text else "other"


def _has_words(part: dict[str, Any]) -> bool:
    """A text part that says something (QCE also writes `[图片: x.png]` as text beside the image)."""
    data = part.get("data") or {}
    words = str(data.get("text") or "") if part.get("type") == "text" else ""
    return bool(re.sub(r"\[[^\]]*\]", "", words).strip())


def _system_event(text: str) -> SystemLine | None:
    """Joins and leaves in a grey tip: `A 邀请 B、C 加入了群聊`, `B 加入了群聊`, `B 退出了群聊`, `B 已被移出群聊`."""
    invited = INVITED.match(text.strip())
    if invited:
        return SystemLine("join", tuple(n.strip() for n in re.split(r"[、,，]", invited[2]) if n.strip()))
    event = parse_system(text.replace("已被", "被"))
    return event
