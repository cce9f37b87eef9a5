"""The immutable records the engine passes around: playbooks, rules, results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from playbook.conditions import Condition
from playbook.i18n import Text

SEVERITY_WEIGHTS = {"critical": 10, "high": 7, "medium": 3, "low": 1, "info": 0}
SEVERITY_ORDER = ["critical", "high", "medium", "low", "info"]
STAGE_RELEVANCE = {"required": 1.0, "recommended": 0.5}
EFFORT_EASE = {"low": 1.0, "medium": 0.6, "high": 0.35}
LONG_TERM_STAGES = ("planning", "launch", "growth", "mature", "declining", "ended")
EVENT_STAGES = ("before", "live", "after")
STAGE_NAMES = {  # the seeds' words: 冷启动 → 热运营 → 自生长 (S3)
    "planning": Text("筹备期", "planning"),
    "launch": Text("冷启动期", "cold start"),
    "growth": Text("热运营期", "growth"),
    "mature": Text("自生长期", "mature"),
    "declining": Text("衰退期", "declining"),
    "ended": Text("已结束", "ended"),
    "before": Text("活动前", "before the event"),
    "live": Text("活动中", "during the event"),
    "after": Text("活动后", "after the event"),
}
SEVERITY_NAMES = {
    "critical": Text("严重", "critical"),
    "high": Text("高", "high"),
    "medium": Text("中", "medium"),
    "low": Text("低", "low"),
    "info": Text("提示", "info"),
}
EFFORT_NAMES = {"low": Text("小", "low"), "medium": Text("中", "medium"), "high": Text("大", "high")}
RELEVANCE_NAMES = {"required": Text("必需", "required"), "recommended": Text("建议", "recommended")}
CHANGE_NAMES = {  # how a rule's result moved between two audits (compare.py)
    "fixed": Text("已修复", "fixed"),
    "improved": Text("有改善", "improved"),
    "regressed": Text("退步", "regressed"),
    "changed": Text("状态变化", "changed"),
    "new": Text("新规则", "new"),
    "removed": Text("已移除", "removed"),
}


def name_in(names: Mapping[str, Text], key: str, lang: str) -> str:
    """`key`'s name in `lang` (冷启动期 for the stage `launch`); a key the catalog lacks, as it is."""
    name = names.get(key)
    return key if name is None else name.render(lang)


def transition(names: Mapping[str, Text], old: str | None, new: str | None, lang: str) -> str:
    """`通过 → 未通过`: a status or a stage before and after, named in `lang` (`–` for none)."""
    before = "–" if old is None else name_in(names, old, lang)
    after = "–" if new is None else name_in(names, new, lang)
    return f"{before} → {after}"


def stages_text(stages: Mapping[str, str] | None, lang: str) -> str:
    """Where a rule counts, level by level: `必需: 冷启动期、热运营期 · 建议: 活动前`."""
    if stages is None:
        return Text("所有阶段都必需", "required at every stage").render(lang)
    by_level: dict[str, list[str]] = {}
    for stage, level in stages.items():
        by_level.setdefault(level, []).append(name_in(STAGE_NAMES, stage, lang))
    comma = "、" if lang == "zh" else ", "
    return " · ".join(f"{name_in(RELEVANCE_NAMES, level, lang)}: {comma.join(names)}" for level, names in by_level.items())


STATUS_NAMES = {
    "pass": Text("通过", "pass"),
    "partial": Text("部分通过", "partial"),
    "fail": Text("未通过", "fail"),
    "not_applicable": Text("不适用", "not applicable"),
    "unknown": Text("缺数据", "unknown"),
    "waived": Text("已豁免", "waived"),
    "error": Text("规则出错", "rule error"),
}
NEXT_STAGE = {"planning": "launch", "launch": "growth", "growth": "mature", "before": "live", "live": "after"}
STATUSES = ("pass", "partial", "fail", "not_applicable", "unknown", "waived", "error")
SCORED = ("pass", "partial", "fail")
PLATFORMS = ("qq", "wechat", "wecom", "telegram", "discord", "other")
SECTION_IDS = ("naming", "tags", "intro", "rules", "engagement", "lifecycle")

