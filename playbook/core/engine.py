"""Evaluate a playbook's rules against one snapshot. Pure: data in, results out, no I/O.

Everything the engine depends on arrives as an argument: the playbook, the platform facts
(io/facts.py reads them), the data paths' limits (io/limits.py) and today's date.

Order for each rule: platform → stage → requires → when → scorer → waiver. Every path is read
at most once per snapshot (the root scope caches), and a rule that breaks becomes an `error`
result; it never stops the audit.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import jmespath.exceptions

from playbook.core.budget import audit_budget, check_time, start_rule
from playbook.core.conditions import (
    Condition,
    OpContext,
    Step,
    evaluate,
    evaluate_traced,
    first_path,
    path_reader,
    trace,
)
from playbook.core.i18n import Text
from playbook.core.messages import (
    MemberTexts,
    describe_failure,
    describe_missing,
    describe_score,
    pointer_of,
    redact,
)
from playbook.core.metrics import derive_metrics
from playbook.core.model import (
    GROUP_TYPES,
    NEXT_STAGE,
    SEVERITY_ORDER,
    CheckScorer,
    CriteriaScorer,
    EachScorer,
    Escalation,
    Evidence,
    MetricScorer,
    Playbook,
    Result,
    Rule,
    Waiver,
)
from playbook.core.names import GROUP_TYPE_NAMES, STAGE_NAMES
from playbook.core.operators import MissingInput, RuleError
from playbook.core.path_limits import DEFAULT_LIMITS, PathLimits
from playbook.core.registry import Registry
from playbook.core.report_types import Status
from playbook.core.stages import StageInfo, detect_stage
from playbook.core.timeutil import DEFAULT_TIMEZONE, parse_time

# Each platform's facts by name (`{"qq": {"member_cap": 500, ...}, ...}`), read as `facts.*`.
PlatformFacts = Mapping[str, Mapping[str, Any]]

PASS_AT, PARTIAL_AT = 0.9, 0.5
_NUMBERS = (int, float)  # a tuple: an `int | float` union is built anew at every isinstance call


class RootScope:
    """The snapshot plus `metrics`, `stage` and `facts`; each path is searched once."""

    def __init__(self, root: dict[str, Any], op_context: OpContext):
        self.root = root
        self.op_context = op_context
        self.group_type = group_type_of(root)  # read by every rule: once per snapshot
        self._cache: dict[str, Any] = {}
        self._relevance: dict[str, float] = {}

    def lookup(self, expr: str) -> Any:
        if expr not in self._cache:
            try:
                self._cache[expr] = path_reader(expr)(self.root)
            except RuleError as exc:  # every rule reading this path breaks at once, not in 2 s each
                self._cache[expr] = exc
            except jmespath.exceptions.JMESPathError as exc:
                self._cache[expr] = path_broke(exc)
        found = self._cache[expr]
        if isinstance(found, RuleError):
            raise found
        return found

    def relevance(self, rule: Rule) -> float:
        """How much `rule` counts at this stage for this type of group (0: not at all); asked
        when the rule is evaluated and again when its result is weighed."""
        found = self._relevance.get(rule.id)
        if found is None:
            found = self._relevance[rule.id] = rule.relevance(self.root["stage"]) * rule.type_relevance(
                self.group_type
            )
        return found

    def share_relevance(self, table: dict[str, float]) -> None:
        """Use `table` (rule id → relevance at this stage for this type) and fill it as rules ask."""
        self._relevance = table

    def with_stage(self, stage: str) -> RootScope:
        return RootScope({**self.root, "stage": stage}, self.op_context)


class ItemScope:
    """One item of an `each` list: paths are relative to the item."""

    def __init__(self, item: Any, op_context: OpContext):
        self.item = item
        self.op_context = op_context

    def lookup(self, expr: str) -> Any:
        try:
            return path_reader(expr)(self.item)
        except jmespath.exceptions.JMESPathError as exc:
            raise path_broke(exc) from None


def path_broke(exc: jmespath.exceptions.JMESPathError) -> RuleError:
    """A JMESPath function given the wrong type of value (join() of a missing list) breaks the
    rule, as an operator's type clash does, not the audit."""
    return RuleError(_what_broke(exc))


