"""Every platform, every kind of failure: exit 2, a message saying what to do, no file, no secret."""

from __future__ import annotations

import socket

import pytest
from fakes import (
    ACCESS_TOKENS,
    CHAT,
    CORP_ID,
    DISCORD_TOKEN,
    GROUP_ONE,
    GUILD,
    TELEGRAM_TOKEN,
    WECOM_SECRET,
    assert_no_secret,
    fetch,
    json_response,
    serve_discord,
    serve_telegram,
    serve_wecom,
    telegram_error,
)
from werkzeug import Response

TARGET = {"discord": GUILD, "telegram": str(CHAT), "wecom": GROUP_ONE}
ENV = {
    "discord": {"PLAYBOOK_DISCORD_TOKEN": DISCORD_TOKEN},
    "telegram": {"PLAYBOOK_TELEGRAM_TOKEN": TELEGRAM_TOKEN},
    "wecom": {"PLAYBOOK_WECOM_CORP_ID": CORP_ID, "PLAYBOOK_WECOM_SECRET": WECOM_SECRET},
}
SECRETS = [DISCORD_TOKEN, TELEGRAM_TOKEN, WECOM_SECRET, *ACCESS_TOKENS]
# The first data call of each platform, where a failure is injected.
FIRST = {
    "discord": f"/guilds/{GUILD}",
    "telegram": f"/bot{TELEGRAM_TOKEN}/getChat",
    "wecom": "/cgi-bin/externalcontact/groupchat/get",
}
CALL = {
    "discord": f"discord GET /guilds/{GUILD}",
    "telegram": "telegram getChat",
    "wecom": "wecom groupchat/get",
}


def serve(platform, httpserver):
    {"discord": serve_discord, "telegram": serve_telegram, "wecom": serve_wecom}[platform](httpserver)


def run(platform, base, out, env=None):
    return fetch([platform, TARGET[platform], "-o", str(out), "--api-base", base], env or ENV[platform])


def rate_limited_for_an_hour(platform):
    if platform == "discord":
        return [
            json_response(
                {"message": "You are being rate limited.", "retry_after": 3600, "global": True}, 429
            )
        ]
    if platform == "telegram":
        return [telegram_error(429, "Too Many Requests: retry after 3600", retry_after=3600)]
    return [
        json_response({"errcode": 45009, "errmsg": "api freq out of limit"})
    ] * 9  # more waits than allowed


@pytest.mark.parametrize("platform", ["discord", "telegram", "wecom"])
def test_network_failure(platform, tmp_path, waits):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "out.json"
    result = run(platform, f"http://127.0.0.1:{port}", out)
    assert result.exit_code == 2 and not out.exists()
    assert f"cannot reach http://127.0.0.1:{port} (connection refused); tried 4 times" in result.stderr
    assert "hint: check the network or --api-base and try again later" in result.stderr
    assert_no_secret(result, SECRETS, out)


@pytest.mark.parametrize("platform", ["discord", "telegram", "wecom"])
def test_rate_limit_beyond_the_bound(platform, httpserver, tmp_path, waits):
    for response in rate_limited_for_an_hour(platform):
        httpserver.expect_oneshot_request(FIRST[platform]).respond_with_response(response)
    serve(platform, httpserver)
    out = tmp_path / "out.json"
    result = run(platform, httpserver.url_for("/").rstrip("/"), out)
    assert result.exit_code == 2 and not out.exists()
    assert f"{CALL[platform]}: rate limited: the platform asks to wait" in result.stderr
    assert "hint: run again later" in result.stderr
    assert_no_secret(result, SECRETS, out)


@pytest.mark.parametrize("platform", ["discord", "telegram", "wecom"])
def test_malformed_response(platform, httpserver, tmp_path):
    httpserver.expect_oneshot_request(FIRST[platform]).respond_with_response(Response('{"ok": tru', 200))
    serve(platform, httpserver)
    out = tmp_path / "out.json"
    result = run(platform, httpserver.url_for("/").rstrip("/"), out)
    assert result.exit_code == 2 and not out.exists()
    assert f"{CALL[platform]}: the answer is not JSON (HTTP 200, 10 bytes" in result.stderr
    assert_no_secret(result, SECRETS, out)


@pytest.mark.parametrize("platform", ["discord", "telegram", "wecom"])
def test_a_token_with_characters_no_token_has_is_refused_without_being_quoted(platform, tmp_path):
    env = dict(ENV[platform])
    name = next(key for key in env if key != "PLAYBOOK_WECOM_CORP_ID")
    env[name] = "tökén-secret-value"
    result = fetch([platform, TARGET[platform], "-o", str(tmp_path / "out.json")], env)
    assert result.exit_code == 2
    assert "holds characters no token has" in result.stderr and "tökén-secret-value" not in result.stderr


def test_an_existing_snapshot_is_left_as_it_was_when_a_fetch_fails(httpserver, tmp_path):
    out = tmp_path / "out.json"
    out.write_text("yesterday's snapshot")
    httpserver.expect_oneshot_request(FIRST["telegram"]).respond_with_response(
        telegram_error(403, "Forbidden")
    )
    serve("telegram", httpserver)
    result = run("telegram", httpserver.url_for("/").rstrip("/"), out)
    assert result.exit_code == 2 and out.read_text() == "yesterday's snapshot"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["discord", "my-server"], "GROUP_ID: 'my-server' does not look like a discord group id"),
        (["telegram", "pixel group"], "GROUP_ID: 'pixel group' does not look like a telegram group id"),
        (["discord", "--membres"], "fetch: unknown option '--membres'\n  hint: did you mean '--members'?"),
        (["wecom"], "GROUP_ID: the group id is missing"),
        (["wecom", "--all"], "--all: --all needs -o FOLDER"),
    ],
)
def test_a_wrong_group_id_or_option_fails_before_any_call(args, message):
    result = fetch(args, {})
    assert result.exit_code == 2 and message in result.stderr, result.stderr
