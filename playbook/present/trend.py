"""`playbook trend` drawn for a terminal: the scores by date, and which rules changed between dates."""

from __future__ import annotations

from tabulate import tabulate

from playbook.core.compare import RuleChangeRow, Trend
from playbook.core.i18n import Text
from playbook.core.names import CHANGE_NAMES, STATUS_NAMES, name_in, transition
from playbook.io.escape import for_terminal
from playbook.io.terminal import wrap_text

L = {
    "date": Text("日期", "Date"),
    "overall": Text("总分", "Overall"),
    "grade": Text("等级", "Grade"),
    "coverage": Text("覆盖率", "Coverage"),
    "changes": Text("规则变化", "Rule changes"),
    "no_changes": Text("没有规则改变状态", "no rule changed status"),
    "title": Text("{name}：得分趋势", "{name}: scores over time"),
}
CHANGE_MARK = {"fixed": "✓", "improved": "↑", "regressed": "✗", "changed": "~", "new": "+", "removed": "-"}


def _num(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def render_trend_table(trend: Trend, lang: str, width: int | None = None) -> str:
    """The scores by date as a table and the changes (wrapped to a terminal's `width`)."""
    headers = [L[k].render(lang) for k in ("date", "overall", "grade", "coverage")] + list(
        trend["sections"].values()
    )
    rows = []
    for p in trend["points"]:
        coverage = "–" if p["coverage"] is None else f"{p['coverage']:.0%}"
        row = [
            p["date"],
            _num(p["overall"]),
            (p["grade"] or "–") + ("*" if p.get("provisional") else ""),
            coverage,
        ]
        rows.append(row + [_num(p["sections"].get(sid)) for sid in trend["sections"]])
    title = L["title"].format(name=trend["group"]).render(lang)
    note = trend["scoring_note"]
    if note:
        title += "\n▲ " + note[lang]
    # The table keeps its width (section names cut to fit read worse than a wide table); the
    # change lines below it wrap to the terminal.
    table = tabulate(
        rows,
        headers=headers,
        tablefmt="simple",
        disable_numparse=True,
        colalign=("left",) + ("right",) * (len(headers) - 1),
    )
    return for_terminal(f"{title}\n\n{table}\n\n{wrap_text(render_changes(trend, lang), width)}")


def render_changes(trend: Trend, lang: str) -> str:
    lines = [f"{L['changes'].render(lang)}:"]
    for step in trend["steps"]:
        lines.append(f"  {step['from']} → {step['to']}:")
        if not step["rules"]:
            lines.append(f"    {L['no_changes'].render(lang)}")
        lines += [f"    {change_line(r, lang)}" for r in step["rules"]]
    return "\n".join(lines) + "\n"


def change_line(change: RuleChangeRow, lang: str, rule: str | None = None) -> str:
    """`✗ 退步: engagement.ritual (通过 → 未通过) 有固定时间的“仪式”` (`rule`: the id as shown)."""
    kind = name_in(CHANGE_NAMES, change["change"], lang)
    moved = transition(STATUS_NAMES, change["old"], change["new"], lang)
    line = (
        f"{CHANGE_MARK[change['change']]} {kind}: {rule or change['rule']} ({moved}) {change['title'] or ''}"
    )
    return line.rstrip()
