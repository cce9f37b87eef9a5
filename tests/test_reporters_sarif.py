"""SARIF 2.1.0: valid against the OASIS schema, one descriptor per rule, results at the value's line."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.ci_helpers import ALPHA, BETA, CI, ROOT, SARIF_SCHEMA, run_audit


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def sarif_of(*args: str) -> dict:
    result = run_audit(*args, "-f", "sarif")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("paths", [[ALPHA], [str(CI / "groups")]])
def test_sarif_validates_against_the_sarif_2_1_0_schema(paths):
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"].startswith("http://json-schema.org/draft-04/")
    jsonschema.Draft4Validator(schema).validate(sarif_of(*paths))


def test_one_descriptor_per_rule_with_level_and_section():
    run = sarif_of(ALPHA)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids) and len(ids) == 10
    critical = next(r for r in rules if r["id"] == "rules.present")
    assert critical["name"] == "RulesPresent"
    assert critical["shortDescription"]["text"] == "Rules exist"
    assert critical["help"]["text"] == "Write at least 3 rules"
    assert critical["defaultConfiguration"]["level"] == "error"
    assert critical["properties"]["section"] == "rules"
    assert {r["id"]: r["defaultConfiguration"]["level"] for r in rules}["naming.short"] == "note"


def test_results_are_located_at_the_offending_value_in_yaml_and_json():
    results = {r["ruleId"]: r for r in sarif_of(ALPHA)["runs"][0]["results"]}
    name = results["naming.topic-keyword"]["locations"][0]
    assert name["physicalLocation"]["artifactLocation"]["uri"] == "tests/fixtures/ci/groups/alpha.yaml"
    assert name["physicalLocation"]["region"] == {"startLine": 7, "startColumn": 9}
    assert name["logicalLocations"][0]["fullyQualifiedName"] == "/group/name"
    assert results["rules.present"]["locations"][0]["physicalLocation"]["region"]["startLine"] == 13
    json_results = {r["ruleId"]: r for r in sarif_of(BETA)["runs"][0]["results"]}
    region = json_results["rules.present"]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 11, "startColumn": 14}


def test_levels_and_kinds_follow_status_and_severity():
    results = {r["ruleId"]: r for r in sarif_of(ALPHA)["runs"][0]["results"]}
    assert (results["rules.present"]["kind"], results["rules.present"]["level"]) == ("fail", "error")
    assert results["tags.present"]["level"] == "warning"  # medium fail
    assert results["engagement.tagged-members"]["level"] == "note"  # low partial: one step softer
    assert (results["rules.join-question"]["kind"], results["rules.join-question"]["level"]) == (
        "open",
        "none",
    )
    assert "naming.short" not in results  # pass
    assert results["lifecycle.goals"]["suppressions"][0]["kind"] == "external"  # waived
    assert "Write at least 3 rules" in results["rules.present"]["message"]["text"]