@dataclass(frozen=True, eq=False)
class Audit:
    """Everything evaluated for one snapshot, before scoring."""

    stage: StageInfo
    metrics: Mapping[str, Any]
    results: tuple[Result, ...]
    upcoming: tuple[Result, ...]  # rules of the next stage that would not pass yet
    expired_waivers: tuple[Waiver, ...]
    active_waivers: tuple[Waiver, ...]


def build_scope(
    data: Mapping[str, Any], facts_by_platform: PlatformFacts, show_members: bool = False
) -> RootScope:
    platform = str(data.get("platform", "other"))
    facts = dict(facts_by_platform.get(platform, {}))
    metrics = derive_metrics(data, facts)
    timezone = data.get("timezone") or DEFAULT_TIMEZONE
    captured = data.get("captured_at")
    now = parse_time(captured, timezone) if isinstance(captured, str) else None
    root = {**data, "metrics": metrics, "facts": facts, "stage": None}
    members = None if show_members else MemberTexts(data)
    return RootScope(root, OpContext(now=now, timezone=timezone, show_members=show_members, members=members))


def staged_scope(
    playbook: Playbook, data: Mapping[str, Any], facts: PlatformFacts
) -> tuple[RootScope, StageInfo]:
    """The scope rules are evaluated in, with the stage detected (for `explain` and examples)."""
    scope = build_scope(data, facts)
    group = data.get("group") or {}
    stage_rules = playbook.event_stages if group.get("kind") == "event" else playbook.long_term_stages
    stage = detect_stage(group, stage_rules, scope)
    return scope.with_stage(stage.weighed_as), stage


def audit_snapshot(
    playbook: Playbook,
    data: Mapping[str, Any],
    today: date,
    *,
    facts: PlatformFacts,
    limits: PathLimits = DEFAULT_LIMITS,
    use_waivers: bool = True,
    show_members: bool = False,
) -> Audit:
    """Evaluate every rule of `playbook` on one snapshot. `today` is the real date waivers
    expire by: the engine never reads the clock, so the same inputs give the same audit.
    `facts` are every platform's facts; `limits` bound the data paths' time and size."""
    with audit_budget(limits):  # hostile paths in many rules must not add up to minutes
        return _audit_snapshot(playbook, data, today, facts, use_waivers, show_members)


def _audit_snapshot(
    playbook: Playbook,
    data: Mapping[str, Any],
    today: date,
    facts: PlatformFacts,
    use_waivers: bool,
    show_members: bool,
) -> Audit:
    scope = build_scope(data, facts, show_members)
    group = data.get("group") or {}
    stage_rules = playbook.event_stages if group.get("kind") == "event" else playbook.long_term_stages
    stage = detect_stage(group, stage_rules, scope)
    scope = scope.with_stage(stage.weighed_as)
    # Each rule's relevance depends on the stage and the group's type only: one table per pair,
    # kept with the playbook and shared by every snapshot of a batch.
    scope.share_relevance(playbook.memo.setdefault(("relevance", scope.root["stage"], scope.group_type), {}))
    active, expired = _split_waivers(playbook.waivers if use_waivers else (), group, today)
    results = tuple(_apply_waiver(evaluate_rule(rule, scope), active) for rule in playbook.rules)
    return Audit(
        stage,
        scope.root["metrics"],
        results,
        _upcoming(playbook, scope, stage),
        tuple(expired),
        tuple(active),
    )


def _upcoming(playbook: Playbook, scope: RootScope, stage: StageInfo) -> tuple[Result, ...]:
    nxt = NEXT_STAGE.get(stage.id)
    if nxt is None:
        return ()
    future = scope.with_stage(nxt)
    key = ("next stage's rules", stage.id, nxt)  # the same for every snapshot at this stage
    rules = playbook.memo.get(key)
    if rules is None:
        rules = playbook.memo[key] = [
            r for r in playbook.rules if r.relevance(stage.id) == 0 and r.relevance(nxt) > 0
        ]
    return tuple(
        res for res in (evaluate_rule(r, future) for r in rules) if res.status in ("fail", "partial")
    )


