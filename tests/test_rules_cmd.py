"""`playbook rules`: the rule list, the resolved view with provenance, operators, metrics, docs/metrics.md."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from playbook.cli import main
from playbook.core.metrics import METRICS
from playbook.core.operators import OPERATORS
from tests.conftest import FIXTURES, MINI

CHILD = FIXTURES / "authoring" / "child" / "child.yaml"
DOCS = Path(__file__).parent.parent / "docs" / "metrics.md"


def rules(*args: str):
    return CliRunner().invoke(main, ["rules", *args, "--lang", "en"])


def test_table_lists_every_rule():
    result = rules("-p", str(MINI))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["rule", "section", "severity", "effort", "stages", "title"]
    assert len(lines) == 2 + 7
    assert any(line.startswith("tags.present") and "Enough tags" in line for line in lines)


def test_section_filter_and_json():
    result = rules("-p", str(MINI), "--section", "tags", "-f", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [row["id"] for row in data] == ["tags.present", "tags.member-profile"]
    assert data[0] == {
        "id": "tags.present",
        "section": "tags",
        "severity": "medium",
        "effort": "medium",
        "stages": "all",
        "title": "Enough tags",
    }


def test_chinese_table_names_severity_effort_and_stages_json_keeps_the_ids():
    table = CliRunner().invoke(main, ["rules", "--section", "engagement", "--lang", "zh"]).stdout
    weekly = next(line for line in table.splitlines() if line.startswith("engagement.weekly-active"))
    assert weekly.split()[2:5] == ["高", "中", "必需:"]
    assert "热运营期" in weekly and "launch" not in weekly
    assert "required" not in table and "high" not in table

    data = json.loads(
        CliRunner().invoke(main, ["rules", "--section", "engagement", "-f", "json", "--lang", "zh"]).stdout
    )
    row = next(r for r in data if r["id"] == "engagement.weekly-active")
    assert (row["severity"], row["effort"]) == ("high", "medium")
    assert row["stages"]["growth"] == "required"


def test_markdown_and_chinese_titles():
    result = CliRunner().invoke(main, ["rules", "-p", str(MINI), "-f", "markdown", "--lang", "zh"])
    assert result.stdout.startswith("| 规则")
    assert "| 设置足够的标签" in result.stdout.replace("  ", " ") or "设置足够的标签" in result.stdout


def test_resolved_shows_where_each_value_came_from():
    result = rules("-p", str(CHILD), "--resolved", "-f", "json")
    assert result.exit_code == 0, result.stderr
    by_id = {row["rule"]: row for row in json.loads(result.stdout)}
    topic = by_id["naming.topic-keyword"]
    assert topic["defined_at"] == f"{MINI}:20:5"
    assert topic["values"]["severity"] == {"value": "low", "from": f"{CHILD}:8:44"}
    assert topic["values"]["effort"] == {"value": "low", "from": f"{MINI}:20:5"}
    assert by_id["tags.present"]["values"]["params.min_tags"] == {"value": 4, "from": f"{CHILD}:6:20"}
    assert by_id["tags.member-profile"]["values"]["enabled"] == {"value": False, "from": f"{CHILD}:9:42"}
    assert by_id["naming.bracket-prefix"]["defined_at"] == f"{CHILD}:11:5"


def test_resolved_table():
    result = rules("-p", str(CHILD), "--resolved", "--section", "tags")
    assert result.exit_code == 0
    row = next(line for line in result.stdout.splitlines() if "params.min_tags" in line)
    assert row.split()[:3] == ["tags.present", "params.min_tags", "4"]
    assert row.rstrip().endswith(f"{CHILD}:6:20")


def test_operators_list_the_registry():
    result = rules("--operators", "-f", "json")
    names = [row["name"] for row in json.loads(result.stdout)]
    assert names == list(OPERATORS)
    assert "at_least" in rules("--operators").stdout


def test_metrics_list_the_registry():
    data = json.loads(rules("--metrics", "-f", "json").stdout)
    assert sorted(row["name"] for row in data) == sorted(f"metrics.{m}" for m in METRICS)


def test_metrics_name_the_snapshot_fields_they_are_computed_from():
    data = {row["name"]: row for row in json.loads(rules("--metrics", "-f", "json").stdout)}
    assert data["metrics.lurker_ratio_30d"]["needs"] == [
        "members.list[].joined_at",
        "members.list[].last_active_at",
    ]
    table = CliRunner().invoke(main, ["rules", "--metrics", "--lang", "zh"]).stdout
    assert table.splitlines()[0].split()[-1] == "所需快照字段"
    assert "group.member_limit" in next(
        line for line in table.splitlines() if "metrics.capacity_ratio" in line
    )


def test_docs_metrics_md_is_up_to_date():
    """Regenerate with: python -m playbook rules --metrics -f markdown > docs/metrics.md"""
    result = rules("--metrics", "-f", "markdown")
    assert DOCS.read_text(encoding="utf-8") == result.stdout, (
        "docs/metrics.md is stale: python -m playbook rules --metrics -f markdown > docs/metrics.md"
    )


def test_an_unknown_section_is_exit_2_not_an_empty_list():
    result = rules("--section", "namin")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "--section: unknown section 'namin'\n  hint: did you mean 'naming'?\n"
    result = rules("--section", "xyz")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[1] == (
        "  hint: choose one of: naming, tags, intro, rules, engagement, lifecycle"
    )


def test_unknown_playbook_is_exit_2():
    result = rules("-p", "builtin:defualt")
    assert result.exit_code == 2
    assert "did you mean 'builtin:default'?" in result.stderr
