"""docs/ci.md's walk-through, step by step as written: a new repository goes from nothing to a
pull-request check that fails when a change breaks a rule and passes once it is fixed.

Files are written from the blocks marked `<!-- ci-step: PATH -->`; commands run in a shell with
this checkout's `playbook` first on PATH; the workflow's playbook step runs the action's steps
(tests/test_action.py); the pre-commit config runs with pre-commit, the distribution it names
taken from this checkout (it is what the package index would serve).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from playbook import __version__
from tests.ci_helpers import ROOT, SARIF_SCHEMA
from tests.test_action import run_action

pytestmark = pytest.mark.slow  # installs, builds or starts a cluster: the full run, not the inner loop

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DOC = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
STEPS = {name: body for name, body in re.findall(r"<!-- ci-step: (\S+) -->\n```\w+\n(.*?)```", DOC, re.S)}
BIN = Path(sys.executable).parent  # where this checkout's `playbook` command is installed
DISTRIBUTION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]


def shell(repo: Path, command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "PLAYBOOK_LANG": "en"}
    env.pop("GITHUB_STEP_SUMMARY", None)
    return subprocess.run(
        ["bash", "-c", command], cwd=repo, env=env, capture_output=True, text=True, timeout=300
    )


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def rename_group(repo: Path, step: str) -> None:
    """Apply a `name:` line of the walk-through (step 8 or 9) to groups/ops.yaml."""
    group = repo / "groups" / "ops.yaml"
    line = STEPS[step].rstrip("\n")
    text = re.sub(r"(?m)^  name: .*$", line, group.read_text(encoding="utf-8"), count=1)
    group.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path) -> Path:
    """Steps 2 to 4 and 6, 7: the files of the new repository, as the document gives them."""
    repo = tmp_path / "our-groups"
    repo.mkdir()
    git(repo, "init", "-q")
    for name, body in STEPS.items():
        if "/" in name or name.startswith("."):
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            (repo / name).write_text(body, encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "our groups")
    return repo


def test_every_step_is_in_the_document():
    expected = {
        "install",
        "groups/ops.yaml",
        "playbooks/ours.yaml",
        ".playbook.yaml",
        "check",
        ".github/workflows/groups.yml",
        ".pre-commit-config.yaml",
        "break",
        "fix",
    }
    assert set(STEPS) == expected


def test_step_1_installs_the_distribution_by_its_name(tmp_path):
    install, version = STEPS["install"].splitlines()
    assert install == f"pip install {DISTRIBUTION}"  # the wheel itself: tests/test_packaging.py
    done = shell(tmp_path, version)
    assert done.returncode == 0 and __version__ in done.stdout


def test_the_checks_fail_on_a_broken_rule_and_pass_once_it_is_fixed(repo, tmp_path):
    # 5. locally: every command passes
    for command in STEPS["check"].splitlines():
        done = shell(repo, command)
        assert done.returncode == 0, f"{command}\n{done.stdout}{done.stderr}"
    # 6. the pull-request check: the workflow's playbook step, then what upload-sarif reads
    workflow = yaml.safe_load(STEPS[".github/workflows/groups.yml"])
    steps = workflow["jobs"]["audit"]["steps"]
    action = next(step for step in steps if step.get("id") == "playbook")
    assert action["uses"] == f"OWNER/playbook@v{__version__}"
    upload = next(step for step in steps if "upload-sarif" in step.get("uses", ""))
    assert (
        upload["if"] == "always()" and upload["with"]["sarif_file"] == "${{ steps.playbook.outputs.sarif }}"
    )
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir()

    def pull_request_check():
        run = run_action(repo, runner_temp, **{key: str(value) for key, value in action["with"].items()})
        sarif = json.loads((repo / run.outputs["sarif"]).read_text(encoding="utf-8"))
        if SARIF_SCHEMA.exists():
            jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(sarif)
        return run, {r["ruleId"] for r in sarif["runs"][0]["results"]}

    first, found = pull_request_check()
    assert first.exit_code == 0, first.log
    assert "naming.bracket-prefix" not in found
    # 8. a pull request that breaks the rule
    rename_group(repo, "break")
    local = shell(repo, "playbook audit")
    assert local.returncode == 1
    assert "groups/ops.yaml: gate assert.must_pass naming.bracket-prefix failed: status fail" in local.stderr
    broken, found = pull_request_check()
    assert broken.exit_code == 1
    assert "::error file=groups/ops.yaml,line=6,col=9,title=naming.bracket-prefix" in broken.log
    assert "`naming.bracket-prefix`" in broken.summary
    assert "naming.bracket-prefix" in found
    # 9. fixed
    rename_group(repo, "fix")
    assert shell(repo, "playbook audit").returncode == 0
    fixed, found = pull_request_check()
    assert fixed.exit_code == 0, fixed.log
    assert "naming.bracket-prefix" not in found


@pytest.mark.skipif(
    subprocess.run([sys.executable, "-m", "pre_commit", "--version"], capture_output=True).returncode != 0,
    reason="needs pre-commit (pip install '.[test]')",
)
def test_step_7_the_pre_commit_hook_fails_then_passes(repo, tmp_path):
    config = repo / ".pre-commit-config.yaml"
    wanted = f"{DISTRIBUTION}=={__version__}"
    assert wanted in config.read_text(encoding="utf-8")
    # What the package index would serve for that requirement: this checkout.
    config.write_text(config.read_text(encoding="utf-8").replace(wanted, str(ROOT)), encoding="utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PLAYBOOK_LANG": "en"}

    def hook() -> subprocess.CompletedProcess[str]:
        git(repo, "add", "-A")
        command = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"]
        return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=900)

    passed = hook()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    rename_group(repo, "break")
    failed = hook()
    assert failed.returncode == 1
    assert "gate assert.must_pass naming.bracket-prefix failed" in failed.stdout
    rename_group(repo, "fix")
    assert hook().returncode == 0
    shutil.rmtree(tmp_path / "pre-commit-home", ignore_errors=True)
