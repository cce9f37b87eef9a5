"""`playbook fetch discord` against a local fake of Discord's REST API v10."""

from __future__ import annotations

import json
from pathlib import Path

from fakes import (
    DISCORD_TOKEN,
    GUILD,
    assert_no_secret,
    discord_error,
    discord_guild,
    fetch,
    json_response,
    serve_discord,
)

from playbook.io.snapshots import load_snapshot

SETTINGS = Path(__file__).parent.parent / "fixtures" / "fetch" / "discord-settings.yaml"
ENV = {"PLAYBOOK_DISCORD_TOKEN": DISCORD_TOKEN}
CAPTURED = "2026-11-20T12:00:00+00:00"


def run(httpserver, tmp_path, *extra: str, env=ENV):
    out = tmp_path / "server.json"
    result = fetch(
        [
            "discord",
            GUILD,
            "-o",
            str(out),
            "--api-base",
            httpserver.url_for("/"),
            "--captured-at",
            CAPTURED,
            *extra,
        ],
        env,
    )
    return result, out


def test_settings_automod_welcome_members_and_messages_become_a_valid_snapshot(httpserver, tmp_path):
    serve_discord(httpserver)
    result, out = run(httpserver, tmp_path, "--members", "--channel", "1100000000000000011", "--tz", "UTC")
    assert result.exit_code == 0, result.output
    snapshot = load_snapshot(out).data  # validates against the schema
    group = snapshot["group"]
    assert group["verification_level"] == "medium" and group["explicit_content_filter"] == "all_members"
    assert group["intro"] == "A server for pixel art makers."
    assert group["join_policy"] == {"mode": "question"}
    assert group["created_at"].startswith("2023-")
    assert snapshot["automation"] == {
        "welcome": True,
        "keyword_moderation": True,
        "filters": ["invites", "keywords", "spam"],
    }
    assert snapshot["onboarding"]["join_steps"] == 3  # invite, screening, one required prompt
    assert "introduce yourself" in snapshot["onboarding"]["welcome_message"]
    topics = [rule["topic"] for rule in group["rules"]]
    assert topics == ["ads", "spam", "abuse", "vulgar", "other"]
    members = snapshot["members"]
    assert members["source"] == "api" and members["count"] == 1003 and len(members["list"]) == 1003
    roles = {row["id"]: row["role"] for row in members["list"]}
    assert roles["1100000000000000100"] == "owner" and roles["1100000000000001001"] == "admin"
    assert roles["1100000000000001002"] == "bot"
    assert sum(row["messages_total"] for row in members["list"]) == 149  # the oldest is a join (type 7)
    assert sum(day["messages"] for day in snapshot["activity"]["daily"]) == 149
    assert [day["date"] for day in snapshot["activity"]["daily"] if day["joins"]] == ["2026-11-05"]
    assert_no_secret(result, [DISCORD_TOKEN], out)
    assert "server Pixel Makers: 2 channels, 3 AutoMod rules" in result.stderr
    assert (
        "member list: 1003 members" in result.stderr
        and "channel 1100000000000000011: 150 messages read" in result.stderr
    )


def test_members_are_paged_with_after_and_messages_with_before(httpserver, tmp_path):
    serve_discord(httpserver)
    result, _ = run(httpserver, tmp_path, "--members", "--channel", "1100000000000000011")
    assert result.exit_code == 0, result.output
    asked = [(r.path, dict(r.args)) for r, _ in httpserver.log]
    member_pages = [args for path, args in asked if path.endswith("/members")]
    assert member_pages == [
        {"limit": "1000", "after": "0"},
        {"limit": "1000", "after": "1100000000000001999"},
    ]
    message_pages = [args for path, args in asked if path == "/channels/1100000000000000011/messages"]
    assert message_pages == [{"limit": "100"}, {"limit": "100", "before": "1100000000000008901"}]


def test_since_and_max_messages_bound_the_messages_read(httpserver, tmp_path):
    serve_discord(httpserver)
    result, out = run(
        httpserver, tmp_path, "--channel", "1100000000000000011", "--since", "2026-11-18", "--tz", "UTC"
    )
    assert result.exit_code == 0, result.output
    assert "channel 1100000000000000011: 20 messages read" in result.stderr  # the 19th and 18th
    result, out = run(httpserver, tmp_path, "--channel", "1100000000000000011", "--max-messages", "30")
    assert "channel 1100000000000000011: 30 messages read" in result.stderr
    assert "list" not in json.loads(out.read_text())["members"]  # no --members: no roster


