"""`playbook rules` drawn: rows as a terminal table, JSON or Markdown, by one function; the metrics listing.

The rows come from authoring/listing.py (rules, where values came from, operators). The metrics
listing in Markdown is bilingual whatever `--lang` says: it is `docs/metrics.md`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from tabulate import tabulate

from playbook.core.i18n import Text
from playbook.core.metrics import METRICS
from playbook.io.escape import markdown_inline
from playbook.io.terminal import fitted_table

Row = dict[str, Any]

METRICS_DOC_HEAD = """# Metrics · 指标

Generated from the metric registry by `playbook rules --metrics -f markdown`; do not edit by hand.
A test fails when this page and the registry disagree.
由 `playbook rules --metrics -f markdown` 从指标注册表生成，请勿手改；与注册表不一致时测试会失败。

Rules read these as `metrics.NAME` (for example `metrics.weekly_active_ratio`). A metric whose
inputs are missing from the snapshot is `null`, and rules that need it report `unknown`.
规则用 `metrics.名称` 读取这些指标；快照缺少所需数据时指标为 `null`，相关规则结果为 `unknown`。

"""


def render_rows(
    rows: Sequence[Row],
    headers: dict[str, str],
    fmt: str,
    width: int | None = None,
    wrap: Sequence[str] | None = None,
    drop: Sequence[str] = (),
    from_files: bool = False,
) -> str:
    """Rows as a terminal table (its long columns wrapped to `width` cells, when given), a
    Markdown table, or JSON (keys as they are, values unrendered). `wrap` names the columns that
    may wrap (default all), `drop` those a narrow terminal may leave out.

    `from_files`: the rows hold a playbook's texts (a third party's, maybe): in Markdown they
    are shown as written (playbook/escape.py), never read as Markdown or HTML."""
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"
    cell = _escaped_cell if from_files and fmt == "markdown" else _cell
    cells = [[cell(row.get(key), fmt) for key in headers] for row in rows]
    if fmt == "markdown":
        return (
            tabulate(cells, headers=list(headers.values()), tablefmt="github", disable_numparse=True) + "\n"
        )
    keys = list(headers)
    wrappable = None if wrap is None else [keys.index(key) for key in wrap]
    return (
        fitted_table(cells, list(headers.values()), width, wrappable, [keys.index(key) for key in drop])
        + "\n"
    )


def _cell(value: Any, fmt: str) -> str:
    if isinstance(value, dict):
        value = ", ".join(f"{k}: {v}" for k, v in value.items())
    elif isinstance(value, list):
        value = ", ".join(map(str, value))
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", "<br>") if fmt == "markdown" else text


def _escaped_cell(value: Any, fmt: str) -> str:
    return markdown_inline(_cell(value, "table"))


def headers(lang: str, pairs: Sequence[tuple[str, str, str]]) -> dict[str, str]:
    return {key: Text(zh, en).render(lang) for key, zh, en in pairs}


# ── column headings: (key, zh, en) ───────────────────────────────────────────

RULE_HEADERS = (
    ("id", "规则", "rule"),
    ("section", "章节", "section"),
    ("severity", "严重度", "severity"),
    ("effort", "工作量", "effort"),
    ("stages", "阶段", "stages"),
    ("title", "标题", "title"),
)
RESOLVED_HEADERS = (
    ("rule", "规则", "rule"),
    ("key", "设置", "setting"),
    ("value", "取值", "value"),
    ("from", "来自", "from"),
)
OPERATOR_HEADERS = (
    ("name", "运算符", "operator"),
    ("value", "value 类型", "value"),
    ("doc", "说明", "true when"),
)


# ── metrics ──────────────────────────────────────────────────────────────────

METRIC_HEADERS = (
    ("name", "指标", "metric"),
    ("label", "名称", "label"),
    ("definition", "定义", "definition"),
    ("needs", "所需快照字段", "computed from"),
)


def metric_rows(lang: str | None) -> list[Row]:
    """`lang=None`: both languages in each cell (the generated docs page)."""

    def text(value: Text) -> str:
        return f"{value.zh}\n{value.en}" if lang is None else value.render(lang)

    return [
        {
            "name": f"metrics.{m.name}",
            "label": text(m.label),
            "definition": text(m.definition),
            "needs": list(m.needs),
        }
        for m in sorted(METRICS.values(), key=lambda m: m.name)
    ]


def render_metrics(fmt: str, lang: str, width: int | None = None) -> str:
    if fmt != "markdown":
        return render_rows(
            metric_rows(lang),
            headers(lang, METRIC_HEADERS),
            fmt,
            width,
            wrap=("label", "definition", "needs"),
            drop=("needs",),
        )
    both = {key: f"{zh} · {en}" for key, zh, en in METRIC_HEADERS}
    rows = [
        {**row, "name": f"`{row['name']}`", "needs": [f"`{field}`" for field in row["needs"]]}
        for row in metric_rows(None)
    ]
    return METRICS_DOC_HEAD + render_rows(rows, both, "markdown")
