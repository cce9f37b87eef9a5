"""The operator registry: small typed predicates a condition names with `op`.

Each operator declares what its `value` must be (checked when the playbook loads) and how it
reads in a message ("at least 3"). At run time it receives the value the path found; a value of
the wrong type raises `RuleError`, which makes the rule's status `error`, never a crash.
Plugins add operators through the `playbook.operators` entry point (see `plugins.py`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import regex

from playbook.core.i18n import Text
from playbook.core.registry import Registry
from playbook.core.timeutil import parse_time

REGEX_TIMEOUT_SECONDS = 0.1


class RuleError(Exception):
    """The rule itself broke while running (type clash, regex timeout)."""

    def __init__(self, message: Text):
        super().__init__(message.en)
        self.text = message


class MissingInput(RuleError):
    """The operator needs something the snapshot does not give (the capture time to count days
    from): the rule is `unknown` and names it, as for any missing data. Not the rule's fault."""

    def __init__(self, message: Text, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, eq=False)
class OpContext:
    """What an operator may know besides its two arguments."""

    now: datetime | None
    timezone: str
    show_members: bool = False  # --show-members: messages may show member names, ids and texts
    members: Any = None  # messages.MemberTexts: the snapshot's member texts, never shown without it


Predicate = Callable[[Any, Any, OpContext], bool]


@dataclass(frozen=True, eq=False)
class Operator:
    """A comparison the rule language offers (`op:`), with the words that explain it."""

    name: str
    func: Predicate
    value: str  # what `value` must be: none, any, number, integer, text, list, pair, regex
    doc: Text
    expects: Text  # how the expectation reads: "at least {value}"


OPERATORS: Registry[Operator] = Registry("playbook.operators", Text("运算符", "operator"))


def operator(name: str, value: str, doc: tuple[str, str], expects: tuple[str, str]):
    """Register the decorated predicate under `name`."""
    return OPERATORS.register(name, lambda func: Operator(name, func, value, Text(*doc), Text(*expects)))


# ── argument checks ──────────────────────────────────────────────────────────


# Tuples, not `A | B` unions: a union is built anew at every isinstance call, and operators run
# for every leaf of every rule.
_NUMBERS = (int, float)
_SIZED = (str, list, Mapping)


def _number(actual: Any) -> float:
    if isinstance(actual, bool) or not isinstance(actual, _NUMBERS) or math.isnan(actual):
        raise _wrong("需要数字，实际是", "expected a number, found ", actual)
    return actual


def _text(actual: Any) -> str:
    if not isinstance(actual, str):
        raise _wrong("需要文字，实际是", "expected text, found ", actual)
    return actual


def _sized(actual: Any) -> int:
    if not isinstance(actual, _SIZED):
        raise _wrong("需要文字或列表，实际是", "expected text or a list, found ", actual)
    return len(actual)


def _wrong(zh: str, en: str, actual: Any) -> RuleError:
    """A rule error that says what kind of value it found, never the value itself."""
    kind = kind_of(actual)
    return RuleError(Text(zh + kind.zh, en + kind.en))


def kind_of(value: Any) -> Text:
    """What a value is, by type and size only: a rule error never quotes what it read (it may be
    a member's name, and error messages are shown without --show-members)."""
    if isinstance(value, bool):
        return Text("是/否值", "a true/false value")
    if isinstance(value, int | float):
        return Text("数字", "a number")
    if isinstance(value, str):
        return Text(f" {len(value)} 个字的文字", f"a text of {len(value)} characters")
    if isinstance(value, list):
        return Text(f" {len(value)} 项的列表", f"a list of {len(value)} items")
    if isinstance(value, Mapping):
        return Text(f" {len(value)} 个键的对象", f"a mapping of {len(value)} keys")
    return Text("空值 null", "null") if value is None else Text("其他类型的值", "a value of another kind")


def _fold(value: Any) -> Any:
    return value.strip().casefold() if isinstance(value, str) else value


