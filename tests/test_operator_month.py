"""docs/operator-month.md, run as a Chinese operator runs it: a Chinese locale and nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import yaml

from playbook.io import language
from tests.test_authoring_doc import Command, parse, run_step

ROOT = Path(__file__).parent.parent
DOC = ROOT / "docs" / "operator-month.md"


def test_the_month_as_the_page_says(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "examples" / "exports", tmp_path / "exports")
    monkeypatch.chdir(tmp_path / "exports")
    monkeypatch.setattr(language.sys, "platform", "linux")
    for name in ("PLAYBOOK_LANG", "LANG", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    steps = [step for kind, step in parse(DOC.read_text(encoding="utf-8")) if kind == "run"]
    assert len(steps) == 5
    for step in steps:
        assert isinstance(step, Command)
        run_step(step)
    folder = tmp_path / "exports" / "读书会"
    snapshot = yaml.safe_load((folder / "2026-11.yaml").read_text(encoding="utf-8"))
    hand = yaml.safe_load((folder / "group.yaml").read_text(encoding="utf-8"))
    assert snapshot["group"]["intro"] == hand["group"]["intro"] and snapshot["members"]["count"] == 3
    assert snapshot["activity"]["daily"][-1]["date"] == "2026-11-14"  # this month's export
    assert '<html lang="zh-CN">' in (folder / "报告.html").read_text(encoding="utf-8")
    assert openpyxl.load_workbook(folder / "报告.xlsx").sheetnames == ["汇总", "结果", "清单"]
