"""Assemble the canonical report (schemas/report.schema.json): every format renders this object."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from playbook import __version__
from playbook.core import report_types as rt
from playbook.core.checklist import ChecklistItem, build_checklist
from playbook.core.diagnosis import Finding, diagnose
from playbook.core.engine import Audit, PlatformFacts, audit_snapshot, group_type_of
from playbook.core.i18n import Text, localize
from playbook.core.messages import pointer_of
from playbook.core.model import Playbook, Result
from playbook.core.path_limits import DEFAULT_LIMITS, PathLimits
from playbook.core.pointers import SourceDocument, pointer_to_string
from playbook.core.scoring import Score, WhatIf, count_statuses, round_half_up, score_results

REPORT_VERSION: Literal[2] = (
    2  # 2: the overall is the weighted mean of all counted rules (1: the mean of sections)
)


@dataclass(frozen=True)
class Options:
    """How a report is made: the date, the language, waivers, members shown or not."""

    today: date  # the real date of the audit: waivers expire by it (the command line reads the clock)
    lang: str = "en"
    use_waivers: bool = True
    show_members: bool = False


def build_report(
    playbook: Playbook,
    document: SourceDocument,
    options: Options,
    facts: PlatformFacts,
    limits: PathLimits = DEFAULT_LIMITS,
) -> rt.Report:
    """Evaluate, score and order one snapshot; the result is plain JSON-ready data.

    `facts` (every platform's, io/facts.py) and `limits` (io/limits.py) are given by the caller."""
    data = document.data
    audit = audit_snapshot(
        playbook,
        data,
        options.today,
        facts=facts,
        limits=limits,
        use_waivers=options.use_waivers,
        show_members=options.show_members,
    )
    findings = diagnose(playbook.diagnosis, audit.results)
    critical = {
        f.cause.id for f in findings for r in f.evidence if r.status == "fail" and r.severity == "critical"
    }
    what_if = WhatIf(audit.results, playbook.sections)  # the score's and the checklist's
    score = score_results(
        audit.results,
        playbook.sections,
        stage_unknown=audit.stage.id == "unknown",
        critical_causes=len(critical),
        what_if=what_if,
    )
    checklist = build_checklist(
        audit.results, playbook.sections, audit.upcoming, audit.expired_waivers, findings, what_if
    )
    lang = options.lang
    gains = {item.result.rule.id: item.gain for item in checklist if item.group in ("now", "next")}
    texts = _rule_texts(playbook, lang)
    where = Locator(document)
    return {
        "report": REPORT_VERSION,
        "tool": {"name": "playbook", "version": __version__},
        "lang": lang,
        "playbook": {
            "id": playbook.id,
            "version": playbook.version,
            "title": localize(playbook.title, lang),
            "sha256": playbook.sha256,
        },
        "snapshot": _snapshot_block(document),
        "stage": _stage_block(audit, lang),
        "score": _score_block(score),
        "sections": _sections_block(playbook, score, lang),
        "results": [_result_block(r, where, gains.get(r.rule.id), texts) for r in audit.results],
        "checklist": [_item_block(item, lang, texts) for item in checklist],
        "diagnosis": _diagnosis_block(findings, lang),
        "waivers": _waivers_block(audit),
        "summary": count_statuses(audit.results),
        "metrics": _metrics_block(audit.metrics),
    }


def _metrics_block(metrics: Mapping[str, Any]) -> dict[str, float | int]:
    """The derived metrics that are numbers, so report-to-report diffs can show what moved."""
    # `type` in a tuple, not `isinstance` of a union: ~70 metrics per report, and bool is out.
    return {
        name: _plain(value)
        for name, value in sorted(metrics.items())
        if type(value) in _NUMBER_TYPES and value == value
    }


_NUMBER_TYPES = (int, float)


def _snapshot_block(document: SourceDocument) -> rt.SnapshotInfo:
    data, group = document.data, document.data.get("group") or {}
    return {
        "path": document.name or None,
        "group_id": None if group.get("id") is None else str(group.get("id")),
        "group_name": _clip(group.get("name")),
        "group_type": group_type_of(data),
        "platform": data.get("platform"),
        "captured_at": data.get("captured_at"),
    }


def _clip(text: Any, most: int = 200) -> Any:
    """Hostile input can hold a 50 MB name: the report keeps its start."""
    return text[: most - 1] + "…" if isinstance(text, str) and len(text) > most else text


def _stage_block(audit: Audit, lang: str) -> rt.Stage:
    stage = audit.stage
    return {
        "id": stage.id,
        "kind": stage.kind,
        "source": stage.source,
        "scored_as": stage.weighed_as,
        "reason": stage.reason.render(lang),
        "evidence": [
            {"metric": e.metric, "label": e.label.render(lang), "value": _plain(e.value)}
            for e in stage.evidence
        ],
    }


def _plain(value: Any) -> Any:
    return round_half_up(value, 4) if isinstance(value, float) else value


def _score_block(score: Score) -> rt.ScoreBlock:
    return {
        "overall": score.overall,
        "grade": score.grade,
        "band": score.band,
        "coverage": None if score.coverage is None else round_half_up(score.coverage, 4),
        "provisional": score.provisional,
        "capped_by": list(score.capped_by),
        "grade_cap": score.grade_cap,
    }


def _sections_block(playbook: Playbook, score: Score, lang: str) -> list[rt.Section]:
    return [
        {
            "id": s.id,
            "title": localize(playbook.sections[s.id].title, lang),
            "score": s.score,
            "weight": s.weight,
            "coverage": None if s.coverage is None else round_half_up(s.coverage, 4),
            "counts": dict(s.counts),
        }
        for s in score.sections
    ]


@dataclass(frozen=True, eq=False)
class RuleTexts:
    """A playbook's rule titles and fixes in one language, rendered once for a batch of reports."""

    lang: str
    title: Mapping[str, str]
    fix: Mapping[str, str]


def _rule_texts(playbook: Playbook, lang: str) -> RuleTexts:
    """Rendered once per playbook and language, for every report of a batch."""
    key = ("rule_texts", lang)
    texts = playbook.memo.get(key)
    if texts is None:
        title = {r.id: localize(r.title, lang) for r in playbook.rules}
        fix = {r.id: localize(r.fix, lang).strip() for r in playbook.rules}
        texts = playbook.memo[key] = RuleTexts(lang, title, fix)
    return texts


def _result_block(result: Result, where: Locator, gain: float | None, texts: RuleTexts) -> rt.Result:
    rule, lang, message = result.rule, texts.lang, result.message
    return {
        "rule": rule.id,
        "section": rule.section,
        "title": texts.title[rule.id],
        "status": result.status,
        "score": None if result.score is None else round_half_up(result.score, 4),
        "severity": result.severity,
        "escalated": None if result.escalation is None else _escalated(result, lang),
        "effort": rule.effort,
        "weight": result.weight,
        "message": message.render(lang) if type(message) is Text else localize(message, lang),
        "reason": None if result.reason is None else localize(result.reason, lang),
        "evidence": None
        if result.evidence is None
        else {"actual": _json_safe(result.evidence.actual), "expected": _json_safe(result.evidence.expected)},
        "location": where(result),
        "missing": list(result.missing),
        "fix": texts.fix[rule.id],
        "gain": gain,
        "source": rule.source,
    }


# Type tuples, not `A | B` unions: a union is built anew at every call (~100 ns), and these
# checks run hundreds of times per report.
_PLAIN = (str, int, bool)
_SEQUENCES = (list, tuple)


def _json_safe(value: Any) -> Any:
    if isinstance(value, float):
        return round_half_up(value, 4)
    if isinstance(value, _PLAIN) or value is None:
        return value
    if isinstance(value, _SEQUENCES):
        return [_json_safe(v) for v in value][:20]
    if type(value) is dict or isinstance(value, Mapping):  # a dict spares the ABC's check
        return {str(k): _json_safe(v) for k, v in list(value.items())[:20]}
    return str(value)


class Locator:
    """Where each rule looked: the value's pointer, line and column (any status, for CI
    annotations). Missing data (`unknown`) points at the absent field, with the line of its
    nearest parent that is in the file: that is where the user adds it.

    Worked out once per pointer in a report (seventy rules look at a few dozen places)."""

    def __init__(self, document: SourceDocument):
        self.document = document
        self.found: dict[tuple[str | int, ...], rt.Location] = {}

    def __call__(self, result: Result) -> rt.Location | None:
        pointer = result.pointer
        if pointer is None and result.missing:
            pointer = next((p for p in map(pointer_of, result.missing) if p), None)
        if pointer is None:
            return None
        location = self.found.get(pointer)
        if location is None:
            present = _present_prefix(self.document.data, pointer)
            position = self.document.locate(present) if present else None
            line, column = position if position else (None, None)
            location = self.found[pointer] = {
                "pointer": _pointer_text(pointer),
                "line": line,
                "column": column,
            }
        return {**location}  # each result its own: a reader may change one


# A playbook's rules point at a few dozen places, the same in every report of a batch.
_pointer_text = functools.lru_cache(maxsize=1024)(pointer_to_string)


def _present_prefix(data: Any, pointer: Sequence[str | int]) -> tuple[str | int, ...]:
    """The longest start of `pointer` that exists in `data`: checked in memory, so the file is
    searched once, for a value that is there (searching a large file for an absent key is slow)."""
    node, found = data, 0
    for part in pointer:
        in_map = (type(node) is dict or isinstance(node, Mapping)) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_map or in_list):
            break
        node = node[part]
        found += 1
    return tuple(pointer[:found])


