"""Discord (REST API v10, bot token): a guild's settings, AutoMod, welcome, members, messages.

Calls, all `Authorization: Bot TOKEN`: GET /guilds/{id}?with_counts=true, /guilds/{id}/channels,
/guilds/{id}/welcome-screen, /guilds/{id}/onboarding, /guilds/{id}/auto-moderation/rules; with
--members GET /guilds/{id}/members (limit 1000, `after` paging; the GUILD_MEMBERS privileged
intent); with --channel GET /channels/{id}/messages (limit 100, `before` paging, to --since or
--max-messages). The rules channel's messages become `group.rules` (guessed topics, which a
settings file overrides).
"""

from __future__ import annotations

from typing import Any

from playbook.connectors.activity import counted, message_log, with_stats
from playbook.connectors.discord_map import (
    add_welcome_and_automod,
    guild_features,
    guild_snapshot,
    iso_time,
    member_row,
    staff_roles,
)
from playbook.connectors.http import ApiClient, Judge, Reply, Secrets, Verdict, clean, retry_after_header
from playbook.connectors.rules_text import rules_from_text
from playbook.connectors.run import Fetched, FetchReport, FetchRequest
from playbook.connectors.shapes import Shape
from playbook.connectors.tokens import read_secret
from playbook.core.i18n import Text

# Message types: 0 DEFAULT, 19 REPLY, 20 CHAT_INPUT_COMMAND are talk; 7 USER_JOIN is a join.
TALK, JOIN = {0, 19, 20}, 7
RULES_READ = 50  # messages read from the rules channel
TOKEN = Text("Discord 机器人令牌", "Discord bot token")
PORTAL = "Developer Portal → Applications → your app → Bot"


def fetch_discord(request: FetchRequest, report: FetchReport) -> list[Fetched]:
    token = read_secret("PLAYBOOK_DISCORD_TOKEN", request.token_file, TOKEN)
    client = ApiClient(
        "discord",
        request.api_base,
        _judge,
        Secrets([token]),
        headers={"Authorization": f"Bot {token}", "User-Agent": "playbook (fetch)"},
    )
    try:
        return [_fetch_guild(client, str(request.target), request, report)]
    finally:
        report.calls += client.calls
        client.close()


def _fetch_guild(client: ApiClient, guild_id: str, request: FetchRequest, report: FetchReport) -> Fetched:
    base = f"/guilds/{guild_id}"
    guild = _get(client, base, _judge_with(_not_in_guild(guild_id)), {"with_counts": "true"})
    shape = Shape(client, f"GET {base}")
    shape.need(shape.be(guild, dict), "name", str)
    channels = _list(client, f"{base}/channels")
    welcome = _get(client, f"{base}/welcome-screen", _optional(MANAGE_GUILD))
    onboarding = _get(client, f"{base}/onboarding", _optional(MANAGE_GUILD))
    automod = _list(client, f"{base}/auto-moderation/rules", MANAGE_GUILD)
    snapshot = guild_snapshot(guild, guild_id, shape, request)
    add_welcome_and_automod(
        snapshot,
        guild_features(guild, shape),
        welcome,
        onboarding,
        automod,
        Shape(client, f"GET {base}/auto-moderation/rules"),
    )
    report.say(
        Text(
            "服务器 {n}：{c} 个频道，{a} 条 AutoMod 规则", "server {n}: {c} channels, {a} AutoMod rules"
        ).format(n=clean(guild["name"], 80), c=len(channels), a=len(automod))
    )
    guessed = _rules_channel(client, guild, shape, report)
    _people(client, guild_id, guild, snapshot, request, report)
    return Fetched(f"discord-{guild_id}", snapshot, guessed)


