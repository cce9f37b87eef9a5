"""Telegram (Bot API, a bot in the group): the chat's settings, admins, count and recent activity.

Calls, all `{api_base}/bot{TOKEN}/METHOD`: getChat, getChatMemberCount, getChatAdministrators;
with --collect SECONDS, getUpdates (long polling, `offset` acknowledging what was read) until the
time is up or --max-messages were seen. A bot sees only what arrives while it listens, and with
privacy mode on only commands and replies to it; an export (--export) adds the history.
"""

from __future__ import annotations

import json
import time
from typing import Any

from playbook.connectors.activity import counted, message_log
from playbook.connectors.http import ApiClient, Reply, Secrets, Verdict, clean, retry_after_header
from playbook.connectors.rules_text import guessed_rules
from playbook.connectors.run import Fetched, FetchReport, FetchRequest, snapshot_head
from playbook.connectors.shapes import Shape
from playbook.connectors.tokens import read_secret
from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text
from playbook.importers.builder import SnapshotBuilder
from playbook.importers.common import iso_at

POLL = 25  # seconds one getUpdates call may wait for news (the Bot API allows up to 50)
# Message fields that make it a service message (a pin, a new title), not anyone's talk.
SERVICE = (
    "pinned_message",
    "new_chat_title",
    "new_chat_photo",
    "delete_chat_photo",
    "group_chat_created",
    "supergroup_chat_created",
    "migrate_to_chat_id",
    "migrate_from_chat_id",
)
TOKEN = Text("Telegram 机器人令牌", "Telegram bot token")
SETTINGS_KEPT = (
    "type",
    "has_protected_content",
    "has_hidden_members",
    "join_to_send_messages",
    "has_aggressive_anti_spam_enabled",
    "message_auto_delete_time",
)


class BotApi(ApiClient):
    """The Bot API puts the token in the path: it is added here and redacted everywhere else."""

    def __init__(self, base: str, token: str) -> None:
        super().__init__("telegram", base, _judge, Secrets([token]))
        self.token = token

    def prefix(self) -> str:
        return f"/bot{self.token}"

    def method(self, name: str, wait: float = 0.0, **params: Any) -> Any:
        body = self.call(name, "GET", f"/{name}", params=params, wait=wait)
        shape = Shape(self, name)
        shape.be(body, dict)
        if "result" not in body:
            raise self.error(name, Text("回应缺少 result", "the answer lacks result"))
        return body["result"]


def fetch_telegram(request: FetchRequest, report: FetchReport) -> list[Fetched]:
    token = read_secret("PLAYBOOK_TELEGRAM_TOKEN", request.token_file, TOKEN)
    api = BotApi(request.api_base, token)
    try:
        return [_fetch_chat(api, str(request.target), request, report)]
    finally:
        report.calls += api.calls
        api.close()


def _fetch_chat(api: BotApi, chat_id: str, request: FetchRequest, report: FetchReport) -> Fetched:
    chat = Shape(api, "getChat").be(api.method("getChat", chat_id=chat_id), dict)
    count = Shape(api, "getChatMemberCount").be(api.method("getChatMemberCount", chat_id=chat_id), int)
    admins = Shape(api, "getChatAdministrators").be(
        api.method("getChatAdministrators", chat_id=chat_id), list
    )
    snapshot = _settings(chat, chat_id, count, request)
    roster = _admins(api, admins)
    report.say(
        Text("群 {n}：{c} 人，管理员 {a} 人", "group {n}: {c} members, {a} admins").format(
            n=clean(snapshot["group"]["name"], 80), c=count, a=len(roster)
        )
    )
    log = message_log("telegram", request)
    seen = False
    if request.export is not None:
        _read_export(request, log, report)
        seen = True
    if request.collect > 0:
        _collect(api, chat, log, request, report)
        seen = True
    if seen:
        daily, stats = counted(log, f"telegram {chat_id}")
        snapshot["activity"] = {"daily": daily}
        roster = _with_speakers(roster, stats)
    snapshot["members"]["list"] = roster
    pinned = snapshot["group"].get("announcement", {}).get("text")
    return Fetched(f"telegram-{chat_id.lstrip('@')}", snapshot, guessed_rules(pinned))