def evaluate_rule(rule: Rule, scope: RootScope) -> Result:
    """One rule's result; a rule that breaks is an `error` result, never an exception."""
    try:
        start_rule()  # a path that runs away stops this rule, not the audit
        return _evaluate(rule, scope)
    except MissingInput as exc:
        return _result(
            rule, scope, "unknown", None, describe_missing((exc.field,), scope.root), missing=(exc.field,)
        )
    except RuleError as exc:
        return _result(rule, scope, "error", None, RULE_ERROR + exc.text)
    except Exception as exc:  # a plugin operator or a data shape we did not foresee
        return _result(rule, scope, "error", None, RULE_ERROR + _what_broke(exc))


def _what_broke(exc: BaseException) -> Text:
    """What went wrong, in types only: an exception's text may quote the data it choked on,
    member names included."""
    if isinstance(exc, jmespath.exceptions.JMESPathTypeError):
        wanted = ", ".join(exc.expected_types)
        return Text(
            f"路径里的 {exc.function_name}() 需要 {wanted}，实际得到 {exc.actual_type}",
            f"{exc.function_name}() in the path expects {wanted}, got {exc.actual_type}",
        )
    return Text(f"运行时异常 {type(exc).__name__}", f"{type(exc).__name__} while running")


RULE_ERROR = Text("规则出错：", "rule error: ")


def _evaluate(rule: Rule, scope: RootScope) -> Result:
    platform, stage = scope.root.get("platform"), scope.root["stage"]
    if rule.platforms is not None and platform not in rule.platforms:
        return _result(rule, scope, "not_applicable", None, _only_for(rule.platforms))
    if scope.relevance(rule) == 0:
        if rule.relevance(stage) == 0:
            return _result(rule, scope, "not_applicable", None, _not_at_stage(stage))
        return _result(rule, scope, "not_applicable", None, _not_for_type(str(scope.group_type)))
    # `when` first: a rule that does not apply to this group must not ask for its data.
    if rule.when is not None:
        verdict = evaluate(rule.when, scope)
        if verdict is None:
            return _unknown_from(rule, scope, rule.when)
        if not verdict:
            return _result(
                rule,
                scope,
                "not_applicable",
                None,
                WHEN_DOES_NOT_HOLD,
            )
    missing = tuple(path for path in rule.requires if scope.lookup(path) is None) if rule.requires else ()
    if missing:
        return _result(rule, scope, "unknown", None, describe_missing(missing, scope.root), missing=missing)
    return _score(rule, scope)


# How each kind of scorer scores a rule: `scorer.kind` → `(rule, scope, scorer) -> Result`.
# Plugins add kinds with `@scorer("name")` and rules use them as `score: {with: name, ...}`.
ScoreFunction = Callable[[Rule, "RootScope", Any], Result]
SCORERS: Registry[ScoreFunction] = Registry("playbook.scorers", Text("评分方式", "scorer"))
scorer = SCORERS.register


def _score(rule: Rule, scope: RootScope) -> Result:
    return SCORERS[rule.scorer.kind](rule, scope, rule.scorer)


def scored(
    rule: Rule,
    scope: RootScope,
    score: float | None,
    message: Text,
    evidence: Evidence | None = None,
    path: str | None = None,
) -> Result:
    """A scorer's result: `score` in [0, 1] (pass from 0.9, partial from 0.5), None for unknown."""
    status = "unknown" if score is None else _status(score)
    return _result(rule, scope, status, score, message, evidence, pointer_of(path) if path else None)


@scorer("check")
def _score_check(rule: Rule, scope: RootScope, scorer: CheckScorer) -> Result:
    verdict, steps = evaluate_traced(scorer.check, scope)
    if verdict is None:
        return _unknown(rule, scope, steps)
    return _from_steps(rule, scope, steps, 1.0 if verdict else 0.0)


