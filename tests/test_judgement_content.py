"""What the built-in playbook concludes (issue 20): the causes it names from the seeds' evidence.

Each test audits one small WeChat group through the CLI, as an operator would, and checks the
causes named and the rule statuses that carry them. "Now" is 2026-11-20 21:00 +08:00.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from playbook.cli import main

NOW = "2026-11-20T21:00:00+08:00"


def owner_daily(*others: dict[str, Any]) -> dict[str, Any]:
    """A roster whose owner (团长) posts every day, plus ordinary members."""
    owner = {
        "id": "o",
        "role": "owner",
        "joined_at": "2025-01-01",
        "last_active_at": "2026-11-20T20:00:00+08:00",
    }
    return {"source": "bot", "list": [owner, *others]}


def members(count: int, silent_from: int = 0) -> list[dict[str, Any]]:
    """`count` ordinary members who joined long ago; those from `silent_from` on said nothing in 30 days."""
    out = []
    for i in range(count):
        spoke = "2026-11-18T20:00:00+08:00" if i < silent_from else "2026-08-01T20:00:00+08:00"
        out.append({"id": f"m{i}", "role": "member", "joined_at": "2025-06-01", "last_active_at": spoke})
    return out


def audit(tmp_path: Path, lang: str = "en", **parts: Any) -> dict[str, Any]:
    snapshot = {"snapshot": 1, "captured_at": NOW, "platform": "wechat", "group": {"name": "测试群"}, **parts}
    path = tmp_path / "group.yaml"
    path.write_text(yaml.safe_dump(snapshot, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", str(path), "-f", "json", "--lang", lang])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def causes(report: dict[str, Any]) -> set[str]:
    return {c["id"] for c in report["diagnosis"] if c["present"]}


def status(report: dict[str, Any], rule: str) -> str:
    return next(r["status"] for r in report["results"] if r["rule"] == rule)


def test_lurkers_are_not_evaporation_but_members_leaving_is(tmp_path):
    quiet = audit(
        tmp_path, group={"name": "测试群", "stage": "growth"}, members=owner_daily(*members(300, 60))
    )
    assert status(quiet, "engagement.lurkers") == "pass"  # 80 % silent in a group of 300 is ordinary
    assert "evaporation" not in causes(quiet)
    daily = [{"date": "2026-11-12", "messages": 40, "joins": 2, "leaves": 70}]
    leaving = audit(
        tmp_path,
        group={"name": "测试群", "stage": "growth"},
        members=owner_daily(*members(300, 60)),
        activity={"daily": daily},
    )
    assert status(leaving, "lifecycle.departures") == "fail"
    assert "evaporation" in causes(leaving)


def test_an_owner_who_posts_daily_is_not_leaderless(tmp_path):
    report = audit(
        tmp_path, group={"name": "团购群", "stage": "growth"}, members=owner_daily(*members(300, 100))
    )
    assert status(report, "rules.admin-team") == "fail"  # one owner for 300: a team is still advice
    assert status(report, "rules.admins-active") == "pass"
    assert "leaderless" not in causes(report)


def test_the_operators_own_selling_is_harassment(tmp_path):
    messages = [
        {"at": f"2026-11-{day}T10:00:00+08:00", "from": "o", "type": "link", "flags": ["promo"]}
        for day in range(10, 20)
    ] + [{"at": "2026-11-19T20:00:00+08:00", "from": "o", "type": "text"}]
    report = audit(
        tmp_path,
        group={"name": "测试群", "stage": "growth"},
        members=owner_daily(*members(20, 20)),
        activity={"messages": messages},
    )
    assert status(report, "engagement.not-selling") == "fail"
    assert "harassment" in causes(report)


def test_an_announcement_advertising_a_past_date_is_staleness(tmp_path):
    group = {
        "name": "2019 级校友群",
        "stage": "growth",
        "announcement": {
            "text": "2024 返校日报名进行中，请大家接龙！群规：禁止广告",
            "updated_at": "2026-10-01T10:00:00+08:00",
        },
    }
    report = audit(tmp_path, group=group)
    assert status(report, "intro.fresh") == "fail"
    assert "staleness" in causes(report)


def test_removing_the_member_who_argued_with_the_owner_is_tyranny(tmp_path):
    incidents = [
        {
            "at": "2026-11-12T10:00:00+08:00",
            "kind": "conflict",
            "member": "m1",
            "with": "o",
            "action": "remove",
        },
        {"at": "2026-11-13T10:00:00+08:00", "kind": "ad", "member": "x1", "action": "remove"},
        {"at": "2026-11-14T10:00:00+08:00", "kind": "spam", "member": "x2", "action": "remove"},
    ]
    report = audit(
        tmp_path,
        group={"name": "测试群", "stage": "growth"},
        members=owner_daily(*members(25, 20)),
        moderation={"incidents": incidents},
    )
    assert status(report, "rules.conflicts") == "fail"
    assert status(report, "rules.not-tyranny") != "pass"
    removed = audit(
        tmp_path,
        group={"name": "测试群", "stage": "growth"},
        members=owner_daily(*members(25, 20)),
        moderation={"incidents": incidents[1:]},
    )
    assert status(removed, "rules.not-tyranny") == "pass"  # hard advertisers removed at once (S0 §6.1)


def test_a_big_group_ringing_all_day_is_noisy(tmp_path):
    daily = [{"date": f"2026-11-{day}", "messages": 5000} for day in range(14, 21)]
    report = audit(
        tmp_path,
        group={"name": "测试群", "stage": "growth"},
        members={"count": 500},
        activity={"daily": daily},
    )
    assert status(report, "engagement.not-noisy") == "fail"
    assert "harassment" in causes(report)


def test_wechat_is_not_told_to_set_an_avatar_or_tag_its_members(tmp_path):
    group = {"name": "测试群", "stage": "growth", "avatar": False}
    report = audit(
        tmp_path,
        "zh",
        group=group,
        members=owner_daily(*members(5)),
        onboarding={"pre_join_message": "进群吧"},
    )
    assert status(report, "naming.avatar") == "not_applicable"
    assert status(report, "tags.member-profile") == "not_applicable"
    fixes = {item["rule"]: item["fix"] for item in report["checklist"]}
    assert "个人微信没有自动回复" in fixes["intro.pre-join"]  # the manual way, not a feature it lacks
    assert "weekly_active_ratio" not in " ".join(fixes.values())


def test_an_owner_who_kicks_a_sixth_of_the_group_is_tyranny_and_it_comes_first(tmp_path):
    """The issue's case: 17 % removed in a month (none for ads) under sixteen rules that all end in 移出."""
    rules = [
        {"text": f"禁止第 {n} 种行为，违者移出", "topic": "other", "penalty": "remove"} for n in range(16)
    ]
    incidents = [
        {"at": f"2026-11-{10 + n % 9}T10:00:00+08:00", "kind": "other", "member": f"m{n}", "action": "remove"}
        for n in range(17)
    ]
    report = audit(
        tmp_path,
        group={"name": "读书交流群", "stage": "growth", "type": "interest", "rules": rules},
        members=owner_daily(*members(99, 60)),
        moderation={"incidents": incidents},
    )
    tyranny = next(r for r in report["results"] if r["rule"] == "rules.not-tyranny")
    assert tyranny["status"] == "fail"
    assert tyranny["severity"] == "critical"  # escalated: over a tenth of the members removed
    assert status(report, "rules.style") == "fail"
    assert "tyranny" in causes(report)
    now = [item["rule"] for item in report["checklist"] if item["group"] == "now"]
    assert now[0] == "rules.not-tyranny"
    assert report["score"]["grade"] in ("C", "D", "F")