def _settings(chat: dict[str, Any], chat_id: str, count: int, request: FetchRequest) -> dict[str, Any]:
    group: dict[str, Any] = {"id": str(chat.get("id", chat_id)), "name": str(chat.get("title") or chat_id)}
    if isinstance(chat.get("description"), str) and chat["description"].strip():
        group["intro"] = chat["description"]
    group["avatar"] = isinstance(chat.get("photo"), dict)
    pinned = chat.get("pinned_message")
    if isinstance(pinned, dict):
        text = pinned.get("text") or pinned.get("caption")
        if isinstance(text, str):
            group["announcement"] = {"text": text}
            if isinstance(pinned.get("date"), int) and pinned["date"] > 0:
                group["announcement"]["updated_at"] = iso_at(pinned["date"], request.tz)
    group["join_policy"] = {"mode": _join_mode(chat)}
    delay = chat.get("slow_mode_delay")
    group["slow_mode_seconds"] = delay if isinstance(delay, int) and delay >= 0 else 0
    kept = {key: chat[key] for key in SETTINGS_KEPT if key in chat}
    if isinstance(chat.get("permissions"), dict):
        kept["permissions"] = {k: v for k, v in chat["permissions"].items() if isinstance(v, bool)}
    group["x-telegram"] = kept
    snapshot: dict[str, Any] = {
        **snapshot_head("telegram", request, group),
        "members": {"source": "api", "complete": False, "count": count},
    }
    if chat.get("has_aggressive_anti_spam_enabled") is True:
        snapshot["automation"] = {"filters": ["spam"]}
    return snapshot


def _join_mode(chat: dict[str, Any]) -> str:
    """Join requests on: approval; a public @username without them: open; else invite links."""
    if chat.get("join_by_request") is True:
        return "approval"
    return "open" if chat.get("username") else "invite"


def _admins(api: BotApi, admins: list[Any]) -> list[dict[str, Any]]:
    shape = Shape(api, "getChatAdministrators")
    rows = []
    for index, member in enumerate(admins):
        shape.be(member, dict, f"$[{index}]")
        user = shape.need(member, "user", dict, f"$[{index}]")
        user_id = shape.need(user, "id", int, f"$[{index}].user")
        role = "bot" if user.get("is_bot") else "owner" if member.get("status") == "creator" else "admin"
        rows.append({"id": str(user_id), "name": _name(user), "role": role})
    return rows


def _name(user: dict[str, Any]) -> str:
    parts = [user.get("first_name"), user.get("last_name")]
    return " ".join(str(p) for p in parts if p) or str(user.get("username") or user.get("id"))


