"""The report's types (core/report_types.py) and its JSON Schema describe the same report.

Both are walked side by side from the top: at every object the TypedDict's keys are the schema's
properties, its required keys the schema's `required`, and at every enum the `Literal`'s values
the schema's. Nothing is listed by hand, so a key added to one and not the other fails here.
"""

from __future__ import annotations

import json
import sys
import types
import typing
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

if sys.version_info >= (3, 11):
    from typing import NotRequired, is_typeddict
else:  # the types are typing_extensions' there (core/report_types.py)
    from typing_extensions import NotRequired, is_typeddict

import pytest

from playbook.core import report_types
from playbook.core.report_types import Report

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "schemas" / "report.schema.json").read_text())


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow `$ref` and unwrap `anyOf: [X, null]` to the schema of X."""
    while True:
        if "$ref" in node:
            node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        elif "anyOf" in node:
            (node,) = [n for n in node["anyOf"] if n.get("type") != "null"]
        else:
            return node


def _bare(hint: Any) -> list[Any]:
    """The types a hint allows, with NotRequired, None and unions taken apart."""
    origin = get_origin(hint)
    if origin is NotRequired:
        return _bare(get_args(hint)[0])
    if origin in (Union, types.UnionType):
        return [t for arg in get_args(hint) for t in _bare(arg)]
    return [] if hint is type(None) else [hint]


def _pairs(hint: Any, node: dict[str, Any], where: str) -> list[tuple[str, Any, dict[str, Any]]]:
    """Every (place, TypedDict or Literal, schema) pair below and including this one."""
    node = _resolve(node)
    found: list[tuple[str, Any, dict[str, Any]]] = []
    for bare in _bare(hint):
        if is_typeddict(bare) and "properties" in node:
            found.append((where, bare, node))
            hints = typing.get_type_hints(bare, include_extras=True)
            for key, child in node["properties"].items():
                if key in hints:
                    found += _pairs(hints[key], child, f"{where}.{key}")
        elif get_origin(bare) is list and "items" in node:
            found += _pairs(get_args(bare)[0], node["items"], f"{where}[]")
        elif get_origin(bare) is Literal:
            found.append((where, bare, node))
        elif get_origin(bare) is dict and get_origin(get_args(bare)[0]) is Literal and "properties" in node:
            found.append((where, bare, node))  # counts keyed by status: every status a property
    return found


PAIRS = _pairs(Report, SCHEMA, "$")


def test_the_walk_reaches_every_block() -> None:
    places = {where for where, _, _ in PAIRS}
    assert {
        "$",
        "$.results[]",
        "$.results[].escalated",
        "$.baseline.rules[]",
        "$.checklist[].group",
        "$.summary",
        "$.sections[].counts",
    } <= places


@pytest.mark.parametrize(
    ("where", "typed", "node"),
    [p for p in PAIRS if is_typeddict(p[1])],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_typed_dict_has_the_schemas_keys(where: str, typed: Any, node: dict[str, Any]) -> None:
    assert set(typed.__annotations__) == set(node["properties"])
    assert set(typed.__required_keys__) == set(node.get("required", ()))


@pytest.mark.parametrize(
    ("where", "counts", "node"),
    [p for p in PAIRS if get_origin(p[1]) is dict],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_count_by_status_has_the_schemas_keys(where: str, counts: Any, node: dict[str, Any]) -> None:
    keys = get_args(get_args(counts)[0])
    assert set(keys) == set(node["properties"]) == set(node["required"])


@pytest.mark.parametrize(
    ("where", "literal", "node"),
    [p for p in PAIRS if get_origin(p[1]) is Literal],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_literal_has_the_schemas_values(where: str, literal: Any, node: dict[str, Any]) -> None:
    assert set(get_args(literal)) == {value for value in node["enum"] if value is not None}


def test_the_status_tuples_follow_the_types_order() -> None:
    assert tuple(SCHEMA["$defs"]["status"]["enum"]) == report_types.STATUSES
    assert tuple(SCHEMA["$defs"]["severity"]["enum"]) == report_types.SEVERITIES


def _curve_enums(node: Any) -> list[list[str]]:
    """Every `curve` property's values anywhere in a schema."""
    if isinstance(node, list):
        return [found for item in node for found in _curve_enums(item)]
    if not isinstance(node, dict):
        return []
    curve = node.get("properties", {}).get("curve", {})
    found = [curve["enum"]] if "enum" in curve else []  # (a `const` in an if/then picks one of them)
    return found + [f for value in node.values() for f in _curve_enums(value)]


def test_the_curves_are_the_playbook_schemas() -> None:
    from playbook.core.model import Curve

    playbook_schema = json.loads(
        (Path(__file__).resolve().parent.parent / "schemas" / "playbook.schema.json").read_text()
    )
    enums = _curve_enums(playbook_schema)
    assert enums and all(set(enum) == set(get_args(Curve)) for enum in enums)
