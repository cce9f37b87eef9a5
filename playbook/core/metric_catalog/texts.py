"""Text metrics: how old the intro and announcement are, and how the group's rules are written."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date

from playbook.core.metrics import SnapshotView, metric

# A date an intro or announcement advertises: 2024年9月1日, 2024-09-01, 2024/9/1, 2024.9.1,
# 2024年9月 (the month's last day), or a year alone such as "2024 返校日" (its 31 December).
# Years that name who someone is or when something began are not dates to come: 2024届,
# 2019级, 成立于2019年, since 2019.
_FULL = re.compile(r"(?<!\d)(20\d\d)\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})(?!\d)")
_MONTH = re.compile(r"(?<!\d)(20\d\d)\s*[年./-]\s*(\d{1,2})(?!\d)(?!\s*[月./-]\s*\d)")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_NOT_A_DATE_AFTER = re.compile(r"^\s*(届|级|年级|款|版|级别|年?以来|年?至今)")
_NOT_A_DATE_BEFORE = re.compile(
    r"(成立于|成立|创建于|创建|创立于|创立|始于|建于|自|since|founded|established)\s*$", re.I
)


def _safe_date(year: int, month: int, day: int | None = None) -> date | None:
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    day = last if day is None else day
    return date(year, month, day) if 1 <= day <= last else None


def _dates(text: str) -> Iterator[date]:
    """The dates a text points to, a month or a year alone standing for its last day."""
    taken: list[tuple[int, int]] = []
    for pattern in (_FULL, _MONTH, _YEAR):
        for found in pattern.finditer(text):
            start, end = found.span()
            if any(a <= start < b for a, b in taken):
                continue
            taken.append((start, end))
            if _NOT_A_DATE_BEFORE.search(text[max(0, start - 12) : start]) or _NOT_A_DATE_AFTER.match(
                text[end:]
            ):
                continue
            year, *rest = (int(part) for part in found.groups())
            when = (
                _safe_date(year, rest[0], rest[1] if len(rest) > 1 else None) if rest else date(year, 12, 31)
            )
            if when is not None:
                yield when


def _days_outdated(text: str, today: date) -> int:
    """Days since the latest date the text points to, when even that one is past; else 0."""
    latest = max(_dates(text), default=None)
    return max((today - latest).days, 0) if latest else 0


@metric(
    "outdated_notice_days",
    ("介绍和公告过期天数", "days the intro or announcement is out of date"),
    (
        "群介绍和群公告里写到的最晚日期（如“2024年9月1日返校日”，只写年或年月的按该年或该月最后一天算）已经过去的天数，"
        "两者取较大；没写日期或写的是将来的日期为 0；成立年份、“2024届”这类不算；两者都没有时为空",
        "days since the latest date the intro or the announcement mentions (a year or a month alone counts as "
        "its last day), the larger of the two; 0 when it mentions no date or a date to come; founding years and "
        "class years (2024届) do not count; null when there is neither text",
    ),
    needs=("group.intro", "group.announcement.text"),
)
def outdated_notice_days(v: SnapshotView) -> int | None:
    texts = [
        t
        for t in (v.group.get("intro"), (v.group.get("announcement") or {}).get("text"))
        if isinstance(t, str)
    ]
    if not texts or v.today is None:
        return None
    return max(_days_outdated(text, v.today) for text in texts)


@metric(
    "announcement_age_days",
    ("公告天数", "announcement age"),
    ("从 group.announcement.updated_at 到现在的天数", "days since group.announcement.updated_at"),
    needs=("group.announcement.updated_at",),
)
def announcement_age_days(v: SnapshotView) -> float | None:
    return v.days_ago((v.group.get("announcement") or {}).get("updated_at"))


# A rule that only forbids starts with one of these; S1: 告诉他们做什么，比告诉他们不做什么更重要.
_PROHIBITION = re.compile(
    r"^\s*(\d+[.、．)]\s*)?(禁止|严禁|不得|不要|不准|不许|不允许|不可以|不可|不能|请勿|请不要|勿|切勿|谢绝|拒绝|no\b|don'?t|do not|never)",
    re.I,
)


@metric(
    "positive_rule_count",
    ("说明“该做什么”的群规条数", "rules that say what to do"),
    (
        "group.rules 中不是以“禁止、不得、请勿……”开头的条数，即告诉成员该做什么的规则（如“提问前先搜精华”）",
        "rules in group.rules that do not start with a prohibition (禁止, 不得, 请勿, no, don't…): the ones that "
        "tell members what to do",
    ),
    needs=("group.rules",),
)
def positive_rule_count(v: SnapshotView) -> int | None:
    rules = v.group.get("rules")
    if rules is None:
        return None
    return sum(
        1
        for r in rules
        if isinstance(r.get("text"), str) and r["text"].strip() and not _PROHIBITION.match(r["text"])
    )