def _with_speakers(roster: list[dict[str, Any]], stats: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Admins with their statistics, then everyone else seen speaking (the roster stays partial)."""
    from playbook.connectors.activity import STATS

    stats = {_plain_id(key): {**row, "id": _plain_id(key)} for key, row in stats.items()}
    rows = []
    for person in roster:
        row = dict(person)
        row.update(
            {
                key: stats[person["id"]][key]
                for key in STATS
                if person["id"] in stats and key in stats[person["id"]]
            }
        )
        rows.append(row)
    known = {row["id"] for row in roster}
    for member_id, seen in stats.items():
        if member_id not in known:
            rows.append({key: value for key, value in seen.items() if key != "left_at" or value})
    return rows


def _plain_id(member_id: str) -> str:
    """Exports write users as `user123456`, the Bot API as `123456`: one id for both."""
    rest = member_id.removeprefix("user")
    return rest if rest != member_id and rest.isdigit() else member_id


def _read_export(request: FetchRequest, log: SnapshotBuilder, report: FetchReport) -> None:
    """A Telegram Desktop export of this chat, read by the importer into the same counts."""
    from pathlib import Path

    from playbook.importers import IMPORTERS
    from playbook.importers.progress import ByteMeter

    path = Path(str(request.export))
    if not path.is_file():
        raise PlaybookError.at(
            str(path),
            Text(
                "导出文件不存在（应为 Telegram Desktop 导出的 result.json）",
                "no such export (expected Telegram Desktop's result.json)",
            ),
        )
    IMPORTERS["telegram"].load()([path], log, ByteMeter([path], None))
    report.say(
        Text("导出 {f}：{n} 条消息", "export {f}: {n} messages").format(
            f=path.name, n=log.summary.member_messages
        )
    )


def _collect(
    api: BotApi, chat: dict[str, Any], log: SnapshotBuilder, request: FetchRequest, report: FetchReport
) -> None:
    chat_id = chat.get("id")
    deadline = time.monotonic() + request.collect
    offset, seen, updates = None, 0, 0
    progress = report.progress("收集消息", "collecting messages", request.lang)
    while seen < request.max_messages:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        wait = max(1, min(POLL, int(left)))
        params: dict[str, Any] = {"timeout": wait, "allowed_updates": json.dumps(["message", "chat_member"])}
        if offset is not None:
            params["offset"] = offset
        batch = Shape(api, "getUpdates").be(api.method("getUpdates", wait=wait, **params), list)
        for index, update in enumerate(batch):
            offset, counted_now = _take(api, update, index, chat_id, log)
            seen += counted_now
            updates += 1
        if progress is not None:
            progress(min(seen, request.max_messages), request.max_messages)
    if progress is not None:
        progress(seen, seen)
    report.say(
        Text(
            "收集 {s:.0f} 秒：{u} 条更新，本群消息 {n} 条",
            "collected for {s:.0f} s: {u} updates, {n} messages in this group",
        ).format(s=request.collect, u=updates, n=seen)
    )


def _take(api: BotApi, update: Any, index: int, chat_id: Any, log: SnapshotBuilder) -> tuple[int, int]:
    """Count one update if it is about this chat; the next offset and 1 for a counted message."""
    shape = Shape(api, "getUpdates")
    shape.be(update, dict, f"$[{index}]")
    next_offset = shape.need(update, "update_id", int, f"$[{index}]") + 1
    message = update.get("message")
    if isinstance(message, dict) and (message.get("chat") or {}).get("id") == chat_id:
        return next_offset, _message(shape, message, f"$[{index}].message", log)
    member = update.get("chat_member")
    if isinstance(member, dict) and (member.get("chat") or {}).get("id") == chat_id:
        _membership(member, log)
    return next_offset, 0


def _message(shape: Shape, message: dict[str, Any], path: str, log: SnapshotBuilder) -> int:
    at = float(shape.need(message, "date", int, path))
    sender = message.get("from") if isinstance(message.get("from"), dict) else None
    joined = [m for m in message.get("new_chat_members") or [] if isinstance(m, dict) and "id" in m]
    for person in joined:
        day = log.service(at, "", str(person["id"]))
        if day is not None:
            log.join(day, at, str(person["id"]), _name(person))
    if joined:
        return 0
    left = message.get("left_chat_member")
    if isinstance(left, dict) and "id" in left:
        day = log.service(at, "", str(left["id"]))
        if day is not None:
            log.leave(day, at, str(left["id"]), _name(left))
        return 0
    if sender is None or "id" not in sender or any(key in message for key in SERVICE):
        if sender is not None and "id" in sender:
            log.service(at, "", str(sender["id"]))
        return 0
    kind = "text" if isinstance(message.get("text"), str) else "image" if message.get("photo") else "other"
    text = message.get("text") or message.get("caption") or ""
    log.message(
        at, str(sender["id"]), _name(sender), kind, str(text), role="bot" if sender.get("is_bot") else None
    )
    return 1


def _membership(update: dict[str, Any], log: SnapshotBuilder) -> None:
    """A chat_member update (the bot must be an admin to get them): joins and leaves."""
    new, old = update.get("new_chat_member") or {}, update.get("old_chat_member") or {}
    user = new.get("user") if isinstance(new.get("user"), dict) else None
    if user is None or not isinstance(update.get("date"), int):
        return
    inside = ("member", "administrator", "creator", "restricted")
    was, now = old.get("status") in inside, new.get("status") in inside
    at = float(update["date"])
    day = log.service(at, "", str(user.get("id")))
    if day is None or was == now:
        return
    (log.join if now else log.leave)(day, at, str(user.get("id")), _name(user))


def _judge(reply: Reply) -> Verdict:
    body = reply.body if isinstance(reply.body, dict) else {}
    if 200 <= reply.status < 300 and body.get("ok") is True:
        return Verdict.ok()
    code = body.get("error_code", reply.status)
    if code == 429 or reply.status == 429:
        seconds = (body.get("parameters") or {}).get("retry_after")
        if not isinstance(seconds, (int, float)):
            seconds = retry_after_header(reply.headers) or 1.0
        return Verdict.wait(float(seconds))
    said = Text("（Telegram：{d}）", " (Telegram: {d})").format(d=clean(body.get("description", "-"), 160))
    hint = HINTS.get(code)
    if hint is None:
        return Verdict.fail(Text("请求失败（{c}）", "the request failed ({c})").format(c=code) + said)
    return Verdict.fail(hint[0] + said, hint[1])


HINTS = {
    401: (
        Text("令牌被拒绝（401）", "the token was refused (401)"),
        Text(
            "在 @BotFather 里用 /token 或 /revoke 取得令牌，放进 PLAYBOOK_TELEGRAM_TOKEN",
            "get the token from @BotFather (/token, or /revoke for a new one) and put it in PLAYBOOK_TELEGRAM_TOKEN",
        ),
    ),
    403: (
        Text("机器人不能访问这个群（403）", "the bot cannot access this group (403)"),
        Text(
            "先把机器人加进群（群设置 → 添加成员 → 搜索机器人用户名）",
            "add the bot to the group first (group info → Add Members → search the bot's username)",
        ),
    ),
    400: (
        Text("群不存在或机器人不在群里（400）", "no such group, or the bot is not in it (400)"),
        Text(
            "核对群 ID（超级群形如 -1001234567890，公开群可写 @username），并确认机器人在群里",
            "check the chat id (a supergroup looks like -1001234567890; a public group may be @username) "
            "and that the bot is in the group",
        ),
    ),
    409: (
        Text("getUpdates 与 webhook 冲突（409）", "getUpdates conflicts with a webhook (409)"),
        Text(
            "这个机器人设置了 webhook：换一个机器人收集，或先调用 deleteWebhook（会影响正在用它的程序）",
            "this bot has a webhook: collect with another bot, or call deleteWebhook first (it affects the "
            "program using it)",
        ),
    ),
}
