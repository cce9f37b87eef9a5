"""`playbook test`: inline examples and test files, a pytest-like summary, diffs, exit codes."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from playbook.cli import main
from tests.conftest import FIXTURES, MINI

CHILD = FIXTURES / "authoring" / "child" / "child.yaml"


def run_test(*args: str):
    return CliRunner().invoke(main, ["test", *map(str, args), "--lang", "en"])


def test_examples_of_a_playbook_pass():
    result = run_test(MINI)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith(f"{MINI} ")
    assert "16 passed in " in result.stdout.splitlines()[-1]


def test_test_files_beside_the_playbook_and_skipped_examples():
    result = run_test(CHILD)
    assert result.exit_code == 0, result.stdout
    growth = FIXTURES / "authoring" / "child" / "tests" / "growth.yaml"
    assert f"{growth} .." in result.stdout
    # tags.present's examples were written for min_tags 3; the child raised it: skipped, not failed
    assert "passed, 1 skipped (params or stages overridden)" in result.stdout


def test_failures_show_a_diff_and_exit_1(tmp_path):
    folder = tmp_path / "pb"
    shutil.copytree(CHILD.parent, folder)
    (folder / "tests" / "growth.yaml").unlink()  # its snapshot path is relative to the fixtures
    (folder / "tests" / "wrong.yaml").write_text(
        "snapshot: {group: {name: 交流群, stage: launch}}\n"
        "expect: {stage: growth, rules: {naming.bracket-prefix: pass}, sections: {naming: 50}, overall: 99}\n",
        encoding="utf-8",
    )
    text = (
        (folder / "child.yaml")
        .read_text(encoding="utf-8")
        .replace("fail: [{group: {name: 交流群}}]", "fail: [{group: {name: 【运营】群}}]")
        .replace("../../playbooks/mini.yaml", str(MINI))
    )
    (folder / "child.yaml").write_text(text, encoding="utf-8")
    result = run_test(folder / "child.yaml")
    assert result.exit_code == 1
    out = result.stdout
    assert " FAILURES " in out
    # each failure is located where its example or case is written, for an editor to jump to
    assert f"___ {folder / 'child.yaml'}:18:14: naming.bracket-prefix[fail#0] ___" in out
    assert "naming.bracket-prefix\n  expected: fail\n  got:      pass — passes" in out
    assert '  example:  {"snapshot": 1' in out
    assert f"___ {folder / 'tests' / 'wrong.yaml'}:1:1: #0 ___" in out
    assert (
        "naming.bracket-prefix\n  expected: pass\n  got:      fail — Group name shown to members (group.name): found '交流群'"
        in out
    )
    assert "stage\n  expected: growth\n  got:      cold start (launch)" in out
    assert "section naming\n  expected: 50" in out
    assert "overall\n  expected: 99" in out
    assert out.splitlines()[-1].startswith("=") and "12 passed, 2 failed, 1 skipped" in out.splitlines()[-1]

    chinese = CliRunner().invoke(main, ["test", str(folder / "child.yaml"), "--lang", "zh"]).stdout
    # statuses and stages in the reader's words, with the key the file has to say
    assert "naming.bracket-prefix\n  期望:     未通过 (fail)\n  实际:     通过 (pass) — 符合要求" in chinese
    assert "阶段\n  期望:     热运营期 (growth)\n  实际:     冷启动期 (launch)" in chinese


def test_examples_are_grouped_by_the_file_they_are_written_in(tmp_path):
    child = tmp_path / "child.yaml"
    child.write_text(
        CHILD.read_text(encoding="utf-8").replace("../../playbooks/mini.yaml", str(MINI)), encoding="utf-8"
    )
    lines = run_test(
        child, "--tests", FIXTURES / "authoring" / "child" / "tests" / "growth.yaml"
    ).stdout.splitlines()
    assert lines[0].startswith(f"{MINI} (extended by {child}) ...")
    assert lines[1] == f"{child} .."
    chinese = CliRunner().invoke(main, ["test", str(child), "--lang", "zh"]).stdout
    assert chinese.startswith(f"{MINI}（{child} 继承） ...")


def test_explicit_tests_path(tmp_path):
    case = tmp_path / "one.yaml"
    case.write_text(
        "snapshot: {group: {name: x, tags: [a]}}\nexpect: {rules: {tags.present: fail}}\n", encoding="utf-8"
    )
    result = run_test(MINI, "--tests", case)
    assert result.exit_code == 0, result.stdout
    assert f"{case} ." in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "expect: {rules: {tags.present: passed}}\nsnapshot: {}\n",
            ":1:32: $.expect.rules.tags.present: 'passed' is not one of: pass, partial,",
        ),
        (
            "snapshot: {}\nexpect: {rule: {tags.present: pass}}\n",
            ":2:10: unknown key 'rule' (in $.expect)\n  hint: did you mean 'rules'?",
        ),
        ("tests: [{snapshot: {}}]\n", ":1:9: $.tests[0]: missing required key 'expect'"),
        ("tests: [{snapshot: 3, expect: {}}]\n", ":1:20: $.tests[0].snapshot: 3 is not text or a mapping"),
        ("tests: {a: 1}\n", ":1:8: $.tests: {…} is not a list"),
        ("expect: {rules: pass}\nsnapshot: {}\n", ":1:17: $.expect.rules: 'pass' is not a mapping"),
        (
            "snapshot: {}\nexpect: {overall: high}\n",
            ":2:19: $.expect.overall: 'high' is not a number or null",
        ),
        ("name: x\n", ": not a test file"),
    ],
)
def test_broken_test_files_are_exit_2(tmp_path, content, message):
    case = tmp_path / "case.yaml"
    case.write_text(content, encoding="utf-8")
    result = run_test(MINI, "--tests", case)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.startswith(str(case))


def test_unknown_rule_in_expect_is_a_failure_with_suggestion(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("snapshot: {}\nexpect: {rules: {tags.presnt: pass}}\n", encoding="utf-8")
    result = run_test(MINI, "--tests", case)
    assert result.exit_code == 1
    assert "tags.presnt: no such rule (did you mean 'tags.present'?)" in result.stdout


def test_chinese_summary():
    result = CliRunner().invoke(main, ["test", str(MINI), "--lang", "zh"])
    assert "16 个通过，用时 " in result.stdout and " 秒 " in result.stdout
    assert " in " not in result.stdout.splitlines()[-1]


BAD_EXAMPLES = """\
playbook: 1
id: t
title: {zh: 测试, en: test}
extends: [builtin:default]
rules:
  - id: naming.acme
    section: naming
    title: {zh: 群名带品牌, en: Name has the brand}
    severity: medium
    check: {path: group.name, op: starts_with, value: ACME}
    fix: {zh: 改名, en: rename}
    examples:
      pass:
        - {group: ACME}
      fail:
        - {group: {name: 5}, captured_at: 7}
