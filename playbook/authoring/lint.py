"""Lint a playbook: every problem in one run, each at `file:line:col`, with a "did you mean".

The compile problems (unknown operator or param, bad regex or JMESPath, unknown section,
duplicate id, override naming no rule) come from the loader itself (`composition.Problems`); this
module adds what a playbook can get wrong and still load: a path rooted nowhere or reading a field
no snapshot has, an unknown metric, an id outside its section, a custom section without title or
weight, an unused param.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import jmespath.exceptions

from playbook.authoring.examples import example_problems
from playbook.core.conditions import compile_path
from playbook.core.errors import Location, PlaybookError, Problem
from playbook.core.i18n import Text, did_you_mean
from playbook.core.labels import fields_read, unknown_field
from playbook.core.messages import COMPUTED_ROOTS
from playbook.core.metrics import METRICS
from playbook.core.model import SECTION_IDS
from playbook.core.resources import load_schema
from playbook.io.composition import Merged, Problems, merge_playbooks
from playbook.io.documents import Document
from playbook.io.playbook_loader import compile_merged

# AST nodes whose first child is the value the rest of the expression works on.
_BASE_FIRST = ("subexpression", "index_expression", "projection", "filter_projection", "flatten", "pipe")
# AST nodes whose children are all independent expressions over the same data.
_ALL_CHILDREN = ("function_expression", "or_expression", "and_expression", "not_expression", "comparator")

PathSite = tuple[list[str | int], str, bool]  # pointer, expression, relative to an `each` item


def lint_playbook(path: str) -> list[Problem]:
    """All problems of the playbook at `path` and the files it extends, in file order."""
    try:
        merged = merge_playbooks(path)
    except PlaybookError as exc:  # unreadable, schema-invalid or broken `extends`: nothing to lint
        return exc.problems
    playbook = compile_merged(merged)
    compiled = {rule.id for rule in playbook.rules}
    problems = merged.problems
    _check_paths(merged, problems)
    _check_ids(merged, problems)
    _check_sections(merged, problems)
    _check_unused_params(merged, problems, compiled)
    problems.items.extend(example_problems(merged))
    return sorted(dict.fromkeys(problems.items), key=_sort_key)


def _sort_key(problem: Problem) -> tuple[str, int, int]:
    """By file, then line and column; what has no position after the rest of its file."""
    where = problem.where
    return where.file, *(where.position or (10**9, 0))


# ── paths ────────────────────────────────────────────────────────────────────


def snapshot_roots() -> tuple[str, ...]:
    """What a path may start with: the snapshot's top-level fields and the computed roots."""
    return (*load_schema("snapshot")["properties"], *COMPUTED_ROOTS)


def _check_paths(merged: Merged, problems: Problems) -> None:
    roots = snapshot_roots()
    sites: list[tuple[Document, PathSite]] = [
        (entry.doc, site)
        for entry in merged.rules.values()
        if entry.enabled
        for site in _rule_paths(entry.effective(), entry.pointer)
    ]
    for entries, doc, at in merged.lifecycle.values():
        for site in _lifecycle_paths(entries, at):
            sites.append((doc, site))
    for doc, (pointer, expr, relative) in sites:
        try:
            ast = compile_path(expr).parsed
        except jmespath.exceptions.JMESPathError:
            continue  # already reported by the compiler
        if not relative:
            _check_roots(ast, expr, doc.location(pointer), roots, problems)
            _check_fields(expr, doc.location(pointer), roots, problems)
        _check_metrics(ast, doc.location(pointer), problems)


def _rule_paths(rule: Mapping[str, Any], at: list) -> Iterator[PathSite]:
    for i, expr in enumerate(rule.get("requires", [])):
        yield [*at, "requires", i], expr, False
    if isinstance(rule.get("each"), str):
        yield [*at, "each"], rule["each"], False
    if "when" in rule:
        yield from _condition_paths(rule["when"], [*at, "when"], False)
    if "check" in rule:
        yield from _condition_paths(rule["check"], [*at, "check"], "each" in rule)
    metric = rule.get("metric")
    if isinstance(metric, Mapping) and isinstance(metric.get("path"), str):
        yield [*at, "metric", "path"], metric["path"], False
    for i, criterion in enumerate(rule.get("criteria", [])):
        yield from _condition_paths(criterion.get("check"), [*at, "criteria", i, "check"], False)


def _lifecycle_paths(entries: Sequence[Mapping[str, Any]], at: list) -> Iterator[PathSite]:
    for i, entry in enumerate(entries):
        if "when" in entry:
            yield from _condition_paths(entry["when"], [*at, i, "when"], False)
        for j, expr in enumerate(entry.get("evidence", [])):
            yield [*at, i, "evidence", j], expr, False


def _condition_paths(cond: Any, at: list, relative: bool) -> Iterator[PathSite]:
    if not isinstance(cond, Mapping):
        return
    for key in ("all", "any"):
        for i, part in enumerate(cond.get(key) or []):
            yield from _condition_paths(part, [*at, key, i], relative)
    if "not" in cond:
        yield from _condition_paths(cond["not"], [*at, "not"], relative)
    if isinstance(cond.get("path"), str):
        yield [*at, "path"], cond["path"], relative
    value = cond.get("value")
    if isinstance(value, Mapping) and set(value) == {"path"} and isinstance(value["path"], str):
        yield [*at, "value", "path"], value["path"], relative


