"""What CI systems show of an audit: GitHub's annotation cap and job summary, SARIF suppressions and
fingerprints that survive edits, GitLab Code Quality checked against its documented shape."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from tests.ci_helpers import ALPHA, BETA, GAMMA, ROOT, SARIF_SCHEMA, run_audit

GITLAB_SCHEMA = ROOT / "tests" / "fixtures" / "schemas" / "gitlab-codequality.schema.json"
ANNOTATION = re.compile(r"^::(error|warning|notice) (.*?)::(.*)$")


def many_groups(folder: Path, count: int, name: str | None = None) -> Path:
    """`count` copies of the alpha group, each with its own id (and `name`, when given)."""
    text = (ROOT / ALPHA).read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        copy = text.replace('id: "1001"', f'id: "{2000 + index}"')
        if name is not None:
            copy = copy.replace(
                "name: 周末闲聊群（广州本地生活交流分享）", f"name: {json.dumps(name, ensure_ascii=False)}"
            )
        (folder / f"g{index:02}.yaml").write_text(copy, encoding="utf-8")
    return folder


def annotations(text: str) -> list[tuple[str, str, str]]:
    return [ANNOTATION.match(line).groups() for line in text.splitlines()]  # type: ignore[union-attr]


# ── GitHub ──────────────────────────────────────────────────────────────────


def test_github_shows_ten_of_each_type_worst_first_and_counts_the_rest(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    folder = many_groups(tmp_path / "groups", 6)
    every = json.loads(run_audit(str(folder), "-f", "json").stdout)["reports"]
    findings = [
        r
        for report in every
        for r in report["results"]
        if r["status"] in ("fail", "partial", "unknown", "error")
    ]
    result = run_audit(str(folder), "-f", "github")
    shown = annotations(result.stdout)
    kinds = [kind for kind, _, _ in shown]
    assert kinds.count("error") == 10 and kinds.count("warning") <= 10 and kinds.count("notice") <= 10
    assert kinds == sorted(kinds, key=["error", "warning", "notice"].index)  # errors first
    last = shown[-1]
    assert last[0] == "notice" and last[1] == "title=playbook"
    left_out = int(re.match(r"(\d+) more annotations left out", last[2]).group(1))  # type: ignore[union-attr]
    assert left_out == len(findings) - (len(shown) - 1)
    severities = {r["rule"]: r["severity"] for r in findings}
    order = ["critical", "high", "medium", "low", "info"]
    errors = [re.search(r"title=([^ ]+) ", props).group(1) for kind, props, _ in shown if kind == "error"]  # type: ignore[union-attr]
    ranks = [order.index(severities[rule]) for rule in errors]
    assert ranks == sorted(ranks), "the worst errors come first"


def test_github_says_the_left_out_count_in_chinese(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = run_audit(str(many_groups(tmp_path / "groups", 6)), "-f", "github", lang="zh")
    assert re.search(
        r"::另有 \d+ 条标注未显示（GitHub 每个步骤每种类型只显示 10 条）", result.stdout.splitlines()[-1]
    )


def test_few_findings_are_all_shown_without_a_count(monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    shown = annotations(run_audit(ALPHA, "-f", "github").stdout)
    assert all(props != "title=playbook" for _, props, _ in shown)


def test_job_summary_is_appended_when_github_asks_for_it(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_audit(ALPHA, BETA, GAMMA, "-f", "github")
    assert result.exit_code in (0, 1), result.output
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# earlier step\n## playbook audit\n")
    assert "| 周末闲聊群（广州本地生活交流分享） | `tests/fixtures/ci/groups/alpha.yaml` |" in text
    report = json.loads(run_audit(ALPHA, "-f", "json").stdout)
    severity = next(r["severity"] for r in report["results"] if r["rule"] == "rules.present")
    assert "### Worst findings" in text and f"| `rules.present` | {severity} | fail |" in text
    run_audit(ALPHA, "-f", "github")
    assert summary.read_text(encoding="utf-8").count("## playbook audit") == 2  # appended again


def test_job_summary_escapes_what_groups_are_called(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    folder = many_groups(
        tmp_path / "groups", 1, name="<img src=x onerror=alert(1)> | **[x](https://e.invalid)**"
    )
    run_audit(str(folder), "-f", "github")
    text = summary.read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)<img", text) and not re.search(r"(?<!\\)\]\(", text)  # no HTML, no link
    assert (
        r"\<img src=x onerror=alert(1)\> \| \*\*[x\](https\://e.invalid)\*\*" in text
    )  # playbook/io/escape.py


def test_no_job_summary_without_the_variable_or_when_markdown_goes_there(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert run_audit(ALPHA, "-f", "github").exit_code in (0, 1)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run_audit(ALPHA, "-f", "github", "-f", f"markdown:{summary}")
    assert "## playbook audit" not in summary.read_text(encoding="utf-8")  # the markdown report only


def test_a_job_summary_that_cannot_be_written_is_a_located_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "no-such-folder" / "summary.md"))
    result = run_audit(ALPHA, "-f", "github")
    assert result.exit_code == 2
    assert (
        f"{tmp_path}/no-such-folder/summary.md: cannot write the job summary (GITHUB_STEP_SUMMARY): "
        in result.stderr
    )
    assert "Traceback" not in result.stderr


# ── SARIF ───────────────────────────────────────────────────────────────────


def sarif(*args: str) -> dict:
    log = json.loads(run_audit(*args, "-f", "sarif").stdout)
    if SARIF_SCHEMA.exists():
        jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(log)
    return log


def test_a_waived_rule_is_a_suppressed_result_with_its_reason():
    results = {r["ruleId"]: r for r in sarif(ALPHA)["runs"][0]["results"]}
    waived = results["lifecycle.goals"]
    assert waived["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "季度目标还在讨论",
            "properties": {"owner": "ops-lead", "expires": "2099-12-31"},
        }
    ]
    assert all("suppressions" not in r for rule, r in results.items() if rule != "lifecycle.goals")
    unwaived = {
        r["ruleId"] for r in sarif(ALPHA, "--no-waivers")["runs"][0]["results"] if "suppressions" in r
    }
    assert unwaived == set()


def test_fingerprints_follow_a_finding_when_lines_move(tmp_path):
    moved = tmp_path / "alpha.yaml"
    moved.write_text(
        "# a comment\n# and another\n" + (ROOT / ALPHA).read_text(encoding="utf-8"), encoding="utf-8"
    )
    before = {r["ruleId"]: r for r in sarif(ALPHA)["runs"][0]["results"]}
    after = {r["ruleId"]: r for r in sarif(str(moved))["runs"][0]["results"]}
    line = before["rules.present"]["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert after["rules.present"]["locations"][0]["physicalLocation"]["region"]["startLine"] == line + 2
    assert {k: r["partialFingerprints"] for k, r in before.items()} == {
        k: r["partialFingerprints"] for k, r in after.items()
    }
    prints = [
        r["partialFingerprints"]["playbookRule/v1"] for r in sarif(ALPHA, BETA, GAMMA)["runs"][0]["results"]
    ]
    assert len(prints) == len(set(prints)), "one fingerprint per finding"


# ── GitLab ──────────────────────────────────────────────────────────────────


def gitlab(*args: str, **kwargs: str) -> list:
    result = run_audit(*args, "-f", "gitlab", **kwargs)
    assert result.exit_code in (0, 1), result.output
    issues = json.loads(result.stdout)
    jsonschema.Draft202012Validator(json.loads(GITLAB_SCHEMA.read_text(encoding="utf-8"))).validate(issues)
    return issues


def test_gitlab_code_quality_follows_gitlabs_format():
    issues = gitlab(ALPHA, BETA, GAMMA)
    report = json.loads(run_audit(ALPHA, "-f", "json").stdout)
    by_rule = {i["check_name"]: i for i in issues if i["location"]["path"].endswith("alpha.yaml")}
    expected = {
        r["rule"] for r in report["results"] if r["status"] in ("fail", "partial", "unknown", "error")
    }
    assert set(by_rule) == expected  # the waived and passing rules are not issues
    present = by_rule["rules.present"]
    severity = next(r["severity"] for r in report["results"] if r["rule"] == "rules.present")
    assert (severity, present["severity"]) == ("critical", "blocker")  # GitLab's scale is one longer
    assert present["location"] == {"path": "tests/fixtures/ci/groups/alpha.yaml", "lines": {"begin": 13}}
    assert present["description"].startswith("Rules exist: ")
    assert by_rule["engagement.tagged-members"]["severity"] == "info"  # low partial: one step softer
    assert by_rule["rules.join-question"]["severity"] == "info"  # missing data
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(fingerprints) == len(set(fingerprints))


def test_gitlab_fingerprints_stay_when_lines_move(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "g").mkdir()
    original = (ROOT / ALPHA).read_text(encoding="utf-8")
    (tmp_path / "g" / "a.yaml").write_text(original, encoding="utf-8")
    playbook = str(ROOT / "tests/fixtures/ci/playbook.yaml")
    before = {i["check_name"]: i for i in gitlab("g/a.yaml", playbook=playbook)}
    (tmp_path / "g" / "a.yaml").write_text("# moved\n" + original, encoding="utf-8")
    after = {i["check_name"]: i for i in gitlab("g/a.yaml", playbook=playbook)}
    assert {k: i["fingerprint"] for k, i in before.items()} == {k: i["fingerprint"] for k, i in after.items()}
    assert (
        after["rules.present"]["location"]["lines"]["begin"]
        == before["rules.present"]["location"]["lines"]["begin"] + 1
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_gitlab_descriptions_follow_the_language(lang):
    issues = gitlab(ALPHA, lang=lang)
    present = next(i for i in issues if i["check_name"] == "rules.present")
    assert present["description"].startswith("有群规" if lang == "zh" else "Rules exist")
