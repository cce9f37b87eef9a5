"""CI gates: decide from finished reports whether a run fails (exit 1), and say exactly why.

Three sources of gates, all read from the canonical report so every format agrees:
`--fail-under` / `--fail-on` on the command line, the playbook's `assert:` block, and
`--fail-on-regression` (which needs the report's `baseline` block). Each failure names the
gate, its threshold and the actual value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from playbook.core.errors import Location, PlaybookError
from playbook.core.i18n import Text, did_you_mean
from playbook.core.model import SEVERITY_ORDER
from playbook.core.report_types import Report, Status

MUST_PASS_OK: tuple[Status, ...] = ("pass", "waived", "not_applicable")  # waived: an owned, dated exception


@dataclass(frozen=True)
class GateFailure:
    """One failed gate for one snapshot: `<file>: gate <gate> <threshold> failed: <actual>`."""

    snapshot: str
    gate: str  # `--fail-under`, `assert.max_failed.high`, …
    threshold: str  # `90`, `≤ 0`, a rule id; "" when the gate has none
    actual: Text

    def render(self, lang: str) -> str:
        gate = f"{self.gate} {self.threshold}".strip()
        line = Text("{s}: 未达标 {g}: {a}", "{s}: gate {g} failed: {a}")
        return line.format(s=self.snapshot, g=gate, a=self.actual.render(lang)).render(lang)


@dataclass(frozen=True)
class Gates:
    """The gates asked for on the command line."""

    fail_under: float | None = None
    fail_on: str | None = None


def _name(report: Report) -> str:
    return str(report["snapshot"].get("path") or report["snapshot"].get("group_id") or "?")


def _shown(score: float | None) -> str:
    return "–" if score is None else f"{score:g}"


def check_gates(
    report: Report, gates: Gates, assertions: Mapping[str, Any], source: str = ""
) -> list[GateFailure]:
    """Every failed gate of one report, command-line gates first, then `assert:` (the baseline's
    gate is `regression_failures`, checked once the baseline is attached)."""
    failures = []
    if gates.fail_under is not None:
        failures += _min_score(report, "--fail-under", gates.fail_under)
    if gates.fail_on is not None:
        failures += _fail_on(report, gates.fail_on)
    failures += check_assertions(report, assertions, source)
    return failures


def _min_score(report: Report, gate: str, minimum: float) -> list[GateFailure]:
    overall = report["score"]["overall"]
    if overall is not None and overall >= minimum:
        return []
    actual = Text(f"总分 {_shown(overall)}", f"overall {_shown(overall)}")
    return [GateFailure(_name(report), gate, f"{minimum:g}", actual)]


def _failed(report: Report, severities: Sequence[str]) -> list[str]:
    return [r["rule"] for r in report["results"] if r["status"] == "fail" and r["severity"] in severities]


def _fail_on(report: Report, severity: str) -> list[GateFailure]:
    if severity == "error":  # --fail-on error: a rule of the playbook broke on this group
        broken = [r["rule"] for r in report["results"] if r["status"] == "error"]
        return [GateFailure(_name(report), "--fail-on", severity, _rules_broke(broken))] if broken else []
    at_or_above = SEVERITY_ORDER[: SEVERITY_ORDER.index(severity) + 1]
    failed = _failed(report, at_or_above)
    if not failed:
        return []
    return [GateFailure(_name(report), "--fail-on", severity, _rules_failed(failed))]


def _rules_failed(failed: Sequence[str]) -> Text:
    rules, n = ", ".join(failed), len(failed)
    return Text(f"{n} 条规则未通过 ({rules})", f"{n} rule{'s' if n != 1 else ''} failed ({rules})")


def _rules_broke(broken: Sequence[str]) -> Text:
    rules, n = ", ".join(broken), len(broken)
    return Text(f"{n} 条规则出错 ({rules})", f"{n} rule{'s' if n != 1 else ''} broke ({rules})")


def check_assertions(report: Report, assertions: Mapping[str, Any], source: str = "") -> list[GateFailure]:
    """The playbook's `assert:` block (format: schemas/playbook.schema.json, docs/ci.md)."""
    failures: list[GateFailure] = []
    if "min_score" in assertions:
        failures += _min_score(report, "assert.min_score", float(assertions["min_score"]))
    for section, minimum in assertions.get("min_section", {}).items():
        failures += _min_section(report, section, float(minimum), source)
    for severity, maximum in assertions.get("max_failed", {}).items():
        failed = _failed(report, [severity])
        if len(failed) > int(maximum):
            gate = f"assert.max_failed.{severity}"
            failures.append(GateFailure(_name(report), gate, f"≤ {maximum}", _rules_failed(failed)))
    for index, rule in enumerate(assertions.get("must_pass", [])):
        failures += _must_pass(report, rule, Location(source, path=f"$.assert.must_pass[{index}]"))
    if "min_coverage" in assertions:
        failures += _min_coverage(report, float(assertions["min_coverage"]))
    return failures


def _min_section(report: Report, section: str, minimum: float, source: str) -> list[GateFailure]:
    by_id = {s["id"]: s for s in report["sections"]}
    if section not in by_id:
        raise _unknown(
            Location(source, path=f"$.assert.min_section.{section}"), "板块", "section", section, list(by_id)
        )
    score = by_id[section]["score"]
    if score is None or score >= minimum:  # nothing counted (all not applicable): nothing to judge
        return []
    actual = Text(f"板块 {section} 得分 {_shown(score)}", f"section {section} {_shown(score)}")
    return [GateFailure(_name(report), f"assert.min_section.{section}", f"{minimum:g}", actual)]


def _must_pass(report: Report, rule: str, where: Location) -> list[GateFailure]:
    by_id = {r["rule"]: r for r in report["results"]}
    if rule not in by_id:
        raise _unknown(where, "规则", "rule", rule, list(by_id))
    status = by_id[rule]["status"]
    if status in MUST_PASS_OK:
        return []
    return [
        GateFailure(_name(report), "assert.must_pass", rule, Text(f"状态为 {status}", f"status {status}"))
    ]


def _min_coverage(report: Report, minimum: float) -> list[GateFailure]:
    coverage = report["score"]["coverage"]
    if coverage is not None and coverage >= minimum:
        return []
    shown = "–" if coverage is None else f"{coverage:.0%}"
    actual = Text(f"数据覆盖率 {shown}", f"coverage {shown}")
    return [GateFailure(_name(report), "assert.min_coverage", f"{minimum:.0%}", actual)]


def regression_failures(report: Report) -> list[GateFailure]:
    """`--fail-on-regression`: rules worse than in the report's `baseline` block."""
    baseline = report.get("baseline")
    if not baseline or baseline.get("playbook_changed"):
        return []  # a changed playbook is not the group's regression (see docs/ci.md)
    regressed = [r["rule"] for r in baseline["rules"] if r["change"] == "regressed"]
    if not regressed:
        return []
    rules = ", ".join(regressed)
    actual = Text(
        f"{len(regressed)} 条规则比基线 {baseline['path']} 变差 ({rules})",
        f"{len(regressed)} rules worse than in {baseline['path']} ({rules})",
    )
    return [GateFailure(_name(report), "--fail-on-regression", "", actual)]


def _unknown(where: Location, zh_kind: str, en_kind: str, name: str, known: list[str]) -> PlaybookError:
    hint = did_you_mean(name, known)
    what = Text(f"assert 里的{zh_kind} '{name}' 不在手册中", f"assert names the unknown {en_kind} '{name}'")
    return PlaybookError.at(where, what, hint)
