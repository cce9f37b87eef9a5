"""Assembling the snapshot dict (DESIGN §1) from what the builder gathered."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text
from playbook.importers.builder import Member, SnapshotBuilder
from playbook.importers.common import day_of, iso_at, iso_day


def assemble_snapshot(builder: SnapshotBuilder, where: str) -> dict[str, Any]:
    """The snapshot; windows (7 and 30 days) end on the capture day, in the snapshot's zone."""
    captured = _captured_epoch(builder, where)
    builder.settle_names()
    tz = builder.options.tz
    cap_day = day_of(captured, tz)
    members = [_member_row(m, cap_day, tz) for m in builder.members.values()]
    members.sort(key=lambda row: (-row["messages_total"], row["id"]))
    activity: dict[str, Any] = {"daily": _daily_rows(builder, cap_day)}
    if builder.options.include_messages:
        activity["messages"] = sorted(builder.messages, key=lambda item: item["at"])
    builder.summary.members = len(members)
    builder.summary.left_members = sum(1 for row in members if "left_at" in row)
    group: dict[str, Any] = {"name": builder.group_name or "?"}
    if builder.group_id:
        group = {"id": builder.group_id, **group}
    return {
        "snapshot": 1,
        "captured_at": datetime.fromtimestamp(captured, tz).isoformat(timespec="seconds"),
        "timezone": tz.key,
        "platform": builder.platform,
        "group": group,
        "members": {"source": "export", "list": members},
        "activity": activity,
    }


def _captured_epoch(builder: SnapshotBuilder, where: str) -> float:
    if builder.options.captured_at is not None:
        return builder.options.captured_at.timestamp()
    if builder.last_at is None:
        raise PlaybookError.at(
            where,
            Text("导出文件里没有任何带时间的消息", "the export holds no dated messages"),
            Text(
                "请确认导出的是群聊记录，并且选择了正确的群 (--chat)",
                "check that this is a group chat export and the right chat (--chat)",
            ),
        )
    return builder.last_at


def _has_left(member: Member) -> bool:
    """A leave after the member's last join and last message: no longer in the group."""
    latest = max(member.joined_at or float("-inf"), member.last_at or float("-inf"))
    return member.left_at is not None and member.left_at >= latest


def _member_row(member: Member, cap_day: int, tz: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"id": member.id, "name": member.name or member.id}
    if member.role:
        row["role"] = member.role
    if member.joined_at is not None:
        row["joined_at"] = iso_at(member.joined_at, tz)
    if member.first_at is not None and member.last_at is not None:
        row["first_active_at"] = iso_at(member.first_at, tz)
        row["last_active_at"] = iso_at(member.last_at, tz)
    if member.left_at is not None and _has_left(member):
        row["left_at"] = iso_at(member.left_at, tz)
    row["messages_7d"] = _window(member, cap_day, 7)
    row["messages_30d"] = _window(member, cap_day, 30)
    row["messages_total"] = member.total
    return row


def _window(member: Member, cap_day: int, days: int) -> int:
    return sum(n for day, n in member.recent.items() if cap_day - days < day <= cap_day)


def _daily_rows(builder: SnapshotBuilder, cap_day: int) -> list[dict[str, Any]]:
    """One row per calendar day from the first record to the capture day, quiet days as zeros."""
    if not builder.days:
        return []
    first = min(builder.days)
    builder.summary.first_day, builder.summary.last_day = iso_day(first), iso_day(max(builder.days))
    rows = []
    for ordinal in range(first, cap_day + 1):
        day = builder.days.get(ordinal)
        if day is None:
            rows.append({"date": iso_day(ordinal), "messages": 0, "speakers": 0, "joins": 0, "leaves": 0})
            continue
        rows.append(
            {
                "date": iso_day(ordinal),
                "messages": day.messages,
                "speakers": day.count_speakers(),
                "joins": day.joins,
                "leaves": day.leaves,
            }
        )
    return rows
