"""Which of the playbook's causes (S3's seven causes of early death) an audit shows.

A cause is present when one of the rules that evidence it fails at a severity above low; a
partial result, or a failure at low severity, is a sign, listed after the failures but not enough
to name the cause (one weekly format in a lively group is advice, not 陈旧; the same rule
escalated by a falling activity is). The checklist puts the
fixes of present causes first, so the mapping of causes to rules decides what an operator
does first (rulesets/default.yaml, `diagnosis:`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from playbook.core.model import Cause, Result


@dataclass(frozen=True, eq=False)
class Finding:
    """A cause of decline, whether the results show it, and the rules that show it."""

    cause: Cause
    present: bool
    evidence: tuple[Result, ...]  # the cause's failing rules, then its partial ones


def diagnose(causes: Sequence[Cause], results: Sequence[Result]) -> tuple[Finding, ...]:
    by_id = {r.rule.id: r for r in results}
    findings = []
    for cause in causes:
        hits = [
            by_id[rid] for rid in cause.rules if rid in by_id and by_id[rid].status in ("fail", "partial")
        ]
        hits.sort(key=lambda r: not _names_the_cause(r))
        findings.append(Finding(cause, any(_names_the_cause(r) for r in hits), tuple(hits)))
    return tuple(findings)


def _names_the_cause(result: Result) -> bool:
    return result.status == "fail" and result.severity not in ("low", "info")


def causes_treated(findings: Sequence[Finding]) -> dict[str, tuple[str, ...]]:
    """Rule id → the ids of the present causes whose failing evidence it is: fixing it treats them."""
    treated: dict[str, tuple[str, ...]] = {}
    for finding in findings:
        if finding.present:
            for result in finding.evidence:
                if _names_the_cause(result):
                    treated[result.rule.id] = (*treated.get(result.rule.id, ()), finding.cause.id)
    return treated
