"""JSON Schema validation that speaks the user's language: every problem located, all at once.

The runtime validator is jsonschema-rs (compiled; a pure-Python validator takes seconds on a
large activity log). Its errors are turned into `Problem`s at `file:line:col`.
"""

from __future__ import annotations

import functools
import math
import operator
import re
from collections.abc import Sequence
from typing import Any

import jsonschema_rs

from playbook.core.errors import Location, PlaybookError, Problem
from playbook.core.i18n import Text, did_you_mean, you_mean
from playbook.core.operators import kind_of
from playbook.core.resources import load_schema
from playbook.io.documents import Document, pointer_to_jsonpath
from playbook.io.json_checks import LARGEST_NUMBER

MAX_PROBLEMS = 50


@functools.cache
def _validator(name: str) -> Any:
    return jsonschema_rs.validator_for(load_schema(name))


_IN_DOCUMENT = object()


def schema_problems(
    document: Document, schema_name: str, at: Sequence[str | int] = (), value: Any = _IN_DOCUMENT
) -> list[Problem]:
    """Every schema problem in `document` (or in its value at the pointer `at`), in file order,
    at most MAX_PROBLEMS. `value` checks something made from that value instead (an example
    with its defaults filled in), still located in the document."""
    validator = _validator(schema_name)
    if value is _IN_DOCUMENT:
        value = functools.reduce(operator.getitem, at, document.data)
    if validator.is_valid(value):  # the common case, ~15 % faster than collecting no errors
        return []
    problems = []
    for error in validator.iter_errors(value):
        pointer = [*at, *error.instance_path]
        unexpected = getattr(error.kind, "unexpected", None)
        if error.kind.name == "additionalProperties" or type(error.kind).__name__ == "AdditionalProperties":
            problems.extend(_unknown_keys(document, schema_name, pointer, error, unexpected or []))
            continue
        where = document.location(pointer)
        hint = _required_hint(schema_name, error) if type(error.kind).__name__ == "Required" else _hint(error)
        problems.append(Problem(where, describe_error(error, pointer), hint))
        if len(problems) >= MAX_PROBLEMS:
            break
    return sorted(problems, key=lambda p: _sort_key(p.where))


def validate_document(document: Document, schema_name: str, at: Sequence[str | int] = ()) -> None:
    refuse_huge_numbers(document)
    problems = schema_problems(document, schema_name, at)
    if problems:
        raise PlaybookError(problems)


# Cheap first: a number that large is written with 16 digits or an exponent. Only a text that
# has one is walked (a phone number in a message text also sends it there).
_MAY_BE_HUGE = re.compile(r"[0-9](?:[0-9]{15}|[eE]\+?[0-9][0-9])")  # [0-9], not \d: 10 times faster


def refuse_huge_numbers(document: Document) -> None:
    """A count of 10^27 or of 400 digits, or 1e309 (read as infinity), broke the arithmetic
    downstream (an internal error): refused here, located, like NaN. Extension keys (`x-…`)
    are the user's own and may hold anything."""
    if document.numbers_checked or (document.text and not _MAY_BE_HUGE.search(document.text)):
        return
    stack: list[tuple[Any, list[str | int]]] = [(document.data, [])]
    while stack:
        value, pointer = stack.pop()
        if isinstance(value, dict):
            stack += [(v, [*pointer, k]) for k, v in value.items() if not str(k).startswith("x-")]
        elif isinstance(value, list):
            stack += [(v, [*pointer, i]) for i, v in enumerate(value)]
        elif (
            isinstance(value, int | float) and not isinstance(value, bool) and not abs(value) < LARGEST_NUMBER
        ):
            raise PlaybookError.at(
                document.location(pointer), _too_large(pointer_to_jsonpath(pointer), value)
            )


def _too_large(where: str, value: float) -> Text:
    if isinstance(value, float) and not math.isfinite(value):
        return Text(
            f"{where}: 数字超出了浮点数的范围（约 1.8e308），最大允许 10^15",
            f"{where}: the number is beyond the range of a float (about 1.8e308); at most 10^15 is allowed",
        )
    digits = len(str(abs(value))) if isinstance(value, int) else 0
    shown = (
        Text(f"{digits} 位数", f"a number of {digits} digits")
        if digits > 30
        else Text(f"{value:g}", f"{value:g}")
    )
    return (
        Text(f"{where}: 数字太大（", f"{where}: ")
        + shown
        + Text("），最大允许 10^15", " is too large; at most 10^15 is allowed")
    )


def _sort_key(where: Location) -> tuple[int, int, str]:
    """By line and column; what has no position after them."""
    return *(where.position or (10**9, 0)), str(where)


def _unknown_keys(
    document: Document, schema_name: str, pointer: list, error: Any, keys: list[str]
) -> list[Problem]:
    schema = load_schema(schema_name)
    allowed = _allowed_properties(schema, list(error.schema_path)[:-1])
    problems = []
    for key in keys:
        where = document.location([*pointer, key], key=True)
        hint = did_you_mean(key, allowed) or _key_named(key, allowed, schema)
        what = Text("未知的字段 '{k}'（在 {p}）", "unknown key '{k}' (in {p})").format(
            k=key, p=pointer_to_jsonpath(pointer)
        )
        problems.append(Problem(where, what, hint))
    return problems


