"""Checklist order, groups, and gains that add up exactly."""

from __future__ import annotations

import pytest

from playbook.core.checklist import build_checklist
from playbook.core.scoring import score_results
from tests.test_scoring import SECTIONS, result


def rule_result(rule_id, status, score, severity="medium", section="naming", effort="low"):
    base = result(rule_id, status, score, severity, section)
    object.__setattr__(base.rule, "effort", effort)
    return base


def test_critical_fails_come_first_then_gain_times_ease():
    results = [
        rule_result("naming.high-hard", "fail", 0.0, "high", effort="high"),  # gain big, ease 0.35
        rule_result("naming.medium-easy", "fail", 0.0, "medium", effort="low"),  # gain smaller, ease 1
        rule_result("rules.critical", "fail", 0.0, "critical", section="rules", effort="high"),
        rule_result("naming.ok", "pass", 1.0, "high"),
    ]
    items = build_checklist(results, SECTIONS)
    assert [i.result.rule.id for i in items] == ["rules.critical", "naming.medium-easy", "naming.high-hard"]
    # independent gains, each rule's share of all counted weight (27): high-hard 7/27 = 25.93 x 0.35
    # = 9.07; medium-easy 3/27 = 11.11 x 1.0
    assert items[1].priority == pytest.approx(11.11)
    assert items[2].priority == pytest.approx(9.07)


def test_ties_break_by_severity_then_id():
    results = [
        rule_result("naming.b", "fail", 0.0, "medium"),
        rule_result("naming.a", "fail", 0.0, "medium"),
    ]
    assert [i.result.rule.id for i in build_checklist(results, SECTIONS)] == ["naming.a", "naming.b"]


def test_gains_add_up_to_the_distance_to_100():
    results = [
        rule_result("naming.a", "fail", 0.0, "high"),
        rule_result("naming.b", "partial", 0.6, "medium"),
        rule_result("naming.c", "pass", 1.0, "low"),
        rule_result("rules.a", "fail", 0.0, "critical", section="rules"),
        rule_result("rules.b", "pass", 1.0, "medium", section="rules"),
    ]
    overall = score_results(results, SECTIONS).overall
    items = build_checklist(results, SECTIONS)
    assert overall is not None
    assert sum(i.gain for i in items) == pytest.approx(100 - overall, abs=1e-9)
    assert all(i.gain >= 0 for i in items)


def test_do_now_holds_must_fix_items_and_three_more():
    results = [rule_result("rules.crit", "fail", 0.0, "critical", section="rules")] + [
        rule_result(f"naming.r{i}", "fail", 0.0, "medium") for i in range(6)
    ]
    groups = [i.group for i in build_checklist(results, SECTIONS)]
    assert groups == ["now"] * 4 + ["next"] * 3


def test_unknown_rules_are_provide_data_items_without_gain():
    results = [rule_result("naming.a", "unknown", None, "high"), rule_result("naming.b", "pass", 1.0)]
    items = build_checklist(results, SECTIONS)
    assert [(i.group, i.gain) for i in items] == [("data", None)]
