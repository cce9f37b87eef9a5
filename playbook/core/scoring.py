"""Section and overall scores, coverage and grade: pure arithmetic over results.

Scores are stored on 0–100 with two decimals, rounded half up (Python's `round` rounds half to
even, so Decimal does it). A section with nothing counted has no score (shown "–"), never 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from playbook.core.model import SCORED, STATUSES, Result, Section
from playbook.core.report_types import Band, Counts, Grade, GradeCap

CRITICAL_CAP = 49.0
PROVISIONAL_BELOW = 0.8
# Below this coverage the few rules judged cannot stand for the group: no grade, only the score.
GRADE_NEEDS_COVERAGE = 0.25
GRADES: tuple[tuple[int, Grade], ...] = ((90, "A"), (75, "B"), (50, "C"), (25, "D"))
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


@dataclass(frozen=True, eq=False)
class SectionScore:
    """One section's score, weight, coverage and counts of statuses."""

    id: str
    score: float | None
    weight: float
    coverage: float | None
    counts: Counts


@dataclass(frozen=True, eq=False)
class Score:
    """The overall score, its grade and band, its coverage, and the sections' scores."""

    overall: float | None
    grade: Grade | None
    band: Band | None
    coverage: float | None
    provisional: bool
    sections: tuple[SectionScore, ...]
    capped_by: tuple[str, ...] = ()  # failing critical rules that keep the grade at C or below
    grade_cap: GradeCap | None = (
        None  # C: a critical rule fails; D: two causes of early death at critical strength
    )


def grade_of(overall: float | None) -> Grade | None:
    if overall is None:
        return None
    return next((grade for floor, grade in GRADES if overall >= floor), "F")


# The score bands every format shows (colours, shapes, guides, legends): read from here alone.
GOOD_FROM = 90  # this score or more: good
POOR_BELOW = 50  # below it: poor; between the two: needs work


def band_of(score: float | None) -> Band | None:
    if score is None:
        return None
    return "good" if score >= GOOD_FROM else "needs_work" if score >= POOR_BELOW else "poor"


def _coverage(results: Sequence[Result]) -> float | None:
    evaluated = sum(r.weight for r in results if r.status in SCORED)
    considered = evaluated + sum(r.weight for r in results if r.status in ("unknown", "error"))
    return None if considered == 0 else evaluated / considered


def section_score(results: Sequence[Result]) -> float | None:
    """Weighted mean of counted rules × 100. A failing critical rule caps its section at
    CRITICAL_CAP: sections are a view of where the work is (the overall weighs rules, WhatIf)."""
    counted = [r for r in results if r.status in SCORED and r.weight > 0]
    total = sum(r.weight for r in counted)
    if total == 0:
        return None
    score = round_half_up(100 * sum(r.weight * (r.score or 0.0) for r in counted) / total)
    return min(score, CRITICAL_CAP) if any(_critical_fail(r) for r in counted) else score


def _section_score(sid: str, results: Sequence[Result], weight: float) -> SectionScore:
    """`section_score`, `_coverage` and `count_statuses` of one section in one pass over its
    results (there were five per section). `sum` adds the same weights in the same order."""
    counts = dict.fromkeys(STATUSES, 0)
    counted: list[Result] = []
    scored: list[float] = []
    lacking: list[float] = []
    for result in results:
        status = result.status
        counts[status] += 1
        if status in SCORED:
            scored.append(result.weight)
            if result.weight > 0:
                counted.append(result)
        elif status == "unknown" or status == "error":
            lacking.append(result.weight)
    evaluated = sum(scored)
    considered = evaluated + sum(lacking)
    coverage = None if considered == 0 else evaluated / considered
    return SectionScore(sid, section_score(counted), weight, coverage, counts)


def _critical_fail(result: Result) -> bool:
    return result.status == "fail" and result.severity == "critical"


def _grouped(results: Sequence[Result], sections: Mapping[str, Section]) -> dict[str, list[Result]]:
    grouped: dict[str, list[Result]] = {sid: [] for sid in sections}
    for result in results:
        grouped.setdefault(result.rule.section, []).append(result)
    return grouped