Texts = Mapping[str, str]  # {zh: ..., en: ...}


@dataclass(frozen=True)
class CheckScorer:
    check: Condition


@dataclass(frozen=True)
class EachScorer:
    path: str
    check: Condition
    mostly: float
    empty: str  # pass | fail | not_applicable | unknown


@dataclass(frozen=True)
class MetricScorer:
    path: str
    curve: str  # linear | saturating
    fail_at: float | None = None
    pass_at: float | None = None
    target: float | None = None


@dataclass(frozen=True)
class Criterion:
    check: Condition
    points: float
    label: Texts


@dataclass(frozen=True)
class CriteriaScorer:
    criteria: tuple[Criterion, ...]


Scorer = CheckScorer | EachScorer | MetricScorer | CriteriaScorer


@dataclass(frozen=True)
class Rule:
    id: str
    section: str
    title: Texts
    why: Texts
    fix: Texts
    severity: str
    effort: str
    scorer: Scorer
    stages: Mapping[str, str] | None = None  # None: required at every stage
    platforms: tuple[str, ...] | None = None  # None: every platform
    requires: tuple[str, ...] = ()
    when: Condition | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None
    weight: float | None = None  # an explicit weight instead of the severity's
    examples: Mapping[str, Any] = field(default_factory=dict)
    origin: str = ""  # `file:line:col` where the rule is defined

    def relevance(self, stage: str) -> float:
        """1 for required, 0.5 for recommended, 0 where the stage makes the rule irrelevant."""
        if self.stages is None:
            return 1.0
        return STAGE_RELEVANCE.get(self.stages.get(stage, ""), 0.0)

    def base_weight(self) -> float:
        return self.weight if self.weight is not None else SEVERITY_WEIGHTS[self.severity]


@dataclass(frozen=True)
class Section:
    id: str
    title: Texts
    weight: float


@dataclass(frozen=True)
class StageRule:
    stage: str
    when: Condition | None
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Cause:
    id: str
    title: Texts
    why: Texts
    rules: tuple[str, ...]


@dataclass(frozen=True)
class Waiver:
    rule: str
    reason: str
    owner: str
    expires: str
    group: str | None = None


@dataclass(frozen=True)
class Playbook:
    id: str
    version: str | None
    title: Texts
    sections: Mapping[str, Section]
    rules: tuple[Rule, ...]
    long_term_stages: tuple[StageRule, ...] = ()
    event_stages: tuple[StageRule, ...] = ()
    diagnosis: tuple[Cause, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    assertions: Mapping[str, Any] = field(default_factory=dict)
    sha256: str = ""
    files: tuple[str, ...] = ()


# Evidence, Result, Step and ChecklistItem are built by the hundred for every snapshot: plain
# slotted dataclasses, as a frozen one's __init__ costs ~5× as much (about 4 % of a batch).
# Nothing changes them after they are built; `dataclasses.replace` makes changed copies.
@dataclass(slots=True)
class Evidence:
    actual: Any
    expected: Any


@dataclass(slots=True)
class Result:
    """One rule's outcome on one snapshot. `score` is in [0, 1] for counted statuses."""

    rule: Rule
    status: str
    score: float | None
    weight: float  # effective weight: severity × stage relevance (0 when not counted)
    message: Any  # i18n.Text
    reason: Any = None  # i18n.Text for not_applicable / unknown / error / waived
    evidence: Evidence | None = None
    pointer: tuple[str | int, ...] | None = None
    missing: tuple[str, ...] = ()
    waiver: Waiver | None = None

    @property
    def counted(self) -> bool:
        return self.status in SCORED
