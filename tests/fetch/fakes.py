"""Fake platform APIs for the fetch tests: answers written by hand from each API's documentation.

Every id, name and message here is invented; the shapes and field names are those of the
documented objects (Discord Guild, Welcome Screen, Onboarding, Auto Moderation Rule, Guild
Member, Message; Telegram ChatFullInfo, ChatMember, Update; WeCom groupchat list/get/statistic).
"""

from __future__ import annotations

import json
import re
from typing import Any

from click.testing import CliRunner, Result
from werkzeug import Request, Response

from playbook.cli import main

DISCORD_TOKEN = "MTEx.fake-discord-bot-token.Zm9vYmFy"
GUILD = "1100000000000000001"  # a snowflake: its top bits are the creation time (2023-04)
RULES_CHANNEL, GENERAL = "1100000000000000010", "1100000000000000011"
OWNER = "1100000000000000100"
MOD_ROLE, EVERYONE = "1100000000000000200", GUILD


def discord_guild(**changes: Any) -> dict[str, Any]:
    guild = {
        "id": GUILD,
        "name": "Pixel Makers",
        "icon": "a1b2c3",
        "description": "A server for pixel art makers.",
        "owner_id": OWNER,
        "verification_level": 2,
        "explicit_content_filter": 2,
        "default_message_notifications": 1,
        "mfa_level": 1,
        "features": ["COMMUNITY", "WELCOME_SCREEN_ENABLED", "MEMBER_VERIFICATION_GATE_ENABLED"],
        "rules_channel_id": RULES_CHANNEL,
        "system_channel_id": GENERAL,
        "public_updates_channel_id": GENERAL,
        "max_members": 500000,
        "approximate_member_count": 1003,
        "approximate_presence_count": 120,
        "roles": [
            {"id": EVERYONE, "name": "@everyone", "permissions": "1071698660929", "position": 0},
            {
                "id": MOD_ROLE,
                "name": "Moderator",
                "permissions": str((1 << 1) | (1 << 2) | (1 << 13)),
                "position": 2,
            },
        ],
    }
    guild.update(changes)
    return guild


WELCOME_SCREEN = {
    "description": "Welcome! Read the rules, then introduce yourself in #introductions.",
    "welcome_channels": [
        {
            "channel_id": RULES_CHANNEL,
            "description": "Read the rules first",
            "emoji_id": None,
            "emoji_name": "📜",
        },
        {
            "channel_id": GENERAL,
            "description": "Say hello and introduce yourself",
            "emoji_id": None,
            "emoji_name": "👋",
        },
    ],
}
ONBOARDING = {
    "guild_id": GUILD,
    "enabled": True,
    "mode": 0,
    "default_channel_ids": [GENERAL],
    "prompts": [
        {
            "id": "1100000000000000300",
            "type": 0,
            "title": "What do you make?",
            "single_select": False,
            "required": True,
            "in_onboarding": True,
            "options": [],
        },
        {
            "id": "1100000000000000301",
            "type": 0,
            "title": "Pick a role",
            "single_select": True,
            "required": False,
            "in_onboarding": True,
            "options": [],
        },
    ],
}
AUTOMOD = [
    {
        "id": "1100000000000000400",
        "guild_id": GUILD,
        "name": "Block invites",
        "creator_id": OWNER,
        "event_type": 1,
        "trigger_type": 1,
        "trigger_metadata": {"keyword_filter": [], "regex_patterns": [r"discord\.gg/\w+"], "allow_list": []},
        "actions": [{"type": 1, "metadata": {}}],
        "enabled": True,
        "exempt_roles": [MOD_ROLE],
        "exempt_channels": [],
    },
    {
        "id": "1100000000000000401",
        "guild_id": GUILD,
        "name": "Spam",
        "creator_id": OWNER,
        "event_type": 1,
        "trigger_type": 3,
        "trigger_metadata": {},
        "actions": [{"type": 1, "metadata": {}}],
        "enabled": True,
        "exempt_roles": [],
        "exempt_channels": [],
    },
    {
        "id": "1100000000000000402",
        "guild_id": GUILD,
        "name": "Old filter",
        "creator_id": OWNER,
        "event_type": 1,
        "trigger_type": 4,
        "trigger_metadata": {"presets": [1]},
        "actions": [],
        "enabled": False,
        "exempt_roles": [],
        "exempt_channels": [],
    },
]
CHANNELS = [
    {
        "id": RULES_CHANNEL,
        "type": 0,
        "guild_id": GUILD,
        "name": "rules",
        "position": 0,
        "rate_limit_per_user": 0,
    },
    {"id": GENERAL, "type": 0, "guild_id": GUILD, "name": "general", "position": 1, "rate_limit_per_user": 5},
]
RULES_MESSAGES = [  # newest first, as the API returns them
    {
        "id": "1100000000000000502",
        "channel_id": RULES_CHANNEL,
        "type": 0,
        "timestamp": "2026-11-01T10:00:00.000000+00:00",
        "author": {"id": OWNER, "username": "owner", "global_name": "Owner"},
        "content": "4. No NSFW or explicit content.\n5. Breaking a rule: a warning, then a ban.",
    },
    {
        "id": "1100000000000000501",
        "channel_id": RULES_CHANNEL,
        "type": 0,
        "timestamp": "2026-11-01T09:59:00.000000+00:00",
        "author": {"id": OWNER, "username": "owner", "global_name": "Owner"},
        "content": "**Server rules**\n1. No advertising or self-promotion; invite links are removed.\n"
        "2. No spam or flooding.\n3. Be respectful: no harassment.",
    },
]


