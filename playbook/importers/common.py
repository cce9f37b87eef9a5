"""What every importer shares: the options, time conversion and the end-of-import summary."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from playbook.core.errors import Location, PlaybookError
from playbook.core.i18n import Text

DEFAULT_TZ = "Asia/Shanghai"
# Message kinds allowed in `activity.messages[].type` (DESIGN §1).
KINDS = (
    "text",
    "image",
    "voice",
    "video",
    "sticker",
    "file",
    "link",
    "red_packet",
    "system",
    "other",
)


@dataclass(frozen=True)
class ImportOptions:
    """The user's choices, already checked: the zone for naive times and the capture moment."""

    tz: ZoneInfo
    chat: str | None = None
    captured_at: datetime | None = None
    include_messages: bool = False


def load_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise PlaybookError.at(
            "--tz",
            Text("未知时区 '{z}'", "unknown time zone '{z}'").format(z=name),
            Text("请用 IANA 名称，例如 Asia/Shanghai", "use an IANA name such as Asia/Shanghai"),
        ) from exc


def parse_captured_at(value: str, tz: ZoneInfo) -> datetime:
    """`--captured-at`: an ISO time (naive means `tz`), or a date meaning the end of that day."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return datetime.combine(date.fromisoformat(value), time(23, 59, 59), tz)
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise PlaybookError.at(
            "--captured-at",
            Text("'{v}' 不是 ISO 8601 时间", "'{v}' is not an ISO 8601 time").format(v=value),
            Text("例如 2026-11-20T21:00:00+08:00", "for example 2026-11-20T21:00:00+08:00"),
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def epoch_of_stamp(stamp: Any) -> float | None:
    """Epoch seconds written in digits (`1717203600`, `"1717203600"`, `1717203600.0`); None for
    anything else, and for 0, which old exports and samples write for "unknown"."""
    text = str("" if stamp is None else stamp).strip().split(".")[0]
    # isascii: `isdigit` is true of `²`, which `int` refuses
    return float(text) if text.isascii() and text.isdigit() and int(text) > 0 else None


def epoch_of_naive(text: str, tz: ZoneInfo) -> float:
    """A local time without offset (`2024-03-12T10:00:00` or with a space), read in `tz`."""
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.timestamp()


def iso_at(epoch: float, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(epoch, tz).isoformat(timespec="seconds")


def day_of(epoch: float, tz: ZoneInfo) -> int:
    """The calendar day (proleptic ordinal) of an instant, in the snapshot's zone."""
    return datetime.fromtimestamp(epoch, tz).toordinal()


def iso_day(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


UTC = timezone.utc
ONE_DAY = timedelta(days=1)


@dataclass
class Summary:
    """Everything the user should know about what was read, kept and left out."""

    format: str
    files: list[Path] = field(default_factory=list)
    encodings: list[str] = field(default_factory=list)
    records: int = 0  # every message-like record read from the export
    member_messages: int = 0
    service_messages: int = 0
    skipped: Counter[Text] = field(default_factory=Counter)
    flags: Counter[str] = field(default_factory=Counter)
    members: int = 0
    joins: int = 0
    leaves: int = 0
    left_members: int = 0
    first_day: str | None = None
    last_day: str | None = None
    chat: str | None = None
    notes: list[Text] = field(default_factory=list)

    def skip(self, reason: Text, count: int = 1) -> None:
        self.skipped[reason] += count

    def reject(self, reason: Text) -> None:
        """A record was read but cannot be used: it counts as read and as skipped, with why."""
        self.records += 1
        self.skip(reason)

    def lines(self) -> list[Text]:
        out = [
            Text("导入 {f}: {n} 个文件{chat}", "imported {f}: {n} file(s){chat}").format(
                f=self.format, n=len(self.files), chat=f" · {self.chat}" if self.chat else ""
            ),
            Text("编码: {e}", "encoding: {e}").format(e=", ".join(dict.fromkeys(self.encodings)) or "-"),
            Text(
                "读取 {r} 条记录: 成员消息 {m} 条，系统消息 {s} 条，跳过 {k} 条",
                "read {r} records: {m} member messages, {s} service messages, {k} skipped",
            ).format(
                r=self.records,
                m=self.member_messages,
                s=self.service_messages,
                k=sum(self.skipped.values()),
            ),
        ]
        out += [
            Text("  跳过 {n} 条: ", "  skipped {n}: ").format(n=n) + why
            for why, n in sorted(self.skipped.items(), key=lambda item: -item[1])
        ]
        out.append(self._people_line())
        out.append(self._range_line())
        if self.flags:
            shown = ", ".join(f"{name} {n}" for name, n in sorted(self.flags.items()))
            out.append(Text("消息标记: {s}", "message flags: {s}").format(s=shown))
        return out + self.notes

    def _people_line(self) -> Text:
        return Text(
            "成员 {m} 人（其中已退群 {x} 人，标有 left_at）；入群 {j} 次，退群 {l} 次",
            "{m} members ({x} of them have left, marked left_at); {j} joins, {l} leaves",
        ).format(m=self.members, j=self.joins, l=self.leaves, x=self.left_members)

    def _range_line(self) -> Text:
        if self.first_day is None:
            return Text("没有带时间的消息", "no dated messages")
        return Text("时间范围: {a} 至 {b}", "date range: {a} to {b}").format(
            a=self.first_day, b=self.last_day
        )

    def render(self, lang: str) -> str:
        return "\n".join(line.render(lang) for line in self.lines())


def fail(where: str | Location, zh: str, en: str, **fields: object) -> PlaybookError:
    """A located input error, in both languages."""
    return PlaybookError.at(where, Text(zh, en).format(**fields))
