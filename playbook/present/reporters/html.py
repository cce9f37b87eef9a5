"""The HTML report: one self-contained page an operator can open offline, show, and print.

Score ring, section bars, stage, diagnosis, a tick-box checklist and every rule result,
filterable by status and section with radio buttons and CSS `:has()` — no script; where
`:has()` is missing everything simply stays visible. Every report string is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from typing import Any

from playbook.core.messages import format_number
from playbook.core.names import EFFORT_NAMES, SEVERITY_NAMES, STAGE_NAMES, STATUS_NAMES, name_in
from playbook.core.report_types import CHECKLIST_GROUPS, ChecklistItem, Result, Stage, Status
from playbook.present.labels import HTML as L
from playbook.present.labels import STATUS_MARK
from playbook.present.reporters import RenderContext, Report
from playbook.present.reporters.html_page import page
from playbook.present.reporters.judgement import (
    capped_text,
    escalated_text,
    group_type_text,
    results_by_rule,
    treats_text,
)
from playbook.present.reporters.stream import Item, OneOrMany, Spool, Write
from playbook.present.reporters.svg import Bar, band_of, bars, gauge, score_text
from playbook.present.summary import SummaryRow, summary_row

STATUS_FILTERS = ("all", "problems", "fail", "partial", "pass", "unknown", "unscored")
_UNSCORED: tuple[Status, ...] = ("not_applicable", "waived", "error")
_COUNTED: tuple[Status, ...] = ("fail", "partial", "pass", "unknown")  # each with its own filter
_MARK = {"good": "●", "needs_work": "■", "poor": "▲", "none": "–"}


def t(key: str, lang: str) -> str:
    return L[key].render(lang)


def render(reports: Sequence[Report], context: RenderContext) -> str:
    lang = context.lang
    if len(reports) == 1:
        report = reports[0]
        name = _group_name(report)
        return page(lang, f"{name} · {t('title', lang)}", _block(report, 1, 1, lang))
    head = f"<h1>{escape(t('title', lang))}</h1>" + _meta_line(
        [L["groups_n"].format(n=len(reports)).render(lang)]
    )
    blocks = "".join(_block(r, i, 2, lang) for i, r in enumerate(reports, 1))
    return page(lang, t("title", lang), head + _summary_table(reports, lang) + blocks)


def _group_name(report: Report) -> str:
    snap = report["snapshot"]
    return str(snap.get("group_name") or snap.get("path") or "–")


def _meta_line(items: Sequence[str]) -> str:
    return '<p class="meta">' + "".join(f"<span>{escape(i)}</span>" for i in items if i) + "</p>"


def _h(level: int, text: str, extra: str = "") -> str:
    return f"<h{level}{extra}>{escape(text)}</h{level}>"


def _block(report: Report, n: int, level: int, lang: str) -> str:
    snap, prefix = report["snapshot"], f"r{n}"
    meta = [
        str(snap.get("platform") or ""),
        f"{t('captured', lang)} {human_time(snap.get('captured_at'), lang)}",
        f"{t('playbook', lang)}: {report['playbook']['title']}",
        str(snap.get("path") or ""),
    ]
    sub = level + 1
    return (
        f'<section class="group-block" id="{prefix}" aria-labelledby="{prefix}-h">'
        + _h(level, _group_name(report), f' id="{prefix}-h"')
        + _meta_line(meta)
        + _hero(report, lang)
        + _h(sub, t("sections", lang))
        + _section_chart(report, lang)
        + _h(sub, t("diagnosis", lang))
        + _diagnosis(report, lang)
        + _h(sub, t("checklist", lang))
        + _checklist(report, prefix, sub + 1, lang)
        + _h(sub, t("results", lang))
        + _results(report, prefix, lang)
        + "</section>"
    )


def human_time(value: Any, lang: str) -> str:
    """`2026年11月14日 22:10（UTC+8）` / `14 Nov 2026, 22:10 (UTC+8)` for an ISO time; as written
    when it is not one. (The time is the snapshot's, not the clock's.)"""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "–")
    offset = moment.utcoffset()
    zone = ""
    if offset is not None:
        minutes = int(offset.total_seconds() // 60)
        hours, rest = divmod(abs(minutes), 60)
        zone = f"UTC{'+' if minutes >= 0 else '-'}{hours}" + (f":{rest:02d}" if rest else "")
    clock = f"{moment.hour:02d}:{moment.minute:02d}"
    if lang == "zh":
        return f"{moment.year}年{moment.month}月{moment.day}日 {clock}" + (f"（{zone}）" if zone else "")
    return f"{moment.day} {moment.strftime('%b')} {moment.year}, {clock}" + (f" ({zone})" if zone else "")


def _id(text: str) -> str:
    """A rule id or metric path: after the words people read, small."""
    return f'<span class="id">{escape(text)}</span>'


def _band_label(score: float | None, lang: str) -> str:
    band = band_of(score) or "none"
    return f'<span class="band {band}">{_MARK[band]} {escape(t("band_" + band, lang))}</span>'


def _score_badge(score: float | None) -> str:
    band = band_of(score) or "none"
    return f'<span class="band {band}">{_MARK[band]} {score_text(score)}</span>'


def _hero(report: Report, lang: str) -> str:
    score, stage = report["score"], report["stage"]
    coverage = "–" if score["coverage"] is None else f"{score['coverage']:.0%}"
    label = (
        L["gauge_label"].format(score=score_text(score["overall"]), grade=score["grade"] or "–").render(lang)
    )
    ring = gauge(score["overall"], score["grade"], label, t("overall_of", lang))
    evidence = "".join(
        f"<li>{escape(e['label'])}: <b>{escape(_value(e['value']))}</b></li>" for e in stage["evidence"]
    )
    facts = [
        (
            t("overall", lang),
            f"<b>{score_text(score['overall'])}</b> / 100 &nbsp;{_band_label(score['overall'], lang)}",
        ),
        (t("grade", lang), escape((score["grade"] or "–") + ("*" if score["provisional"] else ""))),
        (t("coverage", lang), escape(coverage)),
        (t("stage", lang), _stage_text(stage, lang)),
        tuple(map(escape, group_type_text(report, lang))),
    ]
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in facts)
    notes = [t("provisional", lang)] if score["provisional"] else []
    notes += [capped_text(report, lang)] if capped_text(report, lang) else []
    note = "".join(f'<p class="note">{escape(n)}</p>' for n in notes)
    ev = f'<ul class="ev">{evidence}</ul>' if evidence else ""
    return f'<div class="hero"><div>{ring}</div><div><dl class="facts">{rows}</dl>{note}{ev}</div></div>'


def _stage_text(stage: Stage, lang: str) -> str:
    name = name_in(STAGE_NAMES, stage["id"], lang)
    return f"<b>{escape(name)}</b> — {escape(stage['reason'])}"


def _value(value: Any) -> str:
    if isinstance(value, float):
        return format_number(value)
    return "–" if value is None else str(value)


def _section_chart(report: Report, lang: str) -> str:
    items = [Bar(s["title"], s["score"], _coverage_note(s["coverage"], lang)) for s in report["sections"]]
    chart = bars(items, t("sections_chart", lang), t("no_score", lang))
    legend = " &nbsp; ".join(_band_label(v, lang) for v in (95.0, 70.0, 10.0))
    legend += f' &nbsp; <span class="legend">{escape(t("bands_legend", lang))}</span>'
    compact = _sections_compact(report, lang)  # a phone shows this instead of the chart
    return f'<figure class="chart">{chart}{compact}<figcaption class="legend">{legend}</figcaption></figure>'


def _sections_compact(report: Report, lang: str) -> str:
    rows = "".join(
        f'<tr><th scope="row">{escape(s["title"])}</th><td class="num">{_score_badge(s["score"])}</td>'
        f'<td class="num ev">{escape(_coverage_note(s["coverage"], lang))}</td></tr>'
        for s in report["sections"]
    )
    return f'<table class="sections-compact"><tbody>{rows}</tbody></table>'


def _coverage_note(coverage: float | None, lang: str) -> str:
    return "" if coverage is None else f"{t('coverage', lang)} {coverage:.0%}"


def _diagnosis(report: Report, lang: str) -> str:
    causes = report.get("diagnosis") or []
    if not causes:
        return f"<p>{escape(t('no_diagnosis', lang))}</p>"
    titles = {r["rule"]: r["title"] for r in report["results"]}
    items = []
    for cause in sorted(causes, key=lambda c: not c["present"]):  # the causes found first
        state = "present" if cause["present"] else "absent"
        mark = "▲ " + t("present", lang) if cause["present"] else "● " + t("absent", lang)
        # A cause not found names no rule: the rules listed are the evidence that it is present.
        ev = (
            "".join(
                f"<li><b>{escape(titles.get(e['rule'], e['rule']))}</b> {_id(e['rule'])}<br>{escape(e['message'])}</li>"
                for e in cause["evidence"]
            )
            if cause["present"]
            else ""
        )
        items.append(
            f'<li class="{state}"><strong>{escape(cause["title"])}</strong> '
            f'<span class="status {"st-fail" if cause["present"] else "st-pass"}">{escape(mark)}</span>'
            + (f"<ul>{ev}</ul>" if ev else "")
            + "</li>"
        )
    found = sum(1 for c in causes if c["present"])
    head = L["causes_found"].format(n=found, total=len(causes)).render(lang)
    return f'<p>{escape(head)}</p><ul class="causes">{"".join(items)}</ul>'


def _checklist(report: Report, prefix: str, level: int, lang: str) -> str:
    out, overall = [], report["score"]["overall"]
    before = overall
    for group in CHECKLIST_GROUPS:
        items = [i for i in report["checklist"] if i["group"] == group]
        if not items:
            continue
        out.append(_h(level, f"{t(group, lang)} ({len(items)})"))
        total = sum(i["gain"] or 0 for i in items)
        if group in ("now", "next") and before is not None and total:
            # Gains add up exactly (DESIGN §4), so the projection runs on from the group above.
            after = min(round(before + total, 2), 100.0)
            text = L["projection"].format(a=score_text(overall), b=score_text(after)).render(lang)
            out.append(f'<p class="projection">{escape(text)}</p>')
            before = after
        results = results_by_rule(report)
        rows = "".join(
            _item(f"{prefix}-{group}-{k}", i, lang, _notes(i, report, results, lang))
            for k, i in enumerate(items, 1)
        )
        out.append(f'<ul class="checklist">{rows}</ul>')
    return "".join(out) or f"<p>{escape(t('nothing_to_do', lang))}</p>"


def _notes(item: ChecklistItem, report: Report, results: dict[str, Result], lang: str) -> list[str]:
    return [
        n for n in (treats_text(item, report, lang), escalated_text(results.get(item["rule"]), lang)) if n
    ]


def _item(key: str, item: ChecklistItem, lang: str, notes: Sequence[str] = ()) -> str:
    gain = (
        ""
        if not item["gain"]
        else f'<span class="pill gain">+{score_text(item["gain"])} {t("pts", lang)}</span> '
    )
    effort = f'<span class="pill">{escape(t("effort", lang))}: {escape(name_in(EFFORT_NAMES, item["effort"], lang))}</span>'
    if item["group"] in ("data", "broken"):
        effort = ""
    return (
        f'<li><input type="checkbox" id="{key}">'
        f'<label for="{key}">{escape(item["title"])} {_id(item["rule"])}</label>'
        f"<span>{gain}{effort}</span>"
        + "".join(f'<div class="note">{escape(note)}</div>' for note in notes)
        + f'<div class="fix">{escape(item["fix"])}</div></li>'
    )


def _results(report: Report, prefix: str, lang: str) -> str:
    sections = report["sections"]
    by_section: dict[str, list[Result]] = {s["id"]: [] for s in sections}
    for result in report["results"]:
        by_section.setdefault(result["section"], []).append(result)
    blocks = [_filters(report, prefix, list(by_section), lang), _filter_css(list(by_section))]
    titles = {s["id"]: (s["title"], s["score"]) for s in sections}
    for sid, results in by_section.items():
        title, score = titles.get(sid, (sid, None))
        count = L["rules_n"].format(n=len(results)).render(lang)
        summary = f'{escape(title)} &nbsp;{_score_badge(score)} <span class="pill">{escape(count)}</span>'
        blocks.append(
            f'<details class="rules" data-section="{_css_id(sid)}" open><summary>{summary}</summary>'
            + _result_table(results, lang)
            + "</details>"
        )
    return "".join(blocks)


def _css_id(value: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_-]", "_", value)


def _filters(report: Report, prefix: str, section_ids: list[str], lang: str) -> str:
    counts = report["summary"]
    sizes: dict[str, int] = {
        "all": len(report["results"]),
        "problems": counts["fail"] + counts["partial"],
        "unscored": sum(counts[s] for s in _UNSCORED),
        **{s: counts[s] for s in _COUNTED},
    }
    status = "".join(
        _radio(f"{prefix}-st", f"f-st-{k}", t("filter_" + k, lang) + f" ({sizes[k]})", k == "all")
        for k in STATUS_FILTERS
    )
    titles = {s["id"]: s["title"] for s in report["sections"]}
    section = _radio(f"{prefix}-sec", "f-sec-all", t("filter_all", lang), True) + "".join(
        _radio(f"{prefix}-sec", f"f-sec-{_css_id(sid)}", titles.get(sid, sid), False) for sid in section_ids
    )
    return (
        f'<div class="filters"><fieldset><legend>{escape(t("status", lang))}</legend>{status}</fieldset>'
        f"<fieldset><legend>{escape(t('section', lang))}</legend>{section}</fieldset></div>"
    )


def _radio(name: str, cls: str, label: str, checked: bool) -> str:
    rid = f"{name}-{cls}"
    on = " checked" if checked else ""
    return (
        f'<input type="radio" name="{name}" id="{rid}" class="{cls}"{on}>'
        f'<label for="{rid}">{escape(label)}</label>'
    )


def _filter_css(section_ids: list[str]) -> str:
    """Rules for the filters of this page's sections (ids are playbook-defined)."""
    gb, rows = ".group-block", "tr[data-status]"
    rules = [
        f"{gb}:has(.f-st-problems:checked) {rows}:not([data-status=fail],[data-status=partial]){{display:none}}",
        f"{gb}:has(.f-st-unscored:checked) {rows}:not([data-status=not_applicable],"
        "[data-status=waived],[data-status=error]){display:none}",
    ]
    for st in ("fail", "partial", "pass", "unknown"):
        rules.append(f"{gb}:has(.f-st-{st}:checked) {rows}:not([data-status={st}]){{display:none}}")
    for sid in section_ids:
        c = _css_id(sid)
        rules.append(
            f"{gb}:has(.f-sec-{c}:checked) details[data-section]:not([data-section={c}]){{display:none}}"
        )
    return "<style>@media screen{" + "".join(rules) + "}</style>"


