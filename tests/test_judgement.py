"""The judgement mechanisms: relevance by group type, severity escalated by measured harm, the
fixes of diagnosed causes first, and no stage claimed on missing data."""

from __future__ import annotations

import json
import textwrap

import pytest
from click.testing import CliRunner

from playbook.cli import main

PLAYBOOK = textwrap.dedent(
    """\
    playbook: 1
    id: judged
    title: {zh: 判断, en: Judgement}
    sections:
      naming: {weight: 1, title: {zh: 命名, en: Naming}}
      rules: {weight: 1, title: {zh: 群规, en: Rules}}
      engagement: {weight: 1, title: {zh: 活跃, en: Engagement}}
    diagnosis:
      - id: tyranny
        title: {zh: 暴政, en: Over-moderation}
        why: {zh: 管得太狠, en: Heavy-handed}
        rules: [rules.gentle]
    rules:
      - id: rules.gentle
        section: rules
        title: {zh: 不乱踢人, en: Few removals}
        why: {zh: 踢人多了没人敢说话, en: Members stop talking}
        fix: {zh: 先提醒再移出, en: Warn before removing}
        severity: medium
        effort: low
        check: {path: metrics.removal_ratio_30d, op: at_most, value: 0.05}
        escalate:
          - when: {path: metrics.removal_ratio_30d, op: at_least, value: 0.1}
            severity: critical
            because: {zh: 一个月内移出超过一成成员, en: more than a tenth of the members removed in a month}
      - id: engagement.kol
        section: engagement
        title: {zh: 培养意见领袖, en: Grow opinion leaders}
        why: {zh: 有人带节奏, en: Someone leads}
        fix: {zh: 找三个活跃成员, en: Find three active members}
        severity: high
        effort: high
        types: {notice: not_applicable, service: recommended}
        check: {path: metrics.core_member_count, op: at_least, value: 3}
      - id: naming.topic
        section: naming
        title: {zh: 群名有主题, en: Name has a topic}
        why: {zh: 找得到, en: Findable}
        fix: {zh: 改名, en: Rename}
        severity: high
        effort: low
        check: {path: group.name, op: contains, value: 运营}
    """
)


def snapshot(removed: float, kind_of_group: str | None = None, **group: object) -> dict:
    return {
        "snapshot": 1,
        "captured_at": "2026-11-20T21:00:00+08:00",
        "platform": "wechat",
        "group": {
            "name": "闲聊群",
            "stage": "growth",
            **({"type": kind_of_group} if kind_of_group else {}),
            **group,
        },
        "metrics": {"removal_ratio_30d": removed, "core_member_count": 1},
    }


@pytest.fixture
def audit(tmp_path):
    (tmp_path / "p.yaml").write_text(PLAYBOOK, encoding="utf-8")

    def run(data: dict, *args: str) -> dict:
        (tmp_path / "g.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        result = CliRunner().invoke(
            main,
            [
                "audit",
                str(tmp_path / "g.json"),
                "-p",
                str(tmp_path / "p.yaml"),
                "--today",
                "2026-11-20",
                *args,
            ],
        )
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout) if "json" in args else result.stdout

    return run


def by_rule(report: dict) -> dict:
    return {r["rule"]: r for r in report["results"]}


def test_harm_over_the_line_escalates_the_severity_and_the_report_says_why(audit):
    mild = by_rule(audit(snapshot(0.07), "-f", "json"))["rules.gentle"]
    assert (mild["status"], mild["severity"], mild["escalated"]) == ("fail", "medium", None)
    harsh_report = audit(snapshot(0.17), "-f", "json")
    harsh = by_rule(harsh_report)["rules.gentle"]
    assert harsh["severity"] == "critical" and harsh["weight"] == 10
    assert harsh["escalated"] == {
        "from": "medium",
        "to": "critical",
        "because": "more than a tenth of the members removed in a month",
    }
    assert harsh_report["score"]["capped_by"] == ["rules.gentle"] and harsh_report["score"]["grade"] in "CDF"


def test_the_escalation_is_shown_in_words(audit):
    zh = audit(snapshot(0.17), "--lang", "zh")
    assert "升级为严重：一个月内移出超过一成成员" in zh
    assert "严重问题未解决（rules.gentle），等级最高为 C" in zh


