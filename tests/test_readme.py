"""The README's rule example works as written, and its command table lists every command."""

from __future__ import annotations

import re
from pathlib import Path

import click
from click.testing import CliRunner

from playbook.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_example_playbook_validates_and_its_examples_pass(tmp_path, monkeypatch):
    block = re.search(r"```yaml\n(# my-playbook.yaml\n.*?)```", README, re.S)
    assert block, "the README shows a custom playbook"
    (tmp_path / "my-playbook.yaml").write_text(block.group(1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["validate", "my-playbook.yaml"]).exit_code == 0
    tested = runner.invoke(main, ["test", "my-playbook.yaml"])
    assert tested.exit_code == 0, tested.stdout
    assert "failed" not in tested.stdout.splitlines()[-1]


def test_every_command_is_in_the_readme():
    for name in main.list_commands(click.Context(main)):
        assert f"`playbook {name}" in README, f"README does not mention playbook {name}"


def test_the_quick_start_example_exists():
    quick = re.search(r"pip install \. && playbook audit (\S+)", README)
    assert quick and (Path(__file__).resolve().parents[1] / quick.group(1)).is_file()


def test_the_example_output_is_what_the_audit_prints(monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    block = re.search(r"```text\n(.*?)\n  \.\.\.\n```", README, re.S)
    assert block, "the README shows an example audit"
    result = CliRunner().invoke(main, ["audit", "examples/wechat-groupbuy-ads.yaml", "--lang", "zh"])
    shown = block.group(1).splitlines()
    assert result.stdout.splitlines()[: len(shown)] == shown