def _key_named(written: str, properties: dict[str, Any], schema: dict) -> Text | None:
    """The key whose name `written` gives in words (`群名称` or `群名` under group: name), as a hint."""
    from playbook.core.labels import field_description, field_name  # only on the way to an error message

    wanted = written.strip().casefold()
    if len(wanted) < 2:
        return None
    for key, node in properties.items():
        name = field_name(field_description(schema, node))
        words = [] if name is None else [name.zh.casefold(), name.en.casefold()]
        if any(wanted == word or (len(word) >= 2 and wanted in word) for word in words):
            return you_mean(key)
    return None


def _allowed_properties(schema: dict, schema_path: list) -> dict[str, Any]:
    node: Any = schema
    for part in schema_path:
        if isinstance(node, dict) and "$ref" in node and part not in node:
            node = _resolve_ref(schema, node["$ref"])
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return {}
    if isinstance(node, dict) and "$ref" in node:
        node = _resolve_ref(schema, node["$ref"])
    properties = node.get("properties", {}) if isinstance(node, dict) else {}
    return dict(sorted(properties.items()))


def _resolve_ref(schema: dict, ref: str) -> Any:
    node: Any = schema
    for part in ref.lstrip("#/").split("/"):
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return node


def _found(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else _short_json(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _short_json(value: Any) -> str:
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return f"[…{len(value)}]"
    return "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def _required_hint(schema_name: str, error: Any) -> Text | None:
    """What the missing key is, from its schema description (`platform`: 平台：qq | wechat（微信）| …)."""
    from playbook.core.labels import field_description  # only for an invalid file

    schema = load_schema(schema_name)
    key = str(getattr(error.kind, "property", ""))
    node = _allowed_properties(schema, list(error.schema_path)[:-1]).get(key)
    zh, _, en = field_description(schema, node).partition(" · ")
    return Text(f"请填写 {key}（{zh}）", f"add {key} ({en})") if zh and en else None


def _hint(error: Any) -> Text | None:
    from playbook.core.value_hints import value_hint  # only for an invalid file

    kind = type(error.kind).__name__
    types = (getattr(error.kind, "types", None) or []) if kind == "Type" else []
    options = (
        [str(option) for option in (getattr(error.kind, "options", None) or [])] if kind == "Enum" else []
    )
    return value_hint(error.instance, types, options, _is_time_pattern(error))


def _is_time_pattern(error: Any) -> bool:
    return type(error.kind).__name__ == "Pattern" and str(getattr(error.kind, "pattern", "")).startswith(
        "^[0-9]{4}-"
    )


_TYPE_NAMES = {
    "string": ("文字", "text"),
    "integer": ("整数", "a whole number"),
    "number": ("数字", "a number"),
    "boolean": ("true 或 false", "true or false"),
    "array": ("列表", "a list"),
    "object": ("键值对象", "a mapping"),
    "null": ("空值 null", "null"),
}


# Types are named in this order (text first, null last), not the validator's.
_TYPE_ORDER = {name: rank for rank, name in enumerate(_TYPE_NAMES)}


def describe_error(error: Any, pointer: list) -> Text:
    """One schema error in words, at its JSON path (`$.group.name 应为文字，实际是 5`)."""
    kind = type(error.kind).__name__
    # A whole file of the wrong kind (a `.env` named where a playbook belongs) is described,
    # never quoted: its first line may be a secret.
    found = _found(error.instance) if pointer else kind_of(error.instance).en
    found_zh = found if pointer else kind_of(error.instance).zh.strip()
    path = pointer_to_jsonpath(pointer)
    if kind == "Type":
        types = sorted(
            getattr(error.kind, "types", None) or [], key=lambda t: _TYPE_ORDER.get(t, len(_TYPE_ORDER))
        )
        zh = " 或 ".join(_TYPE_NAMES.get(t, (t, t))[0] for t in types)
        en = " or ".join(_TYPE_NAMES.get(t, (t, t))[1] for t in types)
        return Text(f"{path} 应为{zh}，实际是 {found_zh}", f"{path}: {found} is not {en}")
    if kind == "Required":
        prop = getattr(error.kind, "property", "?")
        return Text(f"{path} 缺少必填字段 '{prop}'", f"{path}: missing required key '{prop}'")
    if kind == "Enum":
        options = ", ".join(str(o) for o in getattr(error.kind, "options", []))
        return Text(
            f"{path} 的值 {found_zh} 不在可选范围内: {options}", f"{path}: {found} is not one of: {options}"
        )
    if kind in ("Minimum", "Maximum", "ExclusiveMinimum", "ExclusiveMaximum"):
        limit = getattr(error.kind, "limit", "?")
        word = ("至少", "at least") if "Minimum" in kind else ("至多", "at most")
        return Text(
            f"{path} 的值 {found_zh} 超出范围（应{word[0]} {limit}）",
            f"{path}: {found} must be {word[1]} {limit}",
        )
    if _is_time_pattern(error):
        return Text(
            f"{path} 的值 {found_zh} 不是日期或时间（例如 2026-11-20 或 2026-11-20T21:00:00+08:00）",
            f"{path}: {found} is not a date or time (e.g. 2026-11-20 or 2026-11-20T21:00:00+08:00)",
        )
    if kind == "Pattern":
        return Text(f"{path} 的格式不对: {found_zh}", f"{path}: {found} is not in the expected format")
    return Text(f"{path} 不符合要求: {error.message}", f"{path}: {error.message}")
