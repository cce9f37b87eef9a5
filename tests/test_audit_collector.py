"""The cyclic garbage collector rests while a snapshot is read and audited, and only then."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import playbook.api
from playbook.core.errors import PlaybookError
from playbook.core.report import Options
from playbook.io.inputs import Input
from playbook.runner.audit import Audited, Failed, audit_one, collector_paused, validate_file
from tests.ci_helpers import ALPHA
from tests.conftest import TODAY


@pytest.fixture
def collector_seen(monkeypatch) -> list[bool]:
    """Whether the collector was on when the report was built, once per audit."""
    seen: list[bool] = []
    build = playbook.api.build_report

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return build(*args, **kwargs)

    monkeypatch.setattr(playbook.api, "build_report", watched)
    return seen


def test_an_audit_runs_without_the_collector_and_turns_it_back_on(collector_seen) -> None:
    assert isinstance(audit_one(Input(ALPHA), (), Options(TODAY)), Audited)
    assert collector_seen == [False]
    assert gc.isenabled()


def test_a_bad_file_turns_the_collector_back_on(tmp_path: Path) -> None:
    broken = tmp_path / "group.json"
    broken.write_text('{"platform": "wechat", "group": {', encoding="utf-8")
    outcome = audit_one(Input(str(broken)), (), Options(TODAY))
    assert isinstance(outcome, Failed) and not outcome.crashed
    assert "group.json:1:" in str(outcome.problems[0].where)
    assert gc.isenabled()
    with pytest.raises(PlaybookError):
        validate_file(str(broken))
    assert gc.isenabled()


def test_a_caller_that_turned_the_collector_off_keeps_it_off(collector_seen) -> None:
    gc.disable()
    try:
        audit_one(Input(ALPHA), (), Options(TODAY))
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert collector_seen == [False]


def test_a_cycle_made_while_paused_is_collected_afterwards() -> None:
    class Node:
        pass

    with collector_paused():
        node = Node()
        node.self = node  # type: ignore[attr-defined]
        del node
        assert any(type(o) is Node for o in gc.get_objects())
    gc.collect()
    assert not any(type(o) is Node for o in gc.get_objects())