def _result_table(results: list[Result], lang: str) -> str:
    head = "".join(f'<th scope="col">{escape(t(k, lang))}</th>' for k in ("status", "rule", "found", "fix"))
    rows = "".join(_result_row(r, lang) for r in results)
    cols = '<colgroup><col style="width:13%"><col style="width:27%"><col style="width:36%"><col></colgroup>'
    return f'<table class="results">{cols}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _result_row(r: Result, lang: str) -> str:
    status = r["status"]
    mark = f'<span class="status st-{status}">{STATUS_MARK[status]} {escape(name_in(STATUS_NAMES, status, lang))}</span>'
    severity = name_in(SEVERITY_NAMES, r["severity"], lang)
    rule = f'{escape(r["title"])} <span class="pill">{escape(severity)}</span><br>{_id(r["rule"])}'
    # The message says in words what was found and what was required; the raw evidence (a
    # regular expression, 4.0 against 4.0) is for tools, which read it from the JSON report.
    found = escape(r["message"])
    reason = r.get("reason")
    if reason and reason != r["message"]:  # said once
        found += f'<br><span class="ev">{escape(reason)}</span>'
    loc = r.get("location")
    if loc and loc.get("line"):
        found += f'<br><span class="ev">{escape(t("line", lang))} {loc["line"]}:{loc["column"]}</span>'
    fix = "" if status in ("pass", "not_applicable", "waived") else escape(r["fix"])
    return (
        f'<tr data-status="{status}"><td>{mark}</td><td>{rule}</td><td>{found}</td>'
        f'<td><div class="fixtext">{fix}</div></td></tr>'
    )


