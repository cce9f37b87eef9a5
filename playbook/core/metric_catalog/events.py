"""Event, content and group-history metrics: rituals, activities, digests, renames, QR age, event dates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from typing import Any

from playbook.core.metrics import SnapshotView, metric

RECURRING = {"daily": 2, "weekly": 14, "monthly": 62}  # two periods, in days
ACTIVITY_KINDS = ("activity", "lottery", "quiz", "live", "discussion", "offline")
# Welcomes and milestone posts answer something that happened; they are not scheduled topics.
UNSCHEDULED_KINDS = ("welcome", "milestone")
OFFICE_HOURS = (time(9), time(18))


def _items(v: SnapshotView, key: str) -> list[Mapping[str, Any]] | None:
    """The list under `key`, or None when the snapshot does not have it (unknown is not empty)."""
    items = v.data.get(key)
    return None if items is None else list(items)


def _count_recent(v: SnapshotView, key: str, days: float, kinds: tuple[str, ...] | None = None) -> int | None:
    items = _items(v, key)
    if items is None or v.now is None:
        return None
    return sum(1 for i in items if (kinds is None or i.get("kind") in kinds) and v.within(i.get("at"), days))


@metric(
    "days_since_last_event",
    ("距上次活动天数", "days since the last event"),
    ("最近一次已发生的 events[].at 到现在的天数", "days since the latest past events[].at"),
    needs=("events",),
)
def days_since_last_event(v: SnapshotView) -> float | None:
    ages = v.dated(v.data.get("events"))
    return min(ages) if ages else None


@metric(
    "recurring_event_count",
    ("固定节目数", "recurring events"),
    (
        "recurrence 为 daily、weekly 或 monthly、且还在办的活动数：最近一次（或下一次）在两个周期以内"
        "（每天 2 天、每周 14 天、每月 62 天）；没写时间的算在办",
        "events with recurrence daily, weekly or monthly that are still held: their `at` (last or next "
        "occurrence) within two periods of now (2, 14 or 62 days); an event without `at` counts",
    ),
    needs=("events",),
)
def recurring_event_count(v: SnapshotView) -> int | None:
    items = _items(v, "events")
    if items is None:
        return None
    return sum(1 for e in items if e.get("recurrence") in RECURRING and _still_held(v, e))


def _still_held(v: SnapshotView, event: Mapping[str, Any]) -> bool:
    """A weekly topic last held two months ago is a ritual that stopped, not a ritual."""
    ago = v.days_ago(event.get("at"))
    return ago is None or abs(ago) <= RECURRING[event["recurrence"]]


@metric(
    "events_30d",
    ("30天活动数", "events in 30 days"),
    (
        "最近 30 天 kind 为 activity、lottery、quiz、live、discussion 或 offline 的活动数",
        "events of kind activity, lottery, quiz, live, discussion or offline in the last 30 days",
    ),
    needs=("events",),
)
def events_30d(v: SnapshotView) -> int | None:
    return _count_recent(v, "events", 30, ACTIVITY_KINDS)


@metric(
    "offline_events_90d",
    ("90天线下活动数", "offline events in 90 days"),
    ("最近 90 天 kind 为 offline 的活动数", "events of kind offline in the last 90 days"),
    needs=("events",),
)
def offline_events_90d(v: SnapshotView) -> int | None:
    return _count_recent(v, "events", 90, ("offline",))


@metric(
    "off_hours_share",
    ("非上班时间活动占比", "events outside office hours"),
    (
        "最近 90 天的活动中不在工作日 9:00–18:00（群所在时区）的比例；欢迎和里程碑不算活动；没有活动时为空",
        "share of events in the last 90 days NOT on weekdays 09:00–18:00 (snapshot time zone); welcomes and "
        "milestones are not scheduled topics; null when there are none",
    ),
    needs=("events",),
)
def off_hours_share(v: SnapshotView) -> float | None:
    times = [
        t.astimezone(v.zone)
        for e in _items(v, "events") or []
        if e.get("kind") not in UNSCHEDULED_KINDS and v.within(e.get("at"), 90) and (t := v.time(e.get("at")))
    ]
    if not times:
        return None
    in_office = sum(1 for t in times if t.weekday() < 5 and OFFICE_HOURS[0] <= t.time() < OFFICE_HOURS[1])
    return 1 - in_office / len(times)


@metric(
    "days_since_last_content",
    ("距上次分享内容天数", "days since the last content"),
    (
        "最近一次 content[].at 到现在的天数；content 为空列表（从没分享过）时为建群天数；没有 content 时为空",
        "days since the latest content[].at; with an empty content list (nothing ever shared) the group's age; "
        "null without content",
    ),
    needs=("content",),
)
def days_since_last_content(v: SnapshotView) -> float | None:
    content = v.data.get("content")
    ages = v.dated(content)
    if ages:
        return min(ages)
    # Nothing shared since the group was created: as long ago as the group is old (a real number
    # an operator can read, where a placeholder like 999 days would not be).
    return v.days_ago(v.group.get("created_at")) if content is not None else None


@metric(
    "content_7d",
    ("7天内容分享数", "content in 7 days"),
    ("最近 7 天的 content[] 条数", "content items in the last 7 days"),
    needs=("content",),
)
def content_7d(v: SnapshotView) -> int | None:
    return _count_recent(v, "content", 7)


@metric(
    "digests_7d",
    ("7天群精华数", "digests in 7 days"),
    ("最近 7 天 kind 为 digest 的内容条数", "content items of kind digest in the last 7 days"),
    needs=("content",),
)
def digests_7d(v: SnapshotView) -> int | None:
    return _count_recent(v, "content", 7, ("digest",))


@metric(
    "name_changes_30d",
    ("30天改名次数", "renames in 30 days"),
    (
        "group.name_history 中最近 30 天的改名次数；没有改名记录时为空",
        "entries of group.name_history changed in the last 30 days; null without a name history",
    ),
    needs=("group.name_history",),
)
def name_changes_30d(v: SnapshotView) -> int | None:
    history = v.group.get("name_history")
    if history is None or v.now is None:
        return None
    return sum(1 for h in history if v.within(h.get("changed_at"), 30))


@metric(
    "qr_age_days",
    ("群二维码天数", "QR code age"),
    ("从 onboarding.qr_code.created_at 到现在的天数", "days since onboarding.qr_code.created_at"),
    needs=("onboarding.qr_code.created_at",),
)
def qr_age_days(v: SnapshotView) -> float | None:
    qr = (v.data.get("onboarding") or {}).get("qr_code") or {}
    return v.days_ago(qr.get("created_at"))


# An event group's own event: `group.event`, else the entries of `events[]` that stand for it
# (those with an end time, else the live, offline or activity ones, else any scheduled one).
MAIN_EVENT_KINDS = ("offline", "live", "activity")
NOT_THE_EVENT = ("welcome", "milestone", "cleanup")


def _own_event(v: SnapshotView) -> tuple[Any, Any]:
    """(starts_at, ends_at) of an event group's own event; (None, None) for other groups."""
    if v.group.get("kind") != "event":
        return None, None
    declared = v.group.get("event") or {}
    if declared.get("starts_at") or declared.get("ends_at"):
        return declared.get("starts_at"), declared.get("ends_at")
    listed = [
        e
        for e in _items(v, "events") or []
        if v.days_ago(e.get("at")) is not None and e.get("kind") not in NOT_THE_EVENT
    ]
    chosen = (
        [e for e in listed if v.days_ago(e.get("ends_at")) is not None]
        or [e for e in listed if e.get("kind") in MAIN_EVENT_KINDS]
        or listed
    )
    if not chosen:
        return None, None
    first = max(chosen, key=lambda e: v.days_ago(e.get("at")) or 0.0)  # the most days ago: earliest
    last = min(chosen, key=lambda e: v.days_ago(e.get("ends_at") or e.get("at")) or 0.0)
    return first.get("at"), last.get("ends_at") or last.get("at")


