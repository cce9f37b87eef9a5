"""The terminal report: score, stage, section table, diagnosis and the "do now" checklist.

Colour only when asked (a TTY without NO_COLOR); every status also has a text mark, so colour
is never the only signal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import click

from playbook.core.compare import scoring_note
from playbook.core.names import CHANGE_NAMES, EFFORT_NAMES, STAGE_NAMES, STATUS_NAMES, name_in, transition
from playbook.core.report_types import CHECKLIST_GROUPS, ChecklistItem
from playbook.core.scoring import band_of
from playbook.io.escape import ci_log, each_string, for_terminal, terminal
from playbook.io.terminal import fitted_table, wrap_line, wrap_text
from playbook.present.labels import TABLE as L
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

BAND_COLOR = {"good": "green", "needs_work": "yellow", "poor": "red"}
BAND_MARK = {"good": "●", "needs_work": "■", "poor": "▲"}
SHOWN_PER_GROUP = 5


def render(reports: Sequence[Report], context: RenderContext) -> str:
    """The table, with nothing from the files able to act on a terminal or a CI log: no escape
    sequence, bidi override or workflow command (playbook/escape.py)."""
    if not context.color:
        return for_terminal(_render(reports, context))
    # Colour: our escape sequences must pass, so the files' texts are made safe before.
    safe = [each_string(report, terminal) for report in reports]
    return ci_log(_render(safe, context))


def _render(reports: Sequence[Report], context: RenderContext) -> str:
    if len(reports) == 1:
        return render_one(reports[0], context)
    summary = render_summary(reports, context)
    if not context.details:
        return summary
    return "\n".join([summary, *(_rule_line() + "\n" + render_one(r, context) for r in reports)])


def _rule_line() -> str:
    return "─" * 60


def _t(key: str, context: RenderContext) -> str:
    return L[key].render(context.lang)


def _paint(text: str, band: str | None, context: RenderContext, bold: bool = False) -> str:
    if not context.color or band is None:
        return text
    return click.style(text, fg=BAND_COLOR[band], bold=bold)


def render_one(report: Report, context: RenderContext) -> str:
    parts = [
        _header(report, context),
        _baseline(report, context),
        _sections(report, context),
        _diagnosis(report, context),
        _checklist(report, context),
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


def _header(report: Report, context: RenderContext) -> str:
    snap, score, stage = report["snapshot"], report["score"], report["stage"]
    band = score["band"]
    mark = BAND_MARK.get(band or "", "–")
    overall = f"{mark} {_t('overall', context)} {score_text(score['overall'])}"
    line = f"{_paint(overall, band, context, bold=True)}  {_t('grade', context)} {score['grade'] or '–'}"
    coverage = score["coverage"]
    line += f"  {_t('coverage', context)} {'–' if coverage is None else f'{coverage:.0%}'}"
    if score["provisional"]:
        line += f"  {_t('provisional', context)}"
    title = f"{snap.get('group_name') or snap.get('path')} ({snap.get('platform')}) · {report['playbook']['title']}"
    name = name_in(STAGE_NAMES, stage["id"], context.lang)
    shown = name if name == stage["id"] else f"{name} ({stage['id']})"
    type_label, type_name = group_type_text(report, context.lang)
    lines = [
        title,
        line,
        f"{_t('stage', context)}: {shown} — {stage['reason']}",
        f"{type_label}: {type_name}",
    ]
    capped = capped_text(report, context.lang)
    lines += [f"{_paint('▲', 'poor', context)} {capped}"] if capped else []
    return wrap_text("\n".join(lines), context.width)


def _sections(report: Report, context: RenderContext) -> str:
    rows = []
    for section in report["sections"]:
        counts, score = section["counts"], section["score"]
        tally = f"{counts['pass']}/{counts['partial']}/{counts['fail']}/{counts['unknown']}"
        cov = "–" if section["coverage"] is None else f"{section['coverage']:.0%}"
        mark = BAND_MARK.get(band_of(score) or "", " ")
        rows.append(
            [section["title"], _paint(f"{mark} {score_text(score)}", band_of(score), context), cov, tally]
        )
    headers = [_t("section", context), _t("score", context), _t("coverage", context), _t("counts", context)]
    return fitted_table(rows, headers, context.width, wrappable=[0])


def _diagnosis(report: Report, context: RenderContext) -> str:
    present = [c for c in report.get("diagnosis", []) if c["present"]]
    if not report.get("diagnosis"):
        return ""
    lines = [_t("diagnosis", context) + ":"]
    if not present:
        lines.append("  " + _t("none_present", context))
    for cause in present:
        first = cause["evidence"][0]
        lines += wrap_line(f"  ▲ {cause['title']}: {first['rule']} — {first['message']}", context.width, 4)
    return "\n".join(lines)


def _checklist(report: Report, context: RenderContext) -> str:
    blocks = []
    for group in CHECKLIST_GROUPS:
        items = [i for i in report["checklist"] if i["group"] == group]
        if not items or (group == "next" and not context.verbose and len(items) > SHOWN_PER_GROUP * 2):
            items = items[:SHOWN_PER_GROUP] if group == "next" else items
        if not items:
            continue
        shown = items if context.verbose or group == "now" else items[:SHOWN_PER_GROUP]
        lines = [f"{_t(group, context)}:"] + [
            wrap_text(_item_line(n, item, group, context, report), context.width)
            for n, item in enumerate(shown, 1)
        ]
        hidden = len([i for i in report["checklist"] if i["group"] == group]) - len(shown)
        if hidden > 0:
            lines.append("   " + L["more"].format(n=hidden).render(context.lang))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _item_line(n: int, item: ChecklistItem, group: str, context: RenderContext, report: Report) -> str:
    if group == "data":  # continued lines under the title, past the number
        return "\n".join(wrap_line(f" {n:>2}. {item['title']} — {item['fix']}", context.width, 5))
    if group == "broken":
        return "\n".join(wrap_line(f" ✖ {item['title']} ({item['rule']}) — {item['fix']}", context.width, 3))
    gain = "" if item["gain"] is None else f"[+{score_text(item['gain'])} {_t('pts', context)}] "
    effort = name_in(EFFORT_NAMES, item["effort"], context.lang)
    head = f" {n:>2}. {gain}{item['title']}  ({_t('effort', context)}: {effort})"
    notes = [
        treats_text(item, report, context.lang),
        escalated_text(results_by_rule(report).get(item["rule"]), context.lang),
    ]
    head += "".join(f" · {note}" for note in notes if note)
    if group != "now" or not item["fix"]:
        return head
    # The whole fix: a first line ending in "：" introduces the steps or template that follow.
    first, *rest = item["fix"].splitlines()
    return "\n".join([head, f"     → {first}", *(f"       {line}" for line in rest)])


def render_summary(reports: Sequence[Report], context: RenderContext) -> str:
    return summary_text([summary_row(report) for report in reports], context)


def summary_text(rows: Sequence[SummaryRow], context: RenderContext) -> str:
    """The batch summary from one row per group (summary.py): all a streamed batch keeps."""
    with_delta = any(row.has_baseline for row in rows)
    delta = (lambda row: [_delta_text(row.baseline_delta)]) if with_delta else (lambda row: [])
    cells = [_summary_cells(row, context) + delta(row) for row in rows]
    headers = [
        _t("group", context),
        _t("platform", context),
        _t("stage", context),
        _t("score", context),
        _t("grade_column", context),
        _t("fails", context),
    ] + ([_t("delta", context)] if with_delta else [])
    table = fitted_table(cells, headers, context.width, wrappable=[0]) + "\n"
    # the grade's `*` is explained under the table, once, when a row has it
    any_provisional = any(row.provisional for row in rows)
    return table + (_t("provisional_mark", context) + "\n" if any_provisional else "")


def _summary_cells(row: SummaryRow, context: RenderContext) -> list[Any]:
    return [
        row.name,
        row.platform,
        name_in(STAGE_NAMES, row.stage, context.lang),
        _paint(score_text(row.overall), row.band, context),
        (row.grade or "–") + ("*" if row.provisional else ""),
        "/".join(map(str, row.fails_by_severity)),
    ]


class Writer(OneOrMany):
    """`render`'s bytes, from one summary row per group; with --details the full reports
    wait in a spool on disk until the summary above them is written."""

    def __init__(self, write: Write, context: RenderContext):
        super().__init__(_gated(write, context), context)
        self.rows: list[SummaryRow] = []
        self.details = Spool()

    def one(self, item: Item) -> None:
        self.write(render_one(_safe(item.report, self.context), self.context))

    def each(self, item: Item, number: int) -> None:
        report = _safe(item.report, self.context)
        self.rows.append(summary_row(report))
        if self.context.details:
            details = "\n" + _rule_line() + "\n" + render_one(report, self.context)
            self.details.write(_gate(self.context)(details))  # the spool is copied out as bytes

    def end(self) -> None:
        self.write(summary_text(self.rows, self.context))
        self.details.copy_to(self.write)


def _gate(context: RenderContext) -> Callable[[str], str]:
    """The terminal and CI-log gate `render` applies (playbook/escape.py); with colour our
    escape sequences pass (the files' texts were made safe before, `_safe`)."""
    return ci_log if context.color else for_terminal


def _gated(write: Write, context: RenderContext) -> Write:
    """Every piece written through the gate."""
    gate = _gate(context)

    def gated(piece: str | bytes) -> None:
        write(gate(piece) if isinstance(piece, str) else piece)

    return gated


def _safe(report: Report, context: RenderContext) -> Report:
    """With colour, the files' texts are made safe before our escape sequences join them."""
    return each_string(report, terminal) if context.color else report


def _delta_text(delta: float | None) -> str:
    return "" if delta is None else f"{delta:+.2f}".rstrip("0").rstrip(".")


def _baseline(report: Report, context: RenderContext) -> str:
    """Score deltas and rule changes against `--baseline`; empty without one."""
    baseline = report.get("baseline")
    if not baseline:
        return ""
    if baseline["matched_by"] is None:
        return f"{_t('vs_baseline', context)}: {_t('no_baseline', context)}"
    overall = baseline["overall"]
    lines = [
        f"{_t('vs_baseline', context)}: {_t('overall', context)} {score_text(overall['old'])} → "
        f"{score_text(overall['new'])} ({_delta_text(overall['delta']) or '±0'})"
    ]
    moved = [s for s in baseline["sections"] if s["delta"]]
    if moved:
        lines.append("  " + ", ".join(f"{s['id']} {_delta_text(s['delta'])}" for s in moved))
    for change in baseline["rules"]:
        label = name_in(CHANGE_NAMES, change["change"], context.lang)
        statuses = transition(STATUS_NAMES, change["old"], change["new"], context.lang)
        lines.append(f"  {label}: {change['rule']} ({statuses})")
    if baseline["playbook_changed"]:
        lines.append("  ▲ " + _t("playbook_changed", context))
    note = (
        scoring_note(baseline.get("old_report_version"), report["report"])
        if baseline.get("scoring_changed")
        else None
    )
    if note is not None:
        lines.append("  ▲ " + note.render(context.lang))
    return "\n".join(lines)
