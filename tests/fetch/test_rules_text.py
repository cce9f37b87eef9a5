"""Rules read from free text: one rule a numbered or bulleted line, topic and penalty guessed."""

from __future__ import annotations

import pytest

from playbook.connectors.rules_text import guessed_rules, rules_from_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("群规：1. 禁止广告 2. 禁止刷屏", [("禁止广告", "ads", None), ("禁止刷屏", "spam", None)]),
        (
            "群公告：1. 禁止发广告，违者先警告后移出\n2. 禁止人身攻击，直接踢出",
            [
                ("禁止发广告，违者先警告后移出", "ads", "warn_then_remove"),
                ("禁止人身攻击，直接踢出", "abuse", "remove"),
            ],
        ),
        (
            "**Server rules**\n- No NSFW content\n- Stay on topic: use the right channel\n• Harassment = ban",
            [
                ("No NSFW content", "vulgar", None),
                ("Stay on topic: use the right channel", "offtopic", None),
                ("Harassment = ban", "abuse", "remove"),
            ],
        ),
        (
            "① 不谈政治 ② 不泄露他人隐私",
            [("不谈政治", "politics", None), ("不泄露他人隐私", "privacy", None)],
        ),
        ("版本 2.0 发布，3.1 版说明见官网", []),
        ("**bold heading only**", []),
    ],
)
def test_rules_from_text(text, expected):
    rules = rules_from_text(text)
    assert [(r["text"], r["topic"], r.get("penalty")) for r in rules] == expected
    assert [r["id"] for r in rules] == [f"r{n}" for n in range(1, len(rules) + 1)]


def test_a_numbered_agenda_is_not_taken_for_rules():
    assert guessed_rules("周六活动：1. 时间 14:00 2. 地点 广州") == {}
    assert guessed_rules("群规：1. 禁止广告")["group"]["rules"][0]["topic"] == "ads"
    assert guessed_rules(None) == {}
