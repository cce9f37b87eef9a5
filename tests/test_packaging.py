"""The built wheel carries its rulesets and schemas: install it in a fresh virtualenv and audit."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "tests" / "fixtures" / "snapshots" / "full.yaml"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next((work / "dist").glob("playbook-*.whl"))
    venv.EnvBuilder(with_pip=True).create(work / "env")
    python = work / "env" / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    return work


def test_installed_command_audits_with_the_builtin_playbook(installed):
    command = installed / "env" / "bin" / "playbook"
    done = subprocess.run(
        [str(command), "audit", str(SNAPSHOT), "-f", "json", "--lang", "en"],
        cwd=installed, capture_output=True, text=True, check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    assert report["playbook"]["id"] in ("default", "wechat")
    assert report["results"], "the built-in rules were found inside the wheel"


def test_installed_schema_command(installed):
    command = installed / "env" / "bin" / "playbook"
    done = subprocess.run([str(command), "schema", "report"], cwd=installed, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout)["title"]


def test_installed_command_speaks_chinese_in_its_usage_errors(installed):
    command = installed / "env" / "bin" / "playbook"
    done = subprocess.run(
        [str(command), "audti", "--lang", "zh"], cwd=installed, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "没有这个命令 'audti'" in done.stderr, "the compiled click catalog ships inside the wheel"
