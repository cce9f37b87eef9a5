"""Section and overall scores, coverage and grade: pure arithmetic over results.

Scores are stored on 0–100 with two decimals, rounded half up (Python's `round` rounds half to
even, so Decimal does it). A section with nothing counted has no score (shown "–"), never 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from playbook.model import SCORED, STATUSES, Result, Section

CRITICAL_CAP = 49.0
PROVISIONAL_BELOW = 0.8
GRADES = ((90, "A"), (75, "B"), (50, "C"), (25, "D"))
_SCALES = (1, 10, 100, 1000, 10000)  # 10**places for the places reports use


def round_half_up(value: float, places: int = 2) -> float:
    scale = _SCALES[places] if places < len(_SCALES) else 10**places
    scaled = value * scale
    # Far from a tie (…5 in the next place), rounding the scaled float is exact and ~10× cheaper
    # than Decimal; near one, the float product may sit on the wrong side, so Decimal decides.
    # (`scaled % 1.0` is `scaled - floor(scaled)`, for negative values too.)
    if abs(scaled) < 1e9 and abs(scaled % 1.0 - 0.5) > 1e-6:
        return round(scaled) / scale
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class SectionScore:
    id: str
    score: float | None
    weight: float
    coverage: float | None
    counts: Mapping[str, int]


@dataclass(frozen=True)
class Score:
    overall: float | None
    grade: str | None
    band: str | None
    coverage: float | None
    provisional: bool
    sections: tuple[SectionScore, ...]


def grade_of(overall: float | None) -> str | None:
    if overall is None:
        return None
    return next((grade for floor, grade in GRADES if overall >= floor), "F")


def band_of(score: float | None) -> str | None:
    if score is None:
        return None
    return "good" if score >= 90 else "needs_work" if score >= 50 else "poor"


def _coverage(results: Sequence[Result]) -> float | None:
    evaluated = sum(r.weight for r in results if r.status in SCORED)
    considered = evaluated + sum(r.weight for r in results if r.status in ("unknown", "error"))
    return None if considered == 0 else evaluated / considered


def section_score(results: Sequence[Result], fixed: Set[str] = frozenset()) -> float | None:
    """Weighted mean of counted rules × 100; rules in `fixed` count as fully passing."""
    return _scored(_score_rows(results), fixed)


def overall_score(by_section: Mapping[str, float | None], sections: Mapping[str, Section]) -> float | None:
    scored = [
        (sections[sid].weight, s)
        for sid, s in by_section.items()
        if s is not None and sections[sid].weight > 0
    ]
    total = sum(weight for weight, _ in scored)
    return None if total == 0 else round_half_up(sum(w * s for w, s in scored) / total)


def _grouped(results: Sequence[Result], sections: Mapping[str, Section]) -> dict[str, list[Result]]:
    grouped: dict[str, list[Result]] = {sid: [] for sid in sections}
    for result in results:
        grouped.setdefault(result.rule.section, []).append(result)
    return grouped


class WhatIf:
    """The overall score if some rules were fixed, for one audit's results: the checklist asks
    this twice per item, so each question rescores only the sections its rules belong to, from
    rows prepared once."""

    def __init__(self, results: Sequence[Result], sections: Mapping[str, Section]):
        self.sections = sections
        self.section_of = {r.rule.id: r.rule.section for r in results}
        self.rows = {sid: _score_rows(rs) for sid, rs in _grouped(results, sections).items()}
        self.scores = {sid: _scored(rows, frozenset()) for sid, rows in self.rows.items()}

    def overall_if_fixed(self, fixed: frozenset[str]) -> float | None:
        touched = {self.section_of[rid] for rid in fixed if rid in self.section_of}
        scores = dict(self.scores)
        for sid in touched:
            scores[sid] = _scored(self.rows[sid], fixed)
        return overall_score(scores, self.sections)

    def overall_fixing_in_turn(self, rule_ids: Sequence[str]) -> list[float | None]:
        """`overall_if_fixed` of each growing prefix of `rule_ids`, fixing one rule at a time:
        each step rescores only the new rule's section (the others' scores cannot change)."""
        scores, fixed, overall = dict(self.scores), set[str](), []
        for rid in rule_ids:
            fixed.add(rid)
            if rid in self.section_of:
                sid = self.section_of[rid]
                scores[sid] = _scored(self.rows[sid], fixed)
            overall.append(overall_score(scores, self.sections))
        return overall


@dataclass(frozen=True)
class _Rows:
    """A section's counted results, with what every what-if of that section shares."""

    rows: list[tuple[str, float, float]]  # (rule id, weight, score)
    total: float  # of the weights
    critical_fails: frozenset[str]  # failing critical rules: the section is capped until all are fixed


def _score_rows(results: Sequence[Result]) -> _Rows:
    counted = [r for r in results if r.status in SCORED and r.weight > 0]
    return _Rows(
        [(r.rule.id, r.weight, r.score or 0.0) for r in counted],
        sum(r.weight for r in counted),
        frozenset(r.rule.id for r in counted if r.rule.severity == "critical" and r.status == "fail"),
    )


def _scored(section: _Rows, fixed: Set[str]) -> float | None:
    """The weighted mean of the rows' scores × 100, rules in `fixed` counting as passing;
    capped at CRITICAL_CAP while a failing critical rule is not fixed."""
    if section.total == 0:
        return None
    earned = sum(weight * (1.0 if rid in fixed else score) for rid, weight, score in section.rows)
    score = round_half_up(100 * earned / section.total)
    return score if section.critical_fails <= fixed else min(score, CRITICAL_CAP)


def count_statuses(results: Sequence[Result]) -> dict[str, int]:
    """How many results have each status (every status present, in STATUSES order)."""
    counts = dict.fromkeys(STATUSES, 0)
    for result in results:
        counts[result.status] += 1
    return counts


def score_results(results: Sequence[Result], sections: Mapping[str, Section]) -> Score:
    grouped = _grouped(results, sections)
    section_scores = tuple(
        SectionScore(
            id=sid,
            score=section_score(rs),
            weight=sections[sid].weight,
            coverage=_coverage(rs),
            counts=count_statuses(rs),
        )
        for sid, rs in grouped.items()
    )
    overall = overall_score({s.id: s.score for s in section_scores}, sections)
    coverage = _coverage(results)
    critical_unknown = any(
        r.rule.severity == "critical" and r.status in ("unknown", "error") for r in results
    )
    provisional = critical_unknown or (coverage is not None and coverage < PROVISIONAL_BELOW)
    return Score(overall, grade_of(overall), band_of(overall), coverage, provisional, section_scores)
