"""The next-step checklist: what to fix first, and exactly how many points each step earns.

Items are ordered as an experienced operator would work: failing critical rules first (declared,
or escalated by the harm measured), by gain × ease; then the fixes of the causes the diagnosis
names (the root causes; each item says which cause it treats), the gravest first; then the rest
by gain × ease. "Do now" holds every critical fail, then every root-cause fix or at least
NOW_COUNT more items. A rule that broke (`error`) is never offered as a fix: fixing the group earns
nothing there, the playbook must be mended, so it stands in a group of its own ("broken"). The gain shown for each item is what it adds once the items above it are done,
so the gains add up exactly to the score after all of them (with no fails left: 100 minus the
current score, less what passing-but-imperfect rules keep back).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from playbook.core.diagnosis import Finding, causes_treated
from playbook.core.model import EFFORT_EASE, SEVERITY_ORDER, Result, Section, Waiver
from playbook.core.report_types import ChecklistGroup
from playbook.core.scoring import WhatIf, round_half_up

NOW_COUNT = 3  # items in "do now" besides the must-fix ones


@dataclass(slots=True)  # built per item per snapshot: not frozen, for speed (see model.Result)
class ChecklistItem:
    """One next step: the result it comes from, its group (now, next, data…) and what it is worth."""

    result: Result
    group: ChecklistGroup
    gain: float | None = None
    priority: float | None = None
    waiver: Waiver | None = None
    treats: tuple[str, ...] = ()  # ids of the diagnosed causes this fix treats


def _must_fix(result: Result) -> bool:
    return result.status == "fail" and result.severity == "critical"


def _root_cause(result: Result, treats: Mapping[str, tuple[str, ...]]) -> bool:
    """A fix of a diagnosed cause that matters on its own; a low-severity sign of the cause (an
    announcement edited too often) still names the cause but waits its turn by gain × ease."""
    return result.rule.id in treats and result.severity not in ("low", "info")


def _sort_key(result: Result, priority: float, treats: Mapping[str, tuple[str, ...]]) -> tuple:
    # Critical fails first (declared, or escalated by the harm measured), by gain × ease; then the
    # fixes of diagnosed causes, the gravest first; then the rest by gain × ease.
    tier = 0 if _must_fix(result) else 1 if _root_cause(result, treats) else 2
    return (
        tier,
        SEVERITY_ORDER.index(result.severity) if tier == 1 else 0,
        -priority,
        SEVERITY_ORDER.index(result.severity),
        result.status != "fail",
        result.rule.id,
    )


def build_checklist(
    results: Sequence[Result],
    sections: Mapping[str, Section],
    upcoming: Sequence[Result] = (),
    expired_waivers: Sequence[Waiver] = (),
    findings: Sequence[Finding] = (),
    what_if: WhatIf | None = None,
) -> list[ChecklistItem]:
    """`what_if`: the results' WhatIf when the caller has built it already (for the score)."""
    what_if = what_if or WhatIf(results, sections)
    base = what_if.overall_if_fixed(frozenset()) or 0.0
    treats = causes_treated(findings)
    fixable = [r for r in results if r.status in ("fail", "partial")]
    priority = {r.rule.id: _independent_gain(r, what_if, base) * EFFORT_EASE[r.rule.effort] for r in fixable}
    ordered = sorted(fixable, key=lambda r: _sort_key(r, priority[r.rule.id], treats))
    items = _with_gains(ordered, what_if, base, priority, treats)
    items += [ChecklistItem(r, "broken") for r in results if r.status == "error"]
    items += [ChecklistItem(r, "data") for r in _by_weight(r for r in results if r.status == "unknown")]
    items += [ChecklistItem(r, "next_stage") for r in _by_weight(upcoming)]
    for waiver in expired_waivers:
        waived_rule = _result_for(waiver, results)
        if waived_rule is not None:
            items.append(ChecklistItem(waived_rule, "waiver", waiver=waiver))
    return items


def _independent_gain(result: Result, what_if: WhatIf, base: float) -> float:
    return (what_if.overall_if_one_fixed(result.rule.id) or 0.0) - base


def _with_gains(
    ordered: Sequence[Result],
    what_if: WhatIf,
    base: float,
    priority: Mapping[str, float],
    treats: Mapping[str, tuple[str, ...]],
) -> list[ChecklistItem]:
    """Telescoping gains: each item's gain is the score it adds after the ones above it."""
    fixable = [r.rule.id for r in ordered]
    after = dict(zip(fixable, what_if.overall_fixing_in_turn(fixable), strict=True))
    items, previous = [], base
    must = sum(1 for r in ordered if _must_fix(r))
    roots = sum(1 for r in ordered if _root_cause(r, treats) and not _must_fix(r))
    for index, result in enumerate(ordered):
        score = after[result.rule.id] or 0.0
        gain, previous = round_half_up(score - previous), score
        group: ChecklistGroup = "now" if index < must + max(roots, NOW_COUNT) else "next"
        rid = result.rule.id
        items.append(
            ChecklistItem(result, group, gain, round_half_up(priority[rid]), treats=treats.get(rid, ()))
        )
    return items


def _by_weight(results: Iterable[Result]) -> list[Result]:
    return sorted(results, key=lambda r: (-r.weight, SEVERITY_ORDER.index(r.severity), r.rule.id))


def _result_for(waiver: Waiver, results: Sequence[Result]) -> Result | None:
    return next((r for r in results if r.rule.id == waiver.rule), None)
