"""Turning a stream of normalized messages and join/leave events into a snapshot.

Memory stays bounded on huge exports: per member only totals and the counts of the last 31
days (older days can never fall in a 7- or 30-day window again, since windows end at the last
message or later), and per day one bit per member for "who spoke".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playbook.core.i18n import Text
from playbook.importers.common import ImportOptions, Summary, day_of, iso_at
from playbook.importers.flags import flags_for

WINDOW_KEEP = 31  # days of per-member counts kept behind the newest day seen
AFTER_CAPTURE = Text("晚于 --captured-at 的记录", "records after --captured-at")
# No chat tool wrote messages before 1990, and none will be read after 2999: a time outside is a
# broken field (a date a thousand years away would also overflow the calendar further on).
EARLIEST, LATEST = 631152000.0, 32503680000.0  # 1990-01-01 and 3000-01-01, UTC
IMPOSSIBLE_TIME = Text(
    "时间不可能的记录（早于 1990 年或晚于 2999 年）",
    "records with an impossible time (before 1990 or after 2999)",
)


class Member:
    """Running statistics of one member; times are epoch seconds."""

    __slots__ = (
        "first_at",
        "id",
        "index",
        "joined_at",
        "last_at",
        "left_at",
        "name",
        "recent",
        "role",
        "total",
    )

    def __init__(self, member_id: str, name: str | None, index: int) -> None:
        self.id, self.name, self.index = member_id, name, index
        self.role: str | None = None
        self.first_at: float | None = None
        self.last_at: float | None = None
        self.joined_at: float | None = None
        self.left_at: float | None = None
        self.total = 0
        self.recent: dict[int, int] = {}


@dataclass
class Day:
    """One day's counts while a log is read: messages, joins, leaves, who spoke."""

    messages: int = 0
    joins: int = 0
    leaves: int = 0
    speakers: bytearray = field(default_factory=bytearray)  # bit i = member with index i spoke

    def mark(self, index: int) -> None:
        byte = index >> 3
        if byte >= len(self.speakers):
            self.speakers.extend(bytes(byte + 1 - len(self.speakers)))
        self.speakers[byte] |= 1 << (index & 7)

    def count_speakers(self) -> int:
        return int.from_bytes(self.speakers, "little").bit_count()


class SnapshotBuilder:
    """Receives messages in any order; `build()` returns the snapshot dict (DESIGN §1)."""

    def __init__(self, platform: str, options: ImportOptions, summary: Summary) -> None:
        self.platform, self.options, self.summary = platform, options, summary
        self.group_id: str | None = None
        self.group_name: str | None = None
        self.members: dict[str, Member] = {}
        self.by_name: dict[str, str] = {}
        self.days: dict[int, Day] = {}
        self.messages: list[dict[str, Any]] = []
        # (kind, at, name) of joins and leaves known only by a display name, for a second try
        # once every speaker's name is known (people often join before they first speak).
        self.by_name_only: list[tuple[str, float, str]] = []
        self.last_at: float | None = None
        self.newest_day = 0
        self._limit = options.captured_at.timestamp() if options.captured_at else None

    def _accept(self, at: float) -> int | None:
        """Count the record; its day, or None when it lies after the capture time."""
        self.summary.records += 1
        if not EARLIEST <= at < LATEST:
            self.summary.skip(IMPOSSIBLE_TIME)
            return None
        if self._limit is not None and at > self._limit:
            self.summary.skip(AFTER_CAPTURE)
            return None
        if self.last_at is None or at > self.last_at:
            self.last_at = at
        day = day_of(at, self.options.tz)
        self.newest_day = max(self.newest_day, day)
        return day

    def _day(self, day: int) -> Day:
        row = self.days.get(day)
        if row is None:
            row = self.days[day] = Day()
        return row

    def member(self, member_id: str, name: str | None = None) -> Member:
        found = self.members.get(member_id)
        if found is None:
            found = self.members[member_id] = Member(member_id, name, len(self.members))
        if name:
            found.name = name
            self.by_name[name] = member_id
        return found

    def resolve(self, name: str) -> str | None:
        """The id last seen with this display name (service messages often carry names only)."""
        return self.by_name.get(name)

    def message(
        self,
        at: float,
        sender_id: str,
        name: str | None,
        kind: str,
        text: str = "",
        role: str | None = None,
        extra: tuple[str, ...] = (),
    ) -> None:
        day = self._accept(at)
        if day is None:
            return
        who = self.member(sender_id, name)
        if role:
            who.role = role
        self._count(who, at, day)
        flags = flags_for(kind, text, extra)
        self.summary.member_messages += 1
        self.summary.flags.update(flags)
        if self.options.include_messages:
            self._keep(at, sender_id, kind, text, flags)

    def _count(self, who: Member, at: float, day: int) -> None:
        who.total += 1
        if who.first_at is None or at < who.first_at:
            who.first_at = at
        if who.last_at is None or at > who.last_at:
            who.last_at = at
        if day > self.newest_day - WINDOW_KEEP:
            who.recent[day] = who.recent.get(day, 0) + 1
            if len(who.recent) > WINDOW_KEEP + 9:
                floor = self.newest_day - WINDOW_KEEP
                who.recent = {d: n for d, n in who.recent.items() if d > floor}
        row = self._day(day)
        row.messages += 1
        row.mark(who.index)

    def service(self, at: float, text: str, actor_id: str | None = None) -> int | None:
        """A system line (joins, recalls, renames); not counted as anyone's message."""
        day = self._accept(at)
        if day is None:
            return None
        self.summary.service_messages += 1
        if self.options.include_messages:
            self._keep(at, actor_id, "system", text, flags_for("system", ""))
        return day

    def join(self, day: int, at: float, member_id: str | None, name: str | None = None) -> None:
        self._day(day).joins += 1
        self.summary.joins += 1
        if member_id:
            self.member(member_id, name).joined_at = at
        elif name:
            self.by_name_only.append(("join", at, name))

    def leave(self, day: int, at: float, member_id: str | None, name: str | None = None) -> None:
        self._day(day).leaves += 1
        self.summary.leaves += 1
        if member_id:
            self.member(member_id, name).left_at = at
        elif name:
            self.by_name_only.append(("leave", at, name))

    def settle_names(self) -> None:
        """Give joins and leaves known by name to the member who spoke under that name."""
        for kind, at, name in self.by_name_only:
            member_id = self.by_name.get(name)
            if member_id is None:
                continue
            member = self.members[member_id]
            if kind == "join" and (member.joined_at is None or at > member.joined_at):
                member.joined_at = at
            elif kind == "leave" and (member.left_at is None or at > member.left_at):
                member.left_at = at

    def _keep(self, at: float, sender: str | None, kind: str, text: str, flags: list[str]) -> None:
        item: dict[str, Any] = {"at": iso_at(at, self.options.tz)}
        if sender:
            item["from"] = sender
        item.update(type=kind, text=text, flags=flags)
        self.messages.append(item)
