r"""Turn the common, bounded JMESPath forms into plain Python functions.

Most paths in a playbook are field chains (`group.announcement.text`), often with a default
(`group.intro || ''`, `facts.has_tags || \`false\``). Walking their syntax tree with the
interpreter costs more than the rest of the rule; a closure per node does the same reads with
dict lookups. Only forms whose cost is bounded by the length of the path are compiled (no
projections, filters or functions), so a compiled path needs no time budget. Everything else
returns None here and is interpreted, within its budget.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Reader = Callable[[Any], Any]


def compile_reader(tree: dict[str, Any]) -> Reader | None:
    """A function giving the same result as the JMESPath `tree`, or None for other forms."""
    build = _BUILDERS.get(tree["type"])
    return build(tree) if build else None


def truthy(value: Any) -> bool:
    """JMESPath truth: false, null and empty text, lists and objects are false; 0 is true."""
    return not (value is None or value is False or value == "" or value == [] or value == {})


def _field(tree: dict[str, Any]) -> Reader:
    key = tree["value"]
    return lambda data: data.get(key) if type(data) is dict else None


def _subexpression(tree: dict[str, Any]) -> Reader | None:
    children = tree["children"]
    if all(child["type"] == "field" for child in children):  # the common `a.b.c`, in one loop
        keys = tuple(child["value"] for child in children)
        return lambda data: _walk(data, keys)
    parts = [compile_reader(child) for child in children]
    if any(part is None for part in parts):
        return None

    def read(data: Any) -> Any:
        for part in parts:
            data = part(data)  # type: ignore[misc]
        return data

    return read


def _walk(data: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        if type(data) is not dict:
            return None
        data = data.get(key)
    return data


def _literal(tree: dict[str, Any]) -> Reader:
    value = tree["value"]
    return lambda _data: value


def _current(_tree: dict[str, Any]) -> Reader:
    return lambda data: data


def _logical(keeps_left_when: bool) -> Callable[[dict[str, Any]], Reader | None]:
    """`a || b` keeps `a` when it is true, `a && b` keeps `a` when it is false; else `b`."""

    def build(tree: dict[str, Any]) -> Reader | None:
        pair = _pair(tree)
        if pair is None:
            return None
        left, right = pair

        def read(data: Any) -> Any:
            value = left(data)
            return value if truthy(value) is keeps_left_when else right(data)

        return read

    return build


def _not(tree: dict[str, Any]) -> Reader | None:
    inner = compile_reader(tree["children"][0])
    return None if inner is None else (lambda data: not truthy(inner(data)))


def _pair(tree: dict[str, Any]) -> tuple[Reader, Reader] | None:
    left, right = (compile_reader(child) for child in tree["children"])
    return None if left is None or right is None else (left, right)


_BUILDERS: dict[str, Callable[[dict[str, Any]], Reader | None]] = {
    "field": _field,
    "subexpression": _subexpression,
    "literal": _literal,
    "current": _current,
    "or_expression": _logical(keeps_left_when=True),
    "and_expression": _logical(keeps_left_when=False),
    "not_expression": _not,
}