class WhatIf:
    """The overall score of one audit's results, and what it would be if some rules were fixed.

    Overall = the weighted mean of all counted rules (weight × the section's weight) × 100, the
    way OpenSSF Scorecard and Lighthouse aggregate checks; so fixing a rule earns its own share,
    whatever section it is in, and the gains of several fixes add up."""

    def __init__(self, results: Sequence[Result], sections: Mapping[str, Section]):
        def section_weight(result: Result) -> float:
            section = sections.get(result.rule.section)
            return 1.0 if section is None else section.weight

        self.rows = {
            r.rule.id: (r.weight * section_weight(r), r.score or 0.0)
            for r in results
            if r.status in SCORED and r.weight > 0
        }
        self.total = sum(weight for weight, _ in self.rows.values())
        self.earned = sum(weight * score for weight, score in self.rows.values())

    def _overall(self, earned: float) -> float | None:
        return None if self.total == 0 else round_half_up(100 * earned / self.total)

    def _gain(self, rule_id: str) -> float:
        weight, score = self.rows.get(rule_id, (0.0, 1.0))
        return weight * (1.0 - score)

    def overall_if_fixed(self, fixed: frozenset[str]) -> float | None:
        # fsum: the exactly rounded sum, whatever the set's order, so fixing the same rules one at
        # a time (overall_fixing_in_turn) gives the same figure to the last rounding.
        return self._overall(math.fsum([self.earned, *map(self._gain, fixed)]))

    def overall_if_one_fixed(self, rule_id: str) -> float | None:
        """`overall_if_fixed(frozenset({rule_id}))`, without building the set (once per fixable rule)."""
        return self._overall(self.earned + self._gain(rule_id))

    def overall_fixing_in_turn(self, rule_ids: Sequence[str]) -> list[float | None]:
        """`overall_if_fixed` of each growing prefix of `rule_ids`, fixing one rule at a time."""
        parts, overall = [self.earned], []
        for rid in rule_ids:
            parts.append(self._gain(rid))
            overall.append(self._overall(math.fsum(parts)))
        return overall


def count_statuses(results: Sequence[Result]) -> Counts:
    """How many results have each status (every status present, in STATUSES order)."""
    counts = dict.fromkeys(STATUSES, 0)
    for result in results:
        counts[result.status] += 1
    return counts


def score_results(
    results: Sequence[Result],
    sections: Mapping[str, Section],
    stage_unknown: bool = False,
    critical_causes: int = 0,
    what_if: WhatIf | None = None,
) -> Score:
    """`critical_causes`: how many diagnosed causes a failing critical rule evidences. One cause
    of early death at critical strength keeps the grade at C; two at once (ads unchecked and
    no leader left) put the group in danger: D at best. `what_if`: the same results' WhatIf,
    when the caller has built it already (the checklist needs it too)."""
    grouped = _grouped(results, sections)
    section_scores = tuple(_section_score(sid, rs, sections[sid].weight) for sid, rs in grouped.items())
    overall = (what_if or WhatIf(results, sections)).overall_if_fixed(frozenset())
    capped_by = tuple(r.rule.id for r in results if _critical_fail(r))
    coverage = _coverage(results)
    critical_unknown = any(r.status in ("unknown", "error") and r.severity == "critical" for r in results)
    provisional = stage_unknown or critical_unknown or (coverage is not None and coverage < PROVISIONAL_BELOW)
    grade, band = grade_of(overall), band_of(overall)
    cap: GradeCap | None = ("D" if critical_causes >= 2 else "C") if capped_by else None
    if cap is not None:  # the verdict stays at the cap whatever else is done; the score stays exact
        grade = cap if grade is None or grade < cap else grade  # the worse of the two letters
        band = "poor" if band == "poor" or cap == "D" else "needs_work"
    if coverage is not None and coverage < GRADE_NEEDS_COVERAGE:  # too few rules judged to grade
        grade, band = None, None
    return Score(overall, grade, band, coverage, provisional, section_scores, capped_by, cap)
