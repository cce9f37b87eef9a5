"""Waivers (DESIGN §3): owned, reasoned and dated; expired ones resurface; --no-waivers ignores all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook.cli import main
from tests.ci_helpers import ALPHA, BETA, PLAYBOOK, ROOT, report_of, run_audit, statuses, write_yaml

BASE = (ROOT / "tests/fixtures/ci/playbook.yaml").as_posix()


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def playbook_with(tmp_path: Path, waivers: str, name: str) -> str:
    text = f"playbook: 1\nid: w\ntitle: {{zh: w, en: w}}\nextends: ['{BASE}']\nwaivers:\n{waivers}"
    return str(write_yaml(tmp_path / name, text))


def test_an_active_waiver_makes_the_rule_waived_and_leaves_the_score():
    report = report_of(ALPHA)
    assert statuses(report)["lifecycle.goals"] == "waived"
    goals = next(r for r in report["results"] if r["rule"] == "lifecycle.goals")
    assert goals["weight"] == 0 and goals["score"] is None
    assert goals["reason"] == "waived by ops-lead until 2099-12-31: 季度目标还在讨论"
    lifecycle = next(s for s in report["sections"] if s["id"] == "lifecycle")
    assert lifecycle["counts"]["waived"] == 1 and lifecycle["score"] == 100


def test_a_waiver_for_one_group_does_not_touch_another():
    assert statuses(report_of(BETA))["lifecycle.goals"] == "pass"  # beta is 2002, the waiver names 1001


def test_an_expired_waiver_is_ignored_and_listed_in_the_checklist():
    report = report_of(ALPHA)
    assert statuses(report)["naming.short"] == "pass"  # evaluated as if there were no waiver
    assert {
        "rule": "naming.short",
        "group": None,
        "owner": "ops-lead",
        "reason": "旧群名保留到改版",
        "expires": "2020-01-31",
        "expired": True,
    } in report["waivers"]
    assert [i["rule"] for i in report["checklist"] if i["group"] == "waiver"] == ["naming.short"]


def test_expiry_follows_the_day_of_the_run_not_the_snapshot_date():
    # The snapshot was captured on 2026-11-20; --today stands in for the real day of the run.
    before = report_of(ALPHA, "--today", "2099-12-31")
    after = report_of(ALPHA, "--today", "2100-01-01")
    assert statuses(before)["lifecycle.goals"] == "waived"
    assert statuses(after)["lifecycle.goals"] == "fail"
    assert [i["rule"] for i in after["checklist"] if i["group"] == "waiver"] == [
        "lifecycle.goals",
        "naming.short",
    ]


def test_without_today_the_real_date_decides():
    plain = CliRunner().invoke(main, ["audit", ALPHA, "-p", PLAYBOOK, "-f", "json"])
    statuses_now = statuses(json.loads(plain.stdout))
    assert statuses_now["lifecycle.goals"] == "waived"  # until 2099-12-31
    assert statuses_now["naming.short"] == "pass"  # its waiver ended 2020-01-31


def test_no_waivers_disables_them_all():
    report = report_of(ALPHA, "--no-waivers")
    assert statuses(report)["lifecycle.goals"] == "fail"
    assert report["waivers"] == [] and report["summary"]["waived"] == 0
    assert report["score"]["overall"] < report_of(ALPHA)["score"]["overall"]


@pytest.mark.parametrize("missing", ["rule", "reason", "owner", "expires"])
def test_every_waiver_field_is_required(tmp_path, missing):
    fields = {"rule": "naming.short", "reason": "r", "owner": "o", "expires": "2099-01-01"}
    del fields[missing]
    entry = "  - {" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}\n"
    result = run_audit(ALPHA, playbook=playbook_with(tmp_path, entry, f"missing-{missing}.yaml"))
    assert result.exit_code == 2
    assert f"missing-{missing}.yaml:" in result.stderr and missing in result.stderr


def test_a_bad_expiry_date_is_rejected(tmp_path):
    entry = "  - {rule: naming.short, reason: r, owner: o, expires: 2099-13-01}\n"
    result = run_audit(ALPHA, playbook=playbook_with(tmp_path, entry, "bad-date.yaml"))
    assert result.exit_code == 2 and "bad-date.yaml:6:" in result.stderr


def test_a_waiver_of_an_unknown_rule_is_an_error(tmp_path):
    entry = "  - {rule: naming.shrt, reason: r, owner: o, expires: 2099-01-01}\n"
    result = run_audit(ALPHA, playbook=playbook_with(tmp_path, entry, "typo.yaml"))
    assert result.exit_code == 2
    assert "typo.yaml:6:12: unknown rule 'naming.shrt'" in result.stderr
    assert "did you mean 'naming.short'?" in result.stderr
