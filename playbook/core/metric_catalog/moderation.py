"""Moderation metrics: ads and spam, removals, conflicts, read from `moderation.incidents`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from playbook.core.metric_catalog.roster import member_count
from playbook.core.metrics import AD_KINDS, SnapshotView, _ratio, metric


def _incidents(v: SnapshotView) -> list[Mapping[str, Any]] | None:
    """None when the snapshot says nothing about moderation (unknown is not zero)."""
    if "moderation" not in v.data:
        return None
    return list((v.data.get("moderation") or {}).get("incidents") or [])


def _acted_share(incidents: list[Mapping[str, Any]]) -> float | None:
    if not incidents:
        return None
    return sum(1 for i in incidents if i.get("action", "none") not in (None, "none")) / len(incidents)


@metric(
    "ad_incidents_30d",
    ("30天广告刷屏事件", "ad incidents in 30 days"),
    ("最近 30 天 kind 为 ad 或 spam 的事件数", "incidents of kind ad or spam in the last 30 days"),
    needs=("moderation.incidents",),
)
def ad_incidents_30d(v: SnapshotView) -> int | None:
    incidents = _incidents(v)
    if incidents is None:
        return None
    return sum(1 for i in incidents if i.get("kind") in AD_KINDS and v.within(i.get("at"), 30))


@metric(
    "ad_action_rate",
    ("广告处理率", "ads acted on"),
    (
        "所有广告/刷屏事件中有处理动作（action 不是 none）的比例；没有事件时为空",
        "share of all ad/spam incidents with an action other than none; null when there are none",
    ),
    needs=("moderation.incidents",),
)
def ad_action_rate(v: SnapshotView) -> float | None:
    return _acted_share([i for i in _incidents(v) or [] if i.get("kind") in AD_KINDS])


@metric(
    "removals_30d",
    ("30天踢人数", "removals in 30 days"),
    ("最近 30 天 action 为 remove 的事件数", "incidents with action remove in the last 30 days"),
    needs=("moderation.incidents",),
)
def removals_30d(v: SnapshotView) -> int | None:
    incidents = _incidents(v)
    if incidents is None:
        return None
    return sum(1 for i in incidents if i.get("action") == "remove" and v.within(i.get("at"), 30))


@metric(
    "removal_ratio_30d",
    ("30天踢人比例", "removals in 30 days per member"),
    ("30天踢人数 ÷ 成员数", "removals_30d ÷ member_count"),
    needs=("moderation.incidents", "members.list"),
)
def removal_ratio_30d(v: SnapshotView) -> float | None:
    return _ratio(removals_30d(v), member_count(v))


# Hard advertisers are removed at once (S0 §6.1): that is the rules working, not tyranny.
def _other_removals(v: SnapshotView) -> int | None:
    incidents = _incidents(v)
    if incidents is None:
        return None
    return sum(
        1
        for i in incidents
        if i.get("action") == "remove" and i.get("kind") not in AD_KINDS and v.within(i.get("at"), 30)
    )


@metric(
    "non_ad_removals_30d",
    ("30天非广告原因踢人数", "removals for other reasons than ads, 30 days"),
    (
        "最近 30 天因广告、刷屏以外的原因移出的人数（action 为 remove、kind 不是 ad 或 spam）",
        "incidents in the last 30 days with action remove and a kind other than ad or spam",
    ),
    needs=("moderation.incidents",),
)
def non_ad_removals_30d(v: SnapshotView) -> int | None:
    return _other_removals(v)


@metric(
    "non_ad_removal_ratio_30d",
    ("30天非广告原因踢人比例", "removals for other reasons than ads per member, 30 days"),
    ("30天非广告原因踢人数 ÷ 成员数", "non_ad_removals_30d ÷ member_count"),
    needs=("moderation.incidents", "members.list"),
)
def non_ad_removal_ratio_30d(v: SnapshotView) -> float | None:
    return _ratio(_other_removals(v), member_count(v))


def _conflict_day(v: SnapshotView, incident: Mapping[str, Any]) -> Any:
    at = v.time(incident.get("at"))
    return at.astimezone(v.zone).date() if at else None


def _admins_in_conflict_days(v: SnapshotView, conflicts: list[Mapping[str, Any]]) -> set[Any]:
    """Days on which the owner or an admin was themselves a party to a recorded conflict."""
    return {_conflict_day(v, i) for i in conflicts if str(i.get("member")) in v.admin_ids}


def _admin_opponent(v: SnapshotView, incident: Mapping[str, Any], admin_days: set[Any]) -> bool:
    """A conflict whose other side is the owner or an admin (named in `with`, or an owner/admin is
    a party to a conflict recorded the same day): removing the member then ends the argument by
    power, not by the rules (S4 7.2 不能偏袒任何一方)."""
    if str(incident.get("member")) in v.admin_ids:
        return False
    other = incident.get("with")
    if other is not None:
        return str(other) in v.admin_ids
    return _conflict_day(v, incident) in admin_days


def _conflicts(v: SnapshotView) -> list[Mapping[str, Any]] | None:
    incidents = _incidents(v)
    return None if incidents is None else [i for i in incidents if i.get("kind") == "conflict"]


@metric(
    "admin_opponent_removals",
    ("和群主/管理员争执后被移出的人数", "members removed after arguing with the owner or an admin"),
    (
        "kind 为 conflict、处理为移出（remove）、争执的另一方是群主或管理员的事件数：另一方写在 with 里，"
        "或者同一天有群主/管理员作为当事人的争吵记录；需要名单角色",
        "conflict incidents with action remove whose other side is the owner or an admin: named in `with`, or "
        "an owner or admin is a party to a conflict recorded the same day; needs roster roles",
    ),
    needs=("moderation.incidents", "members.list[].role"),
)
def admin_opponent_removals(v: SnapshotView) -> int | None:
    conflicts = _conflicts(v)
    if conflicts is None:
        return None
    admin_days = _admins_in_conflict_days(v, conflicts)
    return sum(1 for i in conflicts if i.get("action") == "remove" and _admin_opponent(v, i, admin_days))


def _fairly_handled(v: SnapshotView, incident: Mapping[str, Any], admin_days: set[Any]) -> bool:
    """Acted on, and a removal only where the other side is on record as an ordinary member: a
    quarrel has two sides, and is settled by mediating (S4 7.1 进行调解), not by removing one of
    them (7.2 不能偏袒任何一方)."""
    action = incident.get("action")
    if action in (None, "none"):
        return False
    if action != "remove":
        return True
    return incident.get("with") is not None and not _admin_opponent(v, incident, admin_days)


@metric(
    "conflict_fair_rate",
    ("争吵公平处理率", "conflicts handled fairly"),
    (
        "kind 为 conflict 的事件中公平处理的比例：有处理动作；移出的话，记录里要写明另一方（with）、且另一方不是群主或管理员；"
        "没有争吵事件时为空",
        "share of conflict incidents handled fairly: acted on, and a removal only where the other side is on "
        "record (`with`) and is not the owner or an admin; null when there are none",
    ),
    needs=("moderation.incidents", "members.list[].role"),
)
def conflict_fair_rate(v: SnapshotView) -> float | None:
    conflicts = _conflicts(v)
    if not conflicts:
        return None
    admin_days = _admins_in_conflict_days(v, conflicts)
    return sum(1 for i in conflicts if _fairly_handled(v, i, admin_days)) / len(conflicts)


@metric(
    "off_topic_incidents_30d",
    ("30天跑题事件", "off-topic incidents in 30 days"),
    ("最近 30 天 kind 为 off_topic 的事件数", "incidents of kind off_topic in the last 30 days"),
    needs=("moderation.incidents",),
)
def off_topic_incidents_30d(v: SnapshotView) -> int | None:
    incidents = _incidents(v)
    if incidents is None:
        return None
    return sum(1 for i in incidents if i.get("kind") == "off_topic" and v.within(i.get("at"), 30))


@metric(
    "off_topic_action_rate",
    ("跑题引导率", "off-topic chat steered back"),
    (
        "所有 kind 为 off_topic 的事件中有处理动作（提醒、禁言等，action 不是 none）的比例；没有跑题事件时为空",
        "share of off_topic incidents with an action other than none (a reminder counts); null when there are none",
    ),
    needs=("moderation.incidents",),
)
def off_topic_action_rate(v: SnapshotView) -> float | None:
    return _acted_share([i for i in _incidents(v) or [] if i.get("kind") == "off_topic"])


@metric(
    "conflict_action_rate",
    ("争吵处理率", "conflicts handled"),
    (
        "所有 kind 为 conflict 的事件中有处理动作（action 不是 none）的比例；没有争吵事件时为空",
        "share of conflict incidents with an action other than none; null when there are none",
    ),
    needs=("moderation.incidents",),
)
def conflict_action_rate(v: SnapshotView) -> float | None:
    return _acted_share([i for i in _incidents(v) or [] if i.get("kind") == "conflict"])


@metric(
    "repeat_ad_offenders",
    ("屡犯广告者", "repeat advertisers"),
    (
        "现在仍在群里、有 2 次及以上广告/刷屏记录的成员数；名单只来自导出（只含发过言的人）时，只报告找到的人，找不到时为空",
        "current members with two or more ad/spam incidents; with an export-only roster (speakers only) "
        "only a positive count is reported, otherwise null",
    ),
    needs=("moderation.incidents", "members.list"),
)
def repeat_ad_offenders(v: SnapshotView) -> int | None:
    incidents = _incidents(v)
    if incidents is None or v.members is None:
        return None
    per_member = Counter(
        str(i.get("member")) for i in incidents if i.get("kind") in AD_KINDS and i.get("member")
    )
    repeaters = [member for member, n in per_member.items() if n >= 2]
    current = {str(m.get("id")) for m in v.members} if repeaters else set()  # most groups have none
    found = sum(1 for member in repeaters if member in current)
    return found if found or v.roster_complete else None
