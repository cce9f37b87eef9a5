"""`playbook diff OLD NEW`: what moved between two audits of one group, as table, JSON or Markdown.

The comparison is `playbook.core.compare.compare_reports` (the two inputs are read by
`playbook.runner.diff`); this module renders the answer.
"""

from __future__ import annotations

import json
from typing import Any

from playbook.core.compare import Diff, Identity, scoring_note
from playbook.core.i18n import Text
from playbook.core.names import STAGE_NAMES, transition
from playbook.io.escape import for_terminal, markdown_code, markdown_inline
from playbook.io.terminal import fitted_table, wrap_text
from playbook.present.trend import change_line

FORMATS = ("table", "json", "markdown")
L = {
    "title": Text("{name}：{a} → {b}", "{name}: {a} → {b}"),
    "overall": Text("总分", "Overall"),
    "grade": Text("等级", "grade"),
    "coverage": Text("覆盖率", "coverage"),
    "stage": Text("阶段", "Stage"),
    "section": Text("板块", "Section"),
    "old": Text("之前", "Before"),
    "new": Text("之后", "After"),
    "delta": Text("变化", "Change"),
    "rules": Text("规则变化", "Rule changes"),
    "no_rules": Text("没有规则改变状态", "no rule changed status"),
    "metrics": Text("指标变化", "Metric changes"),
    "no_metrics": Text("没有指标变化", "no metric changed"),
    "metric": Text("指标", "Metric"),
    "metrics_missing": Text(
        "（有报告不含指标，请用新版 playbook 重新生成）",
        "(a report has no metrics: regenerate it with this version of playbook)",
    ),
    "playbook_changed": Text(
        "注意：两次审计用的手册不同，分数变化可能来自规则变化",
        "note: the two audits used different playbooks; scores may have moved because the rules did",
    ),
}


def render_diff(diff: Diff, fmt: str, lang: str, width: int | None = None) -> str:
    """`width`: a terminal's, for the table format (names wrap to it); None for whole lines."""
    if fmt == "json":
        return json.dumps(diff, ensure_ascii=False, indent=2) + "\n"
    markdown = fmt == "markdown"
    if markdown:  # every text of the two reports is shown as written, never read as Markdown
        diff = _texts_as_markdown(diff)
    tablefmt = "github" if markdown else "simple"
    parts = [_heading(diff, lang, markdown), _scores(diff, lang)]
    if diff["playbook_changed"]:
        parts.append(L["playbook_changed"].render(lang))
    note = scoring_note(diff["report_versions"]["old"], diff["report_versions"]["new"])
    if note is not None:
        parts.append(note.render(lang))
    parts.append(_sections(diff, lang, tablefmt, width))
    parts.append(_title(L["rules"], lang, markdown) + "\n" + wrap_text(_rules(diff, lang, markdown), width))
    parts.append(_title(L["metrics"], lang, markdown) + "\n" + _metrics(diff, lang, tablefmt, width))
    text = "\n\n".join(parts) + "\n"
    return text if markdown else for_terminal(text)


def _texts_as_markdown(diff: Diff) -> Diff:
    """The texts a reader sees (names, titles, dates), escaped; ids the labels are looked up by stay."""
    return {
        **diff,
        "old": _identity_as_markdown(diff["old"]),
        "new": _identity_as_markdown(diff["new"]),
        "sections": [{**s, "title": _md(s["title"])} for s in diff["sections"]],
        "rules": [
            {**r, "rule": markdown_code(r["rule"]), "title": _md(r.get("title"))} for r in diff["rules"]
        ],
        # metric names stay ids: metric_label looks them up and escapes what it shows
    }


def _identity_as_markdown(identity: Identity) -> Identity:
    return {
        "path": _md(identity["path"]),
        "group_id": identity["group_id"],
        "group_name": _md(identity["group_name"]),
        "captured_at": _md(identity["captured_at"]),
    }


def _md(text: Any) -> Any:
    return markdown_inline(str(text)) if isinstance(text, str) else text


