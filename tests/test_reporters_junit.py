"""JUnit XML: one test case per rule and group; counts equal the report's summary."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from tests.ci_helpers import ALPHA, CI, ROOT, run_audit


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_counts_match_the_report():
    args = (str(CI / "groups"),)
    root = ET.fromstring(run_audit(*args, "-f", "junit").stdout)
    payload = json.loads(run_audit(*args, "-f", "json").stdout)
    reports = payload["reports"]
    suites = root.findall("testsuite")
    assert len(suites) == len(reports) == 3
    for suite, report in zip(suites, reports, strict=True):
        summary = report["summary"]
        assert suite.get("name") == report["snapshot"]["group_id"]
        assert int(suite.get("tests")) == len(report["results"]) == len(suite.findall("testcase"))
        assert (
            int(suite.get("failures"))
            == summary["fail"] + summary["partial"]
            == len(suite.findall("testcase/failure"))
        )
        assert int(suite.get("errors")) == summary["error"] == len(suite.findall("testcase/error"))
        skipped = summary["not_applicable"] + summary["waived"] + summary["unknown"]
        assert int(suite.get("skipped")) == skipped == len(suite.findall("testcase/skipped"))
    assert int(root.get("tests")) == sum(len(r["results"]) for r in reports)


def test_a_failure_carries_message_and_evidence():
    root = ET.fromstring(run_audit(ALPHA, "-f", "junit").stdout)
    case = root.find("testsuite/testcase[@name='tags.present']")
    assert case is not None and case.get("classname") == "1001" and case.get("line") == "9"
    failure = case.find("failure")
    assert failure.get("type") == "fail:medium"
    assert "expected length at least 3" in failure.get("message")
    assert 'actual: ["生活"]' in failure.text and "expected: 3" in failure.text
    waived = root.find("testsuite/testcase[@name='lifecycle.goals']/skipped")
    assert waived.get("message").startswith("waived: waived by ops-lead")
