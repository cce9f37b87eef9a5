"""Rule evaluation: every status, partial credit, locations, stages, waivers."""

from __future__ import annotations

import textwrap

import pytest

from playbook.core.errors import PlaybookError
from playbook.core.report import Options, build_report
from playbook.io.documents import parse_text
from playbook.io.facts import platform_fact_table
from playbook.io.playbook_loader import load_playbook
from tests.conftest import GOOD_GROUP, MINI, TODAY, audit_data, by_rule, make_snapshot


def test_a_good_group_passes_every_rule(mini_playbook):
    data = make_snapshot(
        group=GOOD_GROUP,
        metrics={"weekly_active_ratio": 0.4},
        goals=[{"metric": "x", "target": 1}],
        members={"source": "bot", "list": [{"id": "u1", "tags": ["core"]}]},
    )
    report = audit_data(mini_playbook, data)
    assert {r["status"] for r in report["results"]} == {"pass"}
    assert report["score"] == {
        "overall": 100.0,
        "grade": "A",
        "band": "good",
        "coverage": 1.0,
        "provisional": False,
        "capped_by": [],
        "grade_cap": None,
    }
    assert report["checklist"] == []


def test_missing_data_is_unknown_never_fail(mini_playbook):
    report = audit_data(mini_playbook, make_snapshot(group={"name": "x", "stage": "growth"}))
    results = by_rule(report)
    assert results["tags.present"]["status"] == "unknown"
    assert results["tags.present"]["missing"] == ["group.tags"]
    assert results["naming.topic-keyword"]["status"] == "unknown"  # requires group.keywords
    assert results["engagement.weekly-active"]["status"] == "unknown"  # no members, no metric
    data_items = [i for i in report["checklist"] if i["group"] == "data"]
    assert {i["rule"] for i in data_items} >= {"tags.present", "naming.topic-keyword"}
    assert "provide group tags (group.tags)" in next(
        i["fix"] for i in data_items if i["rule"] == "tags.present"
    )


def test_stage_makes_a_rule_not_applicable(mini_playbook):
    group = {**GOOD_GROUP, "stage": "launch"}
    report = audit_data(mini_playbook, make_snapshot(group=group))
    result = by_rule(report)["engagement.weekly-active"]
    assert result["status"] == "not_applicable"
    assert "cold start" in result["reason"]
    assert result["weight"] == 0


def test_recommended_stage_halves_the_weight(mini_playbook):
    group = {**GOOD_GROUP, "stage": "mature"}
    report = audit_data(mini_playbook, make_snapshot(group=group, metrics={"weekly_active_ratio": 0.1}))
    result = by_rule(report)["engagement.weekly-active"]
    assert result["weight"] == 3.5  # high (7) x recommended (0.5)
    assert result["status"] == "fail"  # (0.1 - 0.05) / (0.2 - 0.05) = 0.33
    assert result["score"] == pytest.approx(0.3333, abs=1e-4)


def test_metric_curve_gives_partial_credit(mini_playbook):
    report = audit_data(mini_playbook, make_snapshot(group=GOOD_GROUP, metrics={"weekly_active_ratio": 0.14}))
    result = by_rule(report)["engagement.weekly-active"]
    assert result["status"] == "partial"
    assert result["score"] == 0.6
    assert result["evidence"] == {"actual": 0.14, "expected": 0.2}


def test_criteria_points_and_each_share(mini_playbook):
    group = {**GOOD_GROUP, "intro": "这是一个关于产品运营的交流群，每周分享案例，欢迎大家来交流经验和资源。"}
    members = {"source": "bot", "list": [{"id": "a", "tags": ["x"]}, {"id": "b"}, {"id": "c"}]}
    results = by_rule(audit_data(mini_playbook, make_snapshot(group=group, members=members)))
    assert results["intro.present"]["status"] == "partial"  # 2 of 3 points
    assert "mentions the rules" in results["intro.present"]["message"]
    assert results["tags.member-profile"]["status"] == "fail"  # 1 of 3 tagged, 50 % needed
    assert results["tags.member-profile"]["score"] == pytest.approx(0.3333, abs=1e-4)


def test_fail_carries_evidence_and_location(mini_playbook):
    data = make_snapshot(group={**GOOD_GROUP, "name": "闲聊", "tags": ["a"]})
    report = audit_data(mini_playbook, data)
    name = by_rule(report)["naming.topic-keyword"]
    assert name["status"] == "fail"
    assert (
        name["message"]
        == "Group name shown to members (group.name): found '闲聊', expected contains one of 运营"
    )
    assert name["location"] == {"pointer": "/group/name", "line": 7, "column": 13}
    tags = by_rule(report)["tags.present"]
    assert tags["location"]["pointer"] == "/group/tags"
    assert tags["evidence"] == {"actual": ["a"], "expected": 3}


