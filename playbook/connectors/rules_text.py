"""Group rules read from free text (a Discord rules channel, a pinned message, a WeCom notice).

Each numbered or bulleted line is one rule; its topic and penalty are guessed from its words in
Chinese and English. Guesses are hints: a hand-kept settings file's `group.rules` replaces them.
"""

from __future__ import annotations

import re
from typing import Any

ITEM = re.compile(
    r"^\s*(?:\d{1,2}\s*[.)、．:：]|[-*•·●▪◆]\s|[①-⑳]|[一二三四五六七八九十]{1,2}\s*[、.．])\s*(?P<text>\S.*)$"
)
MAX_RULES = 30
MAX_CHARS = 500
# Checked in order: the first topic whose words appear wins.
TOPICS = (
    (
        "ads",
        r"广告|推广|引流|拉人|二维码|小程序|advert|\bads?\b|promot|self-promo|invite link|\binvites?\b|sell",
    ),
    ("spam", r"刷屏|灌水|spam|flood|caps|mass[- ]?mention|@everyone"),
    ("vulgar", r"低俗|色情|黄色|暴力|nsfw|porn|explicit|gore|sexual"),
    ("abuse", r"人身攻击|辱骂|骂人|吵架|歧视|骚扰|harass|insult|abus|respect|hate|toxic|discriminat|bully"),
    ("politics", r"政治|敏感话题|politic|religio"),
    ("privacy", r"隐私|个人信息|doxx|personal (?:info|data)|privacy"),
    ("offtopic", r"跑题|无关|off[- ]?topic|right channel|relevant channel"),
)
PENALTIES = (
    ("warn_then_remove", r"(警告|提醒).{0,12}(移出|踢)|warn.{0,30}(ban|kick|remove)"),
    ("mute_then_remove", r"禁言.{0,12}(移出|踢)|(mute|timeout).{0,30}(ban|kick|remove)"),
    ("remove", r"移出|踢出|封禁|\bban(ned)?\b|\bkick(ed)?\b|remov"),
    ("mute", r"禁言|\bmute|timeout|time-out"),
    ("warn", r"警告|提醒|\bwarn"),
)


# Words that make a pinned message or a notice a set of rules (and not an event's agenda).
RULES_WORDS = re.compile(
    r"群规|规则|规定|禁止|不得|不准|严禁|\brules?\b|\bno\s+\w+|\bdon'?t\b|\bnot allowed\b", re.I
)
# "…：1. 禁止广告 2. 禁止刷屏" written on one line: each number starts an item of its own.
INLINE_NUMBER = re.compile(r"(?<![\d.])(?=\d{1,2}\s*[.)、．](?!\d))|(?=[①-⑳])")


def looks_like_rules(text: str) -> bool:
    return bool(RULES_WORDS.search(text))


def rules_from_text(text: str) -> list[dict[str, Any]]:
    text = INLINE_NUMBER.sub("\n", text)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    items = [m.group("text") for m in (ITEM.match(line) for line in lines) if m]
    rules = []
    for number, item in enumerate(items[:MAX_RULES], start=1):
        rule: dict[str, Any] = {
            "id": f"r{number}",
            "text": item[:MAX_CHARS],
            "topic": _guess(TOPICS, item) or "other",
        }
        penalty = _guess(PENALTIES, item)
        if penalty:
            rule["penalty"] = penalty
        rules.append(rule)
    return rules


def _guess(table: tuple[tuple[str, str], ...], text: str) -> str | None:
    for name, pattern in table:
        if re.search(pattern, text, re.I):
            return name
    return None


def guessed_rules(text: str | None) -> dict[str, Any]:
    """`{"group": {"rules": [...]}}` from a pinned message or notice that reads as rules, else {}."""
    if not text or not looks_like_rules(text):
        return {}
    rules = rules_from_text(text)
    return {"group": {"rules": rules}} if rules else {}
