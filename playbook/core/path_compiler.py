r"""Turn the common, bounded JMESPath forms into plain Python functions.

Most paths in a playbook are field chains (`group.announcement.text`), often with a default
(`group.intro || ''`, `facts.has_tags || \`false\``). Walking their syntax tree with the
interpreter costs more than the rest of the rule; a closure per node does the same reads with
dict lookups.

Only forms of bounded cost are compiled, so a compiled path needs no time budget: field chains,
`||`, `&&`, `!`, comparisons, literals, and projections, filters, flattening and multi-selects
over lists of at most SHORT_LIST items (a longer list raises `TooLong`, and the path is read by
the interpreter instead, within its budget). A projection inside the per-item part of another
is not compiled: its cost would multiply. Functions are called through jmespath's own table
(the same type checks, results and errors), with every list or object handed to them at most
SHORT_LIST long. Whatever is not compiled returns None here and is interpreted.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from jmespath import functions, visitor

Reader = Callable[[Any], Any]

# Lists up to this long are projected by compiled code: a few hundred dict lookups, well inside
# any time budget. A group's events or incidents are this short; a roster or a log may not be.
SHORT_LIST = 256
# Node types whose cost grows with the data: compiled only where that growth is bounded.
PROJECTING = frozenset({"projection", "filter_projection", "flatten", "value_projection", "slice"})


class TooLong(Exception):
    """A compiled path met a list longer than SHORT_LIST: the interpreter reads it instead."""


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
    return _chain(tree)


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
    parts = _all_compiled(tree["children"])
    return None if parts is None else (parts[0], parts[1])


def _all_compiled(
    trees: list[dict[str, Any]], compile: Callable[[dict[str, Any]], Reader | None] = compile_reader
) -> list[Reader] | None:
    """A reader for each tree, or None when any of them is not compiled."""
    readers = []
    for tree in trees:
        reader = compile(tree)
        if reader is None:
            return None
        readers.append(reader)
    return readers


def projects(tree: dict[str, Any]) -> bool:
    """Whether the path has a node whose cost grows with the data."""
    return _has(tree, PROJECTING)


def may_refuse(tree: dict[str, Any]) -> bool:
    """Whether its compiled reader may raise TooLong (projections, and functions' arguments)."""
    return _has(tree, PROJECTING | {"function_expression"})


def _has(tree: dict[str, Any], kinds: frozenset[str]) -> bool:
    return tree["type"] in kinds or any(_has(child, kinds) for child in tree.get("children", ()))


def _chain(tree: dict[str, Any]) -> Reader | None:
    """`a.b`, `a | b`, `a[0]`: each child reads what the one before it gave."""
    parts = _all_compiled(tree["children"])
    if parts is None:
        return None

    def read(data: Any) -> Any:
        for part in parts:
            data = part(data)
        return data

    return read


def _index(tree: dict[str, Any]) -> Reader:
    index = tree["value"]

    def read(data: Any) -> Any:
        if not isinstance(data, list):
            return None
        try:
            return data[index]
        except IndexError:
            return None

    return read


def _multi_select_list(tree: dict[str, Any]) -> Reader | None:
    parts = _all_compiled(tree["children"])
    if parts is None:
        return None
    return lambda data: None if data is None else [part(data) for part in parts]


# Tuples, not `A | B` unions, in isinstance: a union is built anew at every call, and these run
# for every value a compiled path reads.
_CONTAINERS = (list, dict)
_NUMBERS = (int, float)


def _bounded(value: Any) -> Any:
    """`value`, unless it is a list or object longer than SHORT_LIST (then TooLong)."""
    if isinstance(value, _CONTAINERS) and len(value) > SHORT_LIST:
        raise TooLong
    return value


def _short(value: Any) -> list[Any] | None:
    """`value` when it is a list the compiled code may walk; None when it is no list."""
    return _bounded(value) if isinstance(value, list) else None


def _flatten(tree: dict[str, Any]) -> Reader | None:
    base = compile_reader(tree["children"][0])
    if base is None:
        return None

    def read(data: Any) -> Any:
        items = _short(base(data))
        if items is None:
            return None
        merged: list[Any] = []
        for item in items:
            if isinstance(item, list):
                merged.extend(item)
            else:
                merged.append(item)
        return _short(merged)

    return read


def _per_item(tree: dict[str, Any]) -> Reader | None:
    """The part of a projection read once per item: compiled only if its own cost is bounded."""
    return None if projects(tree) else compile_reader(tree)


def _projection(tree: dict[str, Any]) -> Reader | None:
    base, each = compile_reader(tree["children"][0]), _per_item(tree["children"][1])
    return None if base is None or each is None else _projecting(base, each)


def _filter_projection(tree: dict[str, Any]) -> Reader | None:
    left, right, condition = tree["children"]
    base, each, keep = compile_reader(left), _per_item(right), _per_item(condition)
    return None if base is None or each is None or keep is None else _projecting(base, each, keep)


def _projecting(base: Reader, each: Reader, keep: Reader | None = None) -> Reader:
    """`each` of the items of the list `base` reads (those `keep` finds truthy), without the
    None results, as JMESPath projects."""

    def read(data: Any) -> Any:
        items = _short(base(data))
        if items is None:
            return None
        kept = items if keep is None else (item for item in items if truthy(keep(item)))
        return [found for item in kept if (found := each(item)) is not None]

    return read


_FUNCTIONS = functions.Functions()


class _CompiledExpression:
    """What a function's `&expr` argument is visited with: the compiled reader of `expr`."""

    def __init__(self, reader: Reader):
        self.reader = reader

    def visit(self, _node: Any, value: Any) -> Any:
        return self.reader(value)


def _argument(tree: dict[str, Any]) -> Reader | None:
    if tree["type"] != "expref":
        return compile_reader(tree)
    each = _per_item(tree["children"][0])  # read once per item of the function's list
    if each is None:
        return None
    expression = visitor._Expression(tree["children"][0], _CompiledExpression(each))
    return lambda _data: expression


def _function(tree: dict[str, Any]) -> Reader | None:
    name = tree["value"]
    if name not in _FUNCTIONS.FUNCTION_TABLE:  # unknown names fail when the path is compiled
        return None
    arguments = _all_compiled(tree["children"], _argument)
    if arguments is None:
        return None

    def read(data: Any) -> Any:
        values = [_bounded(argument(data)) for argument in arguments]
        return _bounded(_FUNCTIONS.call_function(name, values))

    return read


def _number(value: Any) -> bool:
    return isinstance(value, _NUMBERS) and not isinstance(value, bool)


def _equals(left: Any, right: Any) -> bool:
    """JMESPath equality: 0 and 1 are not the booleans Python takes them for."""
    if _number(left) and left in (0, 1):
        return False if isinstance(right, bool) else left == right
    if _number(right) and right in (0, 1):
        return False if isinstance(left, bool) else left == right
    return bool(left == right)


_ORDER = {"lt": operator.lt, "gt": operator.gt, "lte": operator.le, "gte": operator.ge}


def _comparator(tree: dict[str, Any]) -> Reader | None:
    pair = _pair(tree)
    if pair is None:
        return None
    left, right = pair
    kind = tree["value"]
    if kind == "eq":
        return lambda data: _equals(left(data), right(data))
    if kind == "ne":
        return lambda data: not _equals(left(data), right(data))
    order = _ORDER[kind]

    def read(data: Any) -> Any:
        a, b = left(data), right(data)
        # Ordering is for numbers and text only (text against a number raises, as in jmespath).
        if not ((_number(a) or isinstance(a, str)) and (_number(b) or isinstance(b, str))):
            return None
        return order(a, b)

    return read


_BUILDERS: dict[str, Callable[[dict[str, Any]], Reader | None]] = {
    "field": _field,
    "subexpression": _subexpression,
    "literal": _literal,
    "current": _current,
    "identity": _current,
    "or_expression": _logical(keeps_left_when=True),
    "and_expression": _logical(keeps_left_when=False),
    "not_expression": _not,
    "pipe": _chain,
    "index_expression": _chain,
    "index": _index,
    "multi_select_list": _multi_select_list,
    "flatten": _flatten,
    "projection": _projection,
    "filter_projection": _filter_projection,
    "comparator": _comparator,
    "function_expression": _function,
}
