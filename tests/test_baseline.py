"""--baseline: rule changes and score deltas against an earlier report, and --fail-on-regression."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.ci_helpers import ALPHA, BETA, CI, PLAYBOOK, ROOT, run_audit, write_yaml

REPORT_SCHEMA = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture
def old_report(tmp_path: Path) -> str:
    """The JSON report of the three fixture groups, as a CI job would have kept it."""
    path = tmp_path / "old.json"
    assert run_audit(str(CI / "groups"), "-f", f"json:{path}").exit_code == 0
    return str(path)


def changed_alpha(tmp_path: Path) -> str:
    """alpha elsewhere: three rules now (fixed), a member untagged and no creation date (regressed)."""
    text = (ROOT / ALPHA).read_text(encoding="utf-8")
    text = text.replace(
        "    - {id: no-ads, text: 禁止发广告}",
        "    - {text: 禁止发广告}\n    - {text: 禁止刷屏}\n    - {text: 友善}",
    )
    text = text.replace("    - {id: u2, tags: [seed]}", "    - {id: u2, tags: []}")
    text = text.replace("  created_at: 2026-06-01\n", "")
    return str(write_yaml(tmp_path / "elsewhere" / "alpha.yaml", text))


def baseline_of(*args: str) -> tuple[int, dict, str]:
    result = run_audit(*args, "-f", "json")
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_rules_are_marked_and_scores_compared(tmp_path, old_report):
    code, report, _ = baseline_of(changed_alpha(tmp_path), "--baseline", old_report)
    assert code == 0
    baseline = report["baseline"]
    assert baseline["matched_by"] == "group_id"  # another path, the same group id
    assert baseline["playbook_changed"] is False
    changes = {r["rule"]: (r["change"], r["old"], r["new"]) for r in baseline["rules"]}
    assert changes == {
        "rules.present": ("fixed", "fail", "pass"),
        "lifecycle.created": ("regressed", "pass", "fail"),
        "engagement.tagged-members": ("regressed", "partial", "fail"),
    }
    assert baseline["counts"]["unchanged"] == 7 and baseline["counts"]["fixed"] == 1
    assert baseline["overall"]["old"] == 14.1
    assert baseline["overall"]["delta"] == round(report["score"]["overall"] - 14.1, 2)
    rules = next(s for s in baseline["sections"] if s["id"] == "rules")
    assert (rules["old"], rules["delta"]) == (0, 100)
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(report)


def test_the_table_shows_deltas_and_changes(tmp_path, old_report):
    result = run_audit(changed_alpha(tmp_path), "--baseline", old_report)
    assert "vs baseline: Overall 14.1 →" in result.stdout
    assert "fixed: rules.present (fail → pass)" in result.stdout
    assert "regressed: lifecycle.created (pass → fail)" in result.stdout
    summary = run_audit(changed_alpha(tmp_path), BETA, "--baseline", old_report).stdout
    assert summary.splitlines()[0].rstrip().endswith("Δ")


def test_fail_on_regression(tmp_path, old_report):
    result = run_audit(changed_alpha(tmp_path), "--baseline", old_report, "--fail-on-regression")
    assert result.exit_code == 1
    assert "gate --fail-on-regression failed: 2 rules worse than in" in result.stderr
    assert "(engagement.tagged-members, lifecycle.created)" in result.stderr
    same = run_audit(ALPHA, BETA, "--baseline", old_report, "--fail-on-regression")
    assert (same.exit_code, same.stderr) == (0, "")


def test_fail_on_regression_needs_a_baseline():
    result = run_audit(ALPHA, "--fail-on-regression")
    assert result.exit_code == 2 and "--baseline" in result.stderr


def test_a_changed_playbook_is_reported_as_such_and_not_blamed_on_the_group(tmp_path, old_report):
    text = (ROOT / PLAYBOOK).read_text(encoding="utf-8").replace("value: 20}", "value: 10}")
    playbook = str(write_yaml(tmp_path / "stricter.yaml", text))
    result = run_audit(
        ALPHA, "--baseline", old_report, "--fail-on-regression", "-f", "json", playbook=playbook
    )
    report = json.loads(result.stdout)
    assert report["baseline"]["playbook_changed"] is True
    assert report["baseline"]["rules"] == [
        {"rule": "naming.short", "change": "regressed", "old": "pass", "new": "fail"}
    ]
    assert result.exit_code == 0  # the group did not change: no regression gate
    table = run_audit(ALPHA, "--baseline", old_report, playbook=playbook).stdout
    assert "the playbook changed" in table


def test_matching_falls_back_to_the_path_and_says_when_nothing_matches(tmp_path, old_report):
    no_id = str(
        write_yaml(
            tmp_path / "noid.yaml", (ROOT / ALPHA).read_text(encoding="utf-8").replace('  id: "1001"\n', "")
        )
    )
    _, report, _ = baseline_of(no_id, "--baseline", old_report)
    assert report["baseline"]["matched_by"] is None and report["baseline"]["rules"] == []
    old = json.loads(Path(old_report).read_text(encoding="utf-8"))
    for entry in old["reports"]:
        entry["snapshot"]["group_id"] = None
    Path(old_report).write_text(json.dumps(old), encoding="utf-8")
    _, report, _ = baseline_of(ALPHA, "--baseline", old_report)
    assert report["baseline"]["matched_by"] == "path" and report["baseline"]["overall"]["delta"] == 0


def test_a_file_that_is_not_a_report_is_a_usage_error(tmp_path):
    bad = write_yaml(tmp_path / "bad.json", '{"hello": 1}')
    result = run_audit(ALPHA, "--baseline", str(bad))
    assert result.exit_code == 2 and "not a playbook JSON report" in result.stderr