def test_location_in_a_yaml_snapshot(mini_playbook):
    text = textwrap.dedent(
        """\
        snapshot: 1
        captured_at: 2026-11-20T21:00:00+08:00
        platform: qq
        group:
          name: 闲聊
          keywords: [运营]
          stage: growth
        """
    )
    document = parse_text(text, "group.yaml", "yaml")
    report = build_report(mini_playbook, document, Options(TODAY), platform_fact_table())
    assert by_rule(report)["naming.topic-keyword"]["location"] == {
        "pointer": "/group/name",
        "line": 5,
        "column": 9,
    }


def test_a_rule_that_breaks_is_an_error_result_and_the_audit_goes_on(tmp_path):
    playbook = tmp_path / "p.yaml"
    playbook.write_text(
        textwrap.dedent(
            """\
            playbook: 1
            id: broken
            title: {zh: 坏, en: broken}
            sections: {naming: {weight: 1}}
            rules:
              - id: naming.slow
                section: naming
                title: {zh: 慢, en: slow}
                severity: high
                check: {path: group.name, op: matches, value: "^(a|aa)+$"}
              - id: naming.typed
                section: naming
                title: {zh: 类型, en: typed}
                severity: low
                check: {path: group.name, op: at_least, value: 3}
            """
        ),
        encoding="utf-8",
    )
    report = audit_data(load_playbook(str(playbook)), make_snapshot(group={"name": "a" * 40 + "!"}))
    results = by_rule(report)
    assert results["naming.slow"]["status"] == "error"
    assert "timed out" in results["naming.slow"]["message"]
    assert results["naming.typed"]["status"] == "error"
    assert "expected a number" in results["naming.typed"]["message"]
    assert report["score"]["overall"] is None
    assert report["checklist"][0]["rule"] in ("naming.slow", "naming.typed")


def test_detected_stage_states_its_evidence(mini_playbook):
    group = {**GOOD_GROUP}
    del group["stage"]
    group["created_at"] = "2026-11-01"
    report = audit_data(mini_playbook, make_snapshot(group=group), lang="zh")
    assert report["stage"]["id"] == "launch"
    assert report["stage"]["source"] == "detected"
    assert report["stage"]["evidence"][0]["metric"] == "age_days"
    assert "建群天数" in report["stage"]["reason"]


def test_declared_stage_wins(mini_playbook):
    report = audit_data(mini_playbook, make_snapshot(group={**GOOD_GROUP, "created_at": "2026-11-01"}))
    assert report["stage"]["id"] == "growth" and report["stage"]["source"] == "declared"


def test_waivers_active_and_expired(tmp_path):
    playbook = tmp_path / "p.yaml"
    playbook.write_text(
        textwrap.dedent(
            f"""\
            playbook: 1
            id: waived
            title: {{zh: 豁免, en: waived}}
            extends: ["{MINI.as_posix()}"]
            waivers:
              - {{rule: tags.present, reason: 标签下周补, owner: ops-lead, expires: "2026-12-31"}}
              - {{rule: naming.topic-keyword, reason: 老群名, owner: ops-lead, expires: "2026-01-31"}}
            """
        ),
        encoding="utf-8",
    )
    data = make_snapshot(group={**GOOD_GROUP, "name": "闲聊", "tags": []})
    report = audit_data(load_playbook(str(playbook)), data)
    results = by_rule(report)
    assert results["tags.present"]["status"] == "waived"
    assert results["naming.topic-keyword"]["status"] == "fail"
    assert [i["rule"] for i in report["checklist"] if i["group"] == "waiver"] == ["naming.topic-keyword"]
    assert [w["expired"] for w in report["waivers"]] == [False, True]
    unwaived = audit_data(load_playbook(str(playbook)), data, use_waivers=False)
    assert by_rule(unwaived)["tags.present"]["status"] == "fail"


def test_privacy_member_values_are_shown_as_counts(tmp_path):
    playbook = _one_rule(
        tmp_path,
        "rules.owner-named",
        """{path: "members.list[?role=='owner'].name | [0]", op: equals, value: 张三}""",
    )
    data = make_snapshot(members={"source": "bot", "list": [{"id": "u1", "name": "李四", "role": "owner"}]})
    report = audit_data(playbook, data)
    assert "李四" not in by_rule(report)["rules.owner-named"]["message"]


