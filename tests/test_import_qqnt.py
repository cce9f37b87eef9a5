"""QQ NT: the QQ Chat Exporter JSON (grey tips for joins and leaves, typed parts, both time forms)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from playbook.cli import main
from playbook.importers import run_import
from tests.import_helpers import FIXTURES, assert_valid, day

QCE = FIXTURES / "qqnt_group.json"


@pytest.mark.parametrize("fmt", ["qq-nt", "qq"])  # `qq` tells the JSON from the legacy TXT
def test_qq_chat_exporter_json(fmt: str) -> None:
    snap, summary = run_import(fmt, [QCE], include_messages=True)
    assert_valid(snap)
    assert snap["platform"] == "qq" and snap["group"] == {"name": "测试羽毛球群"}
    members = {m["id"]: m for m in snap["members"]["list"]}
    assert set(members) == {"10001", "10002", "10003", "u_d"}  # the QQ number, else QQ NT's uid
    assert (
        members["10001"]["name"] == "阿强（组织者）"
    )  # the group card of the latest message, as members see it
    assert members["10003"]["joined_at"] == "2026-01-01T08:06:40+08:00"  # 阿强 邀请 大刘、阿May 加入了群聊
    assert members["u_d"]["joined_at"] == "2026-01-01T08:06:40+08:00"
    assert members["10003"]["left_at"] == "2026-01-01T08:10:00+08:00"  # 大刘 已被移出群聊
    assert members["10002"]["first_active_at"] == "2026-01-01T08:05:00+08:00"  # ISO text in UTC
    assert snap["activity"]["daily"] == [
        day("2026-01-01", 3, 3, joins=2, leaves=1),
        day("2026-01-02", 3, 2, leaves=1),
        day("2026-01-03", 1, 1),
    ]
    kinds = [m["type"] for m in snap["activity"]["messages"] if m["type"] != "system"]
    assert kinds == ["text", "image", "text", "voice", "red_packet", "sticker", "text"]
    assert summary.flags["promo"] == 1 and summary.flags["red_packet"] == 1
    assert sum(summary.skipped.values()) == 2 and summary.service_messages == 3


def test_a_private_chat_is_refused_with_where_and_why(tmp_path) -> None:
    data = json.loads(QCE.read_text(encoding="utf-8"))
    data["chatInfo"]["type"] = "private"
    path = tmp_path / "friend.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["import", "qq-nt", str(path), "-o", str(tmp_path / "s.json"), "--lang", "en"]
    )
    assert result.exit_code == 2 and not (tmp_path / "s.json").exists()
    assert f"{path}::$.chatInfo.type: this is a private chat" in result.stderr


def test_an_odd_value_is_located(tmp_path) -> None:
    data = json.loads(QCE.read_text(encoding="utf-8"))
    data["messages"][3]["sender"] = "大刘"
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "qq-nt", str(path), "--lang", "en"])
    assert result.exit_code == 2
    assert f"{path}::$.messages[3].sender" in result.stderr and "Traceback" not in result.output


def test_a_cut_export_names_the_message_where_it_ends(tmp_path) -> None:
    text = QCE.read_text(encoding="utf-8")
    path = tmp_path / "cut.json"
    path.write_text(text[: text.index('"id": "6"')], encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "qq-nt", str(path), "--lang", "zh"])
    assert result.exit_code == 2
    assert f"{path}::$.messages[5]: JSON 在这里中断" in result.stderr


def test_another_json_is_not_taken_for_a_qq_export(tmp_path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"chats": [], "messages": []}', encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "qq-nt", str(path), "--lang", "en"])
    assert result.exit_code == 2 and "not a QQ Chat Exporter JSON export" in result.stderr


def test_auditing_the_export_itself_says_which_import_to_run() -> None:
    result = CliRunner().invoke(main, ["audit", str(QCE), "--lang", "en"])
    assert result.exit_code == 2 and "playbook import qq-nt" in result.stderr
