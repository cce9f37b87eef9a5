"""Telegram Desktop "Export chat history" JSON: one chat, or a full-account export's chat list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson

from playbook.core.i18n import Text
from playbook.importers.builder import SnapshotBuilder
from playbook.importers.common import epoch_of_naive, epoch_of_stamp, fail
from playbook.importers.jsonio import broken, guard_items, iter_items, scan_header
from playbook.importers.pick import pick_chat
from playbook.importers.progress import ByteMeter, CountingReader
from playbook.importers.shapes import CHAT_ID, LIST_OR_NULL, STAMP, TEXT_OR_NULL, Shape
from playbook.io.documents import pointer_to_jsonpath

EXPECTED = Text("Telegram Desktop 导出的 JSON (result.json)", "Telegram Desktop export JSON (result.json)")
GROUP_TYPES = ("private_group", "private_supergroup", "public_supergroup")
JOIN_ACTIONS = ("join_group_by_link", "join_group_by_request")
MEDIA_KINDS = {
    "sticker": "sticker",
    "voice_message": "voice",
    "audio_file": "file",
    "video_message": "video",
    "video_file": "video",
    "animation": "video",
}
UNSUPPORTED = Text("Telegram 不支持导出的消息 (unsupported)", "Telegram 'unsupported' messages")
NO_TIME = Text("没有时间的消息", "messages without a time")
# What the importer reads; ids of people are text (`user123`), a chat's id a number.
CHAT = Shape({"id": CHAT_ID, "name": TEXT_OR_NULL, "type": TEXT_OR_NULL})
MESSAGE = Shape(
    {
        "type": TEXT_OR_NULL,
        "date": TEXT_OR_NULL,
        "date_unixtime": STAMP,
        "media_type": TEXT_OR_NULL,
        "from": TEXT_OR_NULL,
        "from_id": TEXT_OR_NULL,
        "actor": TEXT_OR_NULL,
        "actor_id": TEXT_OR_NULL,
        "action": TEXT_OR_NULL,
        "members": LIST_OR_NULL,
        "text": {"type": ["string", "array", "null"], "items": {"type": ["string", "object"]}},
    }
)


def read_telegram(paths: list[Path], builder: SnapshotBuilder, meter: ByteMeter) -> None:
    for path in paths:
        header, stop = scan_header(path, {"messages", "chats"}, EXPECTED)
        if stop == "chats":
            _read_full_export(path, builder, meter)
        elif stop == "messages" and "id" in header:
            CHAT.check(str(path), [], header, EXPECTED)
            _name_group(builder, header)
            for message in iter_items(path, ["messages"], meter, EXPECTED, MESSAGE):
                read_message(message, builder)
        else:
            raise fail(
                str(path),
                "没有找到 'messages' 或 'chats'；这不是 Telegram 导出的 JSON",
                "no 'messages' or 'chats' key: not a Telegram Desktop export",
            )
        builder.summary.encodings.append("UTF-8")


def _name_group(builder: SnapshotBuilder, chat: dict[str, Any]) -> None:
    builder.group_id = str(chat.get("id")) if chat.get("id") is not None else None
    builder.group_name = chat.get("name") or builder.group_id


def _read_full_export(path: Path, builder: SnapshotBuilder, meter: ByteMeter) -> None:
    """A full-account export: list the chats, pick one (`--chat`), stream its messages."""
    chats = list_chats(path)
    for index, chat in enumerate(chats):
        CHAT.check(str(path), ["chats", "list", index], chat, EXPECTED)
    groups = [c for c in chats if c.get("type") in GROUP_TYPES]
    index = pick_chat(str(path), chats, groups, builder.options.chat, _describe)
    _name_group(builder, chats[index])
    builder.summary.chat = _describe(chats[index])
    with CountingReader(path.open("rb"), meter) as handle:
        events = _events_of_chat(ijson.parse(handle, use_float=True), index)
        items = ijson.items(events, "chats.list.item.messages.item")
        for message in guard_items(path, items, ["chats", "list", index, "messages"], EXPECTED, MESSAGE):
            read_message(message, builder)


def _describe(chat: dict[str, Any]) -> str:
    return f"{chat.get('name') or '-'} (id {chat.get('id')}, {chat.get('type')})"


def list_chats(path: Path) -> list[dict[str, Any]]:
    """name, type and id of every chat in `chats.list`, in file order."""
    chats: list[dict[str, Any]] = []
    fields = {"chats.list.item." + key: key for key in ("name", "type", "id")}
    with path.open("rb") as handle:
        try:
            for prefix, event, value in ijson.parse(handle, use_float=True):
                if prefix == "chats.list.item" and event == "start_map":
                    chats.append({})
                elif prefix in fields and chats:
                    chats[-1][fields[prefix]] = value
        except ijson.JSONError as exc:  # located at the chat being read, not at the n-th parse event
            where = pointer_to_jsonpath(["chats", "list", len(chats) - 1] if chats else [])
            raise broken(path, where, EXPECTED, exc) from exc
    return chats


def _events_of_chat(events: Iterator[Any], index: int) -> Iterator[Any]:
    """Only the parse events of the chosen chat's messages reach the item builder."""
    chat = -1
    for event in events:
        prefix = event[0]
        if prefix == "chats.list.item" and event[1] == "start_map":
            chat += 1
        elif chat == index and prefix.startswith("chats.list.item.messages"):
            yield event
        elif chat > index:
            return


