"""Discord's objects as snapshot fields: a guild's settings, AutoMod rules, members.

Pure functions over the documented shapes (Guild, Welcome Screen, Onboarding, Auto Moderation
Rule, Guild Member); `discord.py` makes the calls.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from playbook.connectors.run import FetchRequest, snapshot_head
from playbook.connectors.shapes import Shape
from playbook.importers.common import iso_at

EPOCH_MS = 1420070400000  # Discord's snowflake epoch (2015-01-01T00:00:00Z)
VERIFICATION = ["none", "low", "medium", "high", "very_high"]
CONTENT_FILTER = ["disabled", "members_without_roles", "all_members"]
# Role permission bits that make someone staff: ADMINISTRATOR, MANAGE_GUILD, KICK_MEMBERS,
# BAN_MEMBERS, MODERATE_MEMBERS (timeouts).
STAFF_BITS = (1 << 3) | (1 << 5) | (1 << 1) | (1 << 2) | (1 << 40)
# AutoMod trigger types and keyword presets (docs: Auto Moderation).
KEYWORD, SPAM, PRESET, MENTION_SPAM = 1, 3, 4, 5
PRESETS = {1: "profanity", 2: "sexual_content", 3: "slurs"}
INVITE_MARKS = ("discord.gg", "discord.com/invite", "discordapp.com/invite", "invite")
LINK_MARKS = ("http", "://", "www.")


def guild_snapshot(
    guild: dict[str, Any], guild_id: str, shape: Shape, request: FetchRequest
) -> dict[str, Any]:
    """The snapshot's settings from GET /guilds/{id}?with_counts=true."""
    features = guild_features(guild, shape)
    group: dict[str, Any] = {"id": guild_id, "name": guild["name"], "avatar": guild.get("icon") is not None}
    if isinstance(guild.get("description"), str) and guild["description"].strip():
        group["intro"] = guild["description"]
    created = _snowflake_time(guild_id)
    if created is not None:
        group["created_at"] = iso_at(created, request.tz)
    if isinstance(guild.get("max_members"), int) and guild["max_members"] > 0:
        group["member_limit"] = guild["max_members"]
    for key, names in (("verification_level", VERIFICATION), ("explicit_content_filter", CONTENT_FILTER)):
        level = shape.may(guild, key, int)
        if level is not None and 0 <= level < len(names):
            group[key] = names[level]
    group["join_policy"] = {"mode": _join_mode(features)}
    group["x-discord"] = {
        "features": sorted(features),
        "rules_channel": guild.get("rules_channel_id") is not None,
        "system_channel": guild.get("system_channel_id") is not None,
    }
    count = guild.get("approximate_member_count")
    members = {"source": "api", **({"count": count} if isinstance(count, int) else {})}
    return {**snapshot_head("discord", request, group), "members": members}


def guild_features(guild: dict[str, Any], shape: Shape) -> list[str]:
    return [str(f) for f in shape.may(guild, "features", list) or []]


def add_welcome_and_automod(
    snapshot: dict[str, Any],
    features: list[str],
    welcome: Any,
    onboarding: Any,
    automod: list[Any],
    automod_shape: Shape,
) -> None:
    """`onboarding` and `automation` from the welcome screen, onboarding and AutoMod rules."""
    block, welcome_on = _welcome(welcome, onboarding, features, automod_shape)
    snapshot["onboarding"] = block
    snapshot["automation"] = _automation(automod, automod_shape, welcome_on)


def _join_mode(features: list[str]) -> str:
    """Invites off: closed; membership screening (accept the rules, answer questions): question;
    otherwise anyone holding an invite link walks in: open."""
    if "INVITES_DISABLED" in features:
        return "closed"
    return "question" if "MEMBER_VERIFICATION_GATE_ENABLED" in features else "open"


def _welcome(welcome: Any, onboarding: Any, features: list[str], shape: Shape) -> tuple[dict[str, Any], bool]:
    block: dict[str, Any] = {}
    parts: list[str] = []
    if isinstance(welcome, dict):
        if isinstance(welcome.get("description"), str) and welcome["description"].strip():
            parts.append(welcome["description"].strip())
        for channel in shape.may(welcome, "welcome_channels", list) or []:
            if isinstance(channel, dict) and isinstance(channel.get("description"), str):
                parts.append(channel["description"].strip())
    if parts:
        block["welcome_message"] = "\n".join(parts)
    steps = 1 + ("MEMBER_VERIFICATION_GATE_ENABLED" in features)
    onboarding_on = isinstance(onboarding, dict) and onboarding.get("enabled") is True
    if onboarding_on:
        prompts = shape.may(onboarding, "prompts", list) or []
        steps += sum(
            1 for p in prompts if isinstance(p, dict) and p.get("required") and p.get("in_onboarding")
        )
    block["join_steps"] = steps
    return block, "WELCOME_SCREEN_ENABLED" in features or onboarding_on


def _automation(rules: list[Any], shape: Shape, welcome: bool) -> dict[str, Any]:
    filters: set[str] = set()
    for index, rule in enumerate(rules):
        shape.be(rule, dict, f"$[{index}]")
        if rule.get("enabled") is not True:
            continue
        filters |= _filters_of(rule)
    return {"welcome": welcome, "keyword_moderation": bool(filters), "filters": sorted(filters)}


def _filters_of(rule: dict[str, Any]) -> set[str]:
    kind, meta = rule.get("trigger_type"), rule.get("trigger_metadata") or {}
    if kind == SPAM:
        return {"spam"}
    if kind == MENTION_SPAM:
        return {"mention_spam"}
    if kind == PRESET:
        return {PRESETS[p] for p in meta.get("presets") or [] if p in PRESETS}
    if kind != KEYWORD:
        return set()
    words = [
        str(w).lower().replace("\\", "")
        for w in (meta.get("keyword_filter") or []) + (meta.get("regex_patterns") or [])
    ]
    found = {"keywords"}
    if any(mark in word for word in words for mark in INVITE_MARKS):
        found.add("invites")
    if any(mark in word for word in words for mark in LINK_MARKS):
        found.add("links")
    return found


def member_row(
    shape: Shape, member: Any, path: str, owner: Any, staff_roles: set[str], request: FetchRequest
) -> dict[str, Any]:
    shape.be(member, dict, path)
    user = shape.need(member, "user", dict, path)
    user_id = shape.need(user, "id", str, f"{path}.user")
    name = member.get("nick") or user.get("global_name") or user.get("username") or user_id
    row: dict[str, Any] = {"id": user_id, "name": str(name)}
    if user.get("bot") is True:
        row["role"] = "bot"
    elif user_id == owner:
        row["role"] = "owner"
    elif staff_roles.intersection(str(r) for r in member.get("roles") or []):
        row["role"] = "admin"
    else:
        row["role"] = "member"
    joined = iso_time(member.get("joined_at"))
    if joined is not None:
        row["joined_at"] = iso_at(joined, request.tz)
    return row


def staff_roles(guild: dict[str, Any]) -> set[str]:
    staff = set()
    for role in guild.get("roles") or []:
        try:
            if isinstance(role, dict) and int(role.get("permissions", "0")) & STAFF_BITS:
                staff.add(str(role.get("id")))
        except (TypeError, ValueError):
            continue
    return staff


def _snowflake_time(snowflake: str) -> float | None:
    try:
        return ((int(snowflake) >> 22) + EPOCH_MS) / 1000
    except ValueError:
        return None


def iso_time(text: Any) -> float | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


# ── what each answer means ──
