"""`playbook explain RULE [SNAPSHOT]`: what a rule asks, and how it judged one snapshot.

The status always comes from the engine (`evaluate_rule`); this module only lists the steps
the engine takes (platform → stage → requires → when → scorer) with what each one found, using
`conditions.trace` and `conditions.evaluate` for every condition, so nothing is judged twice.
The lines it gives (`Line`: text, depth, and the verdict to mark it with) are drawn by
present/explain.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from playbook.authoring.listing import short_origin
from playbook.core.budget import path_limits as budget_path_limits
from playbook.core.conditions import (
    AllOf,
    AnyOf,
    Condition,
    Leaf,
    NotOf,
    describe_expectation,
    evaluate,
    trace,
)
from playbook.core.engine import ItemScope, RootScope, curve_score, evaluate_rule, staged_scope
from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text, did_you_mean, localize
from playbook.core.messages import show_value
from playbook.core.model import (
    CheckScorer,
    CriteriaScorer,
    EachScorer,
    MetricScorer,
    NamedScorer,
    Playbook,
    Rule,
)
from playbook.core.names import (
    EFFORT_NAMES,
    RELEVANCE_NAMES,
    SEVERITY_NAMES,
    STAGE_NAMES,
    STATUS_NAMES,
    name_in,
    stages_text,
)
from playbook.core.operators import RuleError
from playbook.core.registry import Registry
from playbook.core.stages import StageInfo
from playbook.io.facts import platform_fact_table
from playbook.io.limits import path_limits

Verdict = bool | None | Literal["error"]  # true, false, unknown (missing data), or the rule broke
MAX_ITEMS_SHOWN = 3


def find_rule(playbook: Playbook, rule_id: str) -> Rule:
    """The rule, or a located "unknown rule" error with a did-you-mean (exit 2)."""
    for rule in playbook.rules:
        if rule.id == rule_id:
            return rule
    ids = [rule.id for rule in playbook.rules]
    hint = did_you_mean(rule_id, ids) or Text(
        "`playbook rules` 列出全部规则", "`playbook rules` lists every rule"
    )
    raise PlaybookError.at(
        playbook.files[-1] if playbook.files else "",
        Text("手册中没有规则 '{r}'", "no rule '{r}' in this playbook").format(r=rule_id),
        hint,
    )


@dataclass(frozen=True)
class Line:
    """One line of an explanation: its text, how deep it sits, and the verdict it is marked with
    when `marked` (a condition that held, failed, lacked data or broke)."""

    text: str
    indent: int = 0
    marked: bool = False
    verdict: Verdict = None


class Writer:
    """Lines of the explanation, each label in the chosen language."""

    def __init__(self, lang: str):
        self.lang = lang
        self.lines: list[Line] = []

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def add(self, text: str, indent: int = 0) -> None:
        self.lines.append(Line(text, indent))

    def mark(self, verdict: Verdict, text: str, indent: int) -> None:
        self.lines.append(Line(text, indent, marked=True, verdict=verdict))

    def named(self, names: Mapping[str, Text], key: str) -> str:
        """`高 (high)`: the name in this language, with the id a playbook is written with."""
        name = name_in(names, key, self.lang)
        return key if name == key else f"{name} ({key})"


def explain_rule(rule: Rule, lang: str, data: Mapping[str, Any] | None, playbook: Playbook) -> list[Line]:
    out = Writer(lang)
    _describe(rule, out)
    if data is not None:
        with budget_path_limits(path_limits()):
            scope, stage = staged_scope(playbook, data, platform_fact_table())
            out.add("")
            _evaluation(rule, scope, stage, out)
    return out.lines


def _describe(rule: Rule, out: Writer) -> None:
    t = out.t
    out.add(f"{rule.id} — {localize(rule.title, out.lang)}")
    out.add(
        f"{t('章节', 'section')}: {rule.section} · {t('严重度', 'severity')}: {out.named(SEVERITY_NAMES, rule.severity)}",
        1,
    )
    out.add(
        f"{t('工作量', 'effort')}: {out.named(EFFORT_NAMES, rule.effort)} · {t('权重', 'weight')}: {rule.base_weight():g}",
        1,
    )
    out.add(f"{t('阶段', 'stages')}: {stages_text(rule.stages, out.lang)}", 1)
    platforms = ", ".join(rule.platforms) if rule.platforms else t("全部", "all")
    out.add(f"{t('平台', 'platforms')}: {platforms}", 1)
    params = ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in rule.params.items())
    out.add(f"{t('参数', 'params')}: {params or '–'}", 1)
    out.add(f"{t('出处', 'source')}: {rule.source or '–'}", 1)
    out.add(f"{t('定义于', 'defined at')}: {short_origin(rule.origin)}", 1)
    for label, text in ((t("为什么", "why"), rule.why), (t("怎么改", "fix"), rule.fix)):
        body = localize(text, out.lang).strip()
        if body:
            out.add(f"{label}:", 1)
            for line in body.splitlines():
                out.add(line, 2)


# ── evaluation ───────────────────────────────────────────────────────────────


def _evaluation(rule: Rule, scope: RootScope, stage: StageInfo, out: Writer) -> None:
    t = out.t
    out.add(t("评估过程", "Evaluation"))
    out.add(f"{t('阶段', 'stage')}: {out.named(STAGE_NAMES, stage.id)} — {stage.reason.render(out.lang)}", 1)
    steps: list[Callable[[], bool]] = [
        lambda: _platform_step(rule, scope, out),
        lambda: _stage_step(rule, stage, out),
        lambda: _requires_step(rule, scope, out),
        lambda: _when_step(rule, scope, out),
        lambda: _scorer_step(rule, scope, out),
    ]
    for step in steps:
        try:
            decided = not step()  # the engine stops at the first step that decides the status
        except RuleError as exc:  # the rule broke here: the result below says how
            out.mark("error", exc.text.render(out.lang), 1)
            decided = True
        if decided:
            out.add(t("（后续步骤未执行）", "(later steps are not reached)"), 1)
            break
    result = evaluate_rule(rule, scope)
    score = "" if result.score is None else f" · {t('得分', 'score')} {result.score:.2f}"
    out.add(f"{t('结果', 'result')}: {out.named(STATUS_NAMES, result.status)}{score}")
    out.add(f"{t('原因', 'why')}: {(result.reason or result.message).render(out.lang)}", 1)


def _platform_step(rule: Rule, scope: RootScope, out: Writer) -> bool:
    platform = scope.root.get("platform")
    ok = rule.platforms is None or platform in rule.platforms
    allowed = ", ".join(rule.platforms) if rule.platforms else out.t("全部", "all")
    out.mark(ok, f"{out.t('平台', 'platform')}: {platform} ({out.t('适用', 'applies to')}: {allowed})", 1)
    return ok


def _stage_step(rule: Rule, stage: StageInfo, out: Writer) -> bool:
    relevance = rule.relevance(stage.weighed_as)
    level = (rule.stages or {}).get(stage.weighed_as, "required" if rule.stages is None else None)
    shown = out.t("不适用", "not listed") if level is None else out.named(RELEVANCE_NAMES, level)
    out.mark(relevance > 0, f"{out.t('阶段', 'stage')} {out.named(STAGE_NAMES, stage.id)}: {shown}", 1)
    return relevance > 0


def _requires_step(rule: Rule, scope: RootScope, out: Writer) -> bool:
    ok = True
    for path in rule.requires:
        value = scope.lookup(path)
        ok = ok and value is not None
        out.mark(
            value is not None,
            f"requires {path}: {show_value(value, path, members=scope.op_context.members)}",
            1,
        )
    return ok


def _when_step(rule: Rule, scope: RootScope, out: Writer) -> bool:
    if rule.when is None:
        return True
    out.add("when:", 1)
    return _condition(rule.when, scope, out, 2, "") is True


# How `explain` walks each kind of scorer (`scorer.kind`); a kind with no entry (a plugin's)
# is shown with its options and its result.
EXPLAINERS: Registry[Callable[[Any, RootScope, Writer], None]] = Registry(
    "playbook.explainers", Text("评分方式的说明", "scorer explainer")
)


def _scorer_step(rule: Rule, scope: RootScope, out: Writer) -> bool:
    explain = EXPLAINERS.get(rule.scorer.kind, _named)
    explain(rule.scorer, scope, out)
    return True


@EXPLAINERS.register("check")
def _check(scorer: CheckScorer, scope: RootScope, out: Writer) -> None:
    out.add("check:", 1)
    _condition(scorer.check, scope, out, 2, "")


@EXPLAINERS.register("criteria")
def _criteria(scorer: CriteriaScorer, scope: RootScope, out: Writer) -> None:
    for criterion in scorer.criteria:
        verdict = _safe_evaluate(criterion.check, scope)
        label = localize(criterion.label, out.lang) or "criterion"
        out.mark(verdict, f"{label} ({criterion.points:g} {out.t('分', 'points')}):", 1)
        _condition(criterion.check, scope, out, 2, "")


@EXPLAINERS.register("metric")
def _metric(scorer: MetricScorer, scope: RootScope, out: Writer) -> None:
    value = scope.lookup(scorer.path)
    out.add(f"metric {scorer.path} = {show_value(value, scorer.path, members=scope.op_context.members)}", 1)
    bounds = (("fail_at", scorer.fail_at), ("pass_at", scorer.pass_at), ("target", scorer.target))
    out.add(
        f"{scorer.curve}: " + ", ".join(f"{key} {value:g}" for key, value in bounds if value is not None),
        2,
    )
    if isinstance(value, int | float) and not isinstance(value, bool):
        out.add(f"{out.t('曲线得分', 'curve score')}: {curve_score(scorer, float(value)):.2f}", 2)


def _named(scorer: NamedScorer, _scope: RootScope, out: Writer) -> None:
    options = ", ".join(
        f"{key} {json.dumps(value, ensure_ascii=False)}" for key, value in scorer.options.items()
    )
    out.add(f"score with {scorer.kind}" + (f": {options}" if options else ""), 1)


@EXPLAINERS.register("each")
def _each(scorer: EachScorer, scope: RootScope, out: Writer) -> None:
    items = scope.lookup(scorer.path)
    count = len(items) if isinstance(items, list) else 0
    out.add(f"each {scorer.path}: {count} {out.t('项', 'items')}, mostly {scorer.mostly:g}", 1)
    if not isinstance(items, list):
        return
    verdicts = [_safe_evaluate(scorer.check, ItemScope(item, scope.op_context)) for item in items]
    out.add(f"{verdicts.count(True)}/{count} {out.t('项通过', 'pass')}", 2)
    failing = [i for i, v in enumerate(verdicts) if v is not True][:MAX_ITEMS_SHOWN]
    for index in failing:
        out.add(f"[{index}]:", 2)
        _condition(scorer.check, ItemScope(items[index], scope.op_context), out, 3, scorer.path)


def _safe_evaluate(cond: Condition, scope: Any) -> Verdict:
    try:
        return evaluate(cond, scope)
    except RuleError:
        return "error"


def _condition(cond: Condition, scope: Any, out: Writer, indent: int, prefix: str) -> Any:
    """One line per node: its verdict, then for a leaf what the path found and what was expected."""
    verdict = _safe_evaluate(cond, scope)
    if isinstance(cond, Leaf):
        step = trace(cond, scope)[0]
        path = f"{prefix}.{step.path}" if prefix else step.path
        shown = show_value(step.actual, path, members=scope.op_context.members)
        found = f"{out.t('实际', 'found')} {shown}"
        detail = step.error.render(out.lang) if step.error else found
        expectation = describe_expectation(step).render(out.lang)
        out.mark(step.verdict, f"{step.path} {cond.op.name} → {expectation} — {detail}", indent)
        return verdict
    label = "all" if isinstance(cond, AllOf) else "any" if isinstance(cond, AnyOf) else "not"
    out.mark(verdict, f"{label}:", indent)
    parts: Sequence[Condition] = (cond.part,) if isinstance(cond, NotOf) else cond.parts
    for part in parts:
        _condition(part, scope, out, indent + 1, prefix)
    return verdict