@scorer("each")
def _score_each(rule: Rule, scope: RootScope, scorer: EachScorer) -> Result:
    items = scope.lookup(scorer.path)
    if items is None:
        return _result(
            rule, scope, "unknown", None, describe_missing((scorer.path,), scope.root), missing=(scorer.path,)
        )
    if not isinstance(items, list):
        raise RuleError(Text(f"{scorer.path} 应为列表", f"{scorer.path} must be a list"))
    if not items:
        if scorer.empty in ("pass", "fail"):
            return _result(
                rule,
                scope,
                scorer.empty,
                1.0 if scorer.empty == "pass" else 0.0,
                Text("列表为空", "the list is empty"),
            )
        return _result(rule, scope, scorer.empty, None, Text("列表为空", "the list is empty"))
    ok = 0
    for item in items:  # a slow check per item (a regex, a long path) must not add up past the budget
        check_time()
        ok += evaluate(scorer.check, ItemScope(item, scope.op_context)) is True
    share = ok / len(items)
    score = 1.0 if share >= scorer.mostly else min(share, 0.89)
    message = Text(
        f"{len(items)} 项中 {ok} 项符合（{share:.0%}），要求 {scorer.mostly:.0%}",
        f"{ok} of {len(items)} pass ({share:.0%}); {scorer.mostly:.0%} needed",
    )
    evidence = Evidence(actual=round(share, 4), expected=scorer.mostly)
    return _result(rule, scope, _status(score), score, message, evidence, pointer_of(scorer.path))


@scorer("metric")
def _score_metric(rule: Rule, scope: RootScope, scorer: MetricScorer) -> Result:
    value = scope.lookup(scorer.path)
    if value is None:
        return _result(
            rule, scope, "unknown", None, describe_missing((scorer.path,), scope.root), missing=(scorer.path,)
        )
    if isinstance(value, bool) or not isinstance(value, _NUMBERS):
        raise RuleError(Text(f"{scorer.path} 应为数字", f"{scorer.path} must be a number"))
    score = curve_score(scorer, float(value))
    message = describe_score(scorer, value)
    expected = scorer.pass_at if scorer.curve == "linear" else scorer.target
    return _result(
        rule, scope, _status(score), score, message, Evidence(value, expected), pointer_of(scorer.path)
    )


def curve_score(scorer: MetricScorer, x: float) -> float:
    if scorer.curve == "saturating":
        target = float(scorer.target or 0)
        return 0.0 if x <= 0 else math.log1p(x) / math.log1p(max(x, target))
    fail_at, pass_at = float(scorer.fail_at or 0), float(scorer.pass_at or 0)
    if fail_at == pass_at:
        return 1.0 if (x >= pass_at) else 0.0
    return min(1.0, max(0.0, (x - fail_at) / (pass_at - fail_at)))


@scorer("criteria")
def _score_criteria(rule: Rule, scope: RootScope, scorer: CriteriaScorer) -> Result:
    verdicts = [evaluate(c.check, scope) for c in scorer.criteria]
    if None in verdicts:
        return _unknown_from(rule, scope, scorer.criteria[verdicts.index(None)].check)
    total = sum(c.points for c in scorer.criteria)
    met = sum(c.points for c, v in zip(scorer.criteria, verdicts, strict=True) if v)
    score = met / total if total else 1.0
    lacking = [c.label for c, v in zip(scorer.criteria, verdicts, strict=True) if not v]
    zh = "、".join(label.get("zh", "") for label in lacking)
    en = ", ".join(label.get("en", "") for label in lacking)
    message = Text(
        f"得分 {met:g}/{total:g}" + (f"，缺少: {zh}" if zh else ""),
        f"{met:g} of {total:g} points" + (f"; missing: {en}" if en else ""),
    )
    pointer = pointer_of(first_path(scorer.criteria[0].check))
    return _result(rule, scope, _status(score), score, message, Evidence(met, total), pointer)


def _from_steps(rule: Rule, scope: RootScope, steps: list[Step], score: float) -> Result:
    deciding = _deciding_step(steps, score >= PASS_AT)
    reveal = scope.op_context.show_members
    members = scope.op_context.members
    message = describe_failure(deciding, reveal, members) if score < PASS_AT else Text("符合要求", "passes")
    evidence = None
    if deciding:  # member-level values are shown as sizes unless --show-members
        actual = redact(deciding.actual, deciding.path, reveal, members)
        evidence = Evidence(actual, redact(deciding.expected, deciding.value_path, reveal, members))
    return _result(
        rule, scope, _status(score), score, message, evidence, pointer_of(deciding.path) if deciding else None
    )


def _deciding_step(steps: list[Step], passed: bool) -> Step | None:
    for step in steps:
        if step.verdict is passed:
            return step
    return steps[0] if steps else None


def _unknown_from(rule: Rule, scope: RootScope, cond: Condition) -> Result:
    return _unknown(rule, scope, trace(cond, scope))