def _summary_table(reports: Sequence[Report], lang: str) -> str:
    rows = [summary_row(report) for report in reports]
    return (
        _summary_head(lang)
        + "".join(_summary_line(row, n, lang) for n, row in enumerate(rows, 1))
        + _summary_foot(any(row.provisional for row in rows), lang)
    )


def _summary_head(lang: str) -> str:
    head = "".join(
        f'<th scope="col"{" class=num" if k in ("score", "coverage") else ""}>{escape(t(k, lang))}</th>'
        for k in ("group", "platform", "stage", "score", "grade", "coverage", "fails")
    )
    return f'<table class="summary-table"><thead><tr>{head}</tr></thead><tbody>'


def _summary_line(row: SummaryRow, n: int, lang: str) -> str:
    """One group's row of the summary table (summary.py: all a streamed batch keeps of it)."""
    coverage = "–" if row.coverage is None else f"{row.coverage:.0%}"
    stage = name_in(STAGE_NAMES, row.stage, lang)
    return (
        f'<tr><td><a href="#r{n}">{escape(str(row.group_name or row.path or "–"))}</a></td>'
        f"<td>{escape(str(row.platform or ''))}</td><td>{escape(stage)}</td>"
        f'<td class="num">{_band_label(row.overall, lang)} <b>{score_text(row.overall)}</b></td>'
        f"<td>{escape((row.grade or '–') + ('*' if row.provisional else ''))}</td>"
        f'<td class="num">{coverage}</td><td class="num">{row.fails}</td></tr>'
    )


