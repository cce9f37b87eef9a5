"""A rule that breaks on a group looks broken: its own mark and words in every format, never a
fix to do now or next, counted, and a gate for CI (`--fail-on error`)."""

from __future__ import annotations

import json
import textwrap

import pytest
from click.testing import CliRunner

from playbook.cli import main

GROUP = "snapshot: 1\ncaptured_at: 2026-11-20T21:00:00+08:00\nplatform: qq\ngroup: {name: 测试群}\n"
# join() of tags the group does not have: the path itself breaks (a JMESPath type error).
BROKEN = textwrap.dedent(
    """\
    playbook: 1
    id: broken
    title: {zh: 坏规则, en: A broken rule}
    extends: [builtin:qq]
    rules:
      - id: tags.joined
        section: tags
        title: {zh: 标签拼接后含运营, en: Tags joined mention ops}
        why: {zh: 测试, en: test}
        fix: {zh: 测试, en: test}
        severity: critical
        effort: low
        check: {path: "join(' ', group.tags)", op: contains, value: 运营}
    """
)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "g.yaml").write_text(GROUP, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(BROKEN, encoding="utf-8")
    return tmp_path


def run(files, *args: str):
    return CliRunner().invoke(main, [*args, "--lang", "en"])


def audit(files, *args: str):
    return run(
        files, "audit", str(files / "g.yaml"), "-p", str(files / "p.yaml"), "--today", "2026-11-20", *args
    )


def test_a_broken_rule_is_in_its_own_group_never_a_fix(files):
    report = json.loads(audit(files, "-f", "json").stdout)
    result = next(r for r in report["results"] if r["rule"] == "tags.joined")
    assert result["status"] == "error"
    assert result["message"] == "rule error: join() in the path expects array-string, got null"
    items = [i for i in report["checklist"] if i["rule"] == "tags.joined"]
    assert [(i["group"], i["gain"]) for i in items] == [("broken", None)]
    assert report["summary"]["error"] == 1


def test_the_table_and_markdown_mark_it_broken(files):
    table = audit(files).stdout
    assert (
        "Rule errors (unscored: mend the playbook):\n ✖ Tags joined mention ops (tags.joined) — rule error:"
        in table
    )
    assert "tags.joined" not in table.split("Rule errors")[0]  # not under "Do now" or "Next"
    markdown = audit(files, "-f", "markdown").stdout
    assert "- ✖ **Tags joined mention ops** `tags.joined` — rule error:" in markdown


def test_fail_on_error_is_a_gate(files):
    assert audit(files).exit_code == 0
    gated = audit(files, "--fail-on", "error")
    assert gated.exit_code == 1
    assert "gate --fail-on error failed: 1 rule broke (tags.joined)" in gated.stderr


def test_explain_shows_where_the_rule_broke(files):
    result = run(files, "explain", "tags.joined", str(files / "g.yaml"), "-p", str(files / "p.yaml"))
    assert result.exit_code == 0
    assert "! join() in the path expects array-string, got null" in result.stdout
    assert "result: rule error (error)" in result.stdout


def test_a_rule_counting_days_without_a_capture_time_is_missing_data_not_broken(tmp_path):
    (tmp_path / "g.yaml").write_text(
        "platform: qq\ngroup: {name: 测试群, created_at: 2026-01-01}\n", encoding="utf-8"
    )
    report = json.loads(
        CliRunner()
        .invoke(main, ["audit", str(tmp_path / "g.yaml"), "-f", "json", "--today", "2026-11-20"])
        .stdout
    )
    assert report["summary"]["error"] == 0
    assert report["summary"]["unknown"] > 0