def read_message(message: dict[str, Any], builder: SnapshotBuilder) -> None:
    if not isinstance(message, dict) or message.get("type") == "unsupported":
        builder.summary.reject(UNSUPPORTED)
        return
    at = _time_of(message, builder)
    if at is None:
        builder.summary.reject(NO_TIME)
        return
    if message.get("type") == "service":
        _read_service(message, at, builder)
        return
    text, extra = flatten_text(message.get("text"))
    sender = str(message.get("from_id") or "deleted")
    builder.message(at, sender, message.get("from"), _kind_of(message, text), text, extra=extra)


def _time_of(message: dict[str, Any], builder: SnapshotBuilder) -> float | None:
    """`date_unixtime` when real (old exports and samples carry none or zeros), else `date`."""
    stamp = epoch_of_stamp(message.get("date_unixtime"))
    if stamp is not None:
        return stamp
    try:
        return epoch_of_naive(str(message["date"]), builder.options.tz)
    except (KeyError, ValueError):
        return None


def flatten_text(text: Any) -> tuple[str, tuple[str, ...]]:
    """Telegram `text`: a string, or a list of strings and entities; link/phone entities flag."""
    if isinstance(text, str):
        return text, ()
    if not isinstance(text, list):
        return "", ()
    parts, extra = [], set()
    for part in text:
        if isinstance(part, str):
            parts.append(part)
            continue
        kind = part.get("type")
        if kind in ("link", "text_link"):
            extra.add("link")
        elif kind == "phone":
            extra.add("phone")
        parts.append(str(part.get("text", "")))
    return "".join(parts), tuple(sorted(extra))


def _kind_of(message: dict[str, Any], text: str) -> str:
    media = message.get("media_type")
    if media in MEDIA_KINDS:
        return MEDIA_KINDS[media]
    if "photo" in message:
        return "image"
    if "file" in message:
        return "file"
    if any(key in message for key in ("poll", "location_information", "contact_information")):
        return "other"
    return "text" if text else "other"


def _read_service(message: dict[str, Any], at: float, builder: SnapshotBuilder) -> None:
    actor_id = message.get("actor_id")
    actor = message.get("actor")
    action = message.get("action", "")
    day = builder.service(at, f"{actor or ''} {action}".strip(), actor_id)
    if day is None:
        return
    members = [m for m in message.get("members") or [] if isinstance(m, str)]
    # `members` are display names; a name-only join is matched to a speaker at the end.
    if action in JOIN_ACTIONS:
        builder.join(day, at, actor_id, actor)
    elif action == "invite_members":
        if not members:  # an added member without a name: count the join all the same
            builder.join(day, at, None)
        for name in members:
            builder.join(day, at, actor_id if name == actor else _resolve(builder, name), name)
    elif action == "remove_members":
        for name in members:
            builder.leave(day, at, actor_id if name == actor else _resolve(builder, name), name)


def _resolve(builder: SnapshotBuilder, name: str | None) -> str | None:
    return builder.resolve(name) if name else None
