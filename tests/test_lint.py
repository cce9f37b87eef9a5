"""`playbook validate` lint: every problem type at its file:line:col, all in one run, with "did you mean"."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook.authoring.lint import lint_playbook, metric_names, root_fields
from playbook.cli import main
from playbook.core.conditions import compile_path
from playbook.core.errors import PlaybookError
from playbook.io.playbook_loader import load_playbook

FIXTURES = Path(__file__).parent / "fixtures"
BAD = FIXTURES / "authoring" / "lint" / "bad.yaml"

# (line:col, message, hint) for every problem in bad.yaml, in file order.
EXPECTED = [
    ("6:19", "unknown param 'min_tag'", "did you mean 'min_tags'?"),
    ("8:10", "the custom section 'brand' needs a title and a weight (missing: title)", None),
    ("10:12", "unknown rule 'naming.topic-keywords'", "did you mean 'naming.topic-keyword'?"),
    ("11:44", "unknown param 'min_tgs'", "did you mean 'min_tags'?"),
    ("17:35", "unknown operator 'starts_wth'", "did you mean 'starts_with'?"),
    ("23:58", "unknown param 'max_lenn'", "did you mean 'max_len'?"),
    (
        "28:51",
        "the regular expression does not compile (at character 5): a ( ) group is never closed",
        "add the ); to match a literal ( write \\(",
    ),
    (
        "33:19",
        "the path 'group.name[' does not parse: it is unfinished: a closing bracket or its last part is missing",
        "check that ( ) and [ ] come in pairs",
    ),
    (
        "38:19",
        "the path 'length(grop.tags || `[]`)' starts with 'grop', which is not a snapshot field",
        "did you mean 'group'?",
    ),
    ("43:20", "unknown metric 'metrics.weekly_activ_ratio'", "did you mean 'metrics.weekly_active_ratio'?"),
    (
        "44:9",
        "the rule id 'tags.wrong-prefix' should start with its section 'naming.'",
        "did you mean 'naming.wrong-prefix'?",
    ),
    ("50:14", "unknown section 'nmaing'", "did you mean 'naming'?"),
    ("54:9", "duplicate rule id naming.op-typo (first defined at line 13)", None),
    (
        "69:36",
        "the param 'min_len' is declared but never used",
        "reference it as {param: min_len} in a condition, or remove it",
    ),
    (
        "75:19",
        "the path 'group.intor || members.list[0].rloe' reads 'intor', which is not a field of group in a "
        "snapshot: the rule would always be unknown",
        "did you mean 'intro'?",
    ),
    (
        "75:19",
        "the path 'group.intor || members.list[0].rloe' reads 'rloe', which is not a field of members.list in a "
        "snapshot: the rule would always be unknown",
        "did you mean 'role'?",
    ),
]


@pytest.fixture(scope="module")
def problems():
    return lint_playbook(str(BAD))


def test_all_problems_in_one_run(problems):
    assert [f"{p.where.line}:{p.where.column}" for p in problems] == [e[0] for e in EXPECTED]


@pytest.mark.parametrize(("position", "message", "hint"), EXPECTED, ids=[e[1][:40] for e in EXPECTED])
def test_problem_message_and_location(problems, position, message, hint):
    found = [p for p in problems if str(p.where) == f"{BAD}:{position}" and p.what.en == message]
    assert found, f"no such problem at {position}: {message}"
    if hint is not None:
        assert found[0].hint is not None and found[0].hint.en == hint
    assert found[0].what.zh  # every message exists in Chinese too


def test_item_paths_of_each_are_not_root_checked(problems):
    assert not [p for p in problems if "tags.each-relative" in str(p.where) or "'tags'" in p.what.en]


def test_validate_prints_every_problem_and_exits_1():
    result = CliRunner().invoke(main, ["validate", str(BAD), "--lang", "en"])
    assert result.exit_code == 1
    assert result.stderr == ""  # the problems are the results: stdout
    assert f"{BAD}:17:35: unknown operator 'starts_wth'\n  hint: did you mean 'starts_with'?" in result.stdout
    assert result.stdout.rstrip().endswith(f"{len(EXPECTED)} problems")


def test_validate_in_chinese():
    result = CliRunner().invoke(main, ["validate", str(BAD), "--lang", "zh"])
    assert result.exit_code == 1
    assert "未知的运算符 'starts_wth'" in result.stdout
    assert "提示: 你是不是想写 'starts_with'？" in result.stdout


def test_load_playbook_raises_every_compile_problem_at_once():
    with pytest.raises(PlaybookError) as caught:
        load_playbook(str(BAD))
    messages = [p.what.en for p in caught.value.problems]
    assert "unknown operator 'starts_wth'" in messages
    assert "unknown param 'max_lenn'" in messages
    assert "unknown section 'nmaing'" in messages
    # lint-only findings do not stop an audit
    assert not any("never used" in m or "snapshot field" in m for m in messages)


def test_clean_playbook_is_ok():
    result = CliRunner().invoke(main, ["validate", str(FIXTURES / "playbooks" / "mini.yaml")])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("ok (playbook)\n")


def test_unused_lifecycle_param(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "playbook: 1\nid: p\ntitle: {zh: 手册, en: Playbook}\nsections: {naming: {weight: 1}}\n"
        "lifecycle:\n  params: {launch_days: 30, spare: 1}\n  long_term:\n"
        "    - stage: launch\n      when: {path: metrics.age_days, op: at_most, value: {param: launch_days}}\n"
        "    - stage: growth\n",
        encoding="utf-8",
    )
    problems = lint_playbook(str(path))
    assert [(str(p.where), p.what.en) for p in problems] == [
        (f"{path}:6:36", "the param 'spare' is declared but never used")
    ]


def test_schema_problems_come_back_as_they_are(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("playbook: 1\nid: p\nrules: 3\n", encoding="utf-8")
    problems = lint_playbook(str(path))
    assert problems and all(p.where.file == str(path) for p in problems)


@pytest.mark.parametrize(
    ("expr", "roots", "metrics"),
    [
        ("group.name", ["group"], []),
        ("length(group.tags || `[]`)", ["group"], []),
        ("metrics.weekly_active_ratio", ["metrics"], ["weekly_active_ratio"]),
        ("members.list[?role == 'admin'].id", ["members"], []),
        ("max([metrics.a, metrics.b])", [], ["a", "b"]),
        ("@", [], []),
    ],
)
def test_roots_and_metric_names(expr, roots, metrics):
    ast = compile_path(expr).parsed
    assert root_fields(ast) == roots
    assert metric_names(ast) == metrics
