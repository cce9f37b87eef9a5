"""Ctrl-C during a long import or audit: exit 130, one line on stderr, no output file and no
temporary file left behind. Real processes and a real SIGINT: CliRunner cannot deliver one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.import_bigfile import write_export

ROOT = Path(__file__).resolve().parent.parent
# Slow: each waits for real processes to start, be interrupted and end (~20 s in all).
pytestmark = [pytest.mark.skipif(os.name != "posix", reason="SIGINT"), pytest.mark.slow]


def _start(*args: str, cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PLAYBOOK_LANG": "en"}
    return subprocess.Popen(
        [sys.executable, "-m", "playbook", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _interrupt_when(process: subprocess.Popen, ready, timeout: float = 60) -> tuple[int, str]:
    deadline = time.monotonic() + timeout
    while not ready() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert process.poll() is None, "finished before it could be interrupted: make the input bigger"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    return process.returncode, err.decode()


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "result.json"
    write_export(path, 250_000)
    return path


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_ctrl_c_while_reading_an_export(export, tmp_path):
    process = _start("import", "telegram", str(export), "-o", "snapshot.json", cwd=tmp_path)
    started = time.monotonic()
    code, err = _interrupt_when(process, lambda: time.monotonic() - started > 1.0)
    assert (code, err.splitlines()[-1]) == (130, "interrupted")
    assert "Traceback" not in err
    assert _leftovers(tmp_path) == []


def test_ctrl_c_while_writing_the_snapshot(export, tmp_path):
    process = _start("import", "telegram", str(export), "--messages", "-o", "snapshot.json", cwd=tmp_path)
    code, err = _interrupt_when(process, lambda: any(p.suffix == ".tmp" for p in tmp_path.iterdir()))
    assert (code, err.splitlines()[-1]) == (130, "interrupted")
    assert _leftovers(tmp_path) == []  # neither snapshot.json nor its temporary file


def test_ctrl_c_during_an_audit(tmp_path):
    (tmp_path / "group.json").write_bytes((ROOT / "tests" / "hostile" / "group.json").read_bytes())
    (tmp_path / "slow.yaml").write_bytes((ROOT / "tests" / "hostile" / "doubling-path.yaml").read_bytes())
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "playbook",
            "audit",
            "group.json",
            "-p",
            "slow.yaml",
            "-f",
            "json:report.json",
        ],
        cwd=tmp_path,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "PLAYBOOK_LANG": "en",
            "PLAYBOOK_RULE_SECONDS": "60",
            "PLAYBOOK_AUDIT_SECONDS": "60",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    started = time.monotonic()
    code, err = _interrupt_when(process, lambda: time.monotonic() - started > 1.5)
    assert (code, err.splitlines()[-1]) == (130, "interrupted")
    assert _leftovers(tmp_path) == ["group.json", "slow.yaml"]


@pytest.mark.parametrize("fmt", ["json", "sarif", "table"])
def test_a_reader_that_went_away_ends_the_audit_quietly(fmt):
    # `playbook audit … | head` once head has exited: every write to the pipe fails. That is
    # not an internal error: exit 141 (128 + SIGPIPE, as Unix tools do), nothing on stderr.
    # The reader is gone before the first write, so the test does not race the pipe's buffer.
    process = _start("audit", "examples", "-f", fmt, cwd=ROOT)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read().decode()
    process.stderr.close()
    assert (process.wait(timeout=120), err) == (141, "")


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    group = (ROOT / "tests" / "hostile" / "group.json").read_bytes()
    for n in range(3000):
        (folder / f"g{n:04}.json").write_bytes(group)
    return folder


@pytest.mark.parametrize("whole_group", [True, False], ids=["terminal-ctrl-c", "signal-to-parent"])
def test_ctrl_c_during_a_parallel_batch_ends_it_every_time(batch, tmp_path, whole_group):
    # A graceful pool shutdown could deadlock when interrupted (2 of 10 interrupted 2,000-group runs,
    # parent and workers each waiting on the other): a few tries, with Ctrl-C as a terminal sends it.
    for _ in range(3):
        process = subprocess.Popen(
            [sys.executable, "-m", "playbook", "audit", str(batch), "--jobs", "2", "-f", "json:report.json"],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT), "PLAYBOOK_LANG": "en"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, as a terminal gives a command
        )
        started = time.monotonic()
        while time.monotonic() - started < 1.5 and process.poll() is None:
            time.sleep(0.01)
        assert process.poll() is None, "finished before it could be interrupted: make the batch bigger"
        if whole_group:  # Ctrl-C in a terminal reaches the parent and its workers alike
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
        assert (process.returncode, err.decode().splitlines()[-1]) == (130, "interrupted")
        time.sleep(0.2)
        with pytest.raises(ProcessLookupError):  # no worker left behind
            os.killpg(process.pid, 0)
        assert _leftovers(tmp_path) == []
