"""Activity metrics: age, messages, speakers, joins and leaves, trend, and what the raw log shows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from playbook.core.metric_catalog.roster import member_count
from playbook.core.metrics import ADMIN_ROLES, SnapshotView, _ratio, metric

NOT_ORDINARY = (*ADMIN_ROLES, "bot")  # roles a lurker cannot have


@metric(
    "age_days",
    ("建群天数", "age in days"),
    ("从 group.created_at 到 captured_at 的天数", "days from group.created_at to captured_at"),
    needs=("group.created_at",),
)
def age_days(v: SnapshotView) -> float | None:
    return v.days_ago(v.group.get("created_at"))


@metric(
    "days_since_last_message",
    ("距最后一条消息天数", "days since the last message"),
    (
        "最后一条消息（原始消息记录，否则有消息的最后一个日行，否则成员最后发言时间）到现在的天数",
        "days since the last message: raw log, else the last daily row with messages, else the latest member last_active_at",
    ),
    needs=("activity.messages", "activity.daily", "members.list[].last_active_at"),
)
def days_since_last_message(v: SnapshotView) -> float | None:
    if v.messages and v.messages.last and v.now:
        return (v.now - v.messages.last) / timedelta(days=1)
    per_day = v.daily_messages
    if per_day and v.today:
        busy = [day for day, count in per_day.items() if count > 0 and day <= v.today]
        if busy:
            return float((v.today - max(busy)).days)
    seen = v.dated(v.members or [], "last_active_at")
    return min(seen) if seen else None


@metric(
    "messages_7d",
    ("7天消息数", "messages in 7 days"),
    ("最近 7 个自然日（含今天）的消息数", "messages on the last 7 local dates, today included"),
    needs=("activity.daily", "activity.messages"),
)
def messages_7d(v: SnapshotView) -> int | None:
    return v.messages_between(6, 0)


@metric(
    "messages_30d",
    ("30天消息数", "messages in 30 days"),
    ("最近 30 个自然日（含今天）的消息数", "messages on the last 30 local dates, today included"),
    needs=("activity.daily", "activity.messages"),
)
def messages_30d(v: SnapshotView) -> int | None:
    return v.messages_between(29, 0)


@metric(
    "speakers_7d",
    ("7天发言人数", "speakers in 7 days"),
    (
        "最近 7 天发过言的不同成员数（原始消息，否则成员名单的 last_active_at）",
        "distinct members who spoke in the last 7 days (raw log, else roster last_active_at)",
    ),
    needs=("activity.messages", "members.list[].last_active_at"),
)
def speakers_7d(v: SnapshotView) -> int | None:
    if v.messages:
        return len(v.messages.speakers[7])
    if v.members is None or v.now is None or not any(m.get("last_active_at") for m in v.members):
        return None
    return sum(v.active_within(7))


@metric(
    "weekly_active_ratio",
    ("周活跃率", "weekly active ratio"),
    ("7天发言人数 ÷ 成员数", "speakers_7d ÷ member_count"),
    needs=("activity.messages", "members.list[].last_active_at"),
)
def weekly_active_ratio(v: SnapshotView) -> float | None:
    return _ratio(speakers_7d(v), member_count(v))


# The weekly speaker share to expect at a group's size: a rule of thumb of this project, not a
# number from the seeds, and meant to be tuned. A small circle can all talk every week; in a big
# group most members read (a 1,850-member Telegram group with 2-5 % weekly speakers is ordinary).
SMALL_GROUP = (50, 0.3)  # below 50 members
EXPECTED_WEEKLY_ACTIVE = ((500, 0.2), (2000, 0.1))  # (up to this many members, expected ratio)
BIG_GROUP_EXPECTED = 0.05  # beyond 2,000


def expected_weekly_active(members: float) -> float:
    if members < SMALL_GROUP[0]:
        return SMALL_GROUP[1]
    return next((ratio for most, ratio in EXPECTED_WEEKLY_ACTIVE if members <= most), BIG_GROUP_EXPECTED)


def _given_or(v: SnapshotView, name: str, derived: float | None) -> float | None:
    """A derived input, else the value the snapshot gives (a dashboard's weekly active ratio)."""
    given = (v.data.get("metrics") or {}).get(name)
    return derived if derived is not None else given if isinstance(given, int | float) else None


@metric(
    "weekly_active_vs_expected",
    ("周活跃率与同规模预期之比", "weekly active ratio vs. expected for the size"),
    (
        "周活跃率 ÷ 同规模群的预期周活跃率（经验值，可调：50 人以下 0.3，500 人以内 0.2，2000 人以内 0.1，"
        "更大 0.05）；1 表示达到同规模群的正常水平",
        "weekly_active_ratio ÷ the ratio to expect at the group's size (a tunable rule of thumb: 0.3 below 50 "
        "members, 0.2 up to 500, 0.1 up to 2,000, 0.05 beyond); 1 means as lively as is usual at that size",
    ),
    needs=("activity.messages", "members.list[].last_active_at"),
)
def weekly_active_vs_expected(v: SnapshotView) -> float | None:
    ratio = _given_or(v, "weekly_active_ratio", weekly_active_ratio(v))
    members = _given_or(v, "member_count", member_count(v))
    if ratio is None or not members:
        return None
    return ratio / expected_weekly_active(members)


@metric(
    "messages_per_member_day",
    ("人均日消息数", "messages per member per day"),
    ("最近 7 天消息数 ÷ 7 ÷ 成员数", "messages_7d ÷ 7 ÷ member_count"),
    needs=("activity.daily", "activity.messages", "members.list"),
)
def messages_per_member_day(v: SnapshotView) -> float | None:
    count = messages_7d(v)
    return None if count is None else _ratio(count / 7, member_count(v))


@metric(
    "messages_per_day",
    ("日均消息数", "messages per day"),
    ("最近 7 天全群消息数 ÷ 7", "messages_7d ÷ 7: what the whole group posts in a day"),
    needs=("activity.daily", "activity.messages"),
)
def messages_per_day(v: SnapshotView) -> float | None:
    count = messages_7d(v)
    return None if count is None else count / 7


@metric(
    "lurker_ratio_30d",
    ("30天潜水率", "lurkers in 30 days"),
    (
        "入群超过 30 天、30 天内没发过言的普通成员 ÷ 这类成员总数（需要完整名单和入群时间）",
        "ordinary members who joined over 30 days ago and did not speak in 30 days ÷ all such members "
        "(needs the full roster with join times)",
    ),
    needs=("members.list[].joined_at", "members.list[].last_active_at"),
)
def lurker_ratio_30d(v: SnapshotView) -> float | None:
    if not v.roster_complete or v.now is None:
        return None
    spoke = v.active_within(30)
    settled = [
        (m, spoke_30d)
        for m, role, joined_30d_ago, spoke_30d in zip(
            v.members or [], v.roles, v.joined_before(30), spoke, strict=True
        )
        if joined_30d_ago and role not in NOT_ORDINARY
    ]
    if not settled:
        return None
    silent = [m for m, spoke_30d in settled if not spoke_30d and not m.get("messages_30d")]
    return len(silent) / len(settled)


@metric(
    "joins_30d",
    ("30天入群", "joins in 30 days"),
    (
        "最近 30 天的入群人数（日数据，否则名单入群时间）",
        "joins in the last 30 days (daily rows, else roster join times)",
    ),
    needs=("activity.daily", "members.list[].joined_at"),
)
def joins_30d(v: SnapshotView) -> int | None:
    from_rows = v.daily_sum("joins", 30)
    if from_rows is not None or not v.roster_complete:
        return from_rows
    return sum(v.joined_within(30))


@metric(
    "leaves_30d",
    ("30天退群", "leaves in 30 days"),
    ("最近 30 天的退群人数（日数据）", "leaves in the last 30 days (daily rows)"),
    needs=("activity.daily",),
)
def leaves_30d(v: SnapshotView) -> int | None:
    return v.daily_sum("leaves", 30)


def _left_30d(v: SnapshotView) -> int | None:
    """Leaves in 30 days: the daily rows, else a roster that records leavers (left_at)."""
    from_rows = v.daily_sum("leaves", 30) if any("leaves" in row for row in v.daily_rows) else None
    if from_rows is not None:
        return from_rows
    listed = (v.data.get("members") or {}).get("list") or []
    if not any(m.get("left_at") for m in listed):
        return None  # nobody marked as left: the roster may simply not keep leavers
    return sum(1 for m in listed if v.within(m.get("left_at"), 30))


def _removed_30d(v: SnapshotView) -> int:
    """Removals recorded in 30 days (incidents and cleanups): exports count a removal as a leave."""
    moderation = v.data.get("moderation") or {}
    kicked = sum(
        1
        for i in moderation.get("incidents") or ()
        if i.get("action") == "remove" and v.within(i.get("at"), 30)
    )
    cleaned = sum(
        int(c.get("removed") or 0) for c in moderation.get("cleanups") or () if v.within(c.get("at"), 30)
    )
    return kicked + cleaned


@metric(
    "departures_30d",
    ("30天主动退群人数", "members who left in 30 days"),
    (
        "最近 30 天自己退群的人数：日数据的退群数（否则名单里 left_at 在 30 天内的人），减去同期记录的移出和清理人数",
        "members who left on their own in the last 30 days: daily leaves (else roster members with left_at "
        "in the window), less the removals and cleanups recorded in the same window",
    ),
    needs=("activity.daily", "members.list[].left_at", "moderation.incidents"),
)
def departures_30d(v: SnapshotView) -> int | None:
    left = _left_30d(v)
    return None if left is None else max(left - _removed_30d(v), 0)


@metric(
    "leave_ratio_30d",
    ("30天退群率", "leave ratio in 30 days"),
    (
        "30天主动退群人数 ÷（现在的成员数 + 30天主动退群人数）：这个月在群里待过的人中走掉的比例",
        "departures_30d ÷ (member_count + departures_30d): the share of the month's members who left",
    ),
    needs=("activity.daily", "members.list[].left_at", "members.list", "members.count"),
)
def leave_ratio_30d(v: SnapshotView) -> float | None:
    left, members = departures_30d(v), member_count(v)
    if left is None or members is None:
        return None
    return _ratio(left, members + left)


@metric(
    "net_departures_30d",
    ("30天净流失人数", "net departures in 30 days"),
    (
        "30天主动退群人数 − 30天入群人数；正数表示群在缩小",
        "departures_30d − joins_30d; positive when the group is shrinking",
    ),
    needs=("activity.daily", "members.list[].left_at", "members.list[].joined_at"),
)
def net_departures_30d(v: SnapshotView) -> int | None:
    left, joined = departures_30d(v), joins_30d(v)
    return None if left is None or joined is None else left - joined


@metric(
    "activity_trend",
    ("活跃趋势", "activity trend"),
    (
        "最近 14 天消息数 ÷（之前 28 天消息数 ÷ 2）；1 表示持平，低于 0.6 是明显下滑；之前 28 天没有数据时为空",
        "messages of the last 14 days ÷ (messages of the 28 days before ÷ 2); 1 is steady, below 0.6 a clear "
        "decline; null when the earlier window has no data",
    ),
    needs=("activity.daily",),
    least_days=42,  # the 14 recent days and the 28 before them
)
def activity_trend(v: SnapshotView) -> float | None:
    recent, before = v.messages_between(13, 0), v.messages_between(41, 14)
    return None if recent is None or not before else recent / (before / 2)


@metric(
    "activity_days",
    ("有数据的天数", "days of data"),
    ("最近 35 天中有日数据的天数", "daily rows within the last 35 days"),
    needs=("activity.daily",),
)
def activity_days(v: SnapshotView) -> int | None:
    per_day = v.daily_messages
    if per_day is None or v.today is None:
        return None
    return sum(1 for day in per_day if 0 <= (v.today - day).days < 35)


@metric(
    "max_daily_joins_first_14d",
    ("头 14 天单日最多入群", "most joins in a day, first 14 days"),
    (
        "建群后头 14 个自然日里单日入群人数的最大值（日数据，否则完整名单的入群时间）",
        "the largest number of joins on one local date in the first 14 days after group.created_at "
        "(daily rows, else the full roster's join times)",
    ),
    needs=("group.created_at", "activity.daily", "members.list[].joined_at"),
)
def max_daily_joins_first_14d(v: SnapshotView) -> int | None:
    created = v.time(v.group.get("created_at"))
    if created is None:
        return None
    first = created.astimezone(v.zone).date()
    last = first + timedelta(days=13)
    per_day: dict = {}
    if any("joins" in row for row in v.daily_rows):
        for day, row in v.dated_rows:
            if first <= day <= last:
                per_day[day] = per_day.get(day, 0) + int(row.get("joins") or 0)
    elif v.roster_complete:
        listed = (v.data.get("members") or {}).get("list") or []
        for m in listed:
            joined = v.time(m.get("joined_at"))
            joined_on = joined.astimezone(v.zone).date() if joined else None
            if joined_on is not None and first <= joined_on <= last and m.get("role") != "owner":
                per_day[joined_on] = per_day.get(joined_on, 0) + 1
    return max(per_day.values()) if per_day else None


# ── from the raw message log ─────────────────────────────────────────────────


@metric(
    "red_packet_share",
    ("红包消息占比", "red-packet share"),
    (
        "最近 30 天原始消息中红包（type red_packet 或 flags 含 red_packet）的比例；需要原始消息记录",
        "share of raw messages in the last 30 days that are red packets (type red_packet or flag red_packet); "
        "needs the raw log",
    ),
    needs=("activity.messages",),
)
def red_packet_share(v: SnapshotView) -> float | None:
    stats = v.messages
    return None if stats is None else _ratio(stats.red_packets_30d, stats.counts[30])


@metric(
    "admin_promo_share",
    ("管理员推广消息占比", "admin promo share"),
    (
        "最近 30 天群主和管理员发的消息中标记为推广（flags 含 promo）的比例；需要原始消息和名单角色",
        "share of owner/admin raw messages in the last 30 days flagged promo; needs the raw log and roster roles",
    ),
    needs=("activity.messages", "members.list[].role"),
)
def admin_promo_share(v: SnapshotView) -> float | None:
    stats = v.messages
    return None if stats is None else _ratio(stats.admin_promo_30d, stats.admin_30d)


# Voice and video are hard to skim and cost data (S1 文字為主). Questions are messages flagged
# `question`; their `answered_at` says when someone first answered (S1 一名業務答疑, S4 10.2).
# Both come from the one pass over the raw log (SnapshotView.messages).
ANSWER_WITHIN_DAYS = 1.0


@metric(
    "voice_video_share_30d",
    ("语音视频消息占比", "voice and video share"),
    (
        "最近 30 天原始消息中语音和视频的比例（不含系统消息和机器人）；需要原始消息记录",
        "share of voice and video among the raw messages of the last 30 days (system lines and bots left out); "
        "needs the raw log",
    ),
    needs=("activity.messages",),
)
def voice_video_share_30d(v: SnapshotView) -> float | None:
    stats = v.messages
    return None if stats is None else _ratio(stats.voice_video_30d, stats.counts[30])


def _questions(v: SnapshotView) -> list[Mapping[str, Any]] | None:
    """Members' questions of the last 30 days old enough to have been answered (a day or more)."""
    stats = v.messages
    if stats is None:
        return None
    return [m for m in stats.member_questions_30d if (v.days_ago(m.get("at")) or 0.0) >= ANSWER_WITHIN_DAYS]


@metric(
    "questions_30d",
    ("30天成员提问数", "member questions in 30 days"),
    (
        "最近 30 天成员发的、标记为提问（flags 含 question）的消息数，不含群主管理员和最近一天的；需要原始消息记录",
        "messages flagged question sent by members (not the owner or admins) in the last 30 days, the last "
        "day left out; needs the raw log",
    ),
    needs=("activity.messages",),
)
def questions_30d(v: SnapshotView) -> int | None:
    asked = v.memo("questions", _questions, v)
    return None if asked is None else len(asked)


@metric(
    "question_answer_rate_30d",
    ("成员提问 24 小时回复率", "member questions answered within 24 hours"),
    (
        "30天成员提问中 24 小时内有人回答（answered_at）的比例；没有提问时为空",
        "share of the 30 days' member questions answered (answered_at) within 24 hours; null when nobody asked",
    ),
    needs=("activity.messages",),
)
def question_answer_rate_30d(v: SnapshotView) -> float | None:
    asked = v.memo("questions", _questions, v)
    if not asked:
        return None
    answered = 0
    for m in asked:
        at, reply = v.time(m.get("at")), v.time(m.get("answered_at"))
        answered += at is not None and reply is not None and 0 <= (reply - at).total_seconds() <= 86400
    return answered / len(asked)
