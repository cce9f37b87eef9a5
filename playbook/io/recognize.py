"""Tell a chat export from a snapshot, so `audit export.json` says "import it first" instead of
listing every key of the export as unknown.

Only consulted for a file that failed the snapshot schema: a valid snapshot never pays for it.
Each rule looks at what the export tools write at the top of their files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from playbook.core.i18n import Text

TELEGRAM_CHAT_TYPES = (
    "private_group",
    "private_supergroup",
    "public_supergroup",
    "public_channel",
    "private_channel",
    "personal_chat",
    "bot_chat",
    "saved_messages",
)


def _telegram(data: Any) -> bool:
    if not isinstance(data, Mapping):
        return False
    one_chat = data.get("type") in TELEGRAM_CHAT_TYPES and isinstance(data.get("messages"), list)
    whole_account = isinstance(data.get("chats"), Mapping) and "list" in data["chats"]
    return one_chat or whole_account


def _discord(data: Any) -> bool:
    return isinstance(data, Mapping) and {"guild", "channel", "messages"} <= data.keys()


def _wechat_json(data: Any) -> bool:
    return isinstance(data, Mapping) and (
        "weflow" in data
        or "echotrace" in data
        or ("session" in data and isinstance(data.get("messages"), list))
    )


def _wechat_csv(data: Any) -> bool:
    first_line = data.lstrip("\ufeff").split("\n", 1)[0] if isinstance(data, str) else ""
    return "localId" in first_line and "CreateTime" in first_line


def _qq_nt(data: Any) -> bool:
    return (
        isinstance(data, Mapping)
        and isinstance(data.get("chatInfo"), Mapping)
        and isinstance(data.get("messages"), list)
    )


def _qq_text(data: Any) -> bool:
    return isinstance(data, str) and data.lstrip("\ufeff").startswith("消息记录")


# (test, `playbook import` format, what the file is): the first test that holds names the export.
EXPORTS: tuple[tuple[Callable[[Any], bool], str, Text], ...] = (
    (_telegram, "telegram", Text("Telegram Desktop 的聊天导出", "a Telegram Desktop chat export")),
    (_discord, "discord", Text("DiscordChatExporter 的频道导出", "a DiscordChatExporter channel export")),
    (
        _wechat_json,
        "wechat",
        Text("微信聊天记录导出 (WeFlow/EchoTrace JSON)", "a WeChat chat export (WeFlow/EchoTrace JSON)"),
    ),
    (_wechat_csv, "wechat", Text("微信聊天记录导出 (MemoTrace CSV)", "a WeChat chat export (MemoTrace CSV)")),
    (
        _qq_nt,
        "qq-nt",
        Text("QQ NT 聊天记录导出 (QQ Chat Exporter JSON)", "a QQ NT chat export (QQ Chat Exporter JSON)"),
    ),
    (_qq_text, "qq", Text("QQ 消息管理器导出的聊天记录", "a QQ message manager export")),
)


def recognize_export(data: Any) -> tuple[str, Text] | None:
    """(`playbook import` format, what the file is) when `data` is a known chat export, else None."""
    for looks_like, fmt, what in EXPORTS:
        if looks_like(data):
            return fmt, what
    return None
