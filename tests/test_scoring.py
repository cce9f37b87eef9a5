"""Scoring arithmetic on hand-computed cases: weights, rounding, the critical cap, coverage."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.core.conditions import AllOf
from playbook.core.i18n import Text
from playbook.core.model import CheckScorer, Result, Rule, Section
from playbook.core.scoring import WhatIf, grade_of, round_half_up, score_results

SECTIONS = {
    "naming": Section("naming", {"en": "Naming"}, 1.0),
    "rules": Section("rules", {"en": "Rules"}, 1.0),
    "tags": Section("tags", {"en": "Tags"}, 0.0),
}


def result(rule_id, status, score, severity="medium", section="naming", relevance=1.0):
    rule = Rule(
        id=rule_id,
        section=section,
        title={"en": rule_id},
        why={},
        fix={},
        severity=severity,
        effort="low",
        scorer=CheckScorer(AllOf(())),
    )
    weight = 0.0 if status == "not_applicable" else rule.base_weight() * relevance
    return Result(rule, status, score, weight, Text("", ""))


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.125, 0.13), (2.675, 2.68), (0.895, 0.9), (72.345, 72.35), (72.344999, 72.34), (1 / 3, 0.33)],
)
def test_round_half_up_not_bankers(value, expected):
    assert round_half_up(value) == expected


@settings(max_examples=2000)
@given(
    st.one_of(
        st.floats(-1e6, 1e6, allow_nan=False),
        st.integers(-(10**6), 10**6).map(lambda n: n / 1000),  # ties like 0.125, 2.675 and their neighbours
        st.integers(-(10**6), 10**6).map(lambda n: n / 200),
    ),
    st.sampled_from([2, 4]),
)
def test_the_fast_rounding_agrees_with_decimal(value, places):
    exact = float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    assert round_half_up(value, places) == exact


def test_section_score_is_weighted_mean_of_counted_rules():
    results = [
        result("naming.a", "pass", 1.0, "high"),  # w 7
        result("naming.b", "partial", 0.6, "medium"),  # w 3
        result("naming.c", "fail", 0.0, "low"),  # w 1
        result("naming.d", "not_applicable", None, "critical"),
        result("naming.e", "unknown", None, "high"),
    ]
    score = score_results(results, SECTIONS)
    naming = score.sections[0]
    # (7*1 + 3*0.6 + 1*0) / 11 * 100 = 80.0
    assert naming.score == 80.0
    # coverage = evaluated 11 / (11 + unknown 7)
    assert naming.coverage == pytest.approx(11 / 18)
    assert naming.counts["pass"] == 1 and naming.counts["unknown"] == 1


def test_recommended_rules_count_half():
    results = [
        result("naming.a", "pass", 1.0, "high"),
        result("naming.b", "fail", 0.0, "high", relevance=0.5),
    ]
    # 7 / (7 + 3.5) = 66.666.. -> 66.67
    assert score_results(results, SECTIONS).sections[0].score == 66.67


def test_failing_critical_rule_caps_its_section_at_49():
    results = [result("rules.a", "fail", 0.0, "critical", "rules")] + [
        result(f"rules.p{i}", "pass", 1.0, "critical", "rules") for i in range(9)
    ]
    rules = next(s for s in score_results(results, SECTIONS).sections if s.id == "rules")
    assert rules.score == 49.0  # 90 without the cap


def test_partial_critical_rule_does_not_cap():
    results = [result("rules.a", "partial", 0.8, "critical", "rules")]
    rules = next(s for s in score_results(results, SECTIONS).sections if s.id == "rules")
    assert rules.score == 80.0


def test_overall_weighs_rules_not_sections_so_a_thin_section_does_not_outweigh_the_rest():
    """One low rule alone in its section is worth its own weight, not half the score (report v2)."""
    results = [result(f"naming.p{i}", "pass", 1.0, "high") for i in range(10)]
    results.append(result("rules.thin", "fail", 0.0, "low", "rules"))
    score = score_results(results, SECTIONS)
    assert score.overall == 98.59  # 70 / 71; the mean of sections (100, 0) was 50
    assert [s.score for s in score.sections[:2]] == [100.0, 0.0]


def test_a_failing_critical_rule_keeps_the_grade_at_c_and_the_score_exact():
    results = [result(f"naming.p{i}", "pass", 1.0, "critical") for i in range(10)]
    results.append(result("rules.kicks", "fail", 0.0, "critical", "rules"))
    score = score_results(results, SECTIONS)
    assert score.overall == 90.91  # gains stay exact: fixing it earns 9.09
    assert (score.grade, score.band, score.capped_by) == ("C", "needs_work", ("rules.kicks",))


def test_an_unknown_stage_makes_the_score_provisional():
    results = [result("naming.a", "pass", 1.0)]
    assert not score_results(results, SECTIONS).provisional
    assert score_results(results, SECTIONS, stage_unknown=True).provisional


def test_section_with_nothing_counted_has_no_score_and_is_left_out_of_overall():
    results = [result("naming.a", "pass", 1.0), result("rules.a", "unknown", None, section="rules")]
    score = score_results(results, SECTIONS)
    assert [s.score for s in score.sections] == [100.0, None, None]
    assert score.overall == 100.0


def test_overall_is_weighted_by_section_weight_and_zero_weight_sections_do_not_count():
    results = [
        result("naming.a", "pass", 1.0),
        result("rules.a", "fail", 0.0, section="rules"),
        result("tags.a", "fail", 0.0, section="tags"),
    ]
    score = score_results(results, SECTIONS)
    assert score.overall == 50.0
    assert score.grade == "C" and score.band == "needs_work"


def test_coverage_below_80_percent_marks_the_grade_provisional():
    results = [result("naming.a", "pass", 1.0, "low"), result("naming.b", "unknown", None, "high")]
    score = score_results(results, SECTIONS)
    assert score.coverage == pytest.approx(1 / 8)
    assert score.provisional


def test_unknown_critical_rule_marks_provisional_even_with_good_coverage():
    results = [result(f"naming.p{i}", "pass", 1.0, "critical") for i in range(9)]
    results.append(result("naming.x", "unknown", None, "critical"))
    score = score_results(results, SECTIONS)
    assert score.coverage == pytest.approx(0.9)
    assert score.provisional


def test_waived_and_not_applicable_rules_leave_the_score():
    base = [result("naming.a", "pass", 1.0)]
    with_extra = [*base, result("naming.b", "waived", None), result("naming.c", "not_applicable", None)]
    assert score_results(base, SECTIONS).overall == score_results(with_extra, SECTIONS).overall


@pytest.mark.parametrize(
    ("overall", "grade"),
    [
        (100, "A"),
        (90, "A"),
        (89.99, "B"),
        (75, "B"),
        (50, "C"),
        (49.99, "D"),
        (25, "D"),
        (24.99, "F"),
        (None, None),
    ],
)
def test_grades(overall, grade):
    assert grade_of(overall) == grade


STATUSES_SCORED = st.sampled_from(["pass", "partial", "fail", "unknown", "not_applicable", "waived"])
# Results r0, r1, … of any status, score, severity and section.
RESULTS = st.lists(
    st.tuples(
        STATUSES_SCORED,
        st.floats(0, 1),
        st.sampled_from(["critical", "high", "medium", "low"]),
        st.sampled_from(["naming", "rules", "tags"]),
    ),
    max_size=8,
).map(lambda rows: [result(f"r{i}", *row) for i, row in enumerate(rows)])


@settings(max_examples=200, deadline=None)
@given(RESULTS, st.data())
def test_what_if_gives_the_overall_score_rescored_from_scratch(results, data):
    fixed = frozenset(data.draw(st.lists(st.sampled_from([r.rule.id for r in results] or ["x"]))))
    rescored = [
        r
        if r.rule.id not in fixed or r.status not in ("pass", "partial", "fail")
        else result(r.rule.id, "pass", 1.0, r.rule.severity, r.rule.section)
        for r in results
    ]
    assert WhatIf(results, SECTIONS).overall_if_fixed(fixed) == score_results(rescored, SECTIONS).overall


@settings(max_examples=200, deadline=None)
@given(RESULTS, st.randoms(use_true_random=False))
def test_fixing_rules_in_turn_gives_each_prefix_s_what_if(results, rng):
    order = [r.rule.id for r in results]
    rng.shuffle(order)
    what_if = WhatIf(results, SECTIONS)
    prefixes = [frozenset(order[: n + 1]) for n in range(len(order))]
    assert what_if.overall_fixing_in_turn(order) == [what_if.overall_if_fixed(p) for p in prefixes]


def test_two_causes_at_critical_strength_keep_the_grade_at_d():
    results = [result(f"naming.p{i}", "pass", 1.0, "critical") for i in range(20)]
    results += [
        result("rules.ads", "fail", 0.0, "critical", "rules"),
        result("rules.lead", "fail", 0.0, "critical", "rules"),
    ]
    one = score_results(results, SECTIONS, critical_causes=1)
    two = score_results(results, SECTIONS, critical_causes=2)
    assert one.overall == two.overall == 90.91
    assert (one.grade, one.grade_cap) == ("C", "C")
    assert (two.grade, two.grade_cap, two.band) == ("D", "D", "poor")
