"""Human names for data paths, so messages say 群名称 (group.name), not just a JMESPath.

Snapshot fields take their name from the snapshot schema's bilingual `description`
("群名称 · Group name shown to members"), metrics from the metric registry: one source each.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from playbook.core.conditions import compile_path
from playbook.core.i18n import Text
from playbook.core.metrics import METRICS
from playbook.core.resources import load_schema

MAX_LABELLED = 3


def fields_read(expr: str) -> list[tuple[str, ...]]:
    """The root field chains an expression reads: `length(group.tags)` → [('group', 'tags')]."""
    try:
        tree = compile_path(expr).parsed
    except Exception:  # an expression that does not compile reads nothing we can name
        return []
    found: list[tuple[str, ...]] = []
    _collect(tree, found)
    return list(dict.fromkeys(found))


def _chain(node: dict[str, Any]) -> tuple[str, ...] | None:
    """A plain chain of fields (indexes skipped), or None for anything computed."""
    kind = node["type"]
    if kind == "field":
        return (node["value"],)
    if kind == "index":
        return ()
    if kind in ("subexpression", "index_expression"):
        parts = [_chain(child) for child in node["children"]]
        if any(part is None for part in parts):
            return None
        return tuple(name for part in parts for name in part or ())
    return None


# What these read relative to each item (`&at`, the right of a pipe or projection) is not a root field.
_LEFT_ONLY = ("projection", "filter_projection", "flatten", "pipe")


def _collect(node: dict[str, Any], found: list[tuple[str, ...]]) -> None:
    chain = _chain(node)
    if chain:
        found.append(chain)
        return
    children = [c for c in node.get("children") or [] if isinstance(c, dict)]
    if node["type"] == "subexpression":
        prefix = _prefix(children)
        if prefix:
            found.append(prefix)
            return
    if node["type"] == "expref":
        return
    first_only = node["type"] in _LEFT_ONLY or node["type"] == "subexpression"
    for child in children[:1] if first_only else children:
        _collect(child, found)


def _prefix(children: list[dict[str, Any]]) -> tuple[str, ...]:
    """`members.list[*].tags` reads members.list: the fields before the first computed part,
    plus the left of a projection there (what follows it is relative to each item)."""
    names: list[str] = []
    for child in children:
        part = _chain(child)
        if part is None:
            left = child.get("children") or []
            if child["type"] in _LEFT_ONLY and left and _chain(left[0]):
                names.extend(_chain(left[0]) or ())
            break
        names.extend(part)
    return tuple(names)


@functools.cache
def _schema_label(chain: tuple[str, ...]) -> Text | None:
    schema = load_schema("snapshot")
    node: Any = schema
    for key in chain:
        node = (_object_at(schema, node).get("properties") or {}).get(key)
        if node is None:
            return None
    return field_name(field_description(schema, node))


def field_description(schema: dict[str, Any], node: Any) -> str:
    """A field's own description, else that of the definition it refers to (`$ref: count`)."""
    own = node.get("description") if isinstance(node, dict) else None
    return str(own or _resolve(schema, node).get("description", ""))


def field_name(description: str) -> Text | None:
    """The name a schema description gives its field (`群名称 · Group name`), details cut off."""
    zh, _, en = description.partition(" · ")
    return Text(_name_part(zh, _ZH_DETAILS), _name_part(en, _EN_DETAILS)) if zh and en else None


def unknown_field(chain: tuple[str, ...]) -> tuple[int, list[str]] | None:
    """Where a snapshot field chain leaves the schema: (index of the first field no snapshot can
    have, the fields allowed there), or None when every field exists or the level is free-form."""
    schema = load_schema("snapshot")
    node: Any = schema
    for depth, key in enumerate(chain):
        level = _object_at(schema, node)
        properties = level.get("properties")
        if properties is None:  # free-form below here, or a choice of shapes: nothing to judge by
            return None
        if key not in properties:
            closed = level.get("additionalProperties") is False and not key.startswith("x-")
            return (depth, sorted(properties)) if closed else None
        node = properties[key]
    return None


def _object_at(schema: dict[str, Any], node: Any) -> dict[str, Any]:
    """The object a field's next part is read from: the node, or its items for a list, refs followed."""
    node = _resolve(schema, node)
    if node.get("type") == "array" or "items" in node:
        node = _resolve(schema, node.get("items", {}))
    return node


# A description names the field, then may go on to its values or examples ("入群方式：open 自由加入 |
# approval …", "Penalty, e.g. warn, …"); a message needs only the name.
_ZH_DETAILS = re.compile(r"[：，；]")
_EN_DETAILS = re.compile(r"[:;] |, (?![^(]*\))")  # a comma inside brackets belongs to the name


def _name_part(description: str, details: re.Pattern[str]) -> str:
    return details.split(description.strip(), maxsplit=1)[0].strip()


def _resolve(schema: dict[str, Any], node: Any) -> dict[str, Any]:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = schema
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target.get(part, {})
        node = target
    return node if isinstance(node, dict) else {}


def label_chain(chain: tuple[str, ...], shown: str | None = None) -> Text:
    dotted = shown or ".".join(chain)
    if chain[0] == "metrics" and len(chain) == 2 and chain[1] in METRICS:
        label = METRICS[chain[1]].label
    else:
        label = _schema_label(chain) or Text("", "")
    if not label.zh:
        return Text(dotted, dotted)
    return Text(f"{label.zh} ({dotted})", f"{label.en} ({dotted})")


@functools.cache
def label_path(expr: str) -> Text:
    """`群名称 (group.name)` for a plain path; the fields it reads for an expression."""
    try:
        whole = _chain(compile_path(expr).parsed)
    except Exception:  # an expression that does not compile is shown as written
        whole = None
    if whole:
        return label_chain(whole, expr)
    chains = fields_read(expr)
    if not chains:
        return Text(expr, expr)
    return _listed([label_chain(c) for c in chains[:MAX_LABELLED]])


def label_field(field: str) -> Text:
    """`入群时间 (members.list[].joined_at)` for a field as a metric's `needs` writes it."""
    return label_chain(tuple(field.replace("[]", "").split(".")), field)


def metric_inputs(path: str) -> Text | None:
    """For `metrics.NAME`, the fields that metric is computed from, named; else None."""
    root, _, name = path.partition(".")
    metric = METRICS.get(name) if root == "metrics" else None
    if metric is None:
        return None
    return _listed([in_sentence(label_field(field)) for field in metric.needs])


def in_sentence(label: Text) -> Text:
    """A label as it reads inside an English sentence: `provide member rewards`, not `Member
    rewards`; a name that is capitalised inside (`WeChat`, `QQ`) is left as written."""
    first, _, rest = label.en.partition(" ")
    if first[:1].isupper() and first[1:].islower():
        return Text(label.zh, first.lower() + (" " + rest if rest else ""))
    return label


def _listed(labels: list[Text]) -> Text:
    return Text("、".join(t.zh for t in labels), ", ".join(t.en for t in labels))