def _title(text: Text, lang: str, markdown: bool) -> str:
    return f"## {text.render(lang)}" if markdown else f"{text.render(lang)}:"


def _heading(diff: Diff, lang: str, markdown: bool) -> str:
    old, new = diff["old"], diff["new"]
    name = new["group_name"] or new["path"] or "–"
    text = L["title"].format(name=name, a=_date(old), b=_date(new)).render(lang)
    return f"# {text}" if markdown else text


def _date(identity: Identity) -> str:
    return str(identity.get("captured_at") or identity.get("path") or "–")


def metric_label(name: str, lang: str, markdown: bool = False) -> str:
    """`年龄（天） (age_days)`: the metric in words first, its id after (as written when unknown)."""
    from playbook.core.metrics import METRICS

    metric = METRICS.get(name)
    shown = markdown_code(name) if markdown else name
    label = "" if metric is None else metric.label.render(lang)
    if markdown:
        label = markdown_inline(label)
    return shown if metric is None else f"{label} ({shown})"


def num(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if value == int(value) else f"{value:.4g}"


def signed(value: float | None) -> str:
    if value is None:
        return "–"
    return "±0" if value == 0 else f"{value:+.4g}"


def score(value: float | None) -> str:
    """Scores as the other reports show them: whole numbers, else one decimal."""
    if value is None:
        return "–"
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def score_delta(value: float | None) -> str:
    if value is None:
        return "–"
    if value == 0:
        return "±0"
    return f"{value:+.0f}" if value == int(value) else f"{value:+.1f}"


def _scores(diff: Diff, lang: str) -> str:
    overall, grade, cov, stage = diff["overall"], diff["grade"], diff["coverage"], diff["stage"]
    pct = lambda v: "–" if v is None else f"{v:.0%}"  # noqa: E731
    return (
        f"{L['overall'].render(lang)} {score(overall['old'])} → {score(overall['new'])} ({score_delta(overall['delta'])})"
        f"  {L['grade'].render(lang)} {grade['old'] or '–'} → {grade['new'] or '–'}"
        f"  {L['coverage'].render(lang)} {pct(cov['old'])} → {pct(cov['new'])}"
        f"\n{L['stage'].render(lang)}: {transition(STAGE_NAMES, stage['old'], stage['new'], lang)}"
    )


def _sections(diff: Diff, lang: str, tablefmt: str, width: int | None = None) -> str:
    headers = [L[k].render(lang) for k in ("section", "old", "new", "delta")]
    rows = [[s["title"], score(s["old"]), score(s["new"]), score_delta(s["delta"])] for s in diff["sections"]]
    return fitted_table(
        rows,
        headers,
        width if tablefmt == "simple" else None,
        [0],
        tablefmt=tablefmt,
        colalign=("left", "right", "right", "right"),
    )


def _rules(diff: Diff, lang: str, markdown: bool) -> str:
    if not diff["rules"]:
        return f"  {L['no_rules'].render(lang)}"
    lines = []
    for r in diff["rules"]:
        line = change_line(r, lang, r["rule"])
        lines.append(("- " if markdown else "  ") + line)
    return "\n".join(lines)


def _metrics(diff: Diff, lang: str, tablefmt: str, width: int | None = None) -> str:
    note = "" if diff["metrics_available"] else "\n" + L["metrics_missing"].render(lang)
    if not diff["metrics"]:
        return f"  {L['no_metrics'].render(lang)}{note}"
    headers = [L[k].render(lang) for k in ("metric", "old", "new", "delta")]
    markdown = tablefmt != "simple"
    rows = [
        [metric_label(m["name"], lang, markdown), num(m["old"]), num(m["new"]), signed(m["delta"])]
        for m in diff["metrics"]
    ]
    table = fitted_table(
        rows,
        headers,
        width if tablefmt == "simple" else None,
        [0],
        tablefmt=tablefmt,
        colalign=("left", "right", "right", "right"),
    )
    return table + note