def _item_block(item: ChecklistItem, lang: str, texts: RuleTexts) -> rt.ChecklistItem:
    rule = item.result.rule
    return {
        "rule": rule.id,
        "group": item.group,
        "title": texts.title[rule.id],
        # Data to provide and a broken rule say what is missing or what broke, not how to fix the group.
        "fix": localize(item.result.message, lang)
        if item.group in ("data", "broken")
        else texts.fix[rule.id],
        "gain": item.gain,
        "effort": rule.effort,
        "severity": item.result.severity,
        "status": item.result.status,
        "priority": item.priority,
        "treats": list(item.treats),
    }


def _escalated(result: Result, lang: str) -> rt.Escalated | None:
    """Why the measured harm made this rule more severe than the playbook declares it."""
    step = result.escalation
    if step is None:
        return None
    return {"from": result.rule.severity, "to": step.severity, "because": localize(step.because, lang)}


def _diagnosis_block(findings: Sequence[Finding], lang: str) -> list[rt.Diagnosis]:
    return [
        {
            "id": f.cause.id,
            "title": localize(f.cause.title, lang),
            "present": f.present,
            "evidence": [{"rule": r.rule.id, "message": localize(r.message, lang)} for r in f.evidence],
        }
        for f in findings
    ]


def _waivers_block(audit: Audit) -> list[rt.Waiver]:
    rows = [(w, False) for w in audit.active_waivers] + [(w, True) for w in audit.expired_waivers]
    return [
        {
            "rule": w.rule,
            "group": w.group,
            "owner": w.owner,
            "reason": w.reason,
            "expires": w.expires,
            "expired": expired,
        }
        for w, expired in rows
    ]
