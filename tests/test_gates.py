"""Gates: --fail-under, --fail-on and the playbook's `assert:` block; exit 1 says which and why."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.ci_helpers import ALPHA, BETA, ROOT, run_audit, write_yaml

PLAYBOOK_SCHEMA = json.loads((ROOT / "schemas" / "playbook.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def with_assert(tmp_path: Path, block: str, name: str = "gated.yaml") -> str:
    """A playbook extending the CI fixture with `block`; a new name each time (loaded playbooks are cached)."""
    base = (ROOT / "tests/fixtures/ci/playbook.yaml").as_posix()
    text = f"playbook: 1\nid: gated\ntitle: {{zh: 门槛, en: Gates}}\nextends: ['{base}']\nassert:\n{block}"
    return str(write_yaml(tmp_path / name, text))


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--fail-under", "15"], 1, "alpha.yaml: gate --fail-under 15 failed: overall 14.1"),
        (["--fail-under", "14"], 0, ""),
        (["--fail-on", "critical"], 1, "gate --fail-on critical failed: 1 rule failed (rules.present)"),
        (
            ["--fail-on", "high"],
            1,
            "gate --fail-on high failed: 2 rules failed (naming.topic-keyword, rules.present)",
        ),
    ],
)
def test_command_line_gates(args, code, message):
    result = run_audit(ALPHA, *args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Overall 14.1" in result.stdout  # the report is still shown


def test_fail_on_ignores_partial_and_lower_severities():
    assert run_audit(BETA, "--fail-on", "high").exit_code == 1  # beta: critical rules.present fails
    assert (
        run_audit(str(ROOT / "tests/fixtures/ci/groups/more/gamma.yml"), "--fail-on", "info").exit_code == 0
    )


def test_gate_messages_in_chinese():
    result = run_audit(ALPHA, "--fail-under", "90", lang="zh")
    assert "未达标 --fail-under 90: 总分 14.1" in result.stderr


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("  min_score: 40\n", "gate assert.min_score 40 failed: overall 14.1"),
        (
            "  min_section: {engagement: 70}\n",
            "gate assert.min_section.engagement 70 failed: section engagement 66.67",
        ),
        (
            "  max_failed: {critical: 0}\n",
            "gate assert.max_failed.critical ≤ 0 failed: 1 rule failed (rules.present)",
        ),
        (
            "  max_failed: {medium: 1}\n",
            "gate assert.max_failed.medium ≤ 1 failed: 2 rules failed (tags.present, intro.present)",
        ),
        (
            "  must_pass: [naming.short, rules.present]\n",
            "gate assert.must_pass rules.present failed: status fail",
        ),
        ("  min_coverage: 0.95\n", "gate assert.min_coverage 95% failed: coverage 90%"),
    ],
)
def test_each_assertion_fails_with_threshold_and_actual(tmp_path, block, message):
    result = run_audit(ALPHA, playbook=with_assert(tmp_path, block))
    assert result.exit_code == 1, result.stderr
    assert result.stderr.strip().endswith(message)
    assert result.stderr.count("gate ") == 1


def test_assertions_that_hold_exit_0(tmp_path):
    block = (
        "  min_score: 14\n  min_section: {lifecycle: 100, engagement: 60}\n  max_failed: {critical: 1, high: 1}\n"
        "  must_pass: [naming.short, lifecycle.goals, naming.brand-prefix]\n  min_coverage: 0.8\n"
    )
    result = run_audit(ALPHA, playbook=with_assert(tmp_path, block))
    assert (result.exit_code, result.stderr) == (0, "")


def test_an_unknown_rule_or_section_in_assert_is_a_usage_error(tmp_path):
    result = run_audit(ALPHA, playbook=with_assert(tmp_path, "  must_pass: [rules.presnt]\n"))
    assert result.exit_code == 2
    assert "gated.yaml::$.assert.must_pass[0]: assert names the unknown rule 'rules.presnt'" in result.stderr
    assert "did you mean 'rules.present'?" in result.stderr
    result = run_audit(ALPHA, playbook=with_assert(tmp_path, "  min_section: {rule: 50}\n", "other.yaml"))
    assert result.exit_code == 2 and "did you mean 'rules'?" in result.stderr


@pytest.mark.parametrize(
    ("block", "valid"),
    [
        ({"min_score": 70, "min_section": {"rules": 90}, "max_failed": {"critical": 0, "high": 2}}, True),
        ({"must_pass": ["rules.present"], "min_coverage": 0.8, "x-note": "free"}, True),
        ({"min_score": 170}, False),
        ({"min_coverage": 80}, False),
        ({"max_failed": {"severe": 0}}, False),
        ({"max_failed": {"high": -1}}, False),
        ({"must_pass": ["not a rule id"]}, False),
        ({"overall": {"min": 70}}, False),
    ],
)
def test_assert_block_schema(block, valid):
    playbook = {"playbook": 1, "id": "p", "title": {"zh": "p", "en": "p"}, "assert": block}
    errors = list(jsonschema.Draft202012Validator(PLAYBOOK_SCHEMA).iter_errors(playbook))
    assert (errors == []) is valid, errors


def test_a_bad_assert_block_is_located_in_the_playbook(tmp_path):
    result = run_audit(ALPHA, playbook=with_assert(tmp_path, "  min_score: high\n"))
    assert result.exit_code == 2
    assert "gated.yaml:6:" in result.stderr
