"""Verdict scenarios: realistic groups judged the way an experienced operator judges them.

Each file in tests/verdicts/ holds an invented group snapshot and the expectations an operator
wrote from the seed articles *before* the tool was run on it (tests/verdicts/README.md). The
audit runs through the CLI exactly as a user runs it; one test per scenario, and its failure
lists every expectation that did not hold together with what the tool said.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from playbook.cli import main

VERDICTS = Path(__file__).parent / "verdicts"
SCENARIOS = sorted(VERDICTS.glob("*.yaml"))
DEFAULT_RULES = {
    r["id"]
    for r in yaml.safe_load(
        (VERDICTS.parent.parent / "rulesets" / "default.yaml").read_text(encoding="utf-8")
    )["rules"]
}
REPORT_SCHEMA = json.loads(
    (Path(__file__).parent.parent / "schemas" / "report.schema.json").read_text(encoding="utf-8")
)

CAUSES = ("off-topic", "evaporation", "boredom", "leaderless", "tyranny", "harassment", "staleness")
FIX_GROUPS = ("now", "next")  # the fixes offered, in the order the checklist offers them
STATUSES = ("pass", "partial", "fail", "not_applicable", "unknown", "waived", "error")
SEVERITY_ORDER = ("info", "low", "medium", "high", "critical")


# ── loading ──────────────────────────────────────────────────────────────────


def load_scenario(path: Path) -> dict[str, Any]:
    doc = copy.deepcopy(_parsed(path))  # a test may change what it reads
    missing = {"title", "situation", "sources", "expect", "snapshot"} - set(doc)
    assert not missing, f"{path.name}: missing {sorted(missing)}"
    unknown = set(doc["expect"]) - set(CHECKS)
    assert not unknown, f"{path.name}: unknown expectation keys {sorted(unknown)} (known: {sorted(CHECKS)})"
    return doc


@functools.cache
def _parsed(path: Path) -> dict[str, Any]:
    # Read once per run, with libyaml when present: the scenarios' rosters and logs made the
    # pure-Python loader ~3 s of the fast tier.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # a safe loader either way


def run_audit(snapshot: dict[str, Any], folder: Path, name: str) -> dict[str, Any]:
    """The JSON report of `playbook audit`, with the snapshot's capture date as today."""
    path = folder / f"{name}.json"
    path.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
    today = str(snapshot["captured_at"])[:10]
    result = CliRunner().invoke(main, ["audit", str(path), "-f", "json", "--today", today, "--lang", "en"])
    assert result.exit_code in (0, 1), f"{name}: audit exited {result.exit_code}\n{result.output}"
    report = json.loads(result.stdout)
    jsonschema.validate(report, REPORT_SCHEMA)
    return report


# ── reading the report ───────────────────────────────────────────────────────


def results_by_rule(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["rule"]: r for r in report["results"]}


def offered_fixes(report: dict[str, Any]) -> list[str]:
    """Rule ids of the checklist's fixes (do now, then next), in the order they are offered."""
    return [item["rule"] for item in report["checklist"] if item["group"] in FIX_GROUPS]


def named_causes(report: dict[str, Any]) -> list[str]:
    return [d["id"] for d in report["diagnosis"] if d["present"]]


def as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def describe_result(result: dict[str, Any] | None) -> str:
    if result is None:
        return "the rule is not in the report"
    note = result.get("message") or result.get("reason") or ""
    return f"{result['status']} ({note})" if note else result["status"]


def position(rule: str, fixes: list[str]) -> str:
    return f"#{fixes.index(rule) + 1}" if rule in fixes else "not offered as a fix"


def first(fixes: list[str], n: int) -> str:
    return ", ".join(fixes[:n]) or "none"


# ── the expectations ─────────────────────────────────────────────────────────


def check_stage(expected: Any, report: dict[str, Any]) -> Iterator[str]:
    stage = report["stage"]["id"]
    if stage not in as_list(expected):
        evidence = ", ".join(f"{e['metric']}={e['value']}" for e in report["stage"]["evidence"])
        yield f"stage: {' or '.join(as_list(expected))} → {stage} ({report['stage']['source']}; {evidence or 'no evidence'})"


def check_provisional(expected: bool, report: dict[str, Any]) -> Iterator[str]:
    if report["score"]["provisional"] is not expected:
        yield f"provisional: {expected} → {report['score']['provisional']} (coverage {report['score']['coverage']})"


def check_grade(expected: list[str], report: dict[str, Any]) -> Iterator[str]:
    score = report["score"]
    if score["grade"] not in expected:
        yield f"grade: one of {', '.join(expected)} → {score['grade']} (score {score['overall']})"


def check_score(expected: dict[str, float], report: dict[str, Any]) -> Iterator[str]:
    overall = report["score"]["overall"]
    low, high = expected.get("min", 0), expected.get("max", 100)
    if overall is None or not low <= overall <= high:
        yield f"score: between {low} and {high} → {overall}"


