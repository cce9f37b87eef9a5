"""No built-in rule breaks on valid data: every valid snapshot audits without an `error` result.

A rule that ends `error` on data the schema accepts is a bug in the rule, not in the data. The
snapshots come from three places: generated from `schemas/snapshot.schema.json` itself
(hypothesis-jsonschema: mostly small and odd), the complete fixture with parts taken away, and
the shapes the importers write. Each is audited with the built-in playbook of its platform, as
every kind of group, as every declared stage and with none, and `explain` is asked about every
rule. Bounded: a few seconds in CI; PLAYBOOK_VALID_EXAMPLES=500 for a longer local run.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from playbook.authoring.explain import explain_rule
from playbook.core.engine import audit_snapshot
from playbook.core.errors import PlaybookError
from playbook.importers import IMPORTERS
from playbook.importers.run import import_export
from playbook.io.documents import parse_text, read_document
from playbook.io.facts import platform_fact_table
from playbook.io.snapshots import check_snapshot
from playbook.present.explain import render_explanation
from playbook.runner.audit import playbook_for
from tests.conftest import FIXTURES, TODAY

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "schemas" / "snapshot.schema.json").read_text(encoding="utf-8"))
EXAMPLES = int(os.environ.get("PLAYBOOK_VALID_EXAMPLES", "40"))
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
PLATFORMS = SCHEMA["properties"]["platform"]["enum"]
KINDS = [None, "long_term", "event"]
TYPES = [None, *SCHEMA["$defs"]["group"]["properties"]["type"]["enum"]]
STAGES = [None, *SCHEMA["$defs"]["group"]["properties"]["stage"]["enum"]]
FULL = read_document(str(FIXTURES / "snapshots" / "full.yaml")).data
IMPORTS = {
    "telegram": FIXTURES / "import" / "telegram_single.json",
    "qq": FIXTURES / "import" / "qq_export.txt",
    "wechat-csv": FIXTURES / "import" / "wechat_memotrace_utf8.csv",
    "wechat-json": FIXTURES / "import" / "wechat_weflow.json",
    "discord": FIXTURES / "import" / "discord",
}


def is_valid(data: dict[str, Any]) -> bool:
    """Valid as `audit` decides: the schema, then what it cannot say (real dates, a real zone)."""
    try:
        check_snapshot(parse_text(json.dumps(data, ensure_ascii=False), "g.json", "json"))
    except PlaybookError:
        return False
    return True


def broken_rules(data: dict[str, Any]) -> list[str]:
    """Every rule of the platform's built-in playbook that ends `error`, with its message."""
    assert is_valid(data)
    playbook = playbook_for(str(data.get("platform")), ())
    audit = audit_snapshot(playbook, data, TODAY, facts=platform_fact_table())
    return [f"{r.rule.id}: {r.message.render('en')}" for r in audit.results if r.status == "error"]


def as_group(
    data: dict[str, Any], kind: str | None, kind_of_group: str | None, stage: str | None
) -> dict[str, Any]:
    """`data` as a group of this kind, type and declared stage (None: the field left out)."""
    data = copy.deepcopy(data)
    group = data.setdefault("group", {"name": "群"})
    for key, value in (("kind", kind), ("type", kind_of_group), ("stage", stage)):
        group.pop(key, None)
        if value is not None:
            group[key] = value
    if stage is not None and (group.get("kind") == "event") != (stage in ("before", "live", "after")):
        group.pop("stage")  # a long-term stage on an event group is refused by validation, not audited
    return data


GROUPINGS = st.tuples(st.sampled_from(KINDS), st.sampled_from(TYPES), st.sampled_from(STAGES))


@BOUNDED
@given(from_schema(SCHEMA), GROUPINGS)
def test_generated_snapshots_break_no_rule(snapshot, grouping):
    data = as_group(snapshot, *grouping)
    assume(is_valid(data))  # the schema allows year 0000 and any zone name; `audit` refuses them
    assert broken_rules(data) == []


def _without(data: dict[str, Any], dotted: str) -> dict[str, Any]:
    data = copy.deepcopy(data)
    *parents, last = dotted.split(".")
    node = data
    for key in parents:
        node = node.get(key) or {}
    node.pop(last, None)
    return data


PARTS = [
    "group.tags",
    "group.keywords",
    "group.topic",
    "group.intro",
    "group.rules",
    "group.announcement",
    "group.created_at",
    "group.event",
    "members",
    "members.list",
    "activity",
    "activity.daily",
    "activity.messages",
    "events",
    "content",
    "moderation",
    "goals",
    "metrics",
    "onboarding",
    "audience",
]


@BOUNDED
@given(st.sampled_from(PLATFORMS), st.lists(st.sampled_from(PARTS), max_size=6, unique=True), GROUPINGS)
def test_the_full_snapshot_with_parts_missing_breaks_no_rule(platform, missing, grouping):
    data = {**copy.deepcopy(FULL), "platform": platform}
    for dotted in missing:
        data = _without(data, dotted)
    assert broken_rules(as_group(data, *grouping)) == []


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_what_importers_write_breaks_no_rule(name):
    snapshot, _ = import_export(
        name,
        IMPORTERS[name],
        [IMPORTS[name]],
        chat=None,
        roster=None,
        tz="Asia/Shanghai",
        captured_at=None,
        include_messages=True,
        progress=None,
    )
    for grouping in [(None, None, None), ("long_term", "interest", None), ("event", "event", None)]:
        assert broken_rules(as_group(snapshot, *grouping)) == [], grouping


@pytest.mark.parametrize("platform", PLATFORMS)
def test_explain_answers_for_every_rule_on_a_minimal_group(platform):
    data = {
        "snapshot": 1,
        "captured_at": "2026-11-20T21:00:00+08:00",
        "platform": platform,
        "group": {"name": "测试群"},
    }
    playbook = playbook_for(platform, ())
    for rule in playbook.rules:
        for lang in ("zh", "en"):
            assert rule.id in render_explanation(explain_rule(rule, lang, data, playbook))
