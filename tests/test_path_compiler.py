"""Compiled paths read exactly what the JMESPath interpreter reads (hypothesis), and only
bounded forms are compiled."""

from __future__ import annotations

import jmespath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.conditions import path_reader
from playbook.path_compiler import compile_reader

KEYS = ("a", "b", "c")
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 2), st.sampled_from(["", "群", "x"]), st.just([]), st.just({})
)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)),
    max_leaves=10,
)
LITERALS = st.sampled_from(["`false`", "`0`", "''", "'x'", "`[]`", "`null`", "`{\"a\": 1}`"])
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


@settings(max_examples=300, deadline=None)
@given(EXPRESSIONS, DATA)
def test_a_compiled_path_reads_what_the_interpreter_reads(expr, data):
    parsed = jmespath.compile(expr)
    reader = compile_reader(parsed.parsed)
    assert reader is not None, expr
    assert reader(data) == parsed.search(data)


@pytest.mark.parametrize(
    "expr",
    ["members.list[].id", "events[?kind == 'welcome']", "max_by(events, &at)", "group.tags[0]", "a | b"],
)
def test_projections_filters_and_functions_are_left_to_the_interpreter(expr):
    assert compile_reader(jmespath.compile(expr).parsed) is None
    # ...and still read correctly, through the budgeted interpreter
    data = {"members": {"list": [{"id": "u1"}]}, "events": [{"kind": "welcome", "at": "2026-01-01"}]}
    assert path_reader(expr)(data) == jmespath.search(expr, data)


def test_zero_is_true_and_empty_text_is_false_as_in_jmespath():
    assert path_reader("a || 'default'")({"a": 0}) == 0
    assert path_reader("a || 'default'")({"a": ""}) == "default"
    assert path_reader("a.b.c")({"a": {"b": "not an object"}}) is None
