"""The pre-commit hooks, run the way a user's repository runs them: `pre-commit try-repo`.

pre-commit installs this project from the repository into its own virtualenv (from PyPI for
the dependencies), so this test needs the package index and takes about 40 seconds. It runs
against a clone of the committed HEAD: what a user's `rev:` would get, and immune to other
people's uncommitted work in a shared checkout (commit a hook change before running it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ci_helpers import ALPHA, GAMMA, ROOT

pytestmark = [
    pytest.mark.slow,  # installs the hook environments: the full run, not the inner loop
    pytest.mark.skipif(
        shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs git and a checkout"
    ),
    pytest.mark.skipif(
        subprocess.run([sys.executable, "-m", "pre_commit", "--version"], capture_output=True).returncode
        != 0,
        reason="needs pre-commit (pip install '.[test]')",
    ),
]


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def try_repo(repo: Path, hook: str, home: Path, *files: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo` of this project's HEAD: on `files` (as if only they were staged), else all."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1", "PLAYBOOK_LANG": "en"}
    command = [
        sys.executable,
        "-m",
        "pre_commit",
        "try-repo",
        str(ROOT),
        hook,
        *(["--files", *files] if files else ["--all-files"]),
        "--color",
        "never",
    ]
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """PRE_COMMIT_HOME, holding a clone of this project's HEAD as the hook repository."""
    home = tmp_path_factory.mktemp("pre-commit-home")
    subprocess.run(["git", "clone", "-q", str(ROOT), str(home / "project")], check=True, capture_output=True)
    return home


SETTINGS = "paths: [groups/]\nplaybooks: [playbooks/ours.yaml]\nfail_under: 10\n"


@pytest.fixture(scope="module")
def user_repo(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("user-repo")
    git(repo, "init", "-q")
    (repo / "groups").mkdir()
    shutil.copy(ROOT / ALPHA, repo / "groups" / "alpha.yaml")
    shutil.copy(ROOT / GAMMA, repo / "groups" / "gamma.yml")
    (repo / "playbooks").mkdir()
    shutil.copy(ROOT / "tests/fixtures/ci/playbook.yaml", repo / "playbooks" / "ours.yaml")
    (repo / "README.md").write_text("not checked: outside groups/ and playbooks/\n", encoding="utf-8")
    (repo / ".playbook.yaml").write_text(SETTINGS, encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "groups")
    return repo


def test_validate_and_audit_hooks_pass_on_good_files(user_repo, home):
    result = try_repo(user_repo, "playbook-validate", home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "playbook validate" in result.stdout and "Passed" in result.stdout
    result = try_repo(user_repo, "playbook-audit", home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_a_broken_group_file_fails_the_hook_with_its_location(user_repo, home):
    broken = user_repo / "groups" / "broken.yaml"
    broken.write_text("snapshot: 1\nplatform: icq\ngroup: {name: x}\n", encoding="utf-8")
    git(user_repo, "add", ".")
    try:
        result = try_repo(user_repo, "playbook-validate", home)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Failed" in result.stdout and "groups/broken.yaml:2:11" in result.stdout
    finally:  # the repository is shared by the module's tests
        broken.unlink()
        git(user_repo, "add", "-A")


def test_the_audit_hook_reaudits_the_groups_when_only_a_playbook_changes(user_repo, home):
    playbook = user_repo / "playbooks" / "ours.yaml"
    original = playbook.read_text(encoding="utf-8")
    try:
        # Only the playbook changes: a stricter gate in its assert block fails the groups it governs.
        playbook.write_text(original + "assert:\n  min_score: 99\n", encoding="utf-8")
        result = try_repo(user_repo, "playbook-audit", home, "playbooks/ours.yaml")
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Failed" in result.stdout
        assert "groups/alpha.yaml: gate assert.min_score 99 failed" in result.stdout
    finally:
        playbook.write_text(original, encoding="utf-8")


def test_the_audit_hook_reruns_when_the_settings_change_and_not_for_other_files(user_repo, home):
    settings = user_repo / ".playbook.yaml"
    try:
        settings.write_text(SETTINGS.replace("fail_under: 10", "fail_under: 99"), encoding="utf-8")
        result = try_repo(user_repo, "playbook-audit", home, ".playbook.yaml")
        assert result.returncode == 1, result.stdout + result.stderr
        assert "gate --fail-under 99 failed" in result.stdout
        unrelated = try_repo(user_repo, "playbook-audit", home, "README.md")
        assert unrelated.returncode == 0 and "Skipped" in unrelated.stdout
    finally:
        settings.write_text(SETTINGS, encoding="utf-8")
