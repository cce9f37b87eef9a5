"""Moderation metrics: ads and spam, removals, conflicts, read from `moderation.incidents`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from playbook.metric_catalog.roster import member_count
from playbook.metrics import AD_KINDS, SnapshotView, _ratio, metric


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
