"""Place raw-log message times against the snapshot's `now` with string comparisons.

A log of a million messages spent most of its pass turning each time into an aware datetime,
converting it to the local zone and subtracting it from `now`. Exports write every time
the same way, e.g. `2026-11-20T20:59:54+08:00`; when a time has exactly that shape and the
same offset as `captured_at`, text order is time order, so comparing it with `now` and with
the window starts written the same way gives the same answer as parsing, and its local date is
its first ten characters. Any other time (another offset, no offset, a fraction, a space for
`T`) is parsed as before, so mixed logs stay correct.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any


class MessageClock:
    """`place(at)` → (local date, the windows in days the time falls in), or None when `at` is
    not a real time or lies after `now`; `latest()` is the latest time placed so far."""

    def __init__(self, now: datetime, windows: Sequence[int], parse: Callable[[Any], datetime | None]):
        self.now, self.parse = now, parse
        text = now.isoformat(timespec="seconds")
        # Text comparison is exact only against a fixed offset (a named zone may change offset).
        fixed = isinstance(now.tzinfo, timezone) and len(text) == 25
        self.suffix = text[19:] if fixed else "\0"
        self.now_text = text
        ordered = sorted(windows)
        # The newest window start first: a time after it is in every window, and so on.
        self.bands = [
            ((now - timedelta(days=w)).isoformat(timespec="seconds"), tuple(ordered[i:]))
            for i, w in enumerate(ordered)
        ]
        self.windows = tuple(ordered)
        self.dates: dict[str, date] = {}
        self.latest_text = ""  # the latest time placed by text, and by parsing
        self.latest_time: datetime | None = None

    def place(self, at: Any) -> tuple[date, tuple[int, ...]] | None:
        if not (isinstance(at, str) and len(at) == 25 and at.endswith(self.suffix) and at[4:17:3] == "--T::"):
            return self._parsed(at)
        try:
            datetime.fromisoformat(at)  # only to refuse what parsing refuses (2026-02-30, 24:00)
        except ValueError:
            return None
        if at > self.now_text:
            return None
        if at > self.latest_text:
            self.latest_text = at
        day = self._date(at[:10])
        for start, windows in self.bands:
            if at > start:
                return day, windows
        return day, ()

    def _date(self, text: str) -> date:
        day = self.dates.get(text)
        if day is None:
            day = self.dates[text] = date.fromisoformat(text)
        return day

    def _parsed(self, at: Any) -> tuple[date, tuple[int, ...]] | None:
        when = self.parse(at)
        if when is None or when > self.now:
            return None
        if self.latest_time is None or when > self.latest_time:
            self.latest_time = when
        age = (self.now - when).total_seconds() / 86400
        return when.astimezone(self.now.tzinfo).date(), tuple(w for w in self.windows if age < w)

    def latest(self) -> datetime | None:
        by_text = self.parse(self.latest_text) if self.latest_text else None
        candidates = [t for t in (by_text, self.latest_time) if t is not None]
        return max(candidates) if candidates else None
