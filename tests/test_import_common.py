"""What all importers share: the roster merge, options, and the import command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook.cli import main
from playbook.core.errors import PlaybookError
from playbook.importers import IMPORTERS, run_import
from playbook.io.documents import read_document
from playbook.io.recognize import recognize_export
from tests.import_helpers import FIXTURES, assert_valid

QQ = FIXTURES / "qq_export.txt"
ROSTER = FIXTURES / "roster.csv"


def test_roster_decides_the_list_and_export_adds_statistics() -> None:
    snap, summary = run_import("qq", [QQ], roster=ROSTER)
    assert_valid(snap)
    assert snap["members"]["source"] == "manual"
    assert snap["members"]["list"] == [
        {
            "id": "10001",
            "name": "阿明",
            "role": "owner",
            "joined_at": "2024-01-01T00:00:00+08:00",
            "first_active_at": "2024-05-01T09:05:00+08:00",
            "last_active_at": "2024-05-03T13:00:00+08:00",
            "messages_7d": 3,
            "messages_30d": 3,
            "messages_total": 3,
        },
        {
            "id": "10003",
            "name": "小刚",
            "role": "admin",
            "joined_at": "2024-03-01T00:00:00+08:00",
            "first_active_at": "2024-05-02T20:43:38+08:00",
            "last_active_at": "2024-05-02T20:43:38+08:00",
            "messages_7d": 1,
            "messages_30d": 1,
            "messages_total": 1,
        },
        {
            "id": "99999",
            "name": "潜水员",
            "role": "member",
            "messages_7d": 0,
            "messages_30d": 0,
            "messages_total": 0,
        },
        {
            "id": "0012345",
            "name": "名字(带(嵌套)括号)",
            "first_active_at": "2024-05-01T21:15:00+08:00",
            "last_active_at": "2024-05-01T21:15:00+08:00",
            "messages_7d": 1,
            "messages_30d": 1,
            "messages_total": 1,
        },
    ]
    assert summary.members == 4
    assert "1 speakers are not in the roster roster.csv" in summary.render("en")
    assert "小红 (xiaohong@example.com)" in summary.render("zh")


@pytest.mark.parametrize(
    ("content", "where", "expected"),
    [
        ("name,role\n阿明,owner\n", 1, "lacks the column(s) id; found: name, role"),
        ("id,name,role\n1,阿明,boss\n", 2, "role 'boss' is not one of owner, admin, member, bot"),
        ("id,name,joined_at\n1,阿明,yesterday\n", 2, "joined_at 'yesterday' is not a date"),
        ("id,name\n,阿明\n", 2, "this row has no id"),
    ],
)
def test_bad_roster(tmp_path, content: str, where: int, expected: str) -> None:
    roster = tmp_path / "members.csv"
    roster.write_text(content, encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        run_import("qq", [QQ], roster=roster)
    assert str(caught.value.problems[0].where) == f"{roster}:{where}"
    assert expected in caught.value.render("en")


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("tz", "Mars/Base", "unknown time zone 'Mars/Base'"),
        ("captured_at", "soon", "'soon' is not an ISO 8601 time"),
    ],
)
def test_bad_options(option: str, value: str, expected: str) -> None:
    with pytest.raises(PlaybookError) as caught:
        run_import("qq", [QQ], **{option: value})
    assert expected in caught.value.render("en")


def test_registry_names_are_the_cli_choices() -> None:
    assert list(IMPORTERS) == ["telegram", "qq", "qq-nt", "wechat", "wechat-csv", "wechat-json", "discord"]


def test_cli_writes_the_snapshot_and_a_summary(tmp_path) -> None:
    out = tmp_path / "snapshot.json"
    result = CliRunner().invoke(main, ["import", "qq", str(QQ), "-o", str(out), "--lang", "en", "--messages"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "read 9 records: 6 member messages, 3 service messages, 0 skipped" in result.stderr
    assert "encoding: UTF-8" in result.stderr
    assert result.stderr.endswith(f"then run\n  playbook audit {out}\n")  # what an export lacks, what next
    assert "(missing: group.intro, group.rules, group.tags, members.count)" in result.stderr
    snap = json.loads(out.read_text(encoding="utf-8"))
    assert_valid(snap)
    assert len(snap["activity"]["messages"]) == 9


def test_cli_prints_to_stdout_without_output() -> None:
    result = CliRunner().invoke(
        main, ["import", "telegram", str(FIXTURES / "telegram_single.json"), "--lang", "zh"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["platform"] == "telegram"
    assert "读取 10 条记录" in result.stderr
    assert "下一步" not in result.stderr  # the snapshot went down a pipe: no file to name


def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path) -> None:
    broken = tmp_path / "result.json"
    broken.write_bytes((FIXTURES / "telegram_single.json").read_bytes()[:900])
    out = tmp_path / "snapshot.json"
    result = CliRunner().invoke(main, ["import", "telegram", str(broken), "-o", str(out), "--lang", "en"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"{broken}::$.messages[")
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == [broken]  # no snapshot, no temporary file


def test_cli_unknown_format_is_a_usage_error(tmp_path) -> None:
    result = CliRunner().invoke(main, ["import", "whatsapp", str(QQ)])
    assert result.exit_code == 2
    assert "telegram" in result.stderr and "discord" in result.stderr


@pytest.mark.parametrize(
    ("export", "fmt", "what"),
    [
        ("telegram_single.json", "telegram", "a Telegram Desktop chat export"),
        ("telegram_full.json", "telegram", "a Telegram Desktop chat export"),
        ("discord/general.json", "discord", "a DiscordChatExporter channel export"),
        ("wechat_weflow.json", "wechat", "a WeChat chat export (WeFlow/EchoTrace JSON)"),
        ("wechat_memotrace_utf8.csv", "wechat", "a WeChat chat export (MemoTrace CSV)"),
        ("qq_export.txt", "qq", "a QQ message manager export"),
    ],
)
def test_auditing_an_export_says_to_import_it_first(export: str, fmt: str, what: str) -> None:
    path = str(FIXTURES / export)
    result = CliRunner().invoke(main, ["audit", path, "--lang", "en"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"{path}: this is {what}, not a group snapshot\n"
        f"  hint: turn it into a snapshot first: playbook import {fmt} {path} -o group.json, "
        "then run playbook audit group.json\n"
    )


def test_no_snapshot_is_taken_for_an_export() -> None:
    root = Path(__file__).resolve().parents[1]
    files = [
        *root.glob("examples/*.yaml"),
        *root.glob("tests/fixtures/snapshots/*.*"),
        *root.glob("tests/fixtures/ci/groups/**/*.*"),
    ]
    snapshots = [read_document(path).data for path in files]
    snapshots += [
        run_import(fmt, [FIXTURES / name], include_messages=True)[0]
        for fmt, name in [
            ("telegram", "telegram_single.json"),
            ("qq", "qq_export.txt"),
            ("wechat", "wechat_weflow.json"),
        ]
    ]
    assert len(snapshots) > 10
    for snapshot in snapshots:
        assert recognize_export(snapshot) is None, snapshot.get("group")
