"""The distribution `playbook-audit`: sdist and wheel built as CI builds them, checked by twine,
the wheel installed in a fresh virtualenv carries its rulesets, schemas and catalog and audits."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import venv
import zipfile
from email.parser import HeaderParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # installs, builds or starts a cluster: the full run, not the inner loop

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "tests" / "fixtures" / "snapshots" / "full.yaml"
DISTRIBUTION = "playbook_audit"  # `playbook-audit` normalised, as in file names


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--wheel", "-o", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return dist


@pytest.fixture(scope="module")
def installed(tmp_path_factory, built):
    work = tmp_path_factory.mktemp("wheel")
    wheel = next(built.glob(f"{DISTRIBUTION}-*.whl"))
    venv.EnvBuilder(with_pip=True).create(work / "env")
    python = work / "env" / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    return work


def test_installed_command_audits_with_the_builtin_playbook(installed):
    command = installed / "env" / "bin" / "playbook"
    done = subprocess.run(
        [str(command), "audit", str(SNAPSHOT), "-f", "json", "--lang", "en"],
        cwd=installed,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    assert report["playbook"]["id"] in ("default", "wechat")
    assert report["results"], "the built-in rules were found inside the wheel"


def test_installed_schema_command(installed):
    command = installed / "env" / "bin" / "playbook"
    done = subprocess.run(
        [str(command), "schema", "report"], cwd=installed, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout)["title"]


def test_installed_command_speaks_chinese_in_its_usage_errors(installed):
    command = installed / "env" / "bin" / "playbook"
    done = subprocess.run(
        [str(command), "audti", "--lang", "zh"], cwd=installed, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "没有这个命令 'audti'" in done.stderr, "the compiled click catalog ships inside the wheel"


def test_twine_accepts_both_files(built):
    files = sorted(str(path) for path in built.iterdir())
    assert len(files) == 2, files
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *files], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_wheel_metadata_names_the_distribution_and_what_it_needs(built):
    wheel = next(built.glob(f"{DISTRIBUTION}-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = HeaderParser().parsestr(archive.read(name).decode("utf-8"))
        listed = archive.namelist()
    assert metadata["Name"] == "playbook-audit"
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Requires-Python"] == ">=3.10"
    assert "Provides-Extra" in metadata and "test" in metadata.get_all("Provides-Extra")
    assert any(c.startswith("Topic ::") for c in metadata.get_all("Classifier"))
    assert any(r.startswith("click") for r in metadata.get_all("Requires-Dist"))
    for packaged in (
        "playbook/rulesets/default.yaml",
        "playbook/schemas/report.schema.json",
        "playbook/locale/zh/LC_MESSAGES/click.mo",
    ):
        assert packaged in listed


def test_sdist_carries_the_examples_the_readme_runs(built):
    sdist = next(built.glob(f"{DISTRIBUTION}-*.tar.gz"))
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"examples/wechat-groupbuy-ads.yaml", "rulesets/default.yaml", "LICENSE", "docs/ci.md"} <= names


def test_installed_command_audits_a_bundled_example(installed):
    command = installed / "env" / "bin" / "playbook"
    example = ROOT / "examples" / "wechat-groupbuy-ads.yaml"
    done = subprocess.run(
        [str(command), "audit", str(example), "--lang", "en", "--today", "2026-11-20"],
        cwd=installed,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    assert "Overall" in done.stdout or "overall" in done.stdout
