"""`import … --settings`: the hand-kept settings and the export make one snapshot, by a stated precedence."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from playbook.cli import main

SAMPLES = Path(__file__).parent.parent / "examples" / "exports"
DECEMBER = """消息记录（此消息记录为文本格式，不支持重新导入）

================================================================
消息分组:我的群聊
================================================================
消息对象:周末读书会
================================================================

2026-12-05 20:00:00 【群主】林老师(80001)
第三章讨论开始。

2026-12-06 10:00:00 新朋友(80009)
大家好，我是新来的。
"""


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)], env={"PLAYBOOK_LANG": "en"})


def settings_copy(tmp_path: Path, **changes) -> Path:
    data = yaml.safe_load((SAMPLES / "group.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / "group.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_monthly_reimport_keeps_every_hand_edit_and_replaces_every_number(tmp_path):
    settings = SAMPLES / "group.yaml"
    hand = yaml.safe_load(settings.read_text(encoding="utf-8"))
    november = run(
        "import", "qq", SAMPLES / "qq-legacy.txt", "--settings", settings, "-o", tmp_path / "11.yaml"
    )
    (tmp_path / "december.txt").write_text(DECEMBER, encoding="utf-8")
    december = run(
        "import", "qq", tmp_path / "december.txt", "--settings", settings, "-o", tmp_path / "12.yaml"
    )
    assert november.exit_code == december.exit_code == 0, december.output
    first, second = (yaml.safe_load((tmp_path / f"{m}.yaml").read_text(encoding="utf-8")) for m in (11, 12))
    for snapshot in (first, second):
        assert snapshot["group"]["intro"] == hand["group"]["intro"]
        assert snapshot["group"]["name"] == "【读书】周末读书会"  # the hand-written name, not the export's
        assert snapshot["group"]["join_policy"]["mode"] == "question"
        assert snapshot["members"]["count"] == 48 and snapshot["goals"] == hand["goals"]
        assert snapshot["members"]["source"] == "export"
    assert first["activity"]["daily"][-1]["date"] == "2026-11-14"
    assert second["activity"]["daily"][-1]["date"] == "2026-12-06"
    assert [m["id"] for m in second["members"]["list"]] == ["80001", "80009"]
    owner = second["members"]["list"][0]
    assert owner["role"] == "owner" and owner["tags"] == ["core"] and owner["messages_total"] == 1
    assert run("audit", tmp_path / "12.yaml", "--today", "2026-12-07").exit_code == 0
    assert "1 of the settings file's members is not in the export (e.g. 80002)" in december.stderr


def test_measured_parts_in_the_settings_file_are_replaced_and_said(tmp_path):
    settings = settings_copy(
        tmp_path,
        activity={"daily": [{"date": "2020-01-01", "messages": 999}]},
        captured_at="2020-01-01T00:00:00+08:00",
    )
    result = run(
        "import", "qq", SAMPLES / "qq-legacy.txt", "--settings", settings, "-o", tmp_path / "out.json"
    )
    assert result.exit_code == 0, result.output
    snapshot = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert snapshot["captured_at"] == "2026-11-14T22:10:09+08:00"
    assert all(row["messages"] != 999 for row in snapshot["activity"]["daily"])
    assert f"activity in {settings} is measured again from the export; the export's is used" in result.stderr


def test_settings_of_another_platform_stop_the_import(tmp_path):
    result = run(
        "import",
        "wechat",
        SAMPLES / "wechat-weflow.json",
        "--settings",
        SAMPLES / "group.yaml",
        "-o",
        tmp_path / "out.yaml",
    )
    assert result.exit_code == 2 and not (tmp_path / "out.yaml").exists()
    assert (
        f"{SAMPLES / 'group.yaml'}:9:11: the settings say platform 'qq', the export is from wechat"
        in result.stderr
    )


def test_a_wrong_value_in_the_settings_file_is_located_there_and_nothing_is_written(tmp_path):
    settings = tmp_path / "group.yaml"
    settings.write_text(
        "platform: qq\ngroup:\n  name: 读书会\n  type: bookclub\nmembers:\n  count: 四十\n", encoding="utf-8"
    )
    result = run(
        "import", "qq", SAMPLES / "qq-legacy.txt", "--settings", settings, "-o", tmp_path / "out.yaml"
    )
    assert result.exit_code == 2 and not (tmp_path / "out.yaml").exists()
    assert f"{settings}:4:9: $.group.type: 'bookclub' is not one of:" in result.stderr
    assert f"{settings}:6:10: $.members.count: '四十' is not a whole number" in result.stderr


def test_yaml_or_json_by_the_name_of_the_output(tmp_path):
    for name in ("a.yaml", "b.yml", "c.json"):
        assert run("import", "qq", SAMPLES / "qq-legacy.txt", "-o", tmp_path / name).exit_code == 0
    assert yaml.safe_load((tmp_path / "a.yaml").read_text(encoding="utf-8")) == json.loads(
        (tmp_path / "c.json").read_text(encoding="utf-8")
    )
    assert not (tmp_path / "b.yml").read_text(encoding="utf-8").lstrip().startswith("{")


def test_without_settings_the_next_step_says_how_to_keep_them(tmp_path):
    result = run("import", "qq", SAMPLES / "qq-legacy.txt", "-o", tmp_path / "out.json")
    assert "missing: group.intro, group.rules, group.tags, members.count" in result.stderr
    assert "import again with --settings group.yaml" in result.stderr


def test_the_settings_time_zone_reads_the_export_unless_tz_is_given(tmp_path):
    settings = settings_copy(tmp_path, timezone="Europe/Berlin")
    result = run("import", "qq", SAMPLES / "qq-legacy.txt", "--settings", settings, "-o", tmp_path / "a.json")
    assert result.exit_code == 0, result.output
    snapshot = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert snapshot["timezone"] == "Europe/Berlin" and snapshot["captured_at"] == "2026-11-14T22:10:09+01:00"
    assert "timezone" not in result.stderr  # the same zone: nothing to say
    given = run(
        "import",
        "qq",
        SAMPLES / "qq-legacy.txt",
        "--settings",
        settings,
        "--tz",
        "Asia/Shanghai",
        "-o",
        tmp_path / "b.json",
    )
    assert json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["captured_at"].endswith("+08:00")
    assert "timezone in" in given.stderr  # the file said otherwise: said once


def test_the_settings_file_may_use_the_words_the_tool_shows(tmp_path):
    data = yaml.safe_load((SAMPLES / "group.yaml").read_text(encoding="utf-8"))
    data["group"]["join_policy"]["mode"] = "回答问题"
    data["members"]["list"][1]["role"] = "管理员"
    settings = settings_copy(tmp_path, group=data["group"], members=data["members"])
    result = run(
        "import", "qq-nt", SAMPLES / "qq-nt.json", "--settings", settings, "-o", tmp_path / "out.json"
    )
    assert result.exit_code == 0, result.output
    snapshot = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert snapshot["group"]["join_policy"]["mode"] == "question"
    assert next(m for m in snapshot["members"]["list"] if m["id"] == "80002")["role"] == "admin"
    assert "'回答问题' read as question" in result.stderr and "'管理员' read as admin" in result.stderr
