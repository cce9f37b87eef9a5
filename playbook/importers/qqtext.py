"""The small languages inside a QQ TXT export: sender headers, media placeholders, system lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playbook.importers.builder import SnapshotBuilder

# The id is the last `(digits)` or `<e-mail>` at the end: nicknames may hold brackets themselves.
SENDER = re.compile(r"^(.*?)\s*(?:\((\d+)\)|<([^<>\s]+)>)$")
TITLES = re.compile(r"^((?:【[^】]*】\s*)+)")
SYSTEM_IDS = ("10000", "1000000")
PLACEHOLDERS = {
    "图片": "image",
    "表情": "sticker",
    "语音": "voice",
    "视频": "video",
    "文件": "file",
    "QQ红包": "red_packet",
    "红包": "red_packet",
    "链接": "link",
    "卡片消息": "link",
    "分享": "link",
    "音乐": "link",
    "小程序": "link",
    "转账": "other",
    "位置": "other",
    "拍一拍": "other",
    "聊天记录": "other",
    "转发": "other",
    "回复": "text",
}
PLACEHOLDER = re.compile(r"\[(" + "|".join(map(re.escape, PLACEHOLDERS)) + r")\]")
JOIN = re.compile(r"^(.+?)\s*(?:加入本群|加入了群聊|已加入该群|加入了本群)")
LEAVE = re.compile(r"^(.+?)\s*(?:退出了群聊|退出本群|已退出该群|离开了本群|退出了本群)")
REMOVED = re.compile(r"^(.+?)\s*被.{0,12}?移出(?:了)?(?:本群|群聊)")


@dataclass(frozen=True)
class Sender:
    """Who wrote a message, as the header line names them."""

    id: str
    name: str
    role: str | None = None
    system: bool = False


@dataclass(frozen=True)
class SystemLine:
    """A join or leave notice and the names in it."""

    kind: str  # join | leave
    names: tuple[str, ...]


def split_sender(text: str) -> Sender:
    """`【管理员】昵称(12345)`, `昵称<a@b.c>`, or a bare nickname (discussion groups: no ids)."""
    role = None
    titles = TITLES.match(text)
    if titles:
        text = text[titles.end() :]
        role = "owner" if "群主" in titles[1] else "admin" if "管理员" in titles[1] else None
    found = SENDER.match(text)
    if found and found[1]:
        name, member_id = found[1], found[2] or found[3]
    else:
        name = member_id = text.strip()
    system = member_id in SYSTEM_IDS or name == "系统消息"
    return Sender(member_id, name, role, system)


def body_kind(text: str) -> str:
    """A body made only of placeholders (`[图片]`, `[语音]`) is that medium; red packets win."""
    kinds = [PLACEHOLDERS[m] for m in PLACEHOLDER.findall(text)]
    if "red_packet" in kinds:
        return "red_packet"
    if PLACEHOLDER.sub("", text).strip():
        return "text"
    return kinds[0] if kinds else "other"


def parse_system(text: str) -> SystemLine | None:
    """Joins and leaves in a `系统消息(10000)` body; other system lines (recalls) give None."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    for kind, pattern in (("join", JOIN), ("leave", LEAVE), ("leave", REMOVED)):
        found = pattern.match(first)
        if found:
            names = tuple(n.strip() for n in re.split(r"[、,，]", found[1]) if n.strip())
            return SystemLine(kind, names)
    return None


def apply_system(event: SystemLine | None, day: int, at: float, builder: SnapshotBuilder) -> None:
    """A join or leave line (legacy TXT or QQ NT) as the builder's joins and leaves."""
    if event is None:
        return
    for name in event.names:
        if event.kind == "join":
            builder.join(day, at, builder.resolve(name), name)
        else:
            builder.leave(day, at, builder.resolve(name), name)
