"""Which lifecycle stage a group is in: declared by the snapshot, or detected by the playbook."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from playbook.core.conditions import Scope, evaluate
from playbook.core.i18n import Text
from playbook.core.metrics import METRICS
from playbook.core.model import StageRule
from playbook.core.names import STAGE_NAMES
from playbook.core.operators import RuleError
from playbook.core.report_types import StageId, StageKind, StageSource

DEFAULT_STAGE: dict[StageKind, StageId] = {"long_term": "growth", "event": "live"}


@dataclass(frozen=True, eq=False)
class StageEvidence:
    """One measured value the stage was read from."""

    metric: str
    label: Text
    value: Any


@dataclass(frozen=True, eq=False)
class StageInfo:
    """The group's lifecycle stage, where it came from, and the evidence for it."""

    id: StageId  # a stage, or "unknown" when the data shows none
    kind: StageKind
    source: StageSource
    evidence: tuple[StageEvidence, ...]
    reason: Text
    scored_as: str = ""  # the stage whose requirements weigh the rules ("" = `id`)

    @property
    def weighed_as(self) -> str:
        return self.scored_as or self.id


def detect_stage(group: Mapping[str, Any], stage_rules: Sequence[StageRule], scope: Scope) -> StageInfo:
    kind: StageKind = "event" if group.get("kind") == "event" else "long_term"
    declared = group.get("stage")
    if isinstance(declared, str):
        return StageInfo(
            cast(StageId, declared),  # the snapshot schema admits only the stage names
            kind,
            "declared",
            (),
            Text("快照中声明 (group.stage)", "declared in the snapshot (group.stage)"),
        )
    for rule in stage_rules:
        if rule.when is None or _holds(rule, scope):
            evidence = tuple(_evidence(path, scope) for path in rule.evidence)
            if rule.when is None and evidence and all(e.value is None for e in evidence):
                return _unknown(kind, evidence)  # the last resort, and nothing to show for it
            return StageInfo(rule.stage, kind, "detected", evidence, _reason(evidence))
    fallback = DEFAULT_STAGE[kind]
    return StageInfo(
        fallback,
        kind,
        "detected",
        (),
        Text(
            f"手册没有阶段判定规则，按 {fallback} 处理",
            f"the playbook has no stage detection; assumed {fallback}",
        ),
    )


def _unknown(kind: StageKind, evidence: tuple[StageEvidence, ...]) -> StageInfo:
    """No stage is claimed on missing data: the rules are weighed as for the default stage and
    the report says the score is provisional."""
    default = DEFAULT_STAGE[kind]
    zh = "、".join(e.label.zh for e in evidence)
    en = ", ".join(e.label.en for e in evidence)
    reason = Text(
        f"数据不足以判断阶段（缺少{zh}），暂按{STAGE_NAMES[default].zh}的要求评分",
        f"the data shows no stage (missing {en}); weighed as {STAGE_NAMES[default].en} for now",
    )
    return StageInfo("unknown", kind, "unknown", evidence, reason, scored_as=default)


def _holds(rule: StageRule, scope: Scope) -> bool:
    assert rule.when is not None
    try:
        return evaluate(rule.when, scope) is True  # unknown does not hold
    except RuleError:
        return False


def _evidence(path: str, scope: Scope) -> StageEvidence:
    name = path.removeprefix("metrics.")
    entry = METRICS.get(name)
    label = entry.label if entry else Text(name, name)
    return StageEvidence(name, label, scope.lookup(path))


def format_value(value: Any) -> str:
    if value is None:
        return "?"
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) < 10 else f"{value:.0f}"
    return str(value)


def _reason(evidence: Sequence[StageEvidence]) -> Text:
    zh = "、".join(f"{e.label.zh} {format_value(e.value)}" for e in evidence)
    en = ", ".join(f"{e.label.en} {format_value(e.value)}" for e in evidence)
    return Text(f"自动判定: {zh}" if zh else "自动判定", f"detected: {en}" if en else "detected")
