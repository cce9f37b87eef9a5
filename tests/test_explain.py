"""`playbook explain`: a rule's description, and its evaluation trace on a snapshot."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from playbook.cli import main
from tests.conftest import MINI, make_snapshot


def explain(*args: str):
    return CliRunner().invoke(main, ["explain", *args, "-p", str(MINI), "--lang", "en"])


def snapshot_file(tmp_path, **parts):
    path = tmp_path / "group.json"
    path.write_text(json.dumps(make_snapshot(**parts), ensure_ascii=False), encoding="utf-8")
    return str(path)


def group(**fields):
    return {"id": "g1", "name": "运营交流群", "stage": "growth", **fields}


def test_without_snapshot_describes_the_rule():
    result = explain("tags.present")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("tags.present — Enough tags\n")
    for line in (
        "severity: medium",
        "stages: required at every stage",
        "platforms: all",
        "params: min_tags = 3",
    ):
        assert line in result.stdout
    assert f"defined at: {MINI}:31:5" in result.stdout
    assert "Set at least 3 tags" in result.stdout
    assert "Evaluation" not in result.stdout


def test_pass(tmp_path):
    result = explain("tags.present", snapshot_file(tmp_path, group=group(tags=["a", "b", "c"])))
    assert result.exit_code == 0, result.stderr
    assert "✓ group.tags length_at_least → length at least 3 — found [a, b, c]" in result.stdout.replace(
        "'", ""
    )
    assert "result: pass · score 1.00" in result.stdout


def test_fail(tmp_path):
    result = explain("tags.present", snapshot_file(tmp_path, group=group(tags=["a"])))
    assert result.exit_code == 0, result.stderr
    assert "✗ group.tags length_at_least → length at least 3 — found ['a']" in result.stdout
    assert "result: fail · score 0.00" in result.stdout
    assert "why: Group tags (group.tags): found ['a'], expected length at least 3" in result.stdout


def test_unknown(tmp_path):
    result = explain("tags.present", snapshot_file(tmp_path, group=group()))
    assert result.exit_code == 0, result.stderr
    assert "? group.tags length_at_least → length at least 3 — found null" in result.stdout
    assert "result: unknown" in result.stdout
    assert "why: missing data: provide group tags (group.tags)" in result.stdout


def test_not_applicable_stops_at_the_stage(tmp_path):
    result = explain("engagement.weekly-active", snapshot_file(tmp_path, group=group(stage="launch")))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "✗ stage cold start (launch): not listed" in out
    assert "(later steps are not reached)" in out
    assert "metric metrics.weekly_active_ratio" not in out
    assert "result: not applicable (not_applicable)" in out
    assert "why: not relevant at this stage (cold start)" in out


def test_requires_and_criteria(tmp_path):
    result = explain("intro.present", snapshot_file(tmp_path, group=group(intro="闲聊群，请遵守群规")))
    out = result.stdout
    assert "✓ requires group.intro: '闲聊群，请遵守群规'" in out
    assert "✗ 30+ characters (2 points):" in out
    assert "✓ mentions the rules (1 points):" in out
    assert "result: fail · score 0.33" in out


def test_each_shows_failing_items_without_member_texts(tmp_path):
    members = {"source": "bot", "list": [{"id": "a", "tags": ["x"]}, {"id": "b"}, {"id": "c", "tags": []}]}
    result = explain("tags.member-profile", snapshot_file(tmp_path, members=members))
    out = result.stdout
    assert "each members.list: 3 items, mostly 0.5" in out
    assert "1/3 pass" in out
    assert "[1]:" in out and "[2]:" in out
    assert "result: fail" in out


def test_metric_shows_the_curve(tmp_path):
    result = explain(
        "engagement.weekly-active",
        snapshot_file(tmp_path, group=group(), metrics={"weekly_active_ratio": 0.15}),
    )
    out = result.stdout
    assert "metric metrics.weekly_active_ratio = 0.15" in out
    assert "    linear: fail_at 0.05, pass_at 0.2\n" in out  # only the bounds the curve has: no "target None"
    assert "curve score: 0.67" in out
    assert "result: partial · score 0.67" in out


def test_unknown_rule_suggests_and_exits_2():
    result = explain("tags.presnt")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no rule 'tags.presnt' in this playbook" in result.stderr
    assert "hint: did you mean 'tags.present'?" in result.stderr


def test_chinese_labels(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "explain",
            "tags.present",
            snapshot_file(tmp_path, group=group(tags=["a"])),
            "-p",
            str(MINI),
            "--lang",
            "zh",
        ],
    )
    assert result.exit_code == 0
    out = result.stdout
    assert "评估过程" in out and "结果: 未通过 (fail) · 得分 0.00" in out
    assert "严重度: 中 (medium)" in out and "工作量: 中 (medium)" in out
    assert "阶段: 所有阶段都必需" in out


def test_chinese_stage_names(tmp_path):
    snapshot = snapshot_file(tmp_path, group=group(stage="launch"))
    args = ["explain", "engagement.weekly-active", snapshot, "-p", str(MINI), "--lang", "zh"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "阶段: 必需: 热运营期 · 建议: 自生长期" in out
    assert "✗ 阶段 冷启动期 (launch): 不适用" in out
    assert "结果: 不适用 (not_applicable)" in out
    assert "原因: 当前阶段（冷启动期）不适用" in out


@pytest.mark.parametrize("rule", ["naming.topic-keyword", "rules.present", "lifecycle.goals"])
def test_every_scorer_kind_explains_without_error(tmp_path, rule):
    result = explain(rule, snapshot_file(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert "result: " in result.stdout
