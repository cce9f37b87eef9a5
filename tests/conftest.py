"""Shared fixtures: the small test playbook, and auditing a snapshot held in memory."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from playbook.cli import main
from playbook.core.report import Options, build_report
from playbook.io.documents import parse_text
from playbook.io.facts import platform_fact_table
from playbook.io.playbook_loader import load_playbook

FIXTURES = Path(__file__).parent / "fixtures"

TODAY = date(2026, 11, 20)  # the pinned "real date" of in-process audits: no test reads the clock


@pytest.fixture(autouse=True, scope="session")
def _clock_moved_when_asked():
    """PLAYBOOK_TEST_CLOCK=YYYY-MM-DD runs the whole suite as if on that day (CI runs it again two
    years ahead): a test whose meaning hangs on the real date fails there, not on the day it expires.
    In process only; the few tests that start a second Python read the real clock."""
    moved = os.environ.get("PLAYBOOK_TEST_CLOCK")
    if not moved:
        yield
        return
    import time_machine

    with time_machine.travel(date.fromisoformat(moved), tick=True):
        yield


@pytest.fixture(autouse=True, scope="session")
def _private_playbook_cache(tmp_path_factory: pytest.TempPathFactory):
    """The tests compile into a cache of their own, never into the user's (~/.cache/playbook)."""
    saved = os.environ.get("PLAYBOOK_CACHE_DIR")
    os.environ["PLAYBOOK_CACHE_DIR"] = str(tmp_path_factory.mktemp("playbook-cache"))
    yield
    if saved is None:
        os.environ.pop("PLAYBOOK_CACHE_DIR", None)
    else:
        os.environ["PLAYBOOK_CACHE_DIR"] = saved


@pytest.fixture(autouse=True, scope="session")
def _fixtures_may_extend_each_other():
    """The fixture playbooks extend and test across folders (`authoring/child` extends
    `playbooks/mini.yaml`): allowed as a user allows it, with PLAYBOOK_ALLOW_PATH (sandbox.py)."""
    saved = os.environ.get("PLAYBOOK_ALLOW_PATH")
    os.environ["PLAYBOOK_ALLOW_PATH"] = str(FIXTURES)
    yield
    if saved is None:
        os.environ.pop("PLAYBOOK_ALLOW_PATH", None)
    else:
        os.environ["PLAYBOOK_ALLOW_PATH"] = saved


MINI = FIXTURES / "playbooks" / "mini.yaml"


@pytest.fixture(scope="session")
def mini_playbook():
    return load_playbook(str(MINI))


# A group that passes every rule of the mini playbook's naming, tags, intro and rules sections.
GOOD_GROUP = {
    "id": "g1",
    "name": "运营交流群",
    "keywords": ["运营"],
    "tags": ["a", "b", "c"],
    "intro": "这是一个关于产品运营的交流群，每周分享案例，欢迎大家交流经验，请遵守群规。",
    "rules": [{"text": "禁止广告"}, {"text": "禁止刷屏"}, {"text": "友善交流"}],
    "created_at": "2026-06-01",
    "stage": "growth",
}


def make_snapshot(**parts: Any) -> dict[str, Any]:
    """A valid snapshot with sensible defaults; keyword arguments replace top-level parts."""
    snapshot: dict[str, Any] = {
        "snapshot": 1,
        "captured_at": "2026-11-20T21:00:00+08:00",
        "platform": "wechat",
        "group": {
            "id": "g1",
            "name": "运营交流群",
            "keywords": ["运营"],
            "created_at": "2026-06-01",
            "stage": "growth",
        },
    }
    snapshot.update(parts)
    return snapshot


def audit_data(playbook, data: dict[str, Any], lang: str = "en", **options: Any) -> dict[str, Any]:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    document = parse_text(text, "group.json", "json")
    return build_report(
        playbook, document, Options(options.pop("today", TODAY), lang=lang, **options), platform_fact_table()
    )


def by_rule(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["rule"]: r for r in report["results"]}


def audit_in_chinese(snapshot: Path, text: str) -> tuple[Path, Result]:
    """Write `text` to `snapshot` and audit it with `--lang zh`, as an operator would."""
    snapshot.write_text(text, encoding="utf-8")
    return snapshot, CliRunner().invoke(main, ["--lang", "zh", "audit", str(snapshot)])
