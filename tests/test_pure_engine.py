"""The engine is pure: platform facts, path limits and today's date arrive as arguments."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

import playbook.core
import playbook.io.facts
from playbook.core.budget import BudgetExceeded, PathLimits, path_limits
from playbook.core.conditions import path_reader
from playbook.core.engine import audit_snapshot, build_scope
from playbook.io.playbook_loader import load_playbook
from tests.conftest import MINI, make_snapshot

CORE = Path(playbook.core.__file__).parent
# What only io/ and the command line may do: read the clock's date, the environment, files.
FORBIDDEN = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("os", "environ"),
    ("os", "getenv"),
    ("time", "time"),
}


def _reads_outside(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        named = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
        if named and (node.value.id, node.attr) in FORBIDDEN:  # type: ignore[attr-defined]
            found.append(f"{path.name}:{node.lineno}: {node.value.id}.{node.attr}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
            found.append(f"{path.name}:{node.lineno}: open()")
    return found


def test_no_module_of_the_engine_reads_the_clock_the_environment_or_a_file():
    # core/resources opens the bundled, read-only schemas: the one sanctioned read.
    modules = [p for p in CORE.rglob("*.py") if p.name != "resources.py"]
    assert modules
    assert [hit for path in modules for hit in _reads_outside(path)] == []


def test_the_facts_a_rule_reads_are_the_ones_the_caller_gives():
    scope = build_scope({"platform": "qq", "group": {}}, {"qq": {"member_cap": 7}})
    assert scope.lookup("facts.member_cap") == 7
    assert build_scope({"platform": "telegram", "group": {}}, {"qq": {"member_cap": 7}}).lookup("facts") == {}


def test_an_audit_given_its_facts_reads_no_platform_file(monkeypatch, tmp_path):
    def refuse() -> None:
        raise AssertionError("the engine read rulesets/platforms.yaml")

    monkeypatch.setattr(playbook.io.facts, "_table", refuse)
    data = make_snapshot()
    audit = audit_snapshot(load_playbook([str(MINI)]), data, date(2026, 11, 20), facts={})
    assert audit.results


def test_path_limits_are_a_value_not_the_environment(monkeypatch):
    monkeypatch.setenv("PLAYBOOK_MAX_PATH_ITEMS", "1")  # ignored: the engine is given its limits
    read = path_reader("events[?kind == 'a']")
    assert read({"events": [{"kind": "a"}] * 4}) == [{"kind": "a"}] * 4
    with path_limits(PathLimits(max_path_items=3)), pytest.raises(BudgetExceeded):
        read({"events": [{"kind": "a"}] * 4})
