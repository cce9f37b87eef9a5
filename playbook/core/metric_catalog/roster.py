"""Roster metrics: who is in the group, in which role, with which tags, and how newcomers fare."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playbook.core.metrics import SnapshotView, _ratio, metric

NOT_SEED_ROLES = {"seed", "core", "kol"}
CORE_TAGS = frozenset({"core", "kol"})


@metric(
    "member_count",
    ("成员数", "members"),
    (
        "当前成员名单人数（members.list，不含已退群）；名单来自导出或不完整（members.complete: false）时用 members.count",
        "people on the roster now (members.list without those who left); members.count when the list comes from an "
        "export or is partial (members.complete: false)",
    ),
    needs=("members.list", "members.count"),
)
def member_count(v: SnapshotView) -> int | None:
    if v.roster_complete and v.members is not None:
        return len(v.members)
    count = (v.data.get("members") or {}).get("count")
    return int(count) if isinstance(count, int) else None


def _admins_known(v: SnapshotView) -> bool:
    """An export lists speakers without roles: no admin found there does not mean no admin."""
    return v.members is not None and (v.roster_complete or bool(v.admins))


@metric(
    "admin_count",
    ("管理员数", "admins"),
    (
        "名单上的群主和管理员人数；名单来自导出且没人标了角色时为空",
        "owner and admins on the roster; null for an export-only roster where nobody carries a role",
    ),
    needs=("members.list[].role",),
)
def admin_count(v: SnapshotView) -> int | None:
    return len(v.admins) if _admins_known(v) else None


@metric(
    "active_admins_7d",
    ("7天内活跃的管理员", "admins active in 7 days"),
    (
        "最近 7 天发过言的群主和管理员人数；名单来自导出且没人标了角色时为空",
        "owner and admins whose last_active_at is within the last 7 days; null for an export-only roster "
        "where nobody carries a role",
    ),
    needs=("members.list[].role", "members.list[].last_active_at"),
)
def active_admins_7d(v: SnapshotView) -> int | None:
    if not _admins_known(v) or v.now is None:
        return None
    return sum(1 for m in v.admins if v.within(m.get("last_active_at"), 7))


@metric(
    "tagged_member_ratio",
    ("有标签的成员占比", "members with tags"),
    ("至少有一个标签的成员 ÷ 成员数", "share of roster members with at least one tag"),
    needs=("members.list[].tags",),
)
def tagged_member_ratio(v: SnapshotView) -> float | None:
    if not v.roster_complete or not v.members:
        return None
    return len(v.tagged) / len(v.members)


def _tagged(v: SnapshotView, *tags: str) -> list[Mapping[str, Any]]:
    return [m for m, has in v.tagged if not has.isdisjoint(tags)]


def _tags_known(v: SnapshotView) -> bool:
    """An export lists speakers without the operator's tags: no core member found there does not
    mean there is none (as with roles in `_admins_known`)."""
    return v.members is not None and (v.roster_complete or any(m.get("tags") for m in v.members))


@metric(
    "core_member_count",
    ("核心成员数", "core members"),
    (
        "标签为 core 或 kol 的成员数；名单来自导出且没人有标签时为空",
        "members tagged core or kol; null for an export-only roster where nobody carries a tag",
    ),
    needs=("members.list[].tags",),
)
def core_member_count(v: SnapshotView) -> int | None:
    return len(_tagged(v, *CORE_TAGS)) if _tags_known(v) else None


@metric(
    "active_core_member_count",
    ("7天内发言的核心成员", "core members active in 7 days"),
    (
        "标签为 core 或 kol、最近 7 天发过言（messages_7d > 0 或 last_active_at 在 7 天内）的成员数",
        "members tagged core or kol who spoke in the last 7 days (messages_7d > 0 or last_active_at within 7 days)",
    ),
    needs=("members.list[].tags", "members.list[].last_active_at"),
)
def active_core_member_count(v: SnapshotView) -> int | None:
    if not _tags_known(v):
        return None
    members = v.members or []
    return sum(
        1
        for m, active in zip(members, v.active_within(7), strict=True)
        if (tags := m.get("tags")) and not CORE_TAGS.isdisjoint(tags) and (m.get("messages_7d") or active)
    )


@metric(
    "members_per_admin",
    ("每位管理员对应的成员数", "members per admin"),
    (
        "非机器人成员数 ÷ 群主和管理员人数（没有管理员时按 1 位算）",
        "members who are not bots ÷ owner and admins (counted as 1 when there are none)",
    ),
    needs=("members.list[].role",),
)
def members_per_admin(v: SnapshotView) -> float | None:
    admins = admin_count(v)
    if admins is None or v.members is None:
        return None
    people = len(v.roles) - v.roles.count("bot")
    return people / max(admins, 1)


@metric(
    "seed_member_count",
    ("种子用户数", "seed members"),
    (
        "标签为 seed 的成员数；名单来自导出且没人有标签时为空",
        "members tagged seed; null for an export-only roster where nobody carries a tag",
    ),
    needs=("members.list[].tags",),
)
def seed_member_count(v: SnapshotView) -> int | None:
    return len(_tagged(v, "seed")) if _tags_known(v) else None


@metric(
    "seed_role_count",
    ("种子用户角色数", "seed roles"),
    (
        "种子用户身上除 seed/core/kol 以外的不同标签数（如 expert、connector、talker、insider）",
        "distinct tags other than seed/core/kol among seed members (e.g. expert, connector, talker, insider)",
    ),
    needs=("members.list[].tags",),
)
def seed_role_count(v: SnapshotView) -> int | None:
    if not _tags_known(v):
        return None
    roles = {t for m in _tagged(v, "seed") for t in m.get("tags") or ()}
    return len(roles - NOT_SEED_ROLES)


@metric(
    "member_cap",
    ("人数上限", "member cap"),
    (
        "group.member_limit（群的实际上限），否则平台资料表（rulesets/platforms.yaml）里的上限",
        "group.member_limit (the group's live cap), else the platform's cap from rulesets/platforms.yaml",
    ),
    needs=("group.member_limit", "platform"),
)
def member_cap(v: SnapshotView) -> int | None:
    live = v.group.get("member_limit")
    return live if isinstance(live, int) and live > 0 else v.facts.get("member_cap")


@metric(
    "capacity_ratio",
    ("容量占用", "capacity used"),
    ("成员数 ÷ 人数上限", "member_count ÷ member_cap"),
    needs=("members.list", "group.member_limit"),
)
def capacity_ratio(v: SnapshotView) -> float | None:
    return _ratio(member_count(v), member_cap(v))


# ── newcomers ────────────────────────────────────────────────────────────────


def _join_times_known(v: SnapshotView) -> bool:
    """A full roster with join times, and a capture time to measure them from."""
    return v.roster_complete and v.now is not None and any(m.get("joined_at") for m in v.members or [])


def _joined_within(v: SnapshotView, days: float) -> list[Mapping[str, Any]] | None:
    """Current members who joined in the window; None without a full roster with join times."""
    if not _join_times_known(v):
        return None
    return v.memo(
        ("joined_within", days),
        lambda: [m for m, hit in zip(v.members or [], v.joined_within(days), strict=True) if hit],
    )


@metric(
    "newcomers_30d",
    ("30天新成员", "newcomers in 30 days"),
    (
        "最近 30 天入群、现在仍在群里的成员数（完整名单），否则用 30 天入群人数（joins_30d）",
        "current roster members who joined in the last 30 days (full roster), else joins_30d",
    ),
    needs=("members.list[].joined_at", "activity.daily"),
)
def newcomers_30d(v: SnapshotView) -> int | None:
    joined = _joined_within(v, 30)
    if joined is not None:
        return len(joined)
    return v.daily_sum("joins", 30)


def _joiners_30d(v: SnapshotView, staying: int) -> int | None:
    """Everyone who joined in 30 days, leavers included: daily joins, else a roster that keeps leavers."""
    from_rows = v.daily_sum("joins", 30) if any("joins" in r for r in v.daily_rows) else None
    if from_rows is not None:
        return max(from_rows, staying)
    listed = (v.data.get("members") or {}).get("list") or []
    if not any(m.get("left_at") for m in listed):
        return None  # the roster does not record leavers: nobody can tell who left
    return sum(1 for m in listed if v.within(m.get("joined_at"), 30))


@metric(
    "newcomer_retention_30d",
    ("新人留存率", "newcomer retention"),
    (
        "最近 30 天入群的人里现在还在群里的比例：仍在名单上的新人 ÷ 30 天入群人数"
        "（日数据的 joins，或记录了退群者 left_at 的名单）；没有新人时为空",
        "share of the last 30 days' joiners still in the group: newcomers on the roster ÷ joins in 30 days "
        "(daily joins, or a roster that records leavers with left_at); null when nobody joined",
    ),
    needs=("activity.daily", "members.list[].joined_at", "members.list[].left_at"),
)
def newcomer_retention_30d(v: SnapshotView) -> float | None:
    staying = _joined_within(v, 30)
    if staying is None:
        return None
    joiners = _joiners_30d(v, len(staying))
    return None if not joiners else len(staying) / joiners


def _has_spoken(v: SnapshotView, m: Mapping[str, Any]) -> bool:
    if m.get("messages_30d") or (v.messages and str(m.get("id")) in v.messages.speakers[30]):
        return True
    active, joined = v.time(m.get("last_active_at")), v.time(m.get("joined_at"))
    return active is not None and joined is not None and active >= joined


@metric(
    "newcomer_activation_30d",
    ("新人开口率", "newcomer activation"),
    (
        "最近 30 天入群的成员中已经发过言的比例（last_active_at 不早于入群时间、messages_30d > 0 或在消息记录里出现）",
        "share of members who joined in the last 30 days and have spoken (last_active_at at or after joining, "
        "messages_30d > 0, or seen in the message log)",
    ),
    needs=("members.list[].joined_at", "members.list[].last_active_at"),
)
def newcomer_activation_30d(v: SnapshotView) -> float | None:
    joined = _joined_within(v, 30)
    if not joined:
        return None
    return sum(1 for m in joined if _has_spoken(v, m)) / len(joined)


def _welcomes(v: SnapshotView) -> list[float] | None:
    events = v.data.get("events")
    if events is None:
        return None
    return [t.timestamp() for e in events if e.get("kind") == "welcome" and (t := v.time(e.get("at")))]


@metric(
    "newcomers_unwelcomed_7d",
    ("7天内未被欢迎的新人", "newcomers not welcomed (7 days)"),
    (
        "最近 7 天入群、入群 24 小时内没有欢迎（events 中 kind 为 welcome 的事件）的成员数；"
        "入群不满 24 小时的不算；开启自动欢迎（automation.welcome）时为 0；没有欢迎数据时为空",
        "members who joined in the last 7 days with no welcome event (events of kind welcome) within 24 hours "
        "of joining; those who joined less than 24 hours ago are not counted; 0 with automation.welcome; "
        "null without welcome data",
    ),
    needs=("members.list[].joined_at", "events", "automation.welcome"),
)
def newcomers_unwelcomed_7d(v: SnapshotView) -> int | None:
    if not _join_times_known(v):
        return None
    if (v.data.get("automation") or {}).get("welcome") is True:
        return 0
    welcomes = _welcomes(v)
    if not welcomes:
        return None
    joined = _joined_within(v, 7) or []
    day = 86400.0
    missed = 0
    for m in joined:
        start = v.time(m.get("joined_at"))
        if start is None or (v.days_ago(m.get("joined_at")) or 0) < 1:
            continue
        t0 = start.timestamp()
        missed += not any(t0 <= w <= t0 + day for w in welcomes)
    return missed