def test_a_notice_group_is_not_told_to_grow_kols_digests_or_rituals(tmp_path):
    report = audit(
        tmp_path,
        group={"name": "三年二班家长群", "stage": "growth", "type": "notice"},
        members=owner_daily(*members(45, 3)),
        events=[],
        content=[],
    )
    for rule in (
        "engagement.core-members",
        "engagement.digest",
        "engagement.ritual",
        "engagement.activities",
        "engagement.weekly-active",
        "engagement.content",
    ):
        assert status(report, rule) == "not_applicable", rule
    assert status(report, "engagement.not-noisy") != "not_applicable"


def test_an_after_sales_group_is_judged_on_answers_not_member_profiles(tmp_path):
    snapshot = {
        "snapshot": 1,
        "captured_at": NOW,
        "platform": "wecom",
        "group": {"name": "售后服务群", "stage": "growth", "type": "service"},
        "members": owner_daily(*members(80, 10)),
        "activity": {
            "messages": [
                {"at": "2026-11-18T10:00:00+08:00", "from": "m1", "type": "text", "flags": ["question"]},
                {"at": "2026-11-17T10:00:00+08:00", "from": "m2", "type": "text", "flags": ["question"]},
            ]
        },
    }
    path = tmp_path / "service.yaml"
    path.write_text(yaml.safe_dump(snapshot, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", str(path), "-f", "json", "--lang", "en"])
    report = json.loads(result.stdout)
    assert status(report, "tags.member-profile") == "not_applicable"
    assert status(report, "engagement.questions-answered") == "fail"
    now = [item["rule"] for item in report["checklist"] if item["group"] == "now"]
    assert "engagement.questions-answered" in now


def one_weekly_format_group(tmp_path: Path, falling: bool = False) -> dict[str, Any]:
    """The verdict scenario of a lively learning group whose only activity is its weekly topic;
    `falling`: its last two weeks with a third of the messages."""
    scenario = Path(__file__).parent / "verdicts" / "qq-japanese-learning-one-format.yaml"
    snapshot = yaml.safe_load(scenario.read_text(encoding="utf-8"))["snapshot"]
    if falling:
        for day in snapshot["activity"]["daily"]:
            if str(day["date"]) > "2026-11-06":
                day["messages"] //= 3
    path = tmp_path / "g.json"
    path.write_text(json.dumps(snapshot, ensure_ascii=False, default=str), encoding="utf-8")
    done = CliRunner().invoke(main, ["audit", str(path), "-f", "json", "--today", "2026-11-20"])
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def test_one_weekly_format_is_advice_until_activity_falls_then_it_is_staleness(tmp_path):
    steady = one_weekly_format_group(tmp_path)
    assert status(steady, "engagement.fresh-formats") == "fail" and "staleness" not in causes(steady)
    falling = one_weekly_format_group(tmp_path, falling=True)
    assert falling["metrics"]["activity_trend"] < 0.8
    result = next(r for r in falling["results"] if r["rule"] == "engagement.fresh-formats")
    assert result["escalated"]["to"] == "medium" and "staleness" in causes(falling)