def test_the_settings_file_fills_what_the_api_does_not_know_and_its_rules_win_over_guesses(
    httpserver, tmp_path
):
    serve_discord(httpserver)
    result, out = run(httpserver, tmp_path, "--members", "--settings", str(SETTINGS))
    assert result.exit_code == 0, result.output
    snapshot = json.loads(out.read_text())
    assert snapshot["group"]["purpose"] == "像素画创作者交流作品、互相点评"
    assert snapshot["group"]["intro"] == "A server for pixel art makers."  # the API wins where it speaks
    assert [r["id"] for r in snapshot["group"]["rules"]] == ["no-ads", "no-spam", "respect"]
    tagged = [row for row in snapshot["members"]["list"] if row.get("tags")]
    assert [(row["id"], row["tags"], row["role"]) for row in tagged] == [
        ("1100000000000001001", ["core"], "admin")
    ]
    assert snapshot["goals"] == [{"metric": "weekly_active_ratio", "target": 0.2}]


def test_the_fetched_snapshot_audits_and_the_discord_rules_judge_its_settings(httpserver, tmp_path):
    from fakes import CliRunner, main

    serve_discord(httpserver, guild=discord_guild(verification_level=0))
    result, out = run(httpserver, tmp_path)
    assert result.exit_code == 0, result.output
    audit = CliRunner().invoke(main, ["audit", str(out), "-f", "json", "--lang", "en"])
    assert audit.exit_code in (0, 1), audit.output
    results = {r["rule"]: r["status"] for r in json.loads(audit.stdout)["results"]}
    assert results["rules.verification-level"] == "fail"
    assert results["rules.automod-invites"] == "pass" and results["rules.automod-spam"] == "pass"


def test_rate_limit_429_waits_retry_after_then_goes_on(httpserver, tmp_path, waits):
    serve_discord(httpserver)
    limited = json_response(
        {"message": "You are being rate limited.", "retry_after": 1.5, "global": False}, 429
    )
    httpserver.expect_oneshot_request(f"/guilds/{GUILD}/channels").respond_with_response(limited)
    result, _out = run(httpserver, tmp_path)
    assert result.exit_code == 0, result.output
    assert waits == [1.5]


def test_server_errors_are_retried_with_growing_pauses(httpserver, tmp_path, waits):
    serve_discord(httpserver)
    for _ in range(2):
        httpserver.expect_oneshot_request(f"/guilds/{GUILD}").respond_with_response(
            json_response({"message": "oops"}, 502)
        )
    result, _out = run(httpserver, tmp_path)
    assert result.exit_code == 0, result.output
    assert waits == [0.5, 1.0]


def test_a_rate_limit_longer_than_two_minutes_stops_the_fetch_and_writes_nothing(httpserver, tmp_path, waits):
    serve_discord(httpserver)
    httpserver.expect_oneshot_request(f"/guilds/{GUILD}/channels").respond_with_response(
        json_response({"message": "slow down", "retry_after": 3600, "global": True}, 429)
    )
    result, out = run(httpserver, tmp_path)
    assert result.exit_code == 2 and not out.exists()
    assert (
        f"discord GET /guilds/{GUILD}/channels: rate limited: the platform asks to wait 3600 s"
        in result.stderr
    )


def test_bad_token_is_exit_2_with_what_to_do_and_no_file(httpserver, tmp_path):
    serve_discord(httpserver)
    result, out = run(httpserver, tmp_path, env={"PLAYBOOK_DISCORD_TOKEN": "wrong-token-value"})
    assert result.exit_code == 2 and not out.exists()
    assert (
        f"discord GET /guilds/{GUILD}: the token was refused (401) (Discord: 401: Unauthorized, code 0)"
        in result.stderr
    )
    assert "Reset Token" not in result.stderr or "reset the token" in result.stderr
    assert_no_secret(result, ["wrong-token-value"], out)


def test_missing_members_intent_names_the_intent_and_where_to_enable_it(httpserver, tmp_path):
    serve_discord(httpserver, members=discord_error(403, "Missing Access", 50001))
    result, out = run(httpserver, tmp_path, "--members")
    assert result.exit_code == 2 and not out.exists()
    assert "access denied (403) (Discord: Missing Access, code 50001)" in result.stderr
    assert "the bot lacks the GUILD_MEMBERS intent: enable it in the Developer Portal" in result.stderr
    assert "Privileged Gateway Intents" in result.stderr


