"""action.yml, run the way a GitHub runner runs a composite action: each `run:` step as a bash
script (`bash --noprofile --norc -eo pipefail`), its `env:` with the inputs filled in, and GitHub's
variables (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE, RUNNER_TEMP) pointing at temporary
files. The install step really installs this checkout into a virtualenv (about 20 seconds).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from playbook.cli import main
from tests.ci_helpers import ROOT, SARIF_SCHEMA

pytestmark = pytest.mark.slow  # installs, builds or starts a cluster: the full run, not the inner loop

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


@dataclass
class ActionRun:
    exit_code: int
    outputs: dict[str, str]
    log: str
    summary: str


def fill(text: str, context: dict[str, str]) -> str:
    """`${{ inputs.x }}`, `${{ github.action_path }}`, `${{ steps.id.outputs.k }}` as the runner fills them."""

    def value(match: re.Match[str]) -> str:
        assert match.group(1) in context, f"the test does not know the expression {match.group(0)}"
        return context[match.group(1)]

    return EXPRESSION.sub(value, text)


def read_outputs(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return dict(line.split("=", 1) for line in text.splitlines() if line)


def run_action(workspace: Path, runner_temp: Path, **given: str) -> ActionRun:
    inputs = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    unknown = set(given) - set(inputs)
    assert not unknown, f"action.yml has no inputs {unknown}"
    inputs |= given
    context = {f"inputs.{name}": value for name, value in inputs.items()}
    context["github.action_path"] = str(ROOT)
    summary = runner_temp / "step-summary.md"
    summary.write_text("", encoding="utf-8")
    log, code = "", 0
    for index, step in enumerate(ACTION["runs"]["steps"]):
        assert step["shell"] == "bash"
        assert "${{" not in step["run"], "inputs reach the scripts through env:, never pasted into them"
        script = runner_temp / f"step{index}.sh"
        script.write_text(step["run"], encoding="utf-8")
        output = runner_temp / f"output{index}"
        output.write_text("", encoding="utf-8")
        env = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
        env |= {
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_ACTION_PATH": str(ROOT),
            "RUNNER_TEMP": str(runner_temp),
            "PLAYBOOK_LANG": "en",
        }
        env |= {key: fill(str(value), context) for key, value in step.get("env", {}).items()}
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        log += done.stdout + done.stderr
        for key, value in read_outputs(output).items():
            context[f"steps.{step.get('id', index)}.outputs.{key}"] = value
        code = done.returncode
        if code:
            break
    outputs = {}
    for name, spec in ACTION["outputs"].items():
        wanted = EXPRESSION.fullmatch(spec["value"].strip())
        outputs[name] = context.get(wanted.group(1), "") if wanted else spec["value"]
    return ActionRun(code, outputs, log, summary.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def runner_temp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("runner-temp")  # shared: the virtualenv is made once, then reused


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "groups").mkdir()
    shutil.copy(ROOT / "tests/fixtures/ci/groups/alpha.yaml", tmp_path / "groups" / "alpha.yaml")
    shutil.copy(ROOT / "tests/fixtures/ci/groups/beta.json", tmp_path / "groups" / "beta.json")
    (tmp_path / "playbooks").mkdir()
    shutil.copy(ROOT / "tests/fixtures/ci/playbook.yaml", tmp_path / "playbooks" / "ours.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lowest_score(workspace: Path) -> tuple[str, str]:
    result = CliRunner().invoke(main, ["audit", "groups/", "-p", "playbooks/ours.yaml", "-f", "json"])
    reports = json.loads(result.stdout)["reports"]
    lowest = min(reports, key=lambda r: r["score"]["overall"])
    return f"{lowest['score']['overall']:g}", lowest["score"]["grade"]


def test_a_failed_gate_fails_the_step_with_every_output_set(workspace, runner_temp):
    run = run_action(
        workspace, runner_temp, paths="groups/", playbooks="playbooks/ours.yaml", **{"fail-under": "70"}
    )
    assert run.exit_code == 1, run.log
    assert "groups/alpha.yaml: gate --fail-under 70 failed" in run.log
    assert "::error file=groups/alpha.yaml,line=" in run.log  # annotations in the log
    assert (run.outputs["score"], run.outputs["grade"]) == lowest_score(workspace)
    assert run.outputs["report"] == "playbook-report.json" and run.outputs["sarif"] == "playbook.sarif"
    report = json.loads((workspace / run.outputs["report"]).read_text(encoding="utf-8"))
    assert len(report["reports"]) == 2
    sarif = json.loads((workspace / run.outputs["sarif"]).read_text(encoding="utf-8"))
    if SARIF_SCHEMA.exists():
        jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(sarif)
    assert run.summary.startswith("## playbook audit\n") and "`groups/alpha.yaml`" in run.summary


def test_a_passing_audit_passes_and_the_settings_file_is_read(workspace, runner_temp):
    (workspace / ".playbook.yaml").write_text(
        "paths: [groups/]\nplaybooks: [playbooks/ours.yaml]\n", encoding="utf-8"
    )
    run = run_action(workspace, runner_temp, **{"fail-under": "5", "sarif": "out/p.sarif"})
    assert run.exit_code == 0, run.log
    assert run.outputs["score"] == lowest_score(workspace)[0]
    assert (workspace / "out" / "p.sarif").is_file() and run.outputs["sarif"] == "out/p.sarif"


def test_a_baseline_input_gates_on_regressions(workspace, runner_temp):
    first = run_action(workspace, runner_temp, paths="groups/", playbooks="playbooks/ours.yaml")
    assert first.exit_code == 0, first.log
    shutil.copy(workspace / "playbook-report.json", workspace / "baseline.json")
    (workspace / "groups" / "alpha.yaml").write_text(
        (workspace / "groups" / "alpha.yaml")
        .read_text(encoding="utf-8")
        .replace("交流分享）", "交流分享）和周边城市的朋友们"),  # too long now
        encoding="utf-8",
    )
    second = run_action(
        workspace, runner_temp, paths="groups/", playbooks="playbooks/ours.yaml", baseline="baseline.json"
    )
    assert second.exit_code == 1, second.log
    assert "--fail-on-regression failed" in second.log


def test_a_bad_input_stops_with_a_usage_error_and_no_outputs(workspace, runner_temp):
    run = run_action(workspace, runner_temp, paths="groups/", **{"fail-on": "severe"})
    assert run.exit_code == 2
    assert "'severe' is not one of" in run.log or "Invalid value for '--fail-on'" in run.log
    assert run.outputs["score"] == "" and run.outputs["report"] == ""


def test_an_input_cannot_run_commands(workspace, runner_temp):
    run = run_action(workspace, runner_temp, paths="groups/ $(touch pwned) `touch pwned2`")
    assert not (workspace / "pwned").exists() and not (workspace / "pwned2").exists()
    assert run.exit_code == 2 and "$(touch: no such file or folder" in run.log


def test_the_outputs_of_a_report_without_a_score_are_empty(tmp_path):
    report = {
        "reports": [{"score": {"overall": None, "grade": None}}, {"score": {"overall": None, "grade": None}}]
    }
    (tmp_path / "r.json").write_text(json.dumps(report), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "playbook.cli.action_outputs", str(tmp_path / "r.json")],
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stdout) == (0, "score=\ngrade=\n")
