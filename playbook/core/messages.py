"""The sentences a result carries: what was found, what was expected, what data is missing.

Values from member-level data (names, ids, message texts) are shown only as counts, so a
report never leaks people unless the user asks for it.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from playbook.core.conditions import Step, compile_path, describe_expectation
from playbook.core.i18n import Text
from playbook.core.labels import in_sentence, label_path, metric_inputs
from playbook.core.metrics import METRICS, days_of_data
from playbook.core.model import MetricScorer

PRIVATE_ROOTS = ("members", "activity", "moderation")
COMPUTED_ROOTS = ("metrics", "facts", "stage")
# A path reads member-level data when it names a private root anywhere, not only at its start:
# `max_by(members.list, &messages_30d).name` is a person's name too.
_PRIVATE = re.compile(r"(?<![\w.])\"?(?:members|activity|moderation)\b")


def is_private(path: str | None) -> bool:
    return bool(path) and _PRIVATE.search(path or "") is not None


# Keys whose values say what a record is, not who: they may be shown (`role: admin`, dates).
_NOT_PERSONAL = frozenset(
    {
        "source",
        "role",
        "type",
        "kind",
        "action",
        "flags",
        "at",
        "date",
        "joined_at",
        "first_active_at",
        "last_active_at",
        "left_at",
    }
)
_WHO = frozenset({"id", "name", "from", "member"})  # a person: hidden even inside a longer text
_RECORD_LISTS = frozenset({"list", "messages", "incidents", "cleanups", "daily"})
_LONG_ENOUGH = 8  # other member texts (messages, tags) are hidden inside a longer text from here


class MemberTexts:
    """Every text of a snapshot's member-level data (members, activity, moderation), to decide
    from what a value *is* whether it may be shown: however a path is spelt (`@.members`,
    `values(@)`, `to_string(…)`), a person's name or message found in a value hides it.

    Built on first use: most audits show no text read from a path."""

    def __init__(self, data: Any):
        self._data = data
        self._who: set[str] | None = None
        self._other: set[str] = set()
        self._sizes: list[int] | None = None

    def _collect(self) -> set[str]:
        if self._who is None:
            self._who = set()
            data = self._data if isinstance(self._data, dict) else {}
            for root in PRIVATE_ROOTS:
                self._gather(data.get(root))
        return self._who

    def _gather(self, part: Any) -> None:
        """The known record lists field by field (a roster of 100,000 is read on every audit
        that shows a text); anything else under the root, extension keys included, by a walk."""
        if not isinstance(part, dict):
            self._walk(part, None)
            return
        for key, value in part.items():
            if key in _RECORD_LISTS and type(value) is list:
                self._records(value)
            elif key not in _NOT_PERSONAL:
                self._walk(value, key)

    def _records(self, records: list[Any]) -> None:
        who, other = self._who, self._other
        assert who is not None
        for record in records:
            if type(record) is not dict:
                self._walk(record, None)
                continue
            for key, value in record.items():
                if type(value) is str:
                    if key in _WHO:
                        who.add(value)
                    elif key not in _NOT_PERSONAL and value:
                        other.add(value)
                elif key not in _NOT_PERSONAL and type(value) in (list, dict):
                    self._walk(value, key)

    def _walk(self, value: Any, key: str | None) -> None:
        """Iterative: whatever an extension key holds, however deep."""
        who, other = self._who, self._other
        assert who is not None
        stack: list[tuple[Any, str | None]] = [(value, key)]
        while stack:
            node, name = stack.pop()
            if type(node) is dict:
                stack.extend((v, k) for k, v in node.items() if k not in _NOT_PERSONAL)
            elif type(node) is list:
                stack.extend((item, name) for item in node)
            elif type(node) is str and node:
                (who if name in _WHO else other).add(node)

    def hold(self, value: Any) -> bool:
        """Whether `value` (or anything in it) shows a member's text."""
        if isinstance(value, str):
            return self._text_holds(value[:EVIDENCE_CHARS])
        if isinstance(value, dict):
            return any(self.hold(v) for v in value.values())
        if isinstance(value, list):
            return any(self.hold(v) for v in value)
        return False

    def _text_holds(self, text: str) -> bool:
        who = self._collect()
        if text in who or text in self._other:
            return True
        if self._sizes is None:  # only the lengths some member text has are looked for
            self._sizes = sorted(
                {len(t) for t in who if len(t) >= 2} | {len(t) for t in self._other if len(t) >= _LONG_ENOUGH}
            )
        for size in self._sizes:
            if size >= len(text):
                break
            for start in range(len(text) - size + 1):
                part = text[start : start + size]
                if part in who or (size >= _LONG_ENOUGH and part in self._other):
                    return True
        return False


