"""Find the bundled rulesets/ and schemas/ folders: inside an installed wheel, or in a checkout.

A wheel maps the top-level folders into the package (`playbook/rulesets`, `playbook/schemas`);
an editable install or a plain checkout has them beside the package instead.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # playbook/, above core/


def _data_dir(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"playbook is installed without its {name}/ folder")


def rulesets_dir() -> Path:
    return _data_dir("rulesets")


def schemas_dir() -> Path:
    return _data_dir("schemas")


@functools.cache
def builtin_ruleset_names() -> tuple[str, ...]:
    # Asked once per audited file: listing the folder each time cost ~30 µs of a ~2 ms audit.
    return tuple(sorted(p.stem for p in rulesets_dir().glob("*.yaml") if p.stem != "platforms"))


def schema_path(name: str) -> Path:
    return schemas_dir() / f"{name}.schema.json"


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    with schema_path(name).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


SchemaPath = tuple[str, ...]


def schema_nodes(schema: dict[str, Any]) -> Iterator[tuple[SchemaPath, dict[str, Any]]]:
    """Every node of a JSON Schema with the data path it describes (`*` = each item of a list):
    properties, items and the branches of anyOf/oneOf, `#/$defs/…` references followed once per
    path (a node that is a reference comes first, then the definition it names)."""

    def walk(
        node: Any, path: SchemaPath, seen: frozenset[str]
    ) -> Iterator[tuple[SchemaPath, dict[str, Any]]]:
        if not isinstance(node, dict):
            return
        yield path, node
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/") and ref not in seen:
            yield from walk(schema["$defs"][ref.rsplit("/", 1)[1]], path, seen | {ref})
            return
        for key, child in node.get("properties", {}).items():
            yield from walk(child, (*path, key), seen)
        yield from walk(node.get("items"), (*path, "*"), seen)
        for sub in (*node.get("anyOf", ()), *node.get("oneOf", ())):
            yield from walk(sub, path, seen)

    return walk(schema, (), frozenset())
