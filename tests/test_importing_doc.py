"""docs/importing.md's walkthrough runs as written, on the sample exports in examples/exports/."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from playbook import cli
from tests.test_authoring_doc import Command, parse, run_step

ROOT = Path(__file__).parent.parent
DOC = ROOT / "docs" / "importing.md"
SAMPLES = ROOT / "examples" / "exports"


def test_every_command_of_the_walkthrough(tmp_path, monkeypatch):
    shutil.copytree(SAMPLES, tmp_path / "exports")
    monkeypatch.chdir(tmp_path / "exports")
    monkeypatch.setenv("PLAYBOOK_LANG", "en")
    commands = [step for kind, step in parse(DOC.read_text(encoding="utf-8")) if kind == "run"]
    assert len(commands) >= 6
    for step in commands:
        assert isinstance(step, Command)
        run_step(step)


def test_there_is_a_sample_of_every_format():
    from playbook.importers import IMPORTERS

    text = DOC.read_text(encoding="utf-8")
    samples = {
        "qq": "qq-legacy.txt",
        "qq-nt": "qq-nt.json",
        "wechat-csv": "周末读书会_utf8.csv",
        "wechat-json": "wechat-weflow.json",
        "telegram": "telegram-result.json",
        "discord": "discord",
    }
    for fmt in IMPORTERS:
        if fmt in samples:
            assert (SAMPLES / samples[fmt]).exists() and samples[fmt] in text, fmt
    assert set(IMPORTERS) - {"wechat"} <= set(samples)


def test_a_folder_of_snapshots_and_exports_audits_the_snapshots():
    """Exports kept beside the snapshots made from them are passed over in a folder; named on
    the command line, one is answered with the import to run."""
    result = CliRunner().invoke(cli.main, ["audit", str(SAMPLES), "-f", "json", "--today", "2026-11-15"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    named = CliRunner().invoke(cli.main, ["audit", str(SAMPLES / "telegram-result.json"), "--lang", "en"])
    assert named.exit_code == 2 and "playbook import telegram" in named.stderr
