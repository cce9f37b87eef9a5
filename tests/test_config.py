"""Settings files: `[tool.playbook]` in pyproject.toml and `.playbook.yaml`, found upward from the
working folder to the repository root; flags win; `playbook config` says where each value came from."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from playbook.cli import main
from tests.ci_helpers import ROOT, TODAY
from tests.conftest import MINI

CI = ROOT / "tests" / "fixtures" / "ci"


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A repository (it has .git) with the CI groups and playbook, the working folder inside it."""
    (tmp_path / ".git").mkdir()
    shutil.copytree(CI / "groups", tmp_path / "groups")
    shutil.copy(CI / "playbook.yaml", tmp_path / "playbook.yaml")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    return tmp_path


def run(*args: str, lang: str = "en") -> Result:
    return CliRunner().invoke(main, [*args, "--lang", lang])


def audit(*args: str) -> Result:
    return run("audit", *args, "--today", TODAY)


PYPROJECT = """\
[project]
name = "our-groups"

[tool.playbook]
paths = ["groups/"]
playbooks = ["playbook.yaml"]
fail_under = 60
"""


def test_pyproject_settings_are_found_from_a_subfolder_and_fill_the_flags(repo):
    (repo / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    result = audit()
    assert result.exit_code == 1, result.output
    assert "../groups/alpha.yaml: gate --fail-under 60 failed: overall" in result.stderr
    assert "运营交流" in result.stdout  # beta.json: the paths setting named the folder


def test_a_flag_on_the_command_line_wins(repo):
    (repo / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    result = audit("--fail-under", "0")
    assert result.exit_code == 0, result.output
    only_beta = audit("../groups/beta.json")
    assert only_beta.exit_code == 0 and "周末闲聊群" not in only_beta.stdout


def test_the_dot_file_comes_before_pyproject_and_the_nearest_folder_first(repo):
    (repo / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (repo / ".playbook.yaml").write_text("fail_under: 5\npaths: [groups/beta.json]\n", encoding="utf-8")
    assert audit().exit_code == 0
    (repo / "sub" / "pyproject.toml").write_text("[tool.playbook]\nfail_under = 99\n", encoding="utf-8")
    result = audit("../groups/beta.json", "-p", "../playbook.yaml")
    assert result.exit_code == 1 and "gate --fail-under 99 failed" in result.stderr


def test_a_pyproject_without_the_table_is_passed_over(repo):
    (repo / ".playbook.yaml").write_text("fail_under: 99\n", encoding="utf-8")
    (repo / "sub" / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    shown = run("config", "-f", "json")
    assert json.loads(shown.stdout)["file"] == "../.playbook.yaml"


def test_the_search_stops_at_the_repository_root(repo, tmp_path):
    (repo / "sub" / ".git").mkdir()  # sub/ is now a repository of its own
    (repo / ".playbook.yaml").write_text("fail_under: 99\n", encoding="utf-8")
    result = run("config")
    assert result.exit_code == 0
    sub = str(repo.resolve() / "sub")
    assert result.stdout.startswith(f"no settings file (looked from {sub} up to {sub} for")
    assert ["fail_under", "–", "default"] in [line.split() for line in result.stdout.splitlines()]


def test_config_shows_each_value_and_where_it_came_from(repo):
    (repo / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    result = run("config")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "settings file: ../pyproject.toml"
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[3:-1]}
    assert rows["fail_under"] == ["fail_under", "60", "../pyproject.toml:7:14"]
    assert rows["paths"] == ["paths", "../groups", "../pyproject.toml:5:9"]
    assert rows["fail_on"] == ["fail_on", "–", "default"]
    chinese = run("config", lang="zh")
    assert "设置文件: ../pyproject.toml" in chinese.stdout and "默认" in chinese.stdout
    data = json.loads(run("config", "-f", "json").stdout)
    assert {"setting": "fail_under", "value": 60, "from": "../pyproject.toml:7:14"} in data["settings"]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "pyproject.toml",
            "[tool.playbook]\nfail_undr = 70\n",
            ["../pyproject.toml:2:1: unknown key 'fail_undr' (in $)", "hint: did you mean 'fail_under'?"],
        ),
        (
            "pyproject.toml",
            "[tool.playbook]\npaths = ['groups/']\nfail_on = 'bad'\n",
            [
                "../pyproject.toml:3:11: $.fail_on: 'bad' is not one of: critical, high, medium, low, info, error"
            ],
        ),
        (
            "pyproject.toml",
            "[tool.playbook]\nfail_under = [70\n",
            ["../pyproject.toml:3:1: TOML syntax error: Unclosed array"],
        ),
        (
            "pyproject.toml",
            "[tool.playbook]\nfail_under = 70 70\n",
            [
                "../pyproject.toml:2:17: TOML syntax error: Expected newline or end of document after a statement"
            ],
        ),
        (".playbook.yaml", "jobs: -1\n", ["../.playbook.yaml:1:7: $.jobs: -1 must be at least 0"]),
        (".playbook.yaml", "- fail_under\n", ["../.playbook.yaml:1:1: the settings should be a mapping"]),
    ],
)
def test_a_bad_settings_file_is_a_located_usage_error(repo, name, text, expected):
    (repo / name).write_text(text, encoding="utf-8")
    for command in (["config"], ["audit", "../groups/beta.json"]):
        result = run(*command)
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        for line in expected:
            assert line in result.stderr
        assert "Traceback" not in result.stderr


def test_a_bad_settings_file_is_explained_in_chinese(repo):
    (repo / ".playbook.yaml").write_text("fail_under: 170\n", encoding="utf-8")
    result = run("audit", lang="zh")
    assert result.exit_code == 2
    assert "../.playbook.yaml:1:13: $.fail_under 的值 170 超出范围（应至多 100）" in result.stderr


def test_no_snapshot_named_and_none_configured_says_what_to_do(repo):
    result = audit()
    assert result.exit_code == 2
    assert "Missing argument 'SNAPSHOTS...'. Or set paths: [groups/] in the settings file" in result.stderr
    assert "缺少参数 'SNAPSHOTS...'. 或在设置文件里写 paths: [groups/]" in run("audit", lang="zh").stderr


def test_format_files_in_the_settings_are_relative_to_the_settings_file(repo):
    (repo / ".playbook.yaml").write_text(
        "paths: [groups/beta.json]\nformat: [table, 'json:out/report.json']\n", encoding="utf-8"
    )
    (repo / "out").mkdir()
    result = audit()
    assert result.exit_code == 0, result.output
    assert json.loads((repo / "out" / "report.json").read_text(encoding="utf-8"))["snapshot"]["group_id"]


def test_the_settings_schema_is_printed_for_editors():
    result = run("schema", "config")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["additionalProperties"] is False and "fail_under" in schema["properties"]


def test_validate_and_test_without_files_take_those_of_the_settings(repo):
    shutil.copy(MINI, repo / "mini.yaml")  # a playbook with rule examples
    (repo / ".playbook.yaml").write_text(
        "paths: [groups/more]\nplaybooks: [mini.yaml, builtin:qq]\n", encoding="utf-8"
    )
    validated = run("validate")
    assert validated.exit_code == 0, validated.output
    assert validated.stdout.splitlines() == [
        "../groups/more/gamma.yml: ok (snapshot)",
        "../mini.yaml: ok (playbook)",
    ]
    tested = run("test")
    assert tested.exit_code == 0, tested.output
    assert tested.stdout.startswith("../mini.yaml ")


@pytest.mark.parametrize(
    ("command", "metavar", "key"), [("validate", "FILES...", "paths"), ("test", "PLAYBOOK...", "playbooks")]
)
def test_validate_and_test_without_files_or_settings_say_what_is_missing(repo, command, metavar, key):
    result = run(command)
    assert result.exit_code == 2
    assert f"Missing argument '{metavar}'. Or set {key}: [...] in the settings file" in result.stderr


def test_an_empty_dot_file_sets_nothing_and_ends_the_search(repo):
    (repo / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (repo / "sub" / ".playbook.yaml").write_text("# nothing yet\n", encoding="utf-8")
    data = json.loads(run("config", "-f", "json").stdout)
    assert data["file"] == ".playbook.yaml"
    assert all(row["from"] == "default" for row in data["settings"])
