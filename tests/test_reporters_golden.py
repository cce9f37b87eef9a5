"""Every output format on the fixed CI fixture, against golden files (PLAYBOOK_REGEN_GOLDEN=1)."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.ci_helpers import ALPHA, BETA, CI, GAMMA, ROOT, check_golden, run_audit

REPORT_SCHEMA = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize(
    ("fmt", "lang", "golden"),
    [
        ("json", "en", "alpha.json"),
        ("table", "en", "alpha.table.txt"),
        ("table", "zh", "alpha.table.zh.txt"),
        ("sarif", "en", "alpha.sarif"),
        ("junit", "en", "alpha.junit.xml"),
        ("github", "en", "alpha.github.txt"),
        ("markdown", "en", "alpha.md"),
        ("markdown", "zh", "alpha.zh.md"),
    ],
)
def test_one_group_in_every_format(fmt, lang, golden):
    result = run_audit(ALPHA, "-f", fmt, lang=lang)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    check_golden(golden, result.stdout)


@pytest.mark.parametrize(
    ("fmt", "lang", "golden"),
    [
        ("table", "en", "groups.table.txt"),
        ("table", "zh", "groups.table.zh.txt"),
        ("markdown", "en", "groups.md"),
        ("markdown", "zh", "groups.zh.md"),
        ("junit", "en", "groups.junit.xml"),
    ],
)
def test_a_folder_of_groups(fmt, lang, golden):
    result = run_audit(str(CI / "groups"), "-f", fmt, lang=lang)
    assert result.exit_code == 0, result.stderr
    check_golden(golden, result.stdout)


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_a_chinese_summary_names_each_stage_in_chinese(fmt):
    result = run_audit(str(CI / "groups"), "-f", fmt, lang="zh")
    assert result.exit_code == 0, result.stderr
    reports = json.loads(run_audit(str(CI / "groups"), "-f", "json").stdout)["reports"]
    stages = {report["stage"]["id"] for report in reports}
    names = {
        "launch": "冷启动期",
        "growth": "热运营期",
        "mature": "自生长期",
        "declining": "衰退期",
        "planning": "筹备期",
    }
    assert stages <= names.keys()
    for stage in stages:
        assert names[stage] in result.stdout


def test_the_details_flag_adds_each_report_after_the_summary():
    summary = run_audit(str(CI / "groups")).stdout
    details = run_audit(str(CI / "groups"), "--details").stdout
    assert details.startswith(summary)
    for name in ("周末闲聊群", "运营交流", "运营读书会"):
        assert details.count(name) >= 2
    assert run_audit(str(CI / "groups"), "-v").stdout.startswith(summary)


@pytest.mark.parametrize("paths", [[ALPHA], [ALPHA, BETA, GAMMA]])
def test_the_json_report_validates_against_its_schema(paths):
    payload = json.loads(run_audit(*paths, "-f", "json").stdout)
    reports = payload.get("reports", [payload])
    assert len(reports) == len(paths)
    for report in reports:
        jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(report)


@pytest.mark.parametrize(
    ("fmt", "lang", "note"),
    [
        ("table", "en", "* provisional: too little data (coverage below 80%, or a critical rule lacks data)"),
        ("table", "zh", "* 数据不足，结果仅供参考（数据覆盖率低于 80%，或有严重规则缺数据）"),
        (
            "markdown",
            "en",
            "\\* provisional: too little data (coverage below 80%, or a critical rule lacks data)",
        ),
    ],
)
def test_a_summary_says_what_the_grades_star_means_when_a_row_has_one(fmt, lang, note):
    examples = ROOT / "examples"
    groups = [str(examples / "telegram-export.yaml"), str(examples / "qq-interest-healthy.yaml")]
    with_star = run_audit(*groups, "-f", fmt, playbook=None, lang=lang).stdout  # the built-in playbooks
    assert "C*" in with_star and with_star.count(note) == 1
    without = run_audit(str(CI / "groups"), "-f", fmt, lang=lang).stdout
    assert "*" not in without.replace("**", "")


def test_an_html_summary_explains_the_star_too():
    examples = ROOT / "examples"
    groups = [str(examples / "telegram-export.yaml"), str(examples / "qq-interest-healthy.yaml")]
    page = run_audit(*groups, "-f", "html", playbook=None).stdout
    summary = page[page.index('<table class="summary-table">') :]
    assert summary.index("<td>C*</td>") < summary.index('<p class="note">Provisional grade (*)')
