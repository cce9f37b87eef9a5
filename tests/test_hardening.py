"""Hardening, second pass: inputs are never overwritten, a failed write is an error, odd
numbers and tags are located errors, limits hold on every path.

Each test is one defect found by trying the tool as an attacker would (issue 22).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook.cli import main
from tests.conftest import make_snapshot

FIXTURES = Path(__file__).parent / "fixtures"
TELEGRAM = FIXTURES / "import" / "telegram_single.json"


def run(*args: object, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, [*map(str, args), "--lang", "en"], env=env)


@pytest.fixture
def group(tmp_path: Path) -> Path:
    path = tmp_path / "g.json"
    path.write_text(json.dumps(make_snapshot(), ensure_ascii=False), encoding="utf-8")
    return path


# ── inputs are never overwritten ─────────────────────────────────────────────


@pytest.mark.parametrize("how", ["-o", "-f json:FILE", "symlink", "hard link"])
def test_audit_refuses_to_write_its_report_over_the_snapshot(group: Path, tmp_path: Path, how: str) -> None:
    before = group.read_bytes()
    target = group
    if how == "symlink":
        target = tmp_path / "link.json"
        target.symlink_to(group)
    elif how == "hard link":
        target = tmp_path / "hard.json"
        os.link(group, target)
    args = ["-f", f"json:{target}"] if how == "-f json:FILE" else ["-f", "json", "-o", target]
    result = run("audit", group, *args)
    assert result.exit_code == 2
    assert f"{target}: the output is the input {group}: writing would replace it" in result.stderr
    assert group.read_bytes() == before


def test_audit_refuses_to_write_over_its_playbook_or_baseline(group: Path, tmp_path: Path) -> None:
    playbook = FIXTURES / "playbooks" / "mini.yaml"
    copy = tmp_path / "mini.yaml"
    copy.write_bytes(playbook.read_bytes())
    result = run("audit", group, "-p", copy, "-f", "json", "-o", copy)
    assert result.exit_code == 2 and "the output is the input" in result.stderr
    assert copy.read_bytes() == playbook.read_bytes()
    baseline = tmp_path / "base.json"
    assert run("audit", group, "-f", "json", "-o", baseline).exit_code == 0
    kept = baseline.read_bytes()
    result = run("audit", group, "--baseline", baseline, "-f", "json", "-o", baseline)
    assert result.exit_code == 2 and baseline.read_bytes() == kept


@pytest.mark.parametrize("command", ["diff", "trend"])
def test_diff_and_trend_refuse_to_write_over_an_input(group: Path, tmp_path: Path, command: str) -> None:
    later = tmp_path / "later.json"
    later.write_text(json.dumps(make_snapshot(captured_at="2026-11-27T21:00:00+08:00")), encoding="utf-8")
    kept = later.read_bytes()
    result = run(command, group, later, "-o", later)
    assert result.exit_code == 2 and "the output is the input" in result.stderr
    assert later.read_bytes() == kept


def test_import_refuses_to_write_over_its_export(tmp_path: Path) -> None:
    export = tmp_path / "result.json"
    export.write_bytes(TELEGRAM.read_bytes())
    result = run("import", "telegram", export, "-o", export)
    assert result.exit_code == 2 and "the output is the input" in result.stderr
    assert export.read_bytes() == TELEGRAM.read_bytes()


def test_import_replaces_an_existing_snapshot_only_with_force(tmp_path: Path) -> None:
    snapshot = tmp_path / "group.json"
    snapshot.write_text("# edited by hand\n", encoding="utf-8")
    result = run("import", "telegram", TELEGRAM, "-o", snapshot)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{snapshot}: the file exists and was not replaced\n  hint: add --force")
    assert snapshot.read_text(encoding="utf-8") == "# edited by hand\n"
    assert run("import", "telegram", TELEGRAM, "-o", snapshot, "--force").exit_code == 0
    assert json.loads(snapshot.read_text(encoding="utf-8"))["platform"] == "telegram"


# ── a write to stdout that fails is an error ─────────────────────────────────


def _limited(size: int):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


@pytest.mark.parametrize(
    "args",
    [
        ["audit", "{g}", "-f", "json"],
        ["audit", "{g}", "-f", "html"],
        ["audit", "{g}"],
        ["import", "telegram", str(TELEGRAM)],
    ],
    ids=["json", "html", "table", "import"],
)
def test_a_full_disk_on_stdout_is_an_error(group: Path, tmp_path: Path, args: list[str]) -> None:
    """`(ulimit -f 1; playbook audit g.yaml -f json > r.json)` left 1 KB of JSON and exit 0."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "playbook", *(a.format(g=group) for a in args), "--lang", "en"]
    with out.open("wb") as stdout:
        done = subprocess.run(
            command, stdout=stdout, stderr=subprocess.PIPE, preexec_fn=_limited(1024), check=False
        )
    assert done.returncode == 2
    assert done.stderr.decode().startswith(
        "<stdout>: cannot write the standard output; what was written is cut short"
    )
    assert "ulimit -f" in done.stderr.decode()
