"""The text fast path of MessageClock gives exactly what parsing every time gives."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from playbook.core.message_clock import MessageClock
from playbook.core.metrics import SnapshotView, _message_pass
from playbook.core.timeutil import parse_time

NOW = "2026-11-20T21:00:00+08:00"
TIMES = [
    "2026-11-20T20:59:59+08:00",  # the fast path
    "2026-11-20T21:00:00+08:00",  # exactly now
    "2026-11-20T21:00:01+08:00",  # the future
    "2026-11-13T21:00:00+08:00",  # exactly seven days
    "2026-11-13T21:00:01+08:00",
    "2026-10-21T21:00:00+08:00",  # exactly thirty days
    "2026-10-21T21:00:01+08:00",
    "2026-11-20T13:00:01Z",  # another offset: parsed
    "2026-11-20T12:59:59+00:00",
    "2026-11-20T00:30:00+09:00",  # the previous local date
    "2026-11-20 20:00:00+08:00",  # a space for T
    "2026-11-20T20:00:00.500+08:00",  # a fraction
    "2026-11-20T20:00",  # no offset: the snapshot's zone
    "2026-11-20",
    "2026-02-30T10:00:00+08:00",  # not a real date
    "2026-11-20T24:00:00+08:00",  # not a real time
    "2026-11-20T20:00:60+08:00",  # a leap second
    "2026-W47-5T20:00:00+08:00",  # an ISO week date
    "yesterday",
    None,
    42,
]


def _clock(now: str = NOW) -> MessageClock:
    return MessageClock(parse_time(now), (7, 30), parse_time)


@pytest.mark.parametrize("at", TIMES)
def test_place_matches_parsing(at):
    clock = _clock()
    assert clock.place(at) == clock._parsed(at)


@pytest.mark.parametrize("now", [NOW, "2026-11-20T21:00", "2026-11-20T13:00:00Z"])
def test_random_times_and_latest_match_parsing(now):
    rng = random.Random(7)
    base = datetime.fromisoformat("2026-11-20T21:00:00+08:00")
    fast, slow = _clock(now), _clock(now)
    for _ in range(2000):
        when = base - timedelta(seconds=rng.randint(-3600, 40 * 86400))
        text = when.astimezone(rng.choice([base.tzinfo, when.tzinfo])).isoformat(timespec="seconds")
        assert fast.place(text) == slow._parsed(text)
    assert fast.latest() == slow.latest()


def test_message_pass_over_mixed_offsets():
    messages = [{"at": at, "from": "u1", "type": "text"} for at in TIMES]
    stats = _message_pass(SnapshotView({"captured_at": NOW}), messages)
    assert stats.last == parse_time("2026-11-20T21:00:00+08:00")
    assert stats.counts == {7: 10, 30: 12}  # as counted by parsing every time (checked by hand)
    assert sum(stats.per_day.values()) == 13
