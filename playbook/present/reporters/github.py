"""GitHub Actions workflow commands: annotations on the group files in a pull request.

fail → `::error`, partial → `::warning`, unknown (missing data) → `::notice`, error (the
rule broke) → `::warning`. Passing, not-applicable and waived rules make no annotation.
Values are escaped as the runner expects: `%`, CR and LF everywhere, and `:` and `,` in
properties.

GitHub shows at most 10 annotations of each type per step and drops the rest, so the worst
10 of each are printed (by severity, fail before partial) and one last notice says how many
were left out. With `$GITHUB_STEP_SUMMARY` set, the audit also appends a Markdown job summary
(see `render_job_summary`), where every group and the worst findings are listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from playbook.core.i18n import Text
from playbook.core.report_types import Result
from playbook.io.escape import github_data, github_property, markdown_inline
from playbook.present.reporters import RenderContext, Report
from playbook.present.reporters.sarif import relative_path

COMMAND = {"fail": "error", "partial": "warning", "unknown": "notice", "error": "warning"}
SHOWN_PER_TYPE = 10  # what GitHub shows of each annotation type per step
TYPES = ("error", "warning", "notice")
SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
STATUS_RANK = {"fail": 0, "partial": 1, "error": 2, "unknown": 3}
SUMMARY_FINDINGS = 30  # rows of findings in the job summary
SUMMARY_GROUPS = 500  # rows of groups: the summary must stay far below GitHub's 1 MiB a step


escape_data, escape_property = github_data, github_property  # the names other modules import


def annotation(command: str, properties: dict[str, str], text: str) -> str:
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{command} {props}::{escape_data(text)}"


def capped(lines: Iterable[tuple[str, str]], lang: str = "en") -> list[str]:
    """At most SHOWN_PER_TYPE annotations of each type, in the order given (worst first), then a
    notice counting the ones left out (it takes the last notice's place, so it is shown)."""
    by_type: dict[str, list[str]] = {kind: [] for kind in TYPES}
    for kind, line in lines:
        by_type[kind].append(line)
    over = sum(max(0, len(by_type[kind]) - SHOWN_PER_TYPE) for kind in ("error", "warning"))
    notices = by_type["notice"]
    room = SHOWN_PER_TYPE - 1 if over or len(notices) > SHOWN_PER_TYPE else SHOWN_PER_TYPE
    left_out = over + max(0, len(notices) - room)
    by_type["notice"] = notices[:room]
    shown = [line for kind in TYPES for line in by_type[kind][:SHOWN_PER_TYPE]]
    if left_out:
        shown.append(annotation("notice", {"title": "playbook"}, left_out_text(left_out).render(lang)))
    return shown


def left_out_text(count: int) -> Text:
    return Text(
        f"另有 {count} 条标注未显示（GitHub 每个步骤每种类型只显示 {SHOWN_PER_TYPE} 条）；完整结果见任务摘要或 SARIF",
        f"{count} more annotation{'s' if count > 1 else ''} left out (GitHub shows {SHOWN_PER_TYPE} of each type "
        "per step); see the job summary or the SARIF upload for all",
    )


def render(reports: Sequence[Report], context: RenderContext) -> str:
    found = [(report, r) for report in reports for r in report["results"] if r["status"] in COMMAND]
    found.sort(key=lambda pair: worst_first(pair[1]))  # stable: file order within a rank
    lines = [(COMMAND[r["status"]], _annotation(report, r)) for report, r in found]
    return "".join(line + "\n" for line in capped(lines, context.lang))


def worst_first(result: Result) -> tuple[int, int]:
    return STATUS_RANK[result["status"]], SEVERITY_RANK[result["severity"]]


def _annotation(report: Report, result: Result) -> str:
    properties = {"file": relative_path(report["snapshot"].get("path"))}
    location: Mapping[str, Any] = result.get("location") or {}
    if location.get("line"):
        properties["line"] = str(location["line"])
        properties["col"] = str(location["column"] or 1)
    group = report["snapshot"].get("group_name") or report["snapshot"].get("group_id") or ""
    properties["title"] = f"{result['rule']} · {result['title']}" + (f" ({group})" if group else "")
    text = result["message"]
    if result["fix"] and result["status"] in ("fail", "partial"):
        text += "\n" + result["fix"]
    return annotation(COMMAND[result["status"]], properties, text)


# ── job summary ──────────────────────────────────────────────────────────────

L = {
    "title": Text("playbook 审计", "playbook audit"),
    "group": Text("群", "Group"),
    "file": Text("文件", "File"),
    "score": Text("得分", "Score"),
    "grade": Text("等级", "Grade"),
    "fails": Text("未通过(严重/高/中/低)", "Fails (crit/high/med/low)"),
    "worst": Text("最需要处理的问题", "Worst findings"),
    "rule": Text("规则", "Rule"),
    "severity": Text("严重程度", "Severity"),
    "status": Text("状态", "Status"),
    "found": Text("发现", "Found"),
    "more_groups": Text(
        "另有 {n} 个群未列出（见 JSON 报告）", "{n} more groups not listed (see the JSON report)"
    ),
    "more_findings": Text("共 {n} 条，列出最严重的 {k} 条", "{n} findings; the worst {k} are listed"),
    "none": Text("没有未通过的规则", "No rule failed"),
}


def escape_markdown(text: Any) -> str:
    """Text from snapshots and playbooks as literal Markdown: no links, HTML, tables or emphasis
    (the one Markdown escape, playbook/escape.py)."""
    return markdown_inline(str(text))


def render_job_summary(reports: Sequence[Report], lang: str) -> str:
    """A short Markdown summary for `$GITHUB_STEP_SUMMARY`: each group's score, the worst findings."""

    def t(key: str, **fields: Any) -> str:
        return L[key].format(**fields).render(lang) if fields else L[key].render(lang)

    lines = [f"## {t('title')}", "", _row([t(k) for k in ("group", "file", "score", "grade", "fails")])]
    lines.append("|---|---|---|---|---|")
    for report in reports[:SUMMARY_GROUPS]:
        snapshot, score = report["snapshot"], report["score"]
        fails = [r for r in report["results"] if r["status"] == "fail"]
        counts = "/".join(
            str(sum(1 for r in fails if r["severity"] == s)) for s in ("critical", "high", "medium", "low")
        )
        grade = (score["grade"] or "–") + ("\\*" if score.get("provisional") else "")
        overall = "–" if score["overall"] is None else f"{score['overall']:g}"
        name = snapshot.get("group_name") or snapshot.get("group_id") or "–"
        lines.append(
            _row([escape_markdown(name), _code(relative_path(snapshot.get("path"))), overall, grade, counts])
        )
    if len(reports) > SUMMARY_GROUPS:
        lines += ["", f"_{t('more_groups', n=len(reports) - SUMMARY_GROUPS)}_"]
    found = sorted(
        ((report, r) for report in reports for r in report["results"] if r["status"] in COMMAND),
        key=lambda pair: worst_first(pair[1]),
    )
    lines += ["", f"### {t('worst')}", ""]
    if not found:
        return "\n".join([*lines, t("none")]) + "\n"
    shown = found[:SUMMARY_FINDINGS]
    if len(found) > len(shown):
        lines += [t("more_findings", n=len(found), k=len(shown)), ""]
    lines += [_row([t(k) for k in ("rule", "severity", "status", "group", "found")]), "|---|---|---|---|---|"]
    for report, result in shown:
        group = report["snapshot"].get("group_name") or report["snapshot"].get("group_id") or "–"
        lines.append(
            _row(
                [
                    _code(result["rule"]),
                    result["severity"],
                    result["status"],
                    escape_markdown(group),
                    escape_markdown(result["message"]),
                ]
            )
        )
    return "\n".join(lines) + "\n"


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _code(text: str) -> str:
    """A path or an id in code style; backticks and pipes inside cannot end it."""
    return "`" + str(text).replace("`", "'").replace("|", "/").replace("\n", " ") + "`"
