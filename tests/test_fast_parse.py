"""The fast JSON path (orjson) reads exactly what the exact path reads, or steps aside."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.io.json_checks import NOT_DECIDED, DuplicateKey, deeper_than, fast_parse, refuse_duplicates

KEYS = st.sampled_from(["a", "b", "群", 'q"uote', "back\\slash", ":colon", "a"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
    st.sampled_from(['say "hi"', "ends\\", ": starts with a colon", "成员"]),
)
# Objects are written as lists of pairs, so a key can repeat.
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.lists(st.tuples(KEYS, inner), max_size=3)),
    max_leaves=12,
)


def write(value, sep):
    if isinstance(value, list) and value and all(isinstance(v, tuple) for v in value):
        return "{" + sep.join(json.dumps(k) + ":" + write(v, sep) for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + sep.join(write(v, sep) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def exact(text, depth):
    try:
        data = json.loads(text, object_pairs_hook=refuse_duplicates)
    except DuplicateKey:
        return "duplicate"
    return "too deep" if deeper_than(data, depth) else data


@settings(max_examples=500, deadline=None)
@given(VALUES, st.sampled_from([",", ", ", ",\n  "]), st.integers(1, 4))
def test_fast_parse_agrees_with_the_exact_path_or_steps_aside(value, sep, depth):
    text = write(value, sep)
    for source in (text, text.encode("utf-8")):  # the file's text, or its UTF-8 bytes
        fast = fast_parse(source, depth)
        if fast is not NOT_DECIDED:
            assert fast == exact(text, depth)


def test_a_duplicate_key_is_never_accepted_by_the_fast_path():
    assert fast_parse('{"platform": "qq", "platform": "wechat"}', 100) is NOT_DECIDED


def test_an_integer_beyond_64_bits_is_left_to_the_exact_path():
    assert fast_parse('{"n": 123456789012345678901234567890}', 100) is NOT_DECIDED
    assert fast_parse("-9223372036854775809", 100) is NOT_DECIDED  # also as the whole text


def test_ordinary_files_take_the_fast_path():
    assert fast_parse('{"group": {"name": "跑步群", "tags": ["a", "b"]}, "n": 3}', 100) == {
        "group": {"name": "跑步群", "tags": ["a", "b"]},
        "n": 3,
    }