def test_missing_manage_server_permission_for_automod(httpserver, tmp_path):
    serve_discord(httpserver)
    httpserver.expect_oneshot_request(f"/guilds/{GUILD}/auto-moderation/rules").respond_with_response(
        discord_error(403, "Missing Permissions", 50013)
    )
    result, out = run(httpserver, tmp_path)
    assert result.exit_code == 2 and not out.exists()
    assert "the bot lacks the Manage Server permission" in result.stderr


def test_connection_refused_is_exit_2_after_retries(tmp_path, waits):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "server.json"
    result = fetch(["discord", GUILD, "-o", str(out), "--api-base", f"http://127.0.0.1:{port}"], ENV)
    assert result.exit_code == 2 and not out.exists()
    assert f"cannot reach http://127.0.0.1:{port} (connection refused); tried 4 times" in result.stderr
    assert waits == [0.5, 1.0, 2.0]


def test_malformed_json_and_wrong_shapes_are_exit_2(httpserver, tmp_path):
    from werkzeug import Response

    serve_discord(httpserver)
    httpserver.expect_oneshot_request(f"/guilds/{GUILD}").respond_with_response(
        Response("<html>gateway</html>", 200)
    )
    result, out = run(httpserver, tmp_path)
    assert result.exit_code == 2 and not out.exists()
    assert "the answer is not JSON (HTTP 200, 20 bytes" in result.stderr
    httpserver.clear_all_handlers()
    serve_discord(httpserver, guild={"id": GUILD})
    result, out = run(httpserver, tmp_path)
    assert result.exit_code == 2 and "the answer lacks $.name (a string expected)" in result.stderr


def test_no_token_says_which_variable_to_set(tmp_path):
    result = fetch(["discord", GUILD, "-o", str(tmp_path / "x.json")], {"PLAYBOOK_DISCORD_TOKEN": ""})
    assert result.exit_code == 2
    assert (
        "PLAYBOOK_DISCORD_TOKEN: no Discord bot token: the environment variable PLAYBOOK_DISCORD_TOKEN is unset or empty"
        in result.stderr
    )


def test_token_file_is_read_and_never_shown(httpserver, tmp_path):
    serve_discord(httpserver)
    token_file = tmp_path / "token.txt"
    token_file.write_text(DISCORD_TOKEN + "\n")
    result, out = run(httpserver, tmp_path, "--token-file", str(token_file), env={})
    assert result.exit_code == 0, result.output
    assert_no_secret(result, [DISCORD_TOKEN], out)


def test_options_of_other_platforms_are_refused(tmp_path):
    result = fetch(["discord", GUILD, "--collect", "5"], ENV)
    assert result.exit_code == 2 and "--collect applies to telegram only, not to discord" in result.stderr


def test_messages_are_in_chinese_too(httpserver, tmp_path):
    from fakes import CliRunner, main

    serve_discord(httpserver, members=discord_error(403, "Missing Access", 50001))
    out = tmp_path / "server.json"
    result = CliRunner().invoke(
        main,
        [
            "fetch",
            "discord",
            GUILD,
            "--members",
            "-o",
            str(out),
            "--api-base",
            httpserver.url_for("/"),
            "--lang",
            "zh",
        ],
        env=ENV,
    )
    assert result.exit_code == 2 and not out.exists()
    assert "没有权限（403）（Discord：Missing Access，code 50001）" in result.stderr
    assert "提示: 机器人缺少 GUILD_MEMBERS 特权意图" in result.stderr


def test_long_fetches_show_progress_on_a_terminal(httpserver, tmp_path, monkeypatch):
    import io

    from playbook.io.progress import ProgressLine

    screen = io.StringIO()
    monkeypatch.setattr(
        "playbook.connectors.run.terminal_progress", lambda describe: ProgressLine(describe, screen)
    )
    serve_discord(httpserver)
    result, _ = run(httpserver, tmp_path, "--members", "--channel", "1100000000000000011")
    assert result.exit_code == 0, result.output
    drawn = screen.getvalue()
    assert "members 1003/1003\n" in drawn and "channel 1100000000000000011 messages 150/150\n" in drawn


def test_control_characters_from_the_api_never_reach_the_terminal(httpserver, tmp_path):
    serve_discord(httpserver, guild=discord_guild(name="Pixel\x1b[2J\x1b]0;owned\x07 Makers"))
    result, out = run(httpserver, tmp_path)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert (
        json.loads(out.read_text())["group"]["name"] == "Pixel\x1b[2J\x1b]0;owned\x07 Makers"
    )  # kept as data
