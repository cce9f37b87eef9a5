"""WeChat message vocabularies: MemoTrace type codes, WeFlow type labels and system lines."""

from __future__ import annotations

import re

# MemoTrace `Type` (and `SubType` for app messages, Type 49).
TYPE_CODES = {
    1: "text",
    3: "image",
    34: "voice",
    43: "video",
    47: "sticker",
    42: "other",
    48: "other",
    50: "other",
    10000: "system",
    10002: "system",
}
APP_SUBTYPES = {
    5: "link",
    3: "link",
    33: "link",
    36: "link",
    6: "file",
    57: "text",
    19: "other",
    2000: "other",
    2001: "red_packet",
}
# WeFlow / EchoTrace `type` labels.
TYPE_LABELS = {
    "文本消息": "text",
    "图片消息": "image",
    "语音消息": "voice",
    "视频消息": "video",
    "文件消息": "file",
    "动画表情": "sticker",
    "名片消息": "other",
    "卡片式链接": "link",
    "图文消息": "link",
    "位置消息": "other",
    "红包卡片": "red_packet",
    "转账卡片": "other",
    "小程序分享": "link",
    "视频号直播卡片": "link",
    "引用消息": "text",
    "聊天记录合并转发": "other",
    "系统消息": "system",
}
Q = '["“”]'  # names are quoted, with ASCII or Chinese quotes
NAME = f"{Q}(.+?){Q}"
JOINS = [
    re.compile(f"^(?:你|{NAME})\\s*邀请{Q}(.+){Q}加入了群聊"),
    re.compile(f"^{NAME}\\s*通过扫描.*二维码加入群聊"),
    re.compile(f"^{NAME}\\s*通过.*的邀请二维码加入群聊"),
    re.compile(f"^{NAME}\\s*加入了群聊"),
]
LEAVES = [
    re.compile(f"^(?:你|{NAME})\\s*将{Q}(.+){Q}移出了群聊"),
]
TAGS = re.compile(r"<!\[CDATA\[|\]\]>|<[^>]+>")


def kind_of_code(type_code: int, subtype: int) -> str:
    if type_code == 49:
        return APP_SUBTYPES.get(subtype, "link")
    return TYPE_CODES.get(type_code, "other")


def clean_system(text: str) -> str:
    """System content without CDATA wrappers and links (`重新编辑` after a recall)."""
    return TAGS.sub("", text).replace("重新编辑", "").strip()


def parse_system(text: str) -> tuple[str, list[str]] | None:
    """('join' | 'leave', display names) for a membership line, else None."""
    for kind, patterns in (("join", JOINS), ("leave", LEAVES)):
        for pattern in patterns:
            found = pattern.match(text)
            if found:
                return kind, _names(found.groups()[-1])
    return None


def _names(group: str) -> list[str]:
    """`B、C` (one invitation of several people) -> ['B', 'C']."""
    return [name.strip(' "“”') for name in re.split(f"{Q}?、{Q}?", group) if name.strip()]
