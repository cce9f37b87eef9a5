"""`playbook fetch telegram` against a local fake of the Telegram Bot API."""

from __future__ import annotations

import json
from pathlib import Path

from fakes import (
    CHAT,
    TELEGRAM_TOKEN,
    CliRunner,
    assert_no_secret,
    fetch,
    main,
    serve_telegram,
    telegram_chat,
    telegram_error,
)

from playbook.io.snapshots import load_snapshot

ENV = {"PLAYBOOK_TELEGRAM_TOKEN": TELEGRAM_TOKEN}
EXPORT = Path(__file__).parent.parent / "fixtures" / "import" / "telegram_single.json"


def run(httpserver, tmp_path, *extra: str, env=ENV):
    out = tmp_path / "group.json"
    result = fetch(
        [
            "telegram",
            str(CHAT),
            "-o",
            str(out),
            "--api-base",
            httpserver.url_for("/").rstrip("/"),
            "--captured-at",
            "2026-11-20T21:00:00+08:00",
            *extra,
        ],
        env,
    )
    return result, out


def test_chat_settings_admins_and_count_become_a_valid_snapshot(httpserver, tmp_path):
    serve_telegram(httpserver)
    result, out = run(httpserver, tmp_path)
    assert result.exit_code == 0, result.output
    snapshot = load_snapshot(out).data
    group = snapshot["group"]
    assert group["name"] == "像素画交流 Pixel" and group["intro"] == "像素画作品交流，每周一次点评。"
    assert group["join_policy"] == {"mode": "approval"} and group["slow_mode_seconds"] == 10
    assert group["announcement"]["text"].startswith("群规") and group["avatar"] is True
    assert group["x-telegram"]["permissions"]["can_send_other_messages"] is False
    assert snapshot["automation"] == {"filters": ["spam"]}
    assert [(r["text"], r["topic"]) for r in group["rules"]] == [("禁止广告", "ads"), ("禁止刷屏", "spam")]
    members = snapshot["members"]
    assert members == {
        "source": "api",
        "complete": False,
        "count": 180,
        "list": [
            {"id": "111", "name": "Alice", "role": "owner"},
            {"id": "222", "name": "Bob B", "role": "admin"},
            {"id": "7000000001", "name": "Audit bot", "role": "bot"},
        ],
    }
    assert "group 像素画交流 Pixel: 180 members, 3 admins" in result.stderr
    assert_no_secret(result, [TELEGRAM_TOKEN], out)


def test_collect_long_polls_get_updates_and_counts_only_this_group(httpserver, tmp_path):
    serve_telegram(httpserver)
    result, out = run(httpserver, tmp_path, "--collect", "1")
    assert result.exit_code == 0, result.output
    snapshot = json.loads(out.read_text())
    polls = [dict(r.args) for r, _ in httpserver.log if r.path.endswith("/getUpdates")]
    assert polls[0] == {"timeout": "1", "allowed_updates": '["message", "chat_member"]'}
    assert (
        all(p.get("offset") == "506" for p in polls[1:]) and len(polls) >= 2
    )  # read updates are acknowledged
    day = snapshot["activity"]["daily"][-1]
    assert (day["messages"], day["speakers"], day["joins"], day["leaves"]) == (3, 3, 1, 1)
    newcomer = next(row for row in snapshot["members"]["list"] if row["id"] == "444")
    assert newcomer["messages_total"] == 1 and "joined_at" in newcomer
    assert "collected for 1 s: 6 updates, 3 messages in this group" in result.stderr
    assert_no_secret(result, [TELEGRAM_TOKEN], out)


def test_an_export_adds_the_history_the_bot_never_saw(httpserver, tmp_path):
    serve_telegram(httpserver)
    result, out = run(httpserver, tmp_path, "--export", str(EXPORT))
    assert result.exit_code == 0, result.output
    snapshot = json.loads(out.read_text())
    alice = next(row for row in snapshot["members"]["list"] if row["id"] == "111")
    assert alice["role"] == "owner" and alice["messages_total"] >= 1  # the export's user111 is the API's 111
    assert sum(day["messages"] for day in snapshot["activity"]["daily"]) >= 3


def test_the_snapshot_audits_with_the_telegram_profile(httpserver, tmp_path):
    serve_telegram(httpserver, chat=telegram_chat(join_by_request=False, username="pixel_open"))
    result, out = run(httpserver, tmp_path)
    assert result.exit_code == 0, result.output
    audit = CliRunner().invoke(main, ["audit", str(out), "-f", "json", "--lang", "en"])
    assert audit.exit_code in (0, 1), audit.output
    results = {r["rule"]: r["status"] for r in json.loads(audit.stdout)["results"]}
    assert results["rules.entry-threshold"] == "fail"  # a public @username and no join requests


def test_rate_limit_waits_parameters_retry_after(httpserver, tmp_path, waits):
    serve_telegram(httpserver)
    httpserver.expect_oneshot_request(f"/bot{TELEGRAM_TOKEN}/getChatMemberCount").respond_with_response(
        telegram_error(429, "Too Many Requests: retry after 3", retry_after=3)
    )
    result, _ = run(httpserver, tmp_path)
    assert result.exit_code == 0, result.output
    assert waits == [3.0]


def test_bad_token_is_exit_2_and_the_token_in_the_path_is_never_shown(httpserver, tmp_path):
    serve_telegram(httpserver)
    wrong = "7000000001:AAwrongTokenValue"
    result, out = run(httpserver, tmp_path, env={"PLAYBOOK_TELEGRAM_TOKEN": wrong})
    assert result.exit_code == 2 and not out.exists()
    assert "telegram getChat: the token was refused (401) (Telegram: Unauthorized)" in result.stderr
    assert "@BotFather" in result.stderr
    assert_no_secret(result, [wrong], out)


def test_bot_not_in_the_group_is_exit_2_with_what_to_do(httpserver, tmp_path):
    serve_telegram(
        httpserver,
        answers={"getChat": telegram_error(403, "Forbidden: bot is not a member of the supergroup chat")},
    )
    result, out = run(httpserver, tmp_path)
    assert result.exit_code == 2 and not out.exists()
    assert "the bot cannot access this group (403) (Telegram: Forbidden: bot is not a member" in result.stderr
    assert "add the bot to the group first" in result.stderr


def test_a_webhook_conflict_during_collect_writes_nothing(httpserver, tmp_path):
    serve_telegram(httpserver)
    httpserver.expect_oneshot_request(f"/bot{TELEGRAM_TOKEN}/getUpdates").respond_with_response(
        telegram_error(409, "Conflict: can't use getUpdates method while webhook is active")
    )
    result, out = run(httpserver, tmp_path, "--collect", "1")
    assert result.exit_code == 2 and not out.exists()
    assert "telegram getUpdates: getUpdates conflicts with a webhook (409)" in result.stderr


def test_server_errors_retried_then_named_without_the_token(httpserver, tmp_path, waits):
    serve_telegram(httpserver, answers={"getChat": telegram_error(502, "Bad Gateway")})
    result, out = run(httpserver, tmp_path)
    assert result.exit_code == 2 and not out.exists()
    assert "telegram getChat: the server failed (HTTP 502); tried 4 times" in result.stderr
    assert len(waits) == 3
    assert_no_secret(result, [TELEGRAM_TOKEN], out)


def test_malformed_answers_are_exit_2(httpserver, tmp_path):
    serve_telegram(httpserver, answers={"getChatMemberCount": "many"})
    result, out = run(httpserver, tmp_path)
    assert result.exit_code == 2 and not out.exists()
    assert "telegram getChatMemberCount: the answer's $ should be an integer, found str" in result.stderr
