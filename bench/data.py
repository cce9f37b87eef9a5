"""Benchmark inputs: seeded, realistic group snapshots written under bench/data/.

Small snapshots look like what an operator exports for one group (a few hundred members, a
month of daily rows, some events). The large one carries a raw message log and is written one
message at a time, so generating 1,000,000 messages needs no more memory than one message.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

CAPTURED = datetime(2026, 11, 20, 21, 0, tzinfo=timezone(timedelta(hours=8)))
PLATFORMS = ("qq", "wechat", "wecom", "telegram", "discord")
TOPICS = ("运营", "摄影", "跑步", "读书", "Python", "育儿", "考研", "露营")
WORDS = (
    "大家好",
    "今晚八点案例拆解，欢迎参加",
    "收到",
    "see https://example.com/notes",
    "这个问题我也遇到过，可以先看群公告",
    "ok 👍",
    "周末一起跑步吗",
    "thanks, that helped a lot",
)
MESSAGE_TYPES = ("text",) * 14 + ("image", "link", "sticker", "red_packet", "system")


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def _member(rng: random.Random, index: int, role: str) -> dict[str, Any]:
    joined = CAPTURED - timedelta(days=rng.randint(1, 170), minutes=rng.randint(0, 1440))
    member: dict[str, Any] = {
        "id": f"u{index}",
        "name": f"成员{index}",
        "role": role,
        "joined_at": _iso(joined),
    }
    if rng.random() < 0.6:
        member["last_active_at"] = _iso(CAPTURED - timedelta(hours=rng.randint(1, 24 * 40)))
        member["messages_30d"] = rng.randint(0, 60)
    if rng.random() < 0.2:
        member["tags"] = rng.sample(["core", "seed", "expert", "kol", "newbie"], 2)
    return member


def members(rng: random.Random, count: int) -> list[dict[str, Any]]:
    roles = ["owner"] + ["admin"] * min(3, count - 1)
    roles += ["bot"] * (count > 10) + ["member"] * (count - len(roles) - (count > 10))
    return [_member(rng, i, role) for i, role in enumerate(roles)]


def _daily(rng: random.Random, days: int) -> list[dict[str, Any]]:
    rows = []
    for back in range(days):
        day = (CAPTURED - timedelta(days=back)).date().isoformat()
        count = rng.randint(0, 300)
        rows.append(
            {
                "date": day,
                "messages": count,
                "speakers": count // 6,
                "joins": rng.randint(0, 5),
                "leaves": rng.randint(0, 2),
            }
        )
    return rows


def snapshot(seed: int, member_count: int = 300, daily_days: int = 35, platform: str = "") -> dict[str, Any]:
    """One group as an operator would describe it (no raw message log); a random platform by default."""
    rng = random.Random(seed)
    topic = rng.choice(TOPICS)
    return {
        "snapshot": 1,
        "captured_at": _iso(CAPTURED),
        "timezone": "Asia/Shanghai",
        "platform": platform or rng.choice(PLATFORMS),
        "group": {
            "id": str(100000 + seed),
            "name": f"【{topic}交流】{topic}爱好者{seed % 97}群",
            "kind": "long_term",
            "topic": topic,
            "keywords": [topic, "交流"],
            "purpose": f"{topic}爱好者交流经验、组织活动",
            "tags": [topic, "同城", "交流"],
            "intro": f"本群面向广州的{topic}爱好者，每周三晚分享，群规见公告。",
            "announcement": {
                "text": "群规：禁止广告、刷屏；每周三晚 8 点分享。",
                "updated_at": "2026-11-01 09:30",
            },
            "created_at": (CAPTURED - timedelta(days=rng.randint(20, 400))).date().isoformat(),
            "member_limit": 500,
            "join_policy": {"mode": "approval", "question": "你为什么想加入？"},
            "rules": [{"id": "no-ads", "text": "禁止发广告", "topic": "ads", "penalty": "warn_then_remove"}],
        },
        "onboarding": {"welcome_message": "欢迎加入！先看群公告，再做个自我介绍吧。"},
        "automation": {"welcome": True, "keyword_moderation": rng.random() < 0.5},
        "members": {"source": "bot", "list": members(rng, member_count)},
        "activity": {"daily": _daily(rng, daily_days)},
        "events": [
            {
                "title": "每周分享",
                "kind": "discussion",
                "at": _iso(CAPTURED - timedelta(days=2)),
                "recurrence": "weekly",
            }
        ],
        "moderation": {
            "incidents": [
                {"at": _iso(CAPTURED - timedelta(days=9)), "kind": "ad", "member": "u7", "action": "remove"}
            ]
        },
    }


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def write_small_folder(folder: Path, count: int, member_count: int = 300) -> None:
    """`count` small snapshots, one file each (skipped when the folder already holds them)."""
    if folder.is_dir() and len(list(folder.glob("*.json"))) == count:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):
        old.unlink()
    for i in range(count):
        write_json(folder / f"group-{i:05d}.json", snapshot(seed=i, member_count=member_count))


def _messages(rng: random.Random, count: int, senders: int) -> Iterator[dict[str, Any]]:
    """`count` messages spread over the 60 days before the capture, oldest first."""
    span = 60 * 86400
    for i in range(count):
        at = CAPTURED - timedelta(seconds=span - (i * span) // count)
        kind = rng.choice(MESSAGE_TYPES)
        message: dict[str, Any] = {"at": _iso(at), "from": f"u{rng.randrange(senders)}", "type": kind}
        if kind != "system":
            message["text"] = rng.choice(WORDS)
        message["flags"] = ["promo"] if rng.random() < 0.02 else []
        yield message


def write_big(path: Path, messages: int, member_count: int = 2000) -> None:
    """A snapshot with a raw log of `messages` messages, streamed to disk (reused when present)."""
    if path.exists():
        return
    rng = random.Random(messages)
    head = snapshot(seed=messages, member_count=member_count, daily_days=0, platform="other")
    del head["activity"]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as out:
        out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "activity": {"messages": [')
        for i, message in enumerate(_messages(rng, messages, member_count)):
            out.write(("," if i else "") + json.dumps(message, ensure_ascii=False))
        out.write("]}}\n")
    partial.replace(path)
