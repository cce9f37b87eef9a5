"""Finding where a value stands: JSON pointers to line and column, lazily."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.io.locations import JsonLocator, line_col

TEXT = '{\n  "a": [1, {"b": "x"}, 3],\n  "c": {"d": 2},\n  "e": "q\\"uote"\n}\n'


@pytest.mark.parametrize(
    ("pointer", "key", "found"),
    [
        (["a"], False, (2, 8)),
        (["a", 1, "b"], False, (2, 18)),
        (["c", "d"], False, (3, 14)),
        (["e"], False, (4, 8)),
        (["c"], True, (3, 3)),
        (["a", 5], False, None),
        (["a", -1], False, None),
        (["zz"], False, None),
        (["e", "x"], False, None),
    ],
)
def test_pointers_to_line_and_column(pointer, key, found):
    offset = JsonLocator(TEXT).offset(pointer, key)
    assert (None if offset is None else line_col(TEXT, offset)) == found


def test_values_after_the_one_asked_for_are_never_read():
    # The log after "group" is not even valid JSON: locating group.name must not touch it,
    # as a million-message log after it must not be decoded.
    text = '{"group": {"name": "x"}, "activity": {"messages": [not json at all'
    locator = JsonLocator(text)
    assert line_col(text, locator.offset(["group", "name"])) == (1, 20)
    assert locator.offset(["activity"]) is not None  # the key itself is found without reading its value


def _pointers(value, prefix=()):
    yield list(prefix)
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _pointers(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _pointers(child, (*prefix, index))


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=6)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES, st.sampled_from([None, 1, 4]), st.booleans())
def test_the_parsed_data_only_speeds_the_search_up(value, indent, ascii_only):
    # With the parsed data, containers are stepped over in one read sized from it; every
    # offset must be the one found from the text alone, however the file is written.
    text = json.dumps({"lead": value, "after": [value, "end"]}, indent=indent, ensure_ascii=ascii_only)
    data = json.loads(text)
    sized, plain = JsonLocator(text, data), JsonLocator(text)
    for pointer in _pointers(data):
        for key in (False, True):
            assert sized.offset(pointer, key) == plain.offset(pointer, key)


def _roster(count, extra=None):
    return [{"id": f"u{i}", "name": f"成员{i}", "tags": ["a", "b"], **(extra or {})} for i in range(count)]


def _count_reads(monkeypatch):
    from playbook.io import locations

    reads = []
    real = locations.orjson.loads
    monkeypatch.setattr(locations.orjson, "loads", lambda window: reads.append(len(window)) or real(window))
    return reads


@pytest.mark.parametrize(
    ("ascii_only", "reads_wanted"),
    [
        (False, 0),  # no backslash: the key is searched for, the roster never read
        (True, 1),  # \uXXXX escapes: a key could be spelt with one, so the roster is stepped over
    ],
)
def test_a_key_after_a_large_value_is_found_reading_the_value_once_at_most(
    monkeypatch, ascii_only, reads_wanted
):
    data = {"members": _roster(500), "after": 1}
    text = json.dumps(data, ensure_ascii=ascii_only, indent=2)
    reads = _count_reads(monkeypatch)
    offset = JsonLocator(text, data).offset(["after"])
    assert line_col(text, offset) == (text.count("\n"), 12)
    assert len(reads) == reads_wanted


def test_a_key_spelt_with_escapes_is_not_mistaken_for_a_literal_one_inside_the_large_value():
    # The object's own key is `\u0061fter`; the one literal "after" belongs to a member.
    members = json.dumps([*_roster(500), {"after": 0}], ensure_ascii=False)
    text = '{"members": ' + members + ', "\\u0061fter": 1}'
    data = json.loads(text)
    offset = JsonLocator(text, data).offset(["after"])
    assert text[offset:] == "1}"


def test_a_key_named_again_inside_the_large_value_is_not_taken_for_it():
    data = {"members": _roster(500, {"after": 0}), "after": 1}
    text = json.dumps(data, ensure_ascii=False)
    offset = JsonLocator(text, data).offset(["after"])
    assert text[offset:] == "1}"


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES, st.sampled_from([None, 2]), st.booleans())
def test_searching_for_keys_finds_what_reading_finds(value, indent, ascii_only):
    # Every step made a search (as if every value were a roster): the same offsets as reading.
    from playbook.io import locations

    text = json.dumps(
        {"lead": value, "k": [value, {"k": value}], "": value}, indent=indent, ensure_ascii=ascii_only
    )
    data = json.loads(text)
    saved = locations.SEARCH_SPEEDUP
    locations.SEARCH_SPEEDUP = 10**9
    try:
        searching = JsonLocator(text, data)
        found = {(tuple(p), key): searching.offset(p, key) for p in _pointers(data) for key in (False, True)}
    finally:
        locations.SEARCH_SPEEDUP = saved
    plain = JsonLocator(text)
    for (pointer, key), offset in found.items():
        assert offset == plain.offset(list(pointer), key)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab\n", max_size=60), st.lists(st.integers(0, 60), max_size=12))
def test_lines_counted_from_earlier_places_are_the_lines_counted_from_the_start(text, offsets):
    locator = JsonLocator(text)
    for offset in (min(o, len(text)) for o in offsets):
        assert locator.line_col(offset) == line_col(text, offset)