def _unknown(rule: Rule, scope: RootScope, steps: list[Step]) -> Result:
    missing = tuple(dict.fromkeys(s.path for s in steps if s.verdict is None and s.actual is None))
    return _result(rule, scope, "unknown", None, describe_missing(missing, scope.root), missing=missing)


WHEN_DOES_NOT_HOLD = Text("适用条件不成立 (when)", "its condition does not hold (when)")


@functools.cache  # the same few lists of platforms for every snapshot
def _only_for(platforms: tuple[str, ...]) -> Text:
    return Text(f"只适用于 {', '.join(platforms)}", f"only for {', '.join(platforms)}")


@functools.cache  # a handful of stages; the same words for every rule and snapshot
def _not_at_stage(stage: str) -> Text:
    name = STAGE_NAMES.get(stage) or Text(stage, stage)
    return Text(f"当前阶段（{name.zh}）不适用", f"not relevant at this stage ({name.en})")


@functools.cache
def _not_for_type(group_type: str) -> Text:
    name = GROUP_TYPE_NAMES.get(group_type) or Text(group_type, group_type)
    return Text(f"不适用于{name.zh}", f"not relevant to {name.en}")


def group_type_of(root: Mapping[str, Any]) -> str | None:
    """What the group is for, when the snapshot says (None: judged with the default weights)."""
    group = root.get("group")
    kind = group.get("type") if isinstance(group, Mapping) else None
    return kind if kind in GROUP_TYPES else None


def _status(score: float) -> Status:
    return "pass" if score >= PASS_AT else "partial" if score >= PARTIAL_AT else "fail"


def _result(
    rule: Rule,
    scope: RootScope,
    status: Status,
    score: float | None,
    message: Text,
    evidence: Evidence | None = None,
    pointer: tuple | None = None,
    missing: tuple[str, ...] = (),
) -> Result:
    if status == "not_applicable":
        return Result(rule, status, score, 0.0, message, message, evidence, pointer, missing)
    escalation = _escalation(rule, scope) if rule.escalations and status in ("fail", "partial") else None
    severity = escalation.severity if escalation else None
    weight = rule.base_weight(severity) * scope.relevance(rule)
    reason = message if status in ("unknown", "error") else None
    return Result(rule, status, score, weight, message, reason, evidence, pointer, missing, None, escalation)


def _escalation(rule: Rule, scope: RootScope) -> Escalation | None:
    """The harshest escalation whose condition holds (unknown does not), if harsher than declared."""
    harsher = [
        step
        for step in rule.escalations
        if SEVERITY_ORDER.index(step.severity) < SEVERITY_ORDER.index(rule.severity)
        and _holds(step.when, scope)
    ]
    return min(harsher, key=lambda step: SEVERITY_ORDER.index(step.severity), default=None)


def _holds(cond: Condition, scope: RootScope) -> bool:
    try:
        return evaluate(cond, scope) is True
    except RuleError:  # a broken escalation leaves the declared severity
        return False


# ── waivers ──────────────────────────────────────────────────────────────────


def _split_waivers(waivers: Any, group: Mapping[str, Any], today: date) -> tuple[list[Waiver], list[Waiver]]:
    # A waiver is a promise about real time ("fixed by March"), so it expires by the real date
    # the audit runs on, not by `captured_at`: an old snapshot must not keep it alive.
    active: list[Waiver] = []
    expired: list[Waiver] = []
    for waiver in waivers:
        if waiver.group is not None and str(waiver.group) != str(group.get("id")):
            continue
        (active if date.fromisoformat(waiver.expires[:10]) >= today else expired).append(waiver)
    return active, expired


def _apply_waiver(result: Result, active: list[Waiver]) -> Result:
    if not active:  # most groups have no waiver: no search per rule
        return result
    waiver = next((w for w in active if w.rule == result.rule.id), None)
    if waiver is None or result.status == "not_applicable":
        return result
    reason = Text(
        f"已豁免（{waiver.owner}，至 {waiver.expires}）: {waiver.reason}",
        f"waived by {waiver.owner} until {waiver.expires}: {waiver.reason}",
    )
    return replace(result, status="waived", score=None, weight=0.0, reason=reason, waiver=waiver)