def _rules_channel(
    client: ApiClient, guild: dict[str, Any], shape: Shape, report: FetchReport
) -> dict[str, Any]:
    """The rules channel's text as `group.rules`, topics guessed from the words."""
    channel_id = shape.may(guild, "rules_channel_id", str)
    if channel_id is None:
        report.say(Text("没有设置规则频道（rules channel）", "no rules channel is set"))
        return {}
    messages = _list(client, f"/channels/{channel_id}/messages", READ_HISTORY, {"limit": RULES_READ})
    texts = [
        m["content"] for m in reversed(messages) if isinstance(m, dict) and isinstance(m.get("content"), str)
    ]
    if messages and not any(text.strip() for text in texts):  # the API blanks content without the intent
        report.say(
            Text(
                "规则频道的消息内容是空的：在 "
                + PORTAL
                + " → Privileged Gateway Intents 打开 MESSAGE CONTENT INTENT",
                "the rules channel's messages came back empty: enable MESSAGE CONTENT INTENT in the "
                + PORTAL
                + " → Privileged Gateway Intents",
            )
        )
    rules = rules_from_text("\n".join(texts))
    report.say(
        Text(
            "规则频道：{n} 条规则（主题按文字推断，设置文件里的群规优先）",
            "rules channel: {n} rules (topics guessed from the words; rules in a settings file win)",
        ).format(n=len(rules))
    )
    return {"group": {"rules": rules}} if rules else {}


def _people(
    client: ApiClient,
    guild_id: str,
    guild: dict[str, Any],
    snapshot: dict[str, Any],
    request: FetchRequest,
    report: FetchReport,
) -> None:
    roster = _members(client, guild_id, guild, request, report) if request.members else None
    if not request.channels:
        if roster is not None:
            snapshot["members"]["list"] = roster
        return
    log = message_log("discord", request)
    for channel_id in request.channels:
        _read_channel(client, channel_id, log, request, report)
    daily, stats = counted(log, f"discord {guild_id}")
    snapshot["activity"] = {"daily": daily}
    if roster is not None:
        snapshot["members"]["list"] = with_stats(roster, stats)


def _members(
    client: ApiClient, guild_id: str, guild: dict[str, Any], request: FetchRequest, report: FetchReport
) -> list[dict[str, Any]]:
    staff = staff_roles(guild)
    owner = guild.get("owner_id")
    rows: list[dict[str, Any]] = []
    after = "0"
    counted_by_api = guild.get("approximate_member_count")
    total = counted_by_api if isinstance(counted_by_api, int) else 0
    progress = report.progress("成员", "members", request.lang)
    label = f"GET /guilds/{guild_id}/members"
    shape = Shape(client, label)
    while True:
        page = _list(client, f"/guilds/{guild_id}/members", MEMBERS_INTENT, {"limit": 1000, "after": after})
        for index, member in enumerate(page):
            rows.append(member_row(shape, member, f"$[{index}]", owner, staff, request))
        if progress is not None:
            progress(len(rows), max(total, len(rows) + (len(page) == 1000)))
        if len(page) < 1000:
            break
        after = rows[-1]["id"]
    if progress is not None:
        progress(len(rows), len(rows))
    report.say(Text("成员名单：{n} 人", "member list: {n} members").format(n=len(rows)))
    return rows


def _read_channel(
    client: ApiClient, channel_id: str, log: Any, request: FetchRequest, report: FetchReport
) -> None:
    label = f"GET /channels/{channel_id}/messages"
    shape = Shape(client, label)
    floor = request.since.timestamp() if request.since else None
    progress = report.progress(f"频道 {channel_id} 消息", f"channel {channel_id} messages", request.lang)
    read, before, done = 0, None, False
    while not done:
        params: dict[str, Any] = {"limit": min(100, request.max_messages - read)}
        if before is not None:
            params["before"] = before
        page = _list(client, f"/channels/{channel_id}/messages", READ_HISTORY, params)
        for index, message in enumerate(page):
            at = _message_time(shape, message, f"$[{index}]")
            if floor is not None and at < floor:
                done = True
                break
            _count(log, shape, message, at, f"$[{index}]")
            read += 1
            before = message["id"]
        if progress is not None:
            progress(read, request.max_messages)
        done = done or len(page) < params["limit"] or read >= request.max_messages
    if progress is not None:
        progress(read, read)
    report.say(
        Text("频道 {c}：读取 {n} 条消息", "channel {c}: {n} messages read").format(c=channel_id, n=read)
    )


def _message_time(shape: Shape, message: Any, path: str) -> float:
    shape.be(message, dict, path)
    shape.need(message, "id", str, path)
    at = iso_time(shape.need(message, "timestamp", str, path))
    if at is None:
        raise shape.client.error(
            shape.label,
            Text(
                "回应里的 {p}.timestamp 不是 ISO 时间", "the answer's {p}.timestamp is not an ISO time"
            ).format(p=path),
        )
    return at


