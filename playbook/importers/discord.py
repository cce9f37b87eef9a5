"""DiscordChatExporter JSON: one file per channel or thread, merged into one server snapshot."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from playbook.core.i18n import Text
from playbook.importers.builder import SnapshotBuilder
from playbook.importers.common import fail
from playbook.importers.jsonio import iter_items, scan_header
from playbook.importers.progress import ByteMeter
from playbook.importers.shapes import CHAT_ID, FLAG, LIST_OR_NULL, TEXT_OR_NULL, Shape, list_of

EXPECTED = Text("DiscordChatExporter 导出的 JSON", "a DiscordChatExporter JSON export")
MEMBER_KINDS = (
    "Default",
    "Reply",
    "ThreadStarterMessage",
    "ChatInputCommand",
    "ContextMenuCommand",
    "19",
    "0",
)
JOIN_KINDS = ("GuildMemberJoin", "UserJoin", "7")
IMAGE_ENDINGS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp")
VIDEO_ENDINGS = (".mp4", ".mov", ".webm", ".mkv")
AUDIO_ENDINGS = (".mp3", ".ogg", ".wav", ".m4a")
NO_TIME = Text("没有时间的消息", "messages without a time")
NO_AUTHOR = Text("没有作者的消息", "messages without an author")
# What the importer reads (DiscordChatExporter writes ids as text, `type` as a name or a number).
HEADER = Shape(
    {
        "guild": {"type": "object", "properties": {"id": CHAT_ID, "name": TEXT_OR_NULL}},
        "channel": {"type": "object", "properties": {"name": TEXT_OR_NULL}},
    }
)
MESSAGE = Shape(
    {
        "timestamp": TEXT_OR_NULL,
        "type": {"type": ["string", "integer", "null"]},
        "content": TEXT_OR_NULL,
        "author": {
            "type": ["object", "null"],
            "properties": {"id": CHAT_ID, "name": TEXT_OR_NULL, "nickname": TEXT_OR_NULL, "isBot": FLAG},
        },
        "attachments": list_of({"type": "object", "properties": {"fileName": TEXT_OR_NULL}}),
        "stickers": LIST_OR_NULL,
        "embeds": LIST_OR_NULL,
    }
)


def read_discord(paths: list[Path], builder: SnapshotBuilder, meter: ByteMeter) -> None:
    channels = []
    for path in paths:
        header, stop = scan_header(path, {"messages"}, EXPECTED)
        guild, channel = header.get("guild"), header.get("channel")
        if stop != "messages" or not isinstance(guild, dict) or not isinstance(channel, dict):
            raise fail(
                str(path),
                "没有 'guild'、'channel' 和 'messages'；这不是 DiscordChatExporter 导出的 JSON",
                "no 'guild', 'channel' and 'messages': not a DiscordChatExporter JSON export",
            )
        HEADER.check(str(path), [], header, EXPECTED)
        _check_guild(path, builder, guild)
        channels.append(str(channel.get("name")))
        builder.summary.encodings.append("UTF-8")
        for message in iter_items(path, ["messages"], meter, EXPECTED, MESSAGE):
            read_message(message, builder)
    builder.summary.chat = ", ".join(sorted(set(channels)))


def _check_guild(path: Path, builder: SnapshotBuilder, guild: dict[str, Any]) -> None:
    """All files must come from one server: a snapshot describes one community."""
    guild_id = str(guild.get("id"))
    if builder.group_id is not None and builder.group_id != guild_id:
        raise fail(
            str(path),
            "这个文件来自另一个服务器 '{n}' ({i})，前面的文件来自 '{m}' ({j})",
            "this file comes from another server '{n}' ({i}); earlier files are from '{m}' ({j})",
            n=guild.get("name"),
            i=guild_id,
            m=builder.group_name,
            j=builder.group_id,
        )
    builder.group_id, builder.group_name = guild_id, str(guild.get("name") or guild_id)


def read_message(message: dict[str, Any], builder: SnapshotBuilder) -> None:
    try:
        at = datetime.fromisoformat(str(message["timestamp"])).timestamp()
    except (KeyError, ValueError):
        builder.summary.reject(NO_TIME)
        return
    author = message.get("author") or {}
    author_id = str(author.get("id") or "")
    kind = str(message.get("type", "Default"))
    if not author_id:
        builder.summary.reject(NO_AUTHOR)
        return
    name = author.get("nickname") or author.get("name")
    if kind in MEMBER_KINDS:
        role = "bot" if author.get("isBot") else None
        builder.message(at, author_id, name, _kind_of(message), message.get("content") or "", role=role)
        return
    day = builder.service(at, f"{kind}: {message.get('content') or ''}", author_id)
    if day is not None and kind in JOIN_KINDS:
        builder.join(day, at, author_id, name)


def _kind_of(message: dict[str, Any]) -> str:
    if message.get("stickers"):
        return "sticker"
    attachments = message.get("attachments") or []
    if attachments and not message.get("content"):
        return _attachment_kind(str(attachments[0].get("fileName", "")).lower())
    if message.get("content"):
        return "text"
    return "link" if message.get("embeds") else "other"


def _attachment_kind(name: str) -> str:
    if name.endswith(IMAGE_ENDINGS):
        return "image"
    if name.endswith(VIDEO_ENDINGS):
        return "video"
    if name.endswith(AUDIO_ENDINGS):
        return "voice"
    return "file"