def check_causes(expected: list[str], report: dict[str, Any]) -> Iterator[str]:
    named = named_causes(report)
    for cause in expected:
        if cause not in named:
            yield f"causes: {cause} must be named → not named (named: {', '.join(named) or 'none'})"


def check_not_causes(expected: list[str], report: dict[str, Any]) -> Iterator[str]:
    named = {d["id"]: d for d in report["diagnosis"] if d["present"]}
    for cause in expected:
        if cause in named:
            evidence = "; ".join(f"{e['rule']}: {e['message']}" for e in named[cause]["evidence"])
            yield f"not_causes: {cause} must not be named → named ({evidence})"


def check_rules(expected: dict[str, Any], report: dict[str, Any]) -> Iterator[str]:
    results = results_by_rule(report)
    for rule, statuses in expected.items():
        found = results.get(rule)
        if found is None or found["status"] not in as_list(statuses):
            yield f"rules: {rule} {' or '.join(as_list(statuses))} → {describe_result(found)}"


def check_top(n: int) -> Callable[[list[str], dict[str, Any]], Iterator[str]]:
    def check(expected: list[str], report: dict[str, Any]) -> Iterator[str]:
        fixes = offered_fixes(report)
        for rule in expected:
            if rule not in fixes[:n]:
                yield f"top{n}: {rule} among the first {n} fixes → {position(rule, fixes)} (first {n}: {first(fixes, n)})"

    return check


def check_not_top5(expected: list[str], report: dict[str, Any]) -> Iterator[str]:
    fixes = offered_fixes(report)
    for rule in expected:
        if rule in fixes[:5]:
            yield f"not_top5: {rule} not among the first 5 fixes → {position(rule, fixes)} (first 5: {first(fixes, 5)})"


def check_absent(expected: list[str], report: dict[str, Any]) -> Iterator[str]:
    """Advice that does not apply to the group at all: no checklist item of any kind."""
    items = {item["rule"]: item for item in report["checklist"] if item["group"] != "waiver"}
    for rule in expected:
        if rule in items:
            yield f"absent: {rule} must not be advised → checklist item in '{items[rule]['group']}' ({items[rule]['title']})"


def check_escalated(expected: list[str], report: dict[str, Any]) -> Iterator[str]:
    results = results_by_rule(report)
    for rule in expected:
        found = results.get(rule)
        if found is None:
            yield f"escalated: {rule} → the rule is not in the report"
        elif not found.get("escalated") or found["escalated"]["to"] != "critical":
            yield f"escalated: {rule} escalated to critical → {found.get('escalated') or 'not escalated'} (severity {found['severity']}, {found['status']})"


CHECKS: dict[str, Callable[[Any, dict[str, Any]], Iterator[str]]] = {
    "stage": check_stage,
    "provisional": check_provisional,
    "grade": check_grade,
    "score": check_score,
    "causes": check_causes,
    "not_causes": check_not_causes,
    "rules": check_rules,
    "top3": check_top(3),
    "top5": check_top(5),
    "not_top5": check_not_top5,
    "absent": check_absent,
    "escalated": check_escalated,
}


def judge(expect: dict[str, Any], report: dict[str, Any]) -> list[str]:
    return [failure for key, expected in expect.items() for failure in CHECKS[key](expected, report)]


# ── the tests ────────────────────────────────────────────────────────────────


def test_there_are_enough_scenarios():
    platforms = {_parsed(p)["snapshot"]["platform"] for p in SCENARIOS}
    assert len(SCENARIOS) >= 18
    assert platforms == {"qq", "wechat", "wecom", "telegram", "discord"}


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_expectations_name_real_things(path: Path):
    """A typo in an expectation must not pass silently: causes, statuses and grades are known names."""
    expect = load_scenario(path)["expect"]
    causes = as_list(expect.get("causes", [])) + as_list(expect.get("not_causes", []))
    assert set(causes) <= set(CAUSES), sorted(set(causes) - set(CAUSES))
    statuses = {s for v in expect.get("rules", {}).values() for s in as_list(v)}
    assert statuses <= set(STATUSES), sorted(statuses - set(STATUSES))
    assert set(expect.get("grade", [])) <= {"A", "B", "C", "D", "F"}
    rules = set(expect.get("rules", {})).union(
        *(expect.get(k, []) for k in ("top3", "top5", "not_top5", "absent", "escalated"))
    )
    assert rules <= DEFAULT_RULES, sorted(rules - DEFAULT_RULES)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_verdict(path: Path, tmp_path: Path):
    scenario = load_scenario(path)
    report = run_audit(scenario["snapshot"], tmp_path, path.stem)
    failures = judge(scenario["expect"], report)
    score = report["score"]
    said = f"(the tool: stage {report['stage']['id']}, grade {score['grade']}, score {score['overall']})"
    if failures:
        pytest.fail(
            f"{path.name}: {len(failures)} expectation(s) did not hold {said}\n  " + "\n  ".join(failures),
            pytrace=False,
        )
