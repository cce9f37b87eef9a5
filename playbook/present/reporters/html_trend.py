"""The trend page: one group's overall and section scores over time as an SVG line chart,
the same numbers as a table, and the rules that changed status between neighbouring dates."""

from __future__ import annotations

from html import escape

from playbook.core.compare import Trend
from playbook.core.i18n import Text
from playbook.core.names import CHANGE_NAMES, STATUS_NAMES, name_in
from playbook.present.reporters.html_page import page
from playbook.present.reporters.svg import Series, band_of, line_chart, score_text
from playbook.present.trend import CHANGE_MARK, L

MARK = {"good": "●", "needs_work": "■", "poor": "▲", None: "–"}
CHART = Text("总分（粗线）和各板块得分随时间的变化", "Overall (thick line) and section scores over time")
TABLE = Text("得分明细", "Scores by date")
PROVISIONAL = Text(
    "空心圆点和 * 表示数据覆盖率低于 80%：这次的分数仅供参考",
    "A hollow point and * mark too little data (coverage below 80 %): that score is provisional",
)
CHANGE_CLASS = {"fixed": "st-pass", "improved": "st-pass", "regressed": "st-fail"}


def render_trend_html(trend: Trend, lang: str) -> str:
    title = L["title"].format(name=trend["group"]).render(lang)
    dates = [p["date"] for p in trend["points"]]
    provisional = [bool(p.get("provisional")) for p in trend["points"]]
    series = [
        Series(
            L["overall"].render(lang),
            [p["overall"] for p in trend["points"]],
            main=True,
            provisional=provisional,
        )
    ]
    series += [
        Series(name, [p["sections"].get(sid) for p in trend["points"]])
        for sid, name in trend["sections"].items()
    ]
    body = (
        f"<h1>{escape(title)}</h1>"
        f'<figure style="margin:0"><div class="chart-scroll">{line_chart(dates, series, CHART.render(lang))}</div>'
        f'<figcaption class="legend">{escape(CHART.render(lang))}'
        + (
            f'<br><span class="prov-note">{escape(PROVISIONAL.render(lang))}</span>'
            if any(provisional)
            else ""
        )
        + "</figcaption></figure>"
        f"<h2>{escape(TABLE.render(lang))}</h2>{_table(trend, lang)}"
        f"<h2>{escape(L['changes'].render(lang))}</h2>{_changes(trend, lang)}"
    )
    return page(lang, title, body)


def _cell(score: float | None) -> str:
    if score is None:
        return '<td class="num">–</td>'
    band = band_of(score)
    return f'<td class="num"><span class="band {band or "none"}">{MARK[band]}</span> {score_text(score)}</td>'


def _table(trend: Trend, lang: str) -> str:
    heads = [L[k].render(lang) for k in ("date", "overall", "grade", "coverage")] + list(
        trend["sections"].values()
    )
    head = "".join(
        f'<th scope="col"{"" if i in (0, 2) else " class=num"}>{escape(h)}</th>' for i, h in enumerate(heads)
    )
    rows = []
    for p in trend["points"]:
        coverage = "–" if p["coverage"] is None else f"{p['coverage']:.0%}"
        cells = "".join(_cell(p["sections"].get(sid)) for sid in trend["sections"])
        rows.append(
            f'<tr><th scope="row">{escape(p["date"])}</th>{_cell(p["overall"])}'
            f"<td>{escape((p['grade'] or '–') + ('*' if p.get('provisional') else ''))}</td>"
            f'<td class="num">{coverage}</td>{cells}</tr>'
        )
    return f'<div class="table-scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _changes(trend: Trend, lang: str) -> str:
    out = []
    for step in trend["steps"]:
        out.append(f"<h3>{escape(step['from'])} → {escape(step['to'])}</h3>")
        if not step["rules"]:
            out.append(f"<p>{escape(L['no_changes'].render(lang))}</p>")
            continue
        items = "".join(
            f'<li><span class="status {CHANGE_CLASS.get(r["change"], "")}">{CHANGE_MARK[r["change"]]} '
            f"{escape(name_in(CHANGE_NAMES, r['change'], lang))}</span> {escape(r['title'] or '')} "
            f'<span class="id">{escape(r["rule"])}</span> <span class="ev">{_status(r["old"], lang)} → {_status(r["new"], lang)}</span></li>'
            for r in step["rules"]
        )
        out.append(f'<ul class="changes">{items}</ul>')
    return "".join(out)


def _status(status: str | None, lang: str) -> str:
    return "–" if status is None else escape(name_in(STATUS_NAMES, status, lang))
