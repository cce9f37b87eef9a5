"""The words the tool shows for a fixed value (`init --lang zh` comments, reports) are read back as it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from playbook.cli import main
from playbook.core.resources import load_schema
from playbook.core.value_labels import value_labels
from tests.conftest import make_snapshot


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def written(tmp_path, **parts) -> str:
    path = tmp_path / "group.json"
    path.write_text(json.dumps(make_snapshot(**parts), ensure_ascii=False, indent=2), encoding="utf-8")
    return str(path)


def chinese_group(**group):
    return {"id": "g1", "name": "运营交流群", "created_at": "2026-06-01", **group}


def test_roles_incidents_and_platform_in_chinese_are_read_as_their_values(tmp_path):
    path = written(
        tmp_path,
        platform="微信",
        group=chinese_group(type="团购", join_policy={"mode": "需审核"}),
        members={
            "source": "手工",
            "list": [
                {"id": "u1", "name": "阿明", "role": "群主"},
                {"id": "u2", "name": "小红", "role": "管理员"},
                *({"id": f"u{i}", "name": f"成员{i}", "role": "成员"} for i in range(3, 8)),
            ],
        },
        moderation={"incidents": [{"at": "2026-11-10T10:00:00+08:00", "kind": "广告", "action": "禁言"}]},
    )
    result = run("--lang", "zh", "validate", path)
    assert result.exit_code == 0, result.output
    for word, value in [
        ("微信", "wechat"),
        ("团购", "trade"),
        ("需审核", "approval"),
        ("群主", "owner"),
        ("管理员", "admin"),
        ("广告", "ad"),
        ("禁言", "mute"),
    ]:
        assert f"'{word}' 按 {value} 读取" in result.stderr
    # said once per word, not once per member
    assert result.stderr.count("'成员' 按 member 读取") == 1 and "另有 4 处" in result.stderr


def test_the_audit_counts_a_role_written_in_chinese_as_the_role(tmp_path):
    members = {"source": "manual", "list": [{"id": "u1", "name": "阿明", "role": "管理员"}]}
    chinese = run(
        "--lang", "en", "audit", written(tmp_path, members=members), "-f", "json", "--today", "2026-11-20"
    )
    members["list"][0]["role"] = "admin"
    (tmp_path / "b").mkdir()
    plain = run(
        "--lang",
        "en",
        "audit",
        written(tmp_path / "b", members=members),
        "-f",
        "json",
        "--today",
        "2026-11-20",
    )
    assert chinese.exit_code == plain.exit_code == 0
    assert "'管理员' read as admin" in chinese.stderr
    assert json.loads(chinese.stdout)["metrics"] == json.loads(plain.stdout)["metrics"]


def test_a_word_close_to_a_label_is_refused_with_the_value_meant(tmp_path):
    members = {"source": "manual", "list": [{"id": "u1", "name": "阿明", "role": "管理"}]}
    result = run("--lang", "zh", "validate", written(tmp_path, members=members))
    assert result.exit_code == 1  # validate's answer for a file with problems
    assert "不在可选范围内" in result.output and "你是不是想写 'admin'" in result.output


def test_a_valid_snapshot_says_nothing_more(tmp_path):
    result = run("--lang", "en", "validate", written(tmp_path))
    assert result.exit_code == 0 and "read as" not in result.stderr


def test_every_listed_word_of_the_schema_descriptions_names_a_value():
    """The comments `init` writes are these descriptions: each word they list is in the table."""
    table = value_labels()
    role = table[("members", "list", "*", "role")]
    assert role == {"群主": "owner", "管理员": "admin", "成员": "member", "机器人": "bot"}
    kinds = load_schema("snapshot")["$defs"]["incident"]["properties"]["kind"]
    assert set(table[("moderation", "incidents", "*", "kind")].values()) == set(kinds["enum"])


@pytest.mark.parametrize("word", ["群主", "管理员", "成员", "群成员", "机器人"])
def test_the_roster_reads_the_same_role_words(word):
    from playbook.importers.roster import ROLES

    assert ROLES[word] in ("owner", "admin", "member", "bot")
