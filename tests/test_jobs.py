"""--jobs N: the same bytes as --jobs 1, on a folder of 1,000 small generated group files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from playbook.cli.audit_cmd import PARALLEL_FROM, processes
from tests.ci_helpers import ALPHA, BETA, GAMMA, ROOT, run_audit

PLATFORMS = ("wechat", "qq", "telegram", "discord", "wecom")


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def thousand_groups(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("groups")
    sources = [(ROOT / p).read_text(encoding="utf-8") for p in (ALPHA, BETA, GAMMA)]
    for i in range(1000):
        text = (
            sources[i % 3]
            .replace('"1001"', f'"g{i}"')
            .replace('"2002"', f'"g{i}"')
            .replace('"3003"', f'"g{i}"')
        )
        text = text.replace("wechat", PLATFORMS[i % 5]) if i % 3 == 0 else text
        suffix = (".yaml", ".json", ".yml")[i % 3]
        (folder / f"team{i % 7}" / f"group{i:04d}{suffix}").parent.mkdir(exist_ok=True)
        (folder / f"team{i % 7}" / f"group{i:04d}{suffix}").write_text(text, encoding="utf-8")
    return folder


def test_jobs_2_gives_the_same_reports_as_jobs_1(thousand_groups, tmp_path):
    for jobs in (1, 2):
        result = run_audit(
            str(thousand_groups),
            "--jobs",
            str(jobs),
            "-f",
            "table",
            "-f",
            f"json:{tmp_path / f'{jobs}.json'}",
            "-f",
            f"sarif:{tmp_path / f'{jobs}.sarif'}",
        )
        assert result.exit_code == 0, result.stderr
        (tmp_path / f"{jobs}.txt").write_text(result.stdout, encoding="utf-8")
    for suffix in ("json", "sarif", "txt"):
        assert (tmp_path / f"1.{suffix}").read_bytes() == (tmp_path / f"2.{suffix}").read_bytes()
    assert (tmp_path / "1.txt").read_text(encoding="utf-8").count("\n") == 1002  # header, rule, 1,000 rows


def test_jobs_0_means_one_per_cpu_and_order_is_kept():
    one = run_audit(ALPHA, BETA, GAMMA, "-f", "json", "--jobs", "1").stdout
    assert run_audit(GAMMA, ALPHA, BETA, "-f", "json", "--jobs", "0").stdout == one


def test_unasked_a_large_batch_uses_every_cpu_and_a_small_one_stays_in_one_process(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert processes(None, PARALLEL_FROM - 1) == 1
    assert processes(None, PARALLEL_FROM) == 4
    assert processes(1, 10_000) == 1  # as asked
    assert processes(0, 3) == 4  # 0: one per CPU, whatever the batch
