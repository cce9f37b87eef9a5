"""`playbook trend`: read one group's reports (or audit its snapshots) and put them in time order.

The table and the change lines are drawn by `playbook.present.trend`.

Inputs are snapshots (audited here) or JSON reports, told apart by content. They must be the
same group (group id, else group name); they are ordered by `captured_at`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from playbook.core.compare import Trend, TrendPoint, TrendStep, compare_reports, scoring_note
from playbook.core.errors import Location, PlaybookError
from playbook.core.i18n import Text
from playbook.core.report import Options
from playbook.core.report_types import Report
from playbook.core.timeutil import parse_time
from playbook.io.documents import Document, read_document
from playbook.io.validation import validate_document


def read_reports(paths: Sequence[str], refs: Sequence[str], options: Options) -> list[Report]:
    """Each file as a report: JSON reports as they are, snapshots audited with `refs`."""
    from playbook.core.report import build_report
    from playbook.io.facts import platform_fact_table
    from playbook.io.limits import path_limits
    from playbook.io.snapshots import check_snapshot
    from playbook.runner.audit import playbook_for

    reports = []
    for path in paths:
        document = read_document(path)
        data = document.data
        if isinstance(data, dict) and "report" in data:
            reports.append(_checked_report(document))
            continue
        check_snapshot(document)
        playbook = playbook_for(str(data.get("platform")), refs)
        reports.append(build_report(playbook, document, options, platform_fact_table(), path_limits()))
    return reports


def _checked_report(document: Document) -> Report:
    """A report read back from a file, checked against its schema like any input."""
    data, path = document.data, document.name
    needed = ("playbook", "snapshot", "stage", "score", "sections", "results")
    missing = [key for key in needed if key not in data]
    if missing:
        raise PlaybookError.at(
            Location(path, path="$"),
            Text("报告缺少 {k}", "the report lacks {k}").format(k=", ".join(missing)),
            Text(
                "用 `playbook audit ... -f json -o 文件` 生成报告",
                "write reports with `playbook audit ... -f json -o FILE`",
            ),
        )
    validate_document(document, "report")
    return data


def group_key(report: Report, by_id: bool) -> str:
    snap = report["snapshot"]
    return str(snap.get("group_id") if by_id else snap.get("group_name"))


def check_same_group(reports: Sequence[Report], paths: Sequence[str]) -> None:
    """Trends and diffs only make sense for one group; compare ids when all have one, else names."""
    by_id = all(r["snapshot"].get("group_id") for r in reports)
    first = group_key(reports[0], by_id)
    for report, path in zip(reports[1:], paths[1:], strict=True):
        key = group_key(report, by_id)
        if key != first:
            what = Text("群ID", "group id") if by_id else Text("群名称", "group name")
            raise PlaybookError.at(
                path,
                _different(what, first, key, paths[0]),
                Text(
                    "趋势和对比只用于同一个群在不同日期的快照或报告",
                    "trend and diff compare one group at several dates",
                ),
            )


def _different(what: Text, first: str, other: str, first_path: str) -> Text:
    return Text(
        f"不是同一个群：{what.zh}为 '{other}'，而 {first_path} 的{what.zh}是 '{first}'",
        f"not the same group: {what.en} '{other}', but '{first}' in {first_path}",
    )


def _moment(report: Report) -> float:
    """Seconds since the epoch of `captured_at`; reports without one sort first."""
    parsed = parse_time(str(report["snapshot"].get("captured_at") or ""))
    return float("-inf") if parsed is None else parsed.timestamp()


def order_by_time(reports: Sequence[Report]) -> list[Report]:
    return sorted(reports, key=_moment)


def date_label(report: Report, all_reports: Sequence[Report]) -> str:
    """The date alone, or date and time when two inputs share a day."""
    captured = str(report["snapshot"].get("captured_at") or "–")
    days = [str(r["snapshot"].get("captured_at") or "")[:10] for r in all_reports]
    return captured[:10] if days.count(captured[:10]) == 1 else captured[:16].replace("T", " ")


def build_trend(reports: Sequence[Report]) -> Trend:
    """Points in time order and the rule changes between each pair of neighbours."""
    ordered = order_by_time(reports)
    sections = {s["id"]: s["title"] for r in ordered for s in r["sections"]}
    points: list[TrendPoint] = [
        {
            "date": date_label(r, ordered),
            "overall": r["score"]["overall"],
            "grade": r["score"]["grade"],
            "coverage": r["score"]["coverage"],
            "provisional": bool(r["score"]["provisional"]),  # too little data: marked `*`
            "sections": {s["id"]: s["score"] for s in r["sections"]},
        }
        for r in ordered
    ]
    steps: list[TrendStep] = []
    for i, (old, new) in enumerate(itertools.pairwise(ordered)):
        steps.append(
            {
                "from": points[i]["date"],
                "to": points[i + 1]["date"],
                "rules": compare_reports(old, new)["rules"],
            }
        )
    name = ordered[-1]["snapshot"].get("group_name") or ordered[-1]["snapshot"].get("path")
    versions = sorted({r.get("report") for r in ordered}, key=str)
    note = scoring_note(versions[0], versions[-1])
    return {
        "group": name,
        "sections": sections,
        "points": points,
        "steps": steps,
        "scoring_note": None if note is None else {"zh": note.zh, "en": note.en},
    }
