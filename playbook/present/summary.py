"""One small row per group: what every batch summary (table, Markdown, HTML, and spreadsheets)
shows of a report, so a batch keeps these rows and not the reports.

A report is ~30-46 KB of JSON; its row is a few hundred bytes. The summary formats are built
from rows alone, so they can be written after the reports have left the parent.

A new summary format (a spreadsheet, CSV) plugs in as a reporter module with a `Writer`
(reporters/stream.py) whose `add(item)` keeps `summary_row(item.report)` (or writes it at once,
as CSV can) and whose `close()` writes the file; a column every summary needs is a field here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playbook.core.report_types import Band, Grade, Platform, Report, Severity, StageId

SEVERITY_ORDER: tuple[Severity, ...] = ("critical", "high", "medium", "low")
TOP_FIXES = 3


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One group's line in a batch summary (the report's values, not yet formatted)."""

    group_name: str | None
    path: str | None
    group_id: str | None
    platform: Platform | None
    stage: StageId
    overall: float | None
    band: Band | None
    grade: Grade | None
    provisional: bool
    coverage: float | None
    fails_by_severity: tuple[int, int, int, int]  # critical, high, medium, low
    fails: int  # every failed rule, whatever its severity
    has_baseline: bool
    baseline_delta: float | None
    group_type: str | None = None  # group.type, for the spreadsheet summaries
    causes: tuple[str, ...] = ()  # the diagnosed causes' titles
    top_fixes: tuple[str, ...] = ()  # the first checklist items to do (now, then next), at most TOP_FIXES

    @property
    def name(self) -> Any:
        """What names the group in a summary: its name, else its file."""
        return self.group_name or self.path


def summary_row(report: Report) -> SummaryRow:
    snapshot, score = report["snapshot"], report["score"]
    counts = dict.fromkeys(SEVERITY_ORDER, 0)
    for result in report["results"]:
        if result["status"] == "fail" and result["severity"] in counts:
            counts[result["severity"]] += 1
    baseline = report.get("baseline")
    return SummaryRow(
        group_name=snapshot.get("group_name"),
        path=snapshot.get("path"),
        group_id=snapshot.get("group_id"),
        platform=snapshot.get("platform"),
        stage=report["stage"]["id"],
        overall=score["overall"],
        band=score["band"],
        grade=score["grade"],
        provisional=bool(score["provisional"]),
        coverage=score["coverage"],
        fails_by_severity=(counts["critical"], counts["high"], counts["medium"], counts["low"]),
        fails=report["summary"]["fail"],
        has_baseline="baseline" in report,
        baseline_delta=None if baseline is None else baseline["overall"]["delta"],
        group_type=snapshot.get("group_type"),
        causes=tuple(cause["title"] for cause in report.get("diagnosis", []) if cause.get("present")),
        top_fixes=tuple(
            item["title"] for item in report.get("checklist", []) if item["group"] in ("now", "next")
        )[:TOP_FIXES],
    )