def _summary_foot(any_provisional: bool, lang: str) -> str:
    end = "</tbody></table>"
    if any_provisional:  # what the grade's `*` means
        end += f'<p class="note">{escape(t("provisional", lang))}</p>'
    return end


class Writer(OneOrMany):
    """`render`'s bytes for a batch: the summary rows and the groups' blocks are spooled on
    disk (the page's head needs the count and the table comes first), then copied out."""

    def __init__(self, write: Write, context: RenderContext):
        super().__init__(write, context)
        self.rows, self.blocks = Spool(), Spool()
        self.any_provisional = False

    def one(self, item: Item) -> None:
        self.write(render([item.report], self.context))

    def each(self, item: Item, number: int) -> None:
        lang, report = self.context.lang, item.report
        row = summary_row(report)
        self.any_provisional = self.any_provisional or row.provisional
        self.rows.write(_summary_line(row, number, lang))
        self.blocks.write(_block(report, number, 2, lang))

    def end(self) -> None:
        lang = self.context.lang
        before, after = page(lang, t("title", lang), _BODY).split(_BODY)
        head = f"<h1>{escape(t('title', lang))}</h1>" + _meta_line(
            [L["groups_n"].format(n=self.count).render(lang)]
        )
        self.write(before + head + _summary_head(lang))
        self.rows.copy_to(self.write)
        self.write(_summary_foot(self.any_provisional, lang))
        self.blocks.copy_to(self.write)
        self.write(after)


_BODY = "\x00body\x00"  # where the page's body goes: no escaped text can hold a NUL
