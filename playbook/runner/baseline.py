"""`audit --baseline OLD.json`: attach to each new report what changed since an earlier report.

The comparison itself is `playbook.core.compare` (shared with `diff` and `trend`, so "fixed" and
"regressed" mean one thing everywhere); this module reads the old file, pairs old and new
reports (by group id, else by snapshot path) and writes the report's `baseline` block.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from playbook.core.compare import compare_reports
from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text
from playbook.core.report_types import Baseline, ChangeCounts, MatchedBy, Report, RuleChange
from playbook.io.documents import read_document
from playbook.io.report_list import ReportList
from playbook.io.validation import refuse_huge_numbers, schema_problems


def load_baseline(path: str) -> list[Report]:
    """The reports in a file written by `audit -f json` (one report, or `{"reports": [...]}`)."""
    document = read_document(path)
    data = document.data
    batch = isinstance(data, dict) and "reports" in data
    reports = data.get("reports") if batch else [data]
    if not isinstance(reports, list) or not all(_looks_like_report(r) for r in reports):
        raise PlaybookError.at(
            path,
            Text("这不是 playbook 的 JSON 报告", "this is not a playbook JSON report"),
            Text(
                "基线文件用 `playbook audit ... -f json -o 文件` 生成",
                "write a baseline with `playbook audit ... -f json -o FILE`",
            ),
        )
    # A hand-edited baseline is read as untrusted as any input: every report checked whole.
    refuse_huge_numbers(document)
    pointers: list[list[str | int]] = [["reports", i] for i in range(len(reports))] if batch else [[]]
    problems = [p for pointer in pointers for p in schema_problems(document, "report", pointer)]
    if problems:
        raise PlaybookError(problems)
    return reports


def _looks_like_report(report: Any) -> bool:
    keys = ("report", "playbook", "snapshot", "score", "sections", "results")
    return isinstance(report, dict) and all(key in report for key in keys)


def attach_baseline(reports: ReportList, old_reports: Sequence[Report], path: str) -> ReportList:
    """The reports, each with a `baseline` block added."""
    return reports.map(baseline_attacher(old_reports, path))


def baseline_attacher(old_reports: Sequence[Report], path: str) -> Callable[[Report], Report]:
    """A function that adds its `baseline` block to one report (for reports as they arrive)."""
    by_group = {r["snapshot"].get("group_id"): r for r in old_reports if r["snapshot"].get("group_id")}
    by_path = {r["snapshot"].get("path"): r for r in old_reports if r["snapshot"].get("path")}

    def attach(report: Report) -> Report:
        snapshot = report["snapshot"]
        matched_by: MatchedBy = "group_id"
        old = by_group.get(snapshot.get("group_id"))
        if old is None or snapshot.get("group_id") is None:
            old, matched_by = by_path.get(snapshot.get("path")), "path"
        report["baseline"] = baseline_block(old, report, path, matched_by if old is not None else None)
        return report

    return attach


def baseline_block(old: Report | None, new: Report, path: str, matched_by: MatchedBy | None) -> Baseline:
    """The report's `baseline` block (schemas/report.schema.json); `old` None: no earlier report."""
    if old is None:
        return {
            "path": path,
            "matched_by": None,
            "playbook_changed": False,
            "scoring_changed": False,
            "overall": {"old": None, "new": new["score"]["overall"], "delta": None},
            "sections": [],
            "rules": [],
            "counts": _change_counts([], unchanged=0),
        }
    diff = compare_reports(old, new)
    rules: list[RuleChange] = [
        {"rule": r["rule"], "change": r["change"], "old": r["old"], "new": r["new"]} for r in diff["rules"]
    ]
    both = {r["rule"] for r in old["results"]} & {r["rule"] for r in new["results"]}
    counts = _change_counts(
        rules, unchanged=len(both) - sum(1 for r in rules if r["change"] not in ("new", "removed"))
    )
    return {
        "path": path,
        "matched_by": matched_by,
        "playbook_changed": diff["playbook_changed"],
        "scoring_changed": diff["scoring_changed"],
        "old_report_version": diff["report_versions"]["old"],
        "overall": diff["overall"],
        "sections": [
            {"id": s["id"], "old": s["old"], "new": s["new"], "delta": s["delta"]} for s in diff["sections"]
        ],
        "rules": rules,
        "counts": counts,
    }


def _change_counts(rules: Sequence[RuleChange], unchanged: int) -> ChangeCounts:
    """How many rules changed each way (every kind, in CHANGES order), then how many did not."""
    kinds = Counter(r["change"] for r in rules)
    return {
        "regressed": kinds["regressed"],
        "fixed": kinds["fixed"],
        "improved": kinds["improved"],
        "changed": kinds["changed"],
        "new": kinds["new"],
        "removed": kinds["removed"],
        "unchanged": unchanged,
    }
