"""Conditions: `{path, op, value}` leaves composed with `all`, `any` and `not`.

Conditions are compiled once, when the playbook loads: paths parsed (JMESPath), operators and
params resolved, value types and regexes checked. Evaluation uses three-valued logic, so
missing data (`None`, unknown) stays apart from false.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import jmespath
import jmespath.exceptions
import regex

from playbook.core.budget import max_path_items, search
from playbook.core.errors import Location, PlaybookError
from playbook.core.i18n import Text, unknown_name
from playbook.core.operators import OPERATORS, OpContext, Operator, RuleError, compile_regex
from playbook.core.path_compiler import SHORT_LIST, Reader, TooLong, compile_reader, may_refuse

Locate = Callable[[Sequence[str | int]], str | Location]  # where a pointer is, for the error


@functools.cache
def compile_path(expr: str) -> Any:
    """A parsed JMESPath expression (cached: every distinct path is parsed once)."""
    return jmespath.compile(expr)


@functools.cache
def path_reader(expr: str) -> Reader:
    """A function reading `expr` from data: compiled to Python when the form allows, else the
    JMESPath interpreter within the rule's time budget."""
    parsed = compile_path(expr)
    interpreted = functools.partial(search, parsed, expr)
    compiled = compile_reader(parsed.parsed)
    if compiled is None:
        return interpreted
    if not may_refuse(parsed.parsed):
        return compiled
    return functools.partial(_short_lists_compiled, compiled, interpreted)


def _short_lists_compiled(compiled: Reader, interpreted: Reader, data: Any) -> Any:
    """A projecting path or a function call: compiled while its lists are short, else
    interpreted within budget.

    The compiled reader is used only when the size limit is the default kind (a list of
    SHORT_LIST items is allowed), so both readers refuse exactly the same results."""
    if max_path_items() < SHORT_LIST:
        return interpreted(data)
    try:
        return compiled(data)
    except TooLong:
        return interpreted(data)


class Scope(Protocol):
    """Where paths are looked up: the snapshot root, or one item of an `each` list."""

    op_context: OpContext

    def lookup(self, expr: str) -> Any: ...


@dataclass(frozen=True, eq=False)
class PathValue:
    """A `value: {path: ...}` read from the data at run time."""

    expr: str

    def __str__(self) -> str:
        return self.expr


@dataclass(frozen=True, eq=False)
class Leaf:
    """One test: the value at `path` compared by `op` with `value`."""

    path: str
    op: Operator
    value: Any  # a literal, a PathValue, or a compiled regex
    shown: Any  # the value as the author wrote it, for messages
    label: Text | None = None  # what is required, in words, instead of the operator and value


@dataclass(frozen=True, eq=False)
class AllOf:
    """Holds when every part holds."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True, eq=False)
class AnyOf:
    """Holds when at least one part holds."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True, eq=False)
class NotOf:
    """Holds when its part does not."""

    part: Condition


Condition = Leaf | AllOf | AnyOf | NotOf


@dataclass(slots=True)  # built per leaf per snapshot: not frozen, for speed (see model.Result)
class Step:
    """One leaf as evaluated: what the path found and the verdict (for messages and explain)."""

    path: str
    op: str
    expected: Any
    actual: Any
    verdict: bool | None
    depth: int
    error: Text | None = None
    value_path: str | None = None  # where `expected` was read, for `value: {path: ...}`
    label: Text | None = None  # the leaf's `label`: what messages say was required


# ── compiling ────────────────────────────────────────────────────────────────


def compile_condition(
    raw: Any, params: Mapping[str, Any], locate: Locate, pointer: Sequence[str | int]
) -> Condition:
    if not isinstance(raw, Mapping):
        raise PlaybookError.at(locate(pointer), Text("条件应为键值对象", "a condition must be a mapping"))
    if "all" in raw or "any" in raw:
        key = "all" if "all" in raw else "any"
        parts = _gather(
            functools.partial(compile_condition, part, params, locate, [*pointer, key, i])
            for i, part in enumerate(raw[key])
        )
        return AllOf(tuple(parts)) if key == "all" else AnyOf(tuple(parts))
    if "not" in raw:
        return NotOf(compile_condition(raw["not"], params, locate, [*pointer, "not"]))
    return _compile_leaf(raw, params, locate, pointer)