def hidden(value: Any, path: str | None, reveal: bool, members: MemberTexts | None) -> bool:
    """A value read from member-level data, by its path or by what it holds, without --show-members."""
    if reveal:
        return False
    if is_private(path):
        return True
    if path is None:  # not read from the data: a value the playbook wrote
        return False
    # A path confined to the group's own fields (`group.name`, `join(' ', group.tags[?@])`) can
    # only return the group's values. Any other (`@`, `*`, `values(@)`) may have reached member
    # data, whatever its words: the value itself is looked at.
    return not _confined(path) and members is not None and members.hold(value)


@functools.cache
def _confined(path: str) -> bool:
    try:
        return _reads_only_public(compile_path(path).parsed)
    except Exception:  # not a path at all
        return False


# Nodes whose first child is evaluated where the node is, and the rest on what it returned.
_LEFT_THEN_RELATIVE = (
    "subexpression",
    "index_expression",
    "projection",
    "filter_projection",
    "flatten",
    "pipe",
)
# Nodes whose children are all evaluated where the node is.
_ALL_HERE = (
    "or_expression",
    "and_expression",
    "not_expression",
    "comparator",
    "function_expression",
    "multi_select_list",
    "multi_select_dict",
    "key_val_pair",
)


def _reads_only_public(node: dict[str, Any]) -> bool:
    """Whether an expression evaluated at the snapshot's root reads only under public fields:
    every part evaluated at the root is a public field, a literal or made of such parts."""
    kind, children = node["type"], node.get("children") or []
    if kind == "field":
        return node["value"] not in PRIVATE_ROOTS
    if kind in ("literal", "raw_string", "expref"):  # an expref is applied to items, never to the root
        return True
    if kind in _LEFT_THEN_RELATIVE:
        return bool(children) and _reads_only_public(children[0])
    if kind in _ALL_HERE:
        return all(_reads_only_public(child) for child in children)
    return False  # `@`, `*` at the root, anything unforeseen


EVIDENCE_CHARS = 200  # a 50 MB group name must not be copied into every result


# A tuple, not a `str | list | dict` union, which is built anew at every call (hot: per result).
_MEMBER_SHAPED = (str, list, dict)


def redact(value: Any, path: str | None, reveal: bool = False, members: MemberTexts | None = None) -> Any:
    """Text and lists read from member-level data become their size (`[3]`, `'…'(9)`), unless `reveal`;
    long text is clipped."""
    if isinstance(value, str) and len(value) > EVIDENCE_CHARS:
        value = value[: EVIDENCE_CHARS - 1] + "…"
    if not isinstance(value, _MEMBER_SHAPED) or not hidden(value, path, reveal, members):
        return value
    return show_value(value, path or "", private=True)


def show_value(
    value: Any,
    path: str = "",
    reveal: bool = False,
    members: MemberTexts | None = None,
    private: bool = False,
) -> str:
    """A short, privacy-safe rendering of a value for a message (`reveal`: --show-members)."""
    private = private or (isinstance(value, _MEMBER_SHAPED) and hidden(value, path, reveal, members))
    if isinstance(value, list):
        if _shown_as_size(value, private):
            return f"[{len(value)}]"
        return "[" + ", ".join(show_value(v, reveal=reveal, members=members) for v in value) + "]"
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, str):
        if private:
            return f"'…'({len(value)})"
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, float):
        return format_number(value)
    if value is None:
        return "null"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _shown_as_size(items: list[Any], private: bool) -> bool:
    """A list too private, too long or too nested to spell out in a sentence."""
    return private or len(items) > 5 or any(isinstance(v, dict | list) for v in items)


def _found(value: Any, path: str, reveal: bool, members: MemberTexts | None) -> Text:
    """What a message says was found; a list shown as its size says so in words (`3 项`, `3 items`),
    where evidence keeps the compact `[3]`."""
    if isinstance(value, list) and _shown_as_size(value, hidden(value, path, reveal, members)):
        count = len(value)
        return Text(f"{count} 项", f"{count} item" if count == 1 else f"{count} items")
    shown = show_value(value, path, reveal, members)
    return Text(shown, shown)


def format_number(value: float) -> str:
    """265 days, 12.5 days, 0.22: as many decimals as a reader needs."""
    if abs(value) >= 100:
        return f"{value:.0f}"
    text = f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def describe_failure(step: Step | None, reveal: bool = False, members: MemberTexts | None = None) -> Text:
    if step is None:
        return Text("不符合要求", "does not pass")
    if step.error is not None:
        return step.error
    if step.value_path and hidden(step.expected, step.value_path, reveal, members):
        step = dataclasses.replace(step, expected=show_value(step.expected, step.value_path, private=True))
    expectation = describe_expectation(step)
    found = _found(step.actual, step.path, reveal, members)
    name = label_path(step.path)
    return Text(
        f"{name.zh}: 实际为 {found.zh}，要求{expectation.zh}",
        f"{name.en}: found {found.en}, expected {expectation.en}",
    )