def test_a_rule_irrelevant_to_the_group_type_does_not_apply(audit):
    notice = by_rule(audit(snapshot(0.0, "notice"), "-f", "json"))["engagement.kol"]
    assert notice["status"] == "not_applicable"
    assert notice["reason"] == "not relevant to notice groups (class, parents, work)"
    service = by_rule(audit(snapshot(0.0, "service"), "-f", "json"))["engagement.kol"]
    interest = by_rule(audit(snapshot(0.0, "interest"), "-f", "json"))["engagement.kol"]
    assert (service["weight"], interest["weight"]) == (3.5, 7)


def test_a_group_without_a_type_is_judged_by_default_weights_and_told_so(audit):
    report = audit(snapshot(0.0), "-f", "json")
    assert report["snapshot"]["group_type"] is None
    assert by_rule(report)["engagement.kol"]["weight"] == 7
    assert "群类型: 未填写 — 按通用权重评分" in audit(snapshot(0.0), "--lang", "zh")
    assert "Group type: notice groups (class, parents, work)" in audit(
        snapshot(0.0, "notice"), "--lang", "en"
    )


def test_the_fix_of_a_diagnosed_cause_comes_first_and_says_what_it_treats(audit):
    report = audit(snapshot(0.07), "-f", "json")  # medium, low gain: by gain × ease it would be last
    first = report["checklist"][0]
    assert (first["rule"], first["treats"], first["group"]) == ("rules.gentle", ["tyranny"], "now")
    assert "治: 暴政" in audit(snapshot(0.07), "--lang", "zh")


def test_the_overall_is_the_weighted_mean_of_rules(audit):
    report = audit(snapshot(0.0), "-f", "json")
    # rules.gentle passes (3), engagement.kol fails (7), naming.topic fails (7): 3 / 17
    assert report["score"]["overall"] == 17.65
    assert report["report"] == 2


def test_no_stage_is_claimed_on_missing_data(tmp_path):
    data = {
        "snapshot": 1,
        "captured_at": "2026-11-20T21:00:00+08:00",
        "platform": "qq",
        "group": {"name": "测试群"},
    }
    (tmp_path / "g.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["audit", str(tmp_path / "g.json"), "-f", "json", "--today", "2026-11-20"]
    )
    report = json.loads(result.stdout)
    assert (report["stage"]["id"], report["stage"]["scored_as"]) == ("unknown", "growth")
    assert report["score"]["provisional"]


def test_a_group_known_by_its_name_alone_gets_a_score_but_no_grade(tmp_path):
    """Two rules judged of sixty cannot stand for the group: an A there would be a guess."""
    data = {
        "snapshot": 1,
        "captured_at": "2026-11-20T21:00:00+08:00",
        "platform": "qq",
        "group": {"name": "周末户外徒步交流群"},
        "members": {"source": "manual", "count": 120},
    }
    (tmp_path / "g.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    audit = ["audit", str(tmp_path / "g.json"), "--today", "2026-11-20"]
    report = json.loads(CliRunner().invoke(main, [*audit, "-f", "json"]).stdout)
    assert report["score"]["coverage"] < 0.25 and report["score"]["overall"] is not None
    assert (report["score"]["grade"], report["score"]["band"]) == (None, None)
    shown = CliRunner().invoke(main, [*audit, "--lang", "zh"]).stdout
    assert "等级 –" in shown and "数据太少，暂不评级" in shown and "至少要 25%" in shown


def test_with_a_quarter_of_the_rules_judged_the_group_is_graded(audit):
    # Two of the three rules judged: the grade stands, provisional or not.
    report = audit(snapshot(0.0), "-f", "json")
    assert report["score"]["grade"] is not None


def test_a_baseline_scored_by_the_old_model_is_said_to_be_so_not_shown_as_a_regression(tmp_path):
    from tests.ci_helpers import ALPHA, run_audit

    old = json.loads(run_audit(ALPHA, "-f", "json").stdout)
    old["report"] = 1  # as written before the overall weighed rules
    (tmp_path / "old.json").write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    table = run_audit(ALPHA, "--baseline", str(tmp_path / "old.json"), lang="zh").stdout
    assert "评分方式不同（报告版本 1 → 2）：总分和板块分的变化来自评分方式，不是群的变化" in table
    same = run_audit(ALPHA, "--baseline", str(tmp_path / "old.json"), "-f", "json").stdout
    assert json.loads(same)["baseline"]["scoring_changed"] is True
    diff = CliRunner().invoke(
        main, ["diff", str(tmp_path / "old.json"), str(tmp_path / "old.json"), "--lang", "en"]
    )
    assert "scored differently" not in diff.stdout  # the same version on both sides
