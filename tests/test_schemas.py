"""The three JSON Schemas: valid 2020-12, compiled by jsonschema-rs, and strict where it matters."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
import yaml

from tests.metric_schema import metric_properties

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NAMES = ["snapshot", "playbook", "report", "tests"]


class _NoTimestampLoader(yaml.SafeLoader):
    """Keep dates and times as the strings the user wrote, as the runtime loader does."""


_NoTimestampLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_NoTimestampLoader)


def schema(name: str) -> dict[str, Any]:
    with (SCHEMAS / f"{name}.schema.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def errors(name: str, instance: Any) -> list[str]:
    """Messages from the reference validator; jsonschema-rs must agree on validity.

    A subschema's `errorMessage` (shown by yaml-language-server) replaces the generic message.
    """
    found = [
        (e.schema.get("errorMessage") if isinstance(e.schema, dict) else None) or e.message
        for e in jsonschema.Draft202012Validator(schema(name)).iter_errors(instance)
    ]
    assert jsonschema_rs.validator_for(schema(name)).is_valid(instance) == (not found), found
    return found


def resolve(root: dict, node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


# ── the schemas themselves ──


@pytest.mark.parametrize("name", NAMES)
def test_schema_is_valid_2020_12(name):
    s = schema(name)
    jsonschema.Draft202012Validator.check_schema(s)
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert s["$id"] == f"https://playbook.invalid/schemas/{name}.schema.json"
    assert s["title"]


@pytest.mark.parametrize("name", NAMES)
def test_schema_compiles_with_jsonschema_rs(name):
    validator = jsonschema_rs.validator_for(schema(name))
    assert validator.is_valid({}) is False


@pytest.mark.parametrize("name", NAMES)
def test_every_property_has_a_bilingual_description(name):
    root = schema(name)
    missing = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for key, sub in (node.get("properties") or {}).items():
                described = sub.get("description") or resolve(root, sub).get("description", "")
                if " · " not in described:
                    missing.append(f"{where}/{key}")
            for key, sub in node.items():
                if key != "if":  # `if` subschemas only test values
                    walk(sub, f"{where}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}/{i}")

    walk(root, "#")
    assert not missing


# ── snapshot ──

FULL = FIXTURES / "snapshots" / "full.yaml"
MINIMAL = {"platform": "wechat", "group": {"name": "示例群"}}


def test_full_snapshot_validates():
    assert errors("snapshot", load_yaml(FULL)) == []


def test_full_snapshot_sets_every_field():
    """The fixture stays a complete DESIGN §1 example: every schema property appears in it."""
    root = schema("snapshot")
    unset = []

    def walk(node: Any, values: list[Any], where: str) -> None:
        node = resolve(root, node)
        if node.get("type") == "array" and "items" in node:
            items = [item for value in values if isinstance(value, list) for item in value]
            walk(node["items"], items, where + "[]")
        elif "properties" in node and where != "metrics":
            objects = [value for value in values if isinstance(value, dict)]
            for key, sub in node["properties"].items():
                present = [o[key] for o in objects if key in o]
                if not present:
                    unset.append(f"{where}.{key}".lstrip("."))
                walk(sub, present, f"{where}.{key}".lstrip("."))

    walk(root, [load_yaml(FULL)], "")
    assert not unset


def _set(doc: dict, dotted: str, value: Any) -> dict:
    doc = copy.deepcopy(doc)
    *parents, last = dotted.split(".")
    node = doc
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    if value is _DELETE:
        del node[last]
    else:
        node[last] = value
    return doc


_DELETE = object()
_MEMBER = {"id": "u1", "role": "owner"}


@pytest.mark.parametrize(
    ("dotted", "value", "valid"),
    [
        ("x-note", "free text", True),
        ("group.x-note", {"any": ["thing"]}, True),
        ("members", {"list": [{**_MEMBER, "x-seen": True}]}, True),
        ("metrics", {"x-note": "from dashboard", "member_count": 3, "speakers_7d": None}, True),
        ("note", "typo at the top", False),
        ("group.nmae", "typo in group", False),
        ("members", {"list": [{**_MEMBER, "nick": "阿明"}]}, False),
        ("group.join_policy", {"mode": "approval", "extra": 1}, False),
        ("platform", "weixin", False),
        ("group.kind", "temporary", False),
        ("members", {"list": [{"id": "u1", "role": "king"}]}, False),
        ("activity", {"messages": [{"at": "2026-11-20", "flags": ["ad"]}]}, False),
        ("members", {"count": -1}, False),
        ("activity", {"daily": [{"date": "2026-11-01", "messages": -5}]}, False),
        ("group.member_limit", 0, False),
        ("members", {"list": [{"id": "u1", "messages_30d": 1.5}]}, False),
        ("members", {"list": [{"name": "没有 id"}]}, False),
        ("members", {"list": [{"id": 42}]}, False),
        ("events", [{"title": "没有时间"}], False),
        ("group.name", _DELETE, False),
        ("group", _DELETE, False),
        ("platform", _DELETE, False),
        ("snapshot", 2, False),
        ("metrics", {"member_count": "many"}, False),
        ("metrics", {"MemberCount": 3}, False),
        ("goals", [{"metric": "weekly_active_ratio"}], False),
        (
            "goals",
            [{"metric": "weekly_active_ratio", "target": 0.3, "by": "2026-12-31T00:00"}],
            False,
        ),
        ("group.brand", None, True),
        ("group.name", "", True),
    ],
)
def test_snapshot_strictness(dotted, value, valid):
    assert (errors("snapshot", _set(MINIMAL, dotted, value)) == []) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2026-11-20", True),
        ("2026-11-20T21:00", True),
        ("2026-11-20T21:00:00", True),
        ("2026-11-20 21:00:00", True),
        ("2026-11-20T21:00:00.123", True),
        ("2026-11-20T21:00:00Z", True),
        ("2026-11-20T21:00:00.5+08:00", True),
        ("2026-11-20T21:00-05:00", True),
        ("2026-11-20T21", False),
        ("2026-13-01", False),
        ("2026-11-20T25:00", False),
        ("2026/11/20", False),
        ("20261120", False),
        ("2026-11-20T21:00:00+0800", False),
        ("yesterday", False),
    ],
)
def test_snapshot_time_pattern(value, valid):
    assert (errors("snapshot", {**MINIMAL, "captured_at": value}) == []) is valid


# ── playbook ──

RULE = {
    "id": "naming.brand-prefix",
    "section": "naming",
    "title": {"zh": "群名以品牌开头", "en": "Group name starts with the brand"},
    "severity": "high",
    "check": {"path": "group.name", "op": "starts_with", "value": {"path": "group.brand"}},
}


def playbook_with(**rule_changes: Any) -> dict:
    rule = {k: v for k, v in {**RULE, **rule_changes}.items() if v is not _DELETE}
    return {"playbook": 1, "id": "acme-communities", "rules": [rule]}


def test_default_playbook_validates():
    with (ROOT / "rulesets" / "default.yaml").open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    assert errors("playbook", document) == []


def test_design_example_playbook_validates():
    document = {
        "playbook": 1,
        "id": "acme-communities",
        "version": "2026.11",
        "title": {"zh": "某品牌社群手册", "en": "ACME community playbook"},
        "extends": ["builtin:default"],
        "params": {"weekly_active_min": 0.3, "banned": ["广告", "代理"]},
        "sections": {
            "naming": {"weight": 1},
            "brand": {"weight": 2, "title": {"zh": "品牌", "en": "Brand"}},
        },
        "overrides": [
            {"rule": "naming.stable", "severity": "low"},
            {"rule": "tags.member-profile", "enabled": False},
            {"rule": "engagement.weekly-active", "params": {"min_ratio": 0.25}},
        ],
        "rules": [
            {
                **RULE,
                "why": {"zh": "…", "en": "…"},
                "fix": {"zh": "…", "en": "…"},
                "effort": "low",
                "stages": {"launch": "required", "growth": "required", "mature": "recommended"},
                "platforms": ["wechat", "wecom"],
                "requires": ["group.brand"],
                "when": {"path": "group.commercial", "op": "equals", "value": True},
                "params": {"max_changes": 1},
                "source": "S1",
                "examples": {
                    "pass": [{"platform": "wechat", "group": {"name": "ACME 用户群", "brand": "ACME"}}],
                    "fail": [{"platform": "wechat", "group": {"name": "用户群", "brand": "ACME"}}],
                },
                "x-reviewed": True,
            },
            {
                "id": "tags.member-profile",
                "section": "tags",
                "title": {"zh": "成员有标签", "en": "Members are tagged"},
                "severity": "medium",
                "each": "members.list",
                "check": {"path": "length(tags || `[]`)", "op": "at_least", "value": 1},
                "mostly": {"param": "min_share"},
                "empty": "not_applicable",
            },
            {
                "id": "engagement.weekly-active",
                "section": "engagement",
                "title": {"zh": "周活跃", "en": "Weekly active"},
                "severity": "high",
                "metric": {
                    "path": "metrics.weekly_active_ratio",
                    "curve": "linear",
                    "fail_at": 0.05,
                    "pass_at": {"param": "min_ratio"},
                },
            },
            {
                "id": "intro.complete",
                "section": "intro",
                "title": {"zh": "介绍完整", "en": "Complete intro"},
                "severity": "low",
                "criteria": [
                    {
                        "check": {"path": "group.intro", "op": "length_at_least", "value": 30},
                        "points": 2,
                        "label": {"zh": "至少30字", "en": "at least 30 characters"},
                    },
                    {
                        "check": {
                            "any": [
                                {"path": "group.intro", "op": "contains_any", "value": ["群规"]},
                                {"not": {"path": "group.rules", "op": "exists"}},
                            ]
                        },
                        "points": 1,
                    },
                ],
            },
        ],
        "waivers": [
            {
                "rule": "naming.stable",
                "group": "12345",
                "reason": "品牌更名过渡期",
                "owner": "ops-lead",
                "expires": "2027-01-31",
            }
        ],
        "assert": {"min_score": 70, "max_failed": {"critical": 0}, "must_pass": ["naming.brand-prefix"]},
        "x-team": "growth",
    }
    assert errors("playbook", document) == []


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        (
            {"metric": {"path": "metrics.speakers_7d", "curve": "saturating", "target": 50}},
            "exactly one scorer",
        ),
        ({"criteria": [{"check": RULE["check"], "points": 1}]}, "exactly one scorer"),
        ({"check": _DELETE}, "exactly one scorer"),
        ({"each": "members.list", "check": _DELETE}, "check"),
        ({"mostly": 0.9}, "each"),
        ({"id": "Naming.Brand"}, "does not match"),
        ({"id": "naming_brand"}, "does not match"),
        ({"id": "naming.brand_prefix"}, "does not match"),
        ({"severity": "blocker"}, "is not one of"),
        ({"effort": "tiny"}, "is not one of"),
        ({"stages": {"growth": "optional"}}, "is not one of"),
        ({"stages": {"adolescence": "required"}}, "Additional properties"),
        ({"platforms": ["weixin"]}, "is not one of"),
        ({"title": {"zh": "只有中文"}}, "'en' is a required property"),
        ({"severity": _DELETE}, "'severity' is a required property"),
        ({"sevrity": "high"}, "sevrity"),
        ({"check": {"path": "group.name", "op": "exists", "all": []}}, "was expected"),
        ({"check": {"path": "group.name"}}, "needs `path` and `op`"),
        ({"check": {"path": "group.name", "op": "equals", "flag": 1}}, "Additional properties"),
        (
            {"check": {"path": "group.name", "op": "equals", "value": {"param": "x", "y": 1}}},
            "Additional",
        ),
        (
            {"metric": {"path": "metrics.x", "curve": "linear", "target": 3}, "check": _DELETE},
            "required",
        ),
    ],
)
def test_bad_rules_are_rejected(changes, needle):
    found = errors("playbook", playbook_with(**changes))
    assert found
    assert any(needle in message for message in found), found


def test_scorer_error_is_annotated():
    """Editors (yaml-language-server) show `errorMessage`; the CLI may too."""
    rule = schema("playbook")["$defs"]["rule"]
    assert "exactly one scorer" in rule["allOf"][0]["errorMessage"]
    assert "exactly one scorer" in rule["dependentSchemas"]["check"]["errorMessage"]


@pytest.mark.parametrize(
    "document",
    [
        {"id": "no-version"},
        {"playbook": 1},
        {"playbook": 2, "id": "x"},
        {"playbook": 1, "id": "Not_Kebab"},
        {"playbook": 1, "id": "x", "rulez": []},
        {
            "playbook": 1,
            "id": "x",
            "waivers": [{"rule": "naming.stable", "reason": "r", "owner": "o"}],
        },
        {
            "playbook": 1,
            "id": "x",
            "waivers": [{"rule": "naming.stable", "reason": "r", "owner": "o", "expires": "next year"}],
        },
        {"playbook": 1, "id": "x", "overrides": [{"severity": "low"}]},
        {"playbook": 1, "id": "x", "overrides": [{"rule": "naming.stable", "weight": -1}]},
        {"playbook": 1, "id": "x", "sections": {"naming": {"weight": -1}}},
        {"playbook": 1, "id": "x", "lifecycle": {"long_term": [{"stage": "live"}]}},
        {
            "playbook": 1,
            "id": "x",
            "diagnosis": [{"id": "leaderless", "title": {"zh": "无首", "en": "x"}}],
        },
        {"playbook": 1, "id": "x", "params": {"nested": {"map": 1}}},
    ],
)
def test_bad_playbooks_are_rejected(document):
    assert errors("playbook", document)


# ── report ──

COUNTS = dict.fromkeys(["pass", "partial", "fail", "not_applicable", "unknown", "waived", "error"], 0)
REPORT = {
    "report": 1,
    "tool": {"name": "playbook", "version": "0.1.0"},
    "lang": "zh",
    "playbook": {
        "id": "default",
        "version": "2026.11",
        "title": "社群运营默认手册",
        "sha256": "0" * 64,
    },
    "snapshot": {
        "path": "group.yaml",
        "group_id": "12345",
        "group_name": "运营群",
        "platform": "wechat",
        "captured_at": "2026-11-20T21:00:00+08:00",
    },
    "stage": {
        "id": "growth",
        "kind": "long_term",
        "source": "detected",
        "reason": "建群 45 天",
        "evidence": [{"metric": "metrics.age_days", "label": "建群天数", "value": 45}],
    },
    "score": {
        "overall": 72.5,
        "grade": "C",
        "band": "needs_work",
        "coverage": 0.9,
        "provisional": False,
    },
    "sections": [
        {
            "id": "naming",
            "title": "建群与命名",
            "score": None,
            "weight": 1,
            "coverage": None,
            "counts": COUNTS,
        }
    ],
    "results": [
        {
            "rule": "naming.brand",
            "section": "naming",
            "title": "群名带品牌",
            "status": "fail",
            "score": 0,
            "severity": "medium",
            "effort": "low",
            "weight": 3,
            "message": "群名不含品牌",
            "reason": None,
            "evidence": {"actual": "用户群", "expected": "ACME"},
            "location": {"pointer": "/group/name", "line": 4, "column": 9},
            "missing": [],
            "fix": "改名",
            "gain": 4.17,
            "source": "S1",
        }
    ],
    "checklist": [
        {
            "rule": "naming.brand",
            "group": "now",
            "title": "群名带品牌",
            "fix": "改名",
            "gain": 4.17,
            "effort": "low",
            "severity": "medium",
            "status": "fail",
            "priority": 4.17,
        }
    ],
    "diagnosis": [
        {
            "id": "off-topic",
            "title": "失焦",
            "present": True,
            "evidence": [{"rule": "naming.brand", "message": "群名不含品牌"}],
        }
    ],
    "waivers": [
        {
            "rule": "naming.stable",
            "group": None,
            "owner": "ops",
            "reason": "过渡",
            "expires": "2027-01-31",
            "expired": False,
        }
    ],
    "summary": COUNTS,
    "x-baseline": {"overall": 70},
}


def test_report_example_validates():
    assert errors("report", REPORT) == []


@pytest.mark.parametrize(
    ("dotted", "value"),
    [
        ("extra", 1),
        ("summary", _DELETE),
        ("score.overall", 101),
        ("score.grade", "E"),
        ("score.provisional", _DELETE),
        ("results.0.status", "skipped"),
        ("results.0.score", 1.5),
        ("results.0.evidence", {"actual": 1}),
        ("results.0.location", {"pointer": "/group", "line": 0, "column": None}),
        ("checklist.0.group", "later"),
        ("sections.0.counts", {"pass": 1}),
        ("stage.source", "guessed"),
        ("lang", "fr"),
        ("playbook.sha256", "abc"),
    ],
)
def test_bad_reports_are_rejected(dotted, value):
    assert errors("report", _set(REPORT, dotted, value))


def test_the_schema_lists_every_registered_metric():
    """Derived from the registry (python -m tests.metric_schema), never edited by hand."""
    listed = schema("snapshot")["properties"]["metrics"]["properties"]
    assert listed == metric_properties(), "run: python -m tests.metric_schema"
