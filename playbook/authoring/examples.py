"""Run each rule's inline `examples`: a partial snapshot and the status the rule must give it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from playbook.core.budget import path_limits as budget_path_limits
from playbook.core.engine import build_scope, evaluate_rule
from playbook.core.errors import Problem
from playbook.core.model import Playbook, Result, Rule
from playbook.core.stages import detect_stage
from playbook.io.facts import platform_fact_table
from playbook.io.limits import path_limits
from playbook.io.validation import schema_problems

if TYPE_CHECKING:
    from playbook.io.composition import Merged

EXAMPLE_DEFAULTS = {"snapshot": 1, "captured_at": "2026-11-20T21:00:00+08:00", "platform": "wechat"}
EXAMPLE_DAY = date(2026, 11, 20)  # "today" for a test whose snapshot gives no capture time
EXPECTED_STATUSES = ("pass", "fail", "partial", "unknown", "not_applicable")


@dataclass(frozen=True)
class ExampleOutcome:
    """A rule's example snapshot, the status it should get and the result it got."""

    rule: Rule
    expected: str
    index: int
    result: Result
    snapshot: Mapping[str, Any]

    @property
    def ok(self) -> bool:
        return self.result.status == self.expected

    @property
    def name(self) -> str:
        return f"{self.rule.id}[{self.expected}#{self.index}]"


def example_snapshot(example: Mapping[str, Any]) -> dict[str, Any]:
    """Fill the defaults; a top-level `stage:` becomes the declared `group.stage`. A `group` that is
    not a mapping is left as written, for `example_problems` to point at."""
    snapshot = {**EXAMPLE_DEFAULTS, **{k: v for k, v in example.items() if k != "stage"}}
    group = snapshot.get("group") or {}
    if isinstance(group, Mapping):
        group = {"name": "示例群", **group}
        if "stage" in example:
            group["stage"] = example["stage"]
    snapshot["group"] = group
    return snapshot


def example_problems(merged: Merged) -> list[Problem]:
    """Each rule's examples, their defaults filled, checked against the snapshot schema and located
    where they are written: a rule's examples are snapshots and must be valid ones. (`validate` and
    `test` ask; an audit does not, as it never runs them.)"""
    return [
        problem
        for entry in merged.rules.values()
        for status, items in entry.raw.get("examples", {}).items()
        for index, example in enumerate(items)
        for problem in schema_problems(
            entry.doc, "snapshot", [*entry.pointer, "examples", status, index], example_snapshot(example)
        )
    ]


def run_example(playbook: Playbook, rule: Rule, example: Mapping[str, Any]) -> tuple[Result, dict[str, Any]]:
    snapshot = example_snapshot(example)
    with budget_path_limits(path_limits()):
        scope = build_scope(snapshot, platform_fact_table())
        group = snapshot["group"]
        stages = playbook.event_stages if group.get("kind") == "event" else playbook.long_term_stages
        stage = detect_stage(group, stages, scope)
        return evaluate_rule(rule, scope.with_stage(stage.weighed_as)), snapshot


def run_examples(playbook: Playbook) -> Iterator[ExampleOutcome]:
    for rule in playbook.rules:
        for expected in EXPECTED_STATUSES:
            for index, example in enumerate(rule.examples.get(expected, [])):
                result, snapshot = run_example(playbook, rule, example)
                yield ExampleOutcome(rule, expected, index, result, snapshot)
