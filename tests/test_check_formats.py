"""`validate` and `test` as CI gates: folders and globs like `audit`, `-f table|json|github|junit|sarif`
on stdout (diagnostics on stderr), the same exit codes (0 clean, 1 problems found, 2 unusable)."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from playbook.cli import main
from tests.ci_helpers import ROOT, SARIF_SCHEMA
from tests.conftest import FIXTURES, MINI

CHILD = FIXTURES / "authoring" / "child" / "child.yaml"
BROKEN_GROUP = "snapshot: 1\nplatform: icq\ngroup: {name: x}\n"


def run(*args: object, lang: str = "en") -> Result:
    return CliRunner().invoke(main, [*map(str, args), "--lang", lang])


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """groups/ with two good snapshots and a broken one; playbooks/ with a good playbook."""
    groups = tmp_path / "groups"
    (groups / "more").mkdir(parents=True)
    shutil.copy(ROOT / "tests/fixtures/ci/groups/alpha.yaml", groups / "alpha.yaml")
    shutil.copy(ROOT / "tests/fixtures/ci/groups/more/gamma.yml", groups / "more" / "gamma.yml")
    (groups / "broken.yaml").write_text(BROKEN_GROUP, encoding="utf-8")
    (tmp_path / "playbooks").mkdir()
    shutil.copy(MINI, tmp_path / "playbooks" / "mini.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def sarif_valid(text: str) -> dict:
    log = json.loads(text)
    if SARIF_SCHEMA.exists():
        jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(log)
    return log


def test_validate_takes_folders_and_globs_like_audit(repo):
    result = run("validate", "groups/", "playbooks/*.yaml")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()  # results on stdout, problems among the files that passed
    assert [line for line in lines if line.endswith(")")] == [
        "groups/alpha.yaml: ok (snapshot)",
        "groups/more/gamma.yml: ok (snapshot)",
        "playbooks/mini.yaml: ok (playbook)",
    ]
    assert any(line.startswith("groups/broken.yaml:2:11: ") for line in lines)
    assert result.stdout.endswith("1 problem\n") and result.stderr == ""


def test_validate_quiet_lists_only_problems(repo):
    result = run("validate", "groups/", "-q")
    assert result.exit_code == 1 and ": ok (" not in result.stdout
    assert "groups/broken.yaml:2:11" in result.stdout
    assert run("validate", "groups/more", "-q").stdout == ""


def test_validate_json_on_stdout(repo):
    result = run("validate", "groups/", "-f", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["command"] == "validate"
    assert payload["summary"] == {"checks": 3, "passed": 2, "failed": 1, "skipped": 0, "problems": 1}
    broken = next(c for c in payload["checks"] if c["status"] == "failed")
    problem = broken["problems"][0]
    assert (broken["name"], problem["file"], problem["line"], problem["column"]) == (
        "groups/broken.yaml",
        "groups/broken.yaml",
        2,
        11,
    )
    assert "icq" in problem["message"]
    assert result.stderr == "1 problem\n"  # the diagnostic stays on stderr


def test_validate_github_sarif_and_junit(repo):
    github = run("validate", "groups/", "-f", "github")
    assert github.stdout.startswith(
        "::error file=groups/broken.yaml,line=2,col=11,title=playbook validate · "
    )
    log = sarif_valid(run("validate", "groups/", "-f", "sarif").stdout)
    (finding,) = log["runs"][0]["results"]
    assert finding["ruleId"] == "invalid-file"
    region = finding["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (2, 11)
    junit = ET.fromstring(run("validate", "groups/", "-f", "junit").stdout)
    assert (junit.get("tests"), junit.get("failures")) == ("3", "1")
    assert junit.find(".//testcase[@name='groups/broken.yaml']/failure") is not None


def test_validate_writes_a_format_to_a_file(repo):
    result = run("validate", "groups/more", "-f", "json", "-o", "checks.json")
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads((repo / "checks.json").read_text(encoding="utf-8"))["summary"]["passed"] == 1


def test_validate_in_chinese_keeps_the_counts(repo):
    result = run("validate", "groups/", "-f", "json", lang="zh")
    assert result.stderr == "共 1 个问题\n"
    assert json.loads(result.stdout)["summary"]["failed"] == 1


@pytest.mark.parametrize("command", ["validate", "test"])
def test_a_missing_path_is_unusable_input(repo, command):
    result = run(command, "nowhere/", "-f", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "nowhere/: no such file or folder" in result.stderr


@pytest.fixture
def failing_playbook(tmp_path) -> Path:
    """A copy of the authoring child playbook with one example that now fails."""
    folder = tmp_path / "pbs" / "child"
    shutil.copytree(CHILD.parent, folder)
    (folder / "tests" / "growth.yaml").unlink()  # its snapshot path is relative to the fixtures
    text = (
        (folder / "child.yaml")
        .read_text(encoding="utf-8")
        .replace("fail: [{group: {name: 交流群}}]", "fail: [{group: {name: 【运营】群}}]")
        .replace("../../playbooks/mini.yaml", str(MINI))
    )
    (folder / "child.yaml").write_text(text, encoding="utf-8")
    shutil.copy(MINI, tmp_path / "pbs" / "mini.yaml")
    return tmp_path / "pbs"


def test_test_takes_a_folder_and_finds_the_playbooks_in_it(failing_playbook):
    result = run("test", failing_playbook)
    assert result.exit_code == 1
    assert f"{failing_playbook / 'mini.yaml'} ...." in result.stdout
    assert (
        f"___ {failing_playbook / 'child' / 'child.yaml'}:18:14: naming.bracket-prefix[fail#0] ___"
        in result.stdout
    )
    quiet = run("test", failing_playbook, "-q")
    assert " FAILURES " in quiet.stdout and f"{failing_playbook / 'mini.yaml'} ." not in quiet.stdout
    assert "1 failed" in quiet.stdout.splitlines()[-1]


def test_test_in_the_ci_formats(failing_playbook):
    payload = json.loads(run("test", f"{failing_playbook}/**/*.yaml", "-f", "json").stdout)
    assert payload["command"] == "test"
    assert payload["summary"]["failed"] == 1 and payload["summary"]["passed"] > 10
    failed = next(c for c in payload["checks"] if c["status"] == "failed")
    assert failed["name"] == "naming.bracket-prefix[fail#0]"
    assert failed["problems"][0]["line"] == 18
    log = sarif_valid(run("test", failing_playbook, "-f", "sarif").stdout)
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["test-failed"]
    junit = ET.fromstring(run("test", failing_playbook, "-f", "junit").stdout)
    assert junit.get("failures") == "1" and int(junit.get("tests")) == payload["summary"]["checks"]
    github = run("test", failing_playbook, "-f", "github")
    assert github.exit_code == 1
    assert github.stdout.startswith(
        f"::error file={failing_playbook / 'child' / 'child.yaml'},line=18,col=14,"
    )


def test_test_of_a_folder_without_playbooks_is_unusable(repo):
    result = run("test", "groups/more")
    assert result.exit_code == 2
    assert "groups/more: no playbook here" in result.stderr