def describe_missing(paths: Sequence[str], data: Mapping[str, Any] | None = None) -> Text:
    """What to provide; for a metric that needs history, how much it needs and how much `data` has
    (活跃趋势需要至少 42 天的每日数据，现有 2 天)."""
    short = [_too_short(p, data) for p in paths] if data is not None else []
    if short and all(short):
        return Text("；".join(t.zh for t in short if t), "; ".join(t.en for t in short if t))
    return _to_provide(tuple(paths))


# Pure functions of the paths (and of the registered metrics and labels, fixed once imported):
# a dozen rules per snapshot lack data, the same paths in every snapshot of a batch.
@functools.lru_cache(maxsize=1024)
def _to_provide(paths: tuple[str, ...]) -> Text:
    names = list(dict.fromkeys(map(_what_to_provide, paths))) or [Text("?", "?")]  # each field once
    return Text(
        "缺少数据，请提供: " + "、".join(n.zh for n in names),
        "missing data: provide " + "; ".join(n.en for n in names),
    )


def _too_short(path: str, data: Mapping[str, Any]) -> Text | None:
    """`the activity trend needs at least 42 days of daily data; the snapshot has 2`, when that is
    why the metric at `path` has no value; None for any other reason."""
    root, _, name = path.partition(".")
    metric = METRICS.get(name) if root == "metrics" else None
    if metric is None or metric.least_days is None:
        return None
    have = days_of_data(data)
    if have >= metric.least_days:
        return None
    label = metric.label
    return Text(
        f"{label.zh}需要至少 {metric.least_days} 天的每日数据（activity.daily），现有 {have} 天",
        f"the {in_sentence(label).en} needs at least {metric.least_days} days of daily data (activity.daily); "
        f"the snapshot has {have}",
    )


@functools.lru_cache(maxsize=1024)
def _what_to_provide(path: str) -> Text:
    """A field by its name; a metric with the fields it is computed from (a snapshot may give the
    metric's value under `metrics` too, but an operator usually has the underlying data)."""
    name, inputs = in_sentence(label_path(path)), metric_inputs(path)
    if inputs is None:
        return name
    return Text(f"{name.zh}（由 {inputs.zh} 算出）", f"{name.en}, computed from {inputs.en}")


def describe_score(scorer: MetricScorer, value: Any) -> Text:
    shown, name = show_value(value), label_path(scorer.path)
    if scorer.curve == "saturating":
        return Text(
            f"{name.zh} = {shown}（目标 {scorer.target}）", f"{name.en} = {shown} (target {scorer.target})"
        )
    return Text(
        f"{name.zh} = {shown}（达标线 {scorer.pass_at}，不合格线 {scorer.fail_at}）",
        f"{name.en} = {shown} (passes at {scorer.pass_at}, fails at {scorer.fail_at})",
    )


@functools.cache
def pointer_of(path: str) -> tuple[str | int, ...] | None:
    """The JSON pointer of a plain field path (`group.tags[0]`), None for computed or complex ones."""
    try:
        pointer = _field_read(compile_path(path).parsed)
    except Exception:  # a path that does not compile has no place in the file
        return None
    if not pointer or pointer[0] in COMPUTED_ROOTS:
        return None
    return tuple(pointer)


# Expressions that compute from one field (`length(group.rules || `[]`)`, a filter over
# `members.list`) point at the field they read: that is what the user edits.
_READS_FIRST_CHILD = ("function_expression", "or_expression", "and_expression", "not_expression")
_READS_LIST = ("filter_projection", "projection", "flatten")


def _field_read(node: dict[str, Any]) -> list[str | int] | None:
    """The plain field path an expression reads, or None when it reads none or several."""
    try:
        return _walk(node)
    except ValueError:
        pass
    kind, children = node["type"], node.get("children") or []
    if kind in _READS_LIST and children:
        return _field_read(children[0])
    if kind in _READS_FIRST_CHILD:
        return next((found for found in map(_field_read, children) if found), None)
    return None


def _walk(node: dict[str, Any]) -> list[str | int]:
    kind = node["type"]
    if kind == "field":
        return [node["value"]]
    if kind == "index":
        return [node["value"]]
    if kind in ("subexpression", "index_expression"):
        return [part for child in node["children"] for part in _walk(child)]
    raise ValueError(kind)
