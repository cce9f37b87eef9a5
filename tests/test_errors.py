"""Problems are located by a value: its text is the `file:line:col` users have always read."""

from __future__ import annotations

import pickle

import pytest

from playbook.core.errors import Location, PlaybookError
from playbook.core.i18n import Text


@pytest.mark.parametrize(
    ("location", "text"),
    [
        (Location("group.json", 3, 14), "group.json:3:14"),
        (Location("chat.txt", 7), "chat.txt:7"),
        (Location("group.json", path="$.members[2].joined_at"), "group.json::$.members[2].joined_at"),
        (Location("--format"), "--format"),
        (Location("", path="$.group"), "::$.group"),
    ],
)
def test_a_location_reads_as_it_always_did(location: Location, text: str) -> None:
    assert str(location) == text


def test_a_message_starts_with_its_location_and_survives_pickling() -> None:
    error = PlaybookError.at(
        Location("group.json", 2, 5),
        Text("不是日期", "not a date"),
        Text("写 YYYY-MM-DD", "write YYYY-MM-DD"),
    )
    assert error.render("en") == "group.json:2:5: not a date\n  hint: write YYYY-MM-DD"
    assert pickle.loads(pickle.dumps(error.problems[0])) == error.problems[0]


def test_a_place_given_as_text_has_no_position() -> None:
    [problem] = PlaybookError.at("--format", Text("未知", "unknown")).problems
    assert problem.where == Location("--format") and problem.where.position is None
