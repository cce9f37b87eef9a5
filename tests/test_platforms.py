"""Platform facts (rulesets/platforms.yaml) and the built-in platform profiles (rulesets/<platform>.yaml)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml

from playbook.core.engine import audit_snapshot
from playbook.core.resources import rulesets_dir
from playbook.io.facts import fact_sources, platform_fact_table, platform_facts
from playbook.io.playbook_loader import load_playbook
from playbook.runner.audit import playbook_for
from tests.conftest import TODAY

PROFILES = ("qq", "wechat", "wecom", "telegram", "discord")


def test_every_fact_has_a_value_a_source_and_a_date():
    table = yaml.safe_load((rulesets_dir() / "platforms.yaml").read_text(encoding="utf-8"))["facts"]
    assert set(PROFILES) <= set(table)
    for platform, facts in table.items():
        for name, fact in facts.items():
            assert set(fact) == {"value", "source", "verified_on"}, (platform, name)
            assert fact["source"].strip(), (platform, name)
            assert isinstance(fact["verified_on"], date), (platform, name)


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        (
            "wechat",
            {"member_cap": 500, "qr_valid_days": 7, "qr_member_limit": 200},
        ),
        ("qq", {"member_cap": 500, "member_cap_tiers": [200, 500, 1000, 2000, 3000], "has_tags": True}),
        ("wecom", {"member_cap": 500, "internal_member_cap": 2000}),
        ("telegram", {"member_cap": 200000, "basic_group_cap": 200, "name_max": 128, "intro_max": 255}),
    ],
)
def test_platform_facts(platform, expected):
    facts = platform_facts(platform)
    assert {k: facts[k] for k in expected} == expected


def test_discord_community_prerequisites():
    required = platform_facts("discord")["community_requires"]
    assert {"rules_channel", "verification_medium"} <= set(required)
    assert "verification" in fact_sources("discord")["community_requires"]["source"]


def test_unknown_platform_has_no_facts():
    assert platform_facts("other") == {} and platform_facts("nonesuch") == {}


def group(platform: str, members: int, **extra: Any) -> dict[str, Any]:
    return {
        "snapshot": 1,
        "captured_at": "2026-11-20T21:00:00+08:00",
        "platform": platform,
        "group": {"name": "羽毛球约球群", "created_at": "2025-01-01", "stage": "growth", **extra},
        "members": {"source": "bot", "count": members},
    }


def result(playbook, data: dict[str, Any], rule: str):
    audit = audit_snapshot(playbook, data, TODAY, facts=platform_fact_table())
    return audit.metrics, next(r for r in audit.results if r.rule.id == rule)


def test_live_member_limit_overrides_the_table():
    default = load_playbook("builtin:default")
    metrics, capacity = result(default, group("qq", 480), "lifecycle.capacity")
    assert (metrics["member_cap"], metrics["capacity_ratio"]) == (500, 0.96)
    assert capacity.status == "fail"
    metrics, capacity = result(default, group("qq", 480, member_limit=2000), "lifecycle.capacity")
    assert (metrics["member_cap"], metrics["capacity_ratio"]) == (2000, 0.24)
    assert capacity.status == "pass"


@pytest.mark.parametrize("platform", PROFILES)
def test_audit_uses_the_platform_profile(platform):
    playbook = playbook_for(platform, [])
    assert playbook.id == platform
    default_ids = [r.id for r in load_playbook("builtin:default").rules]
    ids = [r.id for r in playbook.rules]
    assert ids[: len(default_ids)] == default_ids  # profiles adjust, never drop
    added = playbook.rules[len(default_ids) :]  # a setting only this platform has (Discord's AutoMod)
    assert all(rule.platforms == (platform,) for rule in added), [r.id for r in added]
    assert playbook_for("other", []).id == "default"
    assert playbook_for(platform, ["builtin:default"]).id == "default"  # -p wins


@pytest.mark.parametrize("platform", PROFILES)
def test_profiles_are_small_and_commented(platform):
    text = (rulesets_dir() / f"{platform}.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    assert raw["extends"] == ["builtin:default"]
    assert set(raw) <= {"playbook", "id", "title", "extends", "sections", "overrides", "params", "rules"}
    assert 1 <= len(raw["overrides"]) <= 6
    lines = text.splitlines()
    for override in raw["overrides"]:
        at = next(i for i, line in enumerate(lines) if f"rule: {override['rule']}" in line)
        assert lines[at - 1].strip().startswith("#"), f"{platform}: say why {override['rule']} differs"


def test_wechat_plans_the_next_group_earlier():
    data = group("wechat", 420)  # 84 % of 500
    assert result(load_playbook("builtin:default"), data, "lifecycle.capacity")[1].status == "pass"
    assert result(playbook_for("wechat", []), data, "lifecycle.capacity")[1].status in ("fail", "partial")


def test_profile_severity_changes():
    severities = {p: {r.id: r.severity for r in playbook_for(p, []).rules} for p in PROFILES}
    assert severities["qq"]["tags.present"] == "high"
    assert severities["telegram"]["rules.enforced"] == "high"  # critical once most ads stand (escalate)
    assert severities["telegram"]["engagement.off-hours"] == "info"
    assert severities["wecom"]["naming.brand"] == "low"


def test_ads_left_standing_escalate_to_critical():
    incidents = [
        {"at": f"2026-11-1{d}T03:00:00+08:00", "kind": "ad", "member": f"bot{d}", "action": "none"}
        for d in range(3)
    ]
    data = {**group("telegram", 300), "moderation": {"incidents": incidents}}
    _, found = result(playbook_for("telegram", []), data, "rules.enforced")
    assert found.status == "fail"
    assert found.escalation is not None and found.escalation.severity == "critical"
    handled = [{**i, "action": "remove"} for i in incidents[:2]] + incidents[2:]
    _, some = result(
        playbook_for("telegram", []), {**data, "moderation": {"incidents": handled}}, "rules.enforced"
    )
    assert some.status in ("fail", "partial") and some.escalation is None  # two of three removed: high