def discord_member(number: int, *, roles: list[str] | None = None, bot: bool = False) -> dict[str, Any]:
    user_id = OWNER if number == 0 else str(1100000000000001000 + number)
    return {
        "user": {"id": user_id, "username": f"maker{number}", "global_name": f"Maker {number}", "bot": bot},
        "nick": None,
        "roles": roles or [],
        "joined_at": "2026-10-01T08:00:00.000000+00:00",
        "deaf": False,
        "mute": False,
    }


def discord_members() -> list[dict[str, Any]]:
    people = [discord_member(0), discord_member(1, roles=[MOD_ROLE]), discord_member(2, bot=True)]
    return people + [discord_member(n) for n in range(3, 1003)]


def discord_messages() -> list[dict[str, Any]]:
    """150 messages in #general, newest first: enough for two pages of 100."""
    out = []
    for n in range(150):
        author = discord_member(1 + n % 5)["user"]
        day = 19 - n // 10
        out.append(
            {
                "id": str(1100000000000009000 - n),
                "channel_id": GENERAL,
                "type": 7 if n == 149 else 0,  # the oldest is a join: USER_JOIN
                "author": author,
                "timestamp": f"2026-11-{day:02d}T12:{n % 60:02d}:00.000000+00:00",
                "content": "see https://example.invalid/x" if n == 3 else f"message {n}",
                "attachments": [],
            }
        )
    return out


def serve_discord(httpserver: Any, *, members: Any = None, guild: Any = None) -> None:
    """A Discord API v10 at httpserver's root; each handler checks the bot token header."""
    paged_members = discord_members() if members is None else members
    messages = discord_messages()
    answers = {
        f"/guilds/{GUILD}": guild if guild is not None else discord_guild(),
        f"/guilds/{GUILD}/channels": CHANNELS,
        f"/guilds/{GUILD}/welcome-screen": WELCOME_SCREEN,
        f"/guilds/{GUILD}/onboarding": ONBOARDING,
        f"/guilds/{GUILD}/auto-moderation/rules": AUTOMOD,
        f"/channels/{RULES_CHANNEL}/messages": RULES_MESSAGES,
    }

    def handler(request: Request) -> Response:
        if request.headers.get("Authorization") != f"Bot {DISCORD_TOKEN}":
            return discord_error(401, "401: Unauthorized", 0)
        if request.path == f"/guilds/{GUILD}/members":
            if isinstance(paged_members, Response):
                return paged_members
            return json_response(_after_page(paged_members, request))
        if request.path == f"/channels/{GENERAL}/messages":
            return json_response(_before_page(messages, request))
        if request.path in answers:
            answer = answers[request.path]
            return answer if isinstance(answer, Response) else json_response(answer)
        return discord_error(404, "Unknown Channel", 10003)

    httpserver.expect_request(re.compile(".*")).respond_with_handler(handler)


