"""The next-step checklist: what to fix first, and exactly how many points each step earns.

Items are ordered by must-fix first (failing critical rules), then by gain × ease. A rule that
broke (`error`) is never offered as a fix: fixing the group earns nothing there, the playbook
must be mended, so it stands in a group of its own ("broken"). The gain shown for each item is what it adds once the items above it are done,
so the gains add up exactly to the score after all of them (with no fails left: 100 minus the
current score, less what passing-but-imperfect rules keep back).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from playbook.model import EFFORT_EASE, SEVERITY_ORDER, Result, Section, Waiver
from playbook.scoring import WhatIf, round_half_up

NOW_COUNT = 3  # items in "do now" besides the must-fix ones


@dataclass(slots=True)  # built per item per snapshot: not frozen, for speed (see model.Result)
class ChecklistItem:
    result: Result
    group: str  # now | next | broken | data | next_stage | waiver
    gain: float | None = None
    priority: float | None = None
    waiver: Waiver | None = None


def _must_fix(result: Result) -> bool:
    return result.status == "fail" and result.rule.severity == "critical"


def _sort_key(result: Result, priority: float) -> tuple:
    return (
        not _must_fix(result),
        -priority,
        SEVERITY_ORDER.index(result.rule.severity),
        result.status != "fail",
        result.rule.id,
    )


def build_checklist(
    results: Sequence[Result],
    sections: Mapping[str, Section],
    upcoming: Sequence[Result] = (),
    expired_waivers: Sequence[Waiver] = (),
) -> list[ChecklistItem]:
    what_if = WhatIf(results, sections)
    base = what_if.overall_if_fixed(frozenset()) or 0.0
    fixable = [r for r in results if r.status in ("fail", "partial")]
    priority = {r.rule.id: _independent_gain(r, what_if, base) * EFFORT_EASE[r.rule.effort] for r in fixable}
    ordered = sorted(fixable, key=lambda r: _sort_key(r, priority[r.rule.id]))
    items = _with_gains(ordered, what_if, base, priority)
    items += [ChecklistItem(r, "broken") for r in results if r.status == "error"]
    items += [ChecklistItem(r, "data") for r in _by_weight(r for r in results if r.status == "unknown")]
    items += [ChecklistItem(r, "next_stage") for r in _by_weight(upcoming)]
    for waiver in expired_waivers:
        waived_rule = _result_for(waiver, results)
        if waived_rule is not None:
            items.append(ChecklistItem(waived_rule, "waiver", waiver=waiver))
    return items


def _independent_gain(result: Result, what_if: WhatIf, base: float) -> float:
    return (what_if.overall_if_fixed(frozenset({result.rule.id})) or 0.0) - base


def _with_gains(
    ordered: Sequence[Result], what_if: WhatIf, base: float, priority: Mapping[str, float]
) -> list[ChecklistItem]:
    """Telescoping gains: each item's gain is the score it adds after the ones above it."""
    fixable = [r.rule.id for r in ordered]
    after = dict(zip(fixable, what_if.overall_fixing_in_turn(fixable), strict=True))
    items, previous = [], base
    must = sum(1 for r in ordered if _must_fix(r))
    for index, result in enumerate(ordered):
        score = after[result.rule.id] or 0.0
        gain, previous = round_half_up(score - previous), score
        group = "now" if index < must + NOW_COUNT else "next"
        items.append(ChecklistItem(result, group, gain, round_half_up(priority[result.rule.id])))
    return items


def _by_weight(results: Iterable[Result]) -> list[Result]:
    return sorted(results, key=lambda r: (-r.weight, SEVERITY_ORDER.index(r.rule.severity), r.rule.id))


def _result_for(waiver: Waiver, results: Sequence[Result]) -> Result | None:
    return next((r for r in results if r.rule.id == waiver.rule), None)
