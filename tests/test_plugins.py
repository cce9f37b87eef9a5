"""Operator plugins: opt-in only, loaded from entry points; a playbook itself never runs code."""

from __future__ import annotations

import importlib
import sys
import textwrap

import pytest
from click.testing import CliRunner

from playbook.cli import main
from playbook.core.operators import OPERATORS
from playbook.io import plugins

PLUGIN = """
from playbook.core.operators import operator


def register():
    @operator("is_even", "none", ("是偶数", "an even number"), ("为偶数", "even"))
    def is_even(actual, _value, _ctx):
        return actual % 2 == 0


def broken():
    raise RuntimeError("boom")


def hijack():
    @operator("equals", "any", ("x", "x"), ("x", "x"))
    def equals(actual, value, _ctx):
        return True
"""

PLAYBOOK = """playbook: 1
id: plug
title: {zh: 插件, en: Plugin}
sections: {rules: {weight: 1}}
rules:
  - id: rules.even-count
    section: rules
    title: {zh: 偶数条群规, en: An even number of rules}
    severity: low
    check: {path: "length(group.rules || `[]`)", op: is_even}
    examples:
      pass: [{group: {rules: [{text: a}, {text: b}]}}]
      fail: [{group: {rules: [{text: a}]}}]
"""


def install(tmp_path, monkeypatch, target: str) -> None:
    """A fake installed distribution: a module plus a dist-info with one entry point, on sys.path."""
    (tmp_path / "pb_demo_plugin.py").write_text(PLUGIN, encoding="utf-8")
    info = tmp_path / "pb_demo_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: pb-demo-plugin\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[playbook.operators]\ndemo = pb_demo_plugin:{target}\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))


@pytest.fixture(autouse=True)
def clean_registry(monkeypatch):
    before = dict(OPERATORS)
    monkeypatch.setattr(plugins, "_loaded", set())
    sys.modules.pop("pb_demo_plugin", None)  # each test installs its own copy
    importlib.invalidate_caches()
    monkeypatch.delenv("PLAYBOOK_PLUGINS", raising=False)
    yield
    OPERATORS.clear()
    OPERATORS.update(before)


@pytest.fixture
def playbook_file(tmp_path):
    path = tmp_path / "plug.yaml"
    path.write_text(PLAYBOOK, encoding="utf-8")
    return str(path)


def run(*args: str, env=None):
    return CliRunner().invoke(main, list(args), env=env)


def test_without_opt_in_the_operator_is_unknown(tmp_path, monkeypatch, playbook_file):
    install(tmp_path, monkeypatch, "register")
    result = run("validate", playbook_file, "--lang", "en")
    assert result.exit_code == 1
    assert "unknown operator 'is_even'" in result.stdout
    assert "is_even" not in OPERATORS


def test_plugins_flag_loads_the_operator(tmp_path, monkeypatch, playbook_file):
    install(tmp_path, monkeypatch, "register")
    result = run("--plugins", "test", playbook_file, "--lang", "en")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    assert "is_even" in run("--plugins", "rules", "--operators").stdout


def test_environment_variable_loads_the_operator(tmp_path, monkeypatch, playbook_file):
    install(tmp_path, monkeypatch, "register")
    result = run("validate", playbook_file, env={"PLAYBOOK_PLUGINS": "1"})
    assert result.exit_code == 0, result.stderr


def test_a_plugin_that_raises_is_a_clear_error(tmp_path, monkeypatch, playbook_file):
    install(tmp_path, monkeypatch, "broken")
    result = run("--plugins", "validate", playbook_file, "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "plugin demo (pb_demo_plugin:broken): the plugin failed to load: RuntimeError('boom')"
    )
    assert "Traceback" not in result.stderr


def test_a_plugin_may_not_replace_a_builtin(tmp_path, monkeypatch, playbook_file):
    install(tmp_path, monkeypatch, "hijack")
    original = OPERATORS["equals"]
    result = run("--plugins", "validate", playbook_file, "--lang", "en")
    assert result.exit_code == 2
    assert "a plugin may not replace built-in operators: equals" in result.stderr
    assert OPERATORS["equals"] is original


def test_a_missing_plugin_module_is_a_clear_error(tmp_path, monkeypatch, playbook_file):
    install(tmp_path, monkeypatch, "register")
    (tmp_path / "pb_demo_plugin.py").unlink()
    result = run("--plugins", "validate", playbook_file, "--lang", "en")
    assert result.exit_code == 2
    assert "the plugin failed to load: ModuleNotFoundError" in result.stderr


@pytest.mark.parametrize(
    "tag",
    ["!!python/object/apply:os.system [echo hi]", "!!python/object:os.Wrapper {}", "!!python/name:os.system"],
)
def test_python_tags_are_refused(tmp_path, tag):
    path = tmp_path / "evil.yaml"
    path.write_text(f"playbook: 1\nid: evil\nparams: {tag}\n", encoding="utf-8")
    result = run("validate", str(path), "--lang", "en")
    assert result.exit_code == 1
    assert f"{path}:3:9: the YAML tag !!python/" in result.stdout
    assert "playbooks and snapshots are data and never run code" in result.stdout


def test_plugins_wanted():
    assert plugins.plugins_wanted(True, {})
    assert plugins.plugins_wanted(False, {"PLAYBOOK_PLUGINS": "yes"})
    assert not plugins.plugins_wanted(False, {"PLAYBOOK_PLUGINS": "0"})
    assert not plugins.plugins_wanted(False, {})


def test_the_plugin_module_text_is_valid_python():
    compile(textwrap.dedent(PLUGIN), "plugin", "exec")
