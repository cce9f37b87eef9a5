"""A huge Telegram export imports in bounded memory: the file is streamed, never loaded whole.

`json.load` of the 1,000,000-message file (236 MB) peaks near 2 GB; the import stays ~25 MB.
The peak is measured in a fresh interpreter so earlier tests do not count.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.import_bigfile import write_export

ROOT = Path(__file__).parent.parent


def import_in_subprocess(path: Path) -> tuple[int, float, int, int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "import_bigfile.py"), str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    peak_kb, seconds, messages, members = done.stdout.split()
    return int(peak_kb) * 1024, float(seconds), int(messages), int(members)


def check(tmp_path: Path, count: int, limit_mb: int) -> None:
    path = tmp_path / "result.json"
    write_export(path, count)
    peak, _seconds, messages, members = import_in_subprocess(path)
    assert (messages, members) == (count, 2000)
    assert peak < limit_mb * 2**20
    assert peak < path.stat().st_size * 8  # what json.load would need, about


def test_100k_messages_in_bounded_memory(tmp_path: Path) -> None:
    check(tmp_path, 100_000, limit_mb=64)


@pytest.mark.slow
def test_1m_messages_in_bounded_memory(tmp_path: Path) -> None:
    check(tmp_path, 1_000_000, limit_mb=64)  # the file is 236 MB
