"""WeCom customer groups (企业微信客户群): corp id + an app secret -> one snapshot per group.

Calls: GET /cgi-bin/gettoken; POST /cgi-bin/externalcontact/groupchat/list (cursor paging, with
--all), groupchat/get (need_name=1), groupchat/statistic_group_by_day (daily totals of one owner,
at most 30 days a call, from yesterday back at most 180 days). WeCom counts statistics per owner,
not per group, so daily activity is kept only for a group whose owner owns no other group.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from playbook.connectors.http import ApiClient, Reply, Secrets, Verdict, clean
from playbook.connectors.rules_text import guessed_rules
from playbook.connectors.run import Fetched, FetchReport, FetchRequest, safe_file_name, snapshot_head
from playbook.connectors.shapes import Shape
from playbook.connectors.tokens import read_plain, read_secret
from playbook.core.i18n import Text
from playbook.importers.common import iso_at

EXPIRED = {42001, 40014}  # access_token expired / invalid: fetch a new one, once
BUSY = {45009, 45011, 45033}  # frequency limits: wait and try again
BUSY_WAIT = 2.0  # seconds; WeCom says nothing of how long
PAGE = 1000  # groupchat/list limit (1–1000)
SPAN_DAYS, KEPT_DAYS, DEFAULT_DAYS = 30, 180, 30
SCENES = {1: "invite", 2: "link", 3: "qr_code"}
SECRET = Text("企业微信应用 secret", "WeCom app secret")
CORP = Text("企业 ID（corp id）", "corp id")
CONSOLE = Text(
    "管理后台 → 客户与上下游 → 客户联系 → 客户 → API → “可调用接口的应用”里加入你的自建应用，并把群主放进应用的可见范围",
    "in the admin console → Customers → Customer Contact → Customers → API, add your self-built app to "
    "'apps that can call the API', and put the group owners in the app's visible range",
)


class WecomApi(ApiClient):
    """Calls with `access_token` in the query, fetched with gettoken and refreshed once on expiry."""

    def __init__(self, base: str, corp_id: str, secret: str) -> None:
        super().__init__("wecom", base, _judge, Secrets([secret]), on_refresh=self.refresh)
        self.corp_id, self.secret, self.token = corp_id, secret, ""

    def url(self, path: str, params: dict[str, Any] | None) -> tuple[str, dict[str, Any] | None]:
        if path != "/cgi-bin/gettoken":
            params = {**(params or {}), "access_token": self.token}
        return super().url(path, params)

    def refresh(self) -> None:
        body = self.call(
            "gettoken", "GET", "/cgi-bin/gettoken", params={"corpid": self.corp_id, "corpsecret": self.secret}
        )
        self.token = Shape(self, "gettoken").need(Shape(self, "gettoken").be(body, dict), "access_token", str)
        self.secrets.add(self.token)

    def post(self, name: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = self.call(name, "POST", f"/cgi-bin/externalcontact/{name}", body=body)
        return Shape(self, name).be(answer, dict)


def fetch_wecom(request: FetchRequest, report: FetchReport) -> list[Fetched]:
    corp_id = request.corp_id or read_plain("PLAYBOOK_WECOM_CORP_ID", CORP, "--corp-id")
    secret = read_secret("PLAYBOOK_WECOM_SECRET", request.token_file, SECRET)
    api = WecomApi(request.api_base, corp_id, secret)
    try:
        api.refresh()
        chat_ids = _all_chats(api, request, report) if request.all_groups else [str(request.target)]
        details = _details(api, chat_ids, request, report)
        owners: dict[str, int] = {}
        for chat in details:
            owners[chat["owner"]] = owners.get(chat["owner"], 0) + 1
        return [_snapshot(api, chat, owners, request, report) for chat in details]
    finally:
        report.calls += api.calls
        api.close()


def _all_chats(api: WecomApi, request: FetchRequest, report: FetchReport) -> list[str]:
    """Every customer group of the corp, page by page until next_cursor is empty."""
    ids: list[str] = []
    cursor = ""
    shape = Shape(api, "groupchat/list")
    while True:
        page = api.post("groupchat/list", {"status_filter": 0, "cursor": cursor, "limit": PAGE})
        for index, item in enumerate(shape.need(page, "group_chat_list", list)):
            shape.be(item, dict, f"$.group_chat_list[{index}]")
            ids.append(shape.need(item, "chat_id", str, f"$.group_chat_list[{index}]"))
        cursor = page.get("next_cursor") or ""
        if not cursor:
            break
    report.say(Text("企业共有 {n} 个客户群", "the corp has {n} customer groups").format(n=len(ids)))
    return ids


def _details(
    api: WecomApi, chat_ids: list[str], request: FetchRequest, report: FetchReport
) -> list[dict[str, Any]]:
    progress = report.progress("客户群", "groups", request.lang) if len(chat_ids) > 1 else None
    details = []
    for done, chat_id in enumerate(chat_ids, start=1):
        shape = Shape(api, "groupchat/get")
        answer = api.post("groupchat/get", {"chat_id": chat_id, "need_name": 1})
        chat = shape.need(answer, "group_chat", dict)
        shape.need(chat, "chat_id", str, "$.group_chat")
        shape.need(chat, "owner", str, "$.group_chat")
        shape.need(chat, "member_list", list, "$.group_chat")
        details.append(chat)
        if progress is not None:
            progress(done, len(chat_ids))
    return details


def _snapshot(
    api: WecomApi, chat: dict[str, Any], owners: dict[str, int], request: FetchRequest, report: FetchReport
) -> Fetched:
    shape = Shape(api, "groupchat/get")
    group: dict[str, Any] = {"id": chat["chat_id"], "name": str(chat.get("name") or chat["chat_id"])}
    if isinstance(chat.get("create_time"), int) and chat["create_time"] > 0:
        group["created_at"] = iso_at(chat["create_time"], request.tz)
    if isinstance(chat.get("notice"), str) and chat["notice"].strip():
        group["announcement"] = {"text": chat["notice"]}
    admins = {str(a.get("userid")) for a in chat.get("admin_list") or [] if isinstance(a, dict)}
    rows = [
        _member(shape, m, f"$.group_chat.member_list[{i}]", chat["owner"], admins, request)
        for i, m in enumerate(chat["member_list"])
    ]
    snapshot: dict[str, Any] = {
        **snapshot_head("wecom", request, group),
        "members": {"source": "api", "list": rows},
    }
    daily = _daily(api, chat, owners, request, report)
    if daily is not None:
        snapshot["activity"] = {"daily": daily}
    report.say(
        Text("客户群 {n}：{m} 人", "customer group {n}: {m} members").format(
            n=clean(group["name"], 80), m=len(rows)
        )
    )
    notice = group.get("announcement", {}).get("text")
    return Fetched(safe_file_name(chat["chat_id"]), snapshot, guessed_rules(notice))


def _member(
    shape: Shape, member: Any, path: str, owner: str, admins: set[str], request: FetchRequest
) -> dict[str, Any]:
    shape.be(member, dict, path)
    user_id = shape.need(member, "userid", str, path)
    name = member.get("group_nickname") or member.get("name") or user_id
    role = "owner" if user_id == owner else "admin" if user_id in admins else "member"
    row: dict[str, Any] = {"id": user_id, "name": str(name), "role": role}
    if isinstance(member.get("join_time"), int) and member["join_time"] > 0:
        row["joined_at"] = iso_at(member["join_time"], request.tz)
    if member.get("join_scene") in SCENES:
        row["join_scene"] = SCENES[member["join_scene"]]
    inviter = member.get("invitor")
    if isinstance(inviter, dict) and isinstance(inviter.get("userid"), str):
        row["invited_by"] = inviter["userid"]
    return row


def _daily(
    api: WecomApi, chat: dict[str, Any], owners: dict[str, int], request: FetchRequest, report: FetchReport
) -> list[dict[str, Any]] | None:
    owner = chat["owner"]
    groups = owners[owner] if request.all_groups else _groups_of(api, owner)
    if groups != 1:
        report.say(
            Text(
                "群主 {o} 有 {n} 个客户群：企业微信按群主统计，无法分到单个群，未写入每日活跃",
                "owner {o} owns {n} customer groups: WeCom counts per owner, not per group, so no daily "
                "activity was written",
            ).format(o=clean(owner, 40), n=groups)
        )
        return None
    rows: list[dict[str, Any]] = []
    for begin, end in _spans(request, report):
        answer = api.post(
            "groupchat/statistic_group_by_day",
            {
                "day_begin_time": int(begin.timestamp()),
                "day_end_time": int(end.timestamp()),
                "owner_filter": {"userid_list": [owner]},
            },
        )
        rows += _day_rows(Shape(api, "groupchat/statistic_group_by_day"), answer, request)
    return sorted(rows, key=lambda row: row["date"])


def _groups_of(api: WecomApi, owner: str) -> int:
    """How many customer groups one owner has (statistics are per owner)."""
    count, cursor = 0, ""
    while True:
        page = api.post(
            "groupchat/list",
            {"status_filter": 0, "owner_filter": {"userid_list": [owner]}, "cursor": cursor, "limit": PAGE},
        )
        count += len(Shape(api, "groupchat/list").need(page, "group_chat_list", list))
        cursor = page.get("next_cursor") or ""
        if not cursor:
            return count


def _spans(request: FetchRequest, report: FetchReport) -> list[tuple[datetime, datetime]]:
    """Day ranges of at most 30 days, from --since (default 30 days) to yesterday, within 180 days."""
    today = datetime.combine(request.captured_at.astimezone(request.tz).date(), time(0), request.tz)
    last, oldest = today - timedelta(days=1), today - timedelta(days=KEPT_DAYS)
    first = today - timedelta(days=DEFAULT_DAYS)
    if request.since is not None:
        first = datetime.combine(request.since.astimezone(request.tz).date(), time(0), request.tz)
    if first < oldest:
        report.say(
            Text(
                "企业微信只保留 180 天的统计，从 {d} 开始",
                "WeCom keeps 180 days of statistics: starting at {d}",
            ).format(d=oldest.date().isoformat())
        )
        first = oldest
    spans = []
    while first <= last:
        end = min(first + timedelta(days=SPAN_DAYS - 1), last)
        spans.append((first, end))
        first = end + timedelta(days=1)
    return spans


def _day_rows(shape: Shape, answer: dict[str, Any], request: FetchRequest) -> list[dict[str, Any]]:
    rows = []
    for index, item in enumerate(shape.need(answer, "items", list)):
        path = f"$.items[{index}]"
        shape.be(item, dict, path)
        stat_time = shape.need(item, "stat_time", int, path)
        data = shape.need(item, "data", dict, path)
        row: dict[str, Any] = {"date": datetime.fromtimestamp(stat_time, request.tz).date().isoformat()}
        for key, name in (
            ("msg_total", "messages"),
            ("member_has_msg", "speakers"),
            ("new_member_cnt", "joins"),
        ):
            value = data.get(key)
            if isinstance(value, int) and value >= 0:
                row[name] = value
        rows.append(row)
    return rows


def _judge(reply: Reply) -> Verdict:
    body = reply.body if isinstance(reply.body, dict) else {}
    code = body.get("errcode")
    if reply.status == 200 and code == 0:
        return Verdict.ok()
    if code in BUSY or reply.status == 429:
        return Verdict.wait(BUSY_WAIT)
    if code in EXPIRED:
        return Verdict.refresh()
    said = Text("（企业微信 errcode {c}：{m}）", " (WeCom errcode {c}: {m})").format(
        c=code if code is not None else "-", m=clean(body.get("errmsg", "-"), 160)
    )
    if code in (40001, 40013, 40091, 40125):
        return Verdict.fail(
            Text("corp id 或 secret 不对", "the corp id or the secret was refused") + said,
            Text(
                "在管理后台 → 应用管理 → 你的自建应用里查看 Secret，放进 PLAYBOOK_WECOM_SECRET；corp id 在 我的企业 → 企业信息",
                "find the Secret in the admin console → Applications → your self-built app and put it in PLAYBOOK_WECOM_SECRET; "
                "the corp id is under My Company → Company Information",
            ),
        )
    if code == 60020:
        return Verdict.fail(
            Text(
                "这台机器的 IP 不在应用的企业可信 IP 里",
                "this machine's IP is not among the app's trusted IPs",
            )
            + said,
            Text(
                "管理后台 → 应用管理 → 你的自建应用 → 企业可信IP，加入运行 playbook 的机器的出口 IP",
                "admin console → Applications → your self-built app → Trusted Corporate IP: add the "
                "outgoing IP of the machine running playbook",
            ),
        )
    if code in (48002, 60011, 301002, 84061):
        return Verdict.fail(
            Text("应用没有调用这个接口的权限", "the app may not call this API") + said, CONSOLE
        )
    if code is None:
        return Verdict.fail(
            Text("回应没有 errcode（HTTP {s}）", "the answer has no errcode (HTTP {s})").format(
                s=reply.status
            )
        )
    return Verdict.fail(Text("请求失败", "the request failed") + said)
