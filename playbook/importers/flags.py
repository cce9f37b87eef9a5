"""Marking messages worth a moderator's look: links, QR codes, phone numbers, ad wording.

The flags are hints for rules (a share of messages that look like ads), never verdicts, so the
patterns lean towards catching the usual wording of group spam in Chinese and English.
"""

from __future__ import annotations

import re

LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|cn|net|org|io|me|cc|top|xyz|gg|ly)/\S*", re.I)
QR = re.compile(r"二维码|扫码|扫一扫|qr\s?code|\bqr\b", re.I)
# Mainland mobile numbers (11 digits starting 13-19) and +country numbers; not inside longer
# digit runs, so QQ numbers and ids are not mistaken for phones.
PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)|(?<![\w+])\+\d{9,14}\b")
PROMO = re.compile(
    r"加微信|加v信|加[vV]\b|加我微信|\bvx\b|薇信|私聊|私信|优惠|代理|推广|兼职|返利|返现|刷单|日赚|"
    r"招商|免费领|低价|特价|折扣|代购|引流|加群|进群|拉人|福利群|点击链接|"
    r"t\.me/(?:joinchat/|\+)|discord\.gg/|"
    r"\bpromo(?:tion)? code\b|\bdiscount\b|\bearn money\b|\bdm me\b|\bairdrop\b",
    re.I,
)


def flags_for(kind: str, text: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The sorted flags of one message; `extra` are flags the format itself reported."""
    found = set(extra)
    if kind == "system":
        found.add("system")
    if kind == "red_packet":
        found.add("red_packet")
    if kind == "link":
        found.add("link")
    if text:
        found.update(_text_flags(text))
    return sorted(found)


def _text_flags(text: str) -> set[str]:
    found = set()
    if LINK.search(text):
        found.add("link")
    if QR.search(text):
        found.add("qr")
    if PHONE.search(text):
        found.add("phone")
    if PROMO.search(text):
        found.add("promo")
    return found
