"""Stage detection with the built-in playbook's `lifecycle:` block, one small snapshot per stage.

Now is 2026-11-20 21:00 +08:00. Daily rows make the activity trend: the 28 days before the last
14 at `before` messages a day, the last 14 days at `recent` messages a day.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from playbook.core.engine import audit_snapshot
from playbook.core.stages import StageInfo, detect_stage
from playbook.io.facts import platform_fact_table
from playbook.io.playbook_loader import load_playbook

TODAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def default():
    return load_playbook("builtin:default")


def daily(before: int, recent: int, days: int = 42) -> list[dict[str, Any]]:
    rows = []
    for back in range(days - 1, -1, -1):
        rows.append(
            {"date": (TODAY - timedelta(days=back)).isoformat(), "messages": recent if back < 14 else before}
        )
    return rows


def snapshot(created: str | None, members: int, rows: list | None = None, **group: Any) -> dict[str, Any]:
    return {
        "snapshot": 1,
        "captured_at": "2026-11-20T21:00:00+08:00",
        "platform": "wechat",
        "group": {"name": "测试群", **({"created_at": created} if created else {}), **group},
        "members": {"source": "bot", "count": members},
        "activity": {"daily": rows if rows is not None else daily(20, 20)},
    }


def stage_of(playbook, data: dict[str, Any]) -> StageInfo:
    return audit_snapshot(playbook, data, TODAY, facts=platform_fact_table()).stage


def evidence(info: StageInfo) -> dict[str, Any]:
    return {e.metric: e.value for e in info.evidence}


def test_declared_stage_wins(default):
    info = stage_of(default, snapshot("2026-11-15", 3, stage="mature"))
    assert (info.id, info.source) == ("mature", "declared")
    assert info.reason.en == "declared in the snapshot (group.stage)"


def test_planning(default):
    info = stage_of(default, snapshot("2026-11-18", 2, rows=[]))
    assert (info.id, info.kind, info.source) == ("planning", "long_term", "detected")
    assert evidence(info) == {"member_count": 2}
    assert info.reason.en == "detected: members 2"
    assert info.reason.zh == "自动判定: 成员数 2"


def test_launch_first_month(default):
    info = stage_of(default, snapshot("2026-11-06", 230, rows=daily(0, 30)))
    assert info.id == "launch"
    assert evidence(info) == {"age_days": pytest.approx(14.875), "member_count": 230}
    assert info.reason.en == "detected: age in days 15, members 230"


def test_launch_small_and_young(default):
    # Two months old and still 40 people: the cold start is not over.
    assert stage_of(default, snapshot("2026-09-20", 40)).id == "launch"


def test_small_old_group_is_not_in_cold_start(default):
    # A two-year-old 60-person group is small by choice, not launching (was launch with the old threshold).
    assert stage_of(default, snapshot("2024-11-01", 60)).id == "growth"


def test_growth(default):
    info = stage_of(default, snapshot("2026-08-01", 120, rows=daily(20, 22)))
    assert info.id == "growth"
    assert evidence(info)["activity_trend"] == pytest.approx(1.1)
    assert info.reason.en == "detected: age in days 112, activity trend 1.10"  # size alone is no stage


# S3 自生长: the system keeps the group running (routine work automated, and rituals or core
# members carrying it); age and size alone are growth.
SELF_RUNNING = {
    "automation": {"welcome": True, "keyword_moderation": True},
    "events": [
        {"title": "每周话题", "kind": "discussion", "at": "2026-11-16T20:30:00+08:00", "recurrence": "weekly"}
    ],
}


def test_mature(default):
    info = stage_of(default, {**snapshot("2025-09-01", 420, rows=daily(40, 38)), **SELF_RUNNING})
    assert info.id == "mature"
    assert evidence(info)["member_count"] == 420
    assert info.reason.zh.startswith("自动判定: 建群天数 446、成员数 420、自动化的日常事务数 2、固定节目数 1")


def test_old_and_big_is_not_mature_without_the_signs_of_self_growth(default):
    assert stage_of(default, snapshot("2025-09-01", 420, rows=daily(40, 38))).id == "growth"
    no_ritual = {**snapshot("2025-09-01", 420, rows=daily(40, 38)), "automation": {"welcome": True}}
    assert stage_of(default, no_ritual).id == "growth"
    hand_run = {**snapshot("2025-09-01", 420, rows=daily(40, 38)), "events": SELF_RUNNING["events"]}
    assert stage_of(default, hand_run).id == "growth"


def test_declining(default):
    info = stage_of(default, snapshot("2025-03-01", 480, rows=daily(100, 40)))
    assert info.id == "declining"
    assert evidence(info) == {"activity_trend": pytest.approx(0.4), "age_days": pytest.approx(629.875)}
    assert info.reason.en == "detected: activity trend 0.40, age in days 630"


def test_decline_line_is_inclusive_and_young_groups_are_spared(default):
    assert stage_of(default, snapshot("2025-03-01", 480, rows=daily(100, 60))).id == "declining"
    assert (
        stage_of(default, {**snapshot("2025-03-01", 480, rows=daily(100, 61)), **SELF_RUNNING}).id == "mature"
    )
    # A three-week-old group whose launch burst calms down is still launching.
    assert stage_of(default, snapshot("2026-10-30", 150, rows=daily(100, 20, days=22))).id == "launch"


def test_ended(default):
    rows = [{"date": "2026-08-01", "messages": 50}, {"date": "2026-09-01", "messages": 3}]
    info = stage_of(default, snapshot("2025-03-01", 300, rows=rows))
    assert info.id == "ended"
    assert info.reason.en == "detected: days since the last message 80"


def test_unknown_age_falls_back_to_growth(default):
    info = stage_of(default, snapshot(None, 300, rows=daily(20, 20)))
    assert info.id == "growth"
    assert evidence(info)["age_days"] is None
    assert "age in days ?" in info.reason.en


def event_group(starts: str | None, ends: str | None) -> dict[str, Any]:
    event = {k: v for k, v in (("starts_at", starts), ("ends_at", ends)) if v}
    data = snapshot("2026-11-01", 180, kind="event", event=event)
    return data


@pytest.mark.parametrize(
    ("starts", "ends", "stage", "reason"),
    [
        ("2026-11-22T14:00", "2026-11-22T17:00", "before", "detected: days until the event starts 1.71"),
        (
            "2026-11-20T19:00",
            "2026-11-20T22:00",
            "live",
            "detected: days until the event starts -0.08, days since the event ended -0.04",
        ),
        ("2026-11-08T14:00", "2026-11-08T17:30", "after", "detected: days since the event ended 12.1"),
        ("2026-11-20T21:00", "2026-11-20T23:00", "before", "detected: days until the event starts 0.00"),
    ],
)
def test_event_group_stages(default, starts, ends, stage, reason):
    info = stage_of(default, event_group(starts, ends))
    assert (info.id, info.kind, info.source) == (stage, "event", "detected")
    assert info.reason.en == reason.replace("12.1", "12")  # format_value: no decimals from 10 on


def test_event_dates_come_from_the_events_list_when_the_group_has_none(default):
    data = snapshot("2026-10-20", 180, kind="event")
    data["events"] = [
        {
            "title": "独立游戏开发者大会",
            "kind": "offline",
            "at": "2026-11-08T09:00",
            "ends_at": "2026-11-08T18:00",
        },
        {"title": "欢迎", "kind": "welcome", "at": "2026-11-01T10:00"},
    ]
    info = stage_of(default, data)
    assert info.id == "after"
    assert info.reason.en == "detected: days since the event ended 12"


def test_event_group_without_dates_is_not_claimed_live(default):
    """No stage on no evidence: unknown, weighed as live, and the report says what is missing."""
    info = stage_of(default, event_group(None, None))
    assert (info.id, info.source, info.weighed_as) == ("unknown", "unknown", "live")
    assert info.reason.en.startswith("the data shows no stage (missing days until the event starts, ")


def test_no_stage_rules_fall_back():
    from playbook.core.engine import build_scope

    info = detect_stage({"kind": "event"}, (), build_scope({"platform": "qq", "group": {"name": "x"}}, {}))
    assert (info.id, info.source) == ("live", "detected")
    assert "no stage detection" in info.reason.en
