"""ISO 8601 times as the snapshot writes them; a time without an offset is in the snapshot's zone."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import date, datetime, time, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Shanghai"


@functools.cache
def zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


def parse_time(value: str, timezone: str = DEFAULT_TIMEZONE) -> datetime | None:
    """An aware datetime, or None when `value` is not a real date or time."""
    try:
        if len(value) == 10:
            parsed = datetime.combine(date.fromisoformat(value), time())
        else:
            parsed = datetime.fromisoformat(value)
    except (ValueError, TypeError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone(timezone))
    return parsed


def captured_day(data: Mapping[str, Any], fallback: date) -> date:
    """The date a snapshot was captured on, in its own time zone: "today" for tests and examples,
    whose meaning must not change with the real date."""
    captured = data.get("captured_at")
    moment = (
        parse_time(captured, data.get("timezone") or DEFAULT_TIMEZONE) if isinstance(captured, str) else None
    )
    return moment.date() if moment else fallback


def parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except (ValueError, TypeError):
        return None


# How people write dates by hand: 2026/11/20, 2026.11.20, 2026-1-5, 2026年11月20日, with an
# optional 21:00, 21:00:00, 21点, 21点30分 or 21点半 after it (the Chinese marks become colons).
# A string, compiled on first use (through re's cache): only a refused date is respelt.
_HANDWRITTEN = (
    r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
    r"(?:(?:(?<=[日号])\s*|[\sT]+)(\d{1,2})\s*:\s*(\d{1,2})?\s*(?::\s*(\d{1,2}))?\s*:?)?\s*"
)
_TIME_MARKS = str.maketrans({"点": ":", "时": ":", "分": ":", "：": ":", "秒": None})


def iso_spelling(text: str) -> str | None:
    """A hand-written date or time as ISO 8601 (2026/11/20 → 2026-11-20), or None if not one."""
    found = re.fullmatch(_HANDWRITTEN, text.replace("点半", ":30").translate(_TIME_MARKS))
    if not found:
        return None
    year, month, day, hour, minute, second = (int(part or 0) for part in found.groups())
    try:
        when = datetime(year, month, day, hour, minute, second)
    except ValueError:  # 2026/02/30: not a date however it is written
        return None
    return when.date().isoformat() if found.group(4) is None else when.isoformat()