def root_fields(node: Mapping[str, Any]) -> list[str]:
    """The first field of each independent sub-expression: `length(group.tags)` → [group]."""
    kind = node.get("type")
    if kind == "field":
        return [node["value"]]
    if kind in _BASE_FIRST and node.get("children"):
        return root_fields(node["children"][0])
    if kind in _ALL_CHILDREN:
        return [name for child in node.get("children", []) for name in root_fields(child)]
    return []  # literals, `@`, multi-selects: nothing rooted in the snapshot to check


def _check_roots(
    ast: Mapping[str, Any], expr: str, where: Location, roots: Sequence[str], problems: Problems
) -> None:
    for root in root_fields(ast):
        if root in roots or root.startswith("x-"):
            continue
        problems.add(
            where,
            Text(
                "路径 {e!r} 的开头 '{r}' 不是快照字段",
                "the path {e!r} starts with '{r}', which is not a snapshot field",
            ).format(e=expr, r=root),
            did_you_mean(root, roots)
            or Text("可用的开头: {k}", "paths start with one of: {k}").format(k=", ".join(roots)),
        )


def _check_fields(expr: str, where: Location, roots: Sequence[str], problems: Problems) -> None:
    """`group.nmae`: a field no snapshot can have, so the rule would say 'data missing' forever."""
    for chain in fields_read(expr):
        if chain[0] in COMPUTED_ROOTS or chain[0] not in roots:  # metrics are checked apart; roots above
            continue
        unknown = unknown_field(chain)
        if unknown is None:
            continue
        depth, allowed = unknown
        problems.add(
            where,
            Text(
                "路径 {e!r} 读取的 '{f}' 不是快照中 {p} 下的字段：这条规则会一直缺数据",
                "the path {e!r} reads '{f}', which is not a field of {p} in a snapshot: the rule would "
                "always be unknown",
            ).format(e=expr, f=chain[depth], p=".".join(chain[:depth])),
            did_you_mean(chain[depth], allowed)
            or Text("这里可用的字段: {k}", "the fields there: {k}").format(k=", ".join(allowed)),
        )


def metric_names(node: Mapping[str, Any]) -> list[str]:
    """Every `metrics.NAME` the expression reads."""
    names = []
    children = node.get("children") or []
    if node.get("type") == "subexpression" and len(children) > 1 and children[0] == _METRICS_FIELD:
        names.extend(root_fields(children[1])[:1])
    for child in children:
        if isinstance(child, Mapping):
            names.extend(metric_names(child))
    return names


_METRICS_FIELD = {"type": "field", "children": [], "value": "metrics"}


def _check_metrics(ast: Mapping[str, Any], where: Location, problems: Problems) -> None:
    for name in metric_names(ast):
        if name in METRICS:
            continue
        problems.add(
            where,
            Text("未知的指标 'metrics.{m}'", "unknown metric 'metrics.{m}'").format(m=name),
            did_you_mean(f"metrics.{name}", [f"metrics.{m}" for m in sorted(METRICS)])
            or Text(
                "`playbook rules --metrics` 列出全部指标", "`playbook rules --metrics` lists every metric"
            ),
        )


# ── ids, sections, params ────────────────────────────────────────────────────


def _check_ids(merged: Merged, problems: Problems) -> None:
    for rule_id, entry in merged.rules.items():
        section = entry.raw.get("section")
        prefix, _, name = rule_id.partition(".")
        if prefix == section:
            continue
        problems.add(
            entry.doc.location([*entry.pointer, "id"]),
            Text(
                "规则 id '{r}' 应以其章节 '{s}.' 开头",
                "the rule id '{r}' should start with its section '{s}.'",
            ).format(r=rule_id, s=section),
            Text("你是不是想写 '{c}'？", "did you mean '{c}'?").format(c=f"{section}.{name}"),
        )


def _check_sections(merged: Merged, problems: Problems) -> None:
    for sid, section in merged.sections.items():
        missing = [key for key in ("title", "weight") if key not in section]
        if sid in SECTION_IDS or not missing:
            continue
        doc, pointer = merged.section_sources[sid]
        problems.add(
            doc.location(pointer),
            Text(
                "自定义章节 '{s}' 需要 title 和 weight（缺少 {m}）",
                "the custom section '{s}' needs a title and a weight (missing: {m})",
            ).format(s=sid, m=", ".join(missing)),
            did_you_mean(sid, SECTION_IDS),
        )


def _check_unused_params(merged: Merged, problems: Problems, compiled: set[str]) -> None:
    used_anywhere = set().union(*problems.used_params.values()) if problems.used_params else set()
    for rule_id, entry in merged.rules.items():
        if rule_id not in compiled:  # disabled, or broken: its usage is not known
            continue
        used = problems.used_params.get(rule_id, set())
        for name in entry.raw.get("params", {}):
            if name not in used:
                problems.add(entry.doc.location([*entry.pointer, "params", name]), *_unused(name))
    for name, (doc, pointer) in merged.global_sources.items():
        if name not in used_anywhere:
            problems.add(doc.location(pointer), *_unused(name))


def _unused(name: str) -> tuple[Text, Text]:
    return (
        Text("参数 '{p}' 已声明但从未被引用", "the param '{p}' is declared but never used").format(p=name),
        Text(
            "在条件中用 {{param: {p}}} 引用它，或删除它",
            "reference it as {{param: {p}}} in a condition, or remove it",
        ).format(p=name),
    )