"""


def test_an_example_that_is_no_snapshot_is_located_by_validate_and_test(tmp_path):
    playbook = tmp_path / "pb.yaml"
    playbook.write_text(BAD_EXAMPLES, encoding="utf-8")
    expected = [
        f"{playbook}:14:19: $.rules[0].examples.pass[0].group: 'ACME' is not a mapping",
        f"{playbook}:16:26: $.rules[0].examples.fail[0].group.name: 5 is not text",
        f"{playbook}:16:43: $.rules[0].examples.fail[0].captured_at: 7 is not text",
    ]
    validated = CliRunner().invoke(main, ["validate", str(playbook), "--lang", "en"])
    assert validated.exit_code == 1
    assert validated.stdout.splitlines() == [*expected, "3 problems"]
    tested = run_test(playbook)
    assert tested.exit_code == 2
    assert tested.stderr.splitlines() == expected
    # an audit never runs examples: a broken one does not stop it
    group = FIXTURES.parent.parent / "examples" / "wechat-groupbuy-ads.yaml"
    audited = CliRunner().invoke(main, ["audit", str(group), "-p", str(playbook), "-f", "json"])
    assert audited.exit_code == 0, audited.stderr


def test_an_inline_snapshot_of_a_test_file_is_checked(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(
        "tests:\n  - snapshot: {group: {name: 5}, members: 3}\n    expect: {overall: 3}\n", encoding="utf-8"
    )
    result = run_test(MINI, "--tests", case)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{case}:2:30: $.tests[0].snapshot.group.name: 5 is not text",
        f"{case}:2:43: $.tests[0].snapshot.members: 3 is not a mapping",
    ]
