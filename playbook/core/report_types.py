"""The canonical report's shape (schemas/report.schema.json, version 2) as types mypy can check.

Every reader of a report (the reporters, diff, trend, gates, baseline, compare) takes `Report`,
so a misspelt key or a status that does not exist is a type error, not a `KeyError` in a user's
CI. The value types are `Literal`s rather than enums: a report is plain JSON data that is read
back from files as plain strings, and a `Literal` types those strings without converting them
(the bytes written stay exactly what they were). tests/test_report_types.py checks that these
types and the schema name the same keys and the same values.
"""

import sys
from typing import Any, Literal, get_args

# Annotations are evaluated here (no `from __future__ import annotations`), so which keys are
# required is known at run time too: the schema test compares it.
if sys.version_info >= (3, 11):
    from typing import NotRequired, TypedDict
else:  # pragma: no cover
    from typing_extensions import NotRequired, TypedDict

Status = Literal["pass", "partial", "fail", "not_applicable", "unknown", "waived", "error"]
Severity = Literal["critical", "high", "medium", "low", "info"]
Effort = Literal["low", "medium", "high"]
ChecklistGroup = Literal["now", "next", "broken", "data", "next_stage", "waiver"]
StageId = Literal[
    "planning", "launch", "growth", "mature", "declining", "ended", "before", "live", "after", "unknown"
]
StageKind = Literal["long_term", "event"]
StageSource = Literal["declared", "detected", "unknown"]
Grade = Literal["A", "B", "C", "D", "F"]
GradeCap = Literal["C", "D"]
Band = Literal["good", "needs_work", "poor"]
Platform = Literal["qq", "wechat", "wecom", "telegram", "discord", "other"]
Change = Literal["regressed", "fixed", "improved", "changed", "new", "removed"]
MatchedBy = Literal["group_id", "path"]

STATUSES: tuple[Status, ...] = get_args(Status)
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
CHECKLIST_GROUPS: tuple[ChecklistGroup, ...] = get_args(ChecklistGroup)


class Tool(TypedDict):
    name: str
    version: str


class PlaybookInfo(TypedDict):
    id: str
    version: str | None
    title: str
    sha256: str


class SnapshotInfo(TypedDict):
    path: str | None
    group_id: str | None
    group_name: str | None
    group_type: NotRequired[str | None]
    platform: Platform
    captured_at: str


class StageEvidence(TypedDict):
    metric: str
    label: str
    value: float | str | None


class Stage(TypedDict):
    id: StageId
    kind: StageKind
    source: StageSource
    reason: str
    evidence: list[StageEvidence]
    scored_as: NotRequired[str]


class ScoreBlock(TypedDict):
    overall: float | None
    grade: Grade | None
    band: Band | None
    coverage: float | None
    provisional: bool
    capped_by: NotRequired[list[str]]
    grade_cap: NotRequired[GradeCap | None]


# Every status with its count (all seven, in STATUSES order): keyed by `Status`, so mypy checks
# `counts["fial"]` as it checks a TypedDict's keys.
Counts = dict[Status, int]


class Section(TypedDict):
    id: str
    title: str
    score: float | None
    weight: float
    coverage: float | None
    counts: Counts


Escalated = TypedDict("Escalated", {"from": Severity, "to": Severity, "because": str})


class Evidence(TypedDict):
    actual: Any  # whatever the snapshot held, made JSON-safe
    expected: Any


class Location(TypedDict):
    pointer: str
    line: int | None
    column: int | None


class Result(TypedDict):
    rule: str
    section: str
    title: str
    status: Status
    score: float | None
    severity: Severity
    escalated: NotRequired[Escalated | None]
    effort: Effort
    weight: float
    message: str
    reason: str | None
    evidence: Evidence | None
    location: Location | None
    missing: list[str]
    fix: str
    gain: float | None
    source: str | None


class ChecklistItem(TypedDict):
    rule: str
    group: ChecklistGroup
    title: str
    fix: str
    gain: float | None
    effort: Effort
    severity: Severity
    status: Status
    priority: float | None
    treats: NotRequired[list[str]]


class DiagnosisEvidence(TypedDict):
    rule: str
    message: str


class Diagnosis(TypedDict):
    id: str
    title: str
    present: bool
    evidence: list[DiagnosisEvidence]


class Waiver(TypedDict):
    rule: str
    group: str | None
    owner: str
    reason: str
    expires: str
    expired: bool


class ScoreDelta(TypedDict):
    old: float | None
    new: float | None
    delta: float | None


class SectionDelta(ScoreDelta):
    id: str


class RuleChange(TypedDict):
    rule: str
    change: Change
    old: Status | None
    new: Status | None


class ChangeCounts(TypedDict):
    regressed: int
    fixed: int
    improved: int
    changed: int
    new: int
    removed: int
    unchanged: int


class Baseline(TypedDict):
    path: str
    matched_by: MatchedBy | None
    playbook_changed: bool
    scoring_changed: NotRequired[bool]
    old_report_version: NotRequired[int | None]
    overall: ScoreDelta
    sections: list[SectionDelta]
    rules: list[RuleChange]
    counts: ChangeCounts


class Report(TypedDict):
    """One snapshot's audit: `report` is the format version (1 or 2; 1 is only ever read back)."""

    report: Literal[1, 2]
    tool: Tool
    lang: NotRequired[str]  # zh | en: the languages i18n.Text holds (the CLI offers only these)
    playbook: PlaybookInfo
    snapshot: SnapshotInfo
    stage: Stage
    score: ScoreBlock
    sections: list[Section]
    results: list[Result]
    checklist: list[ChecklistItem]
    diagnosis: list[Diagnosis]
    waivers: NotRequired[list[Waiver]]
    summary: Counts
    metrics: NotRequired[dict[str, float]]
    baseline: NotRequired[Baseline]