def _after_page(members: list[dict[str, Any]], request: Request) -> list[dict[str, Any]]:
    limit, after = int(request.args.get("limit", "1")), int(request.args.get("after", "0"))
    ordered = sorted(members, key=lambda m: int(m["user"]["id"]))
    return [m for m in ordered if int(m["user"]["id"]) > after][:limit]


def _before_page(messages: list[dict[str, Any]], request: Request) -> list[dict[str, Any]]:
    limit = int(request.args.get("limit", "50"))
    before = request.args.get("before")
    older = [m for m in messages if before is None or int(m["id"]) < int(before)]
    return older[:limit]


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status=status, headers=headers, content_type="application/json")


def discord_error(status: int, message: str, code: int) -> Response:
    return json_response({"message": message, "code": code}, status)


def fetch(args: list[str], env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["fetch", *args, "--lang", "en"], env=env or {})


def assert_no_secret(result: Result, secrets: list[str], *paths: Any) -> None:
    """No secret in stdout, stderr or any written file."""
    shown = result.stdout + result.stderr
    for secret in secrets:
        assert secret not in shown
        for path in paths:
            if path.is_dir():
                for item in path.rglob("*"):
                    assert secret not in item.read_text(encoding="utf-8")
            elif path.exists():
                assert secret not in path.read_text(encoding="utf-8")


# ── Telegram Bot API ──

TELEGRAM_TOKEN = "7000000001:AAfakeTelegramTokenForTestsOnly00000"
CHAT = -1001234567890
OWNER_USER = {"id": 111, "is_bot": False, "first_name": "Alice", "username": "alice_fake"}
ADMIN_USER = {"id": 222, "is_bot": False, "first_name": "Bob", "last_name": "B"}
BOT_USER = {"id": 7000000001, "is_bot": True, "first_name": "Audit bot", "username": "audit_fake_bot"}


def telegram_chat(**changes: Any) -> dict[str, Any]:
    chat = {
        "id": CHAT,
        "type": "supergroup",
        "title": "像素画交流 Pixel",
        "description": "像素画作品交流，每周一次点评。",
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "join_by_request": True,
        "slow_mode_delay": 10,
        "has_aggressive_anti_spam_enabled": True,
        "has_protected_content": False,
        "photo": {
            "small_file_id": "s1",
            "small_file_unique_id": "s1u",
            "big_file_id": "b1",
            "big_file_unique_id": "b1u",
        },
        "permissions": {
            "can_send_messages": True,
            "can_send_other_messages": False,
            "can_add_web_page_previews": False,
            "can_invite_users": True,
            "can_pin_messages": False,
            "can_change_info": False,
        },
        "pinned_message": {
            "message_id": 10,
            "date": 1795060800,
            "chat": {"id": CHAT, "type": "supergroup", "title": "x"},
            "from": OWNER_USER,
            "text": "群规：1. 禁止广告 2. 禁止刷屏",
        },
    }
    chat.update(changes)
    return chat


ADMINS = [
    {"status": "creator", "user": OWNER_USER, "is_anonymous": False},
    {
        "status": "administrator",
        "user": ADMIN_USER,
        "can_be_edited": False,
        "is_anonymous": False,
        "can_manage_chat": True,
        "can_delete_messages": True,
        "can_restrict_members": True,
    },
    {
        "status": "administrator",
        "user": BOT_USER,
        "can_be_edited": False,
        "is_anonymous": False,
        "can_manage_chat": True,
        "can_delete_messages": False,
        "can_restrict_members": False,
    },
]


