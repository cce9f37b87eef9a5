"""The immutable records the engine passes around: playbooks, rules, results."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from playbook.core.conditions import Condition
from playbook.core.report_types import STATUSES as STATUSES  # re-exported: the engine reads it here
from playbook.core.report_types import Effort, Severity, StageId, Status

SEVERITY_WEIGHTS = {"critical": 10, "high": 7, "medium": 3, "low": 1, "info": 0}
SEVERITY_ORDER: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")
STAGE_RELEVANCE = {"required": 1.0, "recommended": 0.5}
TYPE_RELEVANCE = {"required": 1.0, "recommended": 0.5, "not_applicable": 0.0}
# What a group is for (`group.type`): rules declare their relevance per type as per stage.
GROUP_TYPES = ("interest", "trade", "service", "paid", "notice", "networking", "fan", "event")
EFFORT_EASE = {"low": 1.0, "medium": 0.6, "high": 0.35}
LONG_TERM_STAGES = ("planning", "launch", "growth", "mature", "declining", "ended")
EVENT_STAGES = ("before", "live", "after")
NEXT_STAGE = {"planning": "launch", "launch": "growth", "growth": "mature", "before": "live", "live": "after"}
SCORED: tuple[Status, ...] = ("pass", "partial", "fail")
Curve = Literal["linear", "saturating"]  # how a metric's value becomes a score (engine.curve_score)
PLATFORMS = ("qq", "wechat", "wecom", "telegram", "discord", "other")
SECTION_IDS = ("naming", "tags", "intro", "rules", "engagement", "lifecycle")

Texts = Mapping[str, str]  # {zh: ..., en: ...}


# A scorer record's `kind` names the function that scores it (engine.SCORERS): built-in kinds
# are these records; a plugin's scorer is a `NamedScorer` carrying its name and options.
@dataclass(frozen=True, eq=False)
class CheckScorer:
    """Pass when the condition holds, fail when it does not."""

    kind: ClassVar[str] = "check"
    check: Condition


@dataclass(frozen=True, eq=False)
class EachScorer:
    """The share of the items at `path` for which the check holds, against `mostly`."""

    kind: ClassVar[str] = "each"
    path: str
    check: Condition
    mostly: float
    empty: Status  # pass | fail | not_applicable | unknown


@dataclass(frozen=True, eq=False)
class MetricScorer:
    """A number at `path` read through a curve between `fail_at` and `pass_at`."""

    kind: ClassVar[str] = "metric"
    path: str
    curve: Curve
    fail_at: float | None = None
    pass_at: float | None = None
    target: float | None = None


@dataclass(frozen=True, eq=False)
class Criterion:
    """One criterion of a criteria scorer and the points it is worth."""

    check: Condition
    points: float
    label: Texts


@dataclass(frozen=True, eq=False)
class CriteriaScorer:
    """Points for each criterion that holds, as a share of all the points."""

    kind: ClassVar[str] = "criteria"
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True, eq=False)
class NamedScorer:
    """`score: {with: NAME, ...}`: a registered scorer (a plugin's) with its options as written."""

    kind: str
    options: Mapping[str, Any] = field(default_factory=dict)


Scorer = CheckScorer | EachScorer | MetricScorer | CriteriaScorer | NamedScorer


@dataclass(frozen=True, eq=False)
class Escalation:
    """A harsher severity when the measured harm is large (kicks over 10 % of the members)."""

    when: Condition
    severity: Severity
    because: Texts


class Examples(Mapping[str, Any]):
    """A rule's example snapshots by the status each should get, kept as JSON text until read.

    Only `playbook test` and `lint` read them; every audit unpickles the compiled playbook, and
    unpickling the examples as objects was a third of that (~1 ms of a one-file audit)."""

    __slots__ = ("_data", "_text")

    def __init__(self, data: Mapping[str, Any] | None = None, *, text: str | None = None):
        self._text = json.dumps(data or {}, ensure_ascii=False) if text is None else text
        self._data: dict[str, Any] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        return (_examples_from_text, (self._text,))

    def _read(self) -> dict[str, Any]:
        if self._data is None:
            self._data = json.loads(self._text)
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self._read()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def __repr__(self) -> str:
        return f"Examples({self._read()!r})"


def _examples_from_text(text: str) -> Examples:
    return Examples(text=text)


@dataclass(frozen=True, eq=False)
class Rule:
    """One practice, compiled: what it checks, how it scores, when and where it applies."""

    id: str
    section: str
    title: Texts
    why: Texts
    fix: Texts
    severity: Severity
    effort: Effort
    scorer: Scorer
    stages: Mapping[str, str] | None = None  # None: required at every stage
    types: Mapping[str, str] | None = None  # by group.type; None or an unlisted type: required
    escalations: tuple[Escalation, ...] = ()
    platforms: tuple[str, ...] | None = None  # None: every platform
    requires: tuple[str, ...] = ()
    when: Condition | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None
    weight: float | None = None  # an explicit weight instead of the severity's
    examples: Mapping[str, Any] = field(default_factory=Examples)
    origin: str = ""  # `file:line:col` where the rule is defined

    def relevance(self, stage: str) -> float:
        """1 for required, 0.5 for recommended, 0 where the stage makes the rule irrelevant."""
        if self.stages is None:
            return 1.0
        return STAGE_RELEVANCE.get(self.stages.get(stage, ""), 0.0)

    def type_relevance(self, group_type: str | None) -> float:
        """1 for required, 0.5 for recommended, 0 where the group's purpose makes it irrelevant.
        A group that does not say what it is for gets the default weights."""
        if group_type is None or self.types is None:
            return 1.0
        return TYPE_RELEVANCE[self.types.get(group_type, "required")]

    def base_weight(self, severity: Severity | None = None) -> float:
        """The weight of the declared severity, or of `severity` when the harm escalated it;
        an explicit `weight` stays as written."""
        return self.weight if self.weight is not None else SEVERITY_WEIGHTS[severity or self.severity]


@dataclass(frozen=True, eq=False)
class Section:
    """One of the six sections of a playbook and its weight in the overall score."""

    id: str
    title: Texts
    weight: float


@dataclass(frozen=True, eq=False)
class StageRule:
    """A lifecycle stage and the condition under which the data shows it."""

    stage: StageId
    when: Condition | None
    evidence: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Cause:
    """A cause of decline (diagnosis) and the rules whose failure shows it."""

    id: str
    title: Texts
    why: Texts
    rules: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Waiver:
    """An accepted exception to a rule: why, whose, until when, for which group."""

    rule: str
    reason: str
    owner: str
    expires: str
    group: str | None = None


@dataclass(frozen=True, eq=False)
class Playbook:
    """A compiled playbook: sections, rules, stages, causes, waivers and assertions."""

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
    # Values worked out once per compiled playbook and language (the report's rule titles and
    # fixes), kept with it rather than in a module-level cache: a changed copy starts empty.
    memo: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)


# Evidence, Result, Step and ChecklistItem are built by the hundred for every snapshot: plain
# slotted dataclasses, as a frozen one's __init__ costs ~5× as much (about 4 % of a batch).
# Nothing changes them after they are built; `dataclasses.replace` makes changed copies.
@dataclass(slots=True)
class Evidence:
    """What a rule found and what it expected."""

    actual: Any
    expected: Any


@dataclass(slots=True)
class Result:
    """One rule's outcome on one snapshot. `score` is in [0, 1] for counted statuses."""

    rule: Rule
    status: Status
    score: float | None
    weight: float  # effective weight: severity × stage relevance (0 when not counted)
    message: Any  # i18n.Text
    reason: Any = None  # i18n.Text for not_applicable / unknown / error / waived
    evidence: Evidence | None = None
    pointer: tuple[str | int, ...] | None = None
    missing: tuple[str, ...] = ()
    waiver: Waiver | None = None
    escalation: Escalation | None = None  # the harm measured raised the severity

    @property
    def counted(self) -> bool:
        return self.status in SCORED

    @property
    def severity(self) -> Severity:
        """The severity this result is judged by: the rule's, or the escalated one."""
        return self.escalation.severity if self.escalation is not None else self.rule.severity
