"""`playbook fetch wecom` against a local fake of WeCom's customer-group API."""

from __future__ import annotations

import json

from fakes import (
    ACCESS_TOKENS,
    CORP_ID,
    GROUP_ONE,
    WECOM_SECRET,
    CliRunner,
    assert_no_secret,
    fetch,
    main,
    serve_wecom,
)

from playbook.io.snapshots import load_snapshot

ENV = {"PLAYBOOK_WECOM_CORP_ID": CORP_ID, "PLAYBOOK_WECOM_SECRET": WECOM_SECRET}
SECRETS = [WECOM_SECRET, *ACCESS_TOKENS]


def run(httpserver, out, *extra: str, env=ENV):
    return fetch(
        [
            "wecom",
            *extra,
            "-o",
            str(out),
            "--api-base",
            httpserver.url_for("/").rstrip("/"),
            "--captured-at",
            "2026-11-20T21:00:00+08:00",
        ],
        env,
    )


def test_one_group_with_members_join_scenes_and_daily_statistics(httpserver, tmp_path):
    serve_wecom(httpserver)
    out = tmp_path / "group.json"
    result = run(httpserver, out, GROUP_ONE)
    assert result.exit_code == 0, result.output
    snapshot = load_snapshot(out).data
    assert snapshot["group"]["announcement"]["text"].startswith("群公告")
    assert [(r["topic"], r.get("penalty")) for r in snapshot["group"]["rules"]] == [
        ("ads", "warn_then_remove"),
        ("spam", None),
    ]
    rows = {row["id"]: row for row in snapshot["members"]["list"]}
    assert snapshot["members"]["source"] == "api" and len(rows) == 4
    assert (rows["zhangsan"]["role"], rows["wangwu"]["role"], rows["wmfakeExternal0001"]["role"]) == (
        "owner",
        "admin",
        "member",
    )
    assert rows["wmfakeExternal0001"]["join_scene"] == "qr_code"
    assert rows["wmfakeExternal0002"] == {
        "id": "wmfakeExternal0002",
        "name": "小乙",
        "role": "member",
        "joined_at": "2026-11-18T19:06:40+08:00",
        "join_scene": "link",
        "invited_by": "wangwu",
    }
    daily = snapshot["activity"]["daily"]
    assert len(daily) == 30 and daily[-1] == {"date": "2026-11-19", "messages": 9, "speakers": 2, "joins": 1}
    assert_no_secret(result, SECRETS, out)


def test_an_owner_of_several_groups_gets_no_daily_activity_and_is_told_why(httpserver, tmp_path):
    serve_wecom(httpserver)
    out = tmp_path / "group.json"
    result = run(httpserver, out, "wrOgQhDgAAaaaaaaaaaaaaaaaaaaaa02")
    assert result.exit_code == 0, result.output
    assert "activity" not in json.loads(out.read_text())
    assert "owner lisi owns 2 customer groups: WeCom counts per owner, not per group" in result.stderr


def test_all_groups_of_the_corp_go_into_one_folder_for_a_batch_audit(httpserver, tmp_path):
    serve_wecom(httpserver)
    folder = tmp_path / "groups"
    result = run(httpserver, folder, "--all")
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in folder.iterdir())
    assert files == [f"wrOgQhDgAAaaaaaaaaaaaaaaaaaaaa0{n}.json" for n in (1, 2, 3)]
    cursors = [
        json.loads(r.get_data())["cursor"] for r, _ in httpserver.log if r.path.endswith("groupchat/list")
    ]
    assert cursors == ["", "2"]
    assert "the corp has 3 customer groups" in result.stderr
    assert_no_secret(result, SECRETS, folder)
    audit = CliRunner().invoke(main, ["audit", *map(str, sorted(folder.iterdir())), "--lang", "en"])
    assert audit.exit_code in (0, 1), audit.output


def test_an_expired_access_token_is_refreshed_once(httpserver, tmp_path):
    fake = serve_wecom(httpserver)
    fake.once["externalcontact/groupchat/get"] = [{"errcode": 42001, "errmsg": "access_token expired"}]
    out = tmp_path / "group.json"
    result = run(httpserver, out, GROUP_ONE)
    assert result.exit_code == 0, result.output
    assert fake.tokens_issued == 2