def _compile_leaf(raw: Mapping, params: Mapping[str, Any], locate: Locate, pointer: Sequence) -> Leaf:
    path, op, shown = _gather(
        [
            lambda: compile_path_checked(raw.get("path"), locate, [*pointer, "path"]),
            lambda: lookup_operator(raw.get("op"), locate, [*pointer, "op"]),
            lambda: resolve_value(raw.get("value"), params, locate, [*pointer, "value"]),
        ]
    )
    value = _check_value(op, shown, locate, [*pointer, "value"])
    label = raw.get("label")  # {zh, en}, checked by the playbook schema
    return Leaf(
        path=path, op=op, value=value, shown=shown, label=Text(label["zh"], label["en"]) if label else None
    )


def _gather(steps: Iterable[Callable[[], Any]]) -> list[Any]:
    """Run every step even when some fail, so one condition reports all its problems at once."""
    results, problems = [], []
    for step in steps:
        try:
            results.append(step())
        except PlaybookError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PlaybookError(problems)
    return results


def compile_path_checked(expr: Any, locate: Locate, pointer: Sequence) -> str:
    if not isinstance(expr, str) or not expr.strip():
        raise PlaybookError.at(
            locate(pointer), Text("缺少 path（JMESPath 表达式）", "missing path (a JMESPath expression)")
        )
    try:
        compile_path(expr)
    except jmespath.exceptions.JMESPathError as exc:
        from playbook.core.syntax_messages import path_wording  # only on the way to an error message

        raise PlaybookError.at(locate(pointer), *path_wording(expr, exc)) from None
    return expr


def lookup_operator(name: Any, locate: Locate, pointer: Sequence) -> Operator:
    if name in OPERATORS:
        return OPERATORS[name]
    raise PlaybookError.at(locate(pointer), *unknown_name("运算符", "operator", name, OPERATORS))


def resolve_value(raw: Any, params: Mapping[str, Any], locate: Locate, pointer: Sequence) -> Any:
    """Literals stay; `{param: x}` becomes the param's value; `{path: e}` a PathValue."""
    if isinstance(raw, Mapping) and set(raw) == {"param"}:
        name = raw["param"]
        if name in params:
            return params[name]
        raise PlaybookError.at(locate(pointer), *unknown_name("参数", "param", name, params))
    if isinstance(raw, Mapping) and set(raw) == {"path"}:
        return PathValue(compile_path_checked(raw["path"], locate, [*pointer, "path"]))
    return raw


def _is_number(value: Any) -> bool:
    return isinstance(value, _NUMBERS) and not isinstance(value, bool)


_NUMBERS = (int, float)  # a tuple: an `int | float` union is built anew at every call


_VALUE_CHECKS: dict[str, tuple[Callable[[Any], bool], Text]] = {
    "number": (_is_number, Text("一个数字", "a number")),
    "integer": (lambda v: isinstance(v, int) and not isinstance(v, bool), Text("一个整数", "a whole number")),
    "text": (lambda v: isinstance(v, str), Text("一段文字", "text")),
    "list": (lambda v: isinstance(v, list), Text("一个列表", "a list")),
    "pair": (
        lambda v: isinstance(v, list) and len(v) == 2 and all(_is_number(x) for x in v) and v[0] <= v[1],
        Text("[下限, 上限] 两个数字", "two numbers [low, high]"),
    ),
    "regex": (lambda v: isinstance(v, str), Text("一个正则表达式", "a regular expression")),
}


_SCHEMA_TYPES = {"number": "number", "integer": "integer", "list": "array"}  # the value kinds with hints


def _check_value(op: Operator, value: Any, locate: Locate, pointer: Sequence) -> Any:
    if op.value in ("none", "any") or isinstance(value, PathValue):
        return value
    check, wanted = _VALUE_CHECKS[op.value]
    if value is None or not check(value):
        from playbook.core.value_hints import value_hint  # only on the way to an error message

        raise PlaybookError.at(
            locate(pointer),
            Text(
                f"运算符 '{op.name}' 的 value 应为{wanted.zh}，实际是 {value!r}",
                f"operator '{op.name}' needs {wanted.en} as value, found {value!r}",
            ),
            value_hint(value, [_SCHEMA_TYPES.get(op.value, "")], [], time_pattern=False),  # "3" → write 3
        )
    if op.value == "regex":
        try:
            return compile_regex(value)
        except regex.error as exc:
            from playbook.core.syntax_messages import regex_wording  # only on the way to an error message

            raise PlaybookError.at(locate(pointer), *regex_wording(exc.msg, exc.pos)) from None
    return value