def _event_field(v: SnapshotView, key: str) -> Any:
    starts, ends = v.memo("own_event", _own_event, v)
    return starts if key == "starts_at" else ends


@metric(
    "days_until_event_start",
    ("距活动开始天数", "days until the event starts"),
    (
        "（活动群）从现在到 group.event.starts_at 的天数；没有 group.event 时用 events 里代表这场活动的一项"
        "（有结束时间的，否则线下、直播或活动类的）；已经开始则为负数",
        "(event groups) days from now until group.event.starts_at, else the start of the entry in events that "
        "stands for the event (one with ends_at, else an offline, live or activity one); negative once started",
    ),
    needs=("group.event.starts_at", "events"),
)
def days_until_event_start(v: SnapshotView) -> float | None:
    ago = v.days_ago(_event_field(v, "starts_at"))
    return None if ago is None else 0.0 - ago  # not -ago: no "-0.00" at the start


@metric(
    "days_since_event_end",
    ("活动结束天数", "days since the event ended"),
    (
        "（活动群）从 group.event.ends_at 到现在的天数；没有 group.event 时用 events 里代表这场活动的一项的"
        "结束时间（没有结束时间就用开始时间）；还没结束则为负数",
        "(event groups) days since group.event.ends_at, else the end (or, lacking one, the start) of the entry "
        "in events that stands for the event; negative while it has not ended",
    ),
    needs=("group.event.ends_at", "events"),
)
def days_since_event_end(v: SnapshotView) -> float | None:
    return v.days_ago(_event_field(v, "ends_at"))


