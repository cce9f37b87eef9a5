"""One report as flat rows for the spreadsheets: its summary row in words (from summary.py's
row per group), its result rows, its checklist rows.

`-f xlsx` and `-f csv` write these as each report arrives (reporters/stream.py), so a batch is
never held whole to make them. Every value is plain (text, number, or None); labels are in the
report's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from playbook.core.i18n import Text
from playbook.core.names import (
    EFFORT_NAMES,
    GROUP_TYPE_NAMES,
    SEVERITY_NAMES,
    STAGE_NAMES,
    STATUS_NAMES,
    name_in,
)
from playbook.present.reporters import Report
from playbook.present.summary import TOP_FIXES, SummaryRow

# (key, Chinese header, English header) of each sheet, in column order.
SUMMARY_COLUMNS = (
    ("group", "群名", "group"),
    ("platform", "平台", "platform"),
    ("type", "群类型", "type"),
    ("stage", "阶段", "stage"),
    ("score", "总分", "score"),
    ("grade", "等级", "grade"),
    ("coverage", "数据覆盖率", "coverage"),
    ("provisional", "数据不足", "provisional"),
    ("causes", "诊断出的原因", "causes found"),
    ("fix_1", "首要改进 1", "top fix 1"),
    ("fix_2", "首要改进 2", "top fix 2"),
    ("fix_3", "首要改进 3", "top fix 3"),
    ("path", "文件", "file"),
)
RESULT_COLUMNS = (
    ("group", "群名", "group"),
    ("rule", "规则", "rule"),
    ("section", "板块", "section"),
    ("title", "标题", "title"),
    ("status", "结果", "status"),
    ("score", "得分", "score"),
    ("severity", "严重度", "severity"),
    ("effort", "工作量", "effort"),
    ("message", "说明", "message"),
)
CHECKLIST_COLUMNS = (
    ("group", "群名", "group"),
    ("order", "顺序", "order"),
    ("when", "什么时候做", "when"),
    ("title", "要做的事", "to do"),
    ("gain", "预计加分", "gain"),
    ("effort", "工作量", "effort"),
    ("severity", "严重度", "severity"),
    ("rule", "规则", "rule"),
    ("fix", "怎么做", "how"),
)
WHEN_NAMES = {
    "now": Text("现在就做", "now"),
    "broken": Text("规则出错", "broken rule"),
    "next": Text("接下来", "next"),
    "data": Text("补充数据", "provide data"),
    "next_stage": Text("下一阶段", "next stage"),
    "waiver": Text("豁免到期", "waiver"),
}


def headers(columns: tuple[tuple[str, str, str], ...], lang: str) -> list[str]:
    return [zh if lang == "zh" else en for _key, zh, en in columns]


def group_name(report: Report) -> str:
    snapshot = report["snapshot"]
    return str(snapshot.get("group_name") or snapshot.get("path") or "")


def spreadsheet_row(row: SummaryRow, lang: str) -> dict[str, Any]:
    """A group's summary row (summary.py) in words: who, where it stands, why, what to do first."""
    fixes = [*row.top_fixes, *[None] * (TOP_FIXES - len(row.top_fixes))]
    return {
        "group": str(row.name or ""),
        "platform": row.platform,
        "type": None if row.group_type is None else name_in(GROUP_TYPE_NAMES, row.group_type, lang),
        "stage": name_in(STAGE_NAMES, row.stage, lang),
        "score": row.overall,
        "grade": row.grade,
        "coverage": row.coverage,
        "provisional": Text("是", "yes").render(lang) if row.provisional else None,
        "causes": ("、" if lang == "zh" else ", ").join(row.causes) or None,
        "fix_1": fixes[0],
        "fix_2": fixes[1],
        "fix_3": fixes[2],
        "path": row.path,
    }


def result_rows(report: Report, lang: str) -> Iterator[dict[str, Any]]:
    name = group_name(report)
    titles = {section["id"]: section["title"] for section in report["sections"]}
    for result in report["results"]:
        yield {
            "group": name,
            "rule": result["rule"],
            "section": titles.get(result["section"], result["section"]),
            "title": result["title"],
            "status": name_in(STATUS_NAMES, result["status"], lang),
            "score": result["score"],
            "severity": name_in(SEVERITY_NAMES, result["severity"], lang),
            "effort": name_in(EFFORT_NAMES, result["effort"], lang),
            "message": result["message"],
        }


def checklist_rows(report: Report, lang: str) -> Iterator[dict[str, Any]]:
    name = group_name(report)
    for order, item in enumerate(report["checklist"], 1):
        yield {
            "group": name,
            "order": order,
            "when": name_in(WHEN_NAMES, item["group"], lang),
            "title": item["title"],
            "gain": item.get("gain"),
            "effort": name_in(EFFORT_NAMES, item.get("effort") or "", lang),
            "severity": name_in(SEVERITY_NAMES, item.get("severity") or "", lang),
            "rule": item["rule"],
            "fix": item.get("fix"),
        }


def as_text(value: Any) -> Any:
    """A cell that starts like a formula (= + - @, or a tab or return before one) is kept as text:
    a group name such as `=HYPERLINK(…)` must never run in the boss's spreadsheet."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
