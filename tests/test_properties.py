"""Properties of the rule language and the scoring, checked with hypothesis."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.core.conditions import AllOf, AnyOf, Leaf, NotOf, evaluate, evaluate_traced, first_path, trace
from playbook.core.errors import PlaybookError
from playbook.core.operators import OPERATORS, RuleError
from playbook.core.report import Options, build_report
from playbook.core.scoring import score_results
from playbook.io.documents import parse_text
from playbook.io.facts import platform_fact_table
from tests.conftest import TODAY
from tests.test_operators import CTX
from tests.test_scoring import SECTIONS, result

VALUES = st.one_of(
    st.none(),
    st.integers(-5, 5),
    st.sampled_from(["运营", "群", "acme", ""]),
    st.lists(st.sampled_from(["a", "b"]), max_size=3),
)
DATA = st.fixed_dictionaries({"a": VALUES, "b": VALUES, "c": VALUES})

LEAVES = st.one_of(
    st.builds(lambda p: Leaf(p, OPERATORS["exists"], None, None), st.sampled_from("abc")),
    st.builds(lambda p, v: Leaf(p, OPERATORS["at_least"], v, v), st.sampled_from("abc"), st.integers(-5, 5)),
    st.builds(lambda p, v: Leaf(p, OPERATORS["equals"], v, v), st.sampled_from("abc"), VALUES),
    st.builds(
        lambda p, v: Leaf(p, OPERATORS["contains"], v, v),
        st.sampled_from("abc"),
        st.sampled_from(["运营", "a"]),
    ),
)
CONDITIONS = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.builds(lambda parts: AllOf(tuple(parts)), st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda parts: AnyOf(tuple(parts)), st.lists(inner, min_size=1, max_size=3)),
        st.builds(NotOf, inner),
    ),
    max_leaves=8,
)


class DictScope:
    def __init__(self, data):
        self.data = data
        self.op_context = CTX

    def lookup(self, expr):
        return self.data.get(expr)


def outcome(cond, data):
    try:
        return evaluate(cond, DictScope(data))
    except RuleError:
        return "error"


@given(CONDITIONS, DATA)
def test_double_negation(cond, data):
    assert outcome(NotOf(NotOf(cond)), data) == outcome(cond, data)


@given(CONDITIONS, DATA)
def test_one_traced_walk_gives_the_verdict_and_the_steps_of_two(cond, data):
    scope = DictScope(data)
    try:
        verdict, steps = evaluate_traced(cond, scope)
    except RuleError:
        assert outcome(cond, data) == "error"
        return
    assert verdict == evaluate(cond, scope)
    assert steps == trace(cond, scope)
    assert first_path(cond) == steps[0].path


@given(CONDITIONS, CONDITIONS, DATA)
def test_de_morgan(a, b, data):
    left = outcome(NotOf(AllOf((a, b))), data)
    right = outcome(AnyOf((NotOf(a), NotOf(b))), data)
    if "error" not in (outcome(a, data), outcome(b, data)):
        assert left == right
    left = outcome(NotOf(AnyOf((a, b))), data)
    right = outcome(AllOf((NotOf(a), NotOf(b))), data)
    if "error" not in (outcome(a, data), outcome(b, data)):
        assert left == right


RESULTS = st.lists(
    st.tuples(
        st.sampled_from(["pass", "partial", "fail", "unknown", "not_applicable", "error", "waived"]),
        st.floats(0, 1),
        st.sampled_from(["critical", "high", "medium", "low", "info"]),
        st.sampled_from(["naming", "rules", "tags"]),
    ),
    max_size=12,
)


def build(rows):
    out = []
    for i, (status, score, severity, section) in enumerate(rows):
        counted = status in ("pass", "partial", "fail")
        if counted:
            score = 1.0 if status == "pass" else min(score, 0.89) if status == "partial" else min(score, 0.49)
        out.append(result(f"{section}.r{i}", status, score if counted else None, severity, section))
    return out


@given(RESULTS)
def test_scores_stay_within_0_and_100(rows):
    score = score_results(build(rows), SECTIONS)
    for value in [score.overall, *(s.score for s in score.sections)]:
        assert value is None or 0 <= value <= 100
    assert score.coverage is None or 0 <= score.coverage <= 1


@given(RESULTS, st.integers(0, 11))
def test_fixing_a_failing_rule_never_lowers_a_score(rows, pick):
    results = build(rows)
    fixable = [i for i, r in enumerate(results) if r.status in ("fail", "partial")]
    if not fixable:
        return
    index = fixable[pick % len(fixable)]
    fixed = list(results)
    fixed[index] = replace(results[index], status="pass", score=1.0)
    before, after = score_results(results, SECTIONS), score_results(fixed, SECTIONS)
    assert (after.overall or 0) >= (before.overall or 0)
    for old, new in zip(before.sections, after.sections, strict=True):
        assert (new.score or 0) >= (old.score or 0)


SNAPSHOT_PARTS = st.fixed_dictionaries(
    {
        "group": st.fixed_dictionaries(
            {"name": st.text(max_size=20)},
            optional={
                "keywords": st.lists(st.text(max_size=5), max_size=3),
                "tags": st.lists(st.text(max_size=5), max_size=4),
                "intro": st.text(max_size=60),
                "stage": st.sampled_from(["launch", "growth", "mature"]),
                "created_at": st.sampled_from(["2026-01-01", "2026-11-19", "2027-01-01"]),
            },
        ),
        "platform": st.sampled_from(["qq", "wechat", "telegram"]),
    },
    optional={
        "metrics": st.dictionaries(
            st.sampled_from(["weekly_active_ratio", "member_count"]), st.floats(0, 10), max_size=2
        )
    },
)


@settings(max_examples=60, deadline=None)
@given(SNAPSHOT_PARTS)
def test_any_valid_snapshot_gives_a_report_or_a_clean_error(mini_playbook, parts):
    data = {"snapshot": 1, "captured_at": "2026-11-20T21:00:00+08:00", **parts}
    document = parse_text(json.dumps(data, ensure_ascii=False), "g.json", "json")
    try:
        report = build_report(mini_playbook, document, Options(TODAY), platform_fact_table())
    except PlaybookError:
        return
    assert report["score"]["overall"] is None or 0 <= report["score"]["overall"] <= 100