def telegram_updates() -> list[dict[str, Any]]:
    here = {"id": CHAT, "type": "supergroup", "title": "像素画交流 Pixel"}
    elsewhere = {"id": -1009999999999, "type": "supergroup", "title": "Another group"}
    newcomer = {"id": 444, "is_bot": False, "first_name": "Dora"}
    return [
        {
            "update_id": 500,
            "message": {
                "message_id": 20,
                "date": 1795147200,
                "chat": here,
                "from": OWNER_USER,
                "text": "早上好",
            },
        },
        {
            "update_id": 501,
            "message": {"message_id": 21, "date": 1795147260, "chat": here, "from": ADMIN_USER, "text": "hi"},
        },
        {
            "update_id": 502,
            "message": {
                "message_id": 5,
                "date": 1795147270,
                "chat": elsewhere,
                "from": ADMIN_USER,
                "text": "x",
            },
        },
        {
            "update_id": 503,
            "message": {
                "message_id": 22,
                "date": 1795147300,
                "chat": here,
                "from": newcomer,
                "new_chat_members": [newcomer],
            },
        },
        {
            "update_id": 504,
            "message": {
                "message_id": 23,
                "date": 1795147400,
                "chat": here,
                "from": newcomer,
                "text": "大家好，我是新来的",
            },
        },
        {  # a ChatMemberUpdated: someone left (the bot is an admin, so it is told)
            "update_id": 505,
            "chat_member": {
                "chat": here,
                "from": {"id": 555, "is_bot": False, "first_name": "Eve"},
                "date": 1795147500,
                "old_chat_member": {
                    "status": "member",
                    "user": {"id": 555, "is_bot": False, "first_name": "Eve"},
                },
                "new_chat_member": {
                    "status": "left",
                    "user": {"id": 555, "is_bot": False, "first_name": "Eve"},
                },
            },
        },
    ]


def serve_telegram(
    httpserver: Any, *, chat: Any = None, updates: Any = None, answers: dict[str, Any] | None = None
) -> None:
    """The Bot API at httpserver's root: /bot<token>/<method>, answers wrapped in {ok, result}."""
    import time as clock

    pending = telegram_updates() if updates is None else updates
    results = {
        "getChat": telegram_chat() if chat is None else chat,
        "getChatMemberCount": 180,
        "getChatAdministrators": ADMINS,
        **(answers or {}),
    }

    def handler(request: Request) -> Response:
        prefix = f"/bot{TELEGRAM_TOKEN}/"
        if not request.path.startswith(prefix):
            return json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        method = request.path[len(prefix) :]
        if method == "getUpdates":
            offset = int(request.args.get("offset", "0"))
            fresh = [u for u in pending if u["update_id"] >= offset]
            if not fresh:  # long polling: nothing new, so the server holds the request a little
                clock.sleep(min(float(request.args.get("timeout", "0")), 0.2))
            return json_response({"ok": True, "result": fresh})
        if method in results:
            answer = results[method]
            return answer if isinstance(answer, Response) else json_response({"ok": True, "result": answer})
        return json_response({"ok": False, "error_code": 404, "description": "Not Found"}, 404)

    httpserver.expect_request(re.compile(".*")).respond_with_handler(handler)


def telegram_error(status: int, description: str, **parameters: Any) -> Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return json_response(body, status)


# ── WeCom (企业微信) customer groups ──

CORP_ID, WECOM_SECRET = "wwfake0000000001", "fakeWecomAppSecretForTestsOnly0000000000"
ACCESS_TOKENS = ("fakeAccessTokenOne000000000000", "fakeAccessTokenTwo000000000000")
WECOM_CHATS = {  # chat_id -> owner
    "wrOgQhDgAAaaaaaaaaaaaaaaaaaaaa01": "zhangsan",
    "wrOgQhDgAAaaaaaaaaaaaaaaaaaaaa02": "lisi",
    "wrOgQhDgAAaaaaaaaaaaaaaaaaaaaa03": "lisi",
}
GROUP_ONE = "wrOgQhDgAAaaaaaaaaaaaaaaaaaaaa01"


