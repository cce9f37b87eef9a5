"""Every operator: true, false, missing data, wrong type."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from playbook.core.conditions import Leaf, evaluate
from playbook.core.operators import OPERATORS, OpContext, RuleError, compile_regex

NOW = datetime(2026, 11, 20, 21, 0, tzinfo=timezone(timedelta(hours=8)))
CTX = OpContext(now=NOW, timezone="Asia/Shanghai")


class Scope:
    def __init__(self, value):
        self.value = value
        self.op_context = CTX

    def lookup(self, expr):
        return self.value


def check(op, actual, value=None):
    if OPERATORS[op].value == "regex":
        value = compile_regex(value)
    return evaluate(Leaf("x", OPERATORS[op], value, value), Scope(actual))


# (operator, value, an actual that makes it true, an actual that makes it false, a wrong type)
CASES = [
    ("exists", None, "x", None, None),
    ("not_empty", None, ["a"], [], 3),
    ("equals", 3, 3, 4, None),
    ("not_equals", 3, 4, 3, None),
    ("in", ["a", "b"], "a", "c", None),
    ("not_in", ["a", "b"], "c", "a", None),
    ("at_least", 3, 3, 2.5, "3"),
    ("at_most", 3, 3, 3.5, "3"),
    ("between", [1, 3], 2, 4, "2"),
    ("length_at_least", 2, "运营", "运", 12),
    ("length_at_most", 2, ["a"], ["a", "b", "c"], 12),
    ("contains", "运营", "产品运营交流群", "闲聊群", 12),
    ("contains", "ACME", ["acme", "b"], ["b"], 12),
    ("contains_any", ["运营", "产品"], "产品交流", "闲聊", 12),
    ("contains_all", ["运营", "产品"], "产品运营", "产品交流", 12),
    ("starts_with", "acme", "ACME 用户群", "用户群 ACME", 12),
    ("ends_with", "群", "运营群", "运营群聊", 12),
    ("matches", r"^【.+】", "【运营】交流", "运营交流", 12),
    ("not_matches", r"群聊$", "运营交流群", "新建群聊", 12),
    ("unique", None, ["a", "B"], ["a", " A"], "ab"),
    ("days_since_at_most", 7, "2026-11-15", "2026-11-01", 12),
    ("days_since_at_least", 7, "2026-11-01T08:00:00+08:00", "2026-11-19", 12),
]


@pytest.mark.parametrize(("op", "value", "true_for", "false_for", "wrong"), CASES)
def test_operator_true_false_missing_and_wrong_type(op, value, true_for, false_for, wrong):
    assert check(op, true_for, value) is True
    assert check(op, false_for, value) is False
    if op != "exists":
        assert check(op, None, value) is None, "missing data is unknown, not false"
    if wrong is not None:
        with pytest.raises(RuleError):
            check(op, wrong, value)


def test_every_registered_operator_is_tested_and_documented():
    tested = {case[0] for case in CASES}
    assert set(OPERATORS) == tested
    for operator in OPERATORS.values():
        assert operator.doc.zh and operator.doc.en
        assert "{value}" in operator.expects.en or operator.value == "none"


def test_exists_is_false_not_unknown_when_missing():
    assert check("exists", None) is False


def test_catastrophic_regex_times_out_as_rule_error():
    with pytest.raises(RuleError) as info:
        check("matches", "a" * 40 + "!", r"^(a|aa)+$")
    assert "timed out" in info.value.text.en


def test_days_since_needs_captured_at():
    leaf = Leaf("x", OPERATORS["days_since_at_most"], 7, 7)
    scope = Scope("2026-11-15")
    scope.op_context = OpContext(now=None, timezone="Asia/Shanghai")
    with pytest.raises(RuleError):
        evaluate(leaf, scope)


def test_time_without_offset_is_read_in_the_snapshot_zone():
    # 2026-11-13 21:00 in Shanghai is exactly 7 days before NOW
    assert check("days_since_at_most", "2026-11-13T21:00:00", 7) is True
    assert check("days_since_at_most", "2026-11-13T20:59:00", 7) is False
