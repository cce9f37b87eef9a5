"""Compiled paths read exactly what the JMESPath interpreter reads (hypothesis), and only
forms of bounded cost are compiled: projections only over short lists, never nested."""

from __future__ import annotations

import json

import jmespath
import jmespath.exceptions
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.core.conditions import path_reader
from playbook.core.path_compiler import SHORT_LIST, TooLong, compile_reader

KEYS = ("a", "b", "c")
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 2), st.sampled_from(["", "群", "x"]), st.just([]), st.just({})
)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)
    ),
    max_leaves=10,
)
LITERALS = st.sampled_from(["`false`", "`0`", "''", "'x'", "`[]`", "`null`", '`{"a": 1}`'])
FIELDS = st.lists(st.sampled_from(KEYS), min_size=1, max_size=3).map(".".join)
EXPRESSIONS = st.recursive(
    st.one_of(FIELDS, LITERALS, st.just("@")),
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"({a} || {b})", inner, inner),
        st.builds(lambda a, b: f"({a} && {b})", inner, inner),
        st.builds(lambda a: f"!({a})", inner),
        st.builds(lambda a, f: f"({a}).{f}", inner, FIELDS),
    ),
    max_leaves=6,
)
COMPARATORS = st.sampled_from(["==", "!=", "<", ">", "<=", ">="])
# Per-item parts of a projection: bounded forms and comparisons, no projection of their own.
PER_ITEM = st.one_of(
    EXPRESSIONS,
    st.builds(lambda a, op, b: f"{a} {op} {b}", FIELDS | st.just("@"), COMPARATORS, FIELDS | LITERALS),
)
FUNCTIONS = st.sampled_from(
    [
        "length({})",
        "join(', ', {})",
        "max_by({}, &a)",
        "min_by({}, &b.c)",
        "sort({})",
        "sort_by({}, &a)",
        "contains({}, 'x')",
        "to_string({})",
        "keys({})",
        "not_null({}, 'none')",
        "starts_with({}, '群')",
        "reverse({})",
        "type({})",
        "to_number({})",
        "max({})",
        "sum({})",
    ]
)
PROJECTING = st.recursive(
    EXPRESSIONS,
    lambda inner: st.one_of(
        st.builds(lambda f, a: f.format(a), FUNCTIONS, inner),
        st.builds(lambda a, c: f"({a})[?{c}]", inner, PER_ITEM),
        st.builds(lambda a, f: f"({a})[].{f}", inner, FIELDS),
        st.builds(lambda a: f"({a})[]", inner),
        st.builds(lambda a, b: f"[{a}, {b}]", inner, inner),
        st.builds(lambda a, b: f"({a}) | ({b})", inner, inner),
        st.builds(lambda a, i: f"({a})[{i}]", inner, st.integers(-2, 2)),
        st.builds(lambda a, b: f"({a}) || ({b})", inner, inner),
    ),
    max_leaves=6,
)


def _outcome(read, data):
    """What a reader gives, exactly (true is not 1), or the error it raises: ordering text
    against a number, or a function given the wrong type, raises in both."""
    try:
        return json.dumps(read(data))
    except (TypeError, jmespath.exceptions.JMESPathError) as exc:
        return f"{type(exc).__name__}: {exc}"


@settings(max_examples=300, deadline=None)
@given(EXPRESSIONS, DATA)
def test_a_compiled_path_reads_what_the_interpreter_reads(expr, data):
    parsed = jmespath.compile(expr)
    reader = compile_reader(parsed.parsed)
    assert reader is not None, expr
    assert _outcome(reader, data) == _outcome(parsed.search, data)


@settings(max_examples=500, deadline=None)
@given(PROJECTING, DATA)
def test_compiled_filters_projections_and_pipes_read_what_the_interpreter_reads(expr, data):
    parsed = jmespath.compile(expr)
    reader = compile_reader(parsed.parsed)
    if reader is not None:  # None: a projection inside another's per-item part
        assert _outcome(reader, data) == _outcome(parsed.search, data), expr
    assert _outcome(path_reader(expr), data) == _outcome(parsed.search, data), expr


@pytest.mark.parametrize(
    "expr",
    ["sort_by(events, &length(tags[?@]))", "members.list[].tags[?@ == 'core']", "group.*"],
)
def test_nested_projections_are_left_to_the_interpreter(expr):
    assert compile_reader(jmespath.compile(expr).parsed) is None
    # ...and still read correctly, through the budgeted interpreter
    data = {
        "members": {"list": [{"id": "u1", "tags": ["core"]}]},
        "events": [{"kind": "welcome", "at": "2026-01-01", "tags": ["x", ""]}, {"tags": []}],
        "group": {"tags": ["a", "b"]},
    }
    assert path_reader(expr)(data) == jmespath.search(expr, data)


def test_a_long_list_is_read_by_the_interpreter_within_its_budget():
    expr = "events[?kind == 'welcome'].at"
    compiled = compile_reader(jmespath.compile(expr).parsed)
    assert compiled is not None
    short = {"events": [{"kind": "welcome", "at": "x"}] * SHORT_LIST}
    long = {"events": short["events"] * 2}
    assert compiled(short) == ["x"] * SHORT_LIST
    with pytest.raises(TooLong):
        compiled(long)
    assert path_reader(expr)(long) == ["x"] * (2 * SHORT_LIST)


def test_a_small_item_limit_is_enforced_for_compiled_projections_too():
    from playbook.core.budget import BudgetExceeded, PathLimits, path_limits

    with path_limits(PathLimits(max_path_items=3)), pytest.raises(BudgetExceeded):
        path_reader("events[?kind == 'a']")({"events": [{"kind": "a"}] * 4})


def test_zero_is_true_and_empty_text_is_false_as_in_jmespath():
    assert path_reader("a || 'default'")({"a": 0}) == 0
    assert path_reader("a || 'default'")({"a": ""}) == "default"
    assert path_reader("a.b.c")({"a": {"b": "not an object"}}) is None


def test_a_function_over_a_long_list_is_read_by_the_interpreter():
    expr = "length(members.list)"
    data = {"members": {"list": [{"id": i} for i in range(SHORT_LIST + 1)]}}
    with pytest.raises(TooLong):
        compile_reader(jmespath.compile(expr).parsed)(data)
    assert path_reader(expr)(data) == SHORT_LIST + 1
