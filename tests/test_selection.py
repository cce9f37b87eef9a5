"""`--select` / `--ignore RULE-GLOB` choose the rules an audit runs; `-q` keeps the terminal quiet."""

from __future__ import annotations

import json

import pytest

from tests.ci_helpers import ALPHA, BETA, run_audit


def rules_run(*args: str) -> list[str]:
    result = run_audit(ALPHA, *args, "-f", "json")
    assert result.exit_code in (0, 1), result.output
    return [r["rule"] for r in json.loads(result.stdout)["results"]]


def test_select_runs_only_the_matching_rules():
    assert rules_run("--select", "naming.*") == [
        "naming.topic-keyword",
        "naming.short",
        "naming.brand-prefix",
    ]
    assert sorted(rules_run("--select", "naming.short", "--select", "tags.*")) == [
        "naming.short",
        "tags.present",
    ]


def test_ignore_leaves_out_the_matching_rules_and_wins_over_select():
    every = rules_run()
    assert rules_run("--ignore", "naming.*") == [r for r in every if not r.startswith("naming.")]
    assert rules_run("--select", "naming.*", "--ignore", "naming.s?ort") == [
        "naming.topic-keyword",
        "naming.brand-prefix",
    ]


def test_the_score_is_that_of_the_rules_that_ran():
    every = json.loads(run_audit(ALPHA, "-f", "json").stdout)
    passing = next(r["rule"] for r in every["results"] if r["status"] == "pass")
    assert every["score"]["overall"] < 100
    report = json.loads(run_audit(ALPHA, "--select", passing, "-f", "json").stdout)
    assert [r["rule"] for r in report["results"]] == [passing]
    assert report["score"]["overall"] == 100


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--select", "namign.*"], "--select: 'namign.*' matches no rule\n  hint: did you mean 'naming."),
        (
            ["--ignore", "zzz"],
            "--ignore: 'zzz' matches no rule\n  hint: list the rule ids with: playbook rules",
        ),
    ],
)
def test_a_glob_that_matches_no_rule_is_a_usage_error(args, expected):
    result = run_audit(ALPHA, *args)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert result.stdout == ""


def test_a_glob_matching_no_rule_is_told_in_chinese():
    result = run_audit(ALPHA, "--select", "zzz", lang="zh")
    assert result.exit_code == 2
    assert "--select: 'zzz' 不匹配任何规则" in result.stderr


def test_without_a_playbook_the_globs_are_checked_against_every_builtin_profile():
    result = run_audit(ALPHA, "--select", "naming.*", "-f", "json", playbook=None)
    assert result.exit_code in (0, 1), result.output
    assert all(r["rule"].startswith("naming.") for r in json.loads(result.stdout)["results"])


def test_quiet_prints_no_table_but_keeps_failed_gates_and_machine_formats():
    quiet = run_audit(ALPHA, BETA, "-q", "--fail-under", "70")
    assert quiet.exit_code == 1
    assert quiet.stdout == ""
    assert "gate --fail-under 70 failed" in quiet.stderr
    machine = run_audit(ALPHA, "--quiet", "-f", "json")
    assert json.loads(machine.stdout)["results"]