@metric(
    "event_kinds_90d",
    ("90天活动形式数", "activity formats in 90 days"),
    (
        "最近 90 天办过的活动有几种不同的形式（kind 为 activity、lottery、quiz、live、discussion、offline）",
        "distinct kinds among the events of the last 90 days (activity, lottery, quiz, live, discussion, offline)",
    ),
    needs=("events",),
)
def event_kinds_90d(v: SnapshotView) -> int | None:
    items = _items(v, "events")
    if items is None or v.now is None:
        return None
    return len(
        {e.get("kind") for e in items if e.get("kind") in ACTIVITY_KINDS and v.within(e.get("at"), 90)}
    )


# Who produced a content item or hosted an event (`by`): the group's own people or a guest.
# S3: a lecture group whose experts are all guests goes half-dead between lectures; 全员开花
# (members producing) is a community, one voice alone is a fan following.
PRODUCED = ("content", "events")


def _produced_90d(v: SnapshotView) -> list[str] | None:
    """The `by` of every content item and event of the last 90 days that says who made it."""
    if all(v.data.get(key) is None for key in PRODUCED) or v.now is None:
        return None
    return [
        str(item["by"])
        for key in PRODUCED
        for item in _items(v, key) or []
        if item.get("by") and v.within(item.get("at"), 90)
    ]


@metric(
    "member_output_share_90d",
    ("成员产出占比", "share produced by members"),
    (
        "最近 90 天注明了由谁产出（by）的内容和活动中，由普通成员（member）产出的比例；没有注明的为空",
        "share of the last 90 days' content items and events with a `by` that were produced by ordinary "
        "members (by: member); null when none says who made it",
    ),
    needs=("content", "events"),
)
def member_output_share_90d(v: SnapshotView) -> float | None:
    makers = _produced_90d(v)
    if not makers:
        return None
    return sum(1 for by in makers if by == "member") / len(makers)


@metric(
    "guest_output_share_90d",
    ("外请嘉宾产出占比", "share produced by guests"),
    (
        "最近 90 天注明了由谁产出（by）的内容和活动中，由外请嘉宾（guest）产出的比例；没有注明的为空",
        "share of the last 90 days' content items and events with a `by` that were produced by guests "
        "(by: guest); null when none says who made it",
    ),
    needs=("content", "events"),
)
def guest_output_share_90d(v: SnapshotView) -> float | None:
    makers = _produced_90d(v)
    if not makers:
        return None
    return sum(1 for by in makers if by == "guest") / len(makers)


AUTOMATION_KEYS = ("welcome", "keyword_moderation", "scheduled_posts")


@metric(
    "automated_routines",
    ("自动化的日常事务数", "automated routines"),
    (
        "automation 中开启的事项数（自动欢迎、关键词管理、定时推送，0–3）；没有 automation 时为空",
        "how many of automation.welcome, keyword_moderation and scheduled_posts are on (0–3); null without automation",
    ),
    needs=("automation.welcome", "automation.keyword_moderation", "automation.scheduled_posts"),
)
def automated_routines(v: SnapshotView) -> int | None:
    automation = v.data.get("automation")
    if automation is None:
        return None
    return sum(1 for key in AUTOMATION_KEYS if automation.get(key) is True)