def _count(log: Any, shape: Shape, message: dict[str, Any], at: float, path: str) -> None:
    author = shape.need(message, "author", dict, path)
    author_id = shape.need(author, "id", str, f"{path}.author")
    name = author.get("global_name") or author.get("username")
    kind = message.get("type", 0)
    if kind == JOIN:
        day = log.service(at, "", author_id)
        if day is not None:
            log.join(day, at, author_id, name)
    elif kind in TALK:
        attachments = message.get("attachments") or []
        what = "image" if attachments and not message.get("content") else "text"
        log.message(
            at,
            author_id,
            name,
            what,
            str(message.get("content") or ""),
            role="bot" if author.get("bot") else None,
        )
    else:
        log.service(at, "", author_id)


MANAGE_GUILD = Text(
    "机器人缺少“管理服务器”权限（Manage Server，读取 AutoMod、欢迎页与新人引导要用）：在服务器设置 → 角色里给机器人的角色打开它",
    "the bot lacks the Manage Server permission (needed to read AutoMod, the welcome screen and onboarding): "
    "turn it on for the bot's role in Server Settings → Roles",
)
READ_HISTORY = Text(
    "机器人看不到这个频道或读不了历史消息：给它的角色打开“查看频道”和“阅读消息历史”（View Channels、Read Message History）",
    "the bot cannot see this channel or read its history: give its role View Channels and Read Message History",
)
MEMBERS_INTENT = Text(
    "机器人缺少 GUILD_MEMBERS 特权意图：在 "
    + PORTAL
    + " → Privileged Gateway Intents 打开 SERVER MEMBERS INTENT",
    "the bot lacks the GUILD_MEMBERS intent: enable it in the " + PORTAL + " → Privileged Gateway Intents "
    "(SERVER MEMBERS INTENT)",
)


def _not_in_guild(guild_id: str) -> Text:
    return Text(
        "机器人不在服务器 "
        + guild_id
        + " 里，或 ID 写错了：用 OAuth2 邀请链接（scope bot）把它加进服务器，再核对服务器 ID",
        "the bot is not in server " + guild_id + ", or the id is wrong: add it with an OAuth2 invite link "
        "(scope bot), then check the server id",
    )


def _optional(denied: Text) -> Judge:
    """A part a server may not have set up (welcome screen, onboarding): 404 means none."""

    def judge(reply: Reply) -> Verdict:
        if reply.status == 404:
            return Verdict.absent()
        return _judge(reply, denied)

    return judge


def _judge(reply: Reply, denied: Text | None = None) -> Verdict:
    body = reply.body if isinstance(reply.body, dict) else {}
    if 200 <= reply.status < 300:
        return Verdict.ok()
    if reply.status == 429:
        seconds = body.get("retry_after")
        if not isinstance(seconds, (int, float)):
            seconds = retry_after_header(reply.headers) or 1.0
        return Verdict.wait(float(seconds))
    said = Text("（Discord：{m}，code {c}）", " (Discord: {m}, code {c})").format(
        m=clean(body.get("message", "-"), 120), c=body.get("code", "-")
    )
    if reply.status == 401:
        return Verdict.fail(
            Text("令牌被拒绝（401）", "the token was refused (401)") + said,
            Text(
                "在 " + PORTAL + " 点 Reset Token，把新令牌放进 PLAYBOOK_DISCORD_TOKEN（不要写进命令行）",
                "reset the token in the "
                + PORTAL
                + " and put the new one in PLAYBOOK_DISCORD_TOKEN (never on the command line)",
            ),
        )
    if reply.status in (403, 404) and denied is not None:
        return Verdict.fail(
            Text("没有权限（{s}）", "access denied ({s})").format(s=reply.status) + said, denied
        )
    return Verdict.fail(
        Text("请求失败（HTTP {s}）", "the request failed (HTTP {s})").format(s=reply.status) + said
    )


def _get(client: ApiClient, path: str, judge: Judge, params: dict[str, Any] | None = None) -> Any:
    return client.call(f"GET {path}", "GET", path, params=params, judge=judge)


def _list(
    client: ApiClient, path: str, denied: Text | None = None, params: dict[str, Any] | None = None
) -> list[Any]:
    body = _get(client, path, _judge_with(denied), params)
    return Shape(client, f"GET {path}").be(body, list)


def _judge_with(denied: Text | None) -> Judge:
    return lambda reply: _judge(reply, denied)
