"""Derived metrics: the numbers rules read under `metrics.*`, each with one written definition.

Every metric is a small function over a `SnapshotView`, which makes the expensive passes (over
the roster, the daily rows, the raw message log) once and shares them. A metric whose inputs
are absent is None; a value the snapshot gives under `metrics` is used when it cannot be derived.
All windows end at `captured_at` and are measured in days.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import cache, cached_property, wraps
from typing import Any

from playbook.core.i18n import Text
from playbook.core.message_clock import MessageClock
from playbook.core.registry import Registry
from playbook.core.timeutil import DEFAULT_TIMEZONE, parse_date, parse_time, zone

ADMIN_ROLES = ("owner", "admin")
_UNSEEN = object()
AD_KINDS = ("ad", "spam")


@dataclass(frozen=True, eq=False)
class Metric:
    """A derived number (`metrics.NAME`): its words, how it is computed and from which fields."""

    name: str
    label: Text
    definition: Text
    func: Callable[[SnapshotView], Any]
    needs: tuple[str, ...]  # the snapshot fields it is computed from, which "provide data" names
    # Days of daily data (activity.daily, else the message log) it needs before it has a value:
    # "missing data" then says how many it needs and how many the snapshot has.
    least_days: int | None = None


METRICS: Registry[Metric] = Registry("playbook.metrics", Text("指标", "metric"))


def metric(
    name: str,
    label: tuple[str, str],
    definition: tuple[str, str],
    needs: tuple[str, ...],
    least_days: int | None = None,
):
    """Register a metric. Its value is computed once per snapshot: metrics built on others
    (`weekly_active_ratio` on `speakers_7d`) call them directly and get the remembered value.
    `needs` lists snapshot fields as written in a file, `[]` marking a list: `members.list[].role`."""

    def register(func: Callable[[SnapshotView], Any]) -> Callable[[SnapshotView], Any]:
        key = ("metric", name)

        @wraps(func)
        def once(view: SnapshotView) -> Any:
            # `view.memo(key, func, view)` written out: metrics call each other ~180 times per
            # snapshot, and the extra call cost more than some metrics (no closure per call either).
            found = view._shared.get(key, _UNSEEN)
            if found is _UNSEEN:
                found = view._shared[key] = func(view)
            return found

        METRICS.add(name, Metric(name, Text(*label), Text(*definition), once, needs, least_days))
        return once

    return register


def days_of_data(data: Mapping[str, Any]) -> int:
    """Calendar days the activity covers, from its first day to the capture day (daily rows, else
    the message log): how much history a windowed metric has to work with."""
    activity = data.get("activity") or {}
    # Sets: each distinct day is parsed once (a log of 100,000 messages spans a few dozen days, and
    # this is asked again for every rule whose metric lacks history); only the first and last count.
    days = {str(row.get("date", ""))[:10] for row in activity.get("daily") or [] if isinstance(row, Mapping)}
    if not days:
        days = {str(m.get("at", ""))[:10] for m in activity.get("messages") or [] if isinstance(m, Mapping)}
    dates = [d for d in (parse_date(day) for day in days if day) if d is not None]
    if not dates:
        return 0
    stamp = data.get("captured_at")
    captured = parse_time(stamp, data.get("timezone") or DEFAULT_TIMEZONE) if isinstance(stamp, str) else None
    last = max(max(dates), captured.date()) if captured else max(dates)
    return (last - min(dates)).days + 1


def in_window(ago: float | None, days: float) -> bool:
    """A time `ago` days back lies in the last `days` days (not in the future)."""
    return ago is not None and 0 <= ago < days


def _ratio(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole


@dataclass
class MessageStats:
    """What one pass over `activity.messages` yields. A million-message log is read once, so the
    few per-message counts that metrics need are taken in this loop (keeping the 30 days'
    messages as columns for each metric to count itself cost a fifth more of the metrics' time);
    a metric that needs a new per-message count adds its counter here."""

    last: datetime | None
    per_day: dict[date, int]
    speakers: dict[int, set[str]]  # window in days -> distinct senders
    counts: dict[int, int]  # window in days -> messages
    red_packets_30d: int
    admin_30d: int
    admin_promo_30d: int
    voice_video_30d: int = 0
    member_questions_30d: list[Mapping[str, Any]] = field(default_factory=list)  # flagged question


@cache
def _times_written_in(offset: str) -> re.Pattern[str] | None:
    """Lines each holding one time written to the second with `offset` (`2026-11-20T21:00:00+08:00`)."""
    if offset == "\0":  # the capture time has no fixed offset
        return None
    one = (
        r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
        r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]" + re.escape(offset)
    )
    return re.compile(f"{one}(?:\n{one})*")


class SnapshotView:
    """One snapshot with its shared passes computed lazily, once."""

    WINDOWS = (7, 30)

    def __init__(self, data: Mapping[str, Any], facts: Mapping[str, Any] | None = None):
        self.data = data
        self.facts = facts or {}
        self.timezone = data.get("timezone") or DEFAULT_TIMEZONE
        captured = data.get("captured_at")
        self.now = parse_time(captured, self.timezone) if isinstance(captured, str) else None
        self.group: Mapping[str, Any] = data.get("group") or {}
        self._ages: dict[str, float | None] = {}
        self._shared: dict[Any, Any] = {}
        # Times written like `captured_at` with its fixed offset (as exports write them) are
        # subtracted as naive times: the same answer for a quarter of the cost of aware ones.
        text = self.now.isoformat(timespec="seconds") if self.now else ""
        fixed = self.now is not None and isinstance(self.now.tzinfo, timezone) and len(text) == 25
        self._offset = text[19:] if fixed else "\0"
        self._naive_now = self.now.replace(tzinfo=None) if self.now else datetime.min

    def time(self, value: Any) -> datetime | None:
        return parse_time(value, self.timezone) if isinstance(value, str) else None

    def days_ago(self, value: Any) -> float | None:
        if not isinstance(value, str) or self.now is None:
            return None
        # Roster metrics read the same join and activity times many times: compute each once.
        age = self._ages.get(value, _UNSEEN)
        if age is _UNSEEN:
            age = self._ages[value] = self._age(value)
        return age  # type: ignore[return-value]

    def _age(self, value: str) -> float | None:
        """Days ago of one time (None when it is not a time); see `__init__` for the naive case."""
        assert self.now is not None
        if len(value) == 25 and value[19:] == self._offset:
            try:
                return (self._naive_now - datetime.fromisoformat(value[:19])).total_seconds() / 86400
            except (ValueError, TypeError):  # 2026-02-30, or an offset inside the first 19
                return None
        when = self.time(value)
        return None if when is None else (self.now - when).total_seconds() / 86400

    def memo(self, key: Any, compute: Callable[..., Any], *args: Any) -> Any:
        """A value several metrics share (a filtered roster), `compute(*args)` once per snapshot."""
        found = self._shared.get(key, _UNSEEN)
        if found is _UNSEEN:
            found = self._shared[key] = compute(*args)
        return found

    def within(self, value: Any, days: float) -> bool:
        return in_window(self.days_ago(value), days)

    @cached_property
    def zone(self) -> tzinfo:
        """The snapshot's zone: local dates, weekdays and office hours are read in it."""
        return self.now.tzinfo if self.now and self.now.tzinfo else zone(self.timezone)

    @cached_property
    def today(self) -> date | None:
        return self.now.astimezone(self.now.tzinfo).date() if self.now else None

    @cached_property
    def members(self) -> list[Mapping[str, Any]] | None:
        block = self.data.get("members") or {}
        listed = block.get("list")
        if listed is None:
            return None
        return [m for m in listed if not m.get("left_at")]

    @cached_property
    def roster_complete(self) -> bool:
        """An export only shows people who spoke, and a bot may see only some (`complete: false`):
        neither is the whole roster."""
        block = self.data.get("members") or {}
        return (
            self.members is not None
            and block.get("source") != "export"
            and block.get("complete") is not False
        )

    def joined_within(self, days: float) -> list[bool]:
        """Whether each current member joined in the last `days` days, in roster order."""
        return self.memo(("joined in window", days), self.within_each, "joined_at", days)

    def joined_before(self, days: float) -> list[bool]:
        """Whether each current member joined at least `days` days ago, in roster order."""
        return self.memo(("joined before", days), self.before_each, "joined_at", days)

    def active_within(self, days: float) -> list[bool]:
        """Whether each current member was active in the last `days` days, in roster order."""
        return self.memo(("active_within", days), self.within_each, "last_active_at", days)

    # A roster's times are compared with a window's ends as text when every one of them is
    # written to the second in the capture time's offset (as exports write them): such times sort
    # as they happen, so none is parsed (parsing a roster's join and activity times took a
    # fifteenth of a group's audit). One regular expression checks a whole column's writing; any
    # other writing reads each time (`days_ago`). A leap second (`:60`) is no time to `datetime`
    # and takes that way too; a day the calendar lacks (02-30) is refused before an audit.

    def within_each(self, field: str, days: float) -> list[bool]:
        """`within(member[field], days)` for each current member."""
        values, alike = self._times(field)
        if alike:
            start, end = self._text_window(days)
            return [v is not None and start < v <= end for v in values]
        within = self.within
        return [within(v, days) for v in values]

    def before_each(self, field: str, days: float) -> list[bool]:
        """For each current member: `member[field]` is at least `days` days ago (not to come)."""
        values, alike = self._times(field)
        if alike:
            start = self._text_window(days)[0]
            return [v is not None and v <= start for v in values]
        days_ago = self.days_ago
        return [(days_ago(v) or 0.0) >= days for v in values]

    def _times(self, field: str) -> tuple[list[Any], bool]:
        """Each current member's `field` as written, and whether all of them (absent ones aside)
        are written to the second in the capture time's offset."""
        return self.memo(("times", field), self._read_times, field)

    def _read_times(self, field: str) -> tuple[list[Any], bool]:
        values = [m.get(field) for m in self.members or []]
        pattern = _times_written_in(self._offset) if self.now is not None else None
        if pattern is None:
            return values, False
        present = [v for v in values if v is not None]
        try:
            column = "\n".join(present)
        except TypeError:  # a number where a time should be
            return values, False
        # One time per value: each is 25 characters, so a value holding a line break and two
        # times would make the column one line longer than the values.
        one_each = len(column) == 26 * len(present) - 1
        return values, not present or (one_each and pattern.fullmatch(column) is not None)

    def _text_window(self, days: float) -> tuple[str, str]:
        """The window's ends as times are written to the second: such a time lies in the last
        `days` days when start < it <= end (`now` may hold microseconds: a time to the second is
        after `now - days` exactly when it is after that instant cut to the second)."""
        end = self._naive_now.isoformat(timespec="seconds") + self._offset
        try:
            start = (self._naive_now - timedelta(days=days)).isoformat(timespec="seconds") + self._offset
        except OverflowError:  # a window reaching back before the year 1: every time is after it
            start = ""
        return start, end

    @cached_property
    def tagged(self) -> list[tuple[Mapping[str, Any], set[str]]]:
        """Current members with tags, with their tags as a set (most members have none)."""
        return [(m, set(tags)) for m in self.members or [] if (tags := m.get("tags"))]

    @cached_property
    def roles(self) -> list[Any]:
        """Each current member's role, in roster order: one pass shared by the role metrics."""
        return [m.get("role") for m in self.members or []]

    @cached_property
    def admins(self) -> list[Mapping[str, Any]]:
        return [m for m, role in zip(self.members or [], self.roles, strict=True) if role in ADMIN_ROLES]

    @cached_property
    def admin_ids(self) -> set[str]:
        return {str(m.get("id")) for m in self.admins}

    @cached_property
    def bot_ids(self) -> set[str]:
        return {
            str(m.get("id")) for m, role in zip(self.members or [], self.roles, strict=True) if role == "bot"
        }

    @cached_property
    def daily_rows(self) -> list[Mapping[str, Any]]:
        return list((self.data.get("activity") or {}).get("daily") or [])

    @cached_property
    def dated_rows(self) -> list[tuple[date, Mapping[str, Any]]]:
        """The daily rows with a real date, each date parsed once for all the metrics."""
        rows = ((parse_date(row.get("date", "")), row) for row in self.daily_rows)
        return [(day, row) for day, row in rows if day is not None]

    @cached_property
    def messages(self) -> MessageStats | None:
        raw = (self.data.get("activity") or {}).get("messages")
        if not raw or self.now is None:
            return None
        return _message_pass(self, raw)

    @cached_property
    def daily_messages(self) -> dict[date, int] | None:
        """Messages per local date: the daily rows, else counted from the raw log."""
        if self.daily_rows:
            out: dict[date, int] = {}
            for day, row in self.dated_rows:
                out[day] = out.get(day, 0) + int(row.get("messages") or 0)
            return out
        return self.messages.per_day if self.messages else None

    def daily_sum(self, key: str, days: int) -> int | None:
        """Sum of a daily-row field over the last `days` local dates, today included."""
        if not self.daily_rows or self.today is None:
            return None
        start, today = self.today - timedelta(days=days - 1), self.today
        return sum(int(row.get(key) or 0) for day, row in self.dated_rows if start <= day <= today)

    def messages_between(self, first_day_ago: int, last_day_ago: int) -> int | None:
        """Messages on local dates from `first_day_ago` to `last_day_ago` days before today."""
        per_day = self.daily_messages
        if per_day is None or self.today is None:
            return None
        lo, hi = self.today - timedelta(days=first_day_ago), self.today - timedelta(days=last_day_ago)
        return sum(count for day, count in per_day.items() if lo <= day <= hi)

    def dated(self, items: Any, key: str = "at") -> list[float]:
        """Days ago of each item's time, only those not in the future."""
        out = []
        for item in items or []:
            ago = self.days_ago(item.get(key))
            if ago is not None and ago >= 0:
                out.append(ago)
        return out


def _message_pass(view: SnapshotView, raw: list[Mapping[str, Any]]) -> MessageStats:
    assert view.now is not None
    clock = MessageClock(view.now, view.WINDOWS, view.time)
    per_day: dict[date, int] = {}
    speakers: dict[int, set[str]] = {w: set() for w in view.WINDOWS}
    counts = dict.fromkeys(view.WINDOWS, 0)
    red, admin, promo, heavy = 0, 0, 0, 0
    questions: list[Mapping[str, Any]] = []
    admin_ids, bot_ids = view.admin_ids, view.bot_ids
    for message in raw:
        # Service lines and bots are not people talking (research A10: exclude them by default).
        if message.get("type") == "system":
            continue
        sender = str(message.get("from", ""))
        if sender in bot_ids:
            continue
        placed = clock.place(message.get("at"))
        if placed is None:
            continue
        day, windows = placed
        per_day[day] = per_day.get(day, 0) + 1
        for window in windows:
            counts[window] += 1
            speakers[window].add(sender)
        if 30 in windows:
            flags = message.get("flags") or ()
            kind = message.get("type")
            red += kind == "red_packet" or "red_packet" in flags
            heavy += kind == "voice" or kind == "video"
            if sender in admin_ids:
                admin += 1
                promo += "promo" in flags
            elif "question" in flags:
                questions.append(message)
    last = clock.latest()
    return MessageStats(last, per_day, speakers, counts, red, admin, promo, heavy, questions)


def derive_metrics(data: Mapping[str, Any], facts: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every registered metric for one snapshot; given values fill what cannot be derived."""
    view = SnapshotView(data, facts)
    given = data.get("metrics") or {}
    out = {}
    for name, entry in METRICS.items():
        try:
            value = entry.func(view)
        except OverflowError:  # a date a window or a time zone would take below the year 1 or past 9999
            value = None
        out[name] = given.get(name) if value is None else value
    for name, value in given.items():
        out.setdefault(name, value)
    return out


# Registering the catalogue of metrics is done by importing its module.
from playbook.core import metric_catalog  # noqa: E402,F401