def _holds(actual: Any, item: Any) -> bool:
    """A string contains a text (case-insensitive), or a list holds an item."""
    if isinstance(actual, str):
        return isinstance(item, str) and item.casefold() in actual.casefold()
    if isinstance(actual, list):
        folded = _fold(item)
        return any(_fold(element) == folded for element in actual)
    raise _wrong("需要文字或列表，实际是", "expected text or a list, found ", actual)


def _days_since(actual: Any, ctx: OpContext) -> float:
    if ctx.now is None:
        raise MissingInput(
            Text("快照缺少 captured_at，无法计算天数", "the snapshot has no captured_at to count days from"),
            "captured_at",
        )
    when = parse_time(_text(actual), ctx.timezone)
    if when is None:
        raise _wrong("不是有效的日期时间: ", "not a valid date or time: ", actual)
    return (ctx.now - when).total_seconds() / 86400


# ── the operators ────────────────────────────────────────────────────────────


@operator(
    "exists",
    "none",
    ("字段有值（不为空值 null）", "the path finds a value (not null)"),
    ("已填写", "present"),
)
def exists(actual: Any, _value: Any, _ctx: OpContext) -> bool:
    return actual is not None


@operator(
    "not_empty",
    "none",
    ("非空的文字、列表或对象", "a non-empty text, list or mapping"),
    ("不为空", "not empty"),
)
def not_empty(actual: Any, _value: Any, _ctx: OpContext) -> bool:
    return _sized(actual) > 0 if not isinstance(actual, str) else bool(actual.strip())


@operator("equals", "any", ("等于给定值", "equal to the value"), ("等于 {value}", "equal to {value}"))
def equals(actual: Any, value: Any, _ctx: OpContext) -> bool:
    return bool(actual == value)


@operator(
    "not_equals",
    "any",
    ("不等于给定值", "not equal to the value"),
    ("不等于 {value}", "not equal to {value}"),
)
def not_equals(actual: Any, value: Any, _ctx: OpContext) -> bool:
    return bool(actual != value)


@operator("in", "list", ("是列表中的一项", "one of the listed values"), ("属于 {value}", "one of {value}"))
def in_(actual: Any, value: Any, _ctx: OpContext) -> bool:
    return actual in value


@operator(
    "not_in",
    "list",
    ("不是列表中的任何一项", "none of the listed values"),
    ("不属于 {value}", "none of {value}"),
)
def not_in(actual: Any, value: Any, _ctx: OpContext) -> bool:
    return actual not in value


@operator(
    "at_least", "number", ("数值 ≥ 给定值", "a number ≥ the value"), ("至少 {value}", "at least {value}")
)
def at_least(actual: Any, value: Any, _ctx: OpContext) -> bool:
    return _number(actual) >= value


@operator("at_most", "number", ("数值 ≤ 给定值", "a number ≤ the value"), ("至多 {value}", "at most {value}"))
def at_most(actual: Any, value: Any, _ctx: OpContext) -> bool:
    return _number(actual) <= value


@operator(
    "between",
    "pair",
    ("数值在 [下限, 上限] 之间", "a number within [low, high]"),
    ("在 {value} 之间", "between {value}"),
)
def between(actual: Any, value: Any, _ctx: OpContext) -> bool:
    return bool(value[0] <= _number(actual) <= value[1])


@operator(
    "length_at_least",
    "integer",
    ("文字的字数或列表的项数 ≥ 给定值", "length of a text (characters) or list ≥ the value"),
    ("长度至少 {value}", "length at least {value}"),
)
def length_at_least(actual: Any, value: Any, _ctx: OpContext) -> bool:
    return _sized(actual) >= value


@operator(
    "length_at_most",
    "integer",
    ("文字的字数或列表的项数 ≤ 给定值", "length of a text (characters) or list ≤ the value"),
    ("长度至多 {value}", "length at most {value}"),
)
def length_at_most(actual: Any, value: Any, _ctx: OpContext) -> bool:
    return _sized(actual) <= value


@operator(
    "contains",
    "any",
    (
        "文字包含该词（不分大小写），或列表包含该项",
        "a text contains the words (any case), or a list holds the item",
    ),
    ("包含 {value}", "contains {value}"),
)
def contains(actual: Any, value: Any, _ctx: OpContext) -> bool:
    return _holds(actual, value)


