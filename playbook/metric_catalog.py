"""The metric catalogue: one small function per metric, with its label and definition.

`docs/metrics.md` is generated from these registrations (`playbook rules --metrics`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from playbook.metrics import AD_KINDS, ADMIN_ROLES, SnapshotView, _ratio, metric

# ── roster ───────────────────────────────────────────────────────────────────


@metric(
    "member_count",
    ("成员数", "members"),
    (
        "当前成员名单人数（members.list，不含已退群）；名单来自导出时用 members.count",
        "people on the roster now (members.list without those who left); members.count when the list comes from an export",
    ),
)
def member_count(v: SnapshotView) -> int | None:
    if v.roster_complete and v.members is not None:
        return len(v.members)
    count = (v.data.get("members") or {}).get("count")
    return int(count) if isinstance(count, int) else None


@metric("admin_count", ("管理员数", "admins"), ("群主和管理员人数", "owner and admins on the roster"))
def admin_count(v: SnapshotView) -> int | None:
    return len(v.admins) if v.members is not None else None


@metric(
    "active_admins_7d",
    ("7天内活跃的管理员", "admins active in 7 days"),
    (
        "最近 7 天发过言的群主和管理员人数",
        "owner and admins whose last_active_at is within the last 7 days",
    ),
)
def active_admins_7d(v: SnapshotView) -> int | None:
    if v.members is None or v.now is None:
        return None
    return sum(1 for m in v.admins if v.within(m.get("last_active_at"), 7))


@metric(
    "tagged_member_ratio",
    ("有标签的成员占比", "members with tags"),
    (
        "至少有一个标签的成员 ÷ 成员数",
        "share of roster members with at least one tag",
    ),
)
def tagged_member_ratio(v: SnapshotView) -> float | None:
    if not v.roster_complete or not v.members:
        return None
    return sum(1 for m in v.members if m.get("tags")) / len(v.members)


def _tagged(v: SnapshotView, *tags: str) -> list[dict[str, Any]]:
    return [m for m in v.members or [] if set(m.get("tags") or ()) & set(tags)]  # type: ignore[misc]


@metric(
    "core_member_count",
    ("核心成员数", "core members"),
    ("标签为 core 或 kol 的成员数", "members tagged core or kol"),
)
def core_member_count(v: SnapshotView) -> int | None:
    return len(_tagged(v, "core", "kol")) if v.members is not None else None


@metric("seed_member_count", ("种子用户数", "seed members"), ("标签为 seed 的成员数", "members tagged seed"))
def seed_member_count(v: SnapshotView) -> int | None:
    return len(_tagged(v, "seed")) if v.members is not None else None


@metric(
    "seed_role_count",
    ("种子用户角色数", "seed roles"),
    (
        "种子用户身上除 seed/core/kol 以外的不同标签数（如 expert、connector、talker、insider）",
        "distinct tags other than seed/core/kol among seed members (e.g. expert, connector, talker, insider)",
    ),
)
def seed_role_count(v: SnapshotView) -> int | None:
    if v.members is None:
        return None
    roles = {t for m in _tagged(v, "seed") for t in m.get("tags") or ()}
    return len(roles - {"seed", "core", "kol"})


# ── time and activity ────────────────────────────────────────────────────────


@metric(
    "age_days",
    ("建群天数", "age in days"),
    ("从 group.created_at 到 captured_at 的天数", "days from group.created_at to captured_at"),
)
def age_days(v: SnapshotView) -> float | None:
    return v.days_ago(v.group.get("created_at"))


@metric(
    "days_since_last_message",
    ("距最后一条消息天数", "days since the last message"),
    (
        "最后一条消息（原始消息记录，否则有消息的最后一个日行，否则成员最后发言时间）到现在的天数",
        "days since the last message: raw log, else the last daily row with messages, else the latest member last_active_at",
    ),
)
def days_since_last_message(v: SnapshotView) -> float | None:
    if v.messages and v.messages.last and v.now:
        return (v.now - v.messages.last) / timedelta(days=1)
    per_day = v.daily_messages
    if per_day and v.today:
        busy = [day for day, count in per_day.items() if count > 0 and day <= v.today]
        return float((v.today - max(busy)).days) if busy else None
    seen = v.dated(v.members or [], "last_active_at")
    return min(seen) if seen else None


@metric(
    "messages_7d",
    ("7天消息数", "messages in 7 days"),
    ("最近 7 个自然日的消息数", "messages on the last 7 local dates"),
)
def messages_7d(v: SnapshotView) -> int | None:
    return v.messages_between(6, 0)


@metric(
    "messages_30d",
    ("30天消息数", "messages in 30 days"),
    ("最近 30 个自然日的消息数", "messages on the last 30 local dates"),
)
def messages_30d(v: SnapshotView) -> int | None:
    return v.messages_between(29, 0)


@metric(
    "speakers_7d",
    ("7天发言人数", "speakers in 7 days"),
    (
        "最近 7 天发过言的不同成员数（原始消息，否则成员名单的 last_active_at）",
        "distinct members who spoke in the last 7 days (raw log, else roster last_active_at)",
    ),
)
def speakers_7d(v: SnapshotView) -> int | None:
    if v.messages:
        return len(v.messages.speakers[7])
    if v.members is None or v.now is None or not any(m.get("last_active_at") for m in v.members):
        return None
    return sum(1 for m in v.members if v.within(m.get("last_active_at"), 7))


@metric(
    "weekly_active_ratio",
    ("周活跃率", "weekly active ratio"),
    ("7天发言人数 ÷ 成员数", "speakers_7d ÷ member_count"),
)
def weekly_active_ratio(v: SnapshotView) -> float | None:
    return _ratio(speakers_7d(v), member_count(v))


@metric(
    "messages_per_member_day",
    ("人均日消息数", "messages per member per day"),
    (
        "最近 7 天消息数 ÷ 7 ÷ 成员数",
        "messages_7d ÷ 7 ÷ member_count",
    ),
)
def messages_per_member_day(v: SnapshotView) -> float | None:
    count = messages_7d(v)
    return None if count is None else _ratio(count / 7, member_count(v))


@metric(
    "lurker_ratio_30d",
    ("30天潜水率", "lurkers in 30 days"),
    (
        "入群超过 30 天、30 天内没发过言的普通成员 ÷ 这类成员总数（需要完整名单和入群时间）",
        "ordinary members who joined over 30 days ago and did not speak in 30 days ÷ all such members (needs the full roster with join times)",
    ),
)
def lurker_ratio_30d(v: SnapshotView) -> float | None:
    if not v.roster_complete or v.now is None:
        return None
    settled = [
        m
        for m in v.members or []
        if m.get("role") not in (*ADMIN_ROLES, "bot") and (v.days_ago(m.get("joined_at")) or 0) >= 30
    ]
    if not settled or not any("joined_at" in m for m in settled):
        return None
    silent = [m for m in settled if not v.within(m.get("last_active_at"), 30) and not m.get("messages_30d")]
    return len(silent) / len(settled)


@metric(
    "joins_30d",
    ("30天入群", "joins in 30 days"),
    (
        "最近 30 天的入群人数（日数据，否则名单入群时间）",
        "joins in the last 30 days (daily rows, else roster join times)",
    ),
)
def joins_30d(v: SnapshotView) -> int | None:
    from_rows = v.daily_sum("joins", 30)
    if from_rows is not None or not v.roster_complete:
        return from_rows
    return sum(1 for m in v.members or [] if v.within(m.get("joined_at"), 30))


@metric(
    "leaves_30d",
    ("30天退群", "leaves in 30 days"),
    ("最近 30 天的退群人数（日数据）", "leaves in the last 30 days (daily rows)"),
)
def leaves_30d(v: SnapshotView) -> int | None:
    return v.daily_sum("leaves", 30)


@metric(
    "activity_trend",
    ("活跃趋势", "activity trend"),
    (
        "最近 14 天消息数 ÷（之前 28 天消息数 ÷ 2）；1 表示持平，低于 0.6 是明显下滑",
        "messages of the last 14 days ÷ (messages of the 28 days before ÷ 2); 1 is steady, below 0.6 a clear decline",
    ),
)
def activity_trend(v: SnapshotView) -> float | None:
    recent, before = v.messages_between(13, 0), v.messages_between(41, 14)
    return None if recent is None or not before else recent / (before / 2)


@metric(
    "activity_days",
    ("有数据的天数", "days of data"),
    ("最近 35 天中有日数据的天数", "daily rows within the last 35 days"),
)
def activity_days(v: SnapshotView) -> int | None:
    per_day = v.daily_messages
    if per_day is None or v.today is None:
        return None
    return sum(1 for day in per_day if 0 <= (v.today - day).days < 35)


# ── events, content, moderation ─────────────────────────────────────────────


@metric(
    "days_since_last_event",
    ("距上次活动天数", "days since the last event"),
    ("最近一次已发生的 events[].at 到现在的天数", "days since the latest past events[].at"),
)
def days_since_last_event(v: SnapshotView) -> float | None:
    ages = v.dated(v.data.get("events"))
    return min(ages) if ages else None


@metric(
    "days_since_last_content",
    ("距上次分享内容天数", "days since the last content"),
    ("最近一次 content[].at 到现在的天数", "days since the latest content[].at"),
)
def days_since_last_content(v: SnapshotView) -> float | None:
    ages = v.dated(v.data.get("content"))
    return min(ages) if ages else None


def _incidents(v: SnapshotView) -> list[dict[str, Any]]:
    return list((v.data.get("moderation") or {}).get("incidents") or [])


@metric(
    "ad_incidents_30d",
    ("30天广告刷屏事件", "ad incidents in 30 days"),
    ("最近 30 天 kind 为 ad 或 spam 的事件数", "incidents of kind ad or spam in the last 30 days"),
)
def ad_incidents_30d(v: SnapshotView) -> int | None:
    if "moderation" not in v.data:
        return None
    return sum(1 for i in _incidents(v) if i.get("kind") in AD_KINDS and v.within(i.get("at"), 30))


@metric(
    "ad_action_rate",
    ("广告处理率", "ads acted on"),
    (
        "所有广告/刷屏事件中有处理动作（action 不是 none）的比例；没有事件时为空",
        "share of all ad/spam incidents with an action other than none; null when there are none",
    ),
)
def ad_action_rate(v: SnapshotView) -> float | None:
    ads = [i for i in _incidents(v) if i.get("kind") in AD_KINDS]
    return sum(1 for i in ads if i.get("action", "none") != "none") / len(ads) if ads else None


@metric(
    "member_cap",
    ("人数上限", "member cap"),
    ("group.member_limit，否则平台规定的上限", "group.member_limit, else the platform's cap"),
)
def member_cap(v: SnapshotView) -> int | None:
    return v.group.get("member_limit") or v.facts.get("member_cap")


@metric("capacity_ratio", ("容量占用", "capacity used"), ("成员数 ÷ 人数上限", "member_count ÷ member_cap"))
def capacity_ratio(v: SnapshotView) -> float | None:
    return _ratio(member_count(v), member_cap(v))
