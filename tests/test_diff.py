"""`playbook diff` and `compare_reports`: score deltas, rule transitions, moved metrics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook.cli import main
from playbook.core.compare import classify, compare_reports
from playbook.core.report import Options, build_report
from playbook.io.documents import read_document
from playbook.io.facts import platform_fact_table
from playbook.io.playbook_loader import load_playbook
from playbook.io.validation import schema_problems
from tests.conftest import TODAY
from tests.golden_files import check_golden

TREND = Path(__file__).parent / "fixtures" / "trend"
PLAYBOOK = str(TREND / "playbook.yaml")
OCT, NOV = str(TREND / "2026-10.yaml"), str(TREND / "2026-11.yaml")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize(
    "old, new, kind",
    [
        ("fail", "pass", "fixed"),
        ("partial", "pass", "fixed"),
        ("fail", "partial", "improved"),
        ("pass", "fail", "regressed"),
        ("pass", "partial", "regressed"),
        ("partial", "fail", "regressed"),
        ("unknown", "fail", "changed"),
        ("pass", "not_applicable", "changed"),
        (None, "pass", "new"),
        ("fail", None, "removed"),
        ("pass", "pass", None),
        ("unknown", "unknown", None),
    ],
)
def test_classify(old, new, kind):
    assert classify(old, new) == kind


@pytest.fixture(scope="module")
def reports():
    playbook = load_playbook(PLAYBOOK)
    return [
        build_report(playbook, read_document(p), Options(TODAY), platform_fact_table()) for p in (OCT, NOV)
    ]


def test_compare_reports(reports):
    diff = compare_reports(*reports)
    assert diff["overall"] == {"old": 71.72, "new": 85.86, "delta": 14.14}
    assert diff["grade"] == {"old": "C", "new": "B"}
    assert diff["playbook_changed"] is False
    changes = {r["rule"]: r["change"] for r in diff["rules"]}
    assert changes == {
        "engagement.weekly-active": "regressed",
        "intro.present": "fixed",
        "lifecycle.goals": "fixed",
        "tags.present": "fixed",
    }
    assert diff["rules"][0]["rule"] == "engagement.weekly-active"  # regressions first
    metrics = {m["name"]: m for m in diff["metrics"]}
    assert metrics["member_count"] == {"name": "member_count", "old": 180, "new": 240, "delta": 60}
    assert metrics["weekly_active_ratio"]["delta"] == -0.05


def test_report_metrics_block_is_numbers_only_and_valid(reports):
    from playbook.io.documents import parse_text

    metrics = reports[0]["metrics"]
    assert metrics["member_count"] == 180
    assert all(isinstance(v, int | float) and not isinstance(v, bool) for v in metrics.values())
    document = parse_text(json.dumps(reports[0], ensure_ascii=False), "report.json", "json")
    assert schema_problems(document, "report") == []


def test_rules_new_and_removed():
    old = {"rule": "a.x", "status": "pass", "section": "a", "title": "X", "severity": "low", "message": ""}
    new = {**old, "rule": "a.y"}
    report = {
        "playbook": {"sha256": "1"},
        "snapshot": {},
        "stage": {"id": "growth"},
        "score": {},
        "sections": [],
    }
    diff = compare_reports(
        {**report, "results": [old]}, {**report, "results": [new], "playbook": {"sha256": "2"}}
    )
    assert [(r["rule"], r["change"]) for r in diff["rules"]] == [("a.y", "new"), ("a.x", "removed")]
    assert diff["playbook_changed"] is True
    assert diff["metrics_available"] is False


@pytest.mark.parametrize("fmt, lang", [("table", "en"), ("table", "zh"), ("markdown", "en")])
def test_diff_golden(fmt, lang):
    result = run("diff", "-p", PLAYBOOK, OCT, NOV, "-f", fmt, "--lang", lang)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    ext = "md" if fmt == "markdown" else "txt"
    check_golden(f"diff_{fmt}_{lang}.{ext}", result.stdout)


def test_diff_json_and_report_inputs(tmp_path):
    paths = []
    for name, snapshot in (("old.json", OCT), ("new.json", NOV)):
        path = tmp_path / name
        assert run("audit", snapshot, "-p", PLAYBOOK, "-f", "json", "-o", str(path)).exit_code == 0
        paths.append(str(path))
    from_reports = json.loads(run("diff", *paths, "-f", "json").stdout)
    from_snapshots = json.loads(run("diff", "-p", PLAYBOOK, OCT, NOV, "-f", "json").stdout)
    for side in ("old", "new"):
        from_reports[side]["path"] = from_snapshots[side]["path"]
    assert from_reports == from_snapshots
    assert from_reports["metrics_available"] is True and from_reports["metrics"]


def test_diff_rejects_different_groups():
    result = run("diff", "-p", PLAYBOOK, OCT, str(TREND / "other-group.yaml"), "--lang", "en")
    assert result.exit_code == 2
    assert "not the same group" in result.stderr
    assert result.stdout == ""