# ── evaluating ───────────────────────────────────────────────────────────────


def evaluate(cond: Condition, scope: Scope) -> bool | None:
    """True, False, or None for unknown (data missing). Raises RuleError when the rule breaks."""
    if isinstance(cond, Leaf):
        return _evaluate_leaf(cond, scope)[0]
    if isinstance(cond, NotOf):
        return _negate(evaluate(cond.part, scope))
    return _combine(cond, [evaluate(part, scope) for part in cond.parts])


def _negate(verdict: bool | None) -> bool | None:
    return None if verdict is None else not verdict


def _combine(cond: AllOf | AnyOf, verdicts: list[bool | None]) -> bool | None:
    """Three-valued `all`/`any`: a deciding verdict wins over unknown, unknown over the rest."""
    decisive = isinstance(cond, AnyOf)  # any: one True decides; all: one False decides
    if decisive in verdicts:
        return decisive
    return None if None in verdicts else not decisive


def _evaluate_leaf(leaf: Leaf, scope: Scope) -> tuple[bool | None, Any, Any]:
    actual = scope.lookup(leaf.path)
    expected = scope.lookup(leaf.value.expr) if isinstance(leaf.value, PathValue) else leaf.value
    if leaf.op.name == "exists":
        return actual is not None, actual, expected
    if actual is None or (expected is None and leaf.op.value != "none"):
        return None, actual, expected
    return bool(leaf.op.func(actual, expected, scope.op_context)), actual, expected


def trace(cond: Condition, scope: Scope, depth: int = 0) -> list[Step]:
    """Every leaf with what it found and its verdict, in order (for messages and `explain`)."""
    if isinstance(cond, Leaf):
        try:
            return [_step(cond, *_evaluate_leaf(cond, scope), depth)]
        except RuleError as exc:
            actual = scope.lookup(cond.path)
            return [Step(cond.path, cond.op.name, cond.shown, actual, None, depth, exc.text)]
    if isinstance(cond, NotOf):
        return trace(cond.part, scope, depth + 1)
    return [step for part in cond.parts for step in trace(part, scope, depth + 1)]


def evaluate_traced(cond: Condition, scope: Scope, depth: int = 0) -> tuple[bool | None, list[Step]]:
    """`evaluate` and `trace` in one walk: the verdict and every leaf's step, each leaf
    evaluated once. Raises RuleError as `evaluate` does (a broken rule needs no steps)."""
    if isinstance(cond, Leaf):
        step = _step(cond, *_evaluate_leaf(cond, scope), depth)
        return step.verdict, [step]
    if isinstance(cond, NotOf):
        inner, steps = evaluate_traced(cond.part, scope, depth + 1)
        return _negate(inner), steps
    verdicts, steps = [], []
    for part in cond.parts:
        verdict, part_steps = evaluate_traced(part, scope, depth + 1)
        verdicts.append(verdict)
        steps += part_steps
    return _combine(cond, verdicts), steps


def _step(leaf: Leaf, verdict: bool | None, actual: Any, expected: Any, depth: int) -> Step:
    value_path = leaf.value.expr if isinstance(leaf.value, PathValue) else None
    shown = _shown(leaf, expected)
    return Step(
        leaf.path, leaf.op.name, shown, actual, verdict, depth, value_path=value_path, label=leaf.label
    )


def first_path(cond: Condition) -> str:
    """The path of the condition's first leaf (what `trace` lists first), without evaluating."""
    while not isinstance(cond, Leaf):
        cond = cond.part if isinstance(cond, NotOf) else cond.parts[0]
    return cond.path


def _shown(leaf: Leaf, expected: Any) -> Any:
    return expected if isinstance(leaf.value, PathValue) else leaf.shown


def describe_expectation(step: Step) -> Text:
    if step.label is not None:
        return step.label
    op = OPERATORS.get(step.op)
    if op is None:
        return Text(step.op, step.op)
    expected = step.expected
    if isinstance(expected, list):  # a topic that is also a keyword is named once
        shown = ", ".join(dict.fromkeys(map(_as_written, expected)))
    else:
        shown = _as_written(expected)
    return op.expects.format(value=shown)


def _as_written(value: Any) -> str:
    """A value as a playbook or snapshot spells it: `true`, `null`, not Python's `True`, `None`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)
