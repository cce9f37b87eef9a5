"""Markdown: the report and its checklist as `- [ ]` items, to paste into a team note or a PR.

Also fits `$GITHUB_STEP_SUMMARY`. Several snapshots give a summary table first, then one
section per group. Labels follow `--lang`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from playbook.core.compare import scoring_note
from playbook.core.names import CHANGE_NAMES, SEVERITY_NAMES, STAGE_NAMES, STATUS_NAMES, name_in, transition
from playbook.core.report_types import CHECKLIST_GROUPS, ChecklistItem
from playbook.io.escape import markdown_code, markdown_fence, markdown_inline
from playbook.present.labels import MARKDOWN as L
from playbook.present.reporters import RenderContext, Report, score_text
from playbook.present.reporters.judgement import (
    capped_text,
    escalated_text,
    group_type_text,
    results_by_rule,
    treats_text,
)
from playbook.present.reporters.stream import Item, OneOrMany, Spool, Write
from playbook.present.summary import SummaryRow, summary_row

SHOWN = ("fail", "partial", "error", "unknown")


def render(reports: Sequence[Report], context: RenderContext) -> str:
    blocks = [f"# {_t('title', context)}"]
    if len(reports) > 1:
        blocks.append(_summary(reports, context))
    blocks += [_report(report, context) for report in reports]
    return "\n\n".join(block for block in blocks if block) + "\n"


def _t(key: str, context: RenderContext) -> str:
    return L[key].render(context.lang)


class _Markdown(str):
    """A cell already written as Markdown (its texts escaped where it was built)."""


def _cell(value: Any) -> str:
    """Table cells: text from the files shown as written: no line break, pipe, HTML or link."""
    if isinstance(value, _Markdown):
        return value
    return markdown_inline(str("–" if value is None else value))


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _summary(reports: Sequence[Report], context: RenderContext) -> str:
    return summary_text([summary_row(report) for report in reports], context)


def summary_text(rows: Sequence[SummaryRow], context: RenderContext) -> str:
    """The batch summary table from one row per group (summary.py)."""
    cells = [
        [
            row.name,
            row.path,
            row.platform,
            name_in(STAGE_NAMES, row.stage, context.lang),
            score_text(row.overall),
            # our own text: a lone `*` starts no emphasis, and "C*" reads as the note under the table says
            _Markdown((row.grade or "–") + ("*" if row.provisional else "")),
            "/".join(map(str, row.fails_by_severity)),
        ]
        for row in rows
    ]
    keys = ("group", "file", "platform", "stage", "score", "grade", "fails")
    table = _table([_t(k, context) for k in keys], cells)
    if any(row.provisional for row in rows):  # what the grade's `*` means
        table += "\n\n" + _t("provisional_mark", context)
    return table


class Writer(OneOrMany):
    """`render`'s bytes: one summary row kept per group, each group's section spooled on disk
    until the summary table above them is written."""

    def __init__(self, write: Write, context: RenderContext):
        super().__init__(write, context)
        self.rows: list[SummaryRow] = []
        self.sections = Spool()

    def one(self, item: Item) -> None:
        self.write(render([item.report], self.context))

    def each(self, item: Item, number: int) -> None:
        self.rows.append(summary_row(item.report))
        self.sections.write("\n\n" + _report(item.report, self.context))

    def end(self) -> None:
        self.write(f"# {_t('title', self.context)}\n\n" + summary_text(self.rows, self.context))
        self.sections.copy_to(self.write)
        self.write("\n")


def _report(report: Report, context: RenderContext) -> str:
    snap, score = report["snapshot"], report["score"]
    name = snap.get("group_name") or snap.get("path") or "?"
    coverage = "–" if score["coverage"] is None else f"{score['coverage']:.0%}"
    stage = name_in(STAGE_NAMES, report["stage"]["id"], context.lang)
    head = (
        f"## {markdown_inline(name)}\n\n"
        f"**{_t('score', context)} {score_text(score['overall'])}** · {_t('grade', context)} {score['grade'] or '–'}"
        f" · {_t('coverage', context)} {coverage} · {_t('stage', context)} {stage}"
        f" · {_t('platform', context)} {markdown_inline(str(snap.get('platform')))}"
    )
    if score["provisional"]:
        head += f" · _{_t('provisional', context)}_"
    type_label, type_name = group_type_text(report, context.lang)
    head += f"\n\n{type_label}: {type_name}"
    capped = capped_text(report, context.lang)
    if capped:
        head += f"\n\n**{capped}**"
    if snap.get("path"):
        path, title = markdown_code(str(snap["path"])), markdown_inline(report["playbook"]["title"])
        head += f"\n\n{_t('file', context)}: {path} · {title}"
    parts = [
        head,
        _baseline(report, context),
        _sections(report, context),
        _findings(report, context),
        _checklist(report, context),
    ]
    return "\n\n".join(p for p in parts if p)


def _sections(report: Report, context: RenderContext) -> str:
    rows = []
    for section in report["sections"]:
        counts = section["counts"]
        tally = f"{counts['pass']}/{counts['partial']}/{counts['fail']}/{counts['unknown']}"
        coverage = "–" if section["coverage"] is None else f"{section['coverage']:.0%}"
        rows.append([section["title"], score_text(section["score"]), coverage, tally])
    return _table([_t(k, context) for k in ("section", "score", "coverage", "counts")], rows)


def _findings(report: Report, context: RenderContext) -> str:
    rows = []
    for result in report["results"]:
        if result["status"] not in SHOWN:
            continue
        location: Mapping[str, Any] = result.get("location") or {}
        where = f" ({_t('line', context)} {location['line']})" if location.get("line") else ""
        rows.append(
            [
                _Markdown(
                    f"{markdown_code(result['rule'], in_table=True)} {markdown_inline(result['title'])}"
                ),
                name_in(SEVERITY_NAMES, result["severity"], context.lang),
                name_in(STATUS_NAMES, result["status"], context.lang),
                _Markdown(markdown_inline(result["message"]) + where),
            ]
        )
    if not rows:
        return ""
    headers = [_t(k, context) for k in ("rule", "severity", "status", "found")]
    return f"### {_t('findings', context)}\n\n" + _table(headers, rows)


def _checklist(report: Report, context: RenderContext) -> str:
    blocks = []
    for group in CHECKLIST_GROUPS:
        items = [item for item in report["checklist"] if item["group"] == group]
        if items:
            lines = [f"**{_t(group, context)}**", ""] + [_item(item, report, context) for item in items]
            blocks.append("\n".join(lines))
    if not blocks:
        return ""
    return f"### {_t('checklist', context)}\n\n" + "\n\n".join(blocks)


def _item(item: ChecklistItem, report: Report, context: RenderContext) -> str:
    gain = "" if item["gain"] is None else f" (+{score_text(item['gain'])} {_t('pts', context)})"
    fix, *rest = item["fix"].splitlines() if item["fix"] else [""]
    if item["group"] == "waiver":
        waiver = next(
            (w for w in report.get("waivers", []) if w["rule"] == item["rule"] and w["expired"]), None
        )
        if waiver:
            expired = L["expired"].format(d=waiver["expires"], o=waiver["owner"]).render(context.lang)
            fix = f"{expired}: {fix}"
    box = "✖" if item["group"] == "broken" else "[ ]"  # a broken rule is no task for the group
    line = f"- {box} **{markdown_inline(item['title'])}**{gain} {markdown_code(item['rule'])}"
    line = f"{line} — {markdown_inline(fix)}" if fix else line
    notes = [
        treats_text(item, report, context.lang),
        escalated_text(results_by_rule(report).get(item["rule"]), context.lang),
    ]
    line += "".join(f" _({markdown_inline(note)})_" for note in notes if note)
    if item["group"] != "now" or not rest:
        return line
    # A step to do now keeps the template or steps its first line introduces, as a copyable block.
    return f"{line}\n\n" + markdown_fence(textwrap.dedent("\n".join(rest)), "text", indent="  ")


def _baseline(report: Report, context: RenderContext) -> str:
    baseline = report.get("baseline")
    if not baseline:
        return ""
    if baseline["matched_by"] is None:
        return f"_{_t('baseline', context)}: {_t('no_baseline', context)}_"
    overall = baseline["overall"]
    delta = "±0" if not overall["delta"] else f"{overall['delta']:+g}"
    lines = [
        f"**{_t('baseline', context)}**: {score_text(overall['old'])} → {score_text(overall['new'])} ({delta})",
        "",
    ]
    lines += [
        f"- {name_in(CHANGE_NAMES, c['change'], context.lang)}: {markdown_code(c['rule'])} "
        f"({transition(STATUS_NAMES, c['old'], c['new'], context.lang)})"
        for c in baseline["rules"]
    ]
    if baseline["playbook_changed"]:
        lines.append(f"\n> {_t('playbook_changed', context)}")
    note = (
        scoring_note(baseline.get("old_report_version"), report["report"])
        if baseline.get("scoring_changed")
        else None
    )
    if note is not None:
        lines.append(f"\n> {note.render(context.lang)}")
    return "\n".join(lines).rstrip()