def wecom_group(chat_id: str) -> dict[str, Any]:
    owner = WECOM_CHATS[chat_id]
    return {
        "chat_id": chat_id,
        "name": "像素画用户交流群" + chat_id[-1],
        "owner": owner,
        "create_time": 1790000000,
        "notice": "群公告：1. 禁止发广告，违者先警告后移出\n2. 禁止刷屏",
        "member_list": [
            {
                "userid": owner,
                "type": 1,
                "join_time": 1790000000,
                "join_scene": 1,
                "invitor": {"userid": owner},
                "group_nickname": "群主",
                "name": "张三",
            },
            {
                "userid": "wangwu",
                "type": 1,
                "join_time": 1790000100,
                "join_scene": 1,
                "invitor": {"userid": owner},
                "group_nickname": "",
                "name": "王五",
            },
            {
                "userid": "wmfakeExternal0001",
                "type": 2,
                "unionid": "ozfake0001",
                "join_time": 1793000000,
                "join_scene": 3,
                "group_nickname": "",
                "name": "客户甲",
            },
            {
                "userid": "wmfakeExternal0002",
                "type": 2,
                "join_time": 1795000000,
                "join_scene": 2,
                "invitor": {"userid": "wangwu"},
                "group_nickname": "小乙",
                "name": "客户乙",
            },
        ],
        "admin_list": [{"userid": "wangwu"}],
        "member_version": "71217227bbd112ecfe3a49c482195cb4",
    }


class WecomFake:
    """State the fake keeps: which access token is current, and one-off answers to inject."""

    def __init__(self) -> None:
        self.tokens_issued = 0
        self.once: dict[str, list[dict[str, Any]]] = {}

    def handler(self, request: Request) -> Response:
        path = request.path.removeprefix("/cgi-bin/")
        if path == "gettoken":
            if request.args.get("corpid") != CORP_ID or request.args.get("corpsecret") != WECOM_SECRET:
                return json_response({"errcode": 40001, "errmsg": "invalid credential, hint: [fake]"})
            token = ACCESS_TOKENS[min(self.tokens_issued, 1)]
            self.tokens_issued += 1
            return json_response({"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200})
        if self.once.get(path):
            return json_response(self.once[path].pop(0))
        if request.args.get("access_token") != ACCESS_TOKENS[min(self.tokens_issued, 2) - 1]:
            return json_response({"errcode": 40014, "errmsg": "invalid access_token"})
        body = json.loads(request.get_data() or b"{}")
        answer = {
            "externalcontact/groupchat/list": self.list,
            "externalcontact/groupchat/get": self.get,
            "externalcontact/groupchat/statistic_group_by_day": self.by_day,
        }.get(path)
        if answer is None:
            return json_response({"errcode": 404, "errmsg": "no such api"}, 404)
        return json_response(answer(body))

    def list(self, body: dict[str, Any]) -> dict[str, Any]:
        owners = (body.get("owner_filter") or {}).get("userid_list")
        chats = [c for c, owner in WECOM_CHATS.items() if owners is None or owner in owners]
        start = int(body.get("cursor") or 0)
        limit = min(int(body.get("limit", 100)), 2)  # two a page, so that paging is exercised
        page = chats[start : start + limit]
        cursor = str(start + limit) if start + limit < len(chats) else ""
        return {
            "errcode": 0,
            "errmsg": "ok",
            "group_chat_list": [{"chat_id": c, "status": 0} for c in page],
            "next_cursor": cursor,
        }

    def get(self, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("chat_id") not in WECOM_CHATS:
            return {"errcode": 40050, "errmsg": "chat_id not found"}
        return {"errcode": 0, "errmsg": "ok", "group_chat": wecom_group(body["chat_id"])}

    def by_day(self, body: dict[str, Any]) -> dict[str, Any]:
        begin, end = body["day_begin_time"], body["day_end_time"]
        assert end - begin <= 29 * 86400, "WeCom allows at most 30 days a call"
        items = [
            {
                "stat_time": t,
                "data": {
                    "new_chat_cnt": 0,
                    "chat_total": 1,
                    "chat_has_msg": 1,
                    "new_member_cnt": 1,
                    "member_total": 4,
                    "member_has_msg": 2,
                    "msg_total": 9,
                    "migrate_trainee_chat_cnt": 0,
                },
            }
            for t in range(begin, end + 1, 86400)
        ]
        return {"errcode": 0, "errmsg": "ok", "items": items}


def serve_wecom(httpserver: Any) -> WecomFake:
    fake = WecomFake()
    httpserver.expect_request(re.compile(".*")).respond_with_handler(fake.handler)
    return fake
