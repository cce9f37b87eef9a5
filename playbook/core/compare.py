"""Compare two canonical reports: score deltas, rule transitions and moved metrics. Pure.

`diff`, `trend` and `audit --baseline` all read the same answer, so "fixed" and "regressed"
mean one thing everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from playbook.core.i18n import Text
from playbook.core.report_types import Change, Grade, Report, ScoreDelta, Section, Severity, Status
from playbook.core.report_types import Result as ReportResult
from playbook.core.scoring import round_half_up

# Report version 1 averaged section scores, version 2 weighs every rule (scoring.py): across the
# two, the overall moves by the arithmetic alone. Rule statuses mean the same in both.
SCORING_CHANGED = Text(
    "评分方式不同（报告版本 {a} → {b}）：总分和板块分的变化来自评分方式，不是群的变化；规则状态的变化仍可比较",
    "scored differently (report version {a} → {b}): overall and section moves come from the scoring, "
    "not from the group; rule status changes still compare",
)


def scoring_note(old_version: Any, new_version: Any) -> Text | None:
    """The warning to show when two reports were scored by different models, else None."""
    if old_version == new_version:
        return None
    return SCORING_CHANGED.format(a=old_version, b=new_version)


# Only counted statuses have an order; moving between other statuses is a plain "changed".
_RANK = {"fail": 0, "partial": 1, "pass": 2}
CHANGES: tuple[Change, ...] = ("regressed", "fixed", "improved", "changed", "new", "removed")


class Identity(TypedDict):
    path: str | None
    group_id: str | None
    group_name: str | None
    captured_at: str


class Pair(TypedDict):
    old: Any
    new: Any


class SectionChange(ScoreDelta):
    id: str
    title: str


class RuleChangeRow(TypedDict):
    rule: str
    change: Change
    section: str | None
    title: str | None
    severity: Severity | None
    old: Status | None
    new: Status | None
    message: str | None


class MetricChange(ScoreDelta):
    name: str


class Diff(TypedDict):
    """What moved between two reports: `diff` draws it, `trend` and `--baseline` read it."""

    old: Identity
    new: Identity
    playbook_changed: bool
    scoring_changed: bool
    report_versions: Pair
    overall: ScoreDelta
    grade: Pair
    coverage: ScoreDelta
    stage: Pair
    sections: list[SectionChange]
    rules: list[RuleChangeRow]
    metrics: list[MetricChange]
    metrics_available: bool


class TrendPoint(TypedDict):
    date: str
    overall: float | None
    grade: Grade | None
    coverage: float | None
    provisional: bool
    sections: dict[str, float | None]


TrendStep = TypedDict("TrendStep", {"from": str, "to": str, "rules": list[RuleChangeRow]})


class Trend(TypedDict):
    """One group's reports in time order (runner/trend.py builds it; present/ draws it)."""

    group: str | None
    sections: dict[str, str]
    points: list[TrendPoint]
    steps: list[TrendStep]
    scoring_note: dict[str, str] | None  # {"zh": …, "en": …}


def compare_reports(old: Report, new: Report) -> Diff:
    """What moved from `old` to `new`; JSON-ready, stable order (by change kind, then rule id)."""
    return {
        "old": _identity(old),
        "new": _identity(new),
        "playbook_changed": old["playbook"].get("sha256") != new["playbook"].get("sha256"),
        "scoring_changed": old.get("report") != new.get("report"),
        "report_versions": {"old": old.get("report"), "new": new.get("report")},
        "overall": _delta(old["score"].get("overall"), new["score"].get("overall")),
        "grade": {"old": old["score"].get("grade"), "new": new["score"].get("grade")},
        "coverage": _delta(old["score"].get("coverage"), new["score"].get("coverage"), places=4),
        "stage": {"old": old["stage"]["id"], "new": new["stage"]["id"]},
        "sections": _sections(old["sections"], new["sections"]),
        "rules": rule_changes(old["results"], new["results"]),
        "metrics": _metrics(old.get("metrics"), new.get("metrics")),
        "metrics_available": "metrics" in old and "metrics" in new,
    }


def _identity(report: Report) -> Identity:
    snap = report["snapshot"]
    return {
        "path": snap.get("path"),
        "group_id": snap.get("group_id"),
        "group_name": snap.get("group_name"),
        "captured_at": snap.get("captured_at"),
    }


def _delta(old: float | None, new: float | None, places: int = 2) -> ScoreDelta:
    change = None if old is None or new is None else round_half_up(new - old, places)
    return {"old": old, "new": new, "delta": change}


def _sections(old: Sequence[Section], new: Sequence[Section]) -> list[SectionChange]:
    before = {s["id"]: s for s in old}
    after = {s["id"]: s for s in new}
    ids = [s["id"] for s in new] + [s["id"] for s in old if s["id"] not in after]
    rows: list[SectionChange] = []
    for sid in ids:
        a, b = before.get(sid), after.get(sid)
        known: Mapping[str, Any] = b or a or {}
        title = known.get("title", sid)
        row = _delta(_get(a, "score"), _get(b, "score"))
        rows.append({"id": sid, "title": title, "old": row["old"], "new": row["new"], "delta": row["delta"]})
    return rows


def _get(row: Mapping[str, Any] | None, key: str) -> Any:
    return None if row is None else row.get(key)


def classify(old_status: Status | None, new_status: Status | None) -> Change | None:
    """The change kind between two statuses of one rule, or None when nothing changed."""
    if old_status == new_status:
        return None
    if old_status is None:
        return "new"
    if new_status is None:
        return "removed"
    if old_status in _RANK and new_status in _RANK:
        if _RANK[new_status] < _RANK[old_status]:
            return "regressed"
        return "fixed" if new_status == "pass" else "improved"
    return "changed"


def rule_changes(old: Sequence[ReportResult], new: Sequence[ReportResult]) -> list[RuleChangeRow]:
    before = {r["rule"]: r for r in old}
    after = {r["rule"]: r for r in new}
    rows: list[RuleChangeRow] = []
    for rule in sorted(set(before) | set(after)):
        a, b = before.get(rule), after.get(rule)
        kind = classify(_get(a, "status"), _get(b, "status"))
        if kind is None:
            continue
        latest: Mapping[str, Any] = b or a or {}
        rows.append(
            {
                "rule": rule,
                "change": kind,
                "section": latest.get("section"),
                "title": latest.get("title"),
                "severity": latest.get("severity"),
                "old": _get(a, "status"),
                "new": _get(b, "status"),
                "message": latest.get("message"),
            }
        )
    rows.sort(key=lambda r: (CHANGES.index(r["change"]), r["rule"]))
    return rows


def _metrics(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[MetricChange]:
    before, after = old or {}, new or {}
    rows: list[MetricChange] = []
    for name in sorted(set(before) | set(after)):
        a, b = before.get(name), after.get(name)
        if a == b:
            continue
        row = _delta(a, b, places=4)
        rows.append({"name": name, "old": row["old"], "new": row["new"], "delta": row["delta"]})
    return rows
