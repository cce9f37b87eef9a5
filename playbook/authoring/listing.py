"""`playbook rules`: the rules of a playbook, where each value came from, the operators, the metrics.

Every listing is a list of rows rendered as a table, JSON or Markdown by one function. The
metrics listing in Markdown is bilingual whatever `--lang` says: it is `docs/metrics.md`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from typing import Any

from tabulate import tabulate

from playbook.core.i18n import Text, localize
from playbook.core.metrics import METRICS
from playbook.core.model import Playbook
from playbook.core.names import EFFORT_NAMES, SEVERITY_NAMES, name_in, stages_text
from playbook.core.operators import OPERATORS
from playbook.core.resources import rulesets_dir
from playbook.io.composition import BUILTIN, Merged, RuleEntry, merge_playbooks
from playbook.io.escape import markdown_inline
from playbook.io.loader import Document
from playbook.io.playbooks import compile_merged
from playbook.io.terminal import fitted_table

FORMATS = ("table", "json", "markdown")
Row = dict[str, Any]

METRICS_DOC_HEAD = """# Metrics · 指标

Generated from the metric registry by `playbook rules --metrics -f markdown`; do not edit by hand.
A test fails when this page and the registry disagree.
由 `playbook rules --metrics -f markdown` 从指标注册表生成，请勿手改；与注册表不一致时测试会失败。

Rules read these as `metrics.NAME` (for example `metrics.weekly_active_ratio`). A metric whose
inputs are missing from the snapshot is `null`, and rules that need it report `unknown`.
规则用 `metrics.名称` 读取这些指标；快照缺少所需数据时指标为 `null`，相关规则结果为 `unknown`。

"""


def load_merged(refs: Sequence[str]) -> tuple[Playbook, Merged]:
    """The compiled playbook and the merged layers behind it (for provenance)."""
    merged = merge_playbooks(list(refs))
    playbook = compile_merged(merged)
    merged.problems.raise_if_any()
    return playbook, merged


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


# ── rules ────────────────────────────────────────────────────────────────────

RULE_HEADERS = (
    ("id", "规则", "rule"),
    ("section", "章节", "section"),
    ("severity", "严重度", "severity"),
    ("effort", "工作量", "effort"),
    ("stages", "阶段", "stages"),
    ("title", "标题", "title"),
)


def rule_rows(playbook: Playbook, section: str | None, lang: str, readable: bool = False) -> list[Row]:
    """One row per rule; `readable` names severity, effort and stages in `lang` (for people,
    not for JSON, whose values stay the ids a playbook is written with)."""
    return [
        {
            "id": rule.id,
            "section": rule.section,
            "severity": name_in(SEVERITY_NAMES, rule.severity, lang) if readable else rule.severity,
            "effort": name_in(EFFORT_NAMES, rule.effort, lang) if readable else rule.effort,
            "stages": stages_text(rule.stages, lang) if readable else _stages_value(rule.stages, lang),
            "title": localize(rule.title, lang),
        }
        for rule in playbook.rules
        if section is None or rule.section == section
    ]


def _stages_value(stages: Mapping[str, str] | None, lang: str) -> dict[str, str] | str:
    return dict(stages) if stages else Text("全部", "all").render(lang)


RESOLVED_HEADERS = (
    ("rule", "规则", "rule"),
    ("key", "设置", "setting"),
    ("value", "取值", "value"),
    ("from", "来自", "from"),
)
RESOLVED_KEYS = ("enabled", "severity", "weight", "effort", "stages", "platforms")


def resolved_rules(merged: Merged, section: str | None) -> list[Row]:
    """Each rule's final values, with the `file:line:col` each one was set at."""
    return [
        _resolved(entry)
        for entry in merged.rules.values()
        if section is None or entry.effective().get("section") == section
    ]


def _resolved(entry: RuleEntry) -> Row:
    effective, origin = entry.effective(), entry.doc.where(entry.pointer)
    values: dict[str, Any] = {}
    for key in RESOLVED_KEYS:
        value = entry.enabled if key == "enabled" else effective.get(key)
        if value is not None:
            values[key] = {"value": value, "from": _where(entry.sources.get(key), origin)}
    for name, value in effective["params"].items():
        declared = (entry.doc, [*entry.pointer, "params", name])
        source = entry.sources.get(f"params.{name}", declared)
        values[f"params.{name}"] = {"value": value, "from": _where(source, origin)}
    return {
        "rule": effective["id"],
        "section": effective.get("section"),
        "defined_at": origin,
        "replaces": [doc.where(pointer) for doc, pointer in entry.replaces],
        "values": values,
    }


def _where(source: tuple[Document, list] | None, default: str) -> str:
    return default if source is None else source[0].where(source[1])


def short_origin(where: str) -> str:
    """`builtin:default:12:5` instead of the installed path of a bundled ruleset."""
    folder = str(rulesets_dir()) + os.sep
    if not where.startswith(folder):
        return where
    name, _, position = where[len(folder) :].partition(".yaml")
    return f"{BUILTIN}{name}{position}"


def flatten_resolved(rows: Sequence[Row]) -> list[Row]:
    """One line per rule and setting, for the table and Markdown views."""
    flat = []
    for row in rows:
        for key, item in row["values"].items():
            value = item["value"]
            shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
            flat.append({"rule": row["rule"], "key": key, "value": shown, "from": short_origin(item["from"])})
    return flat


# ── operators and metrics ────────────────────────────────────────────────────

OPERATOR_HEADERS = (
    ("name", "运算符", "operator"),
    ("value", "value 类型", "value"),
    ("doc", "说明", "true when"),
)


def operator_rows(lang: str) -> list[Row]:
    return [{"name": op.name, "value": op.value, "doc": op.doc.render(lang)} for op in OPERATORS.values()]


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
