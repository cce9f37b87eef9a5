"""The benchmark's smoke version runs end to end (its timings are not checked: machines are noisy)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"


@pytest.mark.slow  # ~30 s: it generates data and starts dozens of processes
def test_quick_benchmark_prints_its_table(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "case" in done.stdout and "median s" in done.stdout and "peak MB" in done.stdout
    for case in (
        "one small snapshot",
        "small snapshots",
        "json.loads floor",
        "series: 1,000 messages, in-process",
        "members",
        "groups/s per core",
        "parent peak, 50 groups",
    ):
        assert case in done.stdout
    assert (tmp_path / "results.json").is_file()