def test_a_token_expiring_twice_in_a_row_stops_the_fetch(httpserver, tmp_path):
    fake = serve_wecom(httpserver)
    fake.once["externalcontact/groupchat/get"] = [{"errcode": 42001, "errmsg": "access_token expired"}] * 2
    out = tmp_path / "group.json"
    result = run(httpserver, out, GROUP_ONE)
    assert result.exit_code == 2 and not out.exists()
    assert "wecom groupchat/get: the token expired" in result.stderr


def test_frequency_limit_45009_waits_and_retries(httpserver, tmp_path, waits):
    fake = serve_wecom(httpserver)
    fake.once["externalcontact/groupchat/get"] = [{"errcode": 45009, "errmsg": "api freq out of limit"}]
    out = tmp_path / "group.json"
    result = run(httpserver, out, GROUP_ONE)
    assert result.exit_code == 0, result.output
    assert waits == [2.0]


def test_a_wrong_secret_is_exit_2_and_never_shown(httpserver, tmp_path):
    serve_wecom(httpserver)
    out = tmp_path / "group.json"
    wrong = "wrongWecomSecretValue000"
    result = run(httpserver, out, GROUP_ONE, env={**ENV, "PLAYBOOK_WECOM_SECRET": wrong})
    assert result.exit_code == 2 and not out.exists()
    assert (
        "wecom gettoken: the corp id or the secret was refused (WeCom errcode 40001: invalid credential"
        in result.stderr
    )
    assert_no_secret(result, [wrong], out)


def test_an_app_without_the_customer_contact_permission(httpserver, tmp_path):
    fake = serve_wecom(httpserver)
    fake.once["externalcontact/groupchat/get"] = [{"errcode": 48002, "errmsg": "api forbidden"}]
    out = tmp_path / "group.json"
    result = run(httpserver, out, GROUP_ONE)
    assert result.exit_code == 2 and not out.exists()
    assert "the app may not call this API (WeCom errcode 48002: api forbidden)" in result.stderr
    assert "apps that can call the API" in result.stderr


def test_a_failure_half_way_through_all_groups_writes_no_folder(httpserver, tmp_path):
    fake = serve_wecom(httpserver)
    fake.once["externalcontact/groupchat/get"] = [
        {
            "errcode": 0,
            "errmsg": "ok",
            "group_chat": {"chat_id": GROUP_ONE, "owner": "zhangsan", "member_list": "oops"},
        }
    ]
    folder = tmp_path / "groups"
    result = run(httpserver, folder, "--all")
    assert result.exit_code == 2 and not folder.exists()
    assert (
        "wecom groupchat/get: the answer's $.group_chat.member_list should be a list, found str"
        in result.stderr
    )
    assert list(tmp_path.iterdir()) == []  # no scratch folder left behind


def test_missing_corp_id_names_the_variable(tmp_path):
    result = fetch(
        ["wecom", GROUP_ONE], {"PLAYBOOK_WECOM_SECRET": WECOM_SECRET, "PLAYBOOK_WECOM_CORP_ID": ""}
    )
    assert result.exit_code == 2
    assert (
        "PLAYBOOK_WECOM_CORP_ID: no corp id: the environment variable PLAYBOOK_WECOM_CORP_ID is unset"
        in result.stderr
    )


def test_all_groups_again_into_the_same_folder_replaces_the_files(httpserver, tmp_path):
    serve_wecom(httpserver)
    folder = tmp_path / "groups"
    folder.mkdir()
    (folder / f"{GROUP_ONE}.json").write_text("last night's snapshot")
    (folder / "notes.txt").write_text("kept")
    result = run(httpserver, folder, "--all")
    assert result.exit_code == 0, result.output
    assert json.loads((folder / f"{GROUP_ONE}.json").read_text())["group"]["id"] == GROUP_ONE
    assert (folder / "notes.txt").read_text() == "kept"
