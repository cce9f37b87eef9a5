"""Finding where a value stands: JSON pointers to line and column, lazily."""

from __future__ import annotations

import pytest

from playbook.locations import JsonLocator, line_col

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