def test_a_message_spells_values_as_the_files_do(tmp_path):
    playbook = _one_rule(
        tmp_path, "rules.confirm", "{path: group.join_policy.invite_confirmation, op: equals, value: true}"
    )
    data = make_snapshot(group={"name": "x", "join_policy": {"invite_confirmation": False}})
    message = by_rule(audit_data(playbook, data))["rules.confirm"]["message"]
    assert "found false, expected equal to true" in message


def test_missing_metric_data_names_what_the_metric_is_computed_from(tmp_path):
    playbook = _one_rule(tmp_path, "rules.admins", "{path: metrics.admin_count, op: at_least, value: 2}")
    data = make_snapshot(members={"source": "export", "list": [{"id": "u1", "name": "李四"}]})
    chinese = by_rule(audit_data(playbook, data, lang="zh"))["rules.admins"]
    english = by_rule(audit_data(playbook, data))["rules.admins"]
    assert chinese["status"] == "unknown"
    assert (
        chinese["message"]
        == "缺少数据，请提供: 管理员数 (metrics.admin_count)（由 角色 (members.list[].role) 算出）"
    )
    assert (
        english["message"]
        == "missing data: provide admins (metrics.admin_count), computed from role (members.list[].role)"
    )


def test_a_message_names_a_field_without_the_rest_of_its_description(tmp_path):
    # The schema describes join_policy.mode as "入群方式：open 自由加入 | approval 需审核 | …".
    playbook = _one_rule(tmp_path, "rules.mode", "{path: group.join_policy.mode, op: not_in, value: [open]}")
    data = make_snapshot(group={"name": "x", "join_policy": {"mode": "open"}})
    chinese = by_rule(audit_data(playbook, data, lang="zh"))["rules.mode"]["message"]
    english = by_rule(audit_data(playbook, data))["rules.mode"]["message"]
    assert chinese.startswith("入群方式 (group.join_policy.mode): 实际为")
    assert english.startswith("How people join (group.join_policy.mode): found")


@pytest.mark.parametrize(
    ("check", "zh", "en"),
    [
        ("{path: group.rules, op: length_at_least, value: 3}", "实际为 1 项，", "found 1 item,"),
        ("{path: members.list, op: length_at_least, value: 500}", "实际为 2 项，", "found 2 items,"),
    ],
)
def test_a_list_too_long_or_private_to_spell_out_is_counted_in_words(tmp_path, check, zh, en):
    playbook = _one_rule(tmp_path, "rules.count", check)
    data = make_snapshot(
        group={"name": "x", "rules": [{"id": "no-ads", "text": "请勿发广告"}]},
        members={"source": "bot", "list": [{"id": "u1", "name": "李四"}, {"id": "u2", "name": "王五"}]},
    )
    chinese = by_rule(audit_data(playbook, data, lang="zh"))["rules.count"]
    english = by_rule(audit_data(playbook, data))["rules.count"]
    assert zh in chinese["message"] and en in english["message"]
    assert "李四" not in chinese["message"] + english["message"]


def test_a_condition_label_says_in_words_what_a_regex_requires(tmp_path):
    label = "label: {zh: 不是默认名, en: not a default name}"
    playbook = _one_rule(
        tmp_path, "rules.named", f"{{path: group.name, op: not_matches, value: '^群聊$', {label}}}"
    )
    data = make_snapshot(group={"name": "群聊"})
    chinese = by_rule(audit_data(playbook, data, lang="zh"))["rules.named"]
    english = by_rule(audit_data(playbook, data))["rules.named"]
    assert chinese["message"].endswith("实际为 '群聊'，要求不是默认名")
    assert english["message"].endswith("found '群聊', expected not a default name")
    assert english["evidence"] == {"actual": "群聊", "expected": "^群聊$"}  # the data stays the data


def test_a_condition_label_must_be_bilingual(tmp_path):
    with pytest.raises(PlaybookError) as caught:
        _one_rule(tmp_path, "rules.named", "{path: group.name, op: not_matches, value: '^x$', label: 默认名}")
    assert "label" in caught.value.render("en")


def _one_rule(tmp_path, rule_id: str, check: str):
    """A playbook of one rule in the `rules` section, with this `check:`."""
    path = tmp_path / "p.yaml"
    path.write_text(
        textwrap.dedent(
            f"""\
            playbook: 1
            id: one-rule
            title: {{zh: 一条规则, en: one rule}}
            sections: {{rules: {{weight: 1}}}}
            rules:
              - id: {rule_id}
                section: rules
                title: {{zh: 规则, en: rule}}
                severity: low
                check: {check}
            """
        ),
        encoding="utf-8",
    )
    return load_playbook(str(path))