@operator(
    "contains_any",
    "list",
    ("包含列表中的任意一项", "contains at least one of the listed items"),
    ("包含其中之一: {value}", "contains one of {value}"),
)
def contains_any(actual: Any, value: Any, _ctx: OpContext) -> bool:
    if isinstance(actual, str):  # folded once, not once per listed word
        folded = actual.casefold()
        return any(isinstance(item, str) and item.casefold() in folded for item in value)
    return any(_holds(actual, item) for item in value)


@operator(
    "contains_all",
    "list",
    ("包含列表中的每一项", "contains every listed item"),
    ("全部包含: {value}", "contains all of {value}"),
)
def contains_all(actual: Any, value: Any, _ctx: OpContext) -> bool:
    if isinstance(actual, str):  # folded once, not once per listed word
        folded = actual.casefold()
        return all(isinstance(item, str) and item.casefold() in folded for item in value)
    return all(_holds(actual, item) for item in value)


@operator(
    "starts_with",
    "text",
    ("文字以该词开头（不分大小写）", "a text starts with the words (any case)"),
    ("以 {value} 开头", "starts with {value}"),
)
def starts_with(actual: Any, value: Any, _ctx: OpContext) -> bool:
    return _text(actual).casefold().startswith(str(value).casefold())


@operator(
    "ends_with",
    "text",
    ("文字以该词结尾（不分大小写）", "a text ends with the words (any case)"),
    ("以 {value} 结尾", "ends with {value}"),
)
def ends_with(actual: Any, value: Any, _ctx: OpContext) -> bool:
    return _text(actual).casefold().endswith(str(value).casefold())


def _search(pattern: Any, actual: Any) -> bool:
    try:
        return pattern.search(_text(actual), timeout=REGEX_TIMEOUT_SECONDS) is not None
    except TimeoutError:
        raise RuleError(
            Text("正则表达式运行超时（{s} 秒）", "the regular expression timed out ({s} s)").format(
                s=REGEX_TIMEOUT_SECONDS
            )
        ) from None


@operator(
    "matches",
    "regex",
    ("正则表达式能匹配（限时 0.1 秒）", "the regular expression finds a match (0.1 s limit)"),
    ("匹配 {value}", "matches {value}"),
)
def matches(actual: Any, value: Any, _ctx: OpContext) -> bool:
    return _search(value, actual)


@operator(
    "not_matches",
    "regex",
    ("正则表达式不能匹配（限时 0.1 秒）", "the regular expression finds no match (0.1 s limit)"),
    ("不匹配 {value}", "does not match {value}"),
)
def not_matches(actual: Any, value: Any, _ctx: OpContext) -> bool:
    return not _search(value, actual)


@operator(
    "unique",
    "none",
    ("列表没有重复项（去空格、不分大小写）", "the list has no duplicates (trimmed, any case)"),
    ("没有重复", "no duplicates"),
)
def unique(actual: Any, _value: Any, _ctx: OpContext) -> bool:
    if not isinstance(actual, list):
        raise _wrong("需要列表，实际是", "expected a list, found ", actual)
    folded = [repr(_fold(item)) for item in actual]
    return len(folded) == len(set(folded))


@operator(
    "days_since_at_most",
    "number",
    ("该日期距 captured_at 不超过给定天数", "the date is at most this many days before captured_at"),
    ("{value} 天以内", "within {value} days"),
)
def days_since_at_most(actual: Any, value: Any, ctx: OpContext) -> bool:
    return _days_since(actual, ctx) <= value


@operator(
    "days_since_at_least",
    "number",
    ("该日期距 captured_at 至少给定天数", "the date is at least this many days before captured_at"),
    ("至少 {value} 天以前", "at least {value} days ago"),
)
def days_since_at_least(actual: Any, value: Any, ctx: OpContext) -> bool:
    return _days_since(actual, ctx) >= value


def compile_regex(pattern: str) -> Any:
    """Compile a `matches` pattern; raises `regex.error` with the reason."""
    return regex.compile(pattern)
